"""Writing a built graph: the RDF files, the page, summary.json and kg's own bookkeeping, all at once."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..files import start_writeback, write_atomically
from ..media import relative_to
from ..memory import rare_collections
from ..model import KnowledgeGraph
from .aside import Aside
from .collector import settle, settling
from .extraction import Warn, ignore
from .options import RDF_FORMATS, BuildConfig

if TYPE_CHECKING:
    from ..storefeed import StoreFeed


def write_outputs(kg: KnowledgeGraph, out: str | Path, config: BuildConfig = BuildConfig(), *,
                  warn: Warn = ignore, follower: StoreFeed | None = None) -> dict[str, Path]:
    """Write graph.{ttl,jsonld,nt,trig,nq,html} and summary.json into ``out``, each atomically.

    The RDF files are streamed chunk by chunk (one interview at a time) to
    temporary files beside their final names; all are renamed only once every
    one is complete, so a failure or a kill leaves earlier outputs intact.
    ``.kg-index.json`` records where each interview's bytes lie, so that the
    next build copies the unchanged ones instead of rendering them again;
    ``.kg-page.json`` keeps each interview's part of the page for the same
    reason (`kg.page.parts`).  RDF files of formats left out of ``config.formats`` that an earlier build
    wrote are removed: ``kg query`` and ``kg serve`` would read them as this graph.
    ``follower`` loads the query store from a graph file while it is written (`kg.rdf.write.write_graph`),
    or brings it up to date from the files once written, before they are renamed.
    """
    from ..page.parts import FILE as PAGE_PARTS
    from ..rdf.reuse import INDEX, Previous, index_bytes
    from ..rdf.write import write_graph

    out = Path(out)
    kg = relative_to(kg, out)  # the recordings as the page and the RDF files, written here, reach them
    payloads = {"summary.json": (json.dumps(summary(kg), indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()}
    names = {fmt: f"graph.{fmt}" for fmt in config.formats}
    page = ["graph.html", PAGE_PARTS] if config.html else []

    def fill(files: dict[str, IO[bytes]]) -> None:
        sinks = {fmt: files[name] for fmt, name in names.items()}
        previous = Previous.open(out, names)
        drawn: list[bytes] = []
        # a rebuild, or a build in one process, leaves a core free: the page is drawn there from the start,
        # beside the whole RDF writing (in a thread it waited for the RDF keys and shared one core)
        aside = Aside.start(partial(_draw_page, kg, out)) if page and (previous is not None or config.jobs == 1) \
            else None
        try:
            ranges = write_graph(kg, sinks, base=config.base_iri, jobs=config.jobs, previous=previous,
                                 meanwhile=(lambda: drawn.extend(_draw_page(kg, out))) if page and not aside
                                 else None, follower=follower)
            if aside is not None:
                _start_writeback(sinks.values())  # while the page is still drawn: see `_start_writeback`
            if follower is not None:
                follower.catch_up(sinks, ranges)  # the query store's update, while the page is still drawn
            if aside is not None:
                drawn.extend(aside.result() or _draw_page(kg, out))
        finally:
            if aside is not None:
                aside.abandon()
            if previous is not None:
                previous.close()
        files[INDEX].write(index_bytes(ranges, sinks))
        if page:
            files["graph.html"].write(drawn[0])
            files[PAGE_PARTS].write(drawn[1])

    with rare_collections(), settling():
        settle()  # the graph as the outputs name its recordings (`relative_to`), for as long as they are written
        written = write_atomically(out, payloads, streams=[*names.values(), INDEX, *page], fill=fill)
    _remove_other_formats(out, names, warn)
    return {name: path for name, path in written.items() if name not in (INDEX, PAGE_PARTS)}  # kg's bookkeeping


def _start_writeback(files: Iterable[IO[bytes]]) -> None:
    """Have the system start writing these files to disk now, without waiting for it.

    Renaming a new file over an old one makes ext4 allocate and queue every
    block the new file still holds in memory (its ``auto_da_alloc``): for a
    rebuild's 700 MB graph file that took 0.4 s of the rename, after the page.
    Asked here (`kg.files.start_writeback`), that work is done while this
    process waits for the page.
    """
    for fh in files:
        try:
            fh.flush()
            start_writeback(fh.fileno())
        except (OSError, ValueError, AttributeError):
            pass  # a sink that is no file (tests write to memory): renamed as before


def _draw_page(kg: KnowledgeGraph, out: Path) -> tuple[bytes, bytes]:
    """The page and its parts' file, as bytes; only computes (the caller writes them; this may run in a forked
    process, `kg.pipeline.aside`).

    The unchanged interviews' parts of the page come from the last build's
    parts file (`kg.page.parts`); one of a shape this code does not write is
    ignored and every part drawn again.
    """
    from ..page.data import linked_mentions
    from ..page.parts import PartStore, kg_parts, part_keys, store_bytes
    from ..page.render import render_parts

    linked = linked_mentions(kg)  # once, for the keys and for the interviews walked again
    keys = part_keys(kg, linked)
    try:
        outline, parts, by_key = kg_parts(kg, keys=keys, store=PartStore.load(out), linked=linked)
        html = render_parts(outline, parts)
    except (TypeError, ValueError, KeyError, IndexError):
        outline, parts, by_key = kg_parts(kg, keys=keys, linked=linked)
        html = render_parts(outline, parts)
    return html.encode("utf-8"), store_bytes(by_key)


def _remove_other_formats(out: Path, names: dict[str, str], warn: Warn) -> None:
    """Remove the RDF files of formats this build did not write: ``kg query`` would read them as this graph."""
    for fmt in RDF_FORMATS:
        stale = out / f"graph.{fmt}"
        if fmt not in names and stale.is_file():
            try:
                stale.unlink()
                warn(f"removed {stale}: an earlier build's, and not among this build's --formats")
            except OSError as e:
                warn(f"{stale} is an earlier build's graph and could not be removed ({e.strerror}); delete it")


def stamped_summary(out: Path) -> dict[str, object] | None:
    """The summary.json a stamped build wrote, if it reads as one."""
    try:
        found = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and {"interviews", "entities", "entity_count"} <= found.keys() else None


def summary(kg: KnowledgeGraph) -> dict[str, object]:
    """Counts for the one-screen report and summary.json."""
    types: dict[str, int] = {}
    counted: dict[str, dict[str, int]] = {}  # a public edition's counts of interviews it keeps no text of
    for e in kg.entities:
        types[e.type] = types.get(e.type, 0) + 1
        for iid, n in e.counts:
            counted.setdefault(iid, {})[e.id] = n
    return {
        "interviews": [
            {"id": iv.id, "title": iv.title, "format": iv.source_format, "language": iv.language,
             "turns": sum(1 for t in iv.turns if t.kind == "speech"),
             "speakers": sorted({t.speaker for t in iv.turns if t.speaker}),
             "mentions": len(iv.mentions),
             **({"entity_counts": dict(sorted(counted[iv.id].items()))} if iv.id in counted else {})}
            for iv in kg.interviews
        ],
        "entities": types,
        "entity_count": len(kg.entities),
        "provenance": dict(kg.provenance),
    }
