"""graph.html in a real headless Chromium (Debian's package), opened from disk with the network blocked.

Skipped where /usr/bin/chromium is absent.  Screenshots go to ``$KG_ARTEFACTS``
(default ``outputs/test-artefacts/``); ``docs/graph.png`` is one of them.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from helpers import ARGS, CHROMIUM, ROOT  # noqa: F401 (ARGS: other browser modules import it from here)
from test_html import PAYLOADS, hostile_kg

pytestmark = pytest.mark.browser

ARTEFACTS = Path(os.environ.get("KG_ARTEFACTS", ROOT / "outputs" / "test-artefacts"))
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "html" / "hostile.md"


@dataclass
class Opened:
    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        return [u for u in self.requests if u != self.url]

    def pwned(self) -> Any:
        return self.page.evaluate("() => window.__pwned")


def open_in(ctx: Any, path: Path) -> Opened:
    """Open a page in a browser context where nothing but the page itself may load, recording what it asks for.

    A ``blob:`` download made in the page is not a request, so exports still work.
    """
    url = path.resolve().as_uri()
    opened = Opened(ctx.new_page(), url)
    page = opened.page
    page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
    page.on("request", lambda r: opened.requests.append(r.url))
    page.on("console", lambda m: opened.errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))

    def dialog(d: Any) -> None:
        opened.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(url)
    page.wait_for_function("() => window.kg && window.kg.ready", timeout=60_000)
    return opened


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    contexts = []

    def opener(path: Path) -> Opened:
        ctx = browser.new_context(viewport={"width": 1366, "height": 800})
        contexts.append(ctx)
        return open_in(ctx, path)

    yield opener
    for ctx in contexts:
        ctx.close()


def node_index(opened: Opened, node_id: str) -> int:
    i: int = opened.page.evaluate("(id) => kg.data.nodes.findIndex(d => d.id === id)", node_id)
    assert i >= 0, node_id
    return i


def click_node(opened: Opened, i: int) -> None:
    """A real mouse click on node ``i``, after centring the view on it, where no other node is drawn over it.

    Once physics has run, a node can lie partly under a neighbour (the
    interviewee's node over their interview's, on a loaded machine where the
    layout ran longer): the click goes to a point of the node's box that
    vis-network itself says is node ``i``, its centre when that is free.
    """
    page = opened.page
    at = page.evaluate("""(i) => {
        const n = kg.network; n.focus(i, {scale: 2.5, animation: false}); n.redraw();
        const box = n.getBoundingBox(i), centre = n.getPosition(i);
        const points = [centre];
        for (let fx = 0.1; fx < 1; fx += 0.2) for (let fy = 0.1; fy < 1; fy += 0.2)
            points.push({x: box.left + fx * (box.right - box.left), y: box.top + fy * (box.bottom - box.top)});
        for (const p of points) { const d = n.canvasToDOM(p); if (n.getNodeAt(d) === i) return d; }
        return n.canvasToDOM(centre); }""", i)
    box = page.locator("#graph canvas").bounding_box()
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    page.wait_for_function("(i) => document.getElementById('panel-title') !== null && "
                           "document.getElementById('panel-title').textContent === kg.data.nodes[i].label",
                           arg=i, timeout=5_000)


def panel_text(opened: Opened) -> str:
    return str(opened.page.locator("#panel").inner_text())


def test_shared_sample_offline_and_quotes(built_barradeau, open_page) -> None:
    kg, out = built_barradeau
    opened = open_page(out / "graph.html")
    assert opened.outside() == [], "the page asked for something outside itself"
    assert opened.errors == []
    page = opened.page
    kinds = page.evaluate("() => kg.data.nodes.map(d => d.kind)")
    assert page.evaluate("() => kg.nodes.length") == len(kg.entities) + len(kg.interviews)
    assert kinds.count("entity") == len(kg.entities)
    assert page.evaluate("() => document.activeElement.id") == "search"
    assert page.title() == kg.interviews[0].title

    click_node(opened, node_index(opened, "tool/stylegan"))
    text = panel_text(opened)
    assert "Style Gan" in text and "Quotes (" in text
    assert page.locator("#panel mark").first.inner_text().casefold().replace(" ", "") == "stylegan"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.evaluate("() => { kg.network.fit({animation: false}); kg.network.redraw(); }")
    box = page.locator("#graph canvas").bounding_box()
    page.mouse.move(box["x"] + 4, box["y"] + box["height"] - 4)  # off every node: no tooltip
    page.wait_for_selector("div.vis-tooltip", state="hidden")
    page.screenshot(path=str(ARTEFACTS / "graph-barradeau.png"))  # docs/graph.png
    assert opened.outside() == [] and opened.errors == []


def test_search_filters_and_interview_panel(built_sample, open_page) -> None:
    kg, out = built_sample
    opened = open_page(out / "graph.html")
    page = opened.page
    page.keyboard.type("ines marchand")  # the search box has focus; accents and case do not matter
    assert "Inès Marchand" in page.locator("#results").inner_text()
    page.keyboard.press("Enter")
    assert page.locator("#panel-title").inner_text() == "Inès Marchand"
    assert page.evaluate("() => document.activeElement.id") == "panel"

    total = page.evaluate("() => kg.nodeView.length")
    tools = sum(1 for e in kg.entities if e.type == "Tool")
    page.locator("#types input[value=Tool]").uncheck()
    assert page.evaluate("() => kg.nodeView.length") == total - tools
    page.locator("#types input[value=Tool]").check()
    page.locator("#min-mentions").fill("2")
    shown = page.evaluate("() => kg.nodeView.get().filter(n => kg.data.nodes[n.id].kind === 'entity').length")
    assert shown == sum(1 for e in kg.entities if len(e.mentions) >= 2)
    page.locator("#physics").check()
    assert page.evaluate("() => kg.network.physics.options.enabled") is True
    page.locator("#physics").uncheck()

    click_node(opened, node_index(opened, kg.interviews[0].id))
    text = panel_text(opened)
    assert "Participants (2)" in text and "Top entities" in text and "Inès Marchand" in text
    assert opened.outside() == [] and opened.errors == []


@pytest.fixture(scope="module")
def built_hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    from kg.pipeline import BuildConfig, build, write_outputs

    out = tmp_path_factory.mktemp("hostile-build")
    kg = build([HOSTILE], BuildConfig())
    write_outputs(kg, out, BuildConfig())
    return kg, out


def test_hostile_transcript_runs_nothing(built_hostile, open_page) -> None:
    kg, out = built_hostile
    opened = open_page(out / "graph.html")
    page = opened.page
    title = kg.interviews[0].title
    assert page.title() == title and page.locator("h1").inner_text() == title

    # the tooltip, by hovering the interview node
    i = node_index(opened, kg.interviews[0].id)
    at = page.evaluate("(i) => { const n = kg.network; n.focus(i, {scale: 2, animation: false}); n.redraw();"
                       " return n.canvasToDOM(n.getPosition(i)); }", i)
    box = page.locator("#graph canvas").bounding_box()
    page.mouse.move(box["x"] + at["x"] + 3, box["y"] + at["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    assert title in page.locator("div.vis-tooltip").inner_text()

    click_node(opened, i)
    assert page.locator("#panel-title").inner_text() == title
    # HTML in a transcript is markup, blanked on reading (kg.ingest.markup); escaped markup is text, shown as text
    click_node(opened, node_index(opened, "tool/python"))
    shown = panel_text(opened)
    assert "<script>window.__pwned='escaped'" in shown \
        and "<img src=x onerror=\"window.__pwned='escaped-img'\">" in shown
    for eid, payload in [("tool/python", "<script>window.__pwned='script'</script>"),
                         ("tool/stylegan", "<img src=x onerror=\"window.__pwned='img'\">"),
                         ("tool/runway", "\"</script><script>window.__pwned='break-out'</script>")]:
        click_node(opened, node_index(opened, eid))
        assert payload not in panel_text(opened) and eid.split("/")[1] in panel_text(opened).casefold()
    assert page.locator("#panel img, #panel script, #panel svg, #panel iframe, #panel b").count() == 0
    assert opened.pwned() is None and opened.dialogs == []
    assert opened.outside() == [] and opened.errors == []


def test_payloads_in_every_field_run_nothing(open_page, tmp_path: Path) -> None:
    from kg.page.render import render_html

    path = tmp_path / "graph.html"
    path.write_text(render_html(hostile_kg()), encoding="utf-8")
    opened = open_page(path)
    page = opened.page
    n = page.evaluate("() => kg.data.nodes.length")
    seen = ""
    for i in range(n):  # every panel, through the page's own select()
        page.evaluate("(i) => kg.select(i, false)", i)
        seen += panel_text(opened)
    page.locator("#search").fill("tool")
    seen += page.locator("#results").inner_text()
    for payload in PAYLOADS:
        assert payload.replace("\u2028", "").strip()[:20] in seen.replace("\u2028", "")
    assert page.locator("body img, body svg, body iframe, #panel script").count() == 0
    assert opened.pwned() is None and opened.dialogs == []
    assert opened.outside() == [] and opened.errors == []


def test_medium_synthetic_corpus_settles(open_page, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("html_scale", ROOT / "benchmarks" / "html_scale.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules["html_scale"] = bench
    spec.loader.exec_module(bench)
    from kg.page.render import render_html

    kg = bench.synthetic_kg(300, 8, sentences=100)
    path = tmp_path / "graph.html"
    path.write_text(render_html(kg), encoding="utf-8")
    opened = open_page(path)
    assert opened.page.evaluate("() => kg.nodes.length") == len(kg.entities) + len(kg.interviews)
    assert opened.page.evaluate("() => kg.network.physics.options.enabled") is False, "physics is frozen once settled"
    assert opened.outside() == [] and opened.errors == []
