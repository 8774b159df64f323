"""The corpus at a glance in graph.html (#26), in Debian's headless Chromium, checked against the graph's RDF.

Six transcripts of ``../shared/corpus/dev`` (French and English) are built once for the module; what
the page says (labels drawn, the matrix, a cell's quotes, the exports) is compared with SPARQL answers
over the RDF the same build wrote.  Skipped without ``/usr/bin/chromium`` or ``../shared``.
"""

from __future__ import annotations

import csv
import io
import struct
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from test_html_browser import Opened, open_in

pytestmark = pytest.mark.browser

DEV_FILES = ("fr-minumeco-diploia.md", "fr-minumeco-verdier.md", "fr-techologie-agricultrices.md",
             "fr-techologie-luttes-locales.md", "en-oss-stories-cabal-standard-ebooks.md",
             "en-oss-stories-flowers-open-hardware.md")
PREFIXES = """PREFIX kgi: <https://w3id.org/kg-interviews/ns#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
PREFIX schema: <https://schema.org/>
"""
# every (entity, interview) pair with its mentions; speakers count as found in their interviews (0 mentions)
PAIRS = PREFIXES + """SELECT ?e ?ivid (COUNT(DISTINCT ?m) AS ?n) WHERE {
  { ?m itsrdf:taIdentRef ?e ; nif:sentence/nif:referenceContext ?iv . }
  UNION { ?iv kgi:interviewee|kgi:interviewer|kgi:participant ?e . ?e kgi:mentionCount ?c . }
  ?iv a kgi:Interview ; schema:identifier ?ivid .
} GROUP BY ?e ?ivid"""
SENTENCES = PREFIXES + """SELECT DISTINCT ?text WHERE {
  ?m itsrdf:taIdentRef ?e ; nif:sentence ?s . ?s nif:referenceContext ?iv ; schema:text ?text .
  ?iv schema:identifier ?ivid .
}"""
LABELS = PREFIXES + """SELECT ?e ?name WHERE {
  ?e kgi:mentionCount ?c ; schema:name ?name . FILTER NOT EXISTS { ?e a kgi:Interview }
}"""

# the labels vis-network draws, the size they take on screen, and whether they fall inside the canvas
DRAWN_LABELS = """() => {
  const proto = CanvasRenderingContext2D.prototype, fill = proto.fillText, seen = [];
  proto.fillText = function (text, x, y) {
    const t = this.getTransform(), px = parseFloat(/(\\d+(?:\\.\\d+)?)px/.exec(this.font)[1]);
    const sx = t.a * x + t.c * y + t.e, sy = t.b * x + t.d * y + t.f;
    seen.push([String(text), px * t.a / devicePixelRatio,
               sx >= 0 && sy >= 0 && sx <= this.canvas.width && sy <= this.canvas.height]);
    return fill.apply(this, arguments);
  };
  try { kg.network.redraw(); } finally { proto.fillText = fill; }
  return seen;
}"""


@pytest.fixture(scope="module")
def dev_build(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> tuple[Any, Path]:
    from kg.pipeline import BuildConfig, build, write_outputs

    out = tmp_path_factory.mktemp("dev-build")
    config = BuildConfig()
    graph = build([shared_dir / "corpus" / "dev" / name for name in DEV_FILES], config)
    write_outputs(graph, out, config)
    return graph, out


@pytest.fixture(scope="module")
def answers(dev_build: tuple[Any, Path]) -> dict[str, Any]:
    """What SPARQL says of the built graph: mentions per (entity id, interview id), labels, a ranking."""
    from kg.rdf.read import find_built_graph, load_graph

    _, out = dev_build
    g: Any = load_graph(find_built_graph(out))  # rows of a SELECT, read by name

    def eid(iri: Any) -> str:
        return "/".join(str(iri).rsplit("/", 2)[-2:])

    pairs: dict[tuple[str, str], int] = {(eid(r.e), str(r.ivid)): int(r.n) for r in g.query(PAIRS)}
    labels = {eid(r.e): str(r.name) for r in g.query(LABELS)}
    interviews: dict[str, set[str]] = {}
    mentions: dict[str, int] = {}
    for (e, iv), n in pairs.items():
        interviews.setdefault(e, set()).add(iv)
        mentions[e] = mentions.get(e, 0) + n
    # shared by the most interviews, then most mentioned, then by label (the page's stated order)
    ranking = sorted(interviews, key=lambda e: (-len(interviews[e]), -mentions[e], labels[e].casefold(), e))
    return {"graph": g, "pairs": pairs, "labels": labels, "interviews": interviews, "ranking": ranking}


@pytest.fixture(scope="module")
def opened(browser: Any, dev_build: tuple[Any, Path]) -> Any:
    ctx = browser.new_context(viewport={"width": 1366, "height": 800}, accept_downloads=True)
    yield open_in(ctx, dev_build[1] / "graph.html")
    ctx.close()


def png_size(blob: bytes) -> tuple[int, int]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", blob[16:24])
    return width, height


def test_first_view_labels_the_most_shared(opened: Opened, answers: dict[str, Any]) -> None:
    page = opened.page
    seen = page.evaluate(DRAWN_LABELS)
    entity_labels = set(answers["labels"].values())
    readable = {text for text, px, inside in seen if inside and px >= 10 and text in entity_labels}
    assert len(readable) >= 30, sorted(readable)
    top = [answers["labels"][e] for e in answers["ranking"][:10]]
    assert set(top) <= readable, set(top) - readable
    smaller = [px for text, px, inside in seen if text in entity_labels and text not in readable]
    assert smaller and max(smaller) < 10  # the rest are drawn smaller


def test_minor_entities_hidden_with_one_click_to_show_all(opened: Opened) -> None:
    page = opened.page
    total, minor, compact = page.evaluate("""() => { const e = kg.data.nodes.filter(d => d.kind === 'entity');
        return [e.length, e.filter(d => d.minor).length, kg.data.compact]; }""")
    assert total > 300 and compact and 0 < minor < total
    entities_drawn = "() => kg.nodeView.get().filter(n => kg.data.nodes[n.id].kind === 'entity').length"
    assert page.evaluate(entities_drawn) == total - minor
    assert page.locator("#glance").inner_text().startswith(f"Showing {total - minor} of {total} entities")
    page.locator("#show-all").click()
    assert page.evaluate(entities_drawn) == total
    assert page.locator("#glance").inner_text().startswith(f"Showing {total} of {total} entities")
    page.locator("#show-all").click()
    assert page.evaluate(entities_drawn) == total - minor


def test_matrix_counts_and_a_cell_s_quotes(opened: Opened, answers: dict[str, Any]) -> None:
    page = opened.page
    page.get_by_role("button", name="Shared across interviews").click()
    assert page.evaluate("() => kg.view()") == "shared"
    heads = page.evaluate("""() => [...document.querySelectorAll('#matrix text.col')].map(t =>
        [kg.data.nodes[Number(t.dataset.node)].id, t.dataset.label, Number(t.dataset.interviews)])""")
    assert len(heads) >= 10
    ranking, interviews = answers["ranking"], answers["interviews"]
    assert [h[0] for h in heads[:10]] == ranking[:10]
    for e, label, count in heads:
        assert label == answers["labels"][e] and count == len(interviews[e]), e
    # every cell of the matrix against SPARQL
    cells = page.evaluate("""() => [...document.querySelectorAll('#matrix rect.cell')].map(c =>
        [kg.data.nodes[Number(c.dataset.node)].id, kg.data.nodes[kg.interviewNode[Number(c.dataset.iv)]].id,
         Number(c.dataset.mentions)])""")
    assert len(cells) == len(heads) * len(DEV_FILES)
    for e, iv, n in cells:
        assert n == answers["pairs"].get((e, iv), 0), (e, iv)

    # a real click on a cell of an entity found in several interviews: its quotes there, and only those
    e, iv = next((e, iv) for e in ranking if len(interviews[e]) > 1 for iv in sorted(interviews[e])
                 if answers["pairs"][(e, iv)] > 0)
    i = page.evaluate("(id) => kg.data.nodes.findIndex(d => d.id === id)", e)
    r = page.evaluate("(id) => kg.data.nodes.find(d => d.id === id).iv", iv)
    page.locator(f"#matrix rect.cell[data-node='{i}'][data-iv='{r}']").click()
    page.wait_for_selector(f"#panel .cell-quotes[data-node='{i}'][data-iv='{r}']")
    quotes = page.evaluate("() => [...document.querySelectorAll('#panel .cell-quotes blockquote')]"
                           ".map(b => [b.querySelector('p').textContent, b.querySelector('cite').textContent])")
    iri = next(str(s) for s in answers["graph"].subjects() if str(s).endswith("/" + e))
    from rdflib import Literal, URIRef

    graph: Any = answers["graph"]
    expected = {str(row.text) for row in graph.query(SENTENCES, initBindings={"e": URIRef(iri), "ivid": Literal(iv)})}
    title = page.evaluate("(r) => kg.data.interviews[r][0]", r)
    assert quotes and {q[1] for q in quotes} == {title}
    assert {q[0] for q in quotes} == expected
    assert opened.outside() == [] and opened.errors == []


def test_matrix_by_keyboard(opened: Opened) -> None:
    page = opened.page
    page.get_by_role("button", name="Shared across interviews").click()
    page.locator("#matrix rect.cell[tabindex='0']").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("() => [document.activeElement.dataset.iv, document.activeElement.dataset.node]")
    col = page.evaluate("() => document.querySelectorAll('#matrix text.col')[1].dataset.node")
    assert focused == ["1", col]
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#panel .cell-quotes[data-node='{col}'][data-iv='1']")


def test_type_filters_apply_to_the_views(opened: Opened, answers: dict[str, Any]) -> None:
    page = opened.page
    page.get_by_role("button", name="Shared across interviews").click()
    column_types = ("() => [...document.querySelectorAll('#matrix text.col')]"
                    ".map(t => kg.data.nodes[Number(t.dataset.node)].type)")
    assert "Concept" in page.evaluate(column_types)
    page.locator("#types input[value=Concept]").uncheck()
    try:
        types = page.evaluate(column_types)
        assert types and "Concept" not in types
        expected = [e for e in answers["ranking"] if not e.startswith("concept/")][:len(types)]
        assert page.evaluate("() => [...document.querySelectorAll('#matrix text.col')]"
                             ".map(t => kg.data.nodes[Number(t.dataset.node)].id)") == expected
    finally:
        page.locator("#types input[value=Concept]").check()
    assert "Concept" in page.evaluate(column_types)


def test_exports_csv_and_png(opened: Opened, answers: dict[str, Any]) -> None:
    page = opened.page
    page.get_by_role("button", name="Shared across interviews").click()
    with page.expect_download() as got:
        page.locator("#save-csv").click()
    rows = list(csv.reader(io.StringIO(Path(got.value.path()).read_text("utf-8-sig"))))
    ranking, labels = answers["ranking"], answers["labels"]
    assert rows[0][:2] == ["interview", "date"] and rows[0][2:12] == [labels[e] for e in ranking[:10]]
    assert len(rows) == 1 + len(DEV_FILES) + 1
    assert rows[-1][2:12] == [str(len(answers["interviews"][e])) for e in ranking[:10]]
    with page.expect_download() as got:
        page.locator("#save-png").click()
    assert got.value.suggested_filename.endswith("-shared.png")
    width, height = png_size(Path(got.value.path()).read_bytes())
    assert width > 300 and height > 100 + 14 * len(DEV_FILES)

    page.get_by_role("button", name="Network").click()
    with page.expect_download() as got:
        page.locator("#save-png").click()
    canvas = page.evaluate("() => [kg.network.canvas.frame.canvas.width, kg.network.canvas.frame.canvas.height]")
    width, height = png_size(Path(got.value.path()).read_bytes())
    assert width == canvas[0] and height > canvas[1]  # the drawing and, under it, the legend
    assert opened.outside() == [] and opened.errors == []


def test_who_talks_and_an_entity_s_world(opened: Opened, answers: dict[str, Any]) -> None:
    page = opened.page
    page.get_by_role("button", name="Who talks about what").click()
    roles = set(page.evaluate("() => [...document.querySelectorAll('#who g.speaker')].map(g => g.dataset.role)"))
    assert {"interviewer", "interviewee"} <= roles  # prompts and answers told apart
    assert page.locator("#who line.talk[data-role=interviewer]").count() > 0

    # the keyboard reaches an entity of the bipartite view and opens its world
    page.locator("#who g.talked").first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => kg.view()") == "entity"
    top = answers["ranking"][0]
    page.evaluate("(id) => kg.select(kg.data.nodes.findIndex(d => d.id === id), true)", top)
    assert page.locator("#world-title").inner_text() == answers["labels"][top]
    groups = page.evaluate("() => [...document.querySelectorAll('.world-interview')].map(s => "
                           "kg.data.nodes[kg.interviewNode[Number(s.dataset.iv)]].id)")
    quoted = {iv for (e, iv), n in answers["pairs"].items() if e == top and n > 0}
    assert set(groups) == quoted
    assert page.locator("#world g.near").count() > 0
    dated = page.evaluate("() => kg.data.interviews.some(iv => iv[1])")
    assert page.locator("#timeline" if dated else "#no-timeline").count() == 1
    assert opened.outside() == [] and opened.errors == []


def test_one_interview_and_no_dates(browser: Any, dev_build: tuple[Any, Path], tmp_path: Path) -> None:
    """Bad input: undated interviews leave the timeline out with a note; one interview opens the entity view."""
    from kg.page.data import load
    from kg.page.render import render_html

    data = load(dev_build[1])
    undated = replace(data, interviews=tuple(replace(iv, date=None) for iv in data.interviews))
    first = data.interviews[0]
    quotes = tuple(q for q in data.quotes if q.interview == first.id)
    named = {s.entity for q in quotes for s in q.spans} | {p.entity for p in first.participants if p.entity}
    alone = replace(data, interviews=(first,), quotes=quotes,
                    entities=tuple(e for e in data.entities if e.id in named))
    (tmp_path / "undated.html").write_text(render_html(undated), "utf-8")
    (tmp_path / "alone.html").write_text(render_html(alone), "utf-8")
    ctx = browser.new_context(viewport={"width": 1366, "height": 800})
    try:
        page = open_in(ctx, tmp_path / "undated.html").page
        page.get_by_role("button", name="One entity's world").click()
        assert page.locator("#timeline").count() == 0
        assert "no date" in page.locator("#no-timeline").inner_text()

        one = open_in(ctx, tmp_path / "alone.html")
        one.page.get_by_role("button", name="Shared across interviews").click()
        assert one.page.evaluate("() => kg.view()") == "entity"
        assert "one interview" in one.page.locator("#view-note").inner_text()
        assert one.page.locator("#world-title").count() == 1
        assert one.outside() == [] and one.errors == []
    finally:
        ctx.close()


def test_payloads_stay_text_in_every_view(browser: Any, tmp_path: Path) -> None:
    """Markup in every field of two interviews: each view, and a cell's quotes, show it as text."""
    from test_html import PAYLOADS, hostile_kg

    from kg.model import KnowledgeGraph
    from kg.page.render import render_html

    one = hostile_kg()
    iv = one.interviews[0]
    twin = replace(iv, id="itw2", title=f"Second {PAYLOADS[4]}", date=None)
    entities = tuple(replace(e, mentions=e.mentions + tuple(replace(r, interview="itw2") for r in e.mentions))
                     for e in one.entities)
    (tmp_path / "hostile.html").write_text(render_html(KnowledgeGraph((iv, twin), entities)), "utf-8")
    ctx = browser.new_context(viewport={"width": 1366, "height": 800})
    try:
        o = open_in(ctx, tmp_path / "hostile.html")
        page = o.page
        for view in ("Shared across interviews", "Who talks about what", "One entity's world"):
            page.get_by_role("button", name=view).click()
            made = "#corpus-view img, #corpus-view iframe, #corpus-view script, #corpus-view svg svg"
            assert page.locator(made).count() == 0
        page.get_by_role("button", name="Shared across interviews").click()
        page.locator("#matrix rect.cell").first.click()
        assert PAYLOADS[0] in page.locator("#panel").inner_text()
        assert f"Tool 0 {PAYLOADS[0]}" in page.locator("#ranked").inner_text()
        assert page.locator("#panel img, #panel iframe, #panel script").count() == 0
        assert o.pwned() is None and o.dialogs == []
        assert o.outside() == [] and o.errors == []
    finally:
        ctx.close()
