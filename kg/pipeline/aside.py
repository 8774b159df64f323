"""Work that only computes bytes, run in a forked child process while this one goes on with its own.

A thread shares one core with the code that started it (the GIL); a forked
child has the parent's memory as it was, at no copying cost, and a core of
its own.  ``kg build`` draws the page this way while it writes the RDF files
(`kg.pipeline.outputs`).  The child only computes: it writes nothing but its
result, down a pipe, and never returns into the parent's code (no ``finally``
of the parent runs twice, no buffered output is flushed twice).  A child that
fails or dies gives no result, and the caller does the work itself: the
result is the same, only later.

What the child runs must not wait on threads: a forked process has the
parent's memory but only the forking thread, so a library's thread pool that
the parent started is there without its threads (see
`kg.page.network.exact_betweenness`).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import warnings
from collections.abc import Callable, Sequence

_SIZE = 8
"""Bytes of each length prefix on the pipe."""


class Aside:
    """``work`` running in a forked child; `result` reads back the byte strings it returned."""

    @staticmethod
    def possible() -> bool:
        """Whether this platform forks (not Windows; macOS forks, but its system libraries may not survive it)."""
        return hasattr(os, "fork") and sys.platform.startswith("linux")

    @classmethod
    def start(cls, work: Callable[[], Sequence[bytes]]) -> Aside | None:
        """``work`` started in a child, or None where there is no fork or the system refuses one (no memory,
        too many processes): the caller then does the work itself."""
        if not cls.possible():
            return None
        try:
            return cls(work)
        except OSError:
            return None

    def __init__(self, work: Callable[[], Sequence[bytes]]) -> None:
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            raise
        if pid == 0:  # the child: compute, send, exit, whatever happens
            try:
                os.close(read)
                # the parent's other threads are not here, and may have held the locks of its streams: the child
                # writes nothing but its result, so a warning must not wait on them forever
                sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the process ends with it
                warnings.simplefilter("ignore")
                gc.freeze()  # the parent's objects stay shared pages: no collection walks (and copies) them
                # nor any collection at all: what the work makes is freed as it goes (reference counts) or kept
                # until its result is sent, and a cycle it leaves goes with the process.  At 1,000 interviews
                # the page's parts file alone (millions of small lists) read in 0.35 s against 0.8 s with rare
                # collections, and a full collection landing in it took 2 s more
                gc.disable()
                payload = b"".join(len(part).to_bytes(_SIZE, "little") + part for part in work())
                _send(write, payload)
            finally:
                os._exit(0)
        os.close(write)
        self.pid: int | None = pid
        self._read = read

    def result(self) -> list[bytes] | None:
        """The child's byte strings, once it is done; None when it failed or died (the caller does the work)."""
        chunks = []
        while chunk := os.read(self._read, 1 << 20):
            chunks.append(chunk)
        self.abandon()
        data = b"".join(chunks)
        parts: list[bytes] = []
        at = 0
        while at + _SIZE <= len(data):
            size = int.from_bytes(data[at:at + _SIZE], "little")
            at += _SIZE
            if at + size > len(data):
                return None
            parts.append(data[at:at + size])
            at += size
        return parts if parts and at == len(data) else None

    def abandon(self) -> None:
        """Stop the child if it still runs and reap it (also after `result`: then it has exited)."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        try:
            os.close(self._read)
        except OSError:
            pass
        try:
            if os.waitpid(pid, os.WNOHANG) == (0, 0):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def _send(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]
