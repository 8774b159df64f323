"""kg: build a knowledge graph from research-interview transcripts.

The public API is what ``__all__`` lists: build a graph (`build`,
`build_into`, `write_outputs`, `read_corpus` with a `BuildConfig`), the data
model it is made of, the page (`render_html`, `write_html`), the entities of
a built graph (`list_entities`) and SPARQL on it (`query`).  Each name is
imported from its module on first use, so that ``import kg`` loads no stage.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_HOMES = {
    "build": "pipeline", "build_into": "pipeline", "write_outputs": "pipeline", "read_corpus": "pipeline",
    "BuildConfig": "pipeline", "BuildResult": "pipeline",
    "KnowledgeGraph": "model", "Interview": "model", "Participant": "model", "Turn": "model", "Sentence": "model",
    "Mention": "model", "MentionRef": "model", "Entity": "model", "ENTITY_TYPES": "model",
    "render_html": "page.render", "write_html": "page.render",
    "list_entities": "review", "query": "sparql", "KgError": "errors",
}
"""Each public name and the module of kg it lives in."""

__all__ = [
    "ENTITY_TYPES", "BuildConfig", "BuildResult", "Entity", "Interview", "KgError", "KnowledgeGraph", "Mention",
    "MentionRef", "Participant", "Sentence", "Turn", "__version__", "build", "build_into", "list_entities", "query",
    "read_corpus", "render_html", "write_html", "write_outputs",
]

if TYPE_CHECKING:
    from .errors import KgError
    from .model import ENTITY_TYPES, Entity, Interview, KnowledgeGraph, Mention, MentionRef, Participant, Sentence, Turn
    from .page.render import render_html, write_html
    from .pipeline import BuildConfig, BuildResult, build, build_into, read_corpus, write_outputs
    from .review import list_entities
    from .sparql import query


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value  # found once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
