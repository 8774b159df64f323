"""A small W3C reconciliation service on loopback, for the tests of ``kg link`` and benchmarks/link_speed.py.

It speaks the real protocol (a manifest at GET, ``queries=`` batches by GET or form POST, OpenRefine's answer
shape) over a handful of recorded candidates, and can be told to misbehave: answer slowly, fail the next
requests with given HTTP statuses (with a Retry-After), send JSON that does not parse, or serve something that
is not a manifest.  It counts what it is asked, and how many requests were in flight at once.
"""

from __future__ import annotations

import json
import threading
import time
import unicodedata
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WIKIDATA_MANIFEST = {
    "versions": ["0.2"], "name": "Recorded Wikidata (fr)",
    "identifierSpace": "http://www.wikidata.org/entity/", "schemaSpace": "http://www.wikidata.org/prop/direct/",
    "defaultTypes": [{"id": "Q35120", "name": "entity"}],
    "view": {"url": "https://www.wikidata.org/wiki/{{id}}"},
}


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold().strip()


class FixtureService:
    """The service, as a context manager: ``url`` is its endpoint."""

    def __init__(self, candidates: dict[str, list[dict[str, Any]]] | Callable[[dict[str, Any]], list[dict[str, Any]]],
                 manifest: object = WIKIDATA_MANIFEST) -> None:
        self.candidates = candidates
        self.manifest: object = manifest
        self.delay = 0.0
        self.fail_next: list[int] = []
        self.retry_after: str | None = None
        self.broken_json = False
        self.requests: list[tuple[str, int]] = []
        """(method, number of queries) of every request."""
        self.paths: list[str] = []
        """The path of every request."""
        self.queries: list[dict[str, Any]] = []
        self.languages: list[str | None] = []
        """The Accept-Language of every request."""
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self.url = ""

    def answer(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        if callable(self.candidates):
            return self.candidates(query)
        found = self.candidates.get(fold(str(query.get("query", ""))), [])
        return found[: int(query.get("limit", 5))]

    def __enter__(self) -> FixtureService:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            counted = False

            def release(self) -> None:
                """The request is no longer in flight: counted off before its answer leaves, since the client
                may send its next request as soon as it has read this one."""
                if self.counted:
                    with service._lock:
                        service.in_flight -= 1
                    self.counted = False

            def send(self, status: int, body: bytes, media: str = "application/json") -> None:
                self.release()
                self.send_response(status)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(body)))
                if status == 429 and service.retry_after is not None:
                    self.send_header("Retry-After", service.retry_after)
                self.end_headers()
                self.wfile.write(body)

            def handle_queries(self, params: dict[str, list[str]], method: str) -> None:
                with service._lock:
                    service.in_flight += 1
                    service.most_in_flight = max(service.most_in_flight, service.in_flight)
                    status = service.fail_next.pop(0) if service.fail_next else 200
                self.counted = True
                try:
                    if service.delay:
                        time.sleep(service.delay)
                    if "queries" not in params:
                        service.requests.append((method, 0))
                        if isinstance(service.manifest, (bytes, str)):
                            text = service.manifest.encode() if isinstance(service.manifest, str) else service.manifest
                            return self.send(status, text, "text/html")
                        return self.send(status, json.dumps(service.manifest).encode())
                    batch = json.loads(params["queries"][0])
                    service.requests.append((method, len(batch)))
                    if status != 200:
                        return self.send(status, b'{"error": "try later"}')
                    if service.broken_json:
                        return self.send(200, b'{"q0": {"result": [')
                    service.queries.extend(batch.values())
                    answer = {name: {"result": service.answer(q)} for name, q in batch.items()}
                    self.send(200, json.dumps(answer).encode())
                finally:
                    self.release()

            def do_GET(self) -> None:  # noqa: N802
                service.paths.append(urllib.parse.urlsplit(self.path).path)
                service.languages.append(self.headers.get("Accept-Language"))
                self.handle_queries(urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query), "GET")

            def do_POST(self) -> None:  # noqa: N802
                service.paths.append(urllib.parse.urlsplit(self.path).path)
                service.languages.append(self.headers.get("Accept-Language"))
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                self.handle_queries(urllib.parse.parse_qs(body), "POST")

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/api"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
