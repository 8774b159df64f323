"""Writing outputs safely: all-or-nothing writes, an early check of the output folder, leftovers cleaned up.

Every file kg writes for a reader (RDF, the page, summary.json) goes through
`write_atomically`: written under a temporary name beside its final one and
renamed once complete, so that a reader, or a build killed halfway, sees the
old set of files or the new one, never a mix.
"""

from __future__ import annotations

import ctypes
import glob
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO

from .errors import OutputError


def write_atomically(out: Path, payloads: dict[str, bytes], *, streams: Sequence[str] = (),
                     fill: Callable[[dict[str, IO[bytes]]], None] | None = None) -> dict[str, Path]:
    """Write ``payloads`` (name -> bytes) and the files ``fill`` writes (``streams``) into ``out``, all or none.

    Each file is written under a temporary name in ``out`` and renamed once
    every file is complete: readers see the old set or the new one.
    """
    names = [*streams, *payloads]
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{out}: cannot create the output folder ({e.strerror}); choose another --out") from None
    blocked = [name for name in names if (out / name).is_dir()]
    if blocked:
        raise OutputError(f"{out / blocked[0]}: is a folder, not a file; move it away or choose another --out")
    temps: dict[str, str] = {}
    handles: dict[str, IO[bytes]] = {}
    mode = shared_file_mode()
    try:
        for name in names:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
            temps[name] = tmp
            os.fchmod(fd, mode)  # mkstemp makes 0600: outputs are for sharing and serving
            handles[name] = os.fdopen(fd, "w+b", buffering=1 << 20)
            handles[name].raw.name = tmp  # type: ignore[attr-defined]  # read by `kg.storefeed.StoreFeed.catch_up`
        for name, data in payloads.items():
            handles[name].write(data)
        if fill is not None:
            fill({name: handles[name] for name in streams})
        for fh in handles.values():
            fh.close()
        for name, tmp in temps.items():
            os.replace(tmp, out / name)
    except OSError as e:
        _discard(handles.values(), temps.values())
        raise OutputError(f"{out}: cannot write outputs ({e.strerror}); check space and permissions") from None
    except BaseException:
        _discard(handles.values(), temps.values())
        raise
    remove_stale_temps(out, names, keep=set(temps.values()))
    return {name: out / name for name in names}


_WRITE = 2
"""``SYNC_FILE_RANGE_WRITE``: start writing the range's dirty pages, wait for nothing."""


@lru_cache(maxsize=1)
def _sync_file_range() -> Callable[..., int] | None:
    from .memory import _libc  # the C library kg already loads for malloc_trim

    libc = _libc()
    call = getattr(libc, "sync_file_range", None) if libc is not None else None
    if call is None:
        return None
    call.argtypes = (ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint)
    return call  # type: ignore[no-any-return]


def start_writeback(fd: int) -> None:
    """Start writing a file's dirty pages to disk without waiting for them, and keep them cached (Linux's
    ``sync_file_range``, which Python's os module lacks); nothing where the system has no such call.

    ``posix_fadvise(DONTNEED)`` also starts the writing, but drops the pages
    already written: the next rebuild then read the last graph file back from
    disk to copy it.
    """
    call = _sync_file_range()
    if call is not None:
        call(fd, 0, 0, _WRITE)


def check_output_folder(out: str | Path) -> None:
    """Fail now, in one line, if outputs cannot be written to ``out``: not after a long extraction.

    The folder itself is not created here (a build that fails later must not leave it behind).
    """
    out = Path(out)
    if out.is_dir():
        try:
            fd, probe = tempfile.mkstemp(prefix=".kg-probe.", suffix=".tmp", dir=out)
            os.close(fd)
            os.unlink(probe)
        except OSError as e:
            raise OutputError(f"{out}: cannot write in the output folder ({e.strerror}); "
                              "make it writable or choose another --out") from None
        return
    if out.exists():
        raise OutputError(f"{out}: is not a folder; choose another --out")
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK) or _read_only_mount(parent):
        raise OutputError(f"{out}: cannot create the output folder ({parent} is not writable); choose another --out")


def remove_stale_temps(out: Path, names: Iterable[str], keep: set[str]) -> None:
    """Delete ``.NAME.*.tmp`` files a killed earlier write left behind (SIGKILL skips every cleanup)."""
    for name in names:
        for stale in out.glob(f".{glob.escape(name)}.*.tmp"):
            if str(stale) not in keep:
                try:
                    stale.unlink()
                except OSError:
                    pass


def shared_file_mode() -> int:
    """The mode a plain open() would give a new file (0666 less the umask): mkstemp's 0600 is for secrets."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _read_only_mount(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _discard(handles: Iterable[IO[bytes]], temps: Iterable[str]) -> None:
    for fh in handles:
        try:
            fh.close()
        except OSError:
            pass
    for tmp in temps:
        if os.path.exists(tmp):
            os.unlink(tmp)
