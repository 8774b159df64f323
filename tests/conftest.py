"""Shared pytest fixtures: a corpus to edit, the shared real examples, builds made once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import ARGS, CHROMIUM, ROOT, SAMPLE, copy_corpus


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """``../shared/corpus`` next to the repository; tests using it skip where it is absent."""
    path = ROOT / ".." / "shared" / "corpus"
    if not path.is_dir():
        pytest.skip("../shared/corpus is not available")
    return path




@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """A copy of the six annotated example transcripts in ``tmp_path / "corpus"``, for a test to edit."""
    return copy_corpus(tmp_path / "corpus")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (corpus, gold, tools); tests using it skip where it is absent."""
    path = ROOT / ".." / "shared"
    if not path.is_dir():
        pytest.skip("../shared is not available")
    return path.resolve()


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory):
    """The shipped French sample built once per session with the real spaCy model: (KnowledgeGraph, out dir)."""
    from kg.pipeline import RDF_FORMATS, BuildConfig, build, write_outputs

    out = tmp_path_factory.mktemp("sample-build")
    config = BuildConfig(formats=RDF_FORMATS)  # every format, for the tests that read each
    kg = build([SAMPLE], config)
    write_outputs(kg, out, config)
    return kg, out


@pytest.fixture(scope="session")
def built_barradeau(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path):
    """``../shared/corpus/barradeau-2022.txt`` built once per session: (KnowledgeGraph, out dir)."""
    from kg.pipeline import RDF_FORMATS, BuildConfig, build, write_outputs

    out = tmp_path_factory.mktemp("barradeau-build")
    config = BuildConfig(formats=RDF_FORMATS)
    kg = build([shared_dir / "corpus" / "barradeau-2022.txt"], config)
    write_outputs(kg, out, config)
    return kg, out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium, one per test module; the module is skipped where it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # launch() gives every run a fresh, throw-away user-data-dir
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()
