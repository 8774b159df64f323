"""What to ask a reconciliation service of an entity, and what to make of its answer.

Pure functions, so that every rule is tested without a server: which entities may be linked at all
(`may_link`), which of the service's types an entity's type is (`type_map`), the query sent (`query_of`) and
the decision on the candidates (`decide`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..authority import authority_of
from ..model import AuthorityMatch, Entity, EntityType
from ..text import fold
from .client import Manifest

WIKIDATA_TYPES: dict[EntityType, str] = {
    "Person": "Q5", "Organisation": "Q43229", "Place": "Q2221906", "Work": "Q386724", "Tool": "Q7397",
}
"""Wikidata's class for each kind of entity (human, organisation, geographic location, work, software)."""

_TYPE_WORDS: dict[EntityType, tuple[str, ...]] = {
    "Person": ("person", "personne", "people", "human", "individu", "persname", "author", "auteur"),
    "Organisation": ("organization", "organisation", "corporate", "collectivit", "company", "institution",
                     "entreprise", "corpname"),
    "Place": ("place", "location", "lieu", "geographic", "géographique", "geoname", "city", "ville",
              "settlement", "country", "pays"),
    "Work": ("work", "œuvre", "oeuvre", "title", "titre", "book", "livre", "creative"),
    "Tool": ("software", "logiciel", "tool", "outil", "application"),
    "Concept": ("concept", "subject", "sujet", "topic", "rameau", "thesaurus", "term"),
}
"""Words in the name of a service's type that say which kind of entity it holds (English and French)."""


@dataclass(frozen=True)
class Rules:
    """When a candidate is accepted: its score at least ``threshold`` and at least ``margin`` ahead of the next
    (scores on a 0-100 scale).  ``keep`` candidates are kept as suggestions otherwise."""

    threshold: float = 80.0
    margin: float = 10.0
    keep: int = 3
    limit: int = 5
    """How many candidates to ask the service for."""


def type_map(manifest: Manifest) -> dict[EntityType, str | None]:
    """The service type to send with each kind of entity kg asks about (None: send no type).

    Wikidata's identifier space gets Wikidata's classes.  Otherwise each kind takes the first of the
    manifest's default types whose name says it (Person, Organisation, Place...).  A service none of whose
    types say any kind (or with no types) is asked about every kind but concepts, with no type; one that
    says some kinds is asked only about those.
    """
    if "wikidata.org/entity" in manifest.identifier_space:
        return dict(WIKIDATA_TYPES)
    found: dict[EntityType, str | None] = {}
    for kind, words in _TYPE_WORDS.items():
        for t in manifest.types:
            name = t.name.casefold()
            if any(w in name for w in words):
                found[kind] = t.id
                break
    if found:
        return found
    return {kind: None for kind in WIKIDATA_TYPES}


def may_link(e: Entity, allowed: Iterable[str] = ()) -> bool:
    """Whether a service may be asked about ``e``: never a participant of an interview or a person named only
    by a first name (a service would find a famous namesake), unless the curation file allows it; never an
    entity a curator linked already (``authority``: the curation file wins over any service)."""
    if e.links:
        return False
    if e.id in set(allowed):
        return True
    if e.type != "Person":
        return True
    if e.speaker_of:
        return False
    return any(len(name.split()) > 1 for name in (e.label, *e.alt_labels))


def query_of(e: Entity, service_type: str | None, rules: Rules) -> dict[str, Any]:
    """The reconciliation query for ``e``: its label (a person's fullest name), the service type, a limit."""
    text = e.label
    if e.type == "Person":
        text = max((e.label, *e.alt_labels), key=lambda n: (len(n.split()), n == e.label, -len(n)))
    query: dict[str, Any] = {"query": text, "limit": rules.limit}
    if service_type is not None:
        query["type"] = service_type
        query["type_strict"] = "should"
    return query


def _scaled(candidates: Sequence[Mapping[str, Any]]) -> list[tuple[float, Mapping[str, Any]]]:
    """Candidates best first with scores on 0-100: a service scoring on 0-1 is read as percent."""
    top = max((float(c["score"]) for c in candidates), default=0.0)
    factor = 100.0 if 0 < top <= 1.0 else 1.0
    return sorted(((float(c["score"]) * factor, c) for c in candidates), key=lambda sc: (-sc[0], str(sc[1]["id"])))


def decide(e: Entity, candidates: Sequence[Mapping[str, Any]], manifest: Manifest, rules: Rules,
           rejected: Iterable[str] = ()) -> tuple[tuple[AuthorityMatch, ...], tuple[AuthorityMatch, ...]]:
    """(accepted, suggestions) for ``e`` from a service's candidates.

    The best candidate is accepted when its score reaches the threshold, it leads the next by the margin, its
    IRI is one of the known authorities (`kg.authority`), and, for a person, its name is one of the person's
    names (so that a namesake with a longer name is never taken).  The rest, best first, are suggestions.
    Candidates the curation file rejected are left out of both.
    """
    no = set(rejected)
    ranked = [(score, c, manifest.iri(str(c["id"]))) for score, c in _scaled(candidates)]
    ranked = [r for r in ranked if r[2] not in no]
    matches = [AuthorityMatch(iri, str(c["name"]), round(score, 2), manifest.url) for score, c, iri in ranked]
    if not matches:
        return (), ()
    best = ranked[0]
    ahead = len(ranked) == 1 or best[0] - ranked[1][0] >= rules.margin
    names = {fold(n) for n in (e.label, *e.alt_labels)}
    same_name = e.type != "Person" or fold(str(best[1]["name"])) in names
    if best[0] >= rules.threshold and ahead and same_name and authority_of(best[2]) is not None:
        return (matches[0],), ()
    return (), tuple(matches[:rules.keep])
