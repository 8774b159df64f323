"""Extraction: sentences and typed mentions for every turn of an interview.

A backend is any callable that takes interviews and yields them back with
``Turn.sentences`` filled in (see `Extractor`).  Backends are registered by
name in `BACKENDS` and built from a ``--ner`` spec such as
``spacy:fr_core_news_md``; the spaCy one is the default.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from ..model import Interview
from ..registry import Registry
from .vocabulary import Vocabulary, load_vocabulary

__all__ = ["BACKENDS", "Extractor", "extractor_fingerprint", "make_extractor", "load_vocabulary", "Vocabulary"]


class Extractor(Protocol):
    def __call__(self, interviews: Iterable[Interview]) -> Iterator[Interview]: ...

    def name_for(self, language: str) -> str: ...

    def model_version(self, language: str) -> str: ...


def extractor_fingerprint(extractor: object) -> str | None:
    """The extractor's ``fingerprint()`` (what it brings to a mention besides the build's options), or None for an
    extractor without one: what it finds cannot be cached or skipped by the build stamp, since nothing says
    when it changes."""
    method = getattr(extractor, "fingerprint", None)
    value = method() if callable(method) else None
    return None if value is None else str(value)


BACKENDS: Registry[type] = Registry("NER backend", "--ner")
BACKENDS.register("spacy", "kg.extract.spacy_ner:SpacyExtractor")
BACKENDS.register("transformers", "kg.extract.hf_ner:TransformersExtractor")
BACKENDS.register("gliner", "kg.extract.gliner_ner:GlinerExtractor")
EXTRAS_HINT = "transformers needs: pip install 'kg[transformers]'; gliner also: pip install gliner"


def make_extractor(spec: str | None = None, *, model: str | None = None,
                   vocabulary: Vocabulary | None = None, device: str | None = None,
                   batch_size: int | None = None) -> Extractor:
    """Build a backend from ``"name"`` or ``"name:model"``; ``model`` is the --model shortcut.

    ``device`` and ``batch_size`` go to the backends that take them; a backend
    with a ``spacy_model`` option (transformers, gliner) gets ``model`` there.
    """
    import inspect

    from ..errors import UnknownNameError

    name, _, arg = (spec or "spacy").partition(":")
    try:
        factory = BACKENDS.get(name)
    except UnknownNameError as e:
        raise UnknownNameError(f"{e} ({EXTRAS_HINT})") from None
    accepted = inspect.signature(factory).parameters
    if device not in (None, "auto", "cpu") and "device" not in accepted:
        raise UnknownNameError(f"--device {device}: the {name} backend runs on the CPU; "
                               "use --ner transformers:MODEL for a GPU")
    options = {k: v for k, v in {"device": device, "batch_size": batch_size}.items() if v is not None and k in accepted}
    if "spacy_model" in accepted:
        return factory(arg or None, vocabulary=vocabulary, spacy_model=model, **options)  # type: ignore[no-any-return]
    return factory(arg or model or None, vocabulary=vocabulary, **options)  # type: ignore[no-any-return]
