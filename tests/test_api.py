"""kg's public API: what ``import kg`` offers, and the README's library example."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

import kg


def test_every_public_name_resolves_to_the_object_of_its_module() -> None:
    import kg.model
    import kg.pipeline

    assert len(kg.__all__) == len(set(kg.__all__))
    for name in kg.__all__:
        assert getattr(kg, name) is not None, name
    assert kg.build is kg.pipeline.build and kg.BuildConfig is kg.pipeline.BuildConfig
    assert kg.KnowledgeGraph is kg.model.KnowledgeGraph and kg.Entity is kg.model.Entity
    assert set(kg.__all__) <= set(dir(kg))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        kg.no_such_thing  # noqa: B018


def test_importing_kg_loads_no_stage() -> None:
    """``import kg`` stays cheap: a worker process or a script that only needs the model pays for nothing else."""
    code = "import sys, kg; print(sorted(m for m in sys.modules if m.startswith(('kg.', 'spacy', 'rdflib'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


@pytest.mark.slow
def test_the_readme_library_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using kg as a library", 1)[1]
    example = re.search(r"```python\n(.*?)```", section, re.S)
    assert example is not None
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    exec(compile(example.group(1), "README.md", "exec"), {})
    assert (tmp_path / "outputs" / "sample" / "graph.ttl").is_file()
    assert (tmp_path / "outputs" / "sample" / "graph.html").is_file()


def test_all_lists_exactly_the_names_kg_finds_in_its_modules() -> None:
    assert sorted(kg.__all__) == sorted(["__version__", *kg._HOMES])
