"""The objects a build keeps until it ends, set aside from the cyclic garbage collector while it runs.

`kg.memory.rare_collections` makes collections rare in a build; they still
walk every object alive.  At 1,000 interviews one collection of the middle
generation, in the output stage, walked the millions of mentions loaded from
the cache and took 1.6 s of a 17 s rebuild.  Those objects live until the
build ends and hold no cycles worth collecting: after each stage that makes
many of them, `settle` hands them to `gc.freeze`, and the collector no longer
walks them.  A process forked after that (the page, `kg.pipeline.aside`)
also copies fewer pages, as the collector no longer writes to them.  Where a
stage unfreezes for its own forks (`kg.rdf.write`), they land in the oldest
generation, which only the rare full collections walk: still out of the way.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_depth = 0
"""How many `settling` blocks are open."""


@contextmanager
def settling() -> Iterator[None]:
    """A part of a build inside which `settle` works; what it set aside is the collector's again once the
    outermost such block is left, so that a program that builds and goes on (a server, a notebook) frees it."""
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            gc.unfreeze()


def settle() -> None:
    """Every object made so far lives until the build ends: the collector stops walking it.  Inside `settling`
    only; elsewhere nothing."""
    if _depth:
        gc.freeze()
