"""The knowledge graph as RDF, following ``shared/design/rdf-model.md``.

Interviews are ``nif:Context`` nodes holding the transcript text; turns,
quotes (one ``schema:Quotation`` per sentence that mentions something) and
mentions carry NIF offsets into it; mentions point at entities with
``itsrdf:taIdentRef``.  IRIs derive from interview ids, positions, offsets
and entity ids, never from counters or run order, so the same input gives
the same graph.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from ..model import Entity, Interview, KnowledgeGraph, Turn
from .vocab import ENTITY_CLASSES, ITSRDF, KGI, NIF, PREFIXES, PROV, SCHEMA

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


class Iris:
    """IRI scheme for one corpus base; see rdf-model.md "IRIs"."""

    def __init__(self, base: str) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def interview(self, iid: str) -> URIRef:
        return URIRef(f"{self.base}interview/{iid}")

    def turn(self, iid: str, turn: Turn, positions: Mapping[int, int]) -> URIRef:
        part = "turn" if turn.kind == "speech" else "note"
        return URIRef(f"{self.base}interview/{iid}/{part}/{positions[turn.index]}")

    def sentence(self, turn_iri: URIRef, k: int) -> URIRef:
        return URIRef(f"{turn_iri}/s/{k}")

    def mention(self, iid: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.base}interview/{iid}/m/{start}-{end}")

    def entity(self, entity_id: str) -> URIRef:
        return URIRef(self.base + entity_id)

    def build(self, key: str) -> URIRef:
        return URIRef(f"{self.base}build/{key}")


def positions(interview: Interview) -> dict[int, int]:
    """Turn index -> position among turns of the same kind (speech turns count 1, 2, ...)."""
    counters = {"speech": 0, "note": 0}
    out = {}
    for t in interview.turns:
        counters[t.kind] += 1
        out[t.index] = counters[t.kind]
    return out


def to_rdf(kg: KnowledgeGraph, *, base: str) -> Graph:
    """The whole corpus as one rdflib Graph."""
    g = new_graph()
    iris = Iris(base)
    build = iris.build(kg.provenance.get("build_id", "build"))
    _provenance(g, build, kg.provenance, iris)
    by_mention: dict[tuple[str, int, int], Entity] = {}
    for e in kg.entities:
        for r in e.mentions:
            by_mention[(r.interview, r.mention.start, r.mention.end)] = e
    people = {e.label: e for e in kg.entities if e.type == "Person"}
    for iv in kg.interviews:
        _interview(g, iris, iv, build, by_mention, people)
    for e in kg.entities:
        _entity(g, iris, e, kg)
    return g


def _provenance(g: Graph, build: URIRef, prov: Mapping[str, str], iris: Iris) -> None:
    g.add((build, RDF.type, PROV.Activity))
    g.add((build, RDF.type, KGI.Build))
    g.add((build, RDFS.label, Literal("kg build")))
    if prov.get("time"):
        g.add((build, PROV.startedAtTime, Literal(prov["time"], datatype=XSD.dateTime)))
    version = prov.get("kg_version", "")
    g.add((build, KGI.kgVersion, Literal(version)))
    agent = iris.entity(f"agent/kg/{version or 'unknown'}")
    g.add((build, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(f"kg {version}".strip())))
    g.add((agent, SCHEMA.softwareVersion, Literal(version)))
    for model in sorted(filter(None, prov.get("models", "").split("|"))):
        g.add((build, KGI.model, Literal(model)))
    for version in sorted(filter(None, prov.get("model_versions", "").split("|"))):
        g.add((build, KGI.modelVersion, Literal(version)))


def _interview(g: Graph, iris: Iris, iv: Interview, build: URIRef,
               by_mention: Mapping[tuple[str, int, int], Entity], people: Mapping[str, Entity]) -> None:
    node = iris.interview(iv.id)
    lang = iv.language or None
    for cls in (KGI.Interview, SCHEMA.CreativeWork, NIF.Context):
        g.add((node, RDF.type, cls))
    g.add((node, SCHEMA.identifier, Literal(iv.id)))
    g.add((node, SCHEMA.name, Literal(iv.title or iv.id)))
    if lang:
        g.add((node, SCHEMA.inLanguage, Literal(lang)))
    if iv.date:
        g.add((node, SCHEMA.dateCreated, Literal(iv.date, datatype=XSD.date) if _DATE.match(iv.date) else Literal(iv.date)))
    g.add((node, NIF.isString, Literal(iv.text)))
    g.add((node, NIF.beginIndex, Literal(0)))
    g.add((node, NIF.endIndex, Literal(max(1, len(iv.text)))))
    g.add((node, KGI.sourceFormat, Literal(iv.source_format)))
    g.add((node, KGI.sourceFile, Literal(iv.source_path.replace("\\", "/").rsplit("/", 1)[-1])))
    g.add((node, KGI.sourceChecksum, Literal("sha256:" + iv.checksum)))
    g.add((node, PROV.wasGeneratedBy, build))
    for p in iv.participants:
        person = people.get(p.name)
        if person is None:
            continue
        pnode = iris.entity(person.id)
        prop = {"interviewer": KGI.interviewer, "interviewee": KGI.interviewee}.get(p.role, KGI.participant)
        g.add((node, prop, pnode))
    pos = positions(iv)
    for turn in iv.turns:
        tnode = iris.turn(iv.id, turn, pos)
        g.add((tnode, RDF.type, KGI.Turn if turn.kind == "speech" else KGI.Note))
        g.add((tnode, SCHEMA.isPartOf, node))
        g.add((tnode, SCHEMA.position, Literal(pos[turn.index])))
        g.add((tnode, NIF.referenceContext, node))
        g.add((tnode, NIF.beginIndex, Literal(turn.start)))
        g.add((tnode, NIF.endIndex, Literal(turn.end)))
        speaker = people.get(turn.speaker) if turn.speaker else None
        if speaker is not None:
            g.add((tnode, KGI.speaker, iris.entity(speaker.id)))
        if turn.label:
            g.add((tnode, KGI.speakerLabel, Literal(turn.label)))
        if turn.timestamp:
            g.add((tnode, KGI.timestamp, Literal(turn.timestamp)))
        for k, sent in enumerate(turn.sentences, start=1):
            linked = [(m, by_mention.get((iv.id, m.start, m.end))) for m in sent.mentions]
            linked = [(m, e) for m, e in linked if e is not None]
            if not linked:
                continue
            snode = iris.sentence(tnode, k)
            g.add((snode, RDF.type, SCHEMA.Quotation))
            g.add((snode, RDF.type, KGI.Quote))
            g.add((snode, RDF.type, NIF.Sentence))
            g.add((snode, SCHEMA.isPartOf, tnode))
            g.add((snode, SCHEMA.position, Literal(k)))
            g.add((snode, SCHEMA.text, Literal(sent.text, lang=lang)))
            g.add((snode, NIF.referenceContext, node))
            g.add((snode, NIF.beginIndex, Literal(sent.start)))
            g.add((snode, NIF.endIndex, Literal(sent.end)))
            if speaker is not None:
                g.add((snode, SCHEMA.creator, iris.entity(speaker.id)))
            for m, e in linked:
                enode = iris.entity(e.id)
                g.add((snode, SCHEMA.mentions, enode))
                g.add((node, SCHEMA.mentions, enode))
                mnode = iris.mention(iv.id, m.start, m.end)
                g.add((mnode, RDF.type, KGI.Mention))
                g.add((mnode, RDF.type, NIF.Phrase))
                g.add((mnode, NIF.referenceContext, node))
                g.add((mnode, NIF.sentence, snode))
                g.add((mnode, NIF.anchorOf, Literal(m.text)))
                g.add((mnode, NIF.beginIndex, Literal(m.start)))
                g.add((mnode, NIF.endIndex, Literal(m.end)))
                g.add((mnode, ITSRDF.taIdentRef, enode))
                g.add((mnode, ITSRDF.taConfidence, Literal(Decimal(str(round(m.score, 3))), datatype=XSD.decimal)))
                g.add((mnode, KGI.extractor, Literal(m.source)))
                g.add((mnode, PROV.wasGeneratedBy, build))


def _entity(g: Graph, iris: Iris, e: Entity, kg: KnowledgeGraph) -> None:
    node = iris.entity(e.id)
    lang = _majority_language(kg)
    for cls in ENTITY_CLASSES[e.type]:
        g.add((node, RDF.type, cls))
    g.add((node, SCHEMA.name, Literal(e.label)))
    g.add((node, SKOS.prefLabel, Literal(e.label, lang=lang)))
    g.add((node, RDFS.label, Literal(e.label)))
    for alt in e.alt_labels:
        g.add((node, SKOS.altLabel, Literal(alt, lang=lang)))
    g.add((node, KGI.confidence, Literal(Decimal(str(e.confidence)), datatype=XSD.decimal)))
    g.add((node, KGI.mentionCount, Literal(len(e.mentions))))
    for iri in e.same_as:
        g.add((node, OWL.sameAs, URIRef(iri)))
        g.add((node, SCHEMA.sameAs, URIRef(iri)))
    if e.type == "Concept":
        g.add((node, SKOS.inScheme, iris.entity("scheme/concepts")))
        g.add((iris.entity("scheme/concepts"), RDF.type, SKOS.ConceptScheme))
        g.add((iris.entity("scheme/concepts"), SKOS.prefLabel, Literal("Concepts", lang="en")))


def _majority_language(kg: KnowledgeGraph) -> str:
    langs = sorted(iv.language or "en" for iv in kg.interviews)
    return max(set(langs), key=lambda x: (langs.count(x), x)) if langs else "en"
