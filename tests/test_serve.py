"""kg serve and kg push against real Oxigraph server processes on 127.0.0.1 (free ports, bounded waits)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import ROOT, one_line_error

from kg.cli import main
from kg.errors import EndpointError
from kg.serve import Server, free_port, oxigraph_binary, push

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

try:
    oxigraph_binary()
except EndpointError:  # pragma: no cover - the [test] extra installs it
    pytest.skip("the oxigraph server is not installed (pip install 'kg[server]')", allow_module_level=True)


def sparql_get(endpoint: str, query: str, accept: str = "application/sparql-results+json") -> tuple[int, str, bytes]:
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read()


def http_post(url: str, body: bytes, content_type: str) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def count(endpoint: str, query: str = COUNT) -> int:
    _, _, body = sparql_get(endpoint, query)
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def lines(path: Path) -> int:
    return sum(1 for line in path.read_text().splitlines() if line.strip())


@pytest.fixture(scope="module")
def server(built_sample) -> Iterator[Server]:
    with Server(built_sample[1], port=free_port()) as running:
        yield running


@pytest.fixture()
def writable_store() -> Iterator[str]:
    """A bare in-memory, writable Oxigraph server; yields its Graph Store URL."""
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                count(f"http://127.0.0.1:{port}/query")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                assert proc.poll() is None and time.monotonic() < deadline, "oxigraph did not start"
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/store"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# ----------------------------------------------------------------------------- serve


def test_select_over_http_in_sparql_json(server: Server, built_sample) -> None:
    status, content_type, body = sparql_get(server.query_url, COUNT)
    assert status == 200 and content_type.startswith("application/sparql-results+json")
    data = json.loads(body)
    assert data["head"]["vars"] == ["n"]
    assert int(data["results"]["bindings"][0]["n"]["value"]) == lines(built_sample[1] / "graph.nt")


def test_select_by_post_and_other_result_formats(server: Server) -> None:
    query = "SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name"
    query = "PREFIX schema: <https://schema.org/>\n" + query
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(server.query_url, data=body, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=10) as response:
        csv_text = response.read().decode()
    assert csv_text.splitlines()[0] == "name" and "Inès Marchand" in csv_text
    _, content_type, xml = sparql_get(server.query_url, query, accept="application/sparql-results+xml")
    assert content_type.startswith("application/sparql-results+xml") and b"<sparql" in xml


def test_named_graph_per_interview_and_union_default(server: Server) -> None:
    _, _, body = sparql_get(server.query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    graphs = [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert graphs == ["https://w3id.org/kg-interviews/data/interview/entretien-atelier"]


def test_update_is_refused(server: Server) -> None:
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    before = count(server.query_url)
    status = http_post(server.url + "/update", urllib.parse.urlencode({"update": update}).encode(),
                       "application/x-www-form-urlencoded")
    assert status == 403
    assert http_post(server.store_url + "?default", b"<http://e.org/a> <http://e.org/b> <http://e.org/c> .\n",
                     "application/n-triples") == 403
    assert count(server.query_url) == before


def test_bound_to_loopback_only(server: Server) -> None:
    assert server.host == "127.0.0.1" and "127.0.0.1:" in " ".join(server.command())
    with socket.create_connection(("127.0.0.1", server.port), timeout=5):
        pass
    try:  # this machine's address on its default route, if it has one
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
    except OSError:
        address = "127.0.0.1"
    if address.startswith("127."):
        pytest.skip("no non-loopback address to try")
    with pytest.raises(OSError):
        socket.create_connection((address, server.port), timeout=2).close()


def test_stop_frees_the_port_and_removes_the_store(built_sample) -> None:
    running = Server(built_sample[1], port=free_port()).start()
    store = running._store
    assert store and Path(store).is_dir()
    running.stop()
    running.stop()
    assert not Path(store).exists()
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        sparql_get(running.query_url, COUNT)


def test_port_in_use_is_one_line_exit_2(built_sample, capsys) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        err = one_line_error(capsys, ["serve", str(built_sample[1]), "--port", str(port)])
    assert err == (f"kg: error: port {port} on 127.0.0.1 is already in use; "
                   "stop the other server or pass another --port\n")


def test_cli_serve_runs_until_terminated(built_sample) -> None:
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(built_sample[1]), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    try:
        first = proc.stdout.readline()  # printed once the server answers
        assert first.startswith(f"SPARQL endpoint  http://127.0.0.1:{port}/query  (read-only"), first
        assert count(f"http://127.0.0.1:{port}/query") > 0
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        assert "server stopped" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    with socket.socket() as again:  # the oxigraph child is gone too
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))


def test_missing_graph_is_one_line_exit_2(tmp_path: Path, capsys) -> None:
    assert "no graph file" in one_line_error(capsys, ["serve", str(tmp_path)])


# ----------------------------------------------------------------------------- push


def test_push_loads_the_default_graph(built_sample, writable_store: str, capsys) -> None:
    main(["push", str(built_sample[1]), "--endpoint", writable_store])
    expected = lines(built_sample[1] / "graph.nt")
    assert capsys.readouterr().out.startswith(f"pushed {expected} triples")
    assert count(writable_store.replace("/store", "/query")) == expected


def test_push_per_interview_and_replace(built_sample, writable_store: str) -> None:
    query_url = writable_store.replace("/store", "/query")
    result = push(built_sample[1], writable_store, per_interview=True)
    interview = "https://w3id.org/kg-interviews/data/interview/entretien-atelier"
    assert result.graphs == ("default", interview)
    in_graph = count(query_url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{interview}> {{ ?s ?p ?o }} }}")
    assert 0 < in_graph < result.triples
    push(built_sample[1], writable_store, target="https://example.org/g", replace=True)
    push(built_sample[1], writable_store, target="https://example.org/g", replace=True)
    assert count(query_url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/g> { ?s ?p ?o } }") \
        == lines(built_sample[1] / "graph.nt")


def test_push_to_a_read_only_server_is_refused(built_sample, server: Server, capsys) -> None:
    assert "refused the graph (HTTP 403" in one_line_error(capsys, ["push", str(built_sample[1]), "--endpoint",
                                                                     server.store_url])


def test_push_to_nothing_is_one_line_exit_2(built_sample, capsys) -> None:
    port = free_port()
    err = one_line_error(capsys, ["push", str(built_sample[1]), "--endpoint",
                                  f"http://user:secret@127.0.0.1:{port}/store"])
    assert "cannot reach" in err and "secret" not in err


def test_a_build_that_predates_the_summaries_is_served_with_one_warning(built_sample, tmp_path: Path) -> None:
    """kg serve on a build older than the summaries some shipped queries read says so once, at start, naming
    them (they would answer no rows), and serves the graph as it is."""
    import shutil

    out = tmp_path / "old"
    shutil.copytree(built_sample[1], out, ignore=shutil.ignore_patterns(".kg-store"))
    index = json.loads((out / ".kg-index.json").read_text(encoding="utf-8"))
    del index["graph"]  # as a build from before the graph format was recorded
    (out / ".kg-index.json").write_text(json.dumps(index), encoding="utf-8")
    said: list[str] = []
    with Server(out, port=free_port(), warn=said.append) as running:
        assert count(running.query_url) > 100
    stale = [message for message in said if "predates" in message]
    assert len(stale) == 1 and "\n" not in stale[0], said
    assert "shared-entities" in stale[0] and "rebuilt with kg build" in stale[0]
    said.clear()
    with Server(built_sample[1], port=free_port(), warn=said.append):
        pass
    assert not [message for message in said if "predates" in message]
