"""The build as a library: extraction cache, parallel extraction, atomic outputs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from counting import Counting
from helpers import EVAL, copy_corpus

from kg.errors import OutputError
from kg.files import write_atomically
from kg.pipeline import BuildConfig, build, build_into, write_outputs


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return copy_corpus(tmp_path / "corpus", ("en-qa.txt", "fr-srt.srt"))


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


class Unsaid(Counting):
    """A wrapper that cannot say what it brings (no ``fingerprint``)."""

    fingerprint = None  # type: ignore[assignment]


def test_the_cache_keys_entries_by_the_extractor_s_vocabulary_and_models(corpus: Path, tmp_path: Path) -> None:
    """A library caller's own vocabulary or typing model is not named by the options: entries found with another
    must not come back (a build once mixed entries made with an empty vocabulary into a corpus's cache)."""
    from kg.extract import load_vocabulary, make_extractor
    from kg.extract.classifier import TypingModel, load_model
    from kg.extract.spacy_ner import SpacyExtractor

    config = BuildConfig(cache_dir=str(tmp_path / "cache"), html=False)
    default = build([corpus], config, extractor=Counting())
    bare = Counting()
    bare.inner = make_extractor(None, vocabulary=load_vocabulary(()))
    without = build([corpus], config, extractor=bare)
    assert sorted(bare.seen) == ["en-qa", "fr-srt"]  # not the default extractor's entries
    assert {m.source for iv in without.interviews for m in iv.mentions} - {"vocab"} == \
        {m.source for iv in without.interviews for m in iv.mentions}
    assert any(m.source == "vocab" for iv in default.interviews for m in iv.mentions)

    retyped = Counting()
    weights = load_model()
    retyped.inner = SpacyExtractor(typing=TypingModel(weights.classes, {**weights.weights,
                                                                        "bias": (0.0,) * len(weights.classes)},
                                                      weights.intercept, weights.meta))
    build([corpus], config, extractor=retyped)
    assert sorted(retyped.seen) == ["en-qa", "fr-srt"]

    again = Counting()
    build([corpus], config, extractor=again)
    assert again.seen == []  # the default extractor's entries are still there, and its own


def test_an_extractor_without_a_fingerprint_is_never_served_from_the_cache(corpus: Path, tmp_path: Path) -> None:
    config = BuildConfig(cache_dir=str(tmp_path / "cache"), html=False)
    build([corpus], config, extractor=Counting())
    unsaid = Unsaid()
    build([corpus], config, extractor=unsaid)
    assert sorted(unsaid.seen) == ["en-qa", "fr-srt"]


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


def _age(path: Path, days: float) -> None:
    import os
    import time

    then = time.time() - days * 86400
    os.utime(path, (then, then))


def test_a_build_touches_the_entries_it_uses_and_removes_long_unused_ones(corpus: Path, tmp_path: Path) -> None:
    """Entries of other kg code or options are never read again: without upkeep the cache grows with every upgrade."""
    from kg.cache import UNUSED_DAYS

    cache = tmp_path / "cache"
    config = BuildConfig(cache_dir=str(cache), html=False)
    build([corpus], config, extractor=Counting())
    used = sorted(cache.glob("*.json"))
    for entry in used:
        _age(entry, UNUSED_DAYS + 5)  # used long ago, and used again below
    stale = cache / ("a" * 64 + ".json")  # an entry of some older kg version, unused since
    stale.write_text("{}", encoding="utf-8")
    _age(stale, UNUSED_DAYS + 1)
    recent = cache / ("b" * 64 + ".json")  # unused by this build, but used by some build last week
    recent.write_text("{}", encoding="utf-8")
    _age(recent, UNUSED_DAYS - 7)
    keep = cache / "notes.json"  # not an entry's name: never counted or removed
    keep.write_text("{}", encoding="utf-8")
    _age(keep, 400)

    again = Counting()
    build([corpus], config, extractor=again)
    assert again.seen == []  # the aged entries were still read...
    assert sorted(cache.glob("*.json")) == sorted([*used, recent, keep])  # ...and only the stale one went
    import time

    assert all(time.time() - p.stat().st_mtime < 3600 for p in used)  # reading an entry marks it used


def test_kg_cache_info_and_prune(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    out = tmp_path / "out"
    config = BuildConfig(cache_dir=str(out / ".kg-cache"), html=False)
    write_outputs(build([corpus], config, extractor=Counting()), out, config)
    entries = sorted((out / ".kg-cache").glob("*.json"))
    assert len(entries) == 2
    _age(entries[0], 10)

    main(["cache", "info", str(out)])
    assert "entries     2 (" in capsys.readouterr().out
    main(["cache", "prune", str(out), "--unused-days", "5", "--dry-run"])
    assert "would remove 1 entries" in capsys.readouterr().out
    assert sorted((out / ".kg-cache").glob("*.json")) == entries
    main(["cache", "prune", str(out), "--unused-days", "5"])
    assert capsys.readouterr().out.startswith("removed     1 entries")
    assert sorted((out / ".kg-cache").glob("*.json")) == entries[1:]
    main(["cache", "prune", str(out / ".kg-cache"), "--unused-days", "0"])  # the cache folder itself, every entry
    assert "1 entries" in capsys.readouterr().out
    assert not list((out / ".kg-cache").glob("*.json"))
    assert (out / "summary.json").is_file() and (out / "graph.ttl").is_file()  # outputs are no entries
    main(["cache", "prune", str(out), "--unused-days", "0"])
    assert "removed     0 entries" in capsys.readouterr().out


@pytest.mark.parametrize("large", [False, True])
def test_a_large_corpus_frees_the_models_once_extracted(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        large: bool) -> None:
    """A rebuild that extracts one file of a thousand must not carry the models through its output stage."""
    import kg.pipeline.extraction
    from kg.extract import make_extractor
    from kg.extract.spacy_ner import _CACHE

    monkeypatch.setattr(kg.pipeline.extraction, "LARGE_CORPUS", 2 if large else 100)
    extractor = make_extractor(None)
    build([corpus], BuildConfig(cache_dir=str(tmp_path / "cache"), html=False), extractor=extractor)
    assert (len(_CACHE) == 0) is large


def test_a_few_changed_files_are_extracted_while_the_cache_loads(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """In a large cached corpus, the changed files go to worker processes started before the cache is read."""
    import kg.pipeline.extraction
    from kg.errors import KgError
    from kg.extract import spacy_ner

    folder = copy_corpus(tmp_path / "corpus")
    config = BuildConfig(cache_dir=str(tmp_path / "cache"), html=False, jobs=2)
    build([folder], config)
    changed = folder / "fr-plain-names.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nLéa : J'utilise aussi Processing.\n",
                       encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    monkeypatch.setattr(kg.pipeline.extraction, "LARGE_CORPUS", 3)
    monkeypatch.setattr(spacy_ner, "_CACHE", {})  # no model in this process from here on
    beside: list[list[str]] = []
    real = kg.pipeline.extraction.extract_early

    def spy(extractor, files, config):  # type: ignore[no-untyped-def]
        beside.append(sorted(p.name for p in files))
        return real(extractor, files, config)

    monkeypatch.setattr(kg.pipeline.extraction, "extract_early", spy)
    warnings: list[str] = []
    graph = build([folder], config, warn=warnings.append)
    assert beside == [["empty.txt", "fr-plain-names.txt"]]
    assert spacy_ner._CACHE == {}, "the changed file was extracted in this process"
    assert any("skipped" in w and "empty.txt" in w for w in warnings)
    with pytest.raises(KgError, match="empty.txt"):
        build([folder], replace(config, strict=True))
    (folder / "empty.txt").unlink()
    beside.clear()
    again = build([folder], config)
    assert beside == [[]], "the changed file's extraction was not cached"
    fresh = build([folder], BuildConfig(html=False))
    assert graph.interviews == again.interviews == fresh.interviews
    assert graph.entities == fresh.entities


def test_parallel_extraction_gives_the_same_graph(corpus: Path, tmp_path: Path) -> None:
    one = write_outputs(build([corpus], BuildConfig(html=False)), tmp_path / "one", BuildConfig(html=False))
    two_config = BuildConfig(html=False, jobs=2)
    two = write_outputs(build([corpus], two_config), tmp_path / "two", two_config)
    assert one["graph.ttl"].read_bytes() == two["graph.ttl"].read_bytes()


def test_failed_write_leaves_earlier_outputs_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_atomically(out, {"graph.ttl": b"old"})
    (out / "graph.html").mkdir()  # something in the way of one output
    with pytest.raises(OutputError, match="graph.html"):
        write_atomically(out, {"graph.ttl": b"new", "graph.html": b"<html>"})
    assert (out / "graph.ttl").read_bytes() == b"old"
    assert sorted(p.name for p in out.iterdir()) == ["graph.html", "graph.ttl"]


def test_writeback_is_asked_of_real_files_and_skipped_for_others(tmp_path: Path) -> None:
    """`_start_writeback` must never fail a build: a file on disk gets the system call, a stream in memory none."""
    import io

    from kg.pipeline.outputs import _start_writeback

    with (tmp_path / "graph.ttl").open("wb") as fh:
        fh.write(b"x" * 100_000)
        _start_writeback([fh, io.BytesIO(b"in memory")])
        fh.write(b"y")
    assert (tmp_path / "graph.ttl").stat().st_size == 100_001


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


def test_settled_objects_are_set_aside_until_the_outermost_block_ends_even_on_error() -> None:
    import gc

    from kg.pipeline.collector import settle, settling

    gc.unfreeze()  # whatever an earlier test in this process left
    settle()  # outside a build: nothing set aside
    assert gc.get_freeze_count() == 0
    kept = [object() for _ in range(10)]  # noqa: F841 - alive while settled
    with pytest.raises(KeyError), settling():
        with settling():
            settle()
            frozen = gc.get_freeze_count()
            assert frozen > 0
        assert gc.get_freeze_count() > frozen // 2  # an inner block's end keeps them aside: the build goes on
        raise KeyError("boom")
    assert gc.get_freeze_count() == 0  # the collector's again


def test_a_build_sets_its_objects_aside_and_gives_them_back(corpus: Path, tmp_path: Path) -> None:
    """The build freezes what it made (stages cannot tell), and a program that built goes on with none frozen."""
    import gc

    from kg.pipeline import collector as module

    seen: list[int] = []
    real = module.gc.freeze

    def counting() -> None:
        real()
        seen.append(gc.get_freeze_count())

    module.gc.freeze = counting  # type: ignore[assignment]
    try:
        build_into([corpus], tmp_path / "out", BuildConfig(cache_dir=str(tmp_path / "cache"), store=False),
                   extractor=Counting())
    finally:
        module.gc.freeze = real  # type: ignore[assignment]
    assert len(seen) >= 3 and seen[-1] > 0  # after extraction, resolution, and as the outputs start
    assert gc.get_freeze_count() == 0


def test_rare_collections_raises_the_threshold_inside_and_restores_it_on_error() -> None:
    import gc

    from kg.memory import rare_collections

    before = gc.get_threshold()
    with pytest.raises(KeyError), rare_collections(first_generation=123_456):
        assert gc.get_threshold()[0] == 123_456
        raise KeyError("boom")
    assert gc.get_threshold() == before
