"""graph.html without a browser: self-contained, escaped, deterministic; kg html redraws from RDF."""

from __future__ import annotations

import doctest
import html
import re
import shutil
from pathlib import Path

import pytest

import kg.page.data
import kg.page.network
import kg.page.render
from kg.cli import main
from kg.errors import GraphError
from kg.model import Entity, Interview, KnowledgeGraph, Mention, MentionRef, Participant, Sentence, Turn
from kg.page.data import EntityInfo, GraphData, InterviewInfo, Quote, Span, Speaker, from_kg, load
from kg.page.network import interview_node, to_networkx
from kg.page.render import page_data, render_html, vis_network_js

VIS_SCRIPT_STRINGS = vis_network_js().lower().count("<script")
"""vis-network's bundle holds a "<script>" string literal (core-js), harmless without a "<!--" before it."""

PAYLOADS = [
    "<script>window.__pwned='script'</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    "\"</script><script>window.__pwned='break-out'</script>",
    "<svg onload=\"window.__pwned='svg'\"></svg>",
    "<!--<script>window.__pwned='comment'</script>",
    "\u2028</ScRiPt ><iframe src=\"javascript:window.__pwned='iframe'\"></iframe>&amp;&lt;",
]


def hostile_kg() -> KnowledgeGraph:
    """A graph with a payload in every field that reaches the page: titles, dates, labels, aliases, speakers, quotes."""
    entities, turns, text = [], [], ""
    for k, payload in enumerate(PAYLOADS):
        label = f"Tool {k} {payload}"
        sentence = f"{payload} uses {label} here."
        start = len(text)
        m0 = start + sentence.index(label)
        mention = Mention(m0, m0 + len(label), label, "Tool", 0.9, "test")
        turns.append(Turn(k + 1, start, start + len(sentence), sentence, speaker=f"Speaker {payload}",
                          label=f"S{k} {payload}",
                          sentences=(Sentence(start, start + len(sentence), sentence, (mention,)),)))
        entities.append(Entity(f"tool/t{k}", "Tool", label, alt_labels=(payload,),
                               mentions=(MentionRef("itw", k + 1, 1, mention),)))
        text += sentence + "\n"
    entities.append(Entity("person/speaker", "Person", f"Speaker {PAYLOADS[1]}", speaker_of=("itw",)))
    iv = Interview("itw", text, tuple(turns), title=f"Title {PAYLOADS[2]}", date=PAYLOADS[3], language="fr",
                   participants=(Participant(f"Speaker {PAYLOADS[1]}", "interviewee"),))
    return KnowledgeGraph((iv,), tuple(entities))


def tiny() -> GraphData:
    """Two interviews; a and b are named together twice, a and c once."""
    q = [Quote("i1", 0, "a b", "X", (Span("a", 0, 1), Span("b", 2, 3))),
         Quote("i1", 9, "a b c", "X", (Span("a", 0, 1), Span("b", 2, 3), Span("c", 4, 5))),
         Quote("i2", 0, "a", None, (Span("a", 0, 1),))]
    return GraphData("T", (InterviewInfo("i1", "One", participants=(Speaker("X", "interviewee", "x"),)),
                           InterviewInfo("i2", "Two")),
                     tuple(EntityInfo(e, "Tool", e.upper()) for e in "abcx"), tuple(q))


def test_doctests() -> None:
    for module in (kg.page.data, kg.page.network, kg.page.render):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_network_edges_and_threshold() -> None:
    g = to_networkx(tiny(), min_co_mentions=1)
    assert g.edges["a", interview_node("i1")]["weight"] == 2
    assert g.edges["a", interview_node("i2")]["weight"] == 1
    assert g.edges["x", interview_node("i1")] == {"kind": "mentioned", "weight": 0, "role": "interviewee"}
    assert g.edges["a", "b"] == {"kind": "co", "weight": 2}
    assert g.edges["a", "c"]["weight"] == 1
    g2 = to_networkx(tiny(), min_co_mentions=2)
    assert g2.has_edge("a", "b") and not g2.has_edge("a", "c") and not g2.has_edge("b", "c")
    assert g.nodes["a"]["mentions"] == 3 and g.nodes["a"]["interviews"] == 2


def test_the_page_s_network_is_the_exported_graph_and_measures_the_same() -> None:
    """The page reads index arrays; the exports read networkx: one graph, one set of measures."""
    from kg.page.network import layout, measures, page_network

    net = page_network(tiny(), min_co_mentions=1)
    g = to_networkx(tiny(), min_co_mentions=1)
    assert net.nodes == list(g)
    arrays = {frozenset((net.nodes[a], net.nodes[b])): w for a, b, w in zip(net.a, net.b, net.weight, strict=True)}
    assert arrays == {frozenset((a, b)): w for a, b, w in g.edges(data="weight")}
    by_arrays, by_networkx = measures(net), measures(g)
    for v in g:
        for key in ("degree", "betweenness", "pagerank", "community"):
            assert by_arrays[v][key] == pytest.approx(by_networkx[v][key], abs=1e-12), (v, key)
    # the seeded steps take the edges in networkx's order: the same start and communities as networkx's graph
    # gives (a graph larger than the tiny one, whose layout no order changes)
    from helpers import benchmark

    from kg.page.data import from_kg

    data = from_kg(benchmark("html_scale").synthetic_kg(entities=60, interviews=4, sentences=30, seed=2))
    larger, as_networkx = page_network(data), to_networkx(data)
    assert layout(larger, seed=3) == layout(as_networkx, seed=3)
    assert measures(larger) == measures(as_networkx)


def test_page_data_one_node_per_entity_and_interview() -> None:
    data = page_data(tiny())
    kinds = [n["kind"] for n in data["nodes"]]
    assert kinds.count("interview") == 2 and kinds.count("entity") == 4
    a = next(n for n in data["nodes"] if n["id"] == "a")
    assert a["mentions"] == 3 and len(a["quotes"]) == 3
    assert data["nodes"][0]["top"][0] == [kinds.index("entity"), 2]  # "a", twice in interview i1


def test_page_keeps_a_spread_of_quotes_per_entity_and_says_how_many(monkeypatch) -> None:
    # "a" is in five quotes of i1 and two of i2; a cap of 4 keeps the first two of each interview
    q = [Quote("i1", 10 * k, f"a {k}", "X", (Span("a", 0, 1),)) for k in range(5)]
    q += [Quote("i2", 10 * k, f"a {k}", None, (Span("a", 0, 1),)) for k in range(2)]
    q += [Quote("i2", 50, "b", None, (Span("b", 0, 1),))]
    data = GraphData("T", (InterviewInfo("i1", "One"), InterviewInfo("i2", "Two")),
                     (EntityInfo("a", "Tool", "A"), EntityInfo("b", "Tool", "B")), tuple(q))
    monkeypatch.setattr(kg.page.render, "MAX_QUOTES", 4)
    page = page_data(data)
    a = next(n for n in page["nodes"] if n["id"] == "a")
    b = next(n for n in page["nodes"] if n["id"] == "b")
    assert a["quoteTotal"] == 7 and len(a["quotes"]) == 4
    kept = [page["quotes"][ref[0]] for ref in a["quotes"]]
    assert [(iv, text) for iv, _, text, _ in kept] == [(0, "a 0"), (0, "a 1"), (1, "a 0"), (1, "a 1")]
    assert a["ivQuotes"] == [5, 2]  # per interview, all quotes, not just the kept ones
    assert page["quoteTotal"] == 8 and len(page["quotes"]) == 5  # quotes no node keeps are not in the page
    assert page["quotes"][b["quotes"][0][0]][2] == "b" and b["quoteTotal"] == 1
    assert [n["quotes"] for n in page["nodes"] if n["kind"] == "interview"] == [5, 3]


def test_page_is_offline_and_self_contained(built_sample) -> None:
    _, out = built_sample
    page = (out / "graph.html").read_text("utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert "<link" not in page and "@import" not in page
    assert page.count("<script") == 5 + VIS_SCRIPT_STRINGS and page.count("</script>") == 5
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert found is not None
    csp = html.unescape(found.group(1))
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp and "script-src 'sha256-" in csp
    assert "bootstrap" not in page.lower()


def test_payloads_stay_data() -> None:
    page = render_html(hostile_kg())
    # every payload is inside the JSON block, where < > & are escaped: no tag can open or close
    assert page.lower().count("<script") == 5 + VIS_SCRIPT_STRINGS and page.lower().count("</script") == 5
    for tag in ("<img", "<svg", "<iframe", "<!--"):
        assert tag not in page.lower()
    assert "<title>Title &quot;&lt;/script&gt;" in page


def test_page_is_deterministic(built_sample) -> None:
    kg_, out = built_sample
    assert render_html(kg_) == (out / "graph.html").read_text("utf-8")


def test_rdf_gives_the_same_data(built_sample) -> None:
    kg_, out = built_sample
    assert load(out) == from_kg(kg_)


def test_kg_html_redraws_the_build_page(built_sample, tmp_path: Path) -> None:
    _, out = built_sample
    for name in ("graph.ttl",):
        shutil.copy(out / name, tmp_path / name)
    main(["html", str(tmp_path)])
    assert (tmp_path / "graph.html").read_bytes() == (out / "graph.html").read_bytes()
    main(["html", str(tmp_path), "--title", "Atelier <corpus>", "--out", str(tmp_path / "x.html")])
    assert "<title>Atelier &lt;corpus&gt;</title>" in (tmp_path / "x.html").read_text("utf-8")
    (tmp_path / "graph.html").unlink()
    main(["html", str(tmp_path / "graph.ttl")])  # the RDF file itself: the page goes beside it
    assert (tmp_path / "graph.html").read_bytes() == (out / "graph.html").read_bytes()


def test_kg_html_without_a_graph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(GraphError):
        load(tmp_path)
    with pytest.raises(SystemExit) as e:
        main(["html", str(tmp_path)])
    assert e.value.code == 2
    assert "run kg build first" in capsys.readouterr().err
