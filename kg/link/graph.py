"""The entities of a built graph, read back from its RDF, as ``kg link`` and ``kg serve``'s ``/reconcile`` need
them: id, IRI, type, names, whether the person speaks in an interview, each one's language and what is known of
it besides (`kg.link.context`), and the corpus' language."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

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
    languages: dict[str, str] = field(default_factory=dict)
    """Entity id -> the most common language of the interviews that name it (`kg.link.entity_languages`)."""
    context: dict[str, dict[str, str]] = field(default_factory=dict)
    """Entity id -> what is known of it besides its names (`kg.link.context.entity_context`)."""


def read_entities(path: str | Path, *, graph: Graph | None = None) -> BuiltEntities:
    """The entities of the graph at ``path`` (a build folder or an RDF file), or of ``graph``, that graph loaded
    already."""
    from rdflib import RDF, URIRef
    from rdflib.namespace import SKOS

    from ..rdf.read import find_built_graph, load_graph
    from ..rdf.vocab import ENTITY_CLASSES, ITSRDF, KGI, NIF, SCHEMA
    from . import entity_languages
    from .context import entity_context

    g = graph if graph is not None else load_graph(find_built_graph(path))
    class_type: dict[object, EntityType] = {c: t for t in ENTITY_TYPES for c in ENTITY_CLASSES[t]}
    speaks: dict[object, set[str]] = {}
    interviews = set(g.subjects(RDF.type, KGI.Interview))
    for iv in interviews:
        for role in (KGI.interviewer, KGI.interviewee, KGI.participant):
            for person in g.objects(iv, role):
                speaks.setdefault(person, set()).add(str(g.value(iv, SCHEMA.identifier) or iv))
    langs = Counter(str(lang) for iv in interviews for lang in g.objects(iv, SCHEMA.inLanguage))
    iv_id = {iv: str(g.value(iv, SCHEMA.identifier) or iv) for iv in interviews}
    named_in: dict[object, set[str]] = {node: set(ivs) for node, ivs in speaks.items()}
    in_sentence: dict[object, set[object]] = {}
    for mention, node in g.subject_objects(ITSRDF.taIdentRef):
        where = g.value(mention, NIF.referenceContext)
        if where in iv_id:
            named_in.setdefault(node, set()).add(iv_id[where])
        sentence = g.value(mention, NIF.sentence)
        if sentence is not None:
            in_sentence.setdefault(sentence, set()).add(node)
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
        occupation = str(g.value(node, SCHEMA.jobTitle) or "") if kind == "Person" else ""
        entities.append(Entity(entity_id, kind, label, aliases, speaker_of=tuple(sorted(speaks.get(node, ()))),
                               links=links, occupation=occupation))
        iris[entity_id] = iri
    entities.sort(key=lambda e: e.id)
    base = bases.most_common(1)[0][0] if bases else ""
    language = max(sorted(langs), key=lambda lang: langs[lang]) if langs else "en"
    by_iri = {iri: entity_id for entity_id, iri in iris.items()}
    iv_lang = {iv_id[iv]: str(g.value(iv, SCHEMA.inLanguage) or "") for iv in interviews}
    languages = entity_languages({by_iri[str(n)]: ivs for n, ivs in named_in.items() if str(n) in by_iri}, iv_lang)
    languages = {e.id: languages.get(e.id, language) for e in entities}
    sentences = [{by_iri[str(n)] for n in nodes if str(n) in by_iri} for nodes in in_sentence.values()]
    context = entity_context(entities, [ids for ids in sentences if len(ids) > 1])
    return BuiltEntities(tuple(entities), iris, base, language, languages, context)
