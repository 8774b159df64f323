"""A Doc's token attributes read once, as plain lists, for the hot loops of extraction.

Every ``doc[i]`` makes a new ``Token`` object and every attribute read on it
crosses into Cython; typing one candidate reads the same few tokens dozens
of times (trimming, typing, features, context windows), and a turn has
dozens of candidates.  `tokens` reads the attributes of every token once per
Doc and keeps the lists with the Doc (in ``Doc.user_data``, as
`kg.extract.candidates.doc_text` keeps its text), so the rules and features
index Python lists instead.  Nothing here decides anything: each list holds
exactly what the Token attribute of the same name returns.

The lists hold no ``Token`` and only a weak reference to the Doc: a Token
refers to its Doc, and a Doc that referred to itself through its
``user_data`` would stay in memory until the cyclic garbage collector ran,
not be freed as soon as extraction drops it.
"""

from __future__ import annotations

import weakref
from functools import cached_property
from typing import TYPE_CHECKING

from .candidates import doc_text

if TYPE_CHECKING:  # spaCy loads in seconds: only when extraction runs
    from spacy.tokens import Doc, Span

_KEY = "kg.tokens"


class Tokens:
    """Per-token attributes of one Doc: those every turn needs read in one pass, the others on first use."""

    def __init__(self, doc: Doc) -> None:
        self._doc = weakref.ref(doc)
        toks = list(doc)
        self.n = len(toks)
        self.lang = doc.lang_
        self.text = [t.text for t in toks]
        self.lower = [t.lower_ for t in toks]
        self.pos = [t.pos_ for t in toks]
        self.is_stop = [t.is_stop for t in toks]
        self.is_lower = [t.is_lower for t in toks]
        self.is_alpha = [t.is_alpha for t in toks]
        self.is_punct = [t.is_punct for t in toks]
        self.is_space = [t.is_space for t in toks]
        self.is_sent_start: list[bool | None] = [t.is_sent_start for t in toks]
        self.whitespace = [t.whitespace_ for t in toks]
        self.idx = [t.idx for t in toks]

    @property
    def doc(self) -> Doc:
        doc = self._doc()
        if doc is None:  # only reachable from the Doc's own user_data, so never while in use
            raise ReferenceError("the Doc these tokens were read from is gone")
        return doc

    @cached_property
    def lemma(self) -> list[str]:
        return [t.lemma_ for t in self.doc]

    @cached_property
    def lemma_lower(self) -> list[str]:
        """``t.lemma_.lower()``: how the cue lists are matched."""
        return [lemma.lower() for lemma in self.lemma]

    @cached_property
    def dep(self) -> list[str]:
        return [t.dep_ for t in self.doc]

    @cached_property
    def ent_type(self) -> list[str]:
        return [t.ent_type_ for t in self.doc]

    @cached_property
    def ent_iob(self) -> list[str]:
        return [t.ent_iob_ for t in self.doc]

    @cached_property
    def has_alpha(self) -> list[bool]:
        """Whether the token's text holds a letter: what counts as a word of a name."""
        return [any(ch.isalpha() for ch in s) for s in self.text]

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


def set_names(doc: Doc, ents: list[Span]) -> None:
    """Replace the Doc's named entities and forget its `Tokens`, which read the old ones: the next `tokens` call
    reads the new (kg's corrections of NER: `kg.extract.candidates.split_joined_entities`)."""
    doc.ents = ents
    doc.user_data.pop(_KEY, None)
