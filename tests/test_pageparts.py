"""The page's per-interview parts: counted as a plain count would, kept between builds, and never trusted blindly."""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest
from helpers import page_walks
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.model import KnowledgeGraph
from kg.page.data import Quote, Span
from kg.page.parts import FILE, PartStore, part_of, store_bytes
from kg.pipeline import BuildConfig, build, write_outputs

spans = st.lists(st.tuples(st.sampled_from("abcde"), st.integers(0, 30), st.integers(1, 5)), min_size=1, max_size=5)


@settings(max_examples=60, deadline=None)
@given(st.lists(spans, max_size=12))
def test_a_part_counts_what_a_plain_count_of_its_quotes_gives(quotes_spans: list) -> None:
    quotes = [Quote("i", 100 * k, f"q{k}", "S" if k % 2 else None,
                    tuple(sorted({Span(e, a, a + n) for e, a, n in found}, key=lambda s: (s.start, s.end, s.entity))))
              for k, found in enumerate(quotes_spans)]
    part = part_of(quotes)
    assert part.rows == [[q.speaker, q.text, q.start] for q in quotes]
    assert part.mentions == dict(Counter(s.entity for q in quotes for s in q.spans))
    pairs = Counter(p for q in quotes for p in combinations(sorted({s.entity for s in q.spans}), 2))
    assert {(a, b): n for a, with_a in part.pairs.items() for b, n in with_a.items()} == dict(pairs)
    for eid, refs in part.refs.items():
        assert [r[0] for r in refs] == [k for k, q in enumerate(quotes) if any(s.entity == eid for s in q.spans)]
        for row, where in refs:
            assert where == [[s.start, s.end] for s in quotes[row].spans if s.entity == eid]


def test_parts_go_to_the_file_and_back_unchanged(tmp_path: Path) -> None:
    part = part_of([Quote("i", 0, "Python et p5.js", "Ana", (Span("p", 0, 6), Span("q", 10, 15)))])
    (tmp_path / FILE).write_bytes(store_bytes({"k1": part}))
    store = PartStore.load(tmp_path)
    assert len(store) == 1 and store.get("k1") == part and store.get("k2") is None


def _file(header: dict, payload: bytes) -> bytes:
    import hashlib

    import orjson

    return orjson.dumps({**header, "sha256": hashlib.sha256(payload).hexdigest()}) + b"\n" + payload


@pytest.mark.parametrize("damage", ["cut short", "other version", "other code", "edited", "entry of another shape"])
def test_a_parts_file_that_cannot_be_trusted_is_walked_again(damage: str, tmp_path: Path) -> None:
    import orjson

    part = part_of([Quote("i", 0, "Python", None, (Span("p", 0, 6),))])
    good = store_bytes({"k1": part})
    header_line, _, payload = good.partition(b"\n")
    header = orjson.loads(header_line)
    if damage == "cut short":
        data = good[:-5]
    elif damage == "other version":
        data = _file({**header, "version": 99}, payload)
    elif damage == "other code":
        data = _file({**header, "code": "0" * 64}, payload)
    elif damage == "edited":  # by hand, after the build: the header's hash no longer matches
        data = header_line + b"\n" + payload.replace(b"Python", b"Pythor")
    else:  # written with the right hash, but not what this code writes
        data = _file(header, orjson.dumps({"k1": [[], "rows", {}, {}]}))
    (tmp_path / FILE).write_bytes(good)
    assert PartStore.load(tmp_path).get("k1") == part
    (tmp_path / FILE).write_bytes(data)
    assert PartStore.load(tmp_path).get("k1") is None


def test_text_orjson_cannot_write_still_gives_a_file_and_no_error(tmp_path: Path) -> None:
    part = part_of([Quote("i", 0, "bad \ud800", None, (Span("p", 0, 3),))])
    (tmp_path / FILE).write_bytes(store_bytes({"k1": part}))
    assert PartStore.load(tmp_path).get("k1") in (None, part)  # read back, or walked again


def _first_build(corpus: Path, tmp_path: Path) -> tuple[BuildConfig, Path, KnowledgeGraph]:
    """A Turtle-and-page build of ``corpus`` into ``tmp_path / "out"`` (cache beside it): config, folder, graph."""
    config = BuildConfig(cache_dir=str(tmp_path / "cache"), formats=("ttl",))
    out = tmp_path / "out"
    graph = build([corpus], config)
    write_outputs(graph, out, config)
    return config, out, graph


def test_a_curation_change_walks_the_interviews_it_reaches_and_the_page_is_a_fresh_one(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dropping an entity changes what the interviews naming it give the page: theirs are walked again, no other."""
    _, out, before = _first_build(corpus, tmp_path)
    assert (out / FILE).is_file()
    curation = tmp_path / "curation.yaml"
    curation.write_text("ignore: [tool/python]\n", encoding="utf-8")
    curated = BuildConfig(cache_dir=str(tmp_path / "cache"), formats=("ttl",), curation=str(curation))
    graph = build([corpus], curated)
    naming = {r.interview for e in before.entities if e.id == "tool/python" for r in e.mentions}
    assert 0 < len(naming) < len(graph.interviews)
    walked = page_walks(monkeypatch, tmp_path / "walks")
    write_outputs(graph, out, curated)
    assert sorted(walked()) == sorted(naming)
    fresh = tmp_path / "fresh"
    write_outputs(graph, fresh, curated)
    assert (out / "graph.html").read_bytes() == (fresh / "graph.html").read_bytes()
    assert b'"id":"tool/python"' not in (out / "graph.html").read_bytes()


def test_a_build_without_the_parts_file_walks_everything_and_draws_the_same_page(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, out, graph = _first_build(corpus, tmp_path)
    page = (out / "graph.html").read_bytes()
    (out / FILE).unlink()
    walked = page_walks(monkeypatch, tmp_path / "walks")
    written = write_outputs(graph, out, config)
    assert sorted(walked()) == sorted(iv.id for iv in graph.interviews)
    assert (out / "graph.html").read_bytes() == page
    assert (out / FILE).is_file() and FILE not in {p.name for p in written.values()}  # kg's bookkeeping, not an output
    (tmp_path / "walks").unlink()
    write_outputs(graph, out, config)
    assert walked() == []  # nothing changed: every part came from the file
    assert (out / "graph.html").read_bytes() == page


def test_a_parts_file_damaged_inside_its_entries_still_gives_the_fresh_page(corpus: Path, tmp_path: Path) -> None:
    """Entries edited by hand are not read; entries of another shape under a matching hash make the build walk
    every interview again: either way the page is the fresh one, and the file is whole again."""
    import orjson

    config, out, graph = _first_build(corpus, tmp_path)
    page, kept = (out / "graph.html").read_bytes(), (out / FILE).read_bytes()
    header_line, _, payload = kept.partition(b"\n")
    parts = orjson.loads(payload)
    for entry in parts.values():
        entry[0] = [7] * len(entry[0])  # rows of one number, not [speaker, text]
    for data in (header_line + b"\n" + orjson.dumps(parts), _file(orjson.loads(header_line), orjson.dumps(parts))):
        (out / FILE).write_bytes(data)
        write_outputs(graph, out, config)
        assert (out / "graph.html").read_bytes() == page
        assert (out / FILE).read_bytes() == kept
