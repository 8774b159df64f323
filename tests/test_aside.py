"""Work done in a forked child (`kg.pipeline.aside`): its bytes come back whole, its failure is for the caller."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import kg.page.render
from kg.pipeline import BuildConfig, build, write_outputs
from kg.pipeline.aside import Aside

pytestmark = pytest.mark.skipif(not Aside.possible(), reason="no fork on this platform")


def test_the_child_runs_in_another_process_and_its_bytes_come_back_whole() -> None:
    big = os.urandom(3 << 20)  # more than a pipe holds: the child blocks until the parent reads
    aside = Aside(lambda: (str(os.getpid()).encode(), b"", big))
    pid, empty, back = aside.result() or []
    assert int(pid) != os.getpid() and empty == b"" and back == big
    aside.abandon()  # already reaped: nothing left to stop


def test_the_child_runs_without_the_collector_and_the_parent_keeps_it() -> None:
    import gc

    assert gc.isenabled()
    aside = Aside(lambda: (str(gc.isenabled()).encode(),))
    assert aside.result() == [b"False"]  # the page's work makes millions of objects that hold no cycles
    assert gc.isenabled()


def test_a_refused_fork_starts_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    assert Aside.start(lambda: (b"never",)) is None


def test_a_child_that_fails_gives_no_result() -> None:
    def broken() -> tuple[bytes, ...]:
        raise RuntimeError("no")

    assert Aside(broken).result() is None


def test_a_child_abandoned_midway_is_stopped_at_once() -> None:
    def slow() -> tuple[bytes]:
        time.sleep(60)
        return (b"late",)

    aside = Aside(slow)
    started = time.monotonic()
    aside.abandon()
    assert time.monotonic() - started < 10
    assert aside.pid is None


def test_a_page_whose_child_fails_is_drawn_here_and_is_the_same_page(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = Path(__file__).resolve().parent.parent / "eval" / "corpus"
    config = BuildConfig(jobs=1, formats=("ttl",))
    graph = build([corpus], config)
    write_outputs(graph, tmp_path / "fresh", config)
    here = os.getpid()
    original = kg.page.render.render_parts
    drawn_in: list[int] = []

    def only_here(*args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != here:
            raise MemoryError("the child ran out")
        drawn_in.append(os.getpid())
        return original(*args, **kwargs)

    monkeypatch.setattr(kg.page.render, "render_parts", only_here)
    write_outputs(graph, tmp_path / "out", config)
    assert drawn_in == [here]
    assert (tmp_path / "out" / "graph.html").read_bytes() == (tmp_path / "fresh" / "graph.html").read_bytes()


def test_betweenness_in_a_child_of_a_process_that_computed_it_before_does_not_hang() -> None:
    """rustworkx's thread pool, started here, is in the child without its threads: the page's betweenness must
    not wait on it (a build in a process that drew a page before hung there)."""
    import threading

    import networkx as nx

    from kg.page.network import exact_betweenness

    g = nx.gnm_random_graph(400, 2000, seed=1)
    here = exact_betweenness(g)
    aside = Aside(lambda: (repr(sorted(exact_betweenness(g).items())).encode(),))
    got: list[list[bytes] | None] = []
    reader = threading.Thread(target=lambda: got.append(aside.result()), daemon=True)
    reader.start()
    reader.join(60)
    if reader.is_alive():
        aside.abandon()
        pytest.fail("the child waited on a thread pool it does not have")
    assert got[0] == [repr(sorted(here.items())).encode()]
