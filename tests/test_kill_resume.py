"""Killing ``kg build`` mid-way: earlier outputs survive, the cache stays valid, the next build resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from counting import Counting
from helpers import EVAL, ROOT, copy_corpus, snapshot

from kg.cache import ExtractionCache
from kg.files import write_atomically
from kg.pipeline import RDF_FORMATS, BuildConfig, build, write_outputs

FILES = ("en-markdown-bold.md", "en-qa.txt", "en-webvtt.vtt", "fr-plain-names.txt", "fr-srt.srt", "fr-timestamps.txt")
WAIT_S = 180

pytestmark = pytest.mark.slow


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return copy_corpus(tmp_path / "corpus", FILES)


@pytest.fixture()
def previous(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding an earlier build's outputs (of one file, no cache), and their bytes."""
    out = tmp_path / "out"
    write_outputs(build([EVAL / "en-qa.txt"], BuildConfig()), out, BuildConfig())
    return out, snapshot(out)


def _start(corpus: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out), "--quiet",
                             "--no-html"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=_as_from_a_terminal)


def _as_from_a_terminal() -> None:
    """Ctrl-C's signal at its default and unblocked in the build, as an interactive shell starts it: a test run
    started in the background by a shell without job control (``nohup … &``, some CI runners) has SIGINT
    ignored, an ignored or blocked signal carries across fork and exec, and the build would never see it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _wait_for_cache_entry(proc: subprocess.Popen[str], cache: Path) -> None:
    """Return once ``cache`` holds an entry while ``proc`` still runs; fail after WAIT_S."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"kg build ended (status {proc.returncode}) before it could be interrupted: {err[-500:]}")
        if any(cache.glob("*.json")):
            return
        time.sleep(0.02)
    proc.kill()
    proc.communicate()
    pytest.fail(f"no cache entry after {WAIT_S} s")


def test_sigkill_keeps_outputs_and_cache_and_the_next_build_resumes(corpus: Path, previous, tmp_path: Path) -> None:
    out, before = previous
    cache = out / ".kg-cache"
    proc = _start(corpus, out)
    _wait_for_cache_entry(proc, cache)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # earlier outputs untouched; at most one temporary output (the one being written at the kill)
    assert {name: data for name, data in snapshot(out).items() if not name.endswith(".tmp")} == before
    assert len([p for p in out.glob(".graph.*.tmp")]) <= 1

    # every entry is valid and accepted by the cache; temporary entries are never read as entries
    entries = sorted(cache.glob("*.json"))
    assert 1 <= len(entries) < len(FILES), "killed too late: every interview was already cached"
    store = ExtractionCache(cache)
    for entry in entries:
        assert store.get(entry.stem) is not None, entry.name

    # the next build reuses the cached interviews and gives the graph of a clean build
    config = BuildConfig(cache_dir=str(cache), html=False, formats=RDF_FORMATS)
    counting = Counting()
    resumed = write_outputs(build([corpus], config, extractor=counting), out, config)
    assert len(counting.seen) == len(FILES) - len(entries)
    assert not list(out.glob(".*.tmp"))
    assert len(list(cache.glob("*.json"))) == len(FILES)

    clean_config = BuildConfig(html=False, formats=RDF_FORMATS)
    clean = write_outputs(build([corpus], clean_config), tmp_path / "clean", clean_config)
    assert resumed["graph.nt"].read_bytes() == clean["graph.nt"].read_bytes()


def _longer(corpus: Path, rounds: int = 2) -> Path:
    """``corpus`` with each file copied ``rounds`` more times, each copy's bytes its own (a trailing newline more),
    so that no copy is a cache hit: extraction then runs long enough after the first cache entry for a signal
    to land mid-build on a busy machine."""
    for k in range(1, rounds + 1):
        for name in FILES:
            (corpus / f"copy{k}-{name}").write_bytes((corpus / name).read_bytes() + b"\n" * k)
    return corpus


def test_sigint_is_exit_130_with_one_line_and_keeps_outputs(corpus: Path, previous) -> None:
    out, before = previous
    corpus = _longer(corpus, rounds=4)
    cache = out / ".kg-cache"
    proc = _start(corpus, out)
    _wait_for_cache_entry(proc, cache)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "interrupted" in lines[0], stderr
    assert snapshot(out) == before
    store = ExtractionCache(cache)
    for entry in cache.glob("*.json"):
        assert store.get(entry.stem) is not None, entry.name
    assert not list(cache.glob(".*.tmp"))


def test_next_write_removes_temporaries_a_killed_write_left(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_atomically(out, {"graph.ttl": b"old", "graph.nt": b"old"})
    (out / ".graph.ttl.k1ll3d.tmp").write_bytes(b"half")
    (out / ".graph.nt.x9.tmp").write_bytes(b"")
    (out / ".notes.tmp").write_bytes(b"not ours")
    write_atomically(out, {"graph.ttl": b"new", "graph.nt": b"new"})
    assert sorted(p.name for p in out.iterdir()) == [".notes.tmp", "graph.nt", "graph.ttl"]
    assert (out / "graph.ttl").read_bytes() == b"new"
