"""kg as a W3C reconciliation service: ``kg serve DIR`` answers the Reconciliation API at ``/reconcile`` over the
corpus's own entities, so that OpenRefine (or any client of the API) can reconcile a spreadsheet's names
against an interview collection.

`Reconciler` is the service itself (the manifest, and candidates for queries, scored by how close the query is
to an entity's label or aliases); `ReconcileRoute` is its HTTP side (GET or POST ``queries=``, the JSON body
of the later drafts, JSONP for old clients), read-only, which ``kg serve``'s front (`kg.gate`) answers on the
SPARQL endpoint's own port, and `ReconcileServer` on a port of its own.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import KgError
from ..model import ENTITY_TYPES, Entity
from ..text import fold
from .graph import BuiltEntities, read_entities

PATH = "/reconcile"
MAX_QUERIES = 1000
MAX_BODY = 4 * 1024 * 1024
SCHEMA_SPACE = "https://w3id.org/kg-interviews/ns#"
_CALLBACK = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$")


class QueryError(ValueError):
    """A request that is not a reconciliation query batch (HTTP 400)."""


class Reconciler:
    """The reconciliation service over one built graph's entities."""

    def __init__(self, built: BuiltEntities, name: str) -> None:
        self.built = built
        self.name = name
        self._names = [(e, tuple(dict.fromkeys(fold(n) for n in (e.label, *e.alt_labels)))) for e in built.entities]

    @classmethod
    def of_graph(cls, path: str | Path) -> Reconciler:
        p = Path(path)
        return cls(read_entities(p), f"kg: {(p if p.is_dir() else p.parent).resolve().name}")

    def manifest(self) -> dict[str, Any]:
        present = [t for t in ENTITY_TYPES if any(e.type == t for e in self.built.entities)]
        return {"versions": ["0.1", "0.2"], "name": self.name, "identifierSpace": self.built.base,
                "schemaSpace": SCHEMA_SPACE, "defaultTypes": [{"id": t, "name": t} for t in present],
                "view": {"url": self.built.base + "{{id}}"}}

    def candidates(self, query: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The entities closest to one query, best first (score 0-100; ``match`` for a lone exact name)."""
        from rapidfuzz import fuzz

        text = query.get("query")
        if not isinstance(text, str) or not text.strip():
            raise QueryError("each query needs a 'query' string")
        limit = query.get("limit", 5)
        if not isinstance(limit, int) or limit < 1:
            raise QueryError("'limit' must be a positive integer")
        wanted = query.get("type")
        types = {wanted} if isinstance(wanted, str) else set(wanted) if isinstance(wanted, list) else None
        key = fold(text)
        scored = []
        for e, names in self._names:
            if types is not None and e.type not in types:
                continue
            score = max(fuzz.token_sort_ratio(key, n) for n in names)
            if score >= 50:
                scored.append((round(float(score), 2), e))
        scored.sort(key=lambda se: (-se[0], se[1].id))
        exact = [e for s, e in scored if s == 100.0]
        return [{"id": e.id, "name": e.label, "score": s, "match": len(exact) == 1 and s == 100.0,
                 "type": [{"id": e.type, "name": e.type}], "description": _description(e)}
                for s, e in scored[:min(limit, 50)]]

    def answer(self, queries: object) -> dict[str, Any]:
        """The answer to a batch in OpenRefine's shape: ``{"q0": {"result": [...]}, ...}``."""
        if not isinstance(queries, dict) or not queries or len(queries) > MAX_QUERIES:
            raise QueryError(f"'queries' must be a JSON object of 1 to {MAX_QUERIES} named queries")
        out = {}
        for name, query in queries.items():
            if not isinstance(query, dict):
                raise QueryError(f"query {str(name)[:40]!r} is not a JSON object")
            out[str(name)] = {"result": self.candidates(query)}
        return out

    def answer_list(self, queries: Sequence[object]) -> dict[str, Any]:
        """The later drafts' shape: ``{"queries": [...]}`` in, ``{"results": [{"candidates": [...]}]}`` out."""
        batch = self.answer({str(i): q for i, q in enumerate(queries)}) if queries else self.answer({})
        return {"results": [{"candidates": batch[str(i)]["result"]} for i in range(len(queries))]}


def _description(e: Entity) -> str:
    aliases = ", ".join(e.alt_labels[:3])
    return f"{e.type}" + (f" (also: {aliases})" if aliases else "")


class Reply(NamedTuple):
    """An HTTP answer: status, headers and body (a tuple, as `kg.gate.Route` returns)."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class ReconcileRoute:
    """The HTTP side of the service, whatever server carries it: ``kg serve``'s front (`kg.gate`) on the SPARQL
    port, or `ReconcileServer` on a port of its own.  Called with a request's method, target (path and query
    string), headers and body, it gives the `Reply`.

    Given a function instead of a `Reconciler`, it makes the reconciler on the first request (reading a large
    graph takes a while, and ``kg serve`` should not wait for it before the SPARQL endpoint answers).  ``cors``
    lets pages of other origins read the answers (and answers their preflight requests); OpenRefine itself asks
    from its Java server and needs none of it."""

    def __init__(self, reconciler: Reconciler | Callable[[], Reconciler], *, cors: bool = False) -> None:
        self._reconciler = reconciler
        self.cors = cors
        self._lock = threading.Lock()

    @property
    def reconciler(self) -> Reconciler:
        with self._lock:
            if not isinstance(self._reconciler, Reconciler):
                self._reconciler = self._reconciler()
            return self._reconciler

    def reply(self, status: int, value: object, callback: str | None = None) -> Reply:
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        media = "application/json"
        if callback:
            body, media = callback.encode() + b"(" + body + b");", "application/javascript"
        headers = [("Content-Type", media + "; charset=utf-8"), ("X-Content-Type-Options", "nosniff")]
        if self.cors:
            headers.append(("Access-Control-Allow-Origin", "*"))
        return Reply(status, tuple(headers), body)

    def __call__(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        url = urllib.parse.urlsplit(target)
        if url.path.rstrip("/") != PATH:
            return self.reply(404, {"error": f"not found; the reconciliation service is at {PATH}"})
        params = urllib.parse.parse_qs(url.query)
        if method == "GET":
            return self.answer(params)
        if method == "OPTIONS" and self.cors:
            return Reply(204, (("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "GET, POST"),
                               ("Access-Control-Allow-Headers", "Content-Type"), ("Access-Control-Max-Age", "86400")),
                         b"")
        if method != "POST":
            refused = self.reply(405, {"error": f"{method} is not answered here; send GET or POST"})
            return Reply(405, (*refused.headers, ("Allow", "GET, POST")), refused.body)
        if len(body) > MAX_BODY:
            return self.reply(413, {"error": "request too large"})
        raw = body.decode("utf-8", "replace")
        media = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
        if media.startswith("application/json"):
            try:
                return self.answer(params, json.loads(raw))
            except ValueError:
                return self.reply(400, {"error": "the body is not JSON"})
        return self.answer({**params, **urllib.parse.parse_qs(raw)})

    def answer(self, params: Mapping[str, list[str]], body: object = None) -> Reply:
        """The manifest, or the answer to the queries the parameters (or a JSON body) hold."""
        callback = params["callback"][0] if params.get("callback") else None
        if callback is not None and not _CALLBACK.match(callback):
            return self.reply(400, {"error": "callback must be a JavaScript name"})
        try:
            reconciler = self.reconciler
        except KgError as e:  # the graph could not be read: said to the client, never a traceback
            return self.reply(500, {"error": str(e)})
        try:
            if isinstance(body, dict) and isinstance(body.get("queries"), list):
                return self.reply(200, reconciler.answer_list(body["queries"]))
            if "queries" in params:
                return self.reply(200, reconciler.answer(json.loads(params["queries"][0])), callback)
            if "query" in params:  # a single query, as the 0.1 API allows
                text = params["query"][0]
                query = json.loads(text) if text.startswith("{") else {"query": text}
                return self.reply(200, {"result": reconciler.candidates(query)}, callback)
        except ValueError as e:  # QueryError, or JSON that does not parse
            return self.reply(400, {"error": str(e)[:200]})
        return self.reply(200, reconciler.manifest(), callback)


class ReconcileServer:
    """`ReconcileRoute` on a port of its own, in a thread; a context manager.  ``kg serve`` answers
    ``/reconcile`` on its SPARQL port instead; this serves the service without Oxigraph (the tests, a
    program that wants the service alone)."""

    def __init__(self, reconciler: Reconciler | Callable[[], Reconciler], *, host: str = "127.0.0.1", port: int = 0,
                 cors: bool = True) -> None:
        self.route = ReconcileRoute(reconciler, cors=cors)
        self.host, self.port = host, port
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{PATH}"

    def start(self) -> ReconcileServer:
        route = self.route

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # the caller prints its own lines
                pass

            def handle_any(self) -> None:
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                except ValueError:
                    length = -1
                if length < 0 or length > MAX_BODY:
                    reply = route.reply(413 if length > 0 else 411, {"error": "a Content-Length up to 4 MiB is needed"})
                else:
                    reply = route(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
                self.send_response(reply.status)
                for key, value in reply.headers:
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = do_OPTIONS = handle_any  # noqa: N815

        class Server(ThreadingHTTPServer):
            address_family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            daemon_threads = True

        httpd = Server((self.host, self.port), Handler)
        self.port = httpd.server_address[1]
        self._httpd = httpd
        threading.Thread(target=httpd.serve_forever, daemon=True, name="kg-reconcile").start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> ReconcileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
