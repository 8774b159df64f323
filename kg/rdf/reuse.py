"""Reusing the last build's RDF bytes: a rebuild after one interview changed rewrites only that interview.

A build writes ``OUT/.kg-index.json`` with its files: each RDF file's size
and modification time, and, for each interview's chunk (by `Emitter.key`, a
hash of everything its bytes depend on), where its bytes lie in each file.
The next build copies the chunks whose key it finds straight from the old
files into the new ones (``copy_file_range``: the kernel copies, Python never
sees the bytes) and renders only the others.  The old files stay in place
until the new set is renamed over them, so this costs no extra disk.

The index is trusted only while every file it describes has the size and
modification time it recorded: a file edited or replaced by hand since then
makes the build render everything, as if there were no index.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

from ..errors import OutputError

INDEX = ".kg-index.json"
VERSION = 1
GRAPH_FORMAT = 2
"""What the graph files hold, recorded in the index as ``"graph"`` so that ``kg query`` and ``kg serve`` can
tell a build that predates a summary a query reads (`kg.sparql.check_summaries`) from one where the answer
is empty: 2 (2026-12-04) added the summaries in `SUMMARIES`; builds that record no number count as 1."""
SUMMARIES = {
    "kgi:SpeakerTotal": (2, ("SpeakerTotal", "totalSpeaker", "totalEntity", "quoteTotal", "interviewTotal")),
    "kgi:EntityQuotes": (2, ("EntityQuotes", "quotedEntity", "entityQuote")),
    "kgi:sharedRank": (2, ("sharedRank",)),
}
"""The summaries that queries read: the graph format that brought each, and the kgi terms that read it.  A
query naming one of those terms answers rows only on a build of that format or later."""

Ranges = Mapping[str, Mapping[str, "tuple[int, int] | list[int]"]]
"""Chunk key -> format -> (offset, length) in that format's file."""


class Previous:
    """The last build's RDF files, open for reading, and where each chunk lies in them."""

    def __init__(self, files: dict[str, IO[bytes]], ranges: Ranges) -> None:
        self.files = files
        self.ranges = ranges

    @classmethod
    def open(cls, out: Path, names: Mapping[str, str]) -> Previous | None:
        """The reusable files of ``out`` (format -> file name), or None when there is nothing to trust."""
        try:
            index = json.loads((out / INDEX).read_text(encoding="utf-8"))
            if index.get("version") != VERSION:
                return None
            recorded = index["files"]
            files: dict[str, IO[bytes]] = {}
            for fmt, name in names.items():
                if fmt not in recorded:
                    continue
                fh = open(out / name, "rb")
                st = os.fstat(fh.fileno())
                if [st.st_size, st.st_mtime_ns] != recorded[fmt]:
                    fh.close()
                    continue
                files[fmt] = fh
            return cls(files, index["chunks"]) if files else None
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def has(self, key: str, formats: Iterable[str]) -> bool:
        ranges = self.ranges.get(key)
        return ranges is not None and all(fmt in ranges and fmt in self.files for fmt in formats)

    def copy(self, key: str, fmt: str, sink: IO[bytes]) -> int:
        """Append chunk ``key``'s bytes in ``fmt`` to ``sink``; return how many."""
        offset, length = self.ranges[key][fmt]
        sink.flush()
        src, dst = self.files[fmt].fileno(), sink.fileno()
        done = 0
        kernel = hasattr(os, "copy_file_range")
        while done < length:
            want = length - done
            try:
                n = os.copy_file_range(src, dst, want, offset + done) if kernel else -1
            except OSError as e:
                if e.errno not in (errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                    raise  # a full disk, say: the build reports it
                kernel, n = False, -1
            if n == -1:  # no kernel copy here: read and write
                data = os.pread(src, min(want, 1 << 24), offset + done)
                n = os.write(dst, data) if data else 0
            if n == 0:  # cannot happen while size and time match the index; say so plainly if it does
                raise OutputError(f"{self.files[fmt].name}: shorter than {INDEX} says; delete {INDEX} and build again")
            done += n
        sink.seek(0, os.SEEK_END)  # the buffered writer's idea of its position is stale after a raw copy
        return length

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()


def index_bytes(ranges: Ranges, sinks: Mapping[str, IO[bytes]]) -> bytes:
    """The index of a build whose RDF files are ``sinks`` (flushed here: their size and time are final)."""
    files = {}
    for fmt, sink in sinks.items():
        sink.flush()
        st = os.fstat(sink.fileno())
        files[fmt] = [st.st_size, st.st_mtime_ns]
    chunks = {key: {fmt: list(r) for fmt, r in per.items()} for key, per in ranges.items()}
    return json.dumps({"version": VERSION, "graph": GRAPH_FORMAT, "files": files, "chunks": chunks},
                      separators=(",", ":")).encode("utf-8")


def graph_format(out: Path) -> int | None:
    """The graph format of the build in ``out`` (1 for an index that records none); None without an index."""
    try:
        index = json.loads((out / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = index.get("graph", 1) if isinstance(index, dict) else None
    return found if isinstance(found, int) else None
