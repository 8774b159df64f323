"""The review mode of graph.html in headless Chromium: every action through the page's own controls and keys, the
decisions kept in the browser, exported, rebuilt with (kg build --curation) and found in the RDF; bad input.

Skipped where /usr/bin/chromium is absent (the fixtures of test_html_browser).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import SAMPLE
from test_html import PAYLOADS, hostile_kg
from test_html_browser import Opened, node_index, open_in, open_page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
BASE = "https://w3id.org/kg-interviews/data/"
WIKIDATA_PYTHON = "https://www.wikidata.org/wiki/Q28865"


@pytest.fixture
def new_context(browser: Any) -> Iterator[Callable[[], Any]]:
    """Browser contexts that accept downloads (the exported file) and are closed after the test, each with its
    own storage: pages opened in one context share the decisions kept in the browser."""
    made: list[Any] = []

    def make() -> Any:
        made.append(browser.new_context(viewport={"width": 1366, "height": 800}, accept_downloads=True))
        return made[-1]

    yield make
    for ctx in made:
        ctx.close()


def review_on(opened: Opened) -> None:
    opened.page.locator("#review-mode").check()
    assert opened.page.locator("#review").is_visible()


def pick(opened: Opened, node_id: str) -> int:
    i = node_index(opened, node_id)
    opened.page.evaluate("(i) => kg.select(i, true)", i)
    assert opened.page.locator("#panel-title").inner_text() == opened.page.evaluate("(i) => kg.data.nodes[i].label", i)
    return i


def in_view(opened: Opened, i: int) -> bool:
    return bool(opened.page.evaluate("(i) => kg.shown(i)", i))


def outside(opened: Opened) -> list[str]:
    return [u for u in opened.outside() if not u.startswith("blob:")]  # the exported file is made in the page


def export(opened: Opened) -> str:
    page = opened.page
    with page.expect_download() as info:
        page.locator("#review-export-button").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text == page.locator("#review-export").input_value()
    return text


def rebuild(tmp_path: Path, curation_text: str, name: str) -> tuple[Any, Path]:
    from kg.pipeline import BuildConfig, build, write_outputs

    curation = tmp_path / f"{name}.yaml"
    curation.write_text(curation_text, encoding="utf-8")
    warnings: list[str] = []
    config = BuildConfig(curation=str(curation))
    kg = build([SAMPLE], config, warn=warnings.append)
    out = tmp_path / name
    write_outputs(kg, out, config)
    return warnings, out


def test_every_action_exported_rebuilt_and_in_the_graph(built_sample, new_context, tmp_path: Path) -> None:  # noqa: F811
    _, out = built_sample
    ctx = new_context()
    opened = open_in(ctx, out / "graph.html")
    page = opened.page
    review_on(opened)
    entities = page.evaluate("() => kg.data.nodes.filter(d => d.kind === 'entity').length")
    assert page.locator("#review-counts").inner_text().count("\t") >= 2

    # merge (through the search box of the merge form)
    ml5 = pick(opened, "tool/ml5js")
    page.keyboard.press("m")
    page.keyboard.type("p5.js")
    page.locator("#form-merge-results button").first.click()
    p5 = node_index(opened, "tool/p5js")
    assert not in_view(opened, ml5) and page.evaluate("() => kg.state.selected") == p5
    assert "ml5.js" in page.locator("#panel").inner_text()
    assert page.evaluate("() => kg.review.last.ms") < 200

    # retype: the colour follows the type
    magenta = pick(opened, "tool/magenta")
    page.keyboard.press("t")
    page.locator("#form-type").select_option("Organisation")
    page.keyboard.press("Enter")
    colour = page.evaluate("(i) => kg.network.body.nodes[i].options.color.background", magenta)
    assert colour == page.evaluate("() => kg.typeColour.Organisation")
    # what is drawn reaches vis' data before a filter reads it again
    page.evaluate("() => kg.flush()")
    assert page.evaluate("(i) => kg.nodes.get(i).color.background", magenta) == colour

    # ignore: the node is gone
    photoshop = pick(opened, "tool/photoshop")
    page.keyboard.press("x")
    assert not in_view(opened, photoshop)

    # ignore, then undo: it is back
    kinect = pick(opened, "tool/kinect")
    page.keyboard.press("x")
    assert not in_view(opened, kinect)
    page.keyboard.press("u")
    assert in_view(opened, kinect)
    page.keyboard.press("x")  # ignore, a filter change that redraws from vis' data, then undo
    page.evaluate("() => kg.refresh()")
    assert not in_view(opened, kinect)
    page.keyboard.press("u")
    assert in_view(opened, kinect)

    # split off an alias, as a tool
    pick(opened, "concept/gpu")
    page.keyboard.press("s")
    page.locator("#form-alias").select_option("GPU")
    page.locator("#form-type").select_option("Tool")
    page.keyboard.press("Enter")
    assert page.locator("#panel-title").inner_text() == "GPU"
    gpu = page.evaluate("() => kg.data.nodes.findIndex(d => d.id === 'tool/gpu')")
    assert gpu > 0 and in_view(opened, gpu)

    # split off one mention
    pick(opened, "concept/model-training")
    before = page.evaluate("(i) => kg.data.nodes[i].mentions", node_index(opened, "concept/model-training"))
    page.locator("#panel button.split-mention").first.click()
    page.locator("#form-split-label").fill("modèle (objet)")
    page.keyboard.press("Enter")
    assert page.locator("#panel-title").inner_text() == "modèle (objet)"
    assert page.evaluate("(i) => kg.data.nodes[i].mentions",
                         node_index(opened, "concept/model-training")) == before - 1

    # link: a javascript: URI is refused, a Wikidata IRI kept
    pick(opened, "tool/python")
    page.keyboard.press("l")
    page.keyboard.type("javascript:window.__pwned='link'")
    page.keyboard.press("Enter")
    assert "Not a Wikidata" in page.locator("#review-form .error").inner_text()
    page.locator("#form-iri").fill(WIKIDATA_PYTHON)
    page.keyboard.press("Enter")
    assert WIKIDATA_PYTHON in page.locator("#review-links").inner_text()
    # the one anchor is the authority's identifier (only IRIs matching a known authority's pattern become one)
    assert page.locator("#panel a").count() == 1
    assert page.locator("#panel a.authority-link").get_attribute("href") == WIKIDATA_PYTHON

    # rename
    pick(opened, "tool/touchdesigner")
    page.keyboard.press("r")
    page.locator("#form-label").fill("TouchDesigner (Derivative)")
    page.keyboard.press("Enter")
    assert page.locator("#panel-title").inner_text() == "TouchDesigner (Derivative)"

    # checked, and the counts follow
    pick(opened, "place/lyon")
    page.keyboard.press("c")
    assert page.locator("#review-state").inner_text() == "Review: checked"
    row = page.locator("#review-counts tr[data-type=Place]").inner_text().split()
    assert row[1:] == ["1", "3"]
    page.keyboard.press("n")  # next unchecked: something unreviewed, not what was selected
    assert page.evaluate("() => kg.data.nodes[kg.state.selected].review") == "unreviewed"

    # kept in the browser: a reload shows the same decisions
    decisions = page.evaluate("() => kg.review.log.length")
    assert decisions == 8
    page.reload()
    page.wait_for_function("() => window.kg && window.kg.ready", timeout=60_000)
    assert page.evaluate("() => kg.review.log.length") == decisions
    assert not in_view(opened, photoshop) and not in_view(opened, ml5) and in_view(opened, kinect)
    assert page.evaluate("() => kg.data.nodes.length") == entities + 1 + 2  # interview + two made by splits

    text = export(opened)
    assert opened.errors == [] and outside(opened) == [] and opened.pwned() is None and opened.dialogs == []
    text += "occupation:\n  \"person/daniel-shiffman\": \"enseignant\"\n"  # a key the page has no control for

    curation = yaml.safe_load(text)
    rebuilt = _check_rebuilt(tmp_path, text, curation)

    # the rebuilt page, in the browser that kept the decisions: they are the build's now, nothing is stale
    opened = open_in(ctx, rebuilt / "graph.html")
    page = opened.page
    assert page.evaluate("() => [kg.review.log.length, kg.review.stale]") == [0, []]
    review_on(opened)
    assert yaml.safe_load(export(opened)) == curation, "what the build applied is exported again, unchanged"
    assert page.evaluate("(i) => kg.data.nodes[i].review",
                         node_index(opened, "tool/touchdesigner")) == "corrected"
    assert opened.errors == [] and outside(opened) == []


def _check_rebuilt(tmp_path: Path, text: str, curation: dict[str, Any]) -> Path:
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, SKOS

    from kg.rdf.validate import validate
    from kg.rdf.vocab import KGI, SCHEMA

    assert curation["merge"] == [{"into": "tool/p5js", "from": ["tool/ml5js"]}]
    warnings, rebuilt = rebuild(tmp_path, text, "reviewed")
    assert warnings == []
    g = Graph().parse(rebuilt / "graph.ttl")
    node = lambda eid: URIRef(BASE + eid)  # noqa: E731
    entity_nodes = set(g.subjects(KGI.reviewState, None))
    assert node("tool/ml5js") not in entity_nodes and node("tool/photoshop") not in entity_nodes
    assert {"ml5.js", "p5"} <= {str(a) for a in g.objects(node("tool/p5js"), SKOS.altLabel)}
    assert (node("org/magenta"), RDF.type, SCHEMA.Organization) in g and node("tool/magenta") not in entity_nodes
    assert {node("tool/gpu"), node("concept/gpu"), node("concept/modele-objet")} <= entity_nodes
    assert str(g.value(node("concept/modele-objet"), KGI.mentionCount)) == "1"
    assert set(g.objects(node("tool/python"), SKOS.exactMatch)) == {URIRef(WIKIDATA_PYTHON)}
    assert g.value(node("place/lyon"), KGI.reviewState) == KGI.Checked
    assert g.value(node("tool/touchdesigner"), SCHEMA.name) == Literal("TouchDesigner (Derivative)")
    assert g.value(node("tool/p5js"), KGI.reviewState) == KGI.Corrected
    assert g.value(node("tool/kinect"), KGI.reviewState) == KGI.Unreviewed
    report = validate(g)
    assert report.conforms and not report.violations, report.format()
    return rebuilt


def test_stale_entries_and_a_corrupt_stored_state(built_sample, new_context, tmp_path: Path) -> None:  # noqa: F811
    _, out = built_sample
    ctx = new_context()
    opened = open_in(ctx, out / "graph.html")
    page = opened.page
    key = page.evaluate("() => kg.data.review.key")
    page.evaluate("(k) => localStorage.setItem(k, '{\"decisions\": [broken')", key)
    page.reload()
    page.wait_for_function("() => window.kg && window.kg.ready", timeout=60_000)
    assert page.locator("#review").is_visible(), "a notice opens the review tools"
    assert "could not be read" in page.locator("#review-notices").inner_text()
    assert page.evaluate("(k) => localStorage.getItem(k + ':unreadable')", key).startswith('{"decisions"')

    old = tmp_path / "old.yaml"
    old.write_text("ignore: [tool/photoshop, tool/no-longer-here]\n"
                   "rename: {person/gone-person: Someone}\n"
                   "checked: [tool/kinect]\n", encoding="utf-8")
    page.locator("#review-load").set_input_files(str(old))
    page.wait_for_function("() => kg.review.log.length === 2")
    stale = page.locator("#review-notices details").inner_text()
    assert "tool/no-longer-here" in stale and "person/gone-person" in stale and "photoshop" not in stale
    page.locator("#review-load").set_input_files(str(old))  # the same file again changes nothing
    page.wait_for_function("() => document.getElementById('review-message').textContent.includes('0 decisions')")
    assert page.evaluate("() => kg.review.log.length") == 2
    text = export(opened)
    assert yaml.safe_load(text) == {"ignore": ["tool/photoshop"], "checked": ["tool/kinect"]}
    assert outside(opened) == [] and opened.errors == []
    warnings, rebuilt = rebuild(tmp_path, old.read_text(encoding="utf-8"), "stale")
    assert any("tool/no-longer-here" in w for w in warnings) and any("person/gone-person" in w for w in warnings)
    # the rebuilt page lists what its build's file left stale, and keeps the rest
    ctx = new_context()
    opened = open_in(ctx, rebuilt / "graph.html")
    review_on(opened)
    stale = opened.page.locator("#review-notices details").inner_text()
    assert "tool/no-longer-here" in stale and "person/gone-person" in stale and "kinect" not in stale
    kinect = node_index(opened, "tool/kinect")
    assert opened.page.evaluate("(i) => kg.data.nodes[i].review", kinect) == "checked"


def test_hostile_labels_and_links_are_inert(new_context, tmp_path: Path) -> None:  # noqa: F811
    from kg.page.render import render_html

    path = tmp_path / "graph.html"
    path.write_text(render_html(hostile_kg()), encoding="utf-8")
    ctx = new_context()
    opened = open_in(ctx, path)
    page = opened.page
    review_on(opened)
    for k, payload in enumerate(PAYLOADS):
        pick(opened, f"tool/t{k}")
        page.keyboard.press("r")
        page.locator("#form-label").fill("Renamed " + payload)
        page.keyboard.press("Enter")
        assert page.locator("#panel-title").inner_text() == "Renamed " + payload
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(yaml.safe_dump({
        "authority": {"tool/t0": "javascript:window.__pwned='yaml-link'", "tool/t1": "https://viaf.org/viaf/1\"><b>"},
        "rename": {"tool/t2": PAYLOADS[0]}, "checked": ["<b>nothing</b>"]}, width=10**6), encoding="utf-8")
    page.locator("#review-load").set_input_files(str(hostile))
    page.wait_for_function("() => kg.review.stale.length >= 3")
    assert page.evaluate("() => kg.data.nodes.filter(d => d.links && d.links.length).length") == 0
    page.evaluate("(i) => kg.select(i, false)", node_index(opened, "tool/t2"))
    assert page.locator("#panel-title").inner_text() == PAYLOADS[0]
    exported = yaml.safe_load(export(opened))
    assert exported["rename"]["tool/t2"] == PAYLOADS[0] and "authority" not in exported
    assert page.locator("body img, body svg, body iframe, #panel script, #panel a, #review b").count() == 0
    assert opened.pwned() is None and opened.dialogs == []
    assert outside(opened) == [] and opened.errors == []



def test_work_order_puts_suspected_duplicates_and_busy_entities_first(new_context, tmp_path: Path) -> None:  # noqa: F811
    from kg.model import Entity, EntityType, Interview, KnowledgeGraph, Mention, MentionRef, Sentence, Turn
    from kg.page.render import render_html

    names: list[tuple[str, EntityType, str, int]] = [
             ("person/clara", "Person", "Clara", 1), ("person/clara-dupont", "Person", "Clara Dupont", 1),
             ("tool/processing", "Tool", "Processing", 1), ("concept/processing", "Concept", "processing", 1),
             ("tool/python", "Tool", "Python", 6), ("place/lyon", "Place", "Lyon", 2)]
    text, sentences = "", []
    refs: dict[str, list[MentionRef]] = {}
    for eid, etype, label, n in names:
        for _ in range(n):
            start = len(text)
            sentence = f"On parle de {label}."
            m = Mention(start + 12, start + 12 + len(label), label, etype, 0.9, "test")
            sentences.append(Sentence(start, start + len(sentence), sentence, (m,)))
            refs.setdefault(eid, []).append(MentionRef("itw", 1, len(sentences), m))
            text += sentence + " "
    iv = Interview("itw", text, (Turn(1, 0, len(text), text, sentences=tuple(sentences)),), title="Itw")
    kg = KnowledgeGraph((iv,), tuple(Entity(eid, etype, label, mentions=tuple(refs[eid]),
                                            confidence=0.5 if eid == "place/lyon" else 0.9)
                                     for eid, etype, label, _ in names))
    path = tmp_path / "graph.html"
    path.write_text(render_html(kg), encoding="utf-8")
    ctx = new_context()
    opened = open_in(ctx, path)
    review_on(opened)
    order = opened.page.evaluate("() => kg.review.workOrder().map(w => [kg.data.nodes[w[3]].id, w[4]])")
    reasons = dict(order)
    assert order[0][0] == "tool/python", "the most mentioned first"
    assert "first name alone" in reasons["person/clara"] and "Clara Dupont" in reasons["person/clara"]
    assert "same name as processing (Concept)" == reasons["tool/processing"]
    assert reasons["place/lyon"] == "low confidence"
    assert [i for i, _ in order].index("tool/processing") < [i for i, _ in order].index("person/clara-dupont")
    page = opened.page
    page.evaluate("(i) => kg.select(i, true)", node_index(opened, "tool/python"))
    page.keyboard.press("c")
    assert page.evaluate("() => kg.review.workOrder()[0][3]") != node_index(opened, "tool/python")
    assert "Tool\t1\t1" in page.locator("#review-counts").inner_text()
