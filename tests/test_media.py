"""Quotes that play their moment (#22): times and media fragments in the RDF, playback in the page.

One WebVTT interview is built once for the module, with a short WAV made here
(the wave module) in a folder of recordings passed as ``--media``.
"""

from __future__ import annotations

import json
import re
import wave
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.rdf.vocab import KGI, NIF, SCHEMA

VTT = """WEBVTT

00:00:01.500 --> 00:00:04.000
<v Ana>Bonjour, je travaille avec Python.

00:00:04.000 --> 00:00:08.000
<v Ana>Et aussi avec TouchDesigner à Paris, le soir.

00:00:09.000 --> 00:00:14.000
<v Bob>Très bien. Parlons maintenant de Processing et de la ville de Lyon.
"""
SECONDS = 16
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
ANYURI = URIRef(XSD_NS + "anyURI")


def write_wav(path: Path, seconds: int = SECONDS, rate: int = 8000) -> None:
    """A silent mono WAV: every browser plays PCM, and it is small (8 kB a second)."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(rate)
        w.writeframes(bytes([128]) * rate * seconds)


@pytest.fixture(scope="module")
def timed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path, Path]:
    """(graph, out, recording): the interview built with ``media=(recordings,)``."""
    from kg.pipeline import BuildConfig, build_into

    root = tmp_path_factory.mktemp("timed")
    (root / "in").mkdir()
    (root / "in" / "entretien.vtt").write_text(VTT, encoding="utf-8")
    (root / "rec").mkdir()
    write_wav(root / "rec" / "entretien.wav")
    out = root / "out"
    result = build_into([root / "in"], out, BuildConfig(media=(str(root / "rec"),), formats=("ttl",)))
    return result.graph, out, root / "rec" / "entretien.wav"


def quotes(g: Graph) -> dict[str, Any]:
    return {str(g.value(q, SCHEMA.text)): q for q in g.subjects(RDF.type, KGI.Quote)}


def test_quotes_carry_their_times_and_fragments(timed_build) -> None:
    kg, out, wav = timed_build
    g = Graph().parse(out / "graph.ttl")
    found = quotes(g)
    first = found["Bonjour, je travaille avec Python."]
    # the sentence is the whole first cue: its times are the cue's, not interpolated
    assert float(g.value(first, KGI.startTime)) == 1.5 and float(g.value(first, KGI.endTime)) == 4.0
    assert g.value(first, KGI.timeInterpolated) == Literal(False)
    media = g.value(next(iter(g.subjects(RDF.type, KGI.Interview))), KGI.media)
    assert isinstance(media, Literal) and media.datatype == ANYURI and (out / str(media)).resolve() == wav.resolve()
    assert str(g.value(first, KGI.mediaFragment)) == f"{media}#t=1.5,4"
    # a sentence inside a cue: interpolated by character position, and said to be
    lyon = next(q for text, q in found.items() if "Lyon" in text)
    begin, end = float(g.value(lyon, KGI.startTime)), float(g.value(lyon, KGI.endTime))
    assert 9.0 < begin < end == 14.0 and g.value(lyon, KGI.timeInterpolated) == Literal(True)
    cue = "Très bien. Parlons maintenant de Processing et de la ville de Lyon."
    assert begin == pytest.approx(9.0 + 5.0 * cue.index("Parlons") / len(cue), abs=0.01)
    assert re.fullmatch(rf"{re.escape(str(media))}#t=[0-9.]+,14", str(g.value(lyon, KGI.mediaFragment)))
    # each quote's times lie within its turn's
    for q in found.values():
        turn = g.value(q, SCHEMA.isPartOf)
        assert float(g.value(turn, KGI.startTime)) <= float(g.value(q, KGI.startTime))
        assert float(g.value(q, KGI.endTime)) <= float(g.value(turn, KGI.endTime))
        assert int(g.value(q, NIF.beginIndex)) >= int(g.value(turn, NIF.beginIndex))


def test_timed_graph_passes_the_shapes(timed_build) -> None:
    from kg.rdf.validate import validate

    _, out, _ = timed_build
    report = validate(out / "graph.ttl")
    assert report.conforms and not report.violations, report.format()


def test_shapes_refuse_a_bad_fragment(timed_build) -> None:
    from kg.rdf.validate import validate

    _, out, _ = timed_build
    g = Graph().parse(out / "graph.ttl")
    q = next(iter(g.subjects(RDF.type, KGI.Quote)))
    g.set((q, KGI.mediaFragment, Literal("entretien.wav", datatype=ANYURI)))
    g.set((q, KGI.startTime, Literal("-2", datatype=URIRef(XSD_NS + "decimal"))))
    report = validate(g)
    assert not report.conforms
    text = report.format()
    assert "Media Fragment" in text and "kgi:startTime" in text


def test_a_page_drawn_elsewhere_still_reaches_the_recording(timed_build, tmp_path) -> None:
    from kg.page.render import write_html

    _, out, wav = timed_build
    page = write_html(out, out=tmp_path / "pages" / "p.html")
    found = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page.read_text("utf-8"), re.S)
    assert found is not None
    [(title, date, media)] = json.loads(found.group(1))["interviews"]
    assert (page.parent / media).resolve() == wav.resolve()
    # beside the build's page, the redrawn page (from the RDF: quote times and recording read back) is the same
    redrawn = write_html(out, out=out / "redrawn.html")
    try:
        assert redrawn.read_bytes() == (out / "graph.html").read_bytes()
    finally:
        redrawn.unlink()


# --- the page ------------------------------------------------------------------------------------

@pytest.mark.browser
def test_clicking_a_quote_plays_its_moment(timed_build, browser) -> None:
    kg, out, wav = timed_build
    page_url, media_url = (out / "graph.html").resolve().as_uri(), wav.resolve().as_uri()
    allowed = {page_url, media_url}
    ctx = browser.new_context(viewport={"width": 1366, "height": 800})
    try:
        page = ctx.new_page()
        asked: list[str] = []
        errors: list[str] = []
        # the page and the recording beside it, nothing else
        page.route("**/*", lambda route: route.continue_() if route.request.url.split("#")[0] in allowed
                   else route.abort())
        page.on("request", lambda r: asked.append(r.url.split("#")[0]))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(page_url)
        page.wait_for_function("() => window.kg && window.kg.ready", timeout=60_000)
        page.locator("#search").fill("lyon")
        page.keyboard.press("Enter")
        block = page.locator("#panel blockquote.quote.timed").first
        block.wait_for()
        assert "Lyon" in block.inner_text()
        start = float(page.evaluate("() => kg.data.quotes.find(q => q[2].includes('Lyon'))[4]"))
        assert 9.0 < start < 14.0
        block.locator("p").first.click()
        # read as soon as the recording is open: it plays on from there
        now = page.wait_for_function("() => { const a = document.querySelector('#panel audio.player');"
                                     " return a && a.readyState >= 1 && {t: a.currentTime}; }",
                                     timeout=20_000).json_value()["t"]
        assert abs(now - start) <= 0.5
        src = page.evaluate("() => document.querySelector('#panel audio.player').src")
        assert src.split("#")[0] == media_url
        assert set(asked) <= allowed and media_url in asked
        assert errors == []
    finally:
        ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("media", ["https://evil.example/x.mp3", "//evil.example/x.mp3", "javascript:alert(1)"])
def test_a_recording_elsewhere_is_never_played(media, browser, tmp_path) -> None:
    """Whatever an RDF file names as the recording, the page plays only a local file."""
    from kg.page.data import EntityInfo, GraphData, InterviewInfo, Quote, Span
    from kg.page.render import render_html

    data = GraphData("t", (InterviewInfo("iv", "Entretien", media=media),), (EntityInfo("tool/lyon", "Tool", "Lyon"),),
                     (Quote("iv", 0, "Lyon est là.", "Ana", (Span("tool/lyon", 0, 4),), 1.0, 2.0),))
    page_path = tmp_path / "graph.html"
    page_path.write_text(render_html(data), encoding="utf-8")
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        asked: list[str] = []
        url = page_path.as_uri()
        page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
        page.on("request", lambda r: asked.append(r.url))
        page.goto(page_path.as_uri())
        page.wait_for_function("() => window.kg && window.kg.ready", timeout=60_000)
        page.locator("#search").fill("lyon")
        page.keyboard.press("Enter")
        block = page.locator("#panel blockquote.quote").first
        block.click()
        assert page.locator("#panel .play").count() == 0 and page.locator("audio, video").count() == 0
        assert asked == [page_path.as_uri()]
    finally:
        ctx.close()
