"""The build stamp: ``kg build`` does nothing, in about a second, when nothing it depends on changed.

A rebuild of a large unchanged corpus still costs time even with every
extraction and RDF chunk reused (loading the cache, resolving, drawing the
page, copying gigabytes of RDF); scripts and Makefiles that run ``kg build``
on every step would pay it each time.  After a build, ``OUT/.kg-stamp.json``
records a hash of everything the outputs are a function of, and the size and
modification time of each output file.  The next build compares before
loading anything: same hash and untouched outputs mean the outputs it would
write are the ones already there, byte for byte (the build is reproducible:
same inputs, same bytes), so it stops.

What the hash covers, and why each part:

* every input file: its path as given (interview ids come from it), its
  bytes, and its modification time (the newest one dates the build's
  provenance) -- a file added, removed or renamed changes the list;
* the options that change what is written (`kg.pipeline.options.output_options`), and the bytes
  of the vocabulary and curation files;
* kg's own code and data files, the ontology folder, and the name and
  version of every installed distribution (a model or a library upgraded in
  place changes them) -- rather than a list of the ones that matter, which
  would go stale;
* ``SOURCE_DATE_EPOCH``, which dates the provenance when set.

The hash is computed *before* the build, from the inputs as they were then:
an input edited while the build runs makes the next build's hash differ, so
it builds again.  A build whose NER model is a folder or a Hugging Face name
(not an installed package) is never skipped: nothing cheap tells whether
that model changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import cast

from .digest import code_digest, file_digest, fingerprint, tree_digest

STAMP = ".kg-stamp.json"
VERSION = 1


@dataclass(frozen=True)
class Stamp:
    """What the last build of a folder recorded: its hash, its files, and the warnings it gave."""

    key: str
    files: dict[str, list[int]]
    warnings: tuple[str, ...] = ()


def stamp_key(files: Sequence[Path], options: Mapping[str, object]) -> str | None:
    """Hash of everything a build of ``files`` with ``options`` writes; None when an input cannot be read.

    ``options`` must hold only what changes the outputs, with the extra
    files they name (vocabularies, curation) under ``"files"``.
    """
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(str(part).encode("utf-8", "surrogatepass"))
            digest.update(b"\0")

    add(VERSION, sys.version, os.environ.get("SOURCE_DATE_EPOCH", ""))
    add(json.dumps({k: v for k, v in options.items() if k != "files"}, sort_keys=True, default=str))
    try:
        for path in files:
            add("input", path, int(path.stat().st_mtime), file_digest(path))
        for option_file in cast(Iterable[object], options.get("files", ())):
            add("option file", option_file, file_digest(Path(str(option_file))))
    except OSError:
        return None  # the build itself will say what is wrong with the file
    add(_code_digest(), _installed())
    return digest.hexdigest()


def read_stamp(out: Path) -> Stamp | None:
    """The stamp of ``out``, or None when there is none or it cannot be trusted."""
    try:
        data = json.loads((out / STAMP).read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            return None
        files = {str(name): [int(v) for v in st] for name, st in data["files"].items()}
        return Stamp(str(data["key"]), files, tuple(str(w) for w in data.get("warnings", ())))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def current(out: Path, key: str | None) -> Stamp | None:
    """The stamp of ``out`` if it was made with ``key`` and every file it lists is as it left it."""
    if key is None:
        return None
    stamp = read_stamp(out)
    if stamp is None or stamp.key != key or not stamp.files:
        return None
    for name, recorded in stamp.files.items():
        try:
            st = (out / name).stat()
        except OSError:
            return None
        if [st.st_size, st.st_mtime_ns] != recorded:
            return None
    return stamp


def write_stamp(out: Path, key: str, names: Iterable[str], warnings: Iterable[str] = ()) -> None:
    """Record ``key`` and the current size and time of the output files ``names``, atomically.

    Written after the outputs, so a build killed in between leaves either no
    stamp or the previous one, whose recorded times no longer match the new
    files: the next build runs in full either way.
    """
    files = {}
    for name in names:
        st = (out / name).stat()
        files[name] = [st.st_size, st.st_mtime_ns]
    data = json.dumps({"version": VERSION, "key": key, "files": files, "warnings": list(warnings)},
                      ensure_ascii=False, indent=1).encode("utf-8")
    tmp = out / f".{STAMP}.{os.getpid()}.tmp"
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out / STAMP)
    except OSError:
        tmp.unlink(missing_ok=True)  # no stamp: the next build runs in full, nothing worse


def forget(out: Path) -> None:
    """Remove the stamp, before outputs are replaced: a stamp never describes files it did not see written."""
    try:
        (out / STAMP).unlink()
    except OSError:
        pass


def _code_digest() -> str:
    """kg's files (code, page template, package data) and the ontology folder: any edit means a real build."""
    from .resources import ontology_dir

    return fingerprint(code_digest(), tree_digest(ontology_dir()))


def _installed() -> str:
    """Name and version of every installed distribution: models and libraries alike."""
    found = sorted(f"{d.metadata['Name'] or ''}=={d.version}" for d in metadata.distributions())
    return hashlib.sha256("\n".join(found).encode("utf-8", "surrogatepass")).hexdigest()
