"""``kg build --executor dask``: extraction on a real Dask cluster gives the same bytes as a local build."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import ROOT, copy_corpus, one_line_error, snapshot

from kg.errors import KgError, UnknownNameError
from kg.pipeline import BuildConfig, build, write_outputs

# three short English interviews: one small spaCy model per worker keeps the test fast
NAMES = ("en-qa.txt", "en-webvtt.vtt", "en-markdown-bold.md")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_corpus(tmp_path_factory.mktemp("executor") / "corpus", NAMES)


@pytest.fixture(scope="module")
def local_outputs(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    config = BuildConfig(language="en", html=False)
    paths = write_outputs(build([corpus], config), tmp_path_factory.mktemp("local"), config)
    return {name: path.read_bytes() for name, path in paths.items()}


def read_all(out: Path) -> dict[str, bytes]:
    """The outputs, not kg's bookkeeping (the reuse index records file times)."""
    return snapshot(out, hidden=False)


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A local Dask cluster of two worker processes, as a user would start one; its scheduler's address."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_dask_build_is_byte_identical_to_local(corpus: Path, local_outputs: dict[str, bytes], scheduler: str,
                                               tmp_path: Path) -> None:
    config = BuildConfig(language="en", html=False, executor="dask", scheduler=scheduler,
                         cache_dir=str(tmp_path / "cache"))
    calls: list[tuple[str, int, int]] = []
    kg = build([corpus], config, progress=lambda *a: calls.append(a))
    assert [iv.id for iv in kg.interviews] == ["en-markdown-bold", "en-qa", "en-webvtt"]  # input order kept
    assert [c for c in calls if c[0] == "extract"] == [("extract", 1, 3), ("extract", 2, 3), ("extract", 3, 3)]
    write_outputs(kg, tmp_path / "out", config)
    assert read_all(tmp_path / "out") == local_outputs
    # the cache lives on the client: a rebuild extracts nothing, even with no cluster to reach
    assert len(list((tmp_path / "cache").glob("*.json"))) == 3
    gone = replace(config, scheduler="tcp://127.0.0.1:1")
    calls.clear()
    write_outputs(build([corpus], gone, progress=lambda *a: calls.append(a)), tmp_path / "again", gone)
    assert read_all(tmp_path / "again") == local_outputs
    assert [c for c in calls if c[0] == "extract"] == [("extract", 3, 3)]


def test_cli_build_with_dask(corpus: Path, local_outputs: dict[str, bytes], tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "--out", str(tmp_path / "out"),
                             "--lang", "en", "--no-html", "--no-cache", "--executor", "dask", "--jobs", "2"],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "interviews  3" in result.stdout
    assert read_all(tmp_path / "out") == local_outputs


def test_executor_is_not_part_of_the_build_id() -> None:
    assert repr(BuildConfig()) == repr(BuildConfig(executor="dask", scheduler="tcp://127.0.0.1:8786"))


def test_unknown_executor_lists_the_choices(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UnknownNameError, match="'ray'.*local, dask"):
        build([corpus], BuildConfig(executor="ray"))
    err = one_line_error(capsys, ["build", str(corpus), "--out", str(tmp_path / "out"), "--executor", "ray"])
    assert "local, dask" in err
    assert not (tmp_path / "out").exists()


def test_scheduler_needs_the_dask_executor(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(capsys, ["build", str(corpus), "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:8786"])
    assert "--executor dask" in err


def test_missing_dask_is_one_line(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed: find_spec gives None
    with pytest.raises(KgError, match=r"pip install 'kg\[dask\]'"):
        build([corpus], BuildConfig(executor="dask"))
    err = one_line_error(capsys, ["build", str(corpus), "--out", str(tmp_path / "out"), "--executor", "dask"])
    assert "pip install 'kg[dask]'" in err


def test_unreachable_scheduler_is_one_line(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        err = one_line_error(capsys, ["build", str(corpus), "--out", str(tmp_path / "out"), "--lang", "en",
                                      "--no-cache",
                                      "--executor", "dask", "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert f"tcp://127.0.0.1:{port}" in err and "--scheduler" in err
