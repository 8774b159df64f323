"""The synthetic benchmark corpus is what it claims: every shape, both languages, readable by kg (no NLP)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import benchmark

from kg.ingest import read_transcript

synthetic = benchmark("synthetic")
N = 2 * len(synthetic.STYLES)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list:  # type: ignore[type-arg]
    return synthetic.generate(tmp_path_factory.mktemp("synthetic"), N, words=250, seed=3)


def test_generate_writes_n_files_in_every_style_and_language(corpus: list) -> None:  # type: ignore[type-arg]
    folder = Path(corpus[0].path).parent
    assert len([p for p in folder.iterdir() if p.name != "manifest.json"]) == N
    assert {(t.style, t.language) for t in corpus} == {(s, lang) for s in synthetic.STYLES for lang in ("fr", "en")}
    assert json.loads((folder / "manifest.json").read_text())["n"] == N


@pytest.mark.parametrize("i", range(N))
def test_kg_reads_each_file_in_its_format_with_speaker_turns(corpus: list, i: int) -> None:  # type: ignore[type-arg]
    expected = corpus[i]
    iv = read_transcript(expected.path)
    speech = [t for t in iv.turns if t.kind == "speech"]
    assert iv.source_format == expected.format
    assert iv.language == expected.language
    assert len(speech) == expected.turns
    assert all(t.text.strip() and t.speaker for t in speech)
    assert len({t.speaker for t in speech}) == 2


def test_generate_is_deterministic_and_prefix_stable(tmp_path: Path) -> None:
    a = synthetic.generate(tmp_path / "a", 3, words=200, seed=5)
    b = synthetic.generate(tmp_path / "b", 2, words=200, seed=5)
    for x, y in zip(a, b, strict=False):
        assert Path(x.path).read_bytes() == Path(y.path).read_bytes()


def test_answers_run_20_to_300_words_and_questions_stay_short(tmp_path: Path) -> None:
    made = synthetic.generate(tmp_path, 2, words=4000, seed=1)
    for t in made:
        iv = read_transcript(t.path)
        speech = [x for x in iv.turns if x.kind == "speech"]  # the title is a note turn before them
        asked = [len(x.text.split()) for x in speech[0::2]]
        answered = [len(x.text.split()) for x in speech[1::2]]
        assert max(asked) <= 30  # turns alternate from the interviewer's first question
        assert 15 <= min(answered) and max(answered) <= 300 and len(set(answered)) > 10


def test_page_stages_times_every_step_of_the_real_page_and_puts_kg_back() -> None:
    """The timed page is the page kg draws (same bytes), and the timing wrappers do not outlive the run."""
    import hashlib

    from kg.page import render as viz

    stages, html_scale = benchmark("page_stages"), benchmark("html_scale")
    graph = html_scale.synthetic_kg(entities=60, interviews=4, sentences=30, seed=2)
    before = {name: getattr(viz, name) for name in ("kg_parts", "page_network", "measures", "layout", "page_data")}
    seconds, digest = stages.draw_once(graph)
    assert set(seconds) == set(stages.STEPS)
    assert all(s >= 0 for s in seconds.values()) and seconds["page"] >= seconds["measures"] > 0
    assert digest == hashlib.sha256(viz.render_html(graph).encode("utf-8")).hexdigest()
    assert {name: getattr(viz, name) for name in before} == before


@pytest.mark.browser
def test_review_actions_runs_every_action_and_its_undo(tmp_path: Path) -> None:
    """The review benchmark performs every action (the page would refuse one it could not do) and undoes it."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no /usr/bin/chromium")
    from kg.page.render import render_html

    review, html_scale = benchmark("review_actions"), benchmark("html_scale")
    path = tmp_path / "graph.html"
    path.write_text(render_html(html_scale.synthetic_kg(entities=60, interviews=4, sentences=30, seed=2)), "utf-8")
    result = review.measure(path, 1)
    assert set(result["ms"]) == {"check", "rename", "retype", "link", "split", "split-mention", "merge", "ignore",
                                 "undo"}
    assert result["ms"]["undo"]["n"] == 8 and result["redraw_painted_ms"] > 0


@pytest.mark.slow
def test_dask_cluster_benchmark_builds_the_same_bytes_three_ways(tmp_path: Path) -> None:
    """The Dask benchmark really builds with --jobs, on its LocalCluster and on kg's own, and compares every file."""
    pytest.importorskip("distributed")
    report = tmp_path / "dask.json"
    bench = benchmark("dask_cluster")
    assert bench.main(["--n", "2", "--words", "150", "--rounds", "1", "--work", str(tmp_path / "work"),
                       "--json", str(report)]) == 0
    figures = json.loads(report.read_text(encoding="utf-8"))
    assert figures["identical"] and {"graph.ttl", "summary.json"} <= set(figures["files_compared"])
    assert all(len(figures["seconds"][way]) == 1 and figures["seconds"][way][0] > 0 for way in bench.WAYS)
    assert bench.differences({"a": b"1", "b": b"2"}, {"a": b"1", "b": b"3", "c": b""}) == ["b", "c"]


shapes_bench = benchmark("eval_shapes")
THEATRE = Path(__file__).resolve().parent.parent / "eval" / "unseen" / "corpus" / "fr-theatre-tournee.txt"


def _turns(path: Path) -> list[tuple[str | None, str]]:
    iv = read_transcript(path)
    return [(t.speaker, " ".join(t.text.split())) for t in iv.turns if t.kind == "speech"]


@pytest.mark.parametrize("layout", ["label alone", "bold label", "tabbed", "capitals", "numbered", "timestamped",
                                    "Otter", "Rev"])
def test_every_layout_the_shape_benchmark_writes_is_read_as_the_same_turns(tmp_path: Path, layout: str) -> None:
    text = THEATRE.read_text(encoding="utf-8")
    if layout == "numbered":
        shaped = shapes_bench.rewrite(text, shapes_bench.shapes("fr")["original"], numbered=True)
    elif layout in shapes_bench.TIMED:
        shaped = shapes_bench.rewrite(text, shapes_bench._timed(shapes_bench.TIMED[layout]))
    else:
        shaped = shapes_bench.rewrite(text, shapes_bench.shapes("fr")[layout])
    assert shaped is not None and shaped != text
    path = tmp_path / THEATRE.name
    path.write_text(shaped, encoding="utf-8")
    expected = _turns(THEATRE)
    assert len(expected) > 20 and len({s for s, _ in expected}) == 2
    assert _turns(path) == expected  # the same speakers, the same words, turn by turn


@pytest.mark.parametrize("shape", ["press dashes", "quoted questions", "SRT with labels", "ASR lines",
                                   "ASR lines, timed", "copied transcript", "copied transcript, one line",
                                   "bold questions", "heading questions", "HTML page"])
def test_every_whole_file_shape_is_read_as_the_same_speech(tmp_path: Path, shape: str) -> None:
    whole, suffix = shapes_bench.WHOLE[shape]
    shaped = whole(THEATRE.read_text(encoding="utf-8"))
    assert shaped is not None
    path = tmp_path / f"shaped{suffix or THEATRE.suffix}"
    path.write_text(shaped, encoding="utf-8")
    said = re.findall(r"\w+", " ".join(t for _, t in _turns(path)))
    expected = re.findall(r"\w+", " ".join(t for _, t in _turns(THEATRE)))
    if shape == "HTML page":  # the page's opening paragraph (the header, as the page prints it) is read too
        said = said[len(said) - len(expected):]
    assert said == expected  # every word, in order, and nothing else (the page's apostrophes are blanked entities)
    if shape.startswith(("ASR lines", "copied transcript")):
        assert len(_turns(path)) == 1
        assert read_transcript(path).source_format == ("plain" if shape == "ASR lines" else "segments")


def test_the_shape_benchmark_takes_the_punctuation_and_the_capitals_away_and_kg_says_so(tmp_path: Path) -> None:
    text = THEATRE.read_text(encoding="utf-8")
    for layout, warning in (("unpunctuated", "almost no punctuation"), ("lower case", "almost no capital letters")):
        shaped = shapes_bench.rewrite(text, shapes_bench.shapes("fr")[layout])
        body = shaped.partition("\n\n")[2]
        assert not any(mark in body for mark in ".,?!")
        said = [line.split(":", 1)[1] for line in body.splitlines() if ":" in line]
        assert (layout == "lower case") == all(words == words.lower() for words in said)
        path = tmp_path / f"{layout.replace(' ', '-')}.txt"
        path.write_text(shaped, encoding="utf-8")
        iv = read_transcript(path)
        assert any(w.startswith(warning) for w in iv.warnings), layout
        assert [s for s, _ in _turns(path)] == [s for s, _ in _turns(THEATRE)]
    captions = shapes_bench.captions(text)
    (tmp_path / "captions.srt").write_text(captions, encoding="utf-8")
    words = " ".join(w for _, t in _turns(tmp_path / "captions.srt") for w in [t])
    assert words.split()[:12] == " ".join(t for _, t in _turns(THEATRE)).split()[:12]  # the speech, without labels


def test_bare_parallel_balances_shares_and_times_children_that_really_parse(tmp_path: Path) -> None:
    bare_parallel = benchmark("bare_parallel")
    items = [("fr", ["x" * n]) for n in (90, 50, 40, 30, 10)]
    loads = sorted(sum(len(t) for _, turns in share for t in turns) for share in bare_parallel.shares(items, 2))
    assert loads == [100, 120]  # greedy, longest first: 90+30 against 50+40+10
    corpus = synthetic.generate(tmp_path / "corpus", 2, words=120, seed=2)
    out = tmp_path / "bare.json"
    assert bare_parallel.main([str(Path(corpus[0].path).parent), "--jobs", "2", "--no-kg", "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["transcripts"] == 2 and result["bare_s"][0] > 0 and "ratio" not in result


def test_the_attribute_rules_benchmark_times_both_pipelines_and_finds_them_alike(tmp_path: Path) -> None:
    out = tmp_path / "rules.json"
    assert benchmark("attribute_rules").main(["--n", "2", "--words", "150", "--repeats", "2", "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["same_annotations"] is True
    assert len(result["cpu_s"]["kg"]) == len(result["cpu_s"]["stock"]) == 2 and result["ratio"] > 0
