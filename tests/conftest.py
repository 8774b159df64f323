"""Shared pytest fixtures: where the test fixtures and the shared real examples live."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """``../shared/corpus`` next to the repository; tests using it skip where it is absent."""
    path = ROOT / ".." / "shared" / "corpus"
    if not path.is_dir():
        pytest.skip("../shared/corpus is not available")
    return path
