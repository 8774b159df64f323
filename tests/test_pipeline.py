"""The build as a library: extraction cache, parallel extraction, atomic outputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.errors import OutputError
from kg.pipeline import BuildConfig, build, write_atomically, write_outputs
from counting import Counting

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "eval" / "corpus"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("en-qa.txt", "fr-srt.srt"):
        shutil.copy(EVAL / name, folder / name)
    return folder


def test_rebuild_extracts_only_what_changed(corpus: Path, tmp_path: Path) -> None:
    config = BuildConfig(cache_dir=str(tmp_path / "cache"), html=False)
    first = Counting()
    kg1 = build([corpus], config, extractor=first)
    assert sorted(first.seen) == ["en-qa", "fr-srt"]

    again = Counting()
    kg2 = build([corpus], config, extractor=again)
    assert again.seen == []
    assert kg2.entities == kg1.entities

    srt = corpus / "fr-srt.srt"
    srt.write_text(srt.read_text(encoding="utf-8").replace("Glyphs", "FontForge"), encoding="utf-8")
    changed = Counting()
    kg3 = build([corpus], config, extractor=changed)
    assert changed.seen == ["fr-srt"]
    assert any(e.label == "FontForge" for e in kg3.entities)


def test_corrupt_cache_entry_is_reported_and_rebuilt(corpus: Path, tmp_path: Path) -> None:
    config = BuildConfig(cache_dir=str(tmp_path / "cache"), html=False)
    build([corpus], config, extractor=Counting())
    entries = sorted((tmp_path / "cache").glob("*.json"))
    assert len(entries) == 2
    entries[0].write_text('{"schema": 1, "interview": {"truncated', encoding="utf-8")
    warnings: list[str] = []
    counting = Counting()
    build([corpus], config, extractor=counting, warn=warnings.append)
    assert len(counting.seen) == 1
    assert any("corrupt cache entry" in w for w in warnings)


def test_cache_entries_round_trip_text_orjson_refuses(tmp_path: Path) -> None:
    """A lone surrogate (an undecodable byte kept by surrogateescape) falls back to json's escapes and reads back."""
    from dataclasses import replace

    from kg.cache import ExtractionCache
    from kg.ingest import read_transcript

    iv = read_transcript(EVAL / "en-qa.txt")
    odd = replace(iv, title="caf\udce9 notes")
    cache = ExtractionCache(tmp_path / "cache")
    cache.put("k1", odd, "m 1")
    cache.put("k2", iv, "m 1")
    assert cache.get("k1") == odd
    assert cache.get("k2") == iv
    assert (tmp_path / "cache" / "k1.json").read_bytes().isascii()  # the escaped form


def test_parallel_extraction_gives_the_same_graph(corpus: Path, tmp_path: Path) -> None:
    one = write_outputs(build([corpus], BuildConfig(html=False)), tmp_path / "one", BuildConfig(html=False))
    two_config = BuildConfig(html=False, jobs=2)
    two = write_outputs(build([corpus], two_config), tmp_path / "two", two_config)
    assert one["graph.nt"].read_bytes() == two["graph.nt"].read_bytes()


def test_failed_write_leaves_earlier_outputs_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_atomically(out, {"graph.ttl": b"old"})
    (out / "graph.html").mkdir()  # something in the way of one output
    with pytest.raises(OutputError, match="graph.html"):
        write_atomically(out, {"graph.ttl": b"new", "graph.html": b"<html>"})
    assert (out / "graph.ttl").read_bytes() == b"old"
    assert sorted(p.name for p in out.iterdir()) == ["graph.html", "graph.ttl"]


def test_unwritable_output_path_is_one_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot create the output folder"):
        write_atomically(blocker / "out", {"graph.ttl": b"x"})


def test_outputs_are_readable_by_others_as_the_umask_allows(tmp_path: Path) -> None:
    """mkstemp creates files 0600; outputs are meant to be shared and served, so they follow the umask."""
    import os

    old = os.umask(0o022)
    try:
        paths = write_atomically(tmp_path / "out", {"graph.ttl": b"x"})
    finally:
        os.umask(old)
    assert paths["graph.ttl"].stat().st_mode & 0o777 == 0o644


def test_rare_collections_raises_the_threshold_inside_and_restores_it_on_error() -> None:
    import gc

    from kg.memory import rare_collections

    before = gc.get_threshold()
    with pytest.raises(KeyError), rare_collections(first_generation=123_456):
        assert gc.get_threshold()[0] == 123_456
        raise KeyError("boom")
    assert gc.get_threshold() == before
