"""A real extractor that records which interviews it was asked to extract (for cache tests)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg.extract import extractor_fingerprint, make_extractor
from kg.model import Interview


class Counting:
    """The extractor the CLI makes (real spaCy model), counting the interviews it extracts."""

    def __init__(self) -> None:
        self.inner = make_extractor(None)
        self.seen: list[str] = []

    def __call__(self, interviews: Iterable[Interview]) -> Iterator[Interview]:
        for iv in interviews:
            self.seen.append(iv.id)
            yield from self.inner([iv])

    def name_for(self, language: str) -> str:
        return self.inner.name_for(language)

    def model_version(self, language: str) -> str:
        return self.inner.model_version(language)

    def fingerprint(self) -> str | None:
        return extractor_fingerprint(self.inner)
