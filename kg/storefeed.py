"""The query store loaded from nothing while a build writes its graph file, not after it.

A store that must be loaded whole (the first build into a folder, a store
left half-updated, a build where most interviews changed) was filled once the
build's files were written, from the finished graph file: at 1,000
interviews of 5,000 words, Oxigraph's bulk load and compaction of the 684 MB
of Turtle took about two minutes of one core, after everything else.  An
interview's bytes are final as soon as `kg.rdf.write.write_graph` appends
them, so `StoreFeed` follows the graph file as it is written and streams the
same bytes `kg.store` assembles from the finished file (the header and
default graph as they are, each interview's chunk in a graph block named by
its IRI, `kg.store._load`) through a FIFO into ``Store.bulk_load``, which
reads a path without holding the GIL: the parse and the index building run
beside the rendering and the page.

Never served half-loaded: the manifest goes before the first byte is fed,
and only `kg.store.sync_store`, once the files are renamed into place, writes
it again, after checking that the store was fed exactly those files' chunks
(the same format, keys and length); anything else (the load failed, the
write failed or was killed) leaves a store without a manifest, which is
loaded again from the files.
"""

from __future__ import annotations

import errno
import os
import queue
import shutil
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urljoin

from .errors import GraphError, OutputError
from .store import (
    _FIRST_IRI,
    MANIFEST,
    SOURCES,
    STORE,
    StoreReport,
    _base,
    _Source,
    _stamp,
    _store_version,
    read_manifest,
    update_before_rename,
)

FIFO = "feed.fifo"
"""The pipe in the store's folder through which the loader reads what the build writes."""
BLOCK = 1 << 22


@dataclass(frozen=True)
class Fed:
    """What a `StoreFeed` loaded: `kg.store.sync_store` checks it against the files before it vouches for it."""

    fmt: str
    graphs: dict[str, str]
    """Chunk key -> the named graph its bytes were loaded into."""
    size: int
    """Bytes of the graph file fed, all of it."""
    stamp: tuple[int, int] | None = None
    """[size, mtime_ns] of the file, where the store was brought up to date from it before it was renamed
    (`kg.store.update_before_rename`), and the rest below with it."""
    chunks: Mapping[str, tuple[int, int]] | None = None
    """Chunk key -> (offset, length) in that file."""
    default: Mapping[str, object] | None = None
    """What the manifest records of the default graph's copy kept beside the store."""
    report: StoreReport | None = None


class StoreFeed:
    """Follows one graph file while `write_graph` writes it and loads it into ``OUT/.kg-store`` meanwhile.

    `write_graph` calls `start` once the file's head (prefixes, default
    graph) is written and its rendering workers are forked (a fork must not
    copy running threads), `chunk` after each interview's bytes, `end` after
    the last; the build calls `finish` once the files are in place, or
    `abandon` when writing them failed.
    """

    def __init__(self, out: str | Path, formats: Sequence[str]) -> None:
        self.out = Path(out)
        present = [fmt for fmt in SOURCES if fmt in formats]
        self.fmt: str | None = present[0] if present else None
        """The format `kg.store` loads from when these formats are written (the first of `SOURCES`)."""
        self._queue: queue.SimpleQueue[tuple[int, int, str | None] | None] = queue.SimpleQueue()
        self._at = 0
        self._ended = False
        self._graphs: dict[str, str] = {}
        self._error: BaseException | None = None
        self._abandoned = False
        self._threads: list[threading.Thread] = []
        self._sink: IO[bytes] | None = None
        self._made_folder = False
        self._caught: Fed | None = None

    @property
    def started(self) -> bool:
        return bool(self._threads)

    def wanted(self, keys: Sequence[str | None]) -> bool:
        """Whether `kg.store.sync_store` would load the store from nothing after this build (same rule)."""
        keyed = [key for key in keys if key is not None]
        if self.fmt is None or not keyed or not hasattr(os, "mkfifo"):
            return False
        folder = self.out / STORE
        manifest = read_manifest(self.out)
        held = manifest.get("graphs") if manifest is not None else None
        if manifest is None or manifest.get("oxigraph") != _store_version() or not (folder / "db").is_dir() \
                or not isinstance(held, dict) or not held:
            return True
        return 2 * sum(1 for key in keyed if key not in held) > len(keyed)

    def start(self, sink: IO[bytes]) -> bool:
        """Begin loading from ``sink`` (the graph file being written, its head written); False where it cannot."""
        folder = self.out / STORE
        sink.flush()
        self._made_folder = not folder.exists()
        try:
            folder.mkdir(exist_ok=True)
            (folder / MANIFEST).unlink(missing_ok=True)  # from here until sync_store's manifest, half-loaded
            shutil.rmtree(folder / "db", ignore_errors=True)
            fifo = folder / FIFO
            fifo.unlink(missing_ok=True)
            os.mkfifo(fifo, 0o600)
            fd = os.dup(sink.fileno())  # its own: the build's file object may be closed (and its number reused)
        except OSError:
            return False  # sync_store loads it after the files are written, and says what is wrong
        self._sink = sink
        head = os.pread(fd, 1 << 16, 0)
        base = _base(head) if self.fmt in ("ttl", "trig") else ""
        loader = threading.Thread(target=self._load, args=(folder / "db", fifo), name="kg-store-load", daemon=True)
        feeder = threading.Thread(target=self._feed, args=(fd, fifo, base, loader), name="kg-store-feed", daemon=True)
        self._threads = [loader, feeder]
        loader.start()
        feeder.start()
        return True

    def chunk(self, key: str, offset: int, length: int) -> None:
        """The interview ``key``'s bytes lie at ``offset`` in the file (written, not yet flushed)."""
        if self._sink is None or self._ended:
            return
        self._sink.flush()
        if offset > self._at:
            self._queue.put((self._at, offset - self._at, None))
        self._queue.put((offset, length, key))
        self._at = offset + length

    def end(self, size: int) -> None:
        """The file is complete at ``size`` bytes: the rest goes as it is, then the loader is told it is over."""
        if self._sink is None or self._ended:
            return
        self._sink.flush()
        if size > self._at:
            self._queue.put((self._at, size - self._at, None))
            self._at = size
        self._ended = True
        self._queue.put(None)

    def catch_up(self, sinks: Mapping[str, IO[bytes]], ranges: Mapping[str, Mapping[str, tuple[int, int]]]) -> None:
        """The files are written, not yet renamed: bring a store that was not fed whole up to date from them now
        (`kg.store.update_before_rename`), while the build waits for its page to be drawn, not after.

        ``ranges`` is where `write_graph` put each interview's bytes.  A sink
        that is no named file (tests write to memory) is left alone: the store
        is brought up to date after the rename, as it is when this fails.
        """
        if self.started or self._caught is not None or self.fmt is None or self.fmt not in sinks:
            return
        sink = sinks[self.fmt]
        name = getattr(sink, "name", None)
        if not isinstance(name, str):
            return
        sink.flush()
        path = Path(name)
        chunks = {key: (int(per[self.fmt][0]), int(per[self.fmt][1])) for key, per in ranges.items()
                  if self.fmt in per}
        try:
            self._caught = update_before_rename(self.out, _Source(self.fmt, path, _stamp(path), None, chunks))
        except (OutputError, GraphError):
            self._caught = None  # `kg.store.sync_store` loads it again after the rename, and says what is wrong

    def abandon(self) -> None:
        """The build's files were not written: stop and remove the half-loaded store, so that a failed build
        leaves nothing of its own beside the previous outputs (`kg query` loads a store from them again)."""
        self._abandoned = True
        if not self._ended:
            self._ended = True
            self._queue.put(None)
        self._join()
        if self.started:
            folder = self.out / STORE
            shutil.rmtree(folder if self._made_folder else folder / "db", ignore_errors=True)
        elif self._caught is not None:  # brought up to date with files that will not be renamed into place
            shutil.rmtree(self.out / STORE / "db", ignore_errors=True)
            self._caught = None

    def finish(self) -> Fed | None:
        """Wait for the load; what the store was fed, or brought up to date with before the rename (`catch_up`);
        None where neither happened."""
        if not self.started:
            return self._caught
        if not self._ended:
            self.abandon()
            return None
        self._join()
        if self._error is not None or self._abandoned or self.fmt is None:
            return None
        return Fed(self.fmt, dict(self._graphs), self._at)

    def _join(self) -> None:
        for thread in self._threads:
            thread.join()
        (self.out / STORE / FIFO).unlink(missing_ok=True)

    def _load(self, db: Path, fifo: Path) -> None:
        import pyoxigraph as ox

        try:
            store = ox.Store(str(db))
            fmt = ox.RdfFormat.N_QUADS if self.fmt == "nq" else ox.RdfFormat.TRIG
            store.bulk_load(path=str(fifo), format=fmt)
            if not self._abandoned:
                store.optimize()  # bulk loads leave many small files; compacted once, queries read a few
                store.flush()
            del store  # closed here: sync_store opens it again
        except BaseException as e:  # handed to finish, which leaves the store to be loaded again
            self._error = e

    def _feed(self, fd: int, fifo: Path, base: str, loader: threading.Thread) -> None:
        pipe = -1
        try:
            pipe = _open_writer(fifo, loader)
            while (item := self._queue.get()) is not None and not self._abandoned:  # Ctrl-C: stop at once
                offset, length, key = item
                if key is None:
                    _copy(fd, offset, length, pipe)
                    continue
                m = _FIRST_IRI.match(os.pread(fd, min(length, 4096), offset))
                if m is None:
                    raise ValueError("a chunk does not start with an IRI")
                iri = urljoin(base, m.group(1).decode("utf-8")) if base else m.group(1).decode("utf-8")
                self._graphs[key] = iri
                wrap = self.fmt in ("ttl", "nt")
                _write(pipe, f"<{iri}> {{\n".encode() if wrap else b"")
                _copy(fd, offset, length, pipe)
                _write(pipe, b"\n}\n" if wrap else b"\n")
        except BaseException as e:  # the loader stops at the end of what it was given; finish says it failed
            self._error = e
            while self._queue.get() is not None:  # drained: the build goes on writing its files
                pass
        finally:
            os.close(fd)
            if pipe >= 0:
                os.close(pipe)


def _open_writer(fifo: Path, loader: threading.Thread) -> int:
    """The FIFO's writing end, once the loader has opened its reading end (never blocks on a loader that died)."""
    while True:
        try:
            pipe = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as e:
            if e.errno != errno.ENXIO or not loader.is_alive():
                raise
            time.sleep(0.005)
            continue
        os.set_blocking(pipe, True)
        return pipe


def _copy(fd: int, offset: int, length: int, pipe: int) -> None:
    done = 0
    while done < length:
        block = os.pread(fd, min(length - done, BLOCK), offset + done)
        if not block:
            raise OSError(f"the graph file is shorter than written ({offset + done} bytes)")
        _write(pipe, block)
        done += len(block)


def _write(pipe: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(pipe, view):]
