"""Hashes of files and of kg's own code, for the caches and the build stamp.

What a cache reuses must come from the same code that would make it again,
so each cache hashes the part of kg that decides its content: `code_digest`
walks the named folders and modules of the package (all of it when none is
named), code and data files alike.  A new module or asset is covered as soon
as it lies in a walked folder; a named part that no longer exists is an
error, so a moved folder cannot leave a digest that silently hashes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
"""kg's own folder: what `code_digest` walks."""


def fingerprint(*parts: str) -> str:
    """Hash of the parts, in order (each ends with a NUL, so that ("ab", "c") and ("a", "bc") differ)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_digest(root: Path, *, parts: Iterable[str] = (), exclude: Iterable[str] = ()) -> str:
    """Hash of the names and bytes of the files under ``root``: in the ``parts`` named (all when none), less
    those under the ``exclude``d ones; compiled bytecode left out.  Raises ValueError for a part that is
    not there."""
    parts, exclude = tuple(parts), tuple(exclude)
    for name in (*parts, *exclude):
        if not (root / name).exists():
            raise ValueError(f"{root / name} does not exist: a digest naming it would hash nothing")
    tops = [root / name for name in parts] or [root]
    skipped = [root / name for name in exclude]
    files: set[Path] = set()
    for top in tops:
        for f in ([top] if top.is_file() else top.rglob("*")):
            if (f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc"
                    and not any(f == s or s in f.parents for s in skipped)):
                files.add(f)
    digest = hashlib.sha256()
    for f in sorted(files):
        digest.update(f.relative_to(root).as_posix().encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
        digest.update(f.read_bytes())
    return digest.hexdigest()


def code_digest(*parts: str, exclude: Iterable[str] = (), root: Path | None = None) -> str:
    """Hash of kg's files in the ``parts`` named (folders and modules of the package; all of it when none),
    less the ``exclude``d ones.  ``root`` stands for the package folder (tests hash an edited copy)."""
    if root is not None:
        return tree_digest(root, parts=parts, exclude=exclude)
    return _package_digest(parts, tuple(exclude))


@cache
def _package_digest(parts: tuple[str, ...], exclude: tuple[str, ...]) -> str:
    return tree_digest(PACKAGE, parts=parts, exclude=exclude)
