"""Linked data: ontology, SHACL shapes, deterministic serialisation in five formats, validation."""

from __future__ import annotations

import difflib
import hashlib
import json
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES, ROOT, SAMPLE, one_line_error
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.cli import main
from kg.rdf import KGI, serialise, to_rdf
from kg.rdf.validate import validate
from kg.rdf.vocab import ENTITY_CLASSES, ITSRDF, NIF, SCHEMA
from kg.rdf.write import natural_key, partition

ONTOLOGY = ROOT / "ontology"
FORMAT_FIXTURES = FIXTURES / "formats"
BASE = "https://w3id.org/kg-interviews/data/"
NS = "https://w3id.org/kg-interviews/ns#"
PROV_GENERATED = URIRef("http://www.w3.org/ns/prov#wasGeneratedBy")
RDF_FILES = ("graph.ttl", "graph.jsonld", "graph.nt", "graph.trig", "graph.nq")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "kg.ttl")


@pytest.fixture(scope="module")
def fixture_graphs() -> list[tuple[str, Graph]]:
    """Every test fixture transcript built on its own with the real models: (name, graph)."""
    from kg.pipeline import BuildConfig, build

    out = []
    for path in sorted(FORMAT_FIXTURES.iterdir()):
        kg = build([path], BuildConfig())
        out.append((path.name, to_rdf(kg, base=BASE)))
    return out


def _same_graph(a: Graph, b: Graph) -> bool:
    """Isomorphism; kg's graphs have no blank nodes, so it is plain set equality (much faster)."""
    if any(isinstance(t, BNode) for triple in a for t in triple):
        return isomorphic(a, b)
    return set(a) == set(b)


def _diff(a: Graph, b: Graph) -> str:
    _, first, second = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return (f"only in first: {sorted(first)[:5]}\nonly in second: {sorted(second)[:5]}")


def _union(path: Path, fmt: str) -> Graph:
    ds = Dataset()
    ds.parse(path, format=fmt)
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


# ----------------------------------------------------------------------------- ontology


def test_kgi_terms_match_the_ontology_both_ways(ontology: Graph) -> None:
    declared = {str(s)[len(NS):] for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}
    in_code = set(KGI.__annotations__)
    assert in_code - declared == set(), "in kg/rdf/vocab.py KGI but not declared in ontology/kg.ttl"
    assert declared - in_code == set(), "declared in ontology/kg.ttl but missing from KGI"


def test_every_kgi_term_the_project_uses_is_declared(ontology: Graph, built_sample) -> None:
    declared = {str(s) for s in ontology.subjects() if str(s).startswith(NS)}
    _, out = built_sample
    used = {str(t) for triple in Graph().parse(out / "graph.nt") for t in triple if str(t).startswith(NS)}
    used |= {str(t) for triple in Graph().parse(ONTOLOGY / "vocabulary.ttl") for t in triple
             if str(t).startswith(NS)}
    assert used - declared == set()


def test_every_term_has_english_and_french_label_and_comment(ontology: Graph) -> None:
    subjects = {s for s in ontology.subjects() if str(s).startswith(NS)}
    subjects.add(URIRef("https://w3id.org/kg-interviews/ns"))
    for term in sorted(subjects, key=str):
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in ontology.objects(term, prop) if isinstance(o, Literal)}
            assert {"en", "fr"} <= langs, f"{term} lacks an English or French {prop}"


def test_ontology_header_has_version_and_licence(ontology: Graph) -> None:
    onto = URIRef("https://w3id.org/kg-interviews/ns")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionInfo) is not None
    assert ontology.value(onto, OWL.versionIRI) is not None
    assert ontology.value(onto, URIRef("http://purl.org/dc/terms/license")) is not None


@pytest.mark.parametrize("cls, parent", [
    ("Person", SCHEMA.Person), ("Organisation", SCHEMA.Organization), ("Tool", SCHEMA.SoftwareApplication),
    ("Work", SCHEMA.CreativeWork), ("Place", SCHEMA.Place), ("Concept", SKOS.Concept),
    ("Interview", NIF.Context), ("Quote", SCHEMA.Quotation), ("Mention", NIF.Phrase), ("Note", KGI.Turn),
    ("Build", URIRef("http://www.w3.org/ns/prov#Activity")),
])
def test_kg_classes_refine_standard_ones(ontology: Graph, cls: str, parent: URIRef) -> None:
    assert (URIRef(NS + cls), RDFS.subClassOf, parent) in ontology


@pytest.mark.parametrize("prop, parent", [
    ("speaker", SCHEMA.creator), ("interviewer", KGI.participant), ("interviewee", KGI.participant),
    ("participant", SCHEMA.contributor),
])
def test_kg_properties_refine_standard_ones(ontology: Graph, prop: str, parent: URIRef) -> None:
    assert (URIRef(NS + prop), RDFS.subPropertyOf, parent) in ontology


def test_entities_carry_the_schema_type_and_the_kg_subclass() -> None:
    for kind, classes in ENTITY_CLASSES.items():
        assert classes[-1] == KGI[kind]


def test_jsonld_context_file_is_the_context_of_the_output(built_sample) -> None:
    _, out = built_sample
    shipped = json.loads((ONTOLOGY / "context.jsonld").read_text())
    written = json.loads((out / "graph.jsonld").read_text())
    assert written["@context"] == shipped["@context"]


# ----------------------------------------------------------------------------- validation


def test_barradeau_build_validates(built_barradeau) -> None:
    _, out = built_barradeau
    report = validate(out)
    assert report.conforms, report.format()


def test_every_fixture_build_validates(fixture_graphs) -> None:
    failures = [validate(g, source=name).format() for name, g in fixture_graphs if not validate(g).conforms]
    assert not failures, "\n".join(failures)


def test_fixtures_include_notes_and_turns_without_speakers(fixture_graphs) -> None:
    """The shapes must accept both (rdf-model: notes and unnamed Q/A speakers have no kgi:speaker)."""
    notes = sum(len(set(g.subjects(RDF.type, KGI.Note))) for _, g in fixture_graphs)
    silent = sum(1 for _, g in fixture_graphs for t in g.subjects(RDF.type, KGI.Turn)
                 if g.value(t, KGI.speaker) is None)
    assert notes > 0 and silent > 0


def test_cli_validate_passes_on_the_sample(built_sample, capsys) -> None:
    _, out = built_sample
    main(["validate", str(out)])
    assert capsys.readouterr().out.startswith(f"{out}: valid (")


def _broken(out: Path) -> Graph:
    g = Graph().parse(out / "graph.nt")
    mention, other = sorted(g.subjects(RDF.type, KGI.Mention), key=natural_key)[:2]
    g.set((mention, NIF.anchorOf, Literal("not what the text says")))
    g.set((other, NIF.beginIndex, Literal("7")))
    entity = g.value(mention, ITSRDF.taIdentRef)
    g.remove((entity, RDFS.label, None))
    note_or_turn = min(g.subjects(RDF.type, KGI.Turn), key=natural_key)
    g.add((note_or_turn, KGI.speaker, URIRef(BASE + "tool/not-a-person")))
    return g


def test_hand_broken_graph_fails_with_readable_messages(built_sample, tmp_path: Path, capsys) -> None:
    _, out = built_sample
    broken = tmp_path / "broken.ttl"
    _broken(out).serialize(broken, format="turtle")
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(broken)])
    assert exit_info.value.code == 1
    text = capsys.readouterr().out
    assert "violations of shapes.ttl" in text.splitlines()[0]
    assert "nif:anchorOf differs from the interview text" in text
    assert "nif:beginIndex must be one xsd:integer" in text
    assert "an entity needs an rdfs:label" in text
    assert "a turn has at most one kgi:speaker, a schema:Person" in text
    # IRIs are shortened to the corpus base and prefixes, one result per line
    assert BASE not in text and "<interview/entretien-atelier/m/" in text


def test_note_with_a_speaker_is_invalid(built_sample) -> None:
    _, out = built_sample
    full = Graph().parse(out / "graph.nt")
    turn = next(t for t in sorted(full.subjects(RDF.type, KGI.Turn), key=natural_key) if full.value(t, KGI.speaker))
    interview = full.value(turn, SCHEMA.isPartOf)
    keep = {turn, full.value(turn, KGI.speaker), interview, full.value(interview, PROV_GENERATED)}
    links = {SCHEMA.mentions, KGI.interviewer, KGI.interviewee, KGI.participant}
    g = Graph()  # a small valid graph: one turn, its speaker, interview and build
    for s, p, o in full:
        if s in keep and (p not in links or o in keep):
            g.add((s, p, o))
    assert validate(g).conforms, validate(g).format()
    g.set((turn, RDF.type, KGI.Note))
    report = validate(g)
    assert not report.conforms
    assert "a note is metadata text nobody spoke: it must not have a kgi:speaker" in report.format()


def test_unreadable_graph_is_one_line_exit_2(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    assert "bad.ttl" in one_line_error(capsys, ["validate", str(bad)])


# ----------------------------------------------------------------------------- determinism and formats


def test_two_builds_are_byte_identical(built_sample, tmp_path: Path) -> None:
    from kg.pipeline import RDF_FORMATS, BuildConfig, build, write_outputs

    _, first = built_sample
    config = BuildConfig(formats=RDF_FORMATS)  # the fixture's config
    write_outputs(build([SAMPLE], config), tmp_path, config)
    for name in RDF_FILES + ("summary.json",):
        a, b = (first / name).read_text(), (tmp_path / name).read_text()
        if a != b:
            diff = "".join(list(difflib.unified_diff(a.splitlines(True), b.splitlines(True), name, name))[:40])
            pytest.fail(f"{name} differs between two builds:\n{diff}")


def test_serialisation_does_not_depend_on_the_hash_seed(built_sample, tmp_path: Path) -> None:
    kg, out = built_sample
    (tmp_path / "kg.pickle").write_bytes(pickle.dumps(kg))
    script = (
        "import pickle, sys; from pathlib import Path; from kg.rdf.emit import chunks; "
        "from kg.rdf.write import write_chunks\n"
        "kg = pickle.loads(Path(sys.argv[1]).read_bytes()); fs = ('ttl', 'jsonld', 'nt', 'trig', 'nq')\n"
        "sinks = {f: open(Path(sys.argv[2], 'graph.' + f), 'wb') for f in fs}\n"
        "write_chunks(chunks(kg, base=sys.argv[3]), sinks, base=sys.argv[3])\n"
        "[s.close() for s in sinks.values()]\n"
    )
    for seed in ("4242",):
        subprocess.run([sys.executable, "-c", script, str(tmp_path / "kg.pickle"), str(tmp_path), BASE],
                       check=True, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}, timeout=60, cwd=ROOT)
        for name in RDF_FILES:
            assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), f"{name} with PYTHONHASHSEED={seed}"


def test_turtle_jsonld_ntriples_trig_nquads_are_isomorphic(built_sample) -> None:
    _, out = built_sample
    reference = Graph().parse(out / "graph.nt", format="nt")
    for name, fmt in (("graph.ttl", "turtle"), ("graph.jsonld", "json-ld")):
        other = Graph().parse(out / name, format=fmt)
        assert _same_graph(reference, other), f"{name}:\n{_diff(reference, other)}"
    for name, fmt in (("graph.trig", "trig"), ("graph.nq", "nquads")):
        other = _union(out / name, fmt)
        assert _same_graph(reference, other), f"{name}:\n{_diff(reference, other)}"


def test_every_format_parses_with_oxigraph(built_sample) -> None:
    import pyoxigraph as ox

    _, out = built_sample
    expected = {str(t) for t in ox.parse(path=str(out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)}
    for name in RDF_FILES:
        fmt = ox.RdfFormat.from_extension(name.rsplit(".", 1)[1])
        quads = list(ox.parse(path=str(out / name), format=fmt))
        triples = {str(ox.Triple(q.subject, q.predicate, q.object)) for q in quads}
        assert triples == expected, name
        if name in ("graph.trig", "graph.nq"):
            assert {str(q.graph_name) for q in quads} == {str(ox.DefaultGraph()),
                                                          f"<{BASE}interview/entretien-atelier>"}


def test_one_named_graph_per_interview(built_sample) -> None:
    _, out = built_sample
    ds = Dataset()
    ds.parse(out / "graph.nq", format="nquads")
    interview = URIRef(BASE + "interview/entretien-atelier")
    named = ds.graph(interview)
    assert (interview, NIF.isString, None) in named
    assert all(str(s).startswith(str(interview)) for s in named.subjects())
    # the tallies are the interview's: in its graph, none in the default one
    tallies = set(named.subjects(RDF.type, KGI.SpeakerTally)) | set(named.subjects(RDF.type, KGI.CoMentionTally))
    assert tallies and all(str(t).startswith(str(interview) + "/") for t in tallies)
    default = ds.default_context
    assert not set(default.subjects(KGI.interview, None))
    assert (URIRef(BASE + "person/ines-marchand"), RDF.type, SCHEMA.Person) in default


def test_partition_keeps_prefix_sharing_ids_apart() -> None:
    g = Graph()
    for iid in ("a", "a-2"):
        g.add((URIRef(BASE + f"interview/{iid}"), RDF.type, KGI.Interview))
        g.add((URIRef(BASE + f"interview/{iid}/turn/1"), RDF.type, KGI.Turn))
    parts = {str(name): part for name, part in partition(g)}
    assert set(map(str, parts[BASE + "interview/a"].subjects())) == {BASE + "interview/a", BASE + "interview/a/turn/1"}


def test_turtle_lists_nodes_in_document_order(built_sample) -> None:
    _, out = built_sample
    text = (out / "graph.ttl").read_text()
    assert text.startswith(f"@base <{BASE}> .")
    subjects = [line.split(" ", 1)[0].strip("<>") for line in text.splitlines() if line.startswith("<")]
    # shared nodes (entities, the build, then each interview's link to the build) first, then the interview,
    # its turns, each quote then its mentions
    links = [s for s in subjects if re.fullmatch(r"interview/[^/]+", s)][:-1]
    assert links == ["interview/entretien-atelier"]
    assert "<interview/entretien-atelier> prov:wasGeneratedBy <build/" in text
    shared = [s for s in subjects if not s.startswith("interview/")]
    own = subjects[len(shared) + len(links):]
    assert subjects == shared + links + own and own[0] == "interview/entretien-atelier"
    assert len(own) == len(set(own)) and len(shared) == len(set(shared)), "a subject's triples are not written together"
    turns = [s for s in own if re.fullmatch(r"interview/entretien-atelier/turn/\d+", s)]
    assert turns == sorted(turns, key=natural_key) and len(turns) > 10
    previous = ""
    for s in own[1:]:
        if "/m/" in s:
            assert "/s/" in previous, f"mention {s} does not follow a quote"
        elif "/s/" in s:
            assert s.startswith(previous.rsplit("/s/", 1)[0]), f"quote {s} is not under the turn before it"
            previous = s
        else:
            previous = s


def test_multiline_literals_survive_trig(built_sample) -> None:
    kg, out = built_sample
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    text = next(o for _, _, o, _ in ds.quads((None, NIF.isString, None, None)))
    assert str(text) == kg.interviews[0].text


# ----------------------------------------------------------------------------- published figures and keys


def _model_figures(kg) -> tuple[dict[str, tuple[int, int, int]], dict[str, int]]:
    """From the model alone: interview id -> (mentions, quotes, entities) linked to an entity;
    entity id -> interviews."""
    owner = {(r.interview, r.mention.start, r.mention.end): e.id for e in kg.entities for r in e.mentions}
    per_interview: dict[str, tuple[int, int, int]] = {}
    interviews: dict[str, int] = {}
    for iv in kg.interviews:
        spans, quotes, entities = set(), 0, set()
        for turn in iv.turns:
            for sent in turn.sentences:
                linked = [m for m in sent.mentions if (iv.id, m.start, m.end) in owner]
                quotes += bool(linked)
                spans |= {(m.start, m.end) for m in linked}
                entities |= {owner[(iv.id, m.start, m.end)] for m in linked}
        per_interview[iv.id] = (len(spans), quotes, len(entities))
        for e in entities:
            interviews[e] = interviews.get(e, 0) + 1
    return per_interview, interviews


def _integer(g: Graph, node: Any, prop: URIRef) -> int:
    values = list(g.objects(node, prop))
    assert len(values) == 1, (node, prop, values)
    value = values[0]
    assert isinstance(value, Literal) and value.datatype == URIRef("http://www.w3.org/2001/XMLSchema#integer")
    return int(value)


def test_interviews_publish_their_mention_quote_and_entity_counts(built_sample) -> None:
    kg, out = built_sample
    g = Graph().parse(out / "graph.nt")
    per_interview, _ = _model_figures(kg)
    for iv in kg.interviews:
        node = URIRef(BASE + f"interview/{iv.id}")
        mentions, quotes, entities = per_interview[iv.id]
        assert mentions > 10 and quotes > 10 and entities > 10
        assert _integer(g, node, KGI.mentionCount) == mentions
        assert _integer(g, node, KGI.quoteCount) == quotes
        assert _integer(g, node, KGI.entityCount) == entities
        # and they are what a query counting the graph itself would say
        assert mentions == len({m for m in g.subjects(NIF.referenceContext, node) if (m, RDF.type, KGI.Mention) in g})
        assert quotes == len({q for q in g.subjects(NIF.referenceContext, node)
                              if (q, RDF.type, SCHEMA.Quotation) in g})
        assert entities == len(set(g.objects(node, SCHEMA.mentions)))


def _model_tallies(kg) -> tuple[dict[tuple[str, str, str], int], dict[tuple[str, str, str], int]]:
    """From the model alone, by entity id: (interview, speaker, entity) -> the speaker's quotes mentioning the entity;
    (interview, entity, person) -> the turns mentioning both, the person a Person other than the entity."""
    owner = {(r.interview, r.mention.start, r.mention.end): e for e in kg.entities for r in e.mentions}
    speaker_of = {e.label: e.id for e in kg.entities if e.type == "Person"}
    said: dict[tuple[str, str, str], int] = {}
    together: dict[tuple[str, str, str], int] = {}
    for iv in kg.interviews:
        for turn in iv.turns:
            in_turn = set()
            for sent in turn.sentences:
                named = {owner[(iv.id, m.start, m.end)] for m in sent.mentions if (iv.id, m.start, m.end) in owner}
                in_turn |= named
                if turn.speaker in speaker_of:
                    for e in named:
                        key = (iv.id, speaker_of[turn.speaker], e.id)
                        said[key] = said.get(key, 0) + 1
            for e in in_turn:
                for p in in_turn:
                    if p.type == "Person" and p.id != e.id:
                        together[(iv.id, e.id, p.id)] = together.get((iv.id, e.id, p.id), 0) + 1
    return said, together


def _graph_tallies(g: Graph, cls: URIRef, first: URIRef, second: URIRef,
                   count: URIRef) -> dict[tuple[str, str, str], int]:
    out = {}
    for t in g.subjects(RDF.type, cls):
        iv = g.value(t, KGI.interview)
        key = (str(g.value(iv, SCHEMA.identifier)), str(g.value(t, first))[len(BASE):],
               str(g.value(t, second))[len(BASE):])
        assert key not in out, f"two tallies for {key}"
        out[key] = _integer(g, t, count)
        assert str(t).startswith(str(iv) + "/"), "a tally's IRI lies under its interview's"
    return out


def test_interviews_publish_speaker_and_co_mention_tallies(built_sample) -> None:
    kg, out = built_sample
    g = Graph().parse(out / "graph.nt")
    said, together = _model_tallies(kg)
    assert len(said) > 20 and len(together) > 20 and max(said.values()) > 1 and max(together.values()) > 1
    assert _graph_tallies(g, KGI.SpeakerTally, KGI.tallySpeaker, KGI.mentionedEntity, KGI.quoteTally) == said
    assert _graph_tallies(g, KGI.CoMentionTally, KGI.entity, KGI.coMentionedPerson, KGI.turnTally) == together
    # what the old queries counted over quotes: a speaker's quotes naming TouchDesigner, turns naming both
    ines, td = URIRef(BASE + "person/ines-marchand"), URIRef(BASE + "tool/touchdesigner")
    quotes = {q for q in g.subjects(SCHEMA.creator, ines) if (q, SCHEMA.mentions, td) in g}
    assert said[("entretien-atelier", "person/ines-marchand", "tool/touchdesigner")] == len(quotes) > 1


def test_each_interview_links_the_quotes_of_each_entity_it_quotes(built_sample) -> None:
    """kgi:EntityQuotes, against the quotes' own schema:mentions: one node per interview and entity, each of the
    interview's quotes that mention the entity linked once, none other (quotes-mentioning reads its pages here)."""
    _, out = built_sample
    g = Graph().parse(out / "graph.nt")
    expected: dict[tuple[str, str], set[str]] = {}
    for q in g.subjects(RDF.type, KGI.Quote):
        for e in g.objects(q, SCHEMA.mentions):
            expected.setdefault((str(g.value(q, NIF.referenceContext)), str(e)), set()).add(str(q))
    linked: dict[tuple[str, str], set[str]] = {}
    for node in g.subjects(RDF.type, KGI.EntityQuotes):
        iv, entity = g.value(node, KGI.interview), g.value(node, KGI.quotedEntity)
        key = (str(iv), str(entity))
        assert key not in linked, f"two nodes for {key}"
        assert str(node) == f"{iv}/entity-quotes/{str(entity)[len(BASE):].replace('/', '.')}"
        quotes = [str(q) for q in g.objects(node, KGI.entityQuote)]
        linked[key] = set(quotes)
        assert len(quotes) == len(linked[key])
    assert len(expected) > 20 and max(len(qs) for qs in expected.values()) > 1
    assert linked == expected


def test_the_shapes_refuse_entity_quotes_that_miss_a_quote_or_link_a_foreign_one(built_sample) -> None:
    _, out = built_sample
    g = Graph().parse(out / "graph.nt")
    nodes = sorted(g.subjects(RDF.type, KGI.EntityQuotes), key=str)
    missed = g.value(nodes[0], KGI.entityQuote)
    g.remove((nodes[0], KGI.entityQuote, missed))
    entity = g.value(nodes[1], KGI.quotedEntity)
    foreign = next(q for q in g.subjects(RDF.type, KGI.Quote) if (q, SCHEMA.mentions, entity) not in g)
    g.add((nodes[1], KGI.entityQuote, foreign))
    report = validate(g)
    assert not report.conforms
    text = report.format()
    unlinked = f"a quote's entity has no kgi:EntityQuotes in the interview that links the quote: <{missed}>"
    assert unlinked.replace(BASE, "") in text
    assert "a kgi:EntityQuotes links a quote that is not of its interview or does not mention its entity" in text


def test_tallies_change_with_the_type_of_an_entity(built_sample) -> None:
    """The co-mention tallies count persons only: a person retyped under the same IRI changes the chunk and its key,
    so an incremental build does not reuse stale bytes."""
    from dataclasses import replace

    from kg.model import KnowledgeGraph
    from kg.rdf.emit import Emitter

    kg, _ = built_sample
    speakers = {t.speaker for iv in kg.interviews for t in iv.turns}
    person = next(e for e in kg.entities if e.type == "Person" and e.label not in speakers and e.mentions)
    retyped = KnowledgeGraph(kg.interviews,
                             tuple(replace(e, type="Concept") if e is person else e for e in kg.entities),
                             {**kg.provenance, "setup": "fixed"})
    before = Emitter(KnowledgeGraph(kg.interviews, kg.entities, {**kg.provenance, "setup": "fixed"}), base=BASE)
    after = Emitter(retyped, base=BASE)
    assert before.key(0, "salt") != after.key(0, "salt")
    tallied = [{t.subject.value for t in e.interview(0)[1]  # type: ignore[union-attr]
                if "co-mention-tally/" in t.subject.value} for e in (before, after)]  # type: ignore[union-attr]
    gone = tallied[0] - tallied[1]
    assert gone and all(s.endswith("/" + person.id.replace("/", ".")) for s in gone)


def test_entities_publish_their_interview_count_and_folded_labels(built_sample) -> None:
    from kg.text import fold

    kg, out = built_sample
    g = Graph().parse(out / "graph.nt")
    _, interviews = _model_figures(kg)
    accented = 0
    for e in kg.entities:
        node = URIRef(BASE + e.id)
        assert (_integer(g, node, KGI.interviewCount) == len({r.interview for r in e.mentions})
                == interviews.get(e.id, 0))
        assert _integer(g, node, KGI.interviewCount) == len(set(g.subjects(SCHEMA.mentions, node)) & set(
            g.subjects(RDF.type, KGI.Interview)))
        hidden = list(g.objects(node, SKOS.hiddenLabel))
        assert sorted(map(str, hidden)) == sorted({fold(x) for x in (e.label, *e.alt_labels)})
        assert all(isinstance(h, Literal) and h.language is None and h.datatype is None
                   for h in hidden), "hidden labels are plain strings"
        accented += any(str(h) != x for h in hidden for x in (e.label, *e.alt_labels) if fold(x) == str(h))
    assert accented > 5  # "Inès Marchand" -> "ines marchand", "Régnier", ...
    assert (URIRef(BASE + "person/ines-marchand"), SKOS.hiddenLabel, Literal("ines marchand")) in g


def test_hidden_labels_are_in_a_fixed_order(built_sample) -> None:
    """label first, then alt labels in the model's order, each fold once: same input, same bytes."""
    from kg.rdf.emit import chunks
    from kg.text import fold

    kg, _ = built_sample
    _, default = next(chunks(kg, base=BASE))
    hidden = "http://www.w3.org/2004/02/skos/core#hiddenLabel"
    for e in kg.entities:
        written = [t.object.value for t in default  # type: ignore[union-attr]
                   if t.subject.value == BASE + e.id and t.predicate.value == hidden]  # type: ignore[union-attr]
        assert written == list(dict.fromkeys(fold(x) for x in (e.label, *e.alt_labels)))


# ----------------------------------------------------------------------------- IRIs and provenance


@pytest.mark.parametrize("a, b, same", [
    ("Élodie Dupré", "Elodie Dupre", True), ("Zoë", "zoe", True), ("C++", "c++", True), ("C", "C++", False),
    ("C++", "C#", False), ("AT&T", "AT-T", False), ("R&D", "RD", False),
])
def test_entity_slugs_are_collision_safe(a: str, b: str, same: bool) -> None:
    """Names that resolution treats as one key share a slug; names slugify would merge do not."""
    from kg.resolve import safe_slug

    assert (safe_slug(a) == safe_slug(b)) is same
    assert safe_slug(a).isascii() and safe_slug(a) == safe_slug(a)


def test_iris_come_from_ids_not_counters(built_sample) -> None:
    kg, out = built_sample
    g = Graph().parse(out / "graph.nt")
    for e in kg.entities:
        assert (URIRef(BASE + e.id), SCHEMA.name, Literal(e.label)) in g
    for m in g.subjects(RDF.type, KGI.Mention):
        begin, end = int(str(g.value(m, NIF.beginIndex))), int(str(g.value(m, NIF.endIndex)))
        assert str(m).endswith(f"/m/{begin}-{end}")


def test_provenance_records_version_model_checksum_and_time(built_sample) -> None:
    from kg import __version__

    kg, out = built_sample
    g = Graph().parse(out / "graph.nt")
    prov = URIRef("http://www.w3.org/ns/prov#")
    build = next(g.subjects(RDF.type, KGI.Build))
    assert str(g.value(build, KGI.kgVersion)) == __version__
    assert str(g.value(build, KGI.model)).startswith("spacy:")
    assert g.value(build, KGI.modelVersion) is not None
    started = g.value(build, URIRef(str(prov) + "startedAtTime"))
    assert isinstance(started, Literal) and started.toPython().isoformat().startswith(
        kg.provenance["time"][:19])
    interview = next(g.subjects(RDF.type, KGI.Interview))
    assert (interview, URIRef(str(prov) + "wasGeneratedBy"), build) in g
    assert any(g.subjects(RDF.type, KGI.Mention))
    assert set(g.subjects(PROV_GENERATED, None)) == {interview}, "only interviews link to the build (not mentions)"
    digest = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert str(g.value(interview, KGI.sourceChecksum)) == f"sha256:{digest}"


def test_interviews_link_to_the_build_from_the_default_graph(built_sample) -> None:
    """An interview's named graph holds nothing that depends on other interviews: its link to the build
    (whose IRI hashes every input) is provenance about the named graph, in the default graph."""
    import pyoxigraph as ox

    _, out = built_sample
    interview = f"<{BASE}interview/entretien-atelier>"
    for name in ("graph.nq", "graph.trig"):
        quads = [q for q in ox.parse(path=str(out / name), format=ox.RdfFormat.from_extension(name.rsplit(".", 1)[1]))
                 if q.predicate.value == str(PROV_GENERATED)]
        assert [(str(q.subject), str(q.graph_name)) for q in quads] == [(interview, str(ox.DefaultGraph()))], name
        assert quads[0].object.value.startswith(BASE + "build/")


def test_interview_chunks_do_not_depend_on_the_build(built_sample) -> None:
    from dataclasses import replace

    from kg.rdf.emit import chunks

    kg, _ = built_sample
    other = replace(kg, provenance={**kg.provenance, "build_id": "0123456789abcdef", "time": "2001-01-01T00:00:00Z"})
    first, second = list(chunks(kg, base=BASE)), list(chunks(other, base=BASE))
    assert first[0] != second[0]
    assert [(n, list(map(str, t))) for n, t in first[1:]] == [(n, list(map(str, t))) for n, t in second[1:]]


def test_scorer_reads_what_it_needs(built_sample) -> None:
    """shared/tools/score_entities.py reads schema.org types, schema:mentions, taIdentRef, nif:isString."""
    _, out = built_sample
    g = Graph().parse(out / "graph.nt")
    assert any(g.subjects(NIF.isString, None))
    for entity in set(g.objects(None, ITSRDF.taIdentRef)) | set(g.objects(None, SCHEMA.mentions)):
        assert any(str(t).startswith(("https://schema.org/", str(SKOS))) for t in g.objects(entity, RDF.type)), entity


def test_serialise_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown RDF format"):
        serialise(Graph(), "xml")


# ----------------------------------------------------------------------------- large graphs (Oxigraph writer)


def test_rdflib_graphs_are_written_as_builds_write_them(built_sample) -> None:
    """CONSTRUCT results and graphs read back go through `serialise_all`: same triples as the build's files."""
    import pyoxigraph as ox

    from kg.rdf import write

    kg, out = built_sample
    written = write.serialise_all(to_rdf(kg, base=BASE), write.FORMATS)
    assert written == write.serialise_all(to_rdf(kg, base=BASE), write.FORMATS), "not deterministic"
    assert written["ttl"].startswith(b"@base <" + BASE.encode() + b"> .\n@prefix ")
    for fmt in write.FORMATS:
        ox_fmt = ox.RdfFormat.from_extension(fmt)
        quads = [set(ox.parse(data, format=ox_fmt)) for data in (written[fmt], (out / f"graph.{fmt}").read_bytes())]
        assert quads[0] == quads[1], fmt
    triples = [{str(ox.Triple(q.subject, q.predicate, q.object)) for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)}
               for data in (written["nq"], (out / "graph.nq").read_bytes())]
    assert triples[0] == triples[1]


def test_partition_keeps_the_build_link_in_the_default_graph(built_sample) -> None:
    kg, _ = built_sample
    parts = dict(partition(to_rdf(kg, base=BASE)))
    interview = URIRef(BASE + "interview/entretien-atelier")
    assert (interview, PROV_GENERATED, None) in parts[None]
    assert (interview, PROV_GENERATED, None) not in parts[interview]
