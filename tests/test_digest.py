"""kg.digest: the hashes of kg's own code that the caches trust, found by walking the package."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg
from kg.cache import AFTER_EXTRACTION
from kg.digest import PACKAGE, code_digest, file_digest, fingerprint
from kg.page.parts import PART_CODE
from kg.rdf.write import RENDER_CODE


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """An editable copy of kg's folder."""
    copy = tmp_path / "kg"
    shutil.copytree(Path(kg.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_every_part_a_digest_names_exists() -> None:
    """A folder that moves fails here, not by a digest that silently hashes less."""
    for part in (*AFTER_EXTRACTION, *RENDER_CODE, *PART_CODE):
        assert (PACKAGE / part).exists(), part


def test_a_missing_part_is_an_error(tree: Path) -> None:
    with pytest.raises(ValueError, match="no-such-folder"):
        code_digest("no-such-folder", root=tree)
    with pytest.raises(ValueError, match="gone.py"):
        code_digest(exclude=("gone.py",), root=tree)


def test_a_new_module_counts_unless_it_lies_in_an_excluded_part(tree: Path) -> None:
    before = code_digest(exclude=AFTER_EXTRACTION, root=tree)
    (tree / "page" / "new_part.py").write_text("X = 1\n")
    assert code_digest(exclude=AFTER_EXTRACTION, root=tree) == before
    (tree / "normalise.py").write_text("X = 1\n")
    assert code_digest(exclude=AFTER_EXTRACTION, root=tree) != before


def test_a_folder_part_covers_its_data_files_and_ignores_bytecode(tree: Path) -> None:
    before = code_digest("page", root=tree)
    (tree / "page" / "__pycache__").mkdir()
    (tree / "page" / "__pycache__" / "render.cpython-311.pyc").write_bytes(b"compiled")
    assert code_digest("page", root=tree) == before
    css = tree / "page" / "assets" / "page.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    assert code_digest("page", root=tree) != before


def test_file_digest_and_fingerprint(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_bytes(b"abc")
    assert file_digest(f) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert fingerprint("ab", "c") != fingerprint("a", "bc")
