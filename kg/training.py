"""Learn the typing model from annotated transcripts (needs scikit-learn: ``pip install 'kg[train]'``).

Examples are the proposals of `kg.extract.names` on each annotated
transcript, labelled from its gold file: a proposal whose text is one of a
gold entity's surface forms gets that entity's type (the type the rules
proposed when the gold accepts it, else the gold's own); any other proposal
is "no entity", since gold files list every named entity exhaustively.
Matching follows the shared scorer's convention (case, accents, spaces and
punctuation ignored).

Each transcript weighs the same in training, however many candidates it
has, because quality is judged as a mean over transcripts.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .extract.classifier import NO_ENTITY, TypingModel
from .extract.features import Features, with_vector
from .extract.names import Proposal
from .extract.spacy_ner import SpacyExtractor
from .text import match_key as norm

DEFAULT_C = 0.5
"""Inverse regularisation strength: chosen by the leave-one-transcript-out figure, not in-sample."""
CONCEPT_C = 1.0
"""The concept ranking model's inverse regularisation strength."""
NAMED = ("Person", "Organisation", "Tool", "Work", "Place")


@dataclass(frozen=True)
class GoldPair:
    """An annotated transcript: its file, its gold file, and a short name to report it by."""

    transcript: Path
    gold: Path

    @property
    def name(self) -> str:
        return self.transcript.name

    @property
    def series(self) -> str:
        """The publication the transcript comes from (its gold's ``source``: a repository or a site), or the
        transcript's own name where none is given.

        Episodes of one podcast share their hosts, their sponsors and the podcast's own name: a model that
        learnt from one episode knows those names in the next.  Leaving a whole series out
        (``eval_extraction.py --loo --by series``) measures what carries to a publication never seen.
        """
        from urllib.parse import urlsplit

        words = (json.loads(self.gold.read_text(encoding="utf-8")).get("source") or "").split()
        if words and urlsplit(words[0]).netloc:
            return urlsplit(words[0]).netloc  # a page address: its site
        if words and words[0].count("/") == 1:
            return words[0]  # "owner/repository path @commit": the repository
        return self.name  # no source, or a note ("invented for kg evaluation"): a publication of its own


def gold_pairs(repo: Path, shared: Path | None) -> list[GoldPair]:
    """Every annotated transcript: the repository's fixtures and sample, and the shared sets when present.

    A gold file names its transcript relative to its own set's root: the
    repository for ``eval/`` and ``samples/``, the shared folder for its gold.
    """
    found = [(g, repo) for g in sorted((repo / "eval" / "gold").glob("*.json"))]
    found += [(g, repo) for g in sorted((repo / "samples").glob("*.gold.json"))]
    if shared is not None and shared.is_dir():
        found += [(g, shared) for g in sorted((shared / "gold").glob("*.json"))]
        found += [(g, shared) for g in sorted((shared / "gold" / "dev").glob("*.json"))]
    pairs = []
    for gold, root in found:
        transcript = root / json.loads(gold.read_text(encoding="utf-8"))["transcript"]
        if transcript.is_file():
            pairs.append(GoldPair(transcript, gold))
    return pairs


def concept_pairs(repo: Path, shared: Path | None) -> list[GoldPair]:
    """What the concept ranking model learns from: every annotated transcript but the held-out ones.

    Unlike the typing model, it also learns from the written interviews of
    ``eval/unseen``.  Its 22 features say how a phrase is used (how often,
    by whom, in which grammatical role), which writing does not change as it
    changes how names are written; with them, dev leave-one-out concept recall
    rose from 0.749 to 0.765 at the same precision, where the typing model
    learning from them lost 0.017 of dev F1.  ``eval/heldout`` stays unread.
    """
    return [*gold_pairs(repo, shared), *unseen_pairs(repo)]


def unseen_pairs(repo: Path, folder: str = "unseen") -> list[GoldPair]:
    """Annotated transcripts kept out of training (``eval/unseen``, ``eval/heldout``): written after the rules and
    models they test, they say how kg does on transcripts nobody tuned it on, without leaving one out."""
    pairs = []
    for gold in sorted((repo / "eval" / folder / "gold").glob("*.json")):
        transcript = repo / json.loads(gold.read_text(encoding="utf-8"))["transcript"]
        if transcript.is_file():
            pairs.append(GoldPair(transcript, gold))
    return pairs


class GoldIndex:
    """A gold file's named entities by matching key, with the types each accepts."""

    def __init__(self, gold: dict[str, Any]) -> None:
        self.by_key: dict[str, tuple[str, set[str]]] = {}
        for e in gold["entities"]:
            if e["type"] not in NAMED:
                continue
            accepted = {e["type"], *e.get("alt_types", [])} & set(NAMED)
            for alias in [e["name"], *e.get("aliases", [])]:
                key = norm(alias)
                if key:
                    self.by_key.setdefault(key, (e["type"], accepted))

    def label(self, text: str, proposed: str | None) -> str:
        hit = self.by_key.get(norm(text))
        if hit is None:
            return NO_ENTITY
        main, accepted = hit
        return proposed if proposed in accepted else main


Example = tuple[Features, str, str]
"""A proposal's features, its gold label, and the name it spells (matching key): what the model learns from."""


def labelled(proposals: Iterable[Proposal], texts: Iterable[str], index: GoldIndex) -> list[Example]:
    """(features, label, name) for every proposal the model decides on."""
    out = []
    for p, text in zip(proposals, texts, strict=False):
        if p.features is None:
            continue
        proposed = p.rule.type if p.rule is not None else (p.candidate.type or None)
        out.append((with_vector(p.features, p.vector), index.label(text, proposed), norm(text)))
    return out


def fit(groups: Sequence[Sequence[Example]], *, c: float = 0.5, meta: dict[str, Any] | None = None) -> TypingModel:
    """A logistic regression over all groups' examples, each group weighing the same, each name in it too.

    Quality is judged per entity, not per mention: a name said forty times
    must not outweigh thirty names said once.  Weighing names equally gave
    a better leave-one-transcript-out figure than weighing mentions.
    """
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    feats: list[Features] = []
    labels: list[str] = []
    weights: list[float] = []
    for group in groups:
        if not group:
            continue
        said = Counter(name for _, _, name in group)
        for f, y, name in group:
            feats.append(f)
            labels.append(y)
            weights.append(1000.0 / len(said) / said[name])
    vec = DictVectorizer()
    x = vec.fit_transform(feats)
    clf = LogisticRegression(C=c, max_iter=5000)
    clf.fit(x, labels, sample_weight=weights)
    classes = tuple(str(k) for k in clf.classes_)
    names = vec.get_feature_names_out()
    coef, intercept = clf.coef_, clf.intercept_
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: the second's score against a first at zero
        import numpy as np

        coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
    table = {str(name): tuple(float(v) for v in coef[:, j]) for j, name in enumerate(names)
             if max(abs(float(v)) for v in coef[:, j]) >= 1e-4}
    return TypingModel(classes, table, tuple(float(v) for v in intercept), dict(meta or {}))


def examples(pair: GoldPair, extractor: SpacyExtractor) -> list[Example]:
    """The labelled proposals of one annotated transcript (``extractor``: a `SpacyExtractor`)."""
    from .ingest import read_transcript

    interview = read_transcript(pair.transcript)
    _, docs, proposals = extractor.propose(interview)
    index = GoldIndex(json.loads(pair.gold.read_text(encoding="utf-8")))
    out: list[Example] = []
    for doc, props in zip(docs, proposals, strict=False):
        out += labelled(props, (doc[p.start:p.end].text for p in props), index)
    return out


def concept_terms(gold: dict[str, Any]) -> set[str]:
    """Every concept string a gold file accepts (its core and optional concepts, entities also typed Concept)."""
    concepts = gold.get("concepts", {})
    terms = {norm(a) for c in concepts.get("core", []) for a in [c["name"], *c.get("aliases", [])]}
    terms |= {norm(o) for o in concepts.get("optional", [])}
    for e in gold["entities"]:
        if "Concept" in {e["type"], *e.get("alt_types", [])}:
            terms |= {norm(a) for a in [e["name"], *e.get("aliases", [])]}
    return {t for t in terms if t}


def concept_examples(pair: GoldPair, extractor: SpacyExtractor) -> list[Example]:
    """The phrase keys of one annotated transcript labelled "Concept" or not, for the concept ranking model.

    A key is a concept when one of its spoken forms is an accepted concept
    string or contains one (the shared scorer's rule: "brain data privacy"
    counts for "brain data").  The names the phrases must avoid are the
    ones the extractor's current typing model finds.  A phrase of a core
    concept counts twice: the core topics are the ones a researcher expects
    at the top, and what concept recall measures.
    """
    from .extract.concepts import CONCEPT, interview_phrases
    from .extract.names import decide
    from .extract.rules import select
    from .ingest import read_transcript

    interview = read_transcript(pair.transcript)
    _, docs, proposals = extractor.propose(interview)
    named = [select(decide(props, extractor.typing), doc) for doc, props in zip(docs, proposals, strict=False)]
    found = interview_phrases(interview, docs, named)
    gold = json.loads(pair.gold.read_text(encoding="utf-8"))
    terms = concept_terms(gold)
    core = {norm(a) for c in gold.get("concepts", {}).get("core", []) for a in [c["name"], *c.get("aliases", [])]}
    forms: dict[str, set[str]] = {}
    for p in found.said:
        forms.setdefault(p.key, set()).add(norm(p.text))

    def said(key: str, accepted: set[str]) -> bool:
        """One of the key's forms is an accepted string or holds one (the shared scorer's rule)."""
        return any(f in accepted or any(len(t) > 3 and t in f for t in accepted) for f in forms.get(key, ()))

    out: list[Example] = []
    for key, features in found.features.items():
        out.append((features, CONCEPT if said(key, terms) else NO_ENTITY, key))
        if said(key, core):
            out.append((features, CONCEPT, f"{key}\x00core"))  # a second example: `fit` weighs each name once
    return out
