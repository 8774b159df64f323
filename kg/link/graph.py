"""The entities of a built graph, read back from its RDF, as ``kg link`` and ``kg serve``'s ``/reconcile`` need
them: id, IRI, type, names, whether the person speaks in an interview, and the corpus' language."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..model import ENTITY_TYPES, Entity, EntityType


@dataclass(frozen=True)
class BuiltEntities:
    entities: tuple[Entity, ...]
    iris: dict[str, str]
    """Entity id -> its IRI in the graph."""
    base: str
    """What the IRIs start with before the entity id (the build's --base-iri)."""
    language: str
    """The most common language of the interviews."""


def read_entities(path: str | Path) -> BuiltEntities:
    """The entities of the graph at ``path`` (a build folder or an RDF file)."""
    from rdflib import RDF, URIRef
    from rdflib.namespace import SKOS

    from ..rdf.read import find_built_graph, load_graph
    from ..rdf.vocab import ENTITY_CLASSES, KGI, SCHEMA

    g = load_graph(find_built_graph(path))
    class_type: dict[object, EntityType] = {c: t for t in ENTITY_TYPES for c in ENTITY_CLASSES[t]}
    speaks: dict[object, set[str]] = {}
    interviews = set(g.subjects(RDF.type, KGI.Interview))
    for iv in interviews:
        for role in (KGI.interviewer, KGI.interviewee, KGI.participant):
            for person in g.objects(iv, role):
                speaks.setdefault(person, set()).add(str(g.value(iv, SCHEMA.identifier) or iv))
    langs = Counter(str(lang) for iv in interviews for lang in g.objects(iv, SCHEMA.inLanguage))
    entities: list[Entity] = []
    iris: dict[str, str] = {}
    bases: Counter[str] = Counter()
    for node in set(g.subjects(KGI.mentionCount, None)) - interviews:
        if not isinstance(node, URIRef):
            continue
        types = {class_type[c] for c in g.objects(node, RDF.type) if c in class_type}
        if not types:
            continue
        kind: EntityType = "Concept" if "Concept" in types else next(t for t in ENTITY_TYPES if t in types)
        iri = str(node)
        entity_id = "/".join(iri.rstrip("/").split("/")[-2:])
        bases[iri[: len(iri) - len(entity_id)]] += 1
        label = str(g.value(node, SCHEMA.name) or entity_id)
        aliases = tuple(sorted({str(a) for a in g.objects(node, SKOS.altLabel)} - {label}))
        # a curator's links, not those an earlier kg link accepted (asked again, they come back the same)
        accepted = {g.value(m, KGI.matchTarget) for m in g.objects(node, KGI.acceptedMatch)}
        links = tuple(sorted(str(o) for o in g.objects(node, SKOS.exactMatch) if o not in accepted))
        entities.append(Entity(entity_id, kind, label, aliases, speaker_of=tuple(sorted(speaks.get(node, ()))),
                               links=links))
        iris[entity_id] = iri
    entities.sort(key=lambda e: e.id)
    base = bases.most_common(1)[0][0] if bases else ""
    language = max(sorted(langs), key=lambda lang: langs[lang]) if langs else "en"
    return BuiltEntities(tuple(entities), iris, base, language)
