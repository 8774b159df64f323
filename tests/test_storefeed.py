"""The query store loaded while a build writes its graph file (`kg.storefeed`, issue #25): the same store as one
loaded from the finished file, never read half-loaded.  Hand-made graphs, no model, except for the build."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from helpers import ROOT
from test_store import corpus, file_quads, quads, written

from kg.pipeline import BuildConfig, write_outputs
from kg.store import MANIFEST, STORE, is_current, read_manifest, ready_store, sync_store
from kg.storefeed import FIFO, Fed, StoreFeed


def fed_build(out: Path, graph, formats: tuple[str, ...] = ("ttl",), jobs: int = 1):  # type: ignore[no-untyped-def]
    """``graph`` written into ``out`` with its store fed meanwhile, as ``kg build`` does; sync_store's report."""
    feed = StoreFeed(out, formats)
    write_outputs(graph, out, BuildConfig(html=False, formats=formats, jobs=jobs), follower=feed)
    return sync_store(out, fed=feed.finish())


@pytest.mark.parametrize("fmt", ["ttl", "nq", "nt", "trig"])
def test_a_store_fed_while_written_is_the_store_loaded_from_the_file(tmp_path: Path, fmt: str) -> None:
    graph = corpus(3)
    report = fed_build(tmp_path / "out", graph, (fmt,))
    assert report.full and report.while_written and report.loaded == 3
    reference = written(tmp_path / "ref", graph, (fmt,))
    loaded = sync_store(reference)
    assert loaded.full and not loaded.while_written
    assert quads(ox.Store.read_only(str(report.path))) == quads(ox.Store.read_only(str(loaded.path))) \
        == file_quads(written(tmp_path / "nq", graph, ("nq",)))
    fed_manifest, file_manifest = read_manifest(tmp_path / "out"), read_manifest(reference)
    assert fed_manifest is not None and file_manifest is not None
    assert fed_manifest["graphs"] == file_manifest["graphs"] and fed_manifest["default"] == file_manifest["default"]
    assert is_current(tmp_path / "out") and not (tmp_path / "out" / STORE / FIFO).exists()


def test_a_store_fed_beside_forked_rendering_workers_and_the_page(tmp_path: Path) -> None:
    graph = corpus(9)
    out = tmp_path / "out"
    feed = StoreFeed(out, ("ttl",))
    write_outputs(graph, out, BuildConfig(html=True, jobs=2), follower=feed)
    report = sync_store(out, fed=feed.finish())
    assert report.while_written and report.loaded == 9
    assert quads(ox.Store.read_only(str(report.path))) == file_quads(written(tmp_path / "nq", graph, ("nq",)))


def test_a_rebuild_with_few_changes_updates_the_store_and_feeds_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert fed_build(out, corpus(4)).while_written
    report = fed_build(out, corpus(4, changed={1: " depuis 2019."}))
    assert not report.full and not report.while_written and (report.loaded, report.kept) == (1, 3)
    assert quads(ox.Store.read_only(str(report.path))) == file_quads(written(tmp_path / "nq", corpus(
        4, changed={1: " depuis 2019."}), ("nq",)))
    graph = corpus(4)  # another setup changes every interview's chunk key: loaded from nothing, fed again
    other = type(graph)(graph.interviews, graph.entities, {**graph.provenance, "setup": "other"})
    assert fed_build(out, other).while_written


class Watched(StoreFeed):
    """A feed that notes the names of the files it catches up from."""

    names: list[str] = []

    def catch_up(self, sinks, ranges) -> None:  # type: ignore[no-untyped-def]
        Watched.names = [Path(sink.name).name for sink in sinks.values()]
        super().catch_up(sinks, ranges)


def test_a_rebuilds_store_is_brought_up_to_date_before_the_files_are_renamed(tmp_path: Path) -> None:
    """The update runs while the page would be drawn, from the files under their temporary names; the store has
    no manifest until the files are in place, and is then vouched for without reading them again."""
    out = tmp_path / "out"
    fed_build(out, corpus(4))
    changed = corpus(4, changed={2: " depuis 2019."})
    feed = Watched(out, ("ttl",))
    write_outputs(changed, out, BuildConfig(html=True, jobs=1), follower=feed)
    assert Watched.names and all(name.startswith(".graph.ttl.") for name in Watched.names)  # not renamed yet
    caught = feed.finish()
    assert caught is not None and caught.report is not None and (caught.report.loaded, caught.report.kept) == (1, 3)
    assert read_manifest(out) is None and not is_current(out)  # nothing reads it before the manifest says so
    report = sync_store(out, fed=caught)
    assert report == replace(caught.report, seconds=report.seconds)  # vouched for: nothing loaded again
    assert is_current(out)
    assert quads(ox.Store.read_only(str(report.path))) == file_quads(written(tmp_path / "nq", changed, ("nq",)))
    manifest = read_manifest(out)
    assert manifest is not None
    again = sync_store(out)  # the manifest names the files as they are: nothing to do
    assert again.up_to_date


def test_a_store_brought_up_to_date_from_other_bytes_is_loaded_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    fed_build(out, corpus(4))
    changed = corpus(4, changed={2: " depuis 2019."})
    feed = StoreFeed(out, ("ttl",))
    write_outputs(changed, out, BuildConfig(html=False), follower=feed)
    caught = feed.finish()
    assert caught is not None and caught.stamp is not None
    for wrong in (Fed(caught.fmt, caught.graphs, caught.size, stamp=(caught.stamp[0], caught.stamp[1] - 1),
                      chunks=caught.chunks, default=caught.default, report=caught.report),
                  Fed(caught.fmt, caught.graphs, caught.size, stamp=caught.stamp,
                      chunks={k: (o + 1, n) for k, (o, n) in (caught.chunks or {}).items()}, default=caught.default,
                      report=caught.report)):
        (out / STORE / MANIFEST).unlink(missing_ok=True)
        said: list[str] = []
        report = sync_store(out, fed=wrong, warn=said.append)
        assert report.full and not said  # loaded again from the files, not vouched for
    assert quads(ox.Store.read_only(str(out / STORE / "db"))) == file_quads(written(tmp_path / "nq", changed, ("nq",)))


class FailsAfterCatchingUp(StoreFeed):
    def catch_up(self, sinks, ranges) -> None:  # type: ignore[no-untyped-def]
        super().catch_up(sinks, ranges)
        raise KeyboardInterrupt


def test_a_rebuild_that_stops_after_the_store_caught_up_leaves_the_last_files_and_no_store(tmp_path: Path) -> None:
    out = tmp_path / "out"
    fed_build(out, corpus(4))
    before = (out / "graph.ttl").read_bytes()
    feed = FailsAfterCatchingUp(out, ("ttl",))
    with pytest.raises(KeyboardInterrupt):
        write_outputs(corpus(4, changed={2: " depuis 2019."}), out, BuildConfig(html=False), follower=feed)
    feed.abandon()  # as build_into does
    assert feed.finish() is None and (out / "graph.ttl").read_bytes() == before
    assert not (out / STORE / "db").exists() and read_manifest(out) is None  # updated for files never renamed
    said: list[str] = []
    report = sync_store(out, warn=said.append)
    assert report.full and not said
    assert quads(ox.Store.read_only(str(report.path))) == file_quads(written(tmp_path / "nq", corpus(4), ("nq",)))


def test_a_feed_that_is_not_the_files_is_not_vouched_for(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = fed_build(out, corpus(3))
    manifest = read_manifest(out)
    assert manifest is not None
    graphs = {str(k): str(v) for k, v in dict(manifest["graphs"]).items()}  # type: ignore[call-overload]
    size = (out / "graph.ttl").stat().st_size
    for wrong in (Fed("ttl", graphs, size - 1), Fed("nq", graphs, size), Fed("ttl", dict(list(graphs.items())[1:]),
                                                                                  size)):
        (out / STORE / MANIFEST).unlink()
        again = sync_store(out, fed=wrong)
        assert again.full and not again.while_written  # loaded again from the file, not taken as it was fed
    assert quads(ox.Store.read_only(str(report.path))) == file_quads(written(tmp_path / "nq", corpus(3), ("nq",)))


def test_a_build_killed_while_feeding_leaves_a_store_that_is_never_read(tmp_path: Path) -> None:
    """A real SIGKILL after the second interview was fed: the last build's files stay, and the store (emptied for
    the load) has no manifest, so it is loaded again from those files with a warning, never read as it was."""
    out = tmp_path / "out"
    fed_build(out, corpus(4))
    script = textwrap.dedent(f"""
        import os, signal, sys, time
        sys.path.insert(0, {str(ROOT / "tests")!r})
        import kg.storefeed
        from test_store import corpus
        from kg.pipeline import BuildConfig, write_outputs
        chunk, seen = kg.storefeed.StoreFeed.chunk, []
        def killed(self, *args):
            chunk(self, *args)
            seen.append(args)
            if len(seen) == 2:
                for _ in range(2000):  # the loader's thread has opened the store by now, or soon
                    if os.path.exists({str(out / STORE / "db" / "CURRENT")!r}):
                        break
                    time.sleep(0.005)
                os.kill(os.getpid(), signal.SIGKILL)
        kg.storefeed.StoreFeed.chunk = killed
        graph = corpus(4)
        other = type(graph)(graph.interviews, graph.entities, {{**graph.provenance, "setup": "other"}})
        write_outputs(other, {str(out)!r}, BuildConfig(html=False), follower=kg.storefeed.StoreFeed({str(out)!r},
                      ("ttl",)))
        sys.exit(3)
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    assert (out / STORE / "db").is_dir() and not (out / STORE / MANIFEST).exists() and not is_current(out)
    said: list[str] = []
    db = ready_store(out, warn=said.append)
    assert db is not None and len(said) == 1 and "half-updated" in said[0], said
    assert quads(ox.Store.read_only(str(db))) == file_quads(written(tmp_path / "nq", corpus(4), ("nq",)))


class Interrupted(StoreFeed):
    """A feed during which the writing stops (Ctrl-C) once two interviews were fed."""

    def chunk(self, key: str, offset: int, length: int) -> None:
        super().chunk(key, offset, length)
        if len(self._queue_seen) == 2:
            raise KeyboardInterrupt
        self._queue_seen.append(key)

    _queue_seen: list[str] = []


def test_a_write_that_stops_abandons_the_feed_removes_the_half_loaded_store(tmp_path: Path) -> None:
    out = tmp_path / "out"
    fed_build(out, corpus(4))
    before = (out / "graph.ttl").read_bytes()
    graph = corpus(4)
    other = type(graph)(graph.interviews, graph.entities, {**graph.provenance, "setup": "other"})
    feed = Interrupted(out, ("ttl",))
    feed._queue_seen = []
    with pytest.raises(KeyboardInterrupt):
        write_outputs(other, out, BuildConfig(html=False), follower=feed)
    feed.abandon()  # as build_into does
    assert feed.started and feed.finish() is None and not (out / STORE / MANIFEST).exists()
    assert (out / "graph.ttl").read_bytes() == before and not (out / STORE / FIFO).exists()
    assert not (out / STORE / "db").exists()  # nothing half-loaded is left behind
    said: list[str] = []
    report = sync_store(out, warn=said.append)
    assert report.full and not report.while_written and not said
    assert quads(ox.Store.read_only(str(report.path))) == file_quads(written(tmp_path / "nq", corpus(4), ("nq",)))


def test_kg_build_leaves_a_store_fed_while_written_that_is_the_files(tmp_path: Path) -> None:
    from counting import Counting
    from helpers import copy_corpus

    from kg.pipeline import build_into

    corpus_dir = copy_corpus(tmp_path / "corpus", ("en-qa.txt", "fr-srt.srt"))
    out = tmp_path / "out"
    said: list[str] = []
    build_into([corpus_dir], out, BuildConfig(cache_dir=str(tmp_path / "cache"), html=False), extractor=Counting(),
               warn=said.append)
    assert is_current(out) and not (out / STORE / FIFO).exists()
    assert not any("store" in message for message in said), said
    manifest = read_manifest(out)
    assert manifest is not None and len(dict(manifest["graphs"])) == 2  # type: ignore[call-overload]
    reference = tmp_path / "ref"
    reference.mkdir()
    for name in ("graph.ttl", ".kg-index.json"):
        shutil.copy2(out / name, reference / name)  # the times too: the index describes the file by size and time
    loaded = sync_store(reference)
    assert loaded.full and not loaded.while_written
    assert quads(ox.Store.read_only(str(out / STORE / "db"))) == quads(ox.Store.read_only(str(loaded.path)))
