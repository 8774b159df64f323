"""kg export: each format read back by the library its users' tools use (#22).

The sample is built once per session (`built_sample`); the exports here read
a copy of its folder, so that writing beside the graph touches no other test's
build.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from helpers import SAMPLE, one_line_error, snapshot

from kg.export import ExportOptions, export
from kg.export.network import SEPARATOR, edges_csv, nodes_csv
from kg.export.webannotation import MediaFragment, collection, document_loader
from kg.model import KnowledgeGraph
from kg.rdf.read import load_graph

OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"


@pytest.fixture(scope="module")
def build(built_sample: tuple[KnowledgeGraph, Path], tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[KnowledgeGraph, Path]:
    """The built sample and a copy of its output folder."""
    kg, out = built_sample
    folder = tmp_path_factory.mktemp("export") / "build"
    shutil.copytree(out, folder)
    return kg, folder


@pytest.fixture(scope="module")
def rdf(build: tuple[KnowledgeGraph, Path]) -> Any:
    return load_graph(build[1])


def co_mentions(kg: KnowledgeGraph) -> dict[tuple[str, str], tuple[int, set[str]]]:
    """Sentences naming two entities, and the interviews they are in, counted from the model itself."""
    entity_of = {(r.interview, r.mention.start, r.mention.end): e.id for e in kg.entities for r in e.mentions}
    weights: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], set[str]] = {}
    for iv in kg.interviews:
        for turn in iv.turns:
            for sent in turn.sentences:
                named = sorted({eid for m in sent.mentions if (eid := entity_of.get((iv.id, m.start, m.end)))})
                for i, a in enumerate(named):
                    for b in named[i + 1:]:
                        weights[(a, b)] += 1
                        where.setdefault((a, b), set()).add(iv.id)
    return {pair: (w, where[pair]) for pair, w in weights.items()}


@pytest.mark.parametrize("fmt,read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_reads_back_with_the_same_nodes_and_edges(build: tuple[KnowledgeGraph, Path], tmp_path: Path,
                                                          fmt: str, read: Any) -> None:
    kg, folder = build
    (path,) = export(folder, fmt, out=tmp_path / f"net.{fmt}")
    g = read(path)
    assert set(g.nodes) == {e.id for e in kg.entities}
    for e in kg.entities:
        node = g.nodes[e.id]
        assert (node["label"], node["type"]) == (e.label, e.type)
        assert set(filter(None, node["aliases"].split(SEPARATOR))) == set(e.alt_labels) - {e.label}
        assert int(node["interviews"]) == len(e.interviews)
        assert node["iri"].endswith("/" + e.id)
    expected = co_mentions(kg)
    assert expected, "the sample names entities together"
    found = {tuple(sorted((a, b))): d for a, b, d in g.edges(data=True)}
    assert set(found) == set(expected)
    for pair, (weight, interviews) in expected.items():
        assert float(found[pair]["weight"]) == weight
        assert set(found[pair]["interview_ids"].split(SEPARATOR)) == interviews


def test_min_co_mentions_leaves_out_weaker_edges(build: tuple[KnowledgeGraph, Path], tmp_path: Path) -> None:
    kg, folder = build
    (path,) = export(folder, "graphml", out=tmp_path, options=ExportOptions(min_co_mentions=2))
    assert path == tmp_path / "entities.graphml"
    g = nx.read_graphml(path)
    assert {tuple(sorted(e)) for e in g.edges} == {p for p, (w, _) in co_mentions(kg).items() if w >= 2}
    assert g.number_of_nodes() == len(kg.entities)


def test_edges_say_which_interviews_they_come_from() -> None:
    from kg.export.network import entity_network
    from kg.page.data import EntityInfo, GraphData, InterviewInfo, Quote, Span

    def quote(iv: str, start: int, *ids: str) -> Quote:
        return Quote(iv, start, "x" * 40, None, tuple(Span(e, 2 * i, 2 * i + 1) for i, e in enumerate(ids)))

    data = GraphData("two", (InterviewInfo("a", "A"), InterviewInfo("b", "B")),
                     (EntityInfo("place/lyon", "Place", "Lyon", ("Lyons",)), EntityInfo("tool/p5", "Tool", "p5.js"),
                      EntityInfo("work/x", "Work", "X")),
                     (quote("a", 0, "tool/p5", "place/lyon"), quote("a", 50, "tool/p5", "place/lyon", "work/x"),
                      quote("b", 0, "place/lyon", "tool/p5"), quote("b", 60, "work/x")))
    g = entity_network(data, base="https://example.org/")
    assert g.edges["place/lyon", "tool/p5"] == {"weight": 3, "interviews": 2, "interview_ids": "a|b"}
    assert g.edges["tool/p5", "work/x"] == {"weight": 1, "interviews": 1, "interview_ids": "a"}
    assert g.nodes["work/x"]["interviews"] == 2 and g.nodes["work/x"]["mentions"] == 2
    assert g.nodes["place/lyon"]["aliases"] == "Lyons" and g.nodes["place/lyon"]["iri"] == "https://example.org/place/lyon"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv", "webannotation"])
def test_the_same_build_gives_the_same_bytes(build: tuple[KnowledgeGraph, Path], tmp_path: Path, fmt: str) -> None:
    kg, folder = build
    paths = export(folder, fmt, out=f"{tmp_path / 'one'}/")  # a trailing slash: a folder, default names
    again = export(folder, fmt, out=f"{tmp_path / 'two'}/")
    assert [p.name for p in paths] == [p.name for p in again] == [p.name for p in export(folder, fmt, out=tmp_path)]
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
    if fmt == "gexf":  # networkx would write today's date: the build's is written instead
        assert f'lastmodifieddate="{kg.provenance["time"][:10]}"'.encode() in paths[0].read_bytes()


def test_csv_round_trips_through_the_csv_module(build: tuple[KnowledgeGraph, Path], tmp_path: Path) -> None:
    kg, folder = build
    paths = export(folder, "csv", out=tmp_path / "palladio")
    assert [p.name for p in paths] == ["nodes.csv", "edges.csv"]
    with paths[0].open(encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with paths[1].open(encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert {r["Id"]: (r["Label"], r["Type"]) for r in nodes} == {e.id: (e.label, e.type) for e in kg.entities}
    expected = co_mentions(kg)
    assert {(r["Source"], r["Target"]): int(r["Weight"]) for r in edges} == {p: w for p, (w, _) in expected.items()}
    labels = {e.id: e.label for e in kg.entities}
    assert all(r["SourceLabel"] == labels[r["Source"]] and r["TargetLabel"] == labels[r["Target"]] for r in edges)


def test_csv_quotes_what_needs_quoting() -> None:
    g = nx.Graph()
    awkward = 'Atelier "Sillage", Lyon\nsecond line'
    for node, label in [("org/a", awkward), ("place/b", "Montréal")]:
        g.add_node(node, label=label, type="Organisation", mentions=2, interviews=1, aliases="A|B",
                   interview_ids="itw", iri="https://example.org/" + node)
    g.add_edge("org/a", "place/b", weight=3, interviews=1, interview_ids="itw")
    nodes = list(csv.reader(io.StringIO(nodes_csv(g).decode("utf-8"), newline="")))
    edges = list(csv.reader(io.StringIO(edges_csv(g).decode("utf-8"), newline="")))
    assert nodes[0][:2] == ["Id", "Label"] and edges[0][:3] == ["Source", "Target", "SourceLabel"]
    assert [row[1] for row in nodes[1:]] == [awkward, "Montréal"]
    assert edges[1][:5] == ["org/a", "place/b", awkward, "Montréal", "3"]


def offline_triples(document: dict[str, Any], base: str = "file:///corpus/annotations.jsonld") -> Any:
    """The annotations as RDF, through pyld with the shipped context and nothing fetched, then rdflib.

    ``base``: where the document lies, which relative IRIs resolve against.
    """
    from pyld import jsonld
    from rdflib import Graph

    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": document_loader(),
                                      "base": base})
    return Graph().parse(data=nquads, format="nquads")


def selectors(g: Any) -> list[dict[str, Any]]:
    """Each annotation's text target, read from the triples by the W3C vocabulary's IRIs.

    Walked with rdflib's triple lookups: its SPARQL engine joins these patterns slowly.
    """
    from rdflib import RDF, Namespace

    oa = Namespace(OA)
    rows = []
    for anno in g.subjects(RDF.type, oa.Annotation):
        assert (anno, oa.motivatedBy, oa.identifying) in g
        (body,) = g.objects(anno, oa.hasBody)
        for target in g.objects(anno, oa.hasTarget):
            kinds = {g.value(s, RDF.type): s for s in g.objects(target, oa.hasSelector)}
            q, p = kinds.get(oa.TextQuoteSelector), kinds.get(oa.TextPositionSelector)
            if q is None or p is None:
                continue
            rows.append({"anno": anno, "body": body, "source": g.value(target, oa.hasSource),
                         **{k: g.value(q, oa[k]).toPython() for k in ("exact", "prefix", "suffix")},
                         **{k: g.value(p, oa[k]).toPython() for k in ("start", "end")}})
    return rows


def test_web_annotations_select_the_transcripts_own_characters(build: tuple[KnowledgeGraph, Path],
                                                               rdf: Any) -> None:
    kg, folder = build
    (path,) = export(folder, "webannotation")
    assert path == folder / "annotations.jsonld"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    found = selectors(offline_triples(document))
    mentions = {(r.interview, r.mention.start, r.mention.end): e.id for e in kg.entities for r in e.mentions}
    assert len(found) == len(mentions) == document["total"] > 0
    (iv,) = kg.interviews
    transcript = unicodedata.normalize("NFC", SAMPLE.read_text(encoding="utf-8"))
    from rdflib.namespace import SKOS

    entity_iris = {str(s) for s in rdf.subjects(SKOS.prefLabel, None)}
    for row in found:
        start, end = int(row["start"]), int(row["end"])
        assert row["exact"] == transcript[start:end] == iv.text[start:end]
        assert iv.text[start - len(row["prefix"]):start] == row["prefix"]
        assert iv.text[end:end + len(row["suffix"])] == row["suffix"]
        assert str(row["source"]).endswith("interview/" + iv.id)
        assert str(row["body"]).endswith("/" + mentions[(iv.id, start, end)]) and str(row["body"]) in entity_iris


def test_a_media_fragment_becomes_a_second_target(rdf: Any) -> None:
    from rdflib import DCTERMS, RDF, Namespace, URIRef

    def heard(interview: str, start: int, end: int) -> MediaFragment | None:
        return MediaFragment(f"{interview}.m4a", start / 10, end / 10) if start % 2 == 0 else None

    document = collection(rdf, source_base="https://example.org/corpus/", media=heard)
    items = document["first"]["items"]
    timed = [a for a in items if isinstance(a["target"], list)]
    assert timed and len(timed) < len(items)
    g = offline_triples(document)
    oa = Namespace(OA)
    texts = {row["anno"]: row for row in selectors(g)}
    assert {str(r["source"]) for r in texts.values()} == {"https://example.org/corpus/entretien-atelier.md"}
    seen = {}
    for f in g.subjects(RDF.type, oa.FragmentSelector):
        assert (f, DCTERMS.conformsTo, URIRef("http://www.w3.org/TR/media-frags/")) in g
        (m,) = g.subjects(oa.hasSelector, f)
        (anno,) = g.subjects(oa.hasTarget, m)
        text = texts[anno]
        seen[anno] = (str(g.value(m, oa.hasSource)), str(g.value(f, RDF.value)), text["start"], text["end"])
    assert len(seen) == len(timed)
    for media, value, start, end in seen.values():
        # a relative media IRI: the recording beside the annotations file
        assert media == "file:///corpus/entretien-atelier.m4a" and start % 2 == 0
        assert [float(x) for x in value.removeprefix("t=").split(",")] == [start / 10, end / 10]


def test_the_collection_is_one_page_of_every_annotation(rdf: Any) -> None:
    from rdflib import RDF, Namespace
    from rdflib.collection import Collection

    oa, as_ = Namespace(OA), Namespace(AS)
    g = offline_triples(collection(rdf))
    (whole,) = g.subjects(RDF.type, as_.OrderedCollection)
    page = g.value(whole, as_.first)
    assert (page, RDF.type, as_.OrderedCollectionPage) in g and (page, as_.partOf, whole) in g
    items = list(Collection(g, g.value(page, as_.items)))
    assert len(items) == int(g.value(whole, as_.totalItems).toPython()) > 0
    assert set(items) == set(g.subjects(RDF.type, oa.Annotation))


def test_an_unknown_format_is_one_line_and_writes_nothing(build: tuple[KnowledgeGraph, Path],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = build[1]
    before = snapshot(folder)
    err = one_line_error(capsys, ["export", str(folder), "--to", "pajek"])
    assert "pajek" in err and "graphml, gexf, csv, webannotation" in err
    assert snapshot(folder) == before


def test_a_folder_that_is_not_a_build_is_one_line_and_writes_nothing(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("not a graph", encoding="utf-8")
    err = one_line_error(capsys, ["export", str(tmp_path), "--to", "gexf", "--out", str(tmp_path / "out")])
    assert str(tmp_path) in err and "kg build" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_an_rdf_graph_without_interviews_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "graph.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    err = one_line_error(capsys, ["export", str(tmp_path), "--to", "csv"])
    assert "no kg interviews" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_the_command_writes_beside_the_build(build: tuple[KnowledgeGraph, Path],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    folder = build[1]
    main(["export", str(folder), "--to", "csv"])
    out = capsys.readouterr().out
    assert str(folder / "nodes.csv") in out and str(folder / "edges.csv") in out
    assert not list(folder.glob(".*.tmp"))


def test_doctests() -> None:
    import doctest

    import kg.export.webannotation

    assert doctest.testmod(kg.export.webannotation).failed == 0
