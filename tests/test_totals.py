"""The speaker totals written as text: the bytes Oxigraph writes of their triples, or Oxigraph's own."""

from __future__ import annotations

import dataclasses
import io

import pytest
from consent_corpus import fabricate

from kg.model import KnowledgeGraph
from kg.rdf.emit import Emitter
from kg.rdf.write import FORMATS, RdfWriter

BASE = "https://w3id.org/kg-interviews/data/"


def corpus(ids: dict[str, str] | None = None) -> KnowledgeGraph:
    """Three interviews where two speakers name each other and a third person; ``ids`` renames entities."""
    said = [("Nicolas Barradeau", [[("Avec ", None), ("Alexia Mathieu", "Alexia Mathieu"), (" et ", None),
                                    ("Ines Marchand", "Ines Marchand"), (".", None)]]),
            ("Ines Marchand", [[("Je connais ", None), ("Nicolas Barradeau", "Nicolas Barradeau"), (".", None)],
                               [("Et ", None), ("Alexia Mathieu", "Alexia Mathieu"), (" aussi.", None)]])]
    graph = fabricate([(f"itw-{i}", said[: 1 + i % 2]) for i in range(3)],
                      speakers=[("Nicolas Barradeau", "Nicolas"), ("Ines Marchand", "Ines")])
    if ids:
        graph = KnowledgeGraph(graph.interviews, tuple(dataclasses.replace(e, id=ids.get(e.id, e.id))
                                                       for e in graph.entities), graph.provenance)
    return graph


def heads(graph: KnowledgeGraph, formats: tuple[str, ...], base: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The default graph by `RdfWriter.render_head`, and by `RdfWriter.render` of all its triples."""
    writer = RdfWriter({fmt: io.BytesIO() for fmt in formats}, base)
    emitter = Emitter(graph, base=base)
    return writer.render_head(*emitter.head_parts()), writer.render(*emitter.head())


@pytest.mark.parametrize("formats", [("ttl",), ("nt",), ("trig", "nq"), tuple(FORMATS)])
def test_the_totals_written_as_text_are_the_bytes_oxigraph_writes(formats: tuple[str, ...]) -> None:
    fast, slow = heads(corpus(), formats, BASE)
    assert fast == slow
    assert b"speaker-total/person." in fast[formats[0]]


@pytest.mark.parametrize("kind", ["ttl", "nt"])
def test_plain_ids_take_the_text_path(kind: str) -> None:
    """Else the test above would pass by the fallback alone."""
    _, totals, _ = Emitter(corpus(), base=BASE).head_parts()
    assert totals and totals.text(kind, BASE) is not None


@pytest.mark.parametrize("odd", ["person/ines:marchand", "person/inès-marchand", "person/./ines", "person/ines?m",
                                 "person/ines(m)", "person/ines%20m", "person/ines#m", "person/..", "person/ines/"])
def test_an_id_oxigraph_might_write_otherwise_falls_back_to_its_writing(odd: str) -> None:
    graph = corpus({"person/ines-marchand": odd})
    assert any(e.id == odd for e in graph.entities)
    for formats in (("ttl",), ("nt",), ("trig", "nq")):
        fast, slow = heads(graph, formats, BASE)
        assert fast == slow, odd


@pytest.mark.parametrize("base", ["https://w3id.org/kg-interviews/data", "https://example.org/data#",
                                  "https://schema.org/", "http://example.org/données/", "urn:kg:data/"])
def test_a_base_the_text_path_does_not_take_gives_the_same_bytes(base: str) -> None:
    fast, slow = heads(corpus(), ("ttl", "nt"), base)
    assert fast == slow
