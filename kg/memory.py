"""Memory and the garbage collector: freed memory handed back to the system, collections kept rare in big builds."""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def rare_collections(first_generation: int = 100_000) -> Iterator[None]:
    """Run the cyclic garbage collector rarely inside the block, as before outside it.

    A build creates millions of small objects that live until it ends
    (interviews, sentences, mentions, entity references) and that hold no
    reference cycles; with the default thresholds the collector walks them
    again and again as they pile up: a large share of a rebuild's time, for
    no memory back.  The
    collector still runs, every ``first_generation`` allocations.
    """
    before = gc.get_threshold()
    gc.set_threshold(first_generation, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*before)
