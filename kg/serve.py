"""Serve a built graph as a SPARQL 1.1 endpoint, and push it to one.

`Server` runs Oxigraph's own HTTP server (the ``oxigraph`` binary from the
``oxigraph`` PyPI package, ``pip install 'kg[server]'``) over a temporary
store loaded with the graph.  It speaks the standard SPARQL 1.1 Protocol at
``/query`` (JSON, XML, CSV and TSV results by content negotiation), serves
YASGUI at ``/``, binds to 127.0.0.1 unless told otherwise, and runs
read-only unless ``writable`` is set: a SPARQL UPDATE then gets HTTP 403.
A graph with one named graph per interview (``graph.nq``) is served with
the union of its graphs as the default graph, so plain queries see all of
it and ``GRAPH`` queries see the interviews.

`push` loads a graph into any SPARQL 1.1 Graph Store HTTP Protocol endpoint
(Oxigraph ``…/store``, Fuseki ``…/DATASET/data``, GraphDB ``…/repositories/R/rdf-graphs/service``).
"""

from __future__ import annotations

import base64
import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import EndpointError, GraphError
from .rdf.read import find_graph, first_line, load_graph

if TYPE_CHECKING:
    from .gate import QueryGate, Route

DEFAULT_TIMEOUT_S = 30
"""Seconds a query may run on ``kg serve`` before the server stops it (``--timeout``)."""
SERVE_PREFERENCE = ("graph.nq", "graph.trig", "graph.nt", "graph.ttl", "graph.jsonld")
PUSH_PREFERENCE = ("graph.nt", "graph.ttl", "graph.nq", "graph.trig", "graph.jsonld")
MEDIA_TYPES = {".nt": "application/n-triples", ".ttl": "text/turtle", ".jsonld": "application/ld+json",
               ".rdf": "application/rdf+xml"}
INSTALL_HINT = "install it with: pip install 'kg[server]' (or pip install oxigraph)"


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server binary: beside this Python first (a virtualenv), then on PATH."""
    beside = Path(sys.executable).parent / ("oxigraph.exe" if os.name == "nt" else "oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise EndpointError(f"the Oxigraph server is not installed; {INSTALL_HINT}")


def check_port_free(host: str, port: int) -> None:
    """Raise EndpointError when ``host:port`` cannot be bound (in use, or not an address of this machine)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        # like the server itself: a port left in TIME_WAIT by a stopped server counts as free
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise EndpointError(f"port {port} on {host} is already in use; stop the other server "
                                    f"or pass another --port") from None
            raise EndpointError(f"cannot listen on {host}:{port} ({e.strerror}); check --host and --port") from None


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: let the kernel stop the server if kg dies without cleaning up."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class Server:
    """An Oxigraph SPARQL server over one graph, as a context manager.

    >>> with Server("outputs/sample") as server:          # doctest: +SKIP
    ...     print(server.query_url)
    http://127.0.0.1:7878/query
    """

    def __init__(self, graph: str | Path, *, host: str = "127.0.0.1", port: int = 7878, writable: bool = False,
                 cors: bool = False, timeout_s: int | None = DEFAULT_TIMEOUT_S, ready_timeout: float = 30.0,
                 warn: Callable[[str], None] | None = None, routes: Mapping[str, Route] | None = None) -> None:
        self.file = find_graph(graph, prefer=SERVE_PREFERENCE)
        self.routes = dict(routes or {})
        """Paths answered by kg itself on the endpoint's port (``/reconcile``), through `kg.gate`."""
        self.host, self.port, self.writable, self.cors = host, port, writable, cors
        self.timeout_s, self.ready_timeout = timeout_s, ready_timeout
        self.warn = warn or (lambda message: None)
        self.process: subprocess.Popen[bytes] | None = None
        self._store: str | None = None
        self._log: str | None = None
        self.snapshot = False
        """Whether the server reads a snapshot of the build's store (`kg.store`) rather than a store loaded here."""
        self._gate: QueryGate | None = None
        self._backend_port = port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    @property
    def store_url(self) -> str:
        return self.url + "/store"

    @property
    def gated(self) -> bool:
        """Whether queries are answered by `kg.gate` (read-only with a time limit)."""
        return not self.writable and bool(self.timeout_s)

    @property
    def fronted(self) -> bool:
        """Whether `kg.gate` listens on the public address (for the queries, or for the routes): Oxigraph then
        listens on a loopback port of its own, behind it."""
        return self.gated or bool(self.routes)

    def command(self) -> list[str]:
        """The oxigraph command line that serves the loaded store."""
        host, port = ("127.0.0.1", self._backend_port) if self.fronted else (self.host, self.port)
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        cmd = [oxigraph_binary(), "serve" if self.writable else "serve-read-only",
               "--location", str(self._store), "--bind", bind, "--union-default-graph"]
        if self.cors:
            cmd.append("--cors")
        if self.timeout_s:
            cmd += ["--timeout-s", str(self.timeout_s)]
        return cmd

    def start(self) -> Server:
        binary = oxigraph_binary()
        check_port_free(self.host, self.port)
        from .sparql import stale_examples

        stale = stale_examples(self.file)  # answered with no rows by an old build: said once, at start
        if stale:
            self.warn(stale)
        self._store = build_store_snapshot(self.file, self.warn)
        self.snapshot = self._store is not None
        if self._store is None:
            self._load(binary)
        if self.fronted:
            from .gate import QueryGate

            self._backend_port = free_port("127.0.0.1")
            try:
                self._gate = QueryGate(str(self._store), ("127.0.0.1", self._backend_port), host=self.host,
                                       port=self.port, timeout=float(self.timeout_s or 0) if self.gated else 0.0,
                                       routes=self.routes, answer_queries=self.gated, cors=self.cors).start()
            except OSError as e:
                self.stop()
                raise EndpointError(f"cannot listen on {self.host}:{self.port} ({e.strerror}); check --host and "
                                    "--port") from None
        fd, self._log = tempfile.mkstemp(prefix="kg-serve-", suffix=".log")
        with os.fdopen(fd, "wb") as log:
            self.process = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _load(self, binary: str) -> None:
        """Load the graph file into a temporary store: for a file that is not a build folder's."""
        self._store = tempfile.mkdtemp(prefix="kg-serve-")
        try:
            loaded = subprocess.run([binary, "load", "--location", self._store, "--file", str(self.file)],
                                    capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            self.stop()
            raise GraphError(f"{self.file}: loading into Oxigraph took over 10 minutes; "
                             "serve a smaller graph") from None
        if loaded.returncode != 0:
            self.stop()
            raise GraphError(f"{self.file}: Oxigraph cannot load it ({_oxigraph_message(loaded.stderr)}); "
                             "rebuild it with kg build")
        # compacted once after the bulk load, queries read one set of files instead of all the load wrote
        # (5 times faster on a large graph; see kg.sparql._persistent_store)
        try:
            subprocess.run([binary, "optimize", "--location", self._store], capture_output=True, timeout=600)
        except subprocess.TimeoutExpired:
            pass  # an uncompacted store still answers, only slower

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_timeout
        ask = "?" + urllib.parse.urlencode({"query": "ASK {}"})
        # Oxigraph itself (behind the gate, if any), then the public address
        probes = [f"http://127.0.0.1:{self._backend_port}/query{ask}"] if self.fronted else []
        probes.append(self.query_url + ask)
        while probes:
            probe = probes[0]
            if self.process is not None and self.process.poll() is not None:
                message = _oxigraph_message(Path(self._log).read_text(errors="replace") if self._log else "")
                if "address already in use" in message.lower():
                    raise EndpointError(f"port {self.port} on {self.host} is already in use; stop the other server "
                                        "or pass another --port")
                raise EndpointError(f"the Oxigraph server stopped at start ({message}); check --host and --port")
            try:
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        probes.pop(0)
                        continue
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                raise EndpointError(f"the Oxigraph server did not answer on {self.url} within "
                                    f"{self.ready_timeout:.0f} s; check the port is reachable")
            time.sleep(0.05)

    def wait(self) -> int:
        """Block until the server process ends; its exit status."""
        if self.process is None:
            return 0
        return self.process.wait()

    def stop(self) -> None:
        """Stop the server and delete its temporary store; safe to call twice."""
        if self._gate is not None:
            self._gate.stop()
            self._gate = None
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        for path in (self._store,):
            if path:
                shutil.rmtree(path, ignore_errors=True)
        if self._log and os.path.exists(self._log):
            os.unlink(self._log)
        self._store = self._log = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def build_store_snapshot(file: Path, warn: Callable[[str], None]) -> str | None:
    """A snapshot of the build folder's store (`kg.store`) for a server to read, or None where there is none to take.

    ``file`` is the graph file `find_graph` chose; one of the names a build
    writes (``graph.ttl``...) says its folder is a build folder.  The store is brought up to date
    first (at once after a build), then checkpointed beside itself: RocksDB
    hard-links its files, so this takes a moment whatever the corpus' size,
    and a later build may update the store while the server reads its
    snapshot (reading a store while another process writes it is undefined
    in Oxigraph).  The snapshot is deleted when the server stops.
    """
    from .store import SOURCES, STORE, ready_store

    folder = file.parent
    if file.name not in {f"graph.{fmt}" for fmt in SOURCES}:
        return None
    db = ready_store(folder, warn=warn)
    if db is None:
        return None
    import pyoxigraph as ox

    target = ""
    try:
        target = tempfile.mkdtemp(prefix="serve-", dir=folder / STORE)
        os.rmdir(target)  # the checkpoint makes it
        ox.Store.read_only(str(db)).backup(target)
    except OSError as e:
        if target:
            shutil.rmtree(target, ignore_errors=True)
        warn(f"cannot snapshot the query store {db} ({first_line(e)}); loading {file.name} instead")
        return None
    return target


def _oxigraph_message(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("Error:"):
            return line[len("Error:"):].strip()
    return lines[0] if lines else "no message"


# ----------------------------------------------------------------------------- push

@dataclass(frozen=True)
class PushResult:
    endpoint: str
    graphs: tuple[str, ...]
    """The target of each request: "default" or a graph IRI."""
    triples: int
    bytes: int


def push(graph: str | Path, endpoint: str, *, target: str | None = None, per_interview: bool = False,
         replace: bool = False, timeout: float = 120.0,
         progress: Callable[[str, int, int], None] | None = None) -> PushResult:
    """Load the graph at ``graph`` into a SPARQL 1.1 Graph Store endpoint.

    Triples go to the default graph, or to the named graph ``target``; with
    ``per_interview`` each interview's triples go to a graph named by the
    interview's IRI and the rest (entities, provenance) to the default graph.
    ``replace`` uses PUT (replacing the graph's content) instead of POST (adding to it).
    """
    endpoint_url, auth = _split_auth(endpoint)
    file = find_graph(graph, prefer=PUSH_PREFERENCE)
    parts: list[tuple[str | None, bytes, str, int]] = []
    if per_interview:
        from .rdf.write import partition, serialise

        for name, part in partition(load_graph(file)):
            if len(part):
                parts.append((str(name) if name else None, serialise(part, "nt"), MEDIA_TYPES[".nt"], len(part)))
    elif file.suffix in MEDIA_TYPES and file.suffix != ".jsonld":
        data = file.read_bytes()
        count = data.count(b"\n") if file.suffix == ".nt" else len(load_graph(file))
        parts.append((target, data, MEDIA_TYPES[file.suffix], count))
    else:
        from .rdf.write import serialise

        g = load_graph(file)
        parts.append((target, serialise(g, "nt"), MEDIA_TYPES[".nt"], len(g)))
    done = []
    for n, (graph_name, data, media_type, _) in enumerate(parts, start=1):
        query = urllib.parse.urlencode({"graph": graph_name}) if graph_name else "default"
        url = endpoint_url + ("&" if "?" in endpoint_url else "?") + query
        _send(url, data, media_type, "PUT" if replace else "POST", auth, timeout, endpoint)
        done.append(graph_name or "default")
        if progress:
            progress("push", n, len(parts))
    return PushResult(endpoint_url, tuple(done), sum(p[3] for p in parts), sum(len(p[1]) for p in parts))


def _split_auth(endpoint: str) -> tuple[str, str | None]:
    """The endpoint without user:password, and the Basic authorization header they make."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{endpoint!r} is not an http(s) URL; pass the Graph Store endpoint, "
                            "e.g. --endpoint http://127.0.0.1:7878/store")
    if parts.username is None:
        return endpoint, None
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    user = urllib.parse.unquote(parts.username)
    password = urllib.parse.unquote(parts.password or "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), f"Basic {token}"


def _send(url: str, data: bytes, media_type: str, method: str, auth: str | None, timeout: float,
          shown: str) -> None:
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": media_type})
    if auth:
        request.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as e:
        body = e.read().decode("utf-8", errors="replace").strip().splitlines()
        detail = f": {body[0][:200]}" if body else ""
        raise EndpointError(f"{_hide_password(shown)} refused the graph (HTTP {e.code}{detail}); check that it is "
                            "a Graph Store endpoint (Oxigraph: …/store, Fuseki: …/DATASET/data) that accepts "
                            "writes") from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", None) or e
        raise EndpointError(f"cannot reach {_hide_password(shown)} ({first_line(Exception(str(reason)))}); "
                            "start the endpoint or check --endpoint") from None


def _hide_password(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


REVIEW_PATH = "/review"
SAVE_PATH = "/review/curation"
MAX_CURATION_BYTES = 8 * 1024 * 1024


class ReviewServer:
    """``kg serve DIR --review``: the build's ``graph.html`` on loopback, whose review mode may save its decisions
    straight to the curation file with a POST.

    Only 127.0.0.1, whatever ``--host`` says.  The page it serves carries a random token (in a ``<meta>``, so the
    page's script hashes do not change) and a Content-Security-Policy that admits requests to its own origin only;
    a POST must carry the token in ``X-KG-Token`` (a header no other site can set without a CORS preflight, which
    this server never grants), come from this origin when the browser names one, and hold a curation file that
    `kg.curation.parse_curation` accepts.  The file is replaced atomically.  Nothing else is written; SPARQL stays
    with Oxigraph, read-only unless ``--writable``.
    """

    def __init__(self, page: str | Path, curation: str | Path, *, port: int = 0) -> None:
        import secrets

        self.page = Path(page)
        self.curation = Path(curation)
        self.token = secrets.token_urlsafe(32)
        self.port = port
        self._httpd: object | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{REVIEW_PATH}"

    def page_bytes(self) -> bytes:
        """graph.html with the token and the save address, and a policy that lets it POST to this origin only."""
        import html
        import re

        try:
            text = self.page.read_text(encoding="utf-8")
        except OSError as e:
            raise EndpointError(f"{self.page}: cannot read the page ({e.strerror}); run kg build or kg html first") \
                from None
        meta = (f'<meta name="kg-review-token" content="{html.escape(self.token)}">'
                f'<meta name="kg-review-save" content="{SAVE_PATH}">'
                f'<meta name="kg-review-file" content="{html.escape(self.curation.name)}">')
        text = re.sub(r'(<meta http-equiv="Content-Security-Policy" content=")default-src &#x27;none&#x27;;',
                      r"\1default-src &#x27;none&#x27;; connect-src &#x27;self&#x27;;", text, count=1)
        return text.replace("</head>", meta + "\n</head>", 1).encode("utf-8")

    def save(self, body: bytes) -> Path:
        """Check a curation file's bytes and write them over the curation file, atomically."""
        from .curation import parse_curation
        from .files import write_atomically

        text = body.decode("utf-8")
        parse_curation(text, self.curation)  # a malformed file raises CurationError, one line
        return write_atomically(self.curation.parent, {self.curation.name: text.encode("utf-8")})[self.curation.name]

    def start(self) -> ReviewServer:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # quiet: kg serve prints its own lines
                pass

            def reply(self, status: int, body: bytes, media_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("X-Content-Type-Options", "nosniff")
                self.end_headers()
                self.wfile.write(body)

            def error(self, status: int, message: str) -> None:
                import json

                self.reply(status, json.dumps({"error": message}).encode("utf-8"))

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                if self.path.split("?", 1)[0] not in (REVIEW_PATH, "/"):
                    return self.error(404, "not found; the review page is at " + REVIEW_PATH)
                try:
                    self.reply(200, server.page_bytes(), "text/html; charset=utf-8")
                except EndpointError as e:
                    self.error(500, str(e))

            def do_POST(self) -> None:  # noqa: N802
                import hmac
                import json

                from .errors import CurationError

                if self.path != SAVE_PATH:
                    return self.error(404, "not found")
                if not hmac.compare_digest(self.headers.get("X-KG-Token", ""), server.token):
                    return self.error(403, "missing or wrong review token; reload the page from kg serve")
                origin = self.headers.get("Origin")
                if origin is not None and origin != f"http://127.0.0.1:{server.port}":
                    return self.error(403, "cross-origin request refused")
                try:
                    length = int(self.headers.get("Content-Length", ""))
                except ValueError:
                    return self.error(411, "a Content-Length is needed")
                if length > MAX_CURATION_BYTES:
                    return self.error(413, "curation file too large")
                body = self.rfile.read(length)
                try:
                    path = server.save(body)
                except UnicodeDecodeError:
                    return self.error(400, "the curation file must be UTF-8 text")
                except CurationError as e:
                    return self.error(400, str(e))
                except Exception as e:  # OutputError and the like: said, never a traceback
                    return self.error(500, str(e))
                self.reply(200, json.dumps({"saved": str(path)}).encode("utf-8"))

            def do_OPTIONS(self) -> None:  # noqa: N802  no CORS preflight is ever granted
                self.error(405, "no cross-origin requests")

        httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = httpd.server_address[1]
        self._httpd = httpd
        threading.Thread(target=httpd.serve_forever, daemon=True, name="kg-review").start()
        return self

    def stop(self) -> None:
        httpd = self._httpd
        if httpd is not None:
            httpd.shutdown()  # type: ignore[attr-defined]
            httpd.server_close()  # type: ignore[attr-defined]
            self._httpd = None

    def __enter__(self) -> ReviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
