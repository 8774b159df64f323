"""What the HTML page shows, as one neutral structure that both ways in fill.

``kg build`` fills it from the `KnowledgeGraph` it just made (`from_kg`);
``kg html DIR`` fills it from the RDF a build wrote (`from_rdf`, `load`), so a
redraw runs no extraction.  Both follow the RDF model's rules: a quote is a
sentence that mentions at least one entity, its speaker is the speaking
Person entity (else the transcript's speaker label), and everything is sorted
so that both ways give equal structures and the page is byte-identical.
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..model import ENTITY_TYPES, EntityType, Interview, KnowledgeGraph
from ..speakers import people as speaker_entities
from ..timecodes import span_time

DEFAULT_TITLE = "Interview corpus"
_ROLES = ("interviewee", "interviewer", "participant")


class Span(NamedTuple):
    """Where an entity is named inside a quote: offsets into ``Quote.text``.

    Spans and quotes are named tuples, not frozen dataclasses: the page of a large corpus makes about a
    million of them, and a frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``.
    """

    entity: str
    start: int
    end: int


class Quote(NamedTuple):
    """A sentence that mentions at least one entity."""

    interview: str
    start: int
    """Offset of the sentence in its interview's text (orders quotes)."""
    text: str
    speaker: str | None
    spans: tuple[Span, ...]
    begin: float | None = None
    """Seconds into the recording where the quote starts (`kg.timecodes`), when the transcript gives times."""
    end: float | None = None


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    role: str
    entity: str | None
    """The Person entity this participant is, when there is one."""


@dataclass(frozen=True, slots=True)
class InterviewInfo:
    id: str
    title: str
    date: str | None = None
    language: str | None = None
    participants: tuple[Speaker, ...] = ()
    media: str | None = None
    """The recording, relative to the page's folder (`kg.media`)."""
    counts: tuple[tuple[str, int], ...] = ()
    """(entity id, mentions), sorted, for an interview a public edition keeps the counts of but not the text
    (`kg.model.Entity.counts`): the page draws how often it names each entity, and no quote."""


@dataclass(frozen=True, slots=True)
class EntityInfo:
    id: str
    type: EntityType
    label: str
    aliases: tuple[str, ...] = ()
    confidence: float = 1.0
    review: str = "unreviewed"
    """What a curator made of it (`kg.authority.REVIEW_STATES`)."""
    links: tuple[str, ...] = ()
    """Authority links (skos:exactMatch)."""
    suggestions: tuple[tuple[str, str, float], ...] = ()
    """A reconciliation service's candidates kept for review (`kg.link`): (IRI, name, score), best first."""


@dataclass(frozen=True, slots=True)
class CurationInfo:
    """The curation file the build applied, as the review mode starts from it."""

    file: str
    content: str
    """Its decisions as JSON, in the file's shape (`kg.curation.Curation.to_json`)."""
    stale: tuple[str, ...] = ()
    """What the build said of its entries that matched no entity."""


@dataclass(frozen=True, slots=True)
class GraphData:
    """Interviews, entities and quotes: everything the page draws, nothing else."""

    title: str
    interviews: tuple[InterviewInfo, ...]
    entities: tuple[EntityInfo, ...]
    quotes: tuple[Quote, ...]
    curation: CurationInfo | None = None


def _speakers(items: Iterable[Speaker]) -> tuple[Speaker, ...]:
    return tuple(sorted(set(items), key=lambda s: (_ROLES.index(s.role) if s.role in _ROLES else 9, s.name)))


def corpus_title(kg: KnowledgeGraph) -> str:
    """The corpus name: an explicit ``provenance["corpus"]``, else the one interview's title, else the inputs' folder.

    Examples:
        >>> from kg.model import KnowledgeGraph
        >>> corpus_title(KnowledgeGraph((), (), {"corpus": "Designers 2024"}))
        'Designers 2024'
        >>> corpus_title(KnowledgeGraph((), ()))
        'Interview corpus'
    """
    if kg.provenance.get("corpus"):
        return kg.provenance["corpus"]
    if len(kg.interviews) == 1:
        return kg.interviews[0].title or kg.interviews[0].id
    parents = {Path(iv.source_path).resolve().parent.name for iv in kg.interviews if iv.source_path}
    return parents.pop() if len(parents) == 1 else DEFAULT_TITLE


def from_kg(kg: KnowledgeGraph, *, title: str | None = None) -> GraphData:
    """The page's data from a freshly built graph."""
    outline = outline_of(kg, title=title)
    linked = linked_mentions(kg)
    people = people_of(kg)
    quotes = [q for iv in kg.interviews for q in interview_quotes(iv, linked.get(iv.id, {}), people)]
    return _finish(outline.title, list(outline.interviews), list(outline.entities), quotes, outline.curation)


def outline_of(kg: KnowledgeGraph, *, title: str | None = None) -> GraphData:
    """`from_kg` without the quotes: what the page needs that is not counted over every sentence."""
    people = people_of(kg)
    counted: dict[str, list[tuple[str, int]]] = {}
    for e in kg.entities:
        for iid, n in e.counts:
            counted.setdefault(iid, []).append((e.id, n))
    interviews = [InterviewInfo(iv.id, iv.title or iv.id, iv.date, iv.language,
                                _speakers(Speaker(people[p.name][1], p.role, people[p.name][0]) if p.name in people
                                          else Speaker(p.name, p.role, None) for p in iv.participants), iv.media,
                                tuple(sorted(counted.get(iv.id, ()))))
                  for iv in kg.interviews]
    entities = [EntityInfo(e.id, e.type, e.label, tuple(sorted(set(e.alt_labels) - {e.label})),
                           _confidence(e.confidence), e.review,
                           tuple(sorted(set(e.links) | {m.iri for m in e.matches})),
                           tuple((m.iri, m.name, m.score) for m in e.suggestions)) for e in kg.entities]
    return _finish(title or corpus_title(kg), interviews, entities, [], curation_of(kg.provenance))


def _confidence(x: float) -> float:
    return round(float(x), 3)


def curation_of(prov: Mapping[str, str]) -> CurationInfo | None:
    """The curation file a build's provenance records (`kg.curation.curate`), or None."""
    if not prov.get("curation_file"):
        return None
    try:
        stale = json.loads(prov.get("curation_stale") or "[]")
    except ValueError:
        stale = []
    return CurationInfo(prov["curation_file"], prov.get("curation") or "{}", tuple(sorted(str(m) for m in stale)))


def people_of(kg: KnowledgeGraph) -> dict[str, tuple[str, str]]:
    """(id, label) of the Person entity each speaker or participant name is (`kg.speakers.people`, as in the RDF,
    which names a person by the entity's label: "Henri Verdier" for a speaker written "Henri VERDIER")."""
    return {name: (e.id, e.label) for name, e in speaker_entities(kg).items()}


def linked_mentions(kg: KnowledgeGraph, only: Container[str] | None = None) -> dict[str, dict[tuple[int, int], str]]:
    """interview id -> (start, end) of a mention -> the entity it resolved to; of the interviews in ``only`` if given
    (a rebuild walks one interview's quotes again, and a map of the whole corpus cost a second at scale)."""
    by_mention: dict[str, dict[tuple[int, int], str]] = {}
    for e in kg.entities:
        for r in e.mentions:
            if only is None or r.interview in only:
                by_mention.setdefault(r.interview, {})[(r.mention.start, r.mention.end)] = e.id
    return by_mention


def interview_quotes(iv: Interview, linked: Mapping[tuple[int, int], str],
                     people: Mapping[str, tuple[str, str]]) -> list[Quote]:
    """One interview's quotes, in order: its sentences with a mention that resolved to an entity."""
    quotes = []
    for turn in iv.turns:
        # the same rule as the RDF: schema:creator when the speaker is an entity, else the turn's label
        person = people.get(turn.speaker) if turn.speaker else None
        speaker = person[1] if person is not None else turn.label
        for sent in turn.sentences:
            if not sent.mentions:
                continue
            # plain tuples, sorted as `_sorted_spans` sorts: hundreds of thousands of quotes at scale
            found = {(m.start - sent.start, m.end - sent.start, eid)
                     for m in sent.mentions if (eid := linked.get((m.start, m.end)))}
            if found:
                time = span_time(turn, sent.start, sent.end) if turn.times else None
                quotes.append(Quote(iv.id, sent.start, sent.text, speaker,
                                    tuple(Span(eid, a, b) for a, b, eid in sorted(found)),
                                    time.start if time else None, time.end if time else None))
    quotes.sort(key=lambda q: q.start)
    return quotes


def _sorted_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    return tuple(sorted(spans, key=lambda s: (s.start, s.end, s.entity)))


def _finish(title: str, interviews: list[InterviewInfo], entities: list[EntityInfo], quotes: list[Quote],
            curation: CurationInfo | None = None) -> GraphData:
    return GraphData(
        title=title,
        interviews=tuple(sorted(interviews, key=lambda i: i.id)),
        entities=tuple(sorted(entities, key=lambda e: e.id)),
        quotes=tuple(sorted(quotes, key=lambda q: (q.interview, q.start))),
        curation=curation,
    )


def load(directory: str | Path, *, title: str | None = None) -> GraphData:
    """The page's data from the RDF that ``kg build`` wrote into ``directory`` (named graphs merged)."""
    from ..rdf.read import find_built_graph, load_graph

    path = find_built_graph(directory)
    g = load_graph(path)  # a broken file is one GraphError line
    folder = path.parent if path.is_file() else Path(directory)
    return from_rdf(g, title=title, fallback_title=folder.resolve().name)


def from_rdf(g: object, *, title: str | None = None, fallback_title: str | None = None) -> GraphData:
    """The page's data from an rdflib Graph in kg's RDF model (see shared/design/rdf-model.md)."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, RDFS, SKOS

    from ..rdf.vocab import ENTITY_CLASSES, ITSRDF, KGI, NIF, PROV, REVIEW_STATES, SCHEMA

    if not isinstance(g, Graph):
        raise TypeError("from_rdf takes an rdflib Graph")

    def text(node: Any, prop: URIRef) -> str | None:
        value = g.value(node, prop)
        return str(value) if isinstance(value, Literal) else None

    def seconds(node: Any, prop: URIRef) -> float | None:
        value = g.value(node, prop)
        return float(value.toPython()) if isinstance(value, Literal) else None

    def integer(node: Any, prop: URIRef) -> int:
        value = g.value(node, prop)
        return int(value.toPython()) if isinstance(value, Literal) else 0

    iv_ids: dict[Any, str] = {}
    base = ""
    for iv in sorted(g.subjects(RDF.type, KGI.Interview), key=str):
        iid = text(iv, SCHEMA.identifier) or str(iv).rsplit("/", 1)[-1]
        iv_ids[iv] = iid
        if str(iv).endswith("interview/" + iid):
            base = str(iv)[: -len("interview/" + iid)]

    def entity_id(node: object) -> str:
        iri = str(node)
        return iri[len(base):] if base and iri.startswith(base) else "/".join(iri.rsplit("/", 2)[-2:])

    review: dict[Any, str] = {term: state for state, term in REVIEW_STATES.items()}
    curation = None
    for node in g.objects(None, PROV.used):
        if (node, RDF.type, KGI.CurationFile) in g:
            curation = CurationInfo(text(node, KGI.sourceFile) or "", text(node, KGI.curationContent) or "{}",
                                    tuple(sorted(str(m) for m in g.objects(node, KGI.staleEntry))))
    class_type: dict[Any, EntityType] = {cls: t for t in ENTITY_TYPES for cls in ENTITY_CLASSES[t]}
    entities = []
    names: dict[Any, str] = {}
    for node in set(g.subjects(KGI.mentionCount, None)) - set(iv_ids):  # interviews count their mentions too
        types = {class_type[c] for c in g.objects(node, RDF.type) if c in class_type}
        etype: EntityType = ("Concept" if "Concept" in types
                             else next((t for t in ENTITY_TYPES if t in types), "Concept"))
        label = text(node, SCHEMA.name) or text(node, SKOS.prefLabel) or entity_id(node)
        names[node] = label
        aliases = {str(a) for a in g.objects(node, SKOS.altLabel)} - {label}
        confidence = g.value(node, KGI.confidence)
        state = g.value(node, KGI.reviewState)
        links = sorted(str(o) for o in g.objects(node, SKOS.exactMatch))
        suggested = sorted(((str(g.value(m, KGI.matchTarget)), text(m, RDFS.label) or "",
                             float(str(g.value(m, KGI.matchScore) or 0))) for m in g.objects(node, KGI.suggestedMatch)),
                           key=lambda s: (-s[2], s[0]))
        entities.append(EntityInfo(entity_id(node), etype, label, tuple(sorted(aliases)),
                                   _confidence(float(confidence)) if isinstance(confidence, Literal) else 1.0,
                                   review.get(state, "unreviewed"), tuple(links), tuple(suggested)))

    counted: dict[Any, list[tuple[str, int]]] = {}  # a public edition's kgi:MentionTally nodes, by interview
    for tally in g.subjects(RDF.type, KGI.MentionTally):
        iv_node, counted_entity = g.value(tally, KGI.interview), g.value(tally, KGI.talliedEntity)
        if iv_node is not None and counted_entity is not None:
            counted.setdefault(iv_node, []).append((entity_id(counted_entity), integer(tally, KGI.mentionTally)))
    interviews = []
    for iv, iid in iv_ids.items():
        participants = [Speaker(names.get(p, entity_id(p)), role, entity_id(p) if p in names else None)
                        for role in _ROLES for p in g.objects(iv, getattr(KGI, role))]  # type: ignore[arg-type]
        interviews.append(InterviewInfo(iid, text(iv, SCHEMA.name) or iid, text(iv, SCHEMA.dateCreated),
                                        text(iv, SCHEMA.inLanguage), _speakers(participants), text(iv, KGI.media),
                                        tuple(sorted(counted.get(iv, ())))))

    spans: dict[Any, set[Span]] = {}
    for m in g.subjects(RDF.type, KGI.Mention):
        sentence, target = g.value(m, NIF.sentence), g.value(m, ITSRDF.taIdentRef)
        if sentence is None or target is None:
            continue
        offset = integer(sentence, NIF.beginIndex)
        spans.setdefault(sentence, set()).add(
            Span(entity_id(target), integer(m, NIF.beginIndex) - offset, integer(m, NIF.endIndex) - offset))
    quotes = []
    for s, found in spans.items():
        iv_node = g.value(s, NIF.referenceContext)
        creator = g.value(s, SCHEMA.creator)
        turn = g.value(s, SCHEMA.isPartOf)
        speaker = names.get(creator) if creator is not None else text(turn, KGI.speakerLabel)
        quotes.append(Quote(iv_ids.get(iv_node, str(iv_node)), integer(s, NIF.beginIndex),
                            text(s, SCHEMA.text) or "", speaker, _sorted_spans(found),
                            seconds(s, KGI.startTime), seconds(s, KGI.endTime)))
    if title is None:
        title = interviews[0].title if len(interviews) == 1 else (fallback_title or DEFAULT_TITLE)
    return _finish(title, interviews, entities, quotes, curation)
