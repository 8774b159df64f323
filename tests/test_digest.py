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


KEYED_SUPPORT = {"__init__.py", "cache.py", "digest.py"}
"""Top-level parts no extraction module imports that still key the extraction cache: the package's own
``__init__`` and the code that makes and checks the cache's keys."""


def _imported_parts(start: list[Path]) -> set[str]:
    """The top-level parts of kg (``text.py``, ``extract``) that the modules in ``start`` import, directly
    or through each other, with imports inside functions counted too."""
    import ast

    seen: set[Path] = set()
    parts: set[str] = set()
    todo = list(start)
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        package = path.parent.relative_to(PACKAGE.parent).parts  # ("kg", "extract")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[:len(package) - node.level + 1] + tuple((node.module or "").split(".") if node.module
                                                                           else ())
                else:
                    base = tuple((node.module or "").split("."))
                names = [base + (alias.name,) for alias in node.names] + [base]
            elif isinstance(node, ast.Import):
                names = [tuple(alias.name.split(".")) for alias in node.names]
            else:
                continue
            for name in names:
                if len(name) < 2 or name[0] != "kg":
                    continue
                module = PACKAGE.joinpath(*name[1:])
                for found in (module.with_suffix(".py"), module / "__init__.py"):
                    if found.is_file():
                        todo.append(found)
                        top = name[1]
                        parts.add(top + ".py" if (PACKAGE / (top + ".py")).is_file() else top)
    return parts


def test_extraction_code_keys_the_cache_and_every_other_part_is_classified() -> None:
    """A module extraction imports must not be excluded from the extraction key (stale entries would be
    reused); any other part is listed in AFTER_EXTRACTION, so that a new module is classified when written
    instead of throwing away every user's extraction cache when it changes."""
    start = [p for folder in ("extract", "ingest") for p in (PACKAGE / folder).rglob("*.py")]
    extraction = _imported_parts(start) | {"extract", "ingest"}
    assert {"text.py", "model.py", "extract", "ingest"} <= extraction  # the walk finds what it must
    assert not extraction & set(AFTER_EXTRACTION), "extraction code is excluded from the cache key"
    tops = {p.name for p in PACKAGE.iterdir()
            if p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").is_file())}
    unclassified = tops - extraction - set(AFTER_EXTRACTION) - KEYED_SUPPORT
    assert not unclassified, f"add {sorted(unclassified)} to kg.cache.AFTER_EXTRACTION (or import it from extraction)"
