"""``kg build --consent``: build, edit as the consent file asks, write beside the folder, check, then publish.

The edition is written into a staging folder next to ``out`` and the leak
check (`kg.consent.leaks`) reads every file there before any file of
``out`` is replaced: an edition that fails is never published, and the last
one stays as it was.  A public build keeps no extraction cache in ``out``
(the cache holds whole transcripts) and writes no build stamp; it refuses a
folder that holds a private build or an extraction cache, since a public
folder is meant to be shared as it is.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import ConsentError
from ..files import check_output_folder
from ..pipeline import BuildConfig, BuildResult, Progress, Warn, build, summary, write_outputs
from ..pipeline.extraction import ignore
from ..pipeline.options import RDF_FORMATS
from ..resources import ontology_dir
from ..store import remove_store
from .edit import Edition, public_edition
from .leaks import Leak, LeakFinder
from .profile import load_consent

PUBLIC_SHAPES = ontology_dir() / "public-shapes.ttl"
"""The SHACL shapes a public edition satisfies besides kg's own (``kg validate`` applies both to one)."""

_PRIVATE_SIGNS = ("summary.json", ".kg-index.json", ".kg-page.json", ".kg-stamp.json", "graph.html",
                  *(f"graph.{fmt}" for fmt in RDF_FORMATS))
"""Files a build writes: one of them in a folder without a public summary.json means a private build is there."""


def build_public(paths: Sequence[str | Path], out: str | Path, config: BuildConfig, consent_path: str | Path, *,
                 today: dt.date | None = None, warn: Warn = ignore, progress: Progress = ignore) -> BuildResult:
    """Build the graph of ``paths`` and publish into ``out`` only what the consent file allows, checked for leaks."""
    out = Path(out)
    consent = load_consent(consent_path)
    check_public_folder(out, config)
    check_output_folder(out)
    graph = build(paths, config, warn=warn, progress=progress)
    edition = public_edition(graph, consent, today=today or dt.date.today())
    for message in edition.warnings:
        warn(message)
    written = publish(edition, out, config, warn=warn)
    return BuildResult(summary(edition.graph), written, graph=edition.graph)


def publish(edition: Edition, out: Path, config: BuildConfig, *, warn: Warn = ignore) -> dict[str, Path]:
    """Write ``edition`` beside ``out``, check every file for its restricted forms, and only then move them in.

    Raises `ConsentError` (and leaves ``out`` as it was) when any file holds one.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.kg-public.", dir=out.parent))
    try:
        _link_last_edition(out, stage, config)
        written = write_outputs(edition.graph, stage, config, warn=warn)
        leaks = LeakFinder(edition.forms).in_folder(stage)
        if leaks:
            raise ConsentError(f"{out}: public edition not written: {_said(leaks)}; withhold the passage or add the "
                               "form to the person's aliases, and report it if kg wrote it")
        # the last edition's query store may hold what this one withholds (deleted data lingers in its files): kg
        # query and kg serve load a new one from the checked files
        remove_store(out)
        placed = _publish(stage, out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    _remove_stale(out, placed, warn)
    return {name: out / name for name in written}


def _link_last_edition(out: Path, stage: Path, config: BuildConfig) -> None:
    """The last edition's files, linked into the staging folder: the writers reuse the bytes of its unchanged
    interviews (`kg.rdf.reuse`, `kg.page.parts`), as a plain rebuild does.  Links, not copies: writing
    replaces each by a new file and leaves ``out`` untouched; where links cannot be made, nothing is reused."""
    if not is_public(out):
        return
    rewritten = [".kg-index.json", *(f"graph.{fmt}" for fmt in config.formats),
                 *((".kg-page.json", "graph.html") if config.html else ())]
    for name in rewritten:
        if (out / name).is_file():
            try:
                os.link(out / name, stage / name)
            except OSError:
                return


def _said(leaks: list[Leak]) -> str:
    shown = "; ".join(str(leak) for leak in leaks[:3])
    more = f" and {len(leaks) - 3} more" if len(leaks) > 3 else ""
    return f"{len(leaks)} restricted name{'s' if len(leaks) != 1 else ''} found ({shown}{more})"


def _publish(stage: Path, out: Path) -> list[str]:
    """Move the checked files into ``out``, each by one rename; returns their names."""
    out.mkdir(parents=True, exist_ok=True)
    names = sorted(p.name for p in stage.iterdir() if p.is_file())
    for name in names:
        os.replace(stage / name, out / name)
    return names


def _remove_stale(out: Path, placed: list[str], warn: Warn) -> None:
    """RDF files and a page an earlier public build wrote and this one did not: they would be read as this edition."""
    for name in (".kg-stamp.json", "graph.html", *(f"graph.{fmt}" for fmt in RDF_FORMATS)):
        stale = out / name
        if name not in placed and stale.is_file():
            try:
                stale.unlink()
            except OSError as e:
                warn(f"{stale} is from an earlier build and could not be removed ({e.strerror}); delete it")


def is_public(out: Path) -> bool:
    """Whether ``out`` holds a public edition (its summary.json says so)."""
    try:
        found = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and isinstance(found.get("provenance"), dict) and \
        found["provenance"].get("edition") == "public"


def check_public_folder(out: Path, config: BuildConfig) -> None:
    """Refuse, in one line, a folder that holds a private build or an extraction cache, or a cache inside ``out``."""
    from ..cache import ENTRY_NAME

    target = out.resolve()
    if config.cache_dir is not None:
        cache = Path(config.cache_dir).resolve()
        if cache == target or target in cache.parents or cache in target.parents:
            raise ConsentError(f"{out}: a public edition may not hold or sit in an extraction cache ({cache}); "
                               "pass a --cache outside it, or --no-cache")
    if config.link_cache is not None and target in Path(config.link_cache).resolve().parents:
        raise ConsentError(f"{out}: a public edition may not hold a link cache ({config.link_cache}), which keeps "
                           "the names asked about; pass a --link-cache outside it, or none")
    if not out.is_dir():
        return
    if (out / ".kg-cache").exists() or any(ENTRY_NAME.fullmatch(p.name) for p in out.iterdir()):
        raise ConsentError(f"{out}: holds an extraction cache, which keeps whole transcripts; "
                           "write the public edition into a folder of its own")
    if any((out / name).exists() for name in _PRIVATE_SIGNS) and not is_public(out):
        raise ConsentError(f"{out}: holds a private build, which a public edition may not overwrite or sit beside; "
                           "write the public edition into a folder of its own")
