"""The build folder's own Oxigraph store (``OUT/.kg-store``): what ``kg query`` and ``kg serve`` read.

Loading a large graph file into Oxigraph takes a minute or more, and a
graph changes only when it is built, so each build keeps a store beside its
files and brings it up to date from them: the store holds the build's
default graph (provenance, entities) and one named graph per interview,
named by the interview's IRI.  Which interviews changed is what the RDF
index (`kg.rdf.reuse`, ``.kg-index.json``) already says: it lists each
interview's chunk by a hash of everything its bytes depend on, and where the
bytes lie in each file.  An update removes the named graphs whose chunk is
gone or changed, loads the changed chunks' bytes from the file just written,
and brings the default graph up to date by difference with the copy of it
kept beside the database (only the statements that changed
are removed and added; where that copy is missing or cannot be trusted, the
whole default graph is replaced); the unchanged interviews are not touched.

Layout: ``.kg-store/db`` (RocksDB, through pyoxigraph) and
``.kg-store/manifest.json``, which records the chunks the store holds (key ->
graph IRI) and the size and time of the index and graph file it was brought
up to date with, and ``.kg-store/default.FORMAT``, the bytes of the default
graph it holds (with the file's header), which the manifest names with their
hash.  An update deletes the manifest before it changes the
database and writes it again, atomically, once the database is flushed: a
store without a manifest was left half-updated (a kill, a full disk) and is
loaded again from nothing, with a warning; one whose manifest names other
files than the folder's is brought up to date from them.  Nothing reads a
store that is not up to date.

A rebuild makes its update from the files just written, before they are
renamed (`update_before_rename`, while the page is drawn in another
process), and writes the manifest once they are in place and found to be
the files it read.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from .errors import GraphError, OutputError

if TYPE_CHECKING:
    import pyoxigraph

    from .storefeed import Fed


STORE = ".kg-store"
"""The store's folder in a build folder."""
MANIFEST = "manifest.json"
DEFAULT = "default"
"""The name (before the format's suffix) of the copy of the default graph's bytes the store was last brought
up to date with, beside the database: what the next update compares the new default graph with."""
VERSION = 1
SOURCES = ("nq", "nt", "ttl", "trig")
"""The build's RDF files the store can be loaded from, the quickest to parse first (JSON-LD is not one)."""
INDEX = ".kg-index.json"  # `kg.rdf.reuse.INDEX`, named here so that reading a store imports no RDF writer

_FIRST_IRI = re.compile(rb"\s*<([^>]*)>")

Warn = Callable[[str], None]


def _ignore(message: str) -> None:
    pass


@dataclass(frozen=True)
class StoreReport:
    """What `sync_store` did."""

    path: Path
    """The database folder (``OUT/.kg-store/db``)."""
    loaded: int = 0
    """Interviews whose named graph was loaded (every one when the store was loaded from nothing)."""
    removed: int = 0
    """Named graphs removed: interviews changed or gone."""
    kept: int = 0
    """Interviews left as they were."""
    full: bool = False
    """Loaded from nothing (no store, a half-updated one, another version)."""
    up_to_date: bool = False
    """Nothing to do: the store was already the folder's graph."""
    while_written: bool = False
    """Loaded from nothing while the build wrote the files (`kg.storefeed`), not read back after."""
    by_difference: bool = False
    """The default graph was brought up to date by difference (`default_diff`), not replaced whole."""
    default_removed: int = 0
    """Quads of the default graph removed by difference."""
    default_added: int = 0
    """Quads of the default graph added by difference."""
    seconds: float = 0.0


# ----------------------------------------------------------------------------- the folder's files


@dataclass(frozen=True)
class _Source:
    """The graph file a store is loaded from and where its chunks lie."""

    fmt: str
    file: Path
    stamp: list[int]
    """[size, mtime_ns] of the file."""
    index_stamp: list[int] | None
    chunks: Mapping[str, tuple[int, int]]
    """Chunk key -> (offset, length) in the file; empty when there is no index to trust."""

    def manifest_source(self) -> dict[str, object]:
        return {"format": self.fmt, "file": self.file.name, "stamp": self.stamp, "index": self.index_stamp}


def _stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _source(out: Path) -> _Source:
    """The folder's graph file to load, and its chunks from the index when the index describes that file as it is."""
    try:
        index = json.loads((out / INDEX).read_text(encoding="utf-8"))
        recorded, chunks = index["files"], index["chunks"]
        index_stamp: list[int] | None = _stamp(out / INDEX)
    except (OSError, ValueError, KeyError, TypeError):
        recorded, chunks, index_stamp = {}, {}, None
    present = [fmt for fmt in SOURCES if (out / f"graph.{fmt}").is_file()]
    if not present:
        raise GraphError(f"{out}: no graph file ({', '.join(f'graph.{f}' for f in SOURCES)}) to load the store from; "
                         f"run kg build (with --formats ttl) into {out}")
    described = [fmt for fmt in present if recorded.get(fmt) == _stamp(out / f"graph.{fmt}")]
    fmt = (described or present)[0]
    file = out / f"graph.{fmt}"
    ranges: dict[str, tuple[int, int]] = {}
    if described:
        for key, per in chunks.items():
            if fmt in per:
                offset, length = per[fmt]
                ranges[key] = (int(offset), int(length))
    return _Source(fmt, file, _stamp(file), index_stamp if described else None, ranges)


def read_manifest(out: Path) -> dict[str, object] | None:
    """The store's manifest, or None when there is none (no store, or one left half-updated) or it is unreadable."""
    try:
        found = json.loads((out / STORE / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and found.get("version") == VERSION else None


def _store_version() -> str:
    import pyoxigraph

    return str(getattr(pyoxigraph, "__version__", ""))


def is_current(out: str | Path) -> bool:
    """Whether ``out``'s store holds its graph files as they are now (and can be read without an update)."""
    out = Path(out)
    manifest = read_manifest(out)
    if manifest is None or manifest.get("oxigraph") != _store_version():
        return False
    try:
        return bool(manifest.get("source") == _source(out).manifest_source())
    except GraphError:
        return False


# ----------------------------------------------------------------------------- the update


def sync_store(out: str | Path, *, warn: Warn = _ignore, fresh: bool = False, fed: Fed | None = None) -> StoreReport:
    """Bring ``out``'s store up to date with its graph files; load it from nothing where it cannot be trusted.

    ``fresh`` loads it from nothing anyway (a public edition's store must not
    keep deleted data in its files).  ``fed`` is what a `kg.storefeed.StoreFeed`
    loaded while the build wrote the files, or brought up to date from them
    before they were renamed: the store is vouched for as it is when that was
    exactly these files' chunks, and brought up to date otherwise.
    Raises `OutputError` when the store
    cannot be written (a read-only folder, a full disk) and `GraphError`
    when there is no graph file to load.
    """
    started = time.perf_counter()
    out = Path(out)
    folder = out / STORE
    db = folder / "db"
    source = _source(out)
    manifest = read_manifest(out)
    if fed is not None and manifest is None and not fresh and db.is_dir():
        report = _vouch(folder, source, fed, started)
        if report is not None:
            return report
    if manifest is not None and manifest.get("source") == source.manifest_source() and not fresh \
            and manifest.get("oxigraph") == _store_version() and db.is_dir():
        return StoreReport(db, up_to_date=True, kept=len(source.chunks))
    if manifest is None and db.exists() and fed is None:
        warn(f"{folder} was left half-updated (the last update stopped midway); loading it again from "
             f"{source.file.name}")
    held = {} if fresh else _held(manifest, source, db)
    done = _apply(folder, source, manifest, held)
    try:
        manifest_data: dict[str, object] = {"version": VERSION, "oxigraph": _store_version(),
                                            "source": source.manifest_source(), "graphs": done.graphs}
        if done.default is not None:
            manifest_data["default"] = done.default
        _write_manifest(folder, manifest_data)
    except OSError as e:
        raise OutputError(f"{folder}: cannot update the query store ({e.strerror or e}); check space and "
                          "permissions, or delete the folder (kg query loads the graph files instead)") from None
    return replace(done.report, seconds=time.perf_counter() - started)


def update_before_rename(out: str | Path, source: _Source) -> Fed | None:
    """Bring ``out``'s store up to date with graph files not yet renamed into place (``source``: the file as
    written under its temporary name, its chunks as written); what `sync_store` then vouches for, once the files
    are in place, without reading them again.  None, and nothing done, where the store would be loaded from
    nothing: that is fed while the files are written (`kg.storefeed`) or loaded after.

    A rebuild waits for its page to be drawn in another process after its
    graph file is written: the store's update (a second or two at 1,000
    interviews) is done in that wait rather than after it.  From here until
    the manifest is written, the store has none: a build that fails before
    its files are renamed leaves a store that is loaded again.
    """
    started = time.perf_counter()
    out = Path(out)
    folder = out / STORE
    manifest = read_manifest(out)
    held = _held(manifest, source, folder / "db")
    if not held:
        return None
    from .storefeed import Fed

    done = _apply(folder, source, manifest, held)
    return Fed(source.fmt, done.graphs, source.stamp[0], stamp=(source.stamp[0], source.stamp[1]),
               chunks=dict(source.chunks), default=done.default,
               report=replace(done.report, seconds=time.perf_counter() - started))


def _held(manifest: Mapping[str, object] | None, source: _Source, db: Path) -> dict[str, str]:
    """The chunks the store holds that an update can keep (chunk key -> graph IRI); empty where it must be loaded
    from nothing: no manifest to trust, another Oxigraph, no index, or most interviews changed (a new kg
    version renders them all: loading from nothing is quicker, and compacts)."""
    recorded = manifest.get("graphs") if manifest is not None else None
    if manifest is None or manifest.get("oxigraph") != _store_version() or not db.is_dir() or not source.chunks \
            or not isinstance(recorded, dict):
        return {}
    held = {str(k): str(v) for k, v in recorded.items()}
    if 2 * sum(1 for key in source.chunks if key not in held) > len(source.chunks):
        return {}
    return held


@dataclass(frozen=True)
class _Applied:
    graphs: dict[str, str]
    """Every chunk the store now holds: key -> graph IRI."""
    default: dict[str, object] | None
    """What the manifest records of the default graph's copy kept beside the store (`_keep_default`)."""
    report: StoreReport


def _apply(folder: Path, source: _Source, manifest: Mapping[str, object] | None, held: dict[str, str]) -> _Applied:
    """Bring the store in ``folder`` to ``source``'s chunks: an update of the ``held`` ones, a load from nothing
    where none is held.  The manifest is deleted first and not written here."""
    import pyoxigraph as ox

    db = folder / "db"
    full = not held
    try:
        folder.mkdir(exist_ok=True)
        (folder / MANIFEST).unlink(missing_ok=True)  # from here until the new manifest, the store is half-updated
        if full and db.exists():
            shutil.rmtree(db)
        store = ox.Store(str(db))
        try:
            gone = [iri for key, iri in held.items() if key not in source.chunks]
            changed = [key for key in source.chunks if key not in held]
            for iri in gone:
                store.remove_graph(ox.NamedNode(iri))
            default = _default_bytes(source)
            diff = None if full or default is None else _default_diff(folder, manifest, source.fmt, default)
            if not full and diff is None:
                store.clear_graph(ox.DefaultGraph())
            graphs = _load(store, source, changed, default=default, whole_default=diff is None)
            if diff is not None:
                for quad in diff[0]:
                    store.remove(quad)
                store.extend(diff[1])
            if full:
                # bulk loads leave many small files; compacted once, queries read a few (several times faster)
                store.optimize()
            store.flush()
        finally:
            del store
        kept = {key: iri for key, iri in held.items() if key in source.chunks}
        if default is not None:
            kept_default: dict[str, object] | None = _keep_default(folder, source.fmt, default)
        else:  # the whole file was loaded: no copy describes the store's default graph now
            kept_default = None
            for stale in folder.glob(f"{DEFAULT}.*"):
                stale.unlink(missing_ok=True)
    except (SyntaxError, ValueError) as e:  # the graph file's bytes do not parse: the store stays half-updated
        said = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise GraphError(f"{source.file}: cannot load it into the query store ({said}); rebuild it with kg build") \
            from None
    except OSError as e:
        raise OutputError(f"{folder}: cannot update the query store ({e.strerror or e}); check space and "
                          "permissions, or delete the folder (kg query loads the graph files instead)") from None
    report = StoreReport(db, loaded=len(changed), removed=len(gone), kept=len(kept), full=full,
                         by_difference=diff is not None, default_removed=len(diff[0]) if diff else 0,
                         default_added=len(diff[1]) if diff else 0)
    return _Applied({**kept, **graphs}, kept_default, report)


def _vouch(folder: Path, source: _Source, fed: Fed, started: float) -> StoreReport | None:
    """Write the manifest of a store fed while the files were written, if it was fed exactly ``source``'s
    chunks (the same format, keys and length), or of one brought up to date from them before they were renamed
    (`update_before_rename`), if they are the files it read (the same size and time, each chunk where it was);
    None otherwise (it is then brought up to date from the files)."""
    if fed.fmt != source.fmt or fed.size != source.stamp[0] or set(fed.graphs) != set(source.chunks):
        return None
    if fed.report is not None:  # brought up to date before the rename: its default graph's copy is kept already
        if fed.default is None or list(fed.stamp or ()) != source.stamp or dict(fed.chunks or {}) != source.chunks:
            return None
        kept_default = dict(fed.default)
        report = replace(fed.report, seconds=fed.report.seconds + time.perf_counter() - started)
    else:
        default = _default_bytes(source)
        if default is None:
            return None
        try:
            kept_default = _keep_default(folder, source.fmt, default)
        except OSError as e:
            raise OutputError(f"{folder}: cannot update the query store ({e.strerror or e}); check space and "
                              "permissions, or delete the folder (kg query loads the graph files instead)") from None
        report = StoreReport(folder / "db", loaded=len(fed.graphs), full=True, while_written=True,
                             seconds=time.perf_counter() - started)
    try:
        _write_manifest(folder, {"version": VERSION, "oxigraph": _store_version(), "source": source.manifest_source(),
                                 "graphs": dict(fed.graphs), "default": kept_default})
    except OSError as e:
        raise OutputError(f"{folder}: cannot update the query store ({e.strerror or e}); check space and "
                          "permissions, or delete the folder (kg query loads the graph files instead)") from None
    return report


def _write_manifest(folder: Path, data: Mapping[str, object]) -> None:
    from .files import write_atomically

    write_atomically(folder, {MANIFEST: (json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n").encode()})


def _load(store: object, source: _Source, keys: Sequence[str], *, default: tuple[bytes, int] | None = None,
          whole_default: bool = True) -> dict[str, str]:
    """Load the chunks ``keys`` of ``source`` into ``store``, and its default graph unless ``whole_default`` is
    false; their graph IRIs by key.

    ``default`` is `_default_bytes` of ``source``, read once by the caller.
    Everything goes through one bulk load of a stream assembled from the
    file's byte ranges: N-Quads as they are, the other formats as TriG (a
    Turtle or N-Triples chunk inside a graph block named by its first
    subject, the interview; TriG chunks are blocks already).  With no index,
    the whole file is loaded (named graphs only where the format has them).
    """
    import pyoxigraph as ox

    with open(source.file, "rb") as fh:
        if not source.chunks:
            fmt = ox.RdfFormat.from_extension(source.fmt)
            store.bulk_load(input=fh.read(), format=fmt)  # type: ignore[attr-defined]
            return {}
        gaps, header_size = default if default is not None else _default_bytes(source) or (b"", 0)
        base = _base(gaps[:header_size])
        # the bytes outside every chunk: the header (@base, @prefix), then the default graph; the header alone
        # when the default graph is brought up to date by difference (`default_diff`)
        graphs: dict[str, str] = {}
        pieces: list[bytes | tuple[int, int, bytes, bytes]] = [gaps if whole_default else gaps[:header_size]]
        for key in keys:
            offset, length = source.chunks[key]
            first = os.pread(fh.fileno(), min(length, 4096), offset)
            m = _FIRST_IRI.match(first)
            if m is None:
                raise GraphError(f"{source.file}: a chunk of {INDEX} does not start with an IRI; "
                                 f"delete {INDEX} and build again")
            iri = urljoin(base, m.group(1).decode("utf-8")) if base else m.group(1).decode("utf-8")
            graphs[key] = iri
            if source.fmt in ("nq", "trig"):
                pieces.append((offset, length, b"", b"\n"))
            else:
                pieces.append((offset, length, f"<{iri}> {{\n".encode(), b"\n}\n"))
        fmt = ox.RdfFormat.N_QUADS if source.fmt == "nq" else ox.RdfFormat.TRIG
        store.bulk_load(input=_Pieces(fh.fileno(), pieces), format=fmt)  # type: ignore[attr-defined]
    return graphs


def _default_bytes(source: _Source) -> tuple[bytes, int] | None:
    """The file's bytes outside every chunk (header, default graph, separators) and the header's length; None
    without an index (then the whole file is loaded, and nothing is kept to compare with)."""
    if not source.chunks:
        return None
    with open(source.file, "rb") as fh:
        header = _header(fh, source.fmt)
        gaps = _gaps(fh, sorted(source.chunks.values()), source.file.stat().st_size)
    return gaps, len(header)


def _keep_default(folder: Path, fmt: str, default: tuple[bytes, int]) -> dict[str, object]:
    """Keep the default graph's bytes just loaded beside the store, for the next update to compare with; what
    the manifest records of them (written after them: a copy the manifest does not vouch for is not read)."""
    from .files import write_atomically

    name = f"{DEFAULT}.{fmt}"
    data, header_size = default
    for stale in folder.glob(f"{DEFAULT}.*"):
        if stale.name != name:
            stale.unlink(missing_ok=True)
    write_atomically(folder, {name: data})
    return {"file": name, "sha256": hashlib.sha256(data).hexdigest(), "header": header_size}


def _default_diff(folder: Path, manifest: Mapping[str, object] | None, fmt: str,
                  default: tuple[bytes, int]) -> tuple[list[pyoxigraph.Quad], list[pyoxigraph.Quad]] | None:
    """The quads to remove and add to bring the store's default graph to ``default``; None when the last update
    kept no copy of its own that the manifest vouches for, or the difference cannot be trusted (`default_diff`)."""
    kept = manifest.get("default") if manifest is not None else None
    if not isinstance(kept, dict) or kept.get("file") != f"{DEFAULT}.{fmt}" or not isinstance(kept.get("header"), int):
        return None
    try:
        old = (folder / str(kept["file"])).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(old).hexdigest() != kept.get("sha256"):
        return None
    data, header_size = default
    return default_diff(old, data, fmt, header_size, int(kept["header"]))


def _header(fh: io.BufferedReader, fmt: str) -> bytes:
    """The @base and @prefix lines a Turtle or TriG file starts with (nothing for the line formats)."""
    if fmt not in ("ttl", "trig"):
        return b""
    fh.seek(0)
    lines = []
    for line in fh:
        if not line.startswith((b"@base ", b"@prefix ")):
            break
        lines.append(line)
    return b"".join(lines)


def _base(header: bytes) -> str:
    m = re.search(rb"^@base <([^>]*)>", header, re.M)
    return m.group(1).decode("utf-8") if m else ""


def _gaps(fh: io.BufferedReader, ranges: Sequence[tuple[int, int]], size: int) -> bytes:
    """The file's bytes outside every chunk: the header, the default graph and separators."""
    out, at = [], 0
    for offset, length in [*ranges, (size, 0)]:
        if offset > at:
            out.append(os.pread(fh.fileno(), offset - at, at))
        at = max(at, offset + length)
    return b"".join(out)


class _Pieces(io.RawIOBase):
    """A readable stream of literal bytes and (offset, length, before, after) ranges of an open file."""

    def __init__(self, fd: int, pieces: Sequence[bytes | tuple[int, int, bytes, bytes]]) -> None:
        self.fd = fd
        self.parts: Iterator[bytes] = self._parts(pieces)
        self.pending = memoryview(b"")
        self.at = 0
        """How much of ``pending`` was read: a view and a position, where slicing the rest off after each read
        copied it, which made a piece of N bytes cost N² / (read size) (the default graph with the corpus
        totals, 150 MB at 1,000 interviews, took longer than the whole build)."""

    def _parts(self, pieces: Sequence[bytes | tuple[int, int, bytes, bytes]]) -> Iterator[bytes]:
        for piece in pieces:
            if isinstance(piece, bytes):
                yield piece
                continue
            offset, length, before, after = piece
            yield before
            done = 0
            while done < length:
                block = os.pread(self.fd, min(length - done, 1 << 22), offset + done)
                if not block:
                    raise OSError(f"graph file shorter than {INDEX} says")
                done += len(block)
                yield block
            yield after

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while self.at >= len(self.pending):
            try:
                self.pending, self.at = memoryview(next(self.parts)), 0
            except StopIteration:
                return 0
        n = min(len(buffer), len(self.pending) - self.at)
        buffer[:n] = self.pending[self.at:self.at + n]
        self.at += n
        return n


# ----------------------------------------------------------------------------- the default graph by difference

# The default graph's change between two builds, as the quads to remove from the store and the quads to add.
#
# A rebuild after one interview changed renders the default graph again (the
# entities' counts, the speaker totals and shared ranks are sums over every
# interview), but only a few of its statements differ from the last build's:
# the changed interview's entities, their totals and ranks, and each
# interview's link to the build (whose IRI hashes every input).  Dropping the
# whole default graph from the store and loading it again cost most of the
# store's update at 1,000 interviews (hundreds of thousands of quads); this
# module finds the difference so that the store touches only what changed
# (the store keeps a copy of the default graph's bytes it loaded to compare
# with).
#
# The comparison is textual first, exact second: the bytes are cut into
# statements at ``" .\n"`` (Oxigraph, which writes every kg graph file, ends
# each Turtle, TriG, N-Triples and N-Quads statement so and escapes line
# breaks inside literals), statements are grouped by their subject's text, and
# only the subjects whose statements differ are parsed, old and new, and their
# quads compared as sets.  All of a subject's quads are parsed on both sides,
# so the result is exact whatever the serialiser's grouping.  Anything this
# cannot vouch for (a header that changed, a blank node, bytes that do not
# parse) gives None, and the caller replaces the whole default graph as before.


def _statements(body: bytes) -> dict[bytes, list[bytes]]:
    """Subject text -> its statements (without the final ``" ."``), sorted: comparable between two builds."""
    out: dict[bytes, list[bytes]] = {}
    for part in body.split(b" .\n"):
        part = part.strip()
        if part:
            subject = part.split(None, 1)[0]
            out.setdefault(subject, []).append(part)
    for found in out.values():
        found.sort()
    return out


def default_diff(old: bytes, new: bytes, fmt: str, header_size: int,
                 old_header_size: int) -> tuple[list[pyoxigraph.Quad], list[pyoxigraph.Quad]] | None:
    """(quads to remove, quads to add) to turn the default graph of ``old`` into that of ``new``; None if unsure.

    ``old`` and ``new`` are a graph file's bytes outside its interviews'
    chunks (`_gaps`): the header (``@base`` and ``@prefix`` lines,
    ``header_size`` and ``old_header_size`` bytes long), then the default
    graph's statements.
    """
    header = new[:header_size]
    if fmt not in SOURCES or old[:old_header_size] != header:
        return None
    before, after = _statements(old[old_header_size:]), _statements(new[header_size:])
    changed = [s for s in before.keys() | after.keys() if before.get(s) != after.get(s)]
    try:
        gone = _quads(header, [p for s in changed for p in before.get(s, ())], fmt)
        came = _quads(header, [p for s in changed for p in after.get(s, ())], fmt)
    except (SyntaxError, ValueError):
        return None
    if gone is None or came is None:
        return None
    return sorted(gone - came, key=str), sorted(came - gone, key=str)


def _quads(header: bytes, parts: Sequence[bytes], fmt: str) -> set[pyoxigraph.Quad] | None:
    """The quads of ``parts`` (statements of the default graph) read under ``header``; None if one has a blank
    node, which a separate parse would name differently from the store's."""
    if not parts:
        return set()
    import pyoxigraph as ox

    data = header + b"".join(p + b" .\n" for p in parts)
    found = set()
    for quad in ox.parse(data, format=ox.RdfFormat.from_extension(fmt)):
        if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode) \
                or not isinstance(quad.graph_name, ox.DefaultGraph):
            return None
        found.add(quad)
    return found


# ----------------------------------------------------------------------------- reading


def ready_store(out: str | Path, *, warn: Warn = _ignore) -> Path | None:
    """The database of ``out``'s store, brought up to date first if needed; None where it cannot be written.

    For ``kg query`` and ``kg serve``: a store that a build left up to date
    opens at once; otherwise it is updated (or loaded) here, and where the
    folder cannot be written the caller loads the graph file itself.
    """
    out = Path(out)
    if is_current(out):
        return out / STORE / "db"
    try:
        return sync_store(out, warn=warn).path
    except OutputError as e:
        warn(f"{e}; reading the graph file instead")
        return None


def remove_store(out: str | Path) -> None:
    """Delete ``out``'s store (a public edition's folder keeps none that an earlier edition left)."""
    shutil.rmtree(Path(out) / STORE, ignore_errors=True)
