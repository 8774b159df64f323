"""Running a query under a time limit that really stops it.

Neither rdflib nor pyoxigraph can interrupt a query once it runs, and a
thread left running keeps its core busy after the caller gave up.  So a
limited query runs in a forked child process: the child loads the graph (or
opens the store), says it is ready, runs the query and sends the result
back; the parent waits for the result at most ``timeout`` seconds from
"ready" (loading does not count) and kills the child past it.  Where fork
is not available the query runs here, without a limit.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable
from typing import Generic, TypeVar

from .errors import KgError, QueryError

Loaded = TypeVar("Loaded")
Result = TypeVar("Result")


class Limited(Generic[Loaded, Result]):
    """``run(load())`` in a child process, stopped ``timeout`` seconds after ``load`` returns."""

    def __init__(self, load: Callable[[], Loaded], run: Callable[[Loaded], Result], timeout: float | None) -> None:
        self.load, self.run, self.timeout = load, run, timeout
        self.load_seconds = 0.0

    def __call__(self) -> Result:
        import time

        if not self.timeout or "fork" not in multiprocessing.get_all_start_methods():
            started = time.perf_counter()
            loaded = self.load()
            self.load_seconds = time.perf_counter() - started
            return self.run(loaded)
        ctx = multiprocessing.get_context("fork")
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=self._child, args=(send,), daemon=True, name="kg-query")
        started = time.perf_counter()
        child.start()
        send.close()
        try:
            first = self._receive(receive, child, None)
            if first[0] != "loaded":
                return self._answer(first)
            self.load_seconds = time.perf_counter() - started
            if not receive.poll(self.timeout):
                raise QueryError(f"the query ran longer than {self.timeout:g} s and was stopped; narrow it (a LIMIT, "
                                 "a more selective pattern) or give it more time with --timeout")
            return self._answer(self._receive(receive, child, None))
        finally:
            receive.close()
            if child.is_alive():
                child.kill()
            child.join()

    def _child(self, send: object) -> None:  # pragma: no cover - runs in the forked process
        import os

        try:
            loaded = self.load()
            send.send_bytes(pickle.dumps(("loaded", None)))  # type: ignore[attr-defined]
            message: tuple[str, object] = ("ok", self.run(loaded))
        except KgError as e:
            message = ("error", e)
        except BaseException as e:  # handed to the parent as one line, never a traceback from a child
            message = ("error", QueryError(f"the query failed: {type(e).__name__}: {e}; simplify or fix it"))
        try:
            send.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))  # type: ignore[attr-defined]
        finally:
            os._exit(0)  # no atexit handlers, no flushing of the parent's buffers a second time

    @staticmethod
    def _receive(receive: object, child: object, timeout: float | None) -> tuple[str, object]:
        try:
            return pickle.loads(receive.recv_bytes())  # type: ignore[attr-defined, no-any-return]
        except EOFError:
            child.join()  # type: ignore[attr-defined]
            code = child.exitcode  # type: ignore[attr-defined]
            raise QueryError(f"the query process ended without an answer (exit status {code}); "
                             "the graph may be too large for memory: narrow the query") from None

    @staticmethod
    def _answer(message: tuple[str, object]) -> Result:
        kind, value = message
        if kind == "error":
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]
