"""The front of ``kg serve``: SPARQL queries under a time limit that stops them, everything else to Oxigraph.

Oxigraph's own ``--timeout-s`` is checked between results: an aggregate or an
ORDER BY over a large join runs to its end, a minute past a one-second
limit, and answers "200 OK" with a broken body.  So the read-only endpoint's
``/query`` is answered here, by a pool of worker processes that each hold
the store open read-only: a query that runs past ``timeout`` gets HTTP 503
and one line saying so, and its worker is killed (the only way to stop a
query inside Oxigraph) and replaced, while the other workers go on
answering.  The store is a snapshot that does not change while it is
served, so each answer is kept (up to `CACHE_BYTES`) for the next client
that sends the same query, and clients that send a query already running
wait for its answer instead of running it again: the canned questions,
asked by every client, cost one run each.  Results are written by Oxigraph's serialisers (JSON, XML, CSV,
TSV; N-Triples or Turtle for CONSTRUCT and DESCRIBE), chosen by the Accept
header.  A path given a `Route` (``/reconcile``: `kg.link.service.ReconcileRoute`)
is answered by it, on the same port.  Every other request (YASGUI at ``/``,
``/store``, ``/update``) is passed to the Oxigraph server behind, on a
loopback port of its own; so is ``/query`` when the gate runs no workers
(``kg serve --writable``, where Oxigraph answers updates and queries alike).
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import queue
import socket
import threading
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from typing import Any

RESULT_TYPES = {
    "application/sparql-results+json": "JSON", "application/json": "JSON",
    "application/sparql-results+xml": "XML", "application/xml": "XML",
    "text/csv": "CSV", "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {"application/n-triples": "N_TRIPLES", "text/turtle": "TURTLE", "application/n-quads": "N_QUADS"}
MAX_QUERY_BYTES = 1 << 20
CACHE_BYTES = 256 << 20
"""Answers kept for the next client that asks the same query (least recently asked dropped first)."""
MAX_ROUTE_BYTES = 4 << 20
Route = Callable[[str, str, Mapping[str, str], bytes], tuple[int, Sequence[tuple[str, str]], bytes]]
"""A path the gate answers itself: (method, target, headers, body) -> (status, headers, body)."""


class _Running:
    """A query being answered for one client, that other clients asking the same wait for."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.answer: tuple[int, str, bytes] = (500, "text/plain; charset=utf-8", b"the query was not answered")


def _worker(location: str, conn: Connection) -> None:  # pragma: no cover - runs in a worker process
    """Answer (query, accept) messages with (status, media type, body) until the pipe closes."""
    import pyoxigraph as ox

    from .rdf.vocab import PREFIXES

    try:
        store = ox.Store.read_only(location)
    except OSError:  # the server stopped and its snapshot went while this worker started: nothing to answer
        return
    prefixes = dict(PREFIXES)
    conn.send("ready")
    while True:
        try:
            text, accept = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = store.query(text, prefixes=prefixes, use_default_graph_as_union=True)
            if isinstance(result, ox.QueryTriples):
                media = _choose(accept, GRAPH_TYPES, "application/n-triples")
                body = result.serialize(format=getattr(ox.RdfFormat, GRAPH_TYPES[media])) or b""
            else:
                media = _choose(accept, RESULT_TYPES, "application/sparql-results+json")
                body = result.serialize(format=getattr(ox.QueryResultsFormat, RESULT_TYPES[media])) or b""
            answer = (200, media, body)
        except SyntaxError as e:
            answer = (400, "text/plain; charset=utf-8", f"SPARQL syntax error: {e}".encode())
        except Exception as e:  # the query failed: said to the client, the worker goes on
            answer = (500, "text/plain; charset=utf-8", f"the query failed: {e}".encode())
        conn.send(answer)


def _choose(accept: str, types: dict[str, str], default: str) -> str:
    """The first media type of ``accept`` (in its order, ignoring weights) that ``types`` has; else ``default``."""
    for part in accept.split(","):
        media = part.split(";", 1)[0].strip().lower()
        if media in types:
            return media
    return default


def default_workers() -> int:
    """One worker per core this process may use, at least two (a slow query leaves one free) and at most eight
    (each holds its own interpreter and caches)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 2
    return min(8, max(2, cores))


class _Server4(ThreadingHTTPServer):
    # the standard library's backlog of 5 drops the connections of a burst of clients, which then wait a second
    # for the kernel to retry them
    request_queue_size = 1024
    daemon_threads = True


class _Server6(_Server4):
    address_family = socket.AF_INET6


class _Worker:
    def __init__(self, location: str) -> None:
        ctx = multiprocessing.get_context("spawn")  # not fork: the server's threads hold locks a fork would copy
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(location, child), daemon=True, name="kg-serve-query")
        self.process.start()
        child.close()

    def ready(self, wait: float = 120.0) -> _Worker:
        """This worker once it holds the store open (spawning one imports pyoxigraph afresh: a second or so)."""
        if not self.conn.poll(wait) or self.conn.recv() != "ready":
            raise OSError("a query worker did not start")
        return self

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=10)
        self.conn.close()


class QueryGate:
    """``/query`` answered by worker processes within ``timeout`` seconds, the ``routes`` by their functions; the
    rest passed to ``backend``.

    With ``answer_queries`` false no worker starts and ``/query`` goes to the backend too: the gate is then only
    there for the routes.  ``cors`` adds ``Access-Control-Allow-Origin: *`` to the answers to queries (Oxigraph
    adds it to its own, and answers the preflight requests, which are passed to it)."""

    def __init__(self, location: str, backend: tuple[str, int], *, host: str, port: int, timeout: float,
                 workers: int | None = None, cache_bytes: int = CACHE_BYTES, routes: Mapping[str, Route] | None = None,
                 answer_queries: bool = True, cors: bool = False) -> None:
        self.location, self.backend, self.timeout = location, backend, timeout
        self.routes = {path.rstrip("/"): route for path, route in (routes or {}).items()}
        self.answer_queries, self.cors = answer_queries, cors
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.workers = (workers or default_workers()) if answer_queries else 0
        server_class = _Server6 if ":" in host else _Server4
        self.httpd = server_class((host, port), self._handler())
        self.thread: threading.Thread | None = None
        self.stopped = False
        # the store is a snapshot that never changes while served: an answer stays right until the server stops
        self.lock = threading.Lock()
        self.cache: OrderedDict[tuple[str, str], tuple[int, str, bytes]] = OrderedDict()
        self.cache_bytes, self.cached = cache_bytes, 0
        self.running: dict[tuple[str, str], _Running] = {}

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def start(self) -> QueryGate:
        """Start the workers side by side, and listen once every one holds the store open."""
        starting = [_Worker(self.location) for _ in range(self.workers)]
        try:
            for worker in starting:
                self.idle.put(worker.ready())
        except (OSError, EOFError):
            for worker in starting:
                worker.kill()
            self.httpd.server_close()
            raise
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True, name="kg-serve-gate")
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped = True
        self.httpd.shutdown()
        self.httpd.server_close()
        self._kill_idle()

    def _kill_idle(self) -> None:
        while True:
            try:
                self.idle.get_nowait().kill()
            except queue.Empty:
                return

    def _replace(self) -> None:
        worker = _Worker(self.location)
        try:
            worker.ready()
        except (OSError, EOFError):
            worker.kill()  # the store went away (the server is stopping): one worker fewer
            return
        self.idle.put(worker)
        if self.stopped:
            self._kill_idle()

    def answer(self, text: str, accept: str) -> tuple[int, str, bytes]:
        """The answer to one query: from the cache, from the same query running for another client, or run."""
        key = (text, _choose(accept, {**RESULT_TYPES, **GRAPH_TYPES}, ""))
        with self.lock:
            if (hit := self.cache.get(key)) is not None:
                self.cache.move_to_end(key)
                return hit
            running = self.running.get(key)
            if running is None:
                running = self.running[key] = _Running()
                leader = True
            else:
                leader = False
        if not leader:
            running.done.wait()
            return running.answer
        try:
            running.answer = answer = self.run(text, accept)
        finally:
            running.done.set()
            with self.lock:
                del self.running[key]
                if running.answer[0] == 200 and len(running.answer[2]) <= self.cache_bytes // 8:
                    self.cache[key] = running.answer
                    self.cached += len(running.answer[2])
                    while self.cached > self.cache_bytes:
                        _, (_, _, old) = self.cache.popitem(last=False)
                        self.cached -= len(old)
        return answer

    def run(self, text: str, accept: str) -> tuple[int, str, bytes]:
        """Run one query on an idle worker; (status, media type, body)."""
        worker = self.idle.get()
        timed_out = False
        try:
            worker.conn.send((text, accept))
            if worker.conn.poll(self.timeout):
                status, media, body = worker.conn.recv()
                self.idle.put(worker)
                return status, media, body
            timed_out = True
        except (EOFError, OSError):
            pass
        worker.kill()
        # the replacement starts in a thread of its own: this answer need not wait for it
        threading.Thread(target=self._replace, daemon=True).start()
        if timed_out:
            message = (f"the query ran longer than {self.timeout:g} s and was stopped; narrow it (a LIMIT, a more "
                       "selective pattern), or start kg serve with a longer --timeout")
            return 503, "text/plain; charset=utf-8", message.encode()
        return 500, "text/plain; charset=utf-8", b"the query process ended without an answer; narrow the query"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        gate = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet: kg serve prints its own lines
                pass

            def reply(self, status: int, media: str, body: bytes) -> None:
                cors = [("Access-Control-Allow-Origin", "*")] if gate.cors else []
                self.respond(status, [("Content-Type", media), *cors], body)

            def respond(self, status: int, headers: Sequence[tuple[str, str]], body: bytes) -> None:
                self.send_response(status)
                for key, value in headers:
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def route(self, route: Route) -> None:
                try:
                    data = self.body(MAX_ROUTE_BYTES)
                except ValueError:
                    return self.reply(413, "text/plain", b"request too large")
                self.respond(*route(self.command, self.path, dict(self.headers.items()), data))

            def body(self, limit: int = MAX_QUERY_BYTES) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                if length > limit:
                    raise ValueError("request too large")
                return self.rfile.read(length) if length else b""

            def query_text(self, data: bytes) -> str | None:
                path, _, query = self.path.partition("?")
                if path != "/query":
                    return None
                if self.command == "GET":
                    found = urllib.parse.parse_qs(query).get("query")
                    return found[0] if found else ""
                media = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
                if media == "application/sparql-query":
                    return data.decode("utf-8", errors="replace")
                found = urllib.parse.parse_qs(data.decode("utf-8", errors="replace")).get("query")
                return found[0] if found else ""

            def handle_any(self) -> None:
                route = gate.routes.get(self.path.partition("?")[0].rstrip("/"))
                if route is not None:
                    return self.route(route)
                try:
                    data = self.body() if self.command != "GET" else b""
                except ValueError:
                    return self.reply(413, "text/plain", b"request too large")
                if not gate.answer_queries or self.command not in ("GET", "POST"):  # a preflight is Oxigraph's
                    return self.forward(data)
                text = self.query_text(data)
                if text is None or (self.command == "GET" and "query=" not in self.path):
                    return self.forward(data)
                if not text.strip():
                    return self.reply(400, "text/plain; charset=utf-8", b"no query given; pass query=...")
                self.reply(*gate.answer(text, self.headers.get("Accept") or ""))

            def forward(self, data: bytes) -> None:
                # no limit of its own where the gate sets none (Oxigraph's --timeout-s, if any, applies)
                limit = max(60.0, gate.timeout * 2) if gate.timeout else None
                connection = http.client.HTTPConnection(*gate.backend, timeout=limit)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                    connection.request(self.command, self.path, body=data or None, headers=headers)
                    response = connection.getresponse()
                    payload = response.read()
                    self.send_response(response.status)
                    for key, value in response.getheaders():
                        if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                            self.send_header(key, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError as e:
                    self.reply(502, "text/plain; charset=utf-8", f"the Oxigraph server did not answer: {e}".encode())
                finally:
                    connection.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = handle_any  # noqa: N815

        return Handler
