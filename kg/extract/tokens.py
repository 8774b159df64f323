"""A Doc's token attributes read once, as plain lists, for the hot loops of extraction.

Every ``doc[i]`` makes a new ``Token`` object and every attribute read on it
crosses into Cython; typing one candidate reads the same few tokens dozens
of times (trimming, typing, features, context windows), and a turn has
dozens of candidates.  `tokens` reads each attribute of every token once per
Doc, on first use, and keeps the lists with the Doc (in ``Doc.user_data``, as
`kg.extract.candidates.doc_text` keeps its text), so the rules and features
index Python lists instead.  Nothing here decides anything: each list holds
exactly what the Token attribute of the same name returns.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .candidates import doc_text

if TYPE_CHECKING:  # spaCy loads in seconds: only when extraction runs
    from spacy.tokens import Doc, Token

_KEY = "kg.tokens"


class Tokens:
    """Per-token attributes of one Doc, each list built the first time it is read."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.toks: list[Token] = list(doc)
        self.n = len(self.toks)

    @cached_property
    def text(self) -> list[str]:
        return [t.text for t in self.toks]

    @cached_property
    def lower(self) -> list[str]:
        return [t.lower_ for t in self.toks]

    @cached_property
    def lemma(self) -> list[str]:
        return [t.lemma_ for t in self.toks]

    @cached_property
    def lemma_lower(self) -> list[str]:
        """``t.lemma_.lower()``: how the cue lists are matched."""
        return [lemma.lower() for lemma in self.lemma]

    @cached_property
    def pos(self) -> list[str]:
        return [t.pos_ for t in self.toks]

    @cached_property
    def dep(self) -> list[str]:
        return [t.dep_ for t in self.toks]

    @cached_property
    def is_stop(self) -> list[bool]:
        return [t.is_stop for t in self.toks]

    @cached_property
    def is_lower(self) -> list[bool]:
        return [t.is_lower for t in self.toks]

    @cached_property
    def is_alpha(self) -> list[bool]:
        return [t.is_alpha for t in self.toks]

    @cached_property
    def is_punct(self) -> list[bool]:
        return [t.is_punct for t in self.toks]

    @cached_property
    def is_space(self) -> list[bool]:
        return [t.is_space for t in self.toks]

    @cached_property
    def is_sent_start(self) -> list[bool | None]:
        return [t.is_sent_start for t in self.toks]

    @cached_property
    def ent_type(self) -> list[str]:
        return [t.ent_type_ for t in self.toks]

    @cached_property
    def ent_iob(self) -> list[str]:
        return [t.ent_iob_ for t in self.toks]

    @cached_property
    def whitespace(self) -> list[str]:
        return [t.whitespace_ for t in self.toks]

    @cached_property
    def has_alpha(self) -> list[bool]:
        """Whether the token's text holds a letter: what counts as a word of a name."""
        return [any(ch.isalpha() for ch in s) for s in self.text]

    @cached_property
    def idx(self) -> list[int]:
        return [t.idx for t in self.toks]

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text``, cut from the Doc's text instead of joined from its tokens."""
        if end <= start:
            return ""
        idx = self.idx
        return doc_text(self.doc)[idx[start]:idx[end - 1] + len(self.text[end - 1])]


def tokens(doc: Doc) -> Tokens:
    """The Doc's `Tokens`, made on the first call and kept with the Doc."""
    found = doc.user_data.get(_KEY)
    if found is None:
        found = doc.user_data[_KEY] = Tokens(doc)
    return found  # type: ignore[no-any-return]
