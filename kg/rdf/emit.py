"""The knowledge graph as RDF triples, one chunk at a time, following ``shared/design/rdf-model.md``.

Interviews are ``nif:Context`` nodes holding the transcript text; turns,
quotes (one ``schema:Quotation`` per sentence that mentions something) and
mentions carry NIF offsets into it; mentions point at entities with
``itsrdf:taIdentRef``.  IRIs derive from interview ids, positions, offsets
and entity ids, never from counters or run order, so the same input gives
the same graph.

Why chunks of Oxigraph terms rather than one rdflib Graph: a corpus of a
thousand long interviews is millions of triples, which an in-memory rdflib
graph holds at about a kilobyte each.  The writers (`kg.rdf.write`) take one
chunk at a time -- the build's provenance, the entities and each interview's
``prov:wasGeneratedBy`` link to the build (the default graph), then each
interview's own triples (its named graph) -- so memory stays at one
interview's worth.  An interview's chunk depends on nothing outside the
interview but the entities' IRIs: the build's IRI hashes every input, so the
link to it sits in the default graph, as provenance of a named graph usually
does in TriG and N-Quads.  Triples come in document order, every subject's
triples together (but for that link): the interview node, then each turn
followed by its quotes, each quote followed by its mentions.  That order is a
function of the model only, so the output bytes are too.

Besides the model itself, the graph publishes a few figures and lookup keys
that queries would otherwise compute over every mention: ``kgi:mentionCount``,
``kgi:quoteCount`` and ``kgi:entityCount`` on each interview,
``kgi:mentionCount`` and ``kgi:interviewCount`` on each entity, and each
entity's labels folded (`kg.ingest.metadata.fold`: case and accents ignored)
as ``skos:hiddenLabel``, which ``?name_key`` in a canned query looks up.
Each interview's chunk ends with its tallies (`kg.rdf.tally`): per speaker
and entity, the speaker's quotes that mention it (``kgi:SpeakerTally``), and
per entity and person, the turns that name both (``kgi:CoMentionTally``), and
per entity, the quotes that mention it (``kgi:EntityQuotes``).  The default
graph sums the speaker tallies over the corpus, and ranks the rows of
``shared-entities`` (`kg.rdf.totals`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal

import pyoxigraph as ox

from ..model import Entity, Interview, KnowledgeGraph, Turn
from ..speakers import people
from ..text import fold
from .tally import co_mention_tallies, quote_entities, speaker_tallies
from .timing import interview_media, quote_times, turn_times
from .totals import SpeakerTotals, shared_ranks
from .vocab import ENTITY_CLASSES, ITSRDF, KGI, NIF, PROV, REVIEW_STATES, SCHEMA

Chunk = tuple["str | None", list[ox.Triple]]
"""A named graph's IRI (None: the default graph) and its triples."""
Counted = tuple[tuple[ox.NamedNode, int], ...]
"""An interview's mention tallies in a public edition that keeps its counts only: (entity node, mentions)."""

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_OWL = "http://www.w3.org/2002/07/owl#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def _n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


TYPE = _n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = _n(_RDFS + "label")
ACCESS_RIGHTS = _n("http://purl.org/dc/terms/accessRights")
INTEGER, DECIMAL, DATE, DATETIME = (_n(_XSD + t) for t in ("integer", "decimal", "date", "dateTime"))
_P = {name: _n(term) for name, term in {
    "name": SCHEMA.name, "identifier": SCHEMA.identifier, "inLanguage": SCHEMA.inLanguage,
    "dateCreated": SCHEMA.dateCreated, "isPartOf": SCHEMA.isPartOf, "position": SCHEMA.position,
    "text": SCHEMA.text, "creator": SCHEMA.creator, "mentions": SCHEMA.mentions, "sameAs": SCHEMA.sameAs,
    "softwareVersion": SCHEMA.softwareVersion, "jobTitle": SCHEMA.jobTitle,
    "isString": NIF.isString, "beginIndex": NIF.beginIndex, "endIndex": NIF.endIndex,
    "referenceContext": NIF.referenceContext, "sentence": NIF.sentence, "anchorOf": NIF.anchorOf,
    "taIdentRef": ITSRDF.taIdentRef, "taConfidence": ITSRDF.taConfidence,
    "wasGeneratedBy": PROV.wasGeneratedBy, "startedAtTime": PROV.startedAtTime,
    "wasAssociatedWith": PROV.wasAssociatedWith,
    "prefLabel": _SKOS + "prefLabel", "altLabel": _SKOS + "altLabel", "hiddenLabel": _SKOS + "hiddenLabel",
    "inScheme": _SKOS + "inScheme",
    "owlSameAs": _OWL + "sameAs", "exactMatch": _SKOS + "exactMatch",
    "used": PROV.used, "Entity": PROV.Entity,
}.items()}
_K = {name: _n(KGI[name]) for name in (
    "Interview", "Turn", "Note", "Quote", "Mention", "Build", "interviewer", "interviewee", "participant",
    "speaker", "speakerLabel", "timestamp", "confidence", "extractor", "sourceFormat", "sourceFile",
    "sourceChecksum", "kgVersion", "model", "modelVersion", "mentionCount", "quoteCount", "entityCount",
    "interviewCount", "SpeakerTally", "CoMentionTally", "interview", "entity", "mentionedEntity", "tallySpeaker",
    "coMentionedPerson", "MentionTally", "talliedEntity", "mentionTally",
    "quoteTally", "turnTally", "EntityQuotes", "quotedEntity", "entityQuote",
    "SpeakerTotal", "totalSpeaker", "totalEntity", "quoteTotal", "interviewTotal",
    "reviewState", "CurationFile", "reviewedIn", "curationContent", "staleEntry",
    "AuthorityMatch", "acceptedMatch", "suggestedMatch", "matchTarget", "matchScore", "matchService")}
_REVIEW = {state: _n(term) for state, term in REVIEW_STATES.items()}
_C = {name: _n(term) for name, term in {
    "CreativeWork": SCHEMA.CreativeWork, "Context": NIF.Context, "Quotation": SCHEMA.Quotation,
    "Sentence": NIF.Sentence, "Phrase": NIF.Phrase, "Activity": PROV.Activity,
    "SoftwareAgent": PROV.SoftwareAgent, "ConceptScheme": _SKOS + "ConceptScheme",
}.items()}
_CLASSES = {kind: [_n(c) for c in classes] for kind, classes in ENTITY_CLASSES.items()}
_ROLES = {"interviewer": _K["interviewer"], "interviewee": _K["interviewee"]}


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=INTEGER)


def _dec(x: float) -> ox.Literal:
    return ox.Literal(str(Decimal(str(x))), datatype=DECIMAL)


class Iris:
    """IRI scheme for one corpus base; see rdf-model.md "IRIs"."""

    def __init__(self, base: str) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def interview(self, iid: str) -> str:
        return f"{self.base}interview/{iid}"

    def turn(self, iid: str, turn: Turn, position: int) -> str:
        return f"{self.base}interview/{iid}/{'turn' if turn.kind == 'speech' else 'note'}/{position}"

    def mention(self, iid: str, start: int, end: int) -> str:
        return f"{self.base}interview/{iid}/m/{start}-{end}"

    def entity(self, entity_id: str) -> str:
        return self.base + entity_id

    def speaker_tally(self, iid: str, speaker_id: str, entity_id: str) -> str:
        return f"{self.base}interview/{iid}/speaker-tally/{_flat(speaker_id)}/{_flat(entity_id)}"

    def speaker_total(self, speaker_id: str, entity_id: str) -> str:
        return f"{self.base}speaker-total/{_flat(speaker_id)}/{_flat(entity_id)}"

    def co_mention_tally(self, iid: str, entity_id: str, person_id: str) -> str:
        return f"{self.base}interview/{iid}/co-mention-tally/{_flat(entity_id)}/{_flat(person_id)}"

    def entity_quotes(self, iid: str, entity_id: str) -> str:
        return f"{self.base}interview/{iid}/entity-quotes/{_flat(entity_id)}"

    def mention_tally(self, iid: str, entity_id: str) -> str:
        return f"{self.base}interview/{iid}/mention-tally/{_flat(entity_id)}"

    def entity_id(self, node: ox.NamedNode) -> str:
        """The id of the entity whose node is ``node`` (an IRI `entity` made)."""
        return node.value[len(self.base):]

    def build(self, key: str) -> str:
        return f"{self.base}build/{key}"


def _flat(entity_id: str) -> str:
    """``tool/python`` -> ``tool.python``: one path segment, so that a tally's IRI has no ``{type}/{slug}`` part
    that reads as an entity IRI (`kg.sparql` finds the corpus base that way), and type prefixes have no dot."""
    return entity_id.replace("/", ".")


def positions(interview: Interview) -> dict[int, int]:
    """Turn index -> position among turns of the same kind (speech turns count 1, 2, ...)."""
    counters = {"speech": 0, "note": 0}
    out = {}
    for t in interview.turns:
        counters[t.kind] += 1
        out[t.index] = counters[t.kind]
    return out


def chunks(kg: KnowledgeGraph, *, base: str) -> Iterator[Chunk]:
    """The default graph (build provenance, entities, which interviews the build made), then one chunk
    per interview, in corpus order."""
    emitter = Emitter(kg, base=base)
    yield emitter.head()
    for i in range(emitter.count):
        yield emitter.interview(i)


def _linked(iv: Interview, by_mention: Mapping[tuple[str, int, int], ox.NamedNode]) -> dict[int, ox.NamedNode]:
    """The interview's mentions (by ``id``) that resolved to an entity, and that entity's node."""
    return {id(m): by_mention[key] for t in iv.turns for s in t.sentences for m in s.mentions
            if (key := (iv.id, m.start, m.end)) in by_mention}


def _interview_counts(quotes: Sequence[Sequence[tuple[int, Sequence[ox.NamedNode]]]]) -> dict[ox.NamedNode, int]:
    """Entity node -> how many interviews link a mention to it (each interview's `quote_entities`): every linked
    mention is in a quote, so these are the interviews whose ``schema:mentions`` name it."""
    counts: dict[ox.NamedNode, int] = {}
    for found in quotes:
        for node in {e for _, entities in found for e in entities}:
            counts[node] = counts.get(node, 0) + 1
    return counts


def _provenance(build: ox.NamedNode, prov: Mapping[str, str], iris: Iris) -> list[ox.Triple]:
    T = ox.Triple
    version = prov.get("kg_version", "")
    agent = _n(iris.entity(f"agent/kg/{version or 'unknown'}"))
    out = [T(build, TYPE, _C["Activity"]), T(build, TYPE, _K["Build"]), T(build, LABEL, ox.Literal("kg build"))]
    if prov.get("time"):
        out.append(T(build, _P["startedAtTime"], ox.Literal(prov["time"], datatype=DATETIME)))
    out.append(T(build, _K["kgVersion"], ox.Literal(version)))
    out.append(T(build, _P["wasAssociatedWith"], agent))
    out += [T(build, _K["model"], ox.Literal(m)) for m in sorted(filter(None, prov.get("models", "").split("|")))]
    out += [T(build, _K["modelVersion"], ox.Literal(v))
            for v in sorted(filter(None, prov.get("model_versions", "").split("|")))]
    out += [T(agent, TYPE, _C["SoftwareAgent"]), T(agent, LABEL, ox.Literal(f"kg {version}".strip())),
            T(agent, _P["softwareVersion"], ox.Literal(version))]
    if prov.get("access_rights"):  # a public edition says it is one (`kg.consent`), not what it left out
        out.append(T(build, ACCESS_RIGHTS, ox.Literal(prov["access_rights"])))
    curation = curation_node(prov, iris)
    if curation is not None:
        out += [T(build, _P["used"], curation), T(curation, TYPE, _P["Entity"]), T(curation, TYPE, _K["CurationFile"]),
                T(curation, LABEL, ox.Literal(prov["curation_file"])),
                T(curation, _K["sourceFile"], ox.Literal(prov["curation_file"])),
                T(curation, _K["sourceChecksum"], ox.Literal(prov["curation_checksum"]))]
        if prov.get("curation"):
            out.append(T(curation, _K["curationContent"], ox.Literal(prov["curation"])))
        out += [T(curation, _K["staleEntry"], ox.Literal(str(m))) for m in _json_list(prov.get("curation_stale"))]
    return out


def curation_node(prov: Mapping[str, str], iris: Iris) -> ox.NamedNode | None:
    """The node of the curation file a build applied (named by its checksum), or None."""
    checksum = prov.get("curation_checksum", "")
    if not prov.get("curation_file") or not checksum:
        return None
    return _n(iris.entity(f"curation/{checksum.rsplit(':', 1)[-1][:16]}"))


def _json_list(text: str | None) -> list[object]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _entities(kg: KnowledgeGraph, iris: Iris, nodes: Mapping[str, ox.NamedNode],
              interviews: Mapping[ox.NamedNode, int]) -> list[ox.Triple]:
    T = ox.Triple
    lang = majority_language(kg)
    scheme = _n(iris.entity("scheme/concepts"))
    curation = curation_node(kg.provenance, iris)
    out: list[ox.Triple] = []
    for e in kg.entities:
        node = nodes[e.id]
        out += [T(node, TYPE, c) for c in _CLASSES[e.type]]
        out += [T(node, _P["name"], ox.Literal(e.label)), T(node, _P["prefLabel"], ox.Literal(e.label, language=lang)),
                T(node, LABEL, ox.Literal(e.label))]
        out += [T(node, _P["altLabel"], ox.Literal(alt, language=lang)) for alt in dict.fromkeys(e.alt_labels)]
        # the folded labels: what `kg.sparql.bind_params` binds ``?name_key`` to, for an index lookup by name
        out += [T(node, _P["hiddenLabel"], ox.Literal(key))
                for key in dict.fromkeys(fold(label) for label in (e.label, *e.alt_labels)) if key]
        out += [T(node, _K["confidence"], _dec(e.confidence)), T(node, _K["mentionCount"], _int(len(e.mentions))),
                T(node, _K["interviewCount"], _int(interviews.get(node, 0)))]
        for iri in dict.fromkeys(e.same_as):
            out += [T(node, _P["owlSameAs"], _n(iri)), T(node, _P["sameAs"], _n(iri))]
        out += [T(node, _P["exactMatch"], _n(iri)) for iri in dict.fromkeys(e.links)]
        if e.occupation and e.type == "Person":
            out.append(T(node, _P["jobTitle"], ox.Literal(e.occupation)))
        out += match_triples(e, node, iris)
        out.append(T(node, _K["reviewState"], _REVIEW.get(e.review, _REVIEW["unreviewed"])))
        if curation is not None and e.review != "unreviewed":
            out.append(T(node, _K["reviewedIn"], curation))
        if e.type == "Concept":
            out.append(T(node, _P["inScheme"], scheme))
    if any(e.type == "Concept" for e in kg.entities):
        out += [T(scheme, TYPE, _C["ConceptScheme"]), T(scheme, _P["prefLabel"], ox.Literal("Concepts", language="en"))]
    return out


def match_triples(e: Entity, node: ox.NamedNode, iris: Iris) -> list[ox.Triple]:
    """A reconciliation service's links (`kg.link`): an accepted one is a skos:exactMatch, and each accepted or
    suggested candidate a kgi:AuthorityMatch node that says which service gave it, and its score.  Also what
    ``kg link`` writes into an existing build (`kg.link.rewrite`)."""
    T = ox.Triple
    out: list[ox.Triple] = []
    for prop, found in (("acceptedMatch", e.matches), ("suggestedMatch", e.suggestions)):
        for m in found:
            if prop == "acceptedMatch" and m.iri not in e.links:
                out.append(T(node, _P["exactMatch"], _n(m.iri)))
            digest = hashlib.sha256(f"{m.service} {m.iri}".encode()).hexdigest()[:16]
            match = _n(iris.entity(f"match/{_flat(e.id)}.{digest}"))
            out += [T(node, _K[prop], match), T(match, TYPE, _K["AuthorityMatch"]),
                    T(match, _K["matchTarget"], _n(m.iri)), T(match, LABEL, ox.Literal(m.name)),
                    T(match, _K["matchScore"], _dec(m.score)), T(match, _K["matchService"], ox.Literal(m.service))]
    return out


def _tallies(iris: Iris, iv: Interview, node: ox.NamedNode, linked: Mapping[int, ox.NamedNode],
             people: Mapping[str, ox.NamedNode], persons: frozenset[ox.NamedNode]) -> list[ox.Triple]:
    """The interview's `kg.rdf.tally` figures as nodes under its IRI (so in its named graph and its chunk)."""
    T, K = ox.Triple, _K
    out: list[ox.Triple] = []
    quotes = quote_entities(iv, linked)  # walked once for both kinds
    for (speaker, entity), n in speaker_tallies(iv, quotes, people).items():
        tally = _n(iris.speaker_tally(iv.id, iris.entity_id(speaker), iris.entity_id(entity)))
        out += [T(tally, TYPE, K["SpeakerTally"]), T(tally, K["interview"], node), T(tally, K["tallySpeaker"], speaker),
                T(tally, K["mentionedEntity"], entity), T(tally, K["quoteTally"], _int(n))]
    for (entity, person), n in co_mention_tallies(quotes, persons).items():
        tally = _n(iris.co_mention_tally(iv.id, iris.entity_id(entity), iris.entity_id(person)))
        out += [T(tally, TYPE, K["CoMentionTally"]), T(tally, K["interview"], node), T(tally, K["entity"], entity),
                T(tally, K["coMentionedPerson"], person), T(tally, K["turnTally"], _int(n))]
    return out


def _entity_quotes(iris: Iris, node: ox.NamedNode, iid: str,
                   quoted: Mapping[ox.NamedNode, Sequence[ox.NamedNode]]) -> list[ox.Triple]:
    """One ``kgi:EntityQuotes`` per entity the interview quotes, linking the quotes that mention it.

    ``quotes-mentioning`` pages whole interviews: it picks the next ones
    from these nodes (one per interview under the entity's own index, where
    the entity's quotes are thousands on a large corpus), then reads only
    their quotes from here, where the quotes' ``nif:referenceContext``
    would list every sentence, turn and mention of the interview.
    """
    T, K = ox.Triple, _K
    out: list[ox.Triple] = []
    for entity, snodes in quoted.items():
        group = _n(iris.entity_quotes(iid, iris.entity_id(entity)))
        out += [T(group, TYPE, K["EntityQuotes"]), T(group, K["interview"], node), T(group, K["quotedEntity"], entity),
                *(T(group, K["entityQuote"], q) for q in snodes)]
    return out


def _mention_tallies(iris: Iris, node: ox.NamedNode, iid: str, counted: Counted) -> list[ox.Triple]:
    """A public edition's counts for an interview it keeps no text of (`kg.model.Entity.counts`): one
    ``kgi:MentionTally`` per entity, under the interview's IRI."""
    T, K = ox.Triple, _K
    out: list[ox.Triple] = []
    for entity, n in counted:
        tally = _n(iris.mention_tally(iid, iris.entity_id(entity)))
        out += [T(tally, TYPE, K["MentionTally"]), T(tally, K["interview"], node), T(tally, K["talliedEntity"], entity),
                T(tally, K["mentionTally"], _int(n))]
    return out


def _interview(iris: Iris, iv: Interview, by_mention: Mapping[tuple[str, int, int], ox.NamedNode],
               people: Mapping[str, ox.NamedNode], persons: frozenset[ox.NamedNode],
               counted: Counted = ()) -> list[ox.Triple]:
    T = ox.Triple
    P, K = _P, _K
    node = _n(iris.interview(iv.id))
    lang = iv.language or None
    linked = _linked(iv, by_mention)
    out = [T(node, TYPE, K["Interview"]), T(node, TYPE, _C["CreativeWork"]), T(node, TYPE, _C["Context"]),
           T(node, P["identifier"], ox.Literal(iv.id)), T(node, P["name"], ox.Literal(iv.title or iv.id))]
    if lang:
        out.append(T(node, P["inLanguage"], ox.Literal(lang)))
    if iv.date:
        date = ox.Literal(iv.date, datatype=DATE) if _DATE.match(iv.date) else ox.Literal(iv.date)
        out.append(T(node, P["dateCreated"], date))
    out += [T(node, P["isString"], ox.Literal(iv.text)), T(node, P["beginIndex"], _int(0)),
            T(node, P["endIndex"], _int(max(1, len(iv.text)))),
            T(node, K["sourceFormat"], ox.Literal(iv.source_format)),
            T(node, K["sourceFile"], ox.Literal(iv.source_path.replace("\\", "/").rsplit("/", 1)[-1])),
            T(node, K["sourceChecksum"], ox.Literal("sha256:" + iv.checksum)), *interview_media(node, iv)]
    roles: dict[tuple[ox.NamedNode, ox.NamedNode], None] = {}
    for p in iv.participants:
        if p.name in people:
            roles.setdefault((_ROLES.get(p.role, K["participant"]), people[p.name]), None)
    out += [T(node, prop, person) for prop, person in roles]
    entities = list(dict.fromkeys([*linked.values(), *(e for e, _ in counted)]))
    out += [T(node, P["mentions"], e) for e in entities]
    counts = len(out)  # the figures go here once the turns are written: mentions, quotes, entities
    pos = positions(iv)
    seen_mentions: set[str] = set()
    quotes = 0
    quoted: dict[ox.NamedNode, list[ox.NamedNode]] = {}  # entity -> its quotes, for kgi:EntityQuotes
    for turn in iv.turns:
        tnode_iri = iris.turn(iv.id, turn, pos[turn.index])
        tnode = _n(tnode_iri)
        speaker = people.get(turn.speaker) if turn.speaker else None
        out += [T(tnode, TYPE, K["Turn"] if turn.kind == "speech" else K["Note"]), T(tnode, P["isPartOf"], node),
                T(tnode, P["position"], _int(pos[turn.index])), T(tnode, P["referenceContext"], node),
                T(tnode, P["beginIndex"], _int(turn.start)), T(tnode, P["endIndex"], _int(turn.end))]
        if speaker is not None:
            out.append(T(tnode, K["speaker"], speaker))
        if turn.label:
            out.append(T(tnode, K["speakerLabel"], ox.Literal(turn.label)))
        if turn.timestamp:
            out.append(T(tnode, K["timestamp"], ox.Literal(turn.timestamp)))
        out += turn_times(tnode, turn)
        for k, sent in enumerate(turn.sentences, start=1):
            ms = [m for m in sent.mentions if id(m) in linked]
            if not ms:
                continue
            snode = _n(f"{tnode_iri}/s/{k}")
            quotes += 1
            out += [T(snode, TYPE, _C["Quotation"]), T(snode, TYPE, K["Quote"]), T(snode, TYPE, _C["Sentence"]),
                    T(snode, P["isPartOf"], tnode), T(snode, P["position"], _int(k)),
                    T(snode, P["text"], ox.Literal(sent.text, language=lang) if lang else ox.Literal(sent.text)),
                    T(snode, P["referenceContext"], node),
                    T(snode, P["beginIndex"], _int(sent.start)), T(snode, P["endIndex"], _int(sent.end))]
            if speaker is not None:
                out.append(T(snode, P["creator"], speaker))
            out += quote_times(snode, turn, sent, iv.media)
            for e in dict.fromkeys(linked[id(m)] for m in ms):
                out.append(T(snode, P["mentions"], e))
                quoted.setdefault(e, []).append(snode)
            for m in ms:
                iri = iris.mention(iv.id, m.start, m.end)
                if iri in seen_mentions:
                    continue
                seen_mentions.add(iri)
                mnode = _n(iri)
                out += [T(mnode, TYPE, K["Mention"]), T(mnode, TYPE, _C["Phrase"]),
                        T(mnode, P["referenceContext"], node),
                        T(mnode, P["sentence"], snode), T(mnode, P["anchorOf"], ox.Literal(m.text)),
                        T(mnode, P["beginIndex"], _int(m.start)), T(mnode, P["endIndex"], _int(m.end)),
                        T(mnode, P["taIdentRef"], linked[id(m)]), T(mnode, P["taConfidence"], _dec(round(m.score, 3))),
                        T(mnode, K["extractor"], ox.Literal(m.source))]
    out[counts:counts] = [T(node, K["mentionCount"], _int(len(seen_mentions))), T(node, K["quoteCount"], _int(quotes)),
                          T(node, K["entityCount"], _int(len(entities)))]
    return (out + _tallies(iris, iv, node, linked, people, persons) + _entity_quotes(iris, node, iv.id, quoted)
            + _mention_tallies(iris, node, iv.id, counted))


def majority_language(kg: KnowledgeGraph) -> str:
    """The language tag of entity labels: the corpus' most common interview language."""
    langs = sorted(iv.language or "en" for iv in kg.interviews)
    return max(set(langs), key=lambda x: (langs.count(x), x)) if langs else "en"


class Emitter:
    """The chunks of `chunks`, by index: the default graph (`head`) and each interview's (`interview`).

    Built once per graph (entity nodes, the mention -> entity map), then asked
    for chunks in any order, so that worker processes can render interviews
    side by side.
    """

    def __init__(self, kg: KnowledgeGraph, *, base: str) -> None:
        self.kg = kg
        self.iris = Iris(base)
        self.build = _n(self.iris.build(kg.provenance.get("build_id", "build")))
        self.entity_nodes = {e.id: _n(self.iris.entity(e.id)) for e in kg.entities}
        self.by_mention: dict[tuple[str, int, int], ox.NamedNode] = {}
        for e in kg.entities:
            node = self.entity_nodes[e.id]
            for r in e.mentions:
                self.by_mention[(r.interview, r.mention.start, r.mention.end)] = node
        # every name a participant or speaker goes by, not only the entities' labels ("Henri VERDIER")
        self.people = {name: self.entity_nodes[e.id] for name, e in people(kg).items()}
        self.counted: dict[str, list[tuple[ox.NamedNode, int]]] = {}  # a public edition's counts (`Entity.counts`)
        for e in kg.entities:
            for iid, n in e.counts:
                self.counted.setdefault(iid, []).append((self.entity_nodes[e.id], n))
        self.persons = frozenset(self.entity_nodes[e.id] for e in kg.entities if e.type == "Person")
        # what the chunk key hashes of each entity a mention links to: its IRI, and whether it is a person
        self._hashed = {node: f"{node.value}{'P' if node in self.persons else ''}"
                        for node in self.entity_nodes.values()}
        self._walked: dict[int, str] = {}  # interview index -> digest of its linked mentions, from `head`'s walk

    @property
    def count(self) -> int:
        return len(self.kg.interviews)

    def head(self) -> Chunk:
        """The default graph's chunk (`head_parts`, the totals as triples)."""
        before, totals, after = self.head_parts()
        return None, before + totals.triples() + after

    def head_parts(self) -> tuple[list[ox.Triple], SpeakerTotals, list[ox.Triple]]:
        """The default graph in three parts: the build's provenance, the entities and their ranks; the speaker
        totals (which `kg.rdf.write` writes as text where it can); each interview's link to the build."""
        kg, iris, build = self.kg, self.iris, self.build
        generated = [ox.Triple(_n(iris.interview(iv.id)), _P["wasGeneratedBy"], build) for iv in kg.interviews]
        # each interview's quotes, found once for every figure over the corpus (`kg.rdf.totals`), and in the same
        # walk what its chunk key hashes of its mentions (`key`, asked for every interview next)
        walked = [self._walk(i) for i in range(self.count)]
        self._walked = {i: digest for i, (_, digest) in enumerate(walked)}
        quotes = [found for found, _ in walked]
        interviews = _interview_counts(quotes)
        totals = SpeakerTotals(iris, [speaker_tallies(iv, found, self.people)
                                      for iv, found in zip(kg.interviews, quotes, strict=True)])
        return (_provenance(build, kg.provenance, iris) + _entities(kg, iris, self.entity_nodes, interviews)
                + shared_ranks(kg.entities, self.entity_nodes, interviews)), totals, generated

    def interview(self, i: int) -> Chunk:
        iv = self.kg.interviews[i]
        return render_parcel(self.iris, (iv, self.by_mention, self._counted(iv.id)), self.people, self.persons)

    def _counted(self, iid: str) -> Counted:
        return tuple(sorted(self.counted.get(iid, ()), key=lambda c: c[0].value))

    def _walk(self, i: int) -> tuple[list[tuple[int, list[ox.NamedNode]]], str]:
        """Interview ``i``'s quotes (`kg.rdf.tally.quote_entities`) and a digest of its linked mentions (offsets,
        entity, whether a person), in one pass: the default graph and the chunk key both read every mention of
        every interview, and reading them twice was a fixed cost of each rebuild, however few interviews changed."""
        iv = self.kg.interviews[i]
        iid, by_mention, hashed = iv.id, self.by_mention, self._hashed
        quotes: list[tuple[int, list[ox.NamedNode]]] = []
        parts: list[str] = []
        for turn in iv.turns:
            for sent in turn.sentences:
                found: dict[ox.NamedNode, None] = {}
                for m in sent.mentions:
                    node = by_mention.get((iid, m.start, m.end))
                    if node is not None:
                        found[node] = None
                        parts.append(f"{m.start},{m.end},{hashed[node]};")
                if found:
                    quotes.append((turn.index, list(found)))
        return quotes, hashlib.sha256("".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

    def parcel(self, i: int) -> Parcel:
        """Interview ``i`` and the part of the mention -> entity map it reads: what another process needs,
        besides `people` and `persons`, to render its chunk (`render_parcel`: the bytes of `interview`)."""
        iv = self.kg.interviews[i]
        by_mention = self.by_mention
        own = {key: node for t in iv.turns for s in t.sentences for m in s.mentions
               if (node := by_mention.get(key := (iv.id, m.start, m.end))) is not None}
        return iv, own, self._counted(iv.id)

    def key(self, i: int, salt: str) -> str | None:
        """What interview ``i``'s chunk depends on, hashed: same key, same bytes (`kg.rdf.reuse`).

        The interview itself is named by its source file's bytes, path and id
        under the build's ``setup`` (kg's extraction code, models, vocabularies,
        options, not the curation file); what resolution and curation decided
        for it, by the entity each of its mentions and speakers links to.  None when the graph has no ``setup``
        (built by hand): such chunks are never reused.  Whether a mention's
        entity is a person is hashed too: the co-mention tallies count persons only.
        """

        setup = self.kg.provenance.get("setup")
        if not setup:
            return None
        iv = self.kg.interviews[i]
        mentions = self._walked.get(i) or self._walk(i)[1]
        key = f"{salt}|{setup}|{iv.checksum}|{iv.id}|{iv.source_path}|{iv.media or ''}|{mentions}"
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass"))
        for node, n in self._counted(iv.id):
            digest.update(f"count:{node.value}={n};".encode("utf-8", "surrogatepass"))
        for name in sorted({p.name for p in iv.participants} | {t.speaker for t in iv.turns if t.speaker}):
            person = self.people.get(name)
            digest.update(f"{name}={person.value if person else ''};".encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


Parcel = tuple[Interview, dict[tuple[str, int, int], ox.NamedNode], Counted]


def render_parcel(iris: Iris, parcel: Parcel, people: Mapping[str, ox.NamedNode],
                  persons: frozenset[ox.NamedNode]) -> Chunk:
    """An interview's chunk from its `Emitter.parcel` (in a worker process), or from the whole map."""
    iv, own, counted = parcel
    return iris.interview(iv.id), _interview(iris, iv, own, people, persons, counted)
