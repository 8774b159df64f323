"""Handing freed memory back to the system, where glibc would keep it for later."""

from __future__ import annotations

import ctypes
from functools import lru_cache


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def trim_heap() -> None:
    """Return the heap's free pages to the system (glibc's ``malloc_trim``); nothing elsewhere.

    A long build frees large, short-lived objects (spaCy models, rendered
    chunks); glibc keeps those pages for reuse, and they go on counting as
    the process's memory, against the peak a laptop can afford.
    """
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)
