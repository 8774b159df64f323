"""The query store (``OUT/.kg-store``, issue #25): kept up to date from the changed interviews only, never read
half-updated, read by kg query under a time limit; Turtle alone by default.  Hand-made graphs, no model."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest
from consent_corpus import fabricate
from helpers import ROOT, benchmark, one_line_error

from kg.errors import QueryError
from kg.pipeline import RDF_FORMATS, BuildConfig, parse_formats, write_outputs
from kg.sparql import query
from kg.store import MANIFEST, STORE, is_current, ready_store, sync_store

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
"""A query over every quadruple of triples: minutes on any graph here."""


def corpus(n: int, changed: dict[int, str] | None = None,  # type: ignore[no-untyped-def]
           others: dict[int, int] | None = None):
    """``n`` hand-made interviews naming a few people; ``changed`` replaces interview i's closing words;
    an odd-numbered interview i also names "Personne {i}", or "Personne {others[i]}".

    Each interview's checksum is its text's, as a build's is its source file's: ``fabricate`` gives them all
    one, so changed closing words after the last mention left the interview's chunk key as it was."""
    changed, others = changed or {}, others or {}
    interviews = []
    for i in range(n):
        turns = [("Nicolas Barradeau", [[("Avec ", None), ("Alexia Mathieu", "Alexia Mathieu"), (" et ", None),
                                         ("Ines Marchand", "Ines Marchand"), (".", None)]]),
                 ("Ines Marchand", [[("Je travaille avec ", None), ("Nicolas Barradeau", "Nicolas Barradeau"),
                                     (changed.get(i, " depuis longtemps."), None)]])]
        if i % 2:
            other = f"Personne {others.get(i, i)}"
            turns.append(("Nicolas Barradeau", [[("Et ", None), (other, other), (".", None)]]))
        interviews.append((f"itw-{i}", turns))
    graph = fabricate(interviews, speakers=[("Nicolas Barradeau", "Nicolas"), ("Ines Marchand", "Ines")])
    summed = tuple(dataclasses.replace(iv, checksum=hashlib.sha256(iv.text.encode()).hexdigest())
                   for iv in graph.interviews)
    return type(graph)(summed, graph.entities, graph.provenance)


def quads(store: ox.Store) -> set[tuple[str, str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in store}


def file_quads(out: Path) -> set[tuple[str, str, str, str]]:
    """The folder's graph loaded from nothing, with the layout the store keeps (named graphs from graph.nq)."""
    store = ox.Store()
    store.bulk_load(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    return quads(store)


def written(out: Path, graph, formats: tuple[str, ...] = ("ttl",)) -> Path:  # type: ignore[no-untyped-def]
    write_outputs(graph, out, BuildConfig(html=False, formats=formats))
    return out



def _kill_inside(out: Path, step: str, guard: str = "pass") -> None:
    """Bring ``out``'s store up to date in a process killed by a real SIGKILL when it reaches ``step`` of
    kg.store (``guard``, one line on ``args``, may exit first: the kill is then not where the test meant)."""
    script = textwrap.dedent(f"""
        import os, signal, sys, kg.store
        def killed(*args, **kwargs):
            {guard}
            os.kill(os.getpid(), signal.SIGKILL)
        kg.store.{step} = killed
        kg.store.sync_store({str(out)!r})
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL

def test_turtle_alone_is_the_default_and_all_names_every_format(tmp_path: Path) -> None:
    assert BuildConfig().formats == ("ttl",)
    assert parse_formats("all") == parse_formats("ttl,jsonld,nt,trig,nq") == RDF_FORMATS
    out = written(tmp_path / "out", corpus(2), BuildConfig().formats)
    assert sorted(p.name for p in out.glob("graph.*")) == ["graph.ttl"]


@pytest.mark.parametrize("fmt", ["ttl", "nq", "nt", "trig"])
def test_the_store_holds_the_graph_with_a_named_graph_per_interview(tmp_path: Path, fmt: str) -> None:
    graph = corpus(3)
    out = written(tmp_path / "out", graph, (fmt, "nq") if fmt != "nq" else ("nq",))
    if fmt != "nq":
        (out / "graph.nq").unlink()  # the store is loaded from the other format
    reference = tmp_path / "ref"
    written(reference, graph, ("nq",))
    report = sync_store(out)
    assert report.full and report.loaded == 3
    assert quads(ox.Store.read_only(str(report.path))) == file_quads(reference)
    assert is_current(out) and sync_store(out).up_to_date


def test_a_rebuild_loads_the_changed_interview_only_and_gives_a_fresh_loads_store(tmp_path: Path) -> None:
    out = written(tmp_path / "out", corpus(4), ("ttl", "nq"))
    sync_store(out)
    # one interview changed, one gone: the others' named graphs stay as they were
    graph = corpus(4, changed={1: " depuis 2019."})
    graph = type(graph)(graph.interviews[:3], graph.entities, graph.provenance)
    written(out, graph, ("ttl", "nq"))
    assert not is_current(out)
    report = sync_store(out)
    assert (report.full, report.loaded, report.removed, report.kept) == (False, 1, 2, 2)
    assert quads(ox.Store.read_only(str(report.path))) == file_quads(out)


def test_a_store_killed_mid_update_is_never_read_and_is_loaded_again_with_a_warning(tmp_path: Path) -> None:
    out = written(tmp_path / "out", corpus(4), ("ttl", "nq"))
    sync_store(out)
    written(out, corpus(4, changed={0: " depuis 2019.", 2: " encore."}), ("ttl", "nq"))
    # a real SIGKILL in the middle of the update: after the old graphs went, before the new ones were loaded
    # (and only if the two changed interviews are the ones to load: exit 3 otherwise)
    _kill_inside(out, "_load", "if len(args[2]) != 2: sys.exit(3)")
    assert (out / STORE / "db").is_dir() and not (out / STORE / MANIFEST).exists()
    assert not is_current(out)
    said: list[str] = []
    db = ready_store(out, warn=said.append)
    assert db is not None and len(said) == 1 and "half-updated" in said[0], said
    assert quads(ox.Store.read_only(str(db))) == file_quads(out)


def test_kg_query_reads_the_store_and_stops_a_slow_query(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = written(tmp_path / "out", corpus(3))
    count = "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a kgi:Interview }"
    result = query(out, count, engine="oxigraph", timeout=10)
    assert result.engine == "oxigraph" and str(result.rows[0][0]) == "3"
    assert is_current(out)
    with pytest.raises(QueryError, match="ran longer than 0.5 s and was stopped"):
        query(out, SLOW, timeout=0.5)
    assert str(query(out, count, timeout=10).rows[0][0]) == "3"
    err = one_line_error(capsys, ["query", str(out), SLOW, "--timeout", "0.5"])
    assert "--timeout" in err


def test_a_public_edition_keeps_no_store_of_an_earlier_edition(tmp_path: Path) -> None:
    import datetime as dt

    from kg.consent.edit import public_edition
    from kg.consent.edition import publish
    from kg.consent.profile import parse_consent

    out = tmp_path / "public"
    first = public_edition(corpus(2), parse_consent("people:\n  Alexia Mathieu: public\n"), today=dt.date(2030, 1, 1))
    publish(first, out, BuildConfig(html=False))
    assert query(out, "ASK { ?p schema:name \"Alexia Mathieu\" }", engine="oxigraph").boolean
    assert (out / STORE).is_dir()
    # consent withdrawn: the next edition pseudonymises her, and no store that names her may stay in the folder
    second = public_edition(corpus(2), parse_consent("people:\n  Alexia Mathieu: pseudonymise\n"),
                            today=dt.date(2030, 1, 1))
    publish(second, out, BuildConfig(html=False))
    assert not (out / STORE).exists()
    assert not query(out, "ASK { ?p schema:name \"Alexia Mathieu\" }", engine="oxigraph").boolean
    manifest = json.loads((out / STORE / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["source"]["file"] == "graph.ttl"
    assert all(b"Alexia" not in p.read_bytes() for p in (out / STORE).rglob("*") if p.is_file())


def test_serve_reads_a_snapshot_of_the_store(tmp_path: Path) -> None:
    from kg.serve import Server, free_port

    out = written(tmp_path / "out", corpus(2))
    with Server(out, port=free_port()) as server:
        assert server.snapshot and server._store and Path(server._store).parent == out / STORE
        snapshot = Path(server._store)
    assert not snapshot.exists()
    assert sorted(os.listdir(out / STORE)) == ["db", "default.ttl", MANIFEST]  # nothing but the store is left


def test_the_server_keeps_serving_past_slow_clients_malformed_and_overlong_queries(tmp_path: Path) -> None:
    import socket
    import threading
    import time
    import urllib.error
    import urllib.parse
    import urllib.request

    from kg.serve import Server, free_port

    out = written(tmp_path / "out", corpus(3))
    count = "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a <https://w3id.org/kg-interviews/ns#Interview> }"

    def ask(server: Server, text: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        request = urllib.request.Request(server.query_url, data=urllib.parse.urlencode({"query": text}).encode(),
                                         headers={"Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read(), time.perf_counter() - started
        except urllib.error.HTTPError as e:
            return e.code, e.read(), time.perf_counter() - started

    with Server(out, port=free_port(), timeout_s=1) as server:
        # clients that connect and then stall: one silent, one halfway through its request line
        stalled = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(2)]
        stalled[1].sendall(b"GET /query?query=ASK%20%7B%7D HTTP/1.1\r\nHost: 127")
        overlong: list[tuple[int, bytes, float]] = []
        thread = threading.Thread(target=lambda: overlong.append(ask(server, SLOW)))
        thread.start()
        status, body, _ = ask(server, "SELECT ?x WHERE { ?x ")
        assert status == 400 and body
        for _ in range(5):
            status, body, seconds = ask(server, count)
            assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "3"
            assert seconds < 1
        thread.join(timeout=20)
        [(status, body, seconds)] = overlong
        assert status == 503 and b"stopped" in body and seconds < 5, (status, body, seconds)  # stopped at --timeout
        status, body, _ = ask(server, count)
        assert status == 200
        # the snapshot never changes while served: the answer is kept, errors and stopped queries are not
        assert server._gate is not None
        assert list(server._gate.cache) == [("ASK {}", ""), (count, "application/sparql-results+json")]
        for s in stalled:
            s.close()


def test_serve_load_benchmark_runs_clients_without_errors(tmp_path: Path) -> None:
    serve_load = benchmark("serve_load")
    out = written(tmp_path / "out", corpus(3))
    report = tmp_path / "load.json"
    assert serve_load.main([str(out), "--clients", "4", "--per-client", "12", "--json", str(report)]) == 0
    figures = json.loads(report.read_text(encoding="utf-8"))
    assert figures["queries"] == 48 and figures["errors"] == 0 and figures["p99_ms"] >= figures["p50_ms"] > 0
    assert set(figures["per_query"]) == {"co-mentioned-people", "mentions-per-interview", "quotes-mentioning",
                                         "shared-entities", "tools-per-person"}


def test_canned_queries_benchmark_times_every_shipped_query_on_the_store(tmp_path: Path) -> None:
    canned_queries = benchmark("canned_queries")
    out = written(tmp_path / "out", corpus(3))
    report = tmp_path / "queries.json"
    assert canned_queries.main([str(out), "--repeat", "1", "--json", str(report)]) == 0
    figures = json.loads(report.read_text(encoding="utf-8"))
    assert {f["query"] for f in figures["queries"]} == {"co-mentioned-people", "mentions-per-interview",
                                                        "quotes-mentioning", "shared-entities", "tools-per-person"}
    assert all(f["first_ms"] > 0 and len(f["warm_ms"]) == 2 for f in figures["queries"])
    per_interview = [f for f in figures["queries"] if f["query"] == "mentions-per-interview"]
    assert [f["rows"] for f in per_interview] == [3]  # every interview, one page
    with pytest.raises(SystemExit, match="no query store can be opened"):
        canned_queries.main([str(tmp_path)])


def test_a_graph_file_that_does_not_parse_is_one_error_and_the_store_is_not_read(tmp_path: Path) -> None:
    from kg.errors import GraphError

    out = written(tmp_path / "out", corpus(2))
    ttl = out / "graph.ttl"
    data = ttl.read_bytes()
    ttl.write_bytes(data.replace(b"a kgi:Interview", b"a kgi:Interview ;;; <<", 1))
    with pytest.raises(GraphError, match="cannot load it into the query store") as e:
        sync_store(out)
    assert "\n" not in str(e.value)
    assert not is_current(out)


TOTALS = ("SELECT ?s ?e ?n ?i WHERE { ?t kgi:totalSpeaker ?s ; kgi:totalEntity ?e ; kgi:quoteTotal ?n ; "
          "kgi:interviewTotal ?i }")
SUMS = ("SELECT ?s ?e (SUM(?q) AS ?n) (COUNT(?t) AS ?i) WHERE { ?t kgi:tallySpeaker ?s ; kgi:mentionedEntity ?e ; "
        "kgi:quoteTally ?q } GROUP BY ?s ?e")


def test_speaker_totals_stay_the_sums_of_the_tallies_after_an_incremental_update(tmp_path: Path) -> None:
    def rows(folder: Path, text: str) -> set[tuple[str, ...]]:
        return {tuple(str(t) for t in row) for row in query(folder, text, engine="oxigraph").rows}

    out = written(tmp_path / "out", corpus(4))
    sync_store(out)
    before = rows(out, TOTALS)
    assert before and before == rows(out, SUMS)
    # interview 1 changed, interview 3 (whose speaker named Personne 3) is gone: the totals follow, as a fresh
    # store's do
    graph = corpus(4, changed={1: " et Alexia Mathieu."})
    graph = type(graph)(graph.interviews[:3], graph.entities, graph.provenance)
    written(out, graph, ("ttl",))
    assert not sync_store(out).full
    after = rows(out, TOTALS)
    assert after != before and after == rows(out, SUMS)
    fresh = written(tmp_path / "fresh", graph, ("ttl",))
    assert after == rows(fresh, TOTALS)


def test_each_speaker_total_is_named_by_its_speaker_and_entity(tmp_path: Path) -> None:
    """``{base}speaker-total/{speaker id}/{entity id}``, each id with its slash a dot: the IRI rebuilt from
    parts made once per node must be the one `Iris.speaker_total` gives, for every pair."""
    out = written(tmp_path / "out", corpus(4))
    text = "SELECT ?t ?s ?e WHERE { ?t kgi:totalSpeaker ?s ; kgi:totalEntity ?e }"
    found = [tuple(str(term) for term in row) for row in query(out, text, engine="oxigraph").rows]
    assert len(found) >= 4
    for total, speaker, entity in found:
        base = total.split("speaker-total/")[0]
        sid, eid = speaker[len(base):].replace("/", "."), entity[len(base):].replace("/", ".")
        assert total == f"{base}speaker-total/{sid}/{eid}" and "." in sid and "." in eid


def test_a_large_piece_streams_to_the_loader_in_linear_time(tmp_path: Path) -> None:
    """The default graph goes to the store's bulk load as one piece of bytes (150 MB at 1,000 interviews, with the
    corpus totals); read in small buffers, it must not be copied again after each read (quadratic: minutes)."""
    import time

    from kg.store import _Pieces

    big = bytes(range(256)) * (64 * 4096)  # 64 MiB: 11 s with the copies, 0.02 s without, on a 2-core machine
    file = tmp_path / "chunks"
    file.write_bytes(b"0123456789" * 1000)
    with open(file, "rb") as fh:
        stream = _Pieces(fh.fileno(), [big, (5, 20, b"<", b">")])
        buffer, parts = bytearray(8192), []
        started = time.perf_counter()
        while n := stream.readinto(buffer):
            parts.append(bytes(buffer[:n]))
        took = time.perf_counter() - started
    assert b"".join(parts) == big + b"<" + (b"0123456789" * 3)[5:25] + b">"
    assert took < 2, f"{took:.1f} s to stream 64 MiB"


SHARED_RANKS = "SELECT ?e ?rank WHERE { ?e kgi:sharedRank ?rank }"
_KG_TYPE = "a ?type FILTER (STRSTARTS(STR(?type), STR(kgi:)))"
SHARED_ROWS = ("SELECT ?name ?type (MAX(?n) AS ?most) WHERE { ?e kgi:interviewCount ?n ; schema:name ?name ; "
               f"{_KG_TYPE} FILTER (?n > 1) }} GROUP BY ?name ?type")
RANKED_ROWS = f"SELECT DISTINCT ?name ?type ?rank WHERE {{ ?e kgi:sharedRank ?rank ; schema:name ?name ; {_KG_TYPE} }}"


def test_shared_ranks_stay_right_after_an_incremental_update(tmp_path: Path) -> None:
    """The ranks of shared-entities' rows (`kg.rdf.totals`) number, from 1, the shared entities' names and types
    in the query's order, and an incremental update gives the ranks a fresh build gives."""

    def rows(folder: Path, text: str) -> set[tuple[str, ...]]:
        return {tuple(str(t) for t in row) for row in query(folder, text, engine="oxigraph").rows}

    def checked(folder: Path) -> set[tuple[str, ...]]:
        most = {(name, kind): int(n) for name, kind, n in rows(folder, SHARED_ROWS)}
        ranked = sorted(rows(folder, RANKED_ROWS), key=lambda r: int(r[2]))
        assert {(name, kind) for name, kind, _ in ranked} == set(most)  # every shared row, each with one rank
        assert [int(r[2]) for r in ranked] == list(range(1, len(ranked) + 1))
        counts = [most[(r[0], r[1])] for r in ranked]
        assert counts == sorted(counts, reverse=True)  # most interviews first
        return rows(folder, SHARED_RANKS)

    out = written(tmp_path / "out", corpus(4))
    sync_store(out)
    before = checked(out)
    assert before
    graph = corpus(4, others={3: 1})  # Personne 1 in a second interview: one more shared row, ranked last
    written(out, graph, ("ttl",))
    assert not sync_store(out).full
    after = checked(out)
    assert after > before
    assert after == checked(written(tmp_path / "fresh", graph, ("ttl",)))


def test_a_build_older_than_the_summaries_a_query_reads_says_so_in_one_line(tmp_path: Path, capsys) -> None:
    """A build that predates the summaries a shipped query reads would answer it with no rows: kg query says so
    and stops, kg serve warns once; the other queries run, and a current build or a lone file is not held."""
    from kg.sparql import example, stale_examples

    out = written(tmp_path / "out", corpus(2))
    assert stale_examples(out) is None
    assert query(out, example("co-mentioned-people").text, params={"name": "Alexia Mathieu"}).rows
    index = json.loads((out / ".kg-index.json").read_text(encoding="utf-8"))
    assert index.pop("graph") == 2
    (out / ".kg-index.json").write_text(json.dumps(index), encoding="utf-8")  # as a build before the number
    with pytest.raises(QueryError, match=r"this build predates kgi:EntityQuotes, which the query reads .*"
                                         r"rebuild it with kg build") as e:
        query(out, example("quotes-mentioning").text, params={"name": "Alexia Mathieu"})
    assert "\n" not in str(e.value)
    with pytest.raises(QueryError, match="predates kgi:EntityQuotes"):
        query(out / "graph.ttl", example("quotes-mentioning").text, params={"name": "Alexia Mathieu"})
    assert query(out, example("mentions-per-interview").text).rows
    # the per-interview tallies it sums came before the number: an old build answers it
    assert query(out, example("co-mentioned-people").text, params={"name": "Alexia Mathieu"}).rows
    warning = stale_examples(out)
    assert warning is not None and "\n" not in warning
    for name in ("quotes-mentioning", "shared-entities", "tools-per-person"):
        assert name in warning
    assert "mentions-per-interview" not in warning and "co-mentioned-people" not in warning
    err = one_line_error(capsys, ["query", str(out), "--example", "shared-entities"])
    assert "predates kgi:sharedRank" in err
    alone = tmp_path / "alone.ttl"
    alone.write_bytes((out / "graph.ttl").read_bytes())
    assert query(alone, example("co-mentioned-people").text, params={"name": "Alexia Mathieu"}).rows


def test_a_store_where_most_interviews_changed_is_loaded_from_nothing(tmp_path: Path) -> None:
    out = written(tmp_path / "out", corpus(3))
    sync_store(out)
    graph = corpus(3)  # another setup (a new kg version, another model) changes every interview's chunk key
    written(out, type(graph)(graph.interviews, graph.entities, {**graph.provenance, "setup": "other"}), ("ttl", "nq"))
    report = sync_store(out)
    assert report.full and report.loaded == 3
    assert quads(ox.Store.read_only(str(report.path))) == file_quads(out)


@pytest.mark.parametrize("fmt", ["ttl", "nq", "nt", "trig"])
def test_the_default_graph_is_brought_up_to_date_by_difference(tmp_path: Path, fmt: str) -> None:
    """A rebuild changes a few statements of the default graph (the changed interview's entities and totals, the
    build's IRI): the store removes and adds those alone, and holds what a store loaded from nothing holds."""
    out = written(tmp_path / "out", corpus(4), (fmt,))
    assert sync_store(out).full
    graph = corpus(4, changed={1: " et Alexia Mathieu."}, others={3: 1})
    graph = type(graph)(graph.interviews[:3], graph.entities, graph.provenance)
    written(out, graph, (fmt,))
    report = sync_store(out)
    assert not report.full and report.by_difference
    assert 0 < report.default_removed and 0 < report.default_added
    assert quads(ox.Store.read_only(str(report.path))) == file_quads(written(tmp_path / "ref", graph, ("nq",)))


def test_a_default_graph_copy_that_is_not_the_stores_own_is_not_trusted(tmp_path: Path) -> None:
    out = written(tmp_path / "out", corpus(3), ("ttl", "nq"))
    sync_store(out)
    copy = out / STORE / "default.nq"
    integer = b"^^<http://www.w3.org/2001/XMLSchema#integer>"
    kept = copy.read_bytes()
    copy.write_bytes(kept.replace(b'"2"' + integer, b'"7"' + integer, 1))
    assert copy.read_bytes() != kept
    written(out, corpus(3, changed={1: " depuis 2019."}), ("ttl", "nq"))
    report = sync_store(out)
    assert not report.full and not report.by_difference  # the whole default graph replaced, as before the copy
    assert quads(ox.Store.read_only(str(report.path))) == file_quads(out)
    assert sync_store(out).up_to_date
    written(out, corpus(3, changed={1: " encore."}), ("ttl", "nq"))
    again = sync_store(out)
    assert again.by_difference and quads(ox.Store.read_only(str(again.path))) == file_quads(out)


def test_a_store_killed_after_its_default_copy_was_kept_is_loaded_again(tmp_path: Path) -> None:
    """The copy of the default graph is written before the manifest: a kill between the two leaves no manifest,
    so the store is loaded again from nothing, never compared with a copy of a graph it does not hold."""
    out = written(tmp_path / "out", corpus(3), ("ttl", "nq"))
    sync_store(out)
    written(out, corpus(3, changed={1: " encore."}), ("ttl", "nq"))
    _kill_inside(out, "_write_manifest")
    assert (out / STORE / "default.nq").is_file() and not (out / STORE / MANIFEST).exists()
    said: list[str] = []
    report = sync_store(out, warn=said.append)
    assert report.full and len(said) == 1 and "half-updated" in said[0]
    assert quads(ox.Store.read_only(str(report.path))) == file_quads(out)


def test_the_difference_is_exact_or_refused() -> None:
    """Statements of one subject in several places, moved between builds, give no quad removed that stays; blank
    nodes and a changed header give no difference at all (the caller replaces the whole default graph)."""
    from kg.store import default_diff

    header = b"@prefix a: <http://a/> .\n\n"
    old = header + b'a:x a:p "1" ;\n\ta:q a:y .\na:z a:p "2" .\na:x a:r "3" .\n'
    new = header + b'a:z a:p "2" .\na:x a:q a:y ;\n\ta:r "4" .\na:w a:p "1" .\n'
    found = default_diff(old, new, "ttl", len(header), len(header))
    assert found is not None
    gone, came = ({(str(q.subject), str(q.predicate), str(q.object)) for q in side} for side in found)
    assert gone == {("<http://a/x>", "<http://a/p>", '"1"'), ("<http://a/x>", "<http://a/r>", '"3"')}
    assert came == {("<http://a/x>", "<http://a/r>", '"4"'), ("<http://a/w>", "<http://a/p>", '"1"')}
    assert default_diff(old, new + b"a:v a:p [ a:q 1 ] .\n", "ttl", len(header), len(header)) is None
    other = b"@prefix a: <http://b/> .\n\n"
    assert default_diff(old, other + new[len(header):], "ttl", len(other), len(header)) is None
    assert default_diff(old, new + b"a:v a:p .\n", "ttl", len(header), len(header)) is None


def test_a_store_loaded_without_an_index_keeps_no_copy_of_an_earlier_default_graph(tmp_path: Path) -> None:
    out = written(tmp_path / "out", corpus(3))
    sync_store(out)
    assert (out / STORE / "default.ttl").is_file()
    (out / ".kg-index.json").unlink()  # the whole file is loaded: its default graph is not known apart
    report = sync_store(out)
    assert report.full and not (out / STORE / "default.ttl").exists()
    assert "default" not in json.loads((out / STORE / MANIFEST).read_text(encoding="utf-8"))


def test_a_canned_query_read_graph_by_graph_on_the_store_answers_as_on_the_file(tmp_path: Path) -> None:
    """co-mentioned-people sums its tallies inside each interview's graph on the store (`per_interview`): the
    same rows as rdflib on graph.ttl, where no graph is named, before and after an incremental update."""
    from kg.sparql import example, per_interview

    ex = example("co-mentioned-people")
    def body(text: str) -> str:
        return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))

    assert "GRAPH ?kg_interview {" in body(per_interview(ex.text)) and "GRAPH" not in body(ex.text)
    out = written(tmp_path / "out", corpus(6, others={5: 1}))
    for graph in (None, corpus(6, changed={2: " et Alexia Mathieu."}, others={5: 1})):
        if graph is not None:
            written(out, graph, ("ttl",))
            assert not sync_store(out).full
        else:
            sync_store(out)
        store = ox.Store.read_only(str(out / STORE / "db"))
        tallies = ox.NamedNode("https://w3id.org/kg-interviews/ns#turnTally")
        assert not list(store.quads_for_pattern(None, tallies, None, ox.DefaultGraph()))  # each in its interview's
        assert list(store.quads_for_pattern(None, tallies, None, None))
        del store
        answered = 0
        for name in ("Alexia Mathieu", "Ines Marchand", "Nicolas Barradeau", "Personne 1", "personne 3", "nobody"):
            on_store = query(out, ex.text, params={"name": name})
            assert on_store.engine == "oxigraph"
            on_file = query(out / "graph.ttl", ex.text, params={"name": name}, engine="rdflib")
            assert on_store.rows == on_file.rows, name
            answered += bool(on_store.rows)
            if name == "Alexia Mathieu":
                assert int(str(on_store.rows[0][1])) >= 6  # summed over the interviews' graphs
        assert answered >= 2
