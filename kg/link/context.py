"""What kg knows about an entity besides its names, sent to a reconciliation service as query ``properties`` so
that it can tell namesakes apart: for an organisation, the place it is named with; for a person, their occupation.

A person's occupation is what a curator gave (the curation file's ``occupation``, `Entity.occupation`): the
transcripts' metadata states none.  kg states no seat for an organisation; what it does know is which entities
are named in the same sentence.  An organisation's place is the place named with it in the most sentences ("je
travaille à Lyon, dans un studio qui s'appelle Atelier Sillage"), at least `MIN_SENTENCES` of them, and only
when no other place is named with it as often (a tie says nothing).

A context key is sent under a service's property id only where kg knows which id that is: Wikidata's
(`WIKIDATA_PROPERTIES`, the service at wikidata.reconci.link) by default, any service's when the command line
names it (``--property place=P131``, ``--property occupation=P106``) and the service's manifest says it takes
properties.  Nothing is sent for a key kg does not know, or a service that cannot take it.

Examples:
    >>> from kg.model import Entity
    >>> studio, lyon = Entity("org/studio", "Organisation", "Studio"), Entity("place/lyon", "Place", "Lyon")
    >>> places([studio, lyon], [{"org/studio", "place/lyon"}])
    {'org/studio': {'place': 'Lyon'}}
    >>> entity_context([Entity("person/ines", "Person", "Inès Marchand", occupation="designer")], [])
    {'person/ines': {'occupation': 'designer'}}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..model import Entity, KnowledgeGraph
from .client import Manifest

MIN_SENTENCES = 1
"""Sentences an organisation and a place must share before the place is sent with the organisation."""
WIKIDATA_PROPERTIES: dict[str, str] = {"place": "P131", "occupation": "P106"}
"""Context key -> Wikidata property: "located in the administrative territorial entity", "occupation"."""
KEYS = tuple(WIKIDATA_PROPERTIES)
"""The context keys kg knows, which ``--property KEY=PID`` may name."""

Context = Mapping[str, Mapping[str, str]]
"""Entity id -> context key ("place", "occupation") -> value (the place's name, the occupation)."""


def entity_context(entities: Sequence[Entity], sentences: Iterable[set[str]]) -> dict[str, dict[str, str]]:
    """What is known of each entity besides its names: an organisation's `places`, a person's occupation."""
    out = places(entities, sentences)
    for e in entities:
        if e.type == "Person" and e.occupation:
            out.setdefault(e.id, {})["occupation"] = e.occupation
    return out


def places(entities: Sequence[Entity], sentences: Iterable[set[str]], *,
           at_least: int = MIN_SENTENCES) -> dict[str, dict[str, str]]:
    """Each organisation's place, from the entity ids named in each sentence (see the module's docstring)."""
    kinds = {e.id: e.type for e in entities}
    labels = {e.id: e.label for e in entities}
    together: dict[str, Counter[str]] = {}
    for ids in sentences:
        found = [i for i in ids if kinds.get(i) == "Place"]
        if not found:
            continue
        for i in ids:
            if kinds.get(i) == "Organisation":
                together.setdefault(i, Counter()).update(found)
    out: dict[str, dict[str, str]] = {}
    for org, counts in sorted(together.items()):
        ranked = counts.most_common(2)
        if ranked[0][1] >= at_least and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            out[org] = {"place": labels[ranked[0][0]]}
    return out


def graph_sentences(kg: KnowledgeGraph) -> list[set[str]]:
    """The entity ids named in each sentence of a built graph."""
    by_mention = {(r.interview, r.mention.start, r.mention.end): e.id for e in kg.entities for r in e.mentions}
    out = []
    for iv in kg.interviews:
        for turn in iv.turns:
            for s in turn.sentences:
                ids = {i for m in s.mentions if (i := by_mention.get((iv.id, m.start, m.end))) is not None}
                if len(ids) > 1:
                    out.append(ids)
    return out


def takes_properties(manifest: Manifest) -> bool:
    """Whether a service says it takes properties in queries: Wikidata's does; another says so in its manifest
    (a property suggest service, or properties it proposes)."""
    if "wikidata.org/entity" in manifest.identifier_space:
        return True
    suggest = manifest.raw.get("suggest")
    return (isinstance(suggest, dict) and bool(suggest.get("property"))) or bool(manifest.raw.get("propose_properties"))


def property_ids(manifest: Manifest, given: Mapping[str, str] | None) -> dict[str, str]:
    """Context key -> the service's property id to send it under: ``given`` (from ``--property``; an empty id
    sends nothing for that key) over Wikidata's defaults; nothing for a service that takes no properties."""
    if not takes_properties(manifest):
        return {}
    ids = dict(WIKIDATA_PROPERTIES) if "wikidata.org/entity" in manifest.identifier_space else {}
    ids.update(given or {})
    return {key: pid for key, pid in ids.items() if pid}


def query_properties(context: Mapping[str, str], ids: Mapping[str, str]) -> list[dict[str, Any]]:
    """The ``properties`` of a query in the API's shape (``[{"pid": "P131", "v": "Lyon"}]``), in key order."""
    return [{"pid": ids[key], "v": value} for key, value in sorted(context.items()) if key in ids and value]
