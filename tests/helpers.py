"""What several test modules share: where things lie, a corpus to build, a folder's bytes, a one-line error."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
"""The repository."""
FIXTURES = ROOT / "tests" / "fixtures"
EVAL = ROOT / "eval" / "corpus"
"""The annotated example transcripts (six formats, French and English)."""
SAMPLE = ROOT / "samples" / "entretien-atelier.md"
"""The French sample interview shipped with kg."""
GOLD = ROOT / "samples" / "entretien-atelier.gold.json"
CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium, which the browser tests drive with Playwright (no browser download)."""
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        # belt and braces: even a request that slipped past a page's route could not resolve
        "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9"]


def copy_corpus(folder: Path, names: Iterable[str] | None = None) -> Path:
    """``folder`` made a copy of the example transcripts (only ``names`` when given): a corpus a test may edit."""
    if names is None:
        shutil.copytree(EVAL, folder)
        return folder
    folder.mkdir(parents=True)
    for name in names:
        shutil.copy(EVAL / name, folder / name)
    return folder


def snapshot(folder: Path, names: Iterable[str] | None = None, *, recursive: bool = False,
             hidden: bool = True) -> dict[str, bytes]:
    """The bytes of the files in ``folder`` by name (by relative path when ``recursive``): only ``names`` when
    given, without kg's dot-files (its bookkeeping) unless ``hidden``."""
    if names is not None:
        return {name: (folder / name).read_bytes() for name in names}
    found = folder.rglob("*") if recursive else folder.iterdir()
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(found)
            if p.is_file() and (hidden or not p.name.startswith("."))}


def one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """The error ``kg ARGV`` gives: exit code 2 and one line on stderr, which is returned."""
    from kg.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("kg: error: "), err
    return err


def benchmark(name: str) -> ModuleType:
    """A script of ``benchmarks/`` imported as a module, under a name of its own so that it cannot shadow kg's."""
    spec = importlib.util.spec_from_file_location(f"kg_bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def page_walks(monkeypatch: pytest.MonkeyPatch, log: Path) -> Callable[[], list[str]]:
    """Which interviews the page walks for their quotes, in order: each walk is appended to ``log``, a file, since
    a build draws the page in a forked child (`kg.pipeline.aside`) whose calls a list in this process would not see.
    Returns the reader of the walks so far; the caller clears them by deleting ``log``."""
    import kg.page.parts

    original = kg.page.parts.interview_quotes

    def logged(iv, *args):  # type: ignore[no-untyped-def]
        with log.open("a", encoding="utf-8") as f:
            f.write(iv.id + "\n")
        return original(iv, *args)

    monkeypatch.setattr(kg.page.parts, "interview_quotes", logged)
    return lambda: log.read_text(encoding="utf-8").split() if log.exists() else []
