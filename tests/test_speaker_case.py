"""A participant written in capitals (``Henri VERDIER``) is the person resolution named otherwise ("Henri Verdier").

Regression: the RDF tied a participant or speaker to a Person entity only by
an exact label, so ``kg html`` dropped from the interview's participants a
person the built page listed, and the two pages differed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from kg.cli import main
from kg.model import KnowledgeGraph
from kg.page.data import from_kg, load
from kg.pipeline import BuildConfig, build, write_outputs
from kg.rdf.read import load_graph
from kg.rdf.vocab import KGI, SCHEMA

TRANSCRIPT = """\
---
title: "Diplomatie numérique"
date: 2025-07-02
language: fr
interviewer: Mélanie RAPHAËL
interviewee: Henri VERDIER
id: verdier-capitales
---

**Mélanie RAPHAËL :** Bonjour, je reçois aujourd'hui Henri Verdier, ambassadeur pour le numérique à Paris.

**Henri VERDIER :** Bonjour. Je m'appelle Henri Verdier et je travaille au ministère des Affaires étrangères.

**Mélanie RAPHAËL :** Henri Verdier, vous avez dirigé la DINSIC avant la DINUM ?

**Henri VERDIER :** Oui, j'ai dirigé la DINSIC à Paris, puis je suis parti pour Genève.

**Mélanie RAPHAËL :** Merci Henri Verdier. On entend souvent dire que Henri Verdier a lancé Etalab.

**Henri VERDIER :** On le dit, mais Henri Verdier n'a pas tout fait seul, loin de là.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeGraph, Path, Path]:
    """The transcript built and written as ``kg build`` does, then its page redrawn by ``kg html`` into another
    file: (the graph, the build's folder, the redrawn page)."""
    root = tmp_path_factory.mktemp("speaker-case")
    source = root / "verdier-capitales.md"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    out = root / "out"
    config = BuildConfig()
    kg = build([source], config)
    write_outputs(kg, out, config)
    try:
        main(["html", str(out), "--out", str(root / "redrawn.html")])
    except SystemExit as e:
        assert not e.code
    return kg, out, root / "redrawn.html"


def test_the_interviewee_in_capitals_is_in_the_rdf(built: tuple[KnowledgeGraph, Path, Path]) -> None:
    kg, out, _ = built
    assert {p.name for iv in kg.interviews for p in iv.participants} >= {"Henri VERDIER"}  # as the file writes it
    g = load_graph(out)
    interview = next(g.subjects(SCHEMA.identifier, None))
    interviewees = [str(g.value(p, SCHEMA.name)) for p in g.objects(interview, URIRef(KGI.interviewee))]
    assert interviewees == ["Henri Verdier"]
    interviewers = [str(g.value(p, SCHEMA.name)) for p in g.objects(interview, URIRef(KGI.interviewer))]
    assert len(interviewers) == 1 and interviewers[0].casefold() == "mélanie raphaël"
    # his turns are his: every quote of a turn labelled "Henri VERDIER" has him as creator
    creators = {str(g.value(c, SCHEMA.name)) for c in g.objects(None, SCHEMA.creator)}
    assert "Henri Verdier" in creators


def test_kg_html_gives_the_page_kg_build_wrote(built: tuple[KnowledgeGraph, Path, Path]) -> None:
    _, out, redrawn = built
    data = load(out)
    speakers = {(s.name, s.role) for iv in data.interviews for s in iv.participants}
    assert ("Henri Verdier", "interviewee") in speakers
    assert redrawn.read_bytes() == (out / "graph.html").read_bytes()


def test_the_built_page_names_him_as_the_rdf_does(built: tuple[KnowledgeGraph, Path, Path]) -> None:
    kg, out, _ = built
    assert from_kg(kg) == load(out)
