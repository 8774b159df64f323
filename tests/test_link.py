"""Authority links through W3C reconciliation services (#21): `kg link`, `kg build --link`, the link cache,
the decisions, the RDF, and kg's own service at /reconcile.  Every service here is a real HTTP server on
loopback (tests/reconcile_fixture.py, or kg's own), never a mock."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, SAMPLE, one_line_error
from reconcile_fixture import WIKIDATA_MANIFEST, FixtureService

from kg.cli import main
from kg.curation import parse_curation
from kg.errors import CurationError, KgError
from kg.link import LinkOptions, Rules, link_graph
from kg.link.client import Manifest, ServiceType, parse_manifest
from kg.link.decide import decide, may_link, query_of, type_map
from kg.link.service import Reconciler, ReconcileServer
from kg.link.store import LinkCache
from kg.model import Entity

RECORDED = json.loads((ROOT / "tests" / "fixtures" / "reconcile" / "wikidata-sample.json").read_text())
WD = "http://www.wikidata.org/entity/"
FAST: dict[str, Any] = {"timeout": 2.0, "tries": 2, "backoff": 0.01}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def service():  # type: ignore[no-untyped-def]
    with FixtureService(RECORDED["candidates"]) as s:
        yield s


@pytest.fixture(scope="module")
def sample(built_sample):  # type: ignore[no-untyped-def]
    return built_sample[0]


# ---- the rules, without a server -------------------------------------------------------------------------------

MANIFEST = parse_manifest("http://127.0.0.1:1/api", WIKIDATA_MANIFEST)


def _c(qid: str, name: str, score: float) -> dict[str, Any]:
    return {"id": qid, "name": name, "score": score, "match": False, "type": []}


@pytest.mark.parametrize(("entity", "candidates", "accepted", "suggested"), [
    (Entity("place/lyon", "Place", "Lyon"), [_c("Q456", "Lyon", 100), _c("Q1", "Lyon", 60)], "Q456", []),
    (Entity("place/lyon", "Place", "Lyon"), [_c("Q456", "Lyon", 95), _c("Q1", "Lyon", 90)], None, ["Q456", "Q1"]),
    (Entity("place/lyon", "Place", "Lyon"), [_c("Q456", "Lyon", 70)], None, ["Q456"]),
    # a namesake with a longer name is never taken for a person
    (Entity("person/a", "Person", "Ada Byron"), [_c("Q7259", "Ada Byron King", 99)], None, ["Q7259"]),
    (Entity("person/a", "Person", "Ada Lovelace", ("Ada Byron",)), [_c("Q7259", "Ada Byron", 99)], "Q7259", []),
    # a service scoring on 0-1 is read as percent
    (Entity("tool/python", "Tool", "Python"), [_c("Q28865", "Python", 0.97), _c("Q2", "Py", 0.2)], "Q28865", []),
    # an IRI of no known authority is only ever suggested
    (Entity("tool/python", "Tool", "Python"), [_c("https://example.org/python", "Python", 100)], None,
     ["https://example.org/python"]),
])
def test_a_candidate_is_accepted_only_above_the_threshold_and_clearly_ahead(
        entity: Entity, candidates: list[dict[str, Any]], accepted: str | None, suggested: list[str]) -> None:
    yes, maybe = decide(entity, candidates, MANIFEST, Rules())
    assert [m.iri for m in yes] == ([MANIFEST.iri(accepted)] if accepted else [])
    assert [m.iri for m in maybe] == [MANIFEST.iri(s) for s in suggested]
    assert all(m.service == MANIFEST.url for m in (*yes, *maybe))


def test_rejected_candidates_are_neither_accepted_nor_suggested() -> None:
    e = Entity("place/lyon", "Place", "Lyon")
    yes, maybe = decide(e, [_c("Q456", "Lyon", 100), _c("Q1", "Lyon", 60)], MANIFEST, Rules(), [WD + "Q456"])
    assert not yes and [m.iri for m in maybe] == [WD + "Q1"]


@pytest.mark.parametrize(("entity", "allowed", "expected"), [
    (Entity("person/a", "Person", "Ada Lovelace"), (), True),
    (Entity("person/clara", "Person", "Clara"), (), False),  # a first name only
    (Entity("person/clara", "Person", "Clara"), ("person/clara",), True),
    (Entity("person/a", "Person", "Ada Lovelace", speaker_of=("iv",)), (), False),  # a participant
    (Entity("person/a", "Person", "Ada Lovelace", speaker_of=("iv",)), ("person/a",), True),
    (Entity("place/x", "Place", "Lyon", links=(WD + "Q456",)), ("place/x",), False),  # a curator linked it
    (Entity("tool/p", "Tool", "Processing"), (), True),
])
def test_who_may_be_linked(entity: Entity, allowed: tuple[str, ...], expected: bool) -> None:
    assert may_link(entity, allowed) is expected


def test_types_are_mapped_from_the_manifest() -> None:
    assert type_map(MANIFEST)["Person"] == "Q5" and "Concept" not in type_map(MANIFEST)
    geo = Manifest("u", "GeoNames", "http://sws.geonames.org/", "s",
                   (ServiceType("H", "Stream, lake"), ServiceType("P", "City, village"), ServiceType("G", "Place")))
    assert type_map(geo) == {"Place": "P"}  # "city" names a place; persons are never sent to a gazetteer
    untyped = Manifest("u", "VIAF", "http://viaf.org/viaf/", "s", (ServiceType("x", "Anything"),))
    assert set(type_map(untyped)) == {"Person", "Organisation", "Place", "Work", "Tool"}
    assert all(t is None for t in type_map(untyped).values())
    q = query_of(Entity("person/s", "Person", "Shiffman", ("Daniel Shiffman",)), "Q5", Rules())
    assert q == {"query": "Daniel Shiffman", "limit": 5, "type": "Q5", "type_strict": "should"}


@pytest.mark.parametrize("manifest", [{"name": "x"}, ["not", "an", "object"],
                                      {"name": "x", "identifierSpace": "", "schemaSpace": "s"}])
def test_a_manifest_without_its_required_keys_is_refused(manifest: object) -> None:
    with pytest.raises(KgError, match="is not a reconciliation service"):
        parse_manifest("http://h/api", manifest)


# ---- linking the shipped sample against a recorded service -----------------------------------------------------

def test_the_sample_links_exactly_the_recorded_truth_and_asks_in_bounded_batches(sample, service, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "links.sqlite"
    options = LinkOptions((service.url,), cache=str(cache), batch=4, concurrency=2, **FAST)
    linked, report = link_graph(sample, options)
    accepted = {e.id: [m.iri for m in e.matches] for e in linked.entities if e.matches}
    expected = {k: [v] for k, v in RECORDED["truth"].items() if v}
    assert accepted == expected  # precision 1.0 on the fixtures, and nothing the truth accepts is missed
    by_id = {e.id: e for e in linked.entities}
    homonyms = by_id["person/zach-lieberman"]
    assert not homonyms.matches and {m.iri for m in homonyms.suggestions} == {WD + "Q8064532", WD + "Q97310244"}
    assert [m.name for m in by_id["person/julien-ferrand"].suggestions] == ["Julien Ferrandez"]
    asked = {q["query"] for q in service.queries}
    assert not asked & {"Clara", "Inès Marchand", "Thomas Régnier"}  # first name only; participants
    assert all(q.get("type") for q in service.queries) and not any(e.startswith("concept/") for e in accepted)
    assert all(n <= 4 for method, n in service.requests if n) and service.most_in_flight <= 2
    assert report.accepted == len(expected) and report.asked == len(service.queries)

    # a rebuild never asks twice: the manifest and every answer come from the cache
    before = len(service.requests)
    again, warm = link_graph(sample, options)
    assert len(service.requests) == before and warm.requests == 0 and warm.from_cache == report.asked
    assert again.entities == linked.entities


def test_a_shared_interview_links_exactly_its_recorded_truth(built_barradeau, tmp_path) -> None:  # type: ignore[no-untyped-def]
    recorded = json.loads((ROOT / "tests" / "fixtures" / "reconcile" / "wikidata-barradeau.json").read_text())
    with FixtureService(recorded["candidates"]) as s:
        linked, _ = link_graph(built_barradeau[0], LinkOptions((s.url,), cache=str(tmp_path / "c.sqlite"), **FAST))
        asked = {q["query"] for q in s.queries}
    accepted = {e.id: [m.iri for m in e.matches] for e in linked.entities if e.matches}
    assert accepted == {k: [v] for k, v in recorded["truth"].items() if v}
    assert not asked & {"Douglas", "AK", "Nicolas Barradeau", "Alexia Mathieu"}
    gene = next(e for e in linked.entities if e.id == "person/gene-kogan")
    assert len(gene.suggestions) == 2  # namesakes: both kept for a curator, neither taken


def test_offline_links_from_the_cache_alone_and_sends_nothing(sample, service, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cache = str(tmp_path / "links.sqlite")
    online, _ = link_graph(sample, LinkOptions((service.url,), cache=cache, **FAST))
    service.requests.clear()
    offline, report = link_graph(sample, LinkOptions((service.url,), cache=cache, offline=True, **FAST))
    assert service.requests == [] and report.requests == 0
    assert offline.entities == online.entities
    nothing_cached, report = link_graph(sample, LinkOptions((service.url,), cache=str(tmp_path / "empty.sqlite"),
                                                            offline=True, **FAST), warn=lambda m: None)
    assert service.requests == [] and report.requests == 0 and report.failed
    assert not any(e.matches for e in nothing_cached.entities)


def test_two_services_each_asked_about_the_kinds_it_holds(sample, service, tmp_path) -> None:  # type: ignore[no-untyped-def]
    geonames = {"versions": ["0.2"], "name": "Recorded GeoNames", "identifierSpace": "http://sws.geonames.org/",
                "schemaSpace": "http://www.geonames.org/ontology#",
                "defaultTypes": [{"id": "P", "name": "City, village"}, {"id": "H", "name": "Stream, lake"}]}
    places = {"lyon": [{"id": "2996944", "name": "Lyon", "score": 1.0, "match": True, "type": ["P"]}],
              "montreal": [{"id": "6077243", "name": "Montréal", "score": 0.98, "match": True, "type": ["P"]}]}
    with FixtureService(places, manifest=geonames) as gazetteer:
        linked, report = link_graph(sample, LinkOptions((service.url, gazetteer.url),
                                                        cache=str(tmp_path / "c.sqlite"), **FAST))
        assert gazetteer.queries and all(q["type"] == "P" for q in gazetteer.queries)  # places only
        assert len(gazetteer.queries) == sum(1 for e in sample.entities if e.type == "Place")
    lyon = next(e for e in linked.entities if e.id == "place/lyon")
    assert {m.iri for m in lyon.matches} == {WD + "Q456", "http://sws.geonames.org/2996944"}
    assert {m.service for m in lyon.matches} == {service.url, gazetteer.url} and not report.failed


def test_lang_in_the_url_asks_each_entity_in_its_interviews_language(service, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kg.link import link_entities

    entities = [Entity("place/lyon", "Place", "Lyon"), Entity("place/montreal", "Place", "Montréal"),
                Entity("person/daniel-shiffman", "Person", "Daniel Shiffman")]
    template = service.url.replace("/api", "/{lang}/api")
    linked, report = link_entities(entities, LinkOptions((template,), cache=str(tmp_path / "c.sqlite"), **FAST),
                                   languages={"place/lyon": "fr", "place/montreal": "fr",
                                              "person/daniel-shiffman": "en"})
    assert sorted(set(service.paths)) == ["/en/api", "/fr/api"] and service.paths.count("/en/api") == 2
    assert all(e.matches for e in linked) and report.requests == 4  # a manifest and a batch per language


def test_the_page_data_read_back_from_the_rdf_has_the_links_and_suggestions(linked_out) -> None:  # type: ignore[no-untyped-def]
    from kg.page.data import load

    data = {e.id: e for e in load(linked_out[1]).entities}
    assert data["place/lyon"].links == (WD + "Q456",)
    assert [s[0] for s in data["person/zach-lieberman"].suggestions] == [WD + "Q8064532", WD + "Q97310244"]


# ---- faults ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["down", "timeout", "5xx", "invalid-json"])
def test_a_failing_service_is_one_warning_and_leaves_the_entities_and_the_cache_sound(
        fault: str, sample, service, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cache = str(tmp_path / "links.sqlite")
    url = service.url
    link_graph(sample, LinkOptions((url,), cache=cache, **FAST))  # a first run fills the cache
    with LinkCache(cache) as c:
        kept = c.count()
        c.db.execute("DELETE FROM answers WHERE rowid IN (SELECT rowid FROM answers LIMIT 5)")  # to ask again
    if fault == "down":
        url = f"http://127.0.0.1:{_closed_port()}/api"
    elif fault == "timeout":
        service.delay = 1.0
    elif fault == "5xx":
        service.fail_next = [503] * 50
    else:
        service.broken_json = True
    warnings: list[str] = []
    started = time.perf_counter()
    # one query a request, so that the service fails more often than it is given up on (after 3 failures)
    linked, report = link_graph(sample, LinkOptions((url,), cache=cache, batch=1, timeout=0.3, tries=2, backoff=0.01),
                                warn=warnings.append)
    assert time.perf_counter() - started < 10
    assert len(warnings) == 1 and "\n" not in warnings[0] and url in warnings[0]
    assert {e.id for e in linked.entities} == {e.id for e in sample.entities}
    with LinkCache(cache) as c:
        assert c.check() == "ok" and c.count() == kept - 5


def test_429_is_retried_after_the_wait_the_service_asks(sample, service, tmp_path) -> None:  # type: ignore[no-untyped-def]
    service.fail_next = [200, 429, 429]  # the manifest, then the first batch twice
    service.retry_after = "0.2"
    started = time.perf_counter()
    linked, report = link_graph(sample, LinkOptions((service.url,), cache=str(tmp_path / "c.sqlite"), batch=100,
                                                    timeout=2.0, tries=4, backoff=0.01), warn=pytest.fail)
    assert time.perf_counter() - started >= 0.4  # Retry-After respected, twice
    assert report.accepted == sum(1 for v in RECORDED["truth"].values() if v) and not report.failed


@pytest.mark.parametrize("manifest", ["<html><body>Welcome</body></html>", {"name": "a JSON object, not a manifest"}])
def test_a_url_that_is_not_a_reconciliation_service_is_an_error_exit_2(
        manifest: object, built_sample, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    with FixtureService({}, manifest=manifest) as s:
        message = one_line_error(capsys, ["link", str(built_sample[1]), "--service", s.url,
                                          "--cache", str(tmp_path / "c.sqlite")])
    assert "is not a reconciliation service" in message and s.url in message


def test_kg_build_stops_on_a_url_that_is_not_a_service_before_extracting(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    with FixtureService({}, manifest="<html>a web page</html>") as s:
        started = time.perf_counter()
        message = one_line_error(capsys, ["build", str(SAMPLE), "--out", str(tmp_path / "out"), "--link", s.url])
    assert "is not a reconciliation service" in message and time.perf_counter() - started < 5
    assert not (tmp_path / "out" / "graph.ttl").exists()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "wikidata.reconci.link/fr/api", "ftp://host/api"])
def test_a_service_url_must_be_http(url: str, built_sample, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    message = one_line_error(capsys, ["link", str(built_sample[1]), "--service", url,
                                      "--cache", str(tmp_path / "c.sqlite")])
    assert "is not an http(s) URL" in message


def test_the_cache_survives_kill_9_in_the_middle_of_writing(tmp_path: Path) -> None:
    cache = tmp_path / "links.sqlite"
    writer = textwrap.dedent(f"""
        import sys
        from kg.link.store import LinkCache
        c = LinkCache({str(cache)!r})
        i = 0
        while True:
            c.put_answers("http://s/api", [({{"query": f"q{{i}}-{{j}}"}}, [{{"id": "Q1", "name": "x" * 500}}])
                                            for j in range(50)])
            i += 1
            if i == 5:
                print("writing", flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with LinkCache(cache) as c:
        assert c.check() == "ok"
        n = c.count()
        assert n >= 250 and n % 50 == 0  # whole batches only
        rows = c.db.execute("SELECT candidates FROM answers").fetchall()
        assert all(json.loads(r[0])[0]["id"] == "Q1" for r in rows)


def test_a_damaged_cache_is_set_aside_and_linking_goes_on(sample, service, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "links.sqlite"
    cache.write_bytes(b"this is not SQLite" * 100)
    warnings: list[str] = []
    _, report = link_graph(sample, LinkOptions((service.url,), cache=str(cache), **FAST), warn=warnings.append)
    assert report.accepted and report.set_aside and Path(report.set_aside).read_bytes().startswith(b"this is not")
    assert len(warnings) == 1 and "set aside" in warnings[0]


# ---- curation --------------------------------------------------------------------------------------------------

def test_the_curation_file_rejects_allows_and_wins_over_the_service(sample, service, tmp_path) -> None:  # type: ignore[no-untyped-def]
    curation = parse_curation(textwrap.dedent(f"""
        reject_link:
          place/lyon: "*"
          tool/python: {WD}Q28865
        allow_link: [Clara]
    """))
    curated = replace(sample, entities=tuple(
        replace(e, links=(WD + "Q90",)) if e.id == "place/montreal" else e for e in sample.entities))
    linked, _ = link_graph(curated, LinkOptions((service.url,), cache=str(tmp_path / "c.sqlite"), **FAST),
                           allowed=curation.allow_link, rejected=curation.reject_link)
    by_id = {e.id: e for e in linked.entities}
    assert not by_id["place/lyon"].matches and not by_id["place/lyon"].suggestions
    assert not by_id["tool/python"].matches and [m.iri for m in by_id["tool/python"].suggestions] == [WD + "Q271218"]
    assert [m.iri for m in by_id["person/clara"].matches] == [WD + "Q1095418"]
    assert by_id["place/montreal"].links == (WD + "Q90",) and not by_id["place/montreal"].matches
    asked = {q["query"] for q in service.queries}
    assert "Montréal" not in asked and "Lyon" not in asked


def test_a_rejected_link_that_is_not_an_iri_is_one_error_naming_the_entry() -> None:
    with pytest.raises(CurationError, match=r"line 2: reject_link for 'place/lyon': 'Q456'"):
        parse_curation("reject_link:\n  place/lyon: Q456\n", "c.yaml")


# ---- outputs: RDF, SHACL, kg entities, the page, kg link -------------------------------------------------------

@pytest.fixture(scope="module")
def linked_out(built_sample, tmp_path_factory):  # type: ignore[no-untyped-def]
    from kg.pipeline import BuildConfig, write_outputs

    out = tmp_path_factory.mktemp("linked")
    with FixtureService(RECORDED["candidates"]) as s:
        linked, _ = link_graph(built_sample[0], LinkOptions((s.url,), cache=str(out / ".kg-links.sqlite"), **FAST))
    write_outputs(linked, out, BuildConfig(formats=("ttl",)))
    return linked, out


def test_links_are_exact_matches_with_their_provenance_and_the_graph_conforms(linked_out) -> None:  # type: ignore[no-untyped-def]
    from rdflib import RDFS, Graph, URIRef
    from rdflib.namespace import SKOS

    from kg.rdf.validate import validate
    from kg.rdf.vocab import KGI

    linked, out = linked_out
    g = Graph().parse(out / "graph.ttl")
    lyon = next(s for s in g.subjects(SKOS.exactMatch, URIRef(WD + "Q456")))
    match = g.value(lyon, KGI.acceptedMatch)
    assert g.value(match, KGI.matchTarget) == URIRef(WD + "Q456")
    assert float(str(g.value(match, KGI.matchScore))) == 100.0
    assert str(g.value(match, KGI.matchService)).endswith("/api")
    zach = next(s for s in g.subjects(RDFS.label, None) if str(s).endswith("person/zach-lieberman"))
    assert (zach, SKOS.exactMatch, None) not in g and len(list(g.objects(zach, KGI.suggestedMatch))) == 2
    report = validate(out)
    assert report.conforms, report.format(limit=5)


def test_the_shapes_refuse_an_accepted_match_that_is_not_an_exact_match(linked_out, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    from kg.rdf.validate import validate
    from kg.rdf.vocab import KGI

    full = Graph().parse(linked_out[1] / "graph.ttl")
    lyon = next(full.subjects(SKOS.exactMatch, URIRef(WD + "Q456")))
    g = Graph()  # the entity and its match alone: quick to validate
    for node in (lyon, full.value(lyon, KGI.acceptedMatch)):
        for p, o in full.predicate_objects(node):
            assert node is not None
            g.add((node, p, o))
    g.serialize(tmp_path / "whole.ttl", format="turtle")
    assert "accepted match" not in validate(tmp_path / "whole.ttl").format(limit=50)
    g.remove((None, SKOS.exactMatch, URIRef(WD + "Q456")))
    g.serialize(tmp_path / "graph.ttl", format="turtle")
    report = validate(tmp_path / "graph.ttl")
    assert not report.conforms and "accepted match" in report.format(limit=50)


def test_kg_entities_shows_links_and_suggestions(linked_out, capsys) -> None:  # type: ignore[no-untyped-def]
    main(["entities", str(linked_out[1]), "--type", "Person"])
    text = capsys.readouterr().out
    assert f"linked: {WD}Q5218184" in text and f"suggested: {WD}Q97310244 'Zach Lieberman' (score 100)" in text
    main(["entities", str(linked_out[1]), "--format", "json"])
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["place/lyon"]["links"] == [WD + "Q456"] and rows["place/lyon"]["suggestions"] == []
    assert [s["name"] for s in rows["person/karim-benali"]["suggestions"]] == ["Karim Benali"]


def test_the_page_shows_an_accepted_link_as_a_link(linked_out) -> None:  # type: ignore[no-untyped-def]
    html = (linked_out[1] / "graph.html").read_text(encoding="utf-8")
    assert f'"links":["{WD}Q456"]' in html


def test_kg_link_reports_and_fills_the_cache_that_offline_reads(built_sample, service, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "links.sqlite"
    files = {p.name: p.stat().st_mtime_ns for p in built_sample[1].iterdir()}
    main(["link", str(built_sample[1]), "--service", service.url, "--cache", str(cache), "--dry-run"])
    text = capsys.readouterr().out
    assert "place/lyon" in text and f"linked     {WD}Q456" in text and "suggested  " + WD + "Q8064532" in text
    service.requests.clear()
    main(["link", str(built_sample[1]), "--service", service.url, "--cache", str(cache), "--offline",
          "--format", "json", "--dry-run"])
    found = json.loads(capsys.readouterr().out)
    assert service.requests == [] and found["report"]["requests"] == 0 and found["written"] == []
    assert {p.name: p.stat().st_mtime_ns for p in built_sample[1].iterdir()} == files  # --dry-run writes nothing
    assert {r["id"] for r in found["entities"] if r["accepted"]} == {k for k, v in RECORDED["truth"].items() if v}


# ---- kg as a reconciliation service ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kg_service(built_sample):  # type: ignore[no-untyped-def]
    with ReconcileServer(Reconciler.of_graph(built_sample[1])) as server:
        yield server


def _post(url: str, data: dict[str, str]) -> tuple[int, Any]:
    body = urllib.parse.urlencode(data).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_kg_serve_answers_openrefine_shaped_requests_at_reconcile(kg_service) -> None:  # type: ignore[no-untyped-def]
    with urllib.request.urlopen(kg_service.url, timeout=5) as r:
        manifest = json.loads(r.read())
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert manifest["identifierSpace"].startswith("https://w3id.org/") and "0.2" in manifest["versions"]
    assert {"Person", "Place", "Tool"} <= {t["id"] for t in manifest["defaultTypes"]}
    queries = {"q0": {"query": "Daniel Shiffman", "type": "Person", "limit": 3},
               "q1": {"query": "lyon"},
               "q2": {"query": "touch designer", "type": "Tool"},
               "q3": {"query": "Zzyzx Qwerty"}}
    status, answer = _post(kg_service.url, {"queries": json.dumps(queries)})
    assert status == 200 and set(answer) == set(queries)
    best = answer["q0"]["result"][0]
    assert best["id"] == "person/daniel-shiffman" and best["match"] is True and best["score"] == 100
    assert best["type"] == [{"id": "Person", "name": "Person"}] and len(answer["q0"]["result"]) <= 3
    assert answer["q1"]["result"][0]["id"] == "place/lyon"
    assert answer["q2"]["result"][0]["id"] == "tool/touchdesigner"  # by its alias
    assert answer["q3"]["result"] == []
    with urllib.request.urlopen(kg_service.url + "?callback=cb&queries=" + urllib.parse.quote(json.dumps(
            {"q0": {"query": "Lyon"}})), timeout=5) as r:
        assert r.read().startswith(b"cb(")
    req = urllib.request.Request(kg_service.url, data=json.dumps({"queries": [{"query": "Lyon"}]}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        assert json.loads(r.read())["results"][0]["candidates"][0]["id"] == "place/lyon"


@pytest.mark.parametrize("queries", ["not json", json.dumps({"q0": {"limit": 3}}), json.dumps({"q0": "Lyon"}),
                                     json.dumps({"q0": {"query": "Lyon", "limit": -1}}), "{}"])
def test_kg_serve_refuses_a_bad_batch_with_400(kg_service, queries: str) -> None:  # type: ignore[no-untyped-def]
    status, answer = _post(kg_service.url, {"queries": queries})
    assert status == 400 and answer["error"]


def test_kg_link_against_kg_serve_finds_the_corpus_own_entities(kg_service, sample, tmp_path) -> None:  # type: ignore[no-untyped-def]
    linked, report = link_graph(sample, LinkOptions((kg_service.url,), cache=str(tmp_path / "c.sqlite"), **FAST))
    lyon = next(e for e in linked.entities if e.id == "place/lyon")
    # the corpus' own IRIs are no authority: kept as suggestions, never as skos:exactMatch
    assert not lyon.matches and lyon.suggestions[0].iri.endswith("/place/lyon") and lyon.suggestions[0].score == 100
    assert not report.failed


def _openrefine(base: str) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """What OpenRefine sends when a service is added and a column reconciled: the manifest by GET, then a batch
    of queries as a form POST (``queries=``); the manifest, the answer and the answer's headers."""
    with urllib.request.urlopen(base + "/reconcile", timeout=10) as r:
        manifest = json.loads(r.read())
    queries = {"q0": {"query": "Rebecca Fiebrink", "type": "Person", "type_strict": "should", "limit": 3},
               "q1": {"query": "Lyon", "type": "Place", "type_strict": "should"}}
    request = urllib.request.Request(base + "/reconcile", data=urllib.parse.urlencode(
        {"queries": json.dumps(queries)}).encode(), headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        return manifest, json.loads(r.read()), r.headers


def test_kg_serve_answers_reconcile_on_the_sparql_port(built_sample) -> None:  # type: ignore[no-untyped-def]
    from kg.serve import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(built_sample[1]), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"), cwd=ROOT)
    assert proc.stdout is not None
    try:
        lines = [proc.stdout.readline() for _ in range(4)]
        found = [line.split()[1] for line in lines if line.startswith("Reconciliation")]
        assert found == [f"http://127.0.0.1:{port}/reconcile"], lines
        manifest, answer, headers = _openrefine(f"http://127.0.0.1:{port}")
        assert manifest["identifierSpace"].startswith("https://w3id.org/") and "0.2" in manifest["versions"]
        assert answer["q0"]["result"][0]["id"] == "person/rebecca-fiebrink"
        assert answer["q1"]["result"][0]["id"] == "place/lyon"
        assert "Access-Control-Allow-Origin" not in headers  # no --cors
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/query?" + urllib.parse.urlencode(
                {"query": "ASK { ?s ?p ?o }"}), timeout=10) as r:  # the SPARQL endpoint beside it, as it was
            assert json.loads(r.read())["boolean"] is True
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)


@pytest.mark.parametrize("writable", [False, True])
def test_reconcile_follows_cors_and_is_served_by_a_writable_endpoint_too(built_sample, writable: bool) -> None:  # type: ignore[no-untyped-def]
    from kg.link.service import PATH, ReconcileRoute
    from kg.serve import Server, free_port

    route = ReconcileRoute(lambda: Reconciler.of_graph(built_sample[1]), cors=True)
    with Server(built_sample[1], port=free_port(), writable=writable, cors=True, routes={PATH: route}) as server:
        _, answer, headers = _openrefine(server.url)
        assert answer["q1"]["result"][0]["id"] == "place/lyon" and headers["Access-Control-Allow-Origin"] == "*"
        preflight = urllib.request.Request(server.url + PATH, method="OPTIONS", headers={
            "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
        with urllib.request.urlopen(preflight, timeout=10) as r:
            assert r.status == 204 and "POST" in r.headers["Access-Control-Allow-Methods"]
        query = urllib.request.Request(server.query_url + "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}),
                                       headers={"Origin": "https://example.org"})
        with urllib.request.urlopen(query, timeout=10) as r:
            assert r.headers["Access-Control-Allow-Origin"] in ("*", "https://example.org")
            assert json.loads(r.read())["boolean"] is True
        if writable:  # Oxigraph behind the front still takes updates
            update = urllib.request.Request(server.url + "/update", method="POST", headers={
                "Content-Type": "application/sparql-update"}, data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }")
            with urllib.request.urlopen(update, timeout=10) as r:
                assert r.status in (200, 204)


@pytest.mark.slow
def test_kg_build_link_writes_the_links_into_the_graph(service, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from rdflib import Graph
    from rdflib.namespace import SKOS

    out = tmp_path / "out"
    main(["build", str(SAMPLE), "--out", str(out), "--formats", "ttl", "--no-html", "--no-cache", "-q",
          "--link", service.url])
    capsys.readouterr()
    g = Graph().parse(out / "graph.ttl")
    linked = {("/".join(str(s).rsplit("/", 2)[-2:]), str(o)) for s, o in g.subject_objects(SKOS.exactMatch)}
    assert linked == {(k, v) for k, v in RECORDED["truth"].items() if v}
    # the build's own graph says which place the studio is named with, as kg link reads it from the RDF
    assert _query_for(service, "Atelier Sillage")["properties"] == [{"pid": "P131", "v": "Lyon"}]
    assert service.languages[0] is None and set(service.languages[1:]) == {"fr"}
    # the build filled the link cache in its folder: kg link decides from it alone, sending nothing
    service.requests.clear()
    main(["link", str(out), "--service", service.url, "--offline", "--format", "json"])
    found = json.loads(capsys.readouterr().out)
    assert service.requests == [] and {r["id"] for r in found["entities"] if r["accepted"]} == {k for k, _ in linked}


# ---- what is sent besides the name: context properties and the language ----------------------------------------

def _query_for(service: FixtureService, text: str) -> dict[str, Any]:
    return next(q for q in service.queries if q["query"] == text)


def test_an_organisation_is_asked_about_with_the_place_it_is_named_with(built_sample, service, tmp_path,
                                                                        capsys) -> None:  # type: ignore[no-untyped-def]
    main(["link", str(built_sample[1]), "--service", service.url, "--cache", str(tmp_path / "c.sqlite"), "--dry-run"])
    capsys.readouterr()
    # "je travaille à Lyon [...] dans un petit studio qui s'appelle Atelier Sillage": Wikidata's P131
    assert _query_for(service, "Atelier Sillage")["properties"] == [{"pid": "P131", "v": "Lyon"}]
    assert "properties" not in _query_for(service, "Daniel Shiffman")  # kg states no occupation
    assert "properties" not in _query_for(service, "Google")  # named with no place
    # the transcript's language, as Accept-Language, with every batch of queries (the manifest came first)
    assert service.languages[0] is None and set(service.languages[1:]) == {"fr"}


def test_properties_follow_the_command_line_and_what_the_manifest_takes(built_sample, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    plain = {"versions": ["0.2"], "name": "A catalogue", "identifierSpace": "https://example.org/id/",
             "schemaSpace": "https://example.org/schema/", "defaultTypes": [{"id": "corp", "name": "Corporate body"}]}
    suggesting = {**plain, "suggest": {"property": {"service_url": "https://example.org", "service_path": "/p"}}}
    cases: list[tuple[dict[str, Any], list[str], Any]] = [
            (WIKIDATA_MANIFEST, ["--property", "place="], None),  # turned off
            (WIKIDATA_MANIFEST, ["--property", "place=P159"], [{"pid": "P159", "v": "Lyon"}]),
            (plain, ["--property", "place=loc"], None),  # a service that takes no properties is sent none
            (suggesting, [], None),  # nor one whose property ids kg is not told
            (suggesting, ["--property", "place=loc"], [{"pid": "loc", "v": "Lyon"}])]
    for manifest, given, expected in cases:
        with FixtureService(RECORDED["candidates"], manifest=manifest) as s:
            main(["link", str(built_sample[1]), "--service", s.url, "--cache", str(tmp_path / f"{id(s)}.sqlite"),
                  "--dry-run", *given])
            assert _query_for(s, "Atelier Sillage").get("properties") == expected, (manifest["name"], given)
    capsys.readouterr()


def test_a_bad_property_option_is_one_line_exit_2(built_sample, capsys) -> None:  # type: ignore[no-untyped-def]
    message = one_line_error(capsys, ["link", str(built_sample[1]), "--service", "http://127.0.0.1:1/api",
                                      "--property", "seat=P159"])
    assert "--property" in message and "place, occupation" in message


def test_a_person_is_asked_about_with_the_occupation_the_curator_gave(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from rdflib import RDF, URIRef

    from kg.model import KnowledgeGraph
    from kg.rdf.build import to_rdf
    from kg.rdf.vocab import DEFAULT_BASE, KGI

    people = (Entity("person/ines-marchand", "Person", "Inès Marchand", occupation="designer"),
              Entity("person/daniel-shiffman", "Person", "Daniel Shiffman"),
              Entity("person/clara-roux", "Person", "Clara Roux", occupation="photographe"))
    build = tmp_path / "build"
    build.mkdir()
    prov = {"time": "2026-01-01T00:00:00Z", "kg_version": "0"}
    g = to_rdf(KnowledgeGraph((), people, prov), base=DEFAULT_BASE)
    interview = URIRef(DEFAULT_BASE + "interview/iv")  # Clara Roux speaks in it: a participant
    g.add((interview, RDF.type, KGI.Interview))
    g.add((interview, KGI.interviewee, URIRef(DEFAULT_BASE + "person/clara-roux")))
    g.serialize(build / "graph.ttl", format="turtle")
    suggesting = {"versions": ["0.2"], "name": "A catalogue", "identifierSpace": "https://example.org/id/",
                  "schemaSpace": "https://example.org/schema/", "defaultTypes": [{"id": "human", "name": "Person"}],
                  "suggest": {"property": {"service_url": "https://example.org", "service_path": "/p"}}}
    cases: list[tuple[dict[str, Any], list[str], Any]] = [
            (WIKIDATA_MANIFEST, [], [{"pid": "P106", "v": "designer"}]),  # the curation's word, read from the RDF
            (WIKIDATA_MANIFEST, ["--property", "occupation="], None),  # turned off
            (WIKIDATA_MANIFEST, ["--property", "occupation=P101"], [{"pid": "P101", "v": "designer"}]),
            (suggesting, [], None),  # a service whose property ids kg is not told
            (suggesting, ["--property", "occupation=job"], [{"pid": "job", "v": "designer"}])]
    for manifest, given, expected in cases:
        with FixtureService(RECORDED["candidates"], manifest=manifest) as s:
            main(["link", str(build), "--service", s.url, "--cache", str(tmp_path / f"{id(s)}.sqlite"), "--dry-run",
                  *given])
            assert _query_for(s, "Inès Marchand").get("properties") == expected, (manifest["name"], given)
            assert "properties" not in _query_for(s, "Daniel Shiffman")  # no occupation given
            # a participant is still never asked about, occupation or not (unless the curation allows it)
            assert not any(q["query"] == "Clara Roux" for q in s.queries)
    capsys.readouterr()


def test_each_entity_is_asked_in_its_interviews_language(service, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kg.link import link_entities

    entities = [Entity("place/lyon", "Place", "Lyon"), Entity("place/montreal", "Place", "Montréal")]
    options = LinkOptions((service.url.replace("/api", "/{lang}/api"),), cache=str(tmp_path / "c.sqlite"), **FAST)
    linked, report = link_entities(entities, options, languages={"place/lyon": "fr", "place/montreal": "en"})
    asked = sorted(zip(service.paths, service.languages, strict=True), key=lambda pl: (pl[0], pl[1] or ""))
    assert asked == [("/en/api", None), ("/en/api", "en"), ("/fr/api", None), ("/fr/api", "fr")]  # manifest, queries
    assert [m.iri for e in linked for m in e.matches] == [WD + "Q456", WD + "Q340"] and not report.failed


# ---- kg link writes into the build ------------------------------------------------------------------------------

@pytest.fixture()
def build_copy(built_sample, tmp_path):  # type: ignore[no-untyped-def]
    """A copy of the sample's build (every RDF format and the page), for a test to rewrite."""
    import shutil

    return Path(shutil.copytree(built_sample[1], tmp_path / "build"))


def _exact(path: Path) -> set[tuple[str, str]]:
    from rdflib import Dataset, Graph
    from rdflib.namespace import SKOS

    g: Graph = Dataset() if path.suffix in (".nq", ".trig") else Graph()
    g.parse(path)
    triples = g.quads((None, SKOS.exactMatch, None, None)) if isinstance(g, Dataset) else \
        ((s, p, o, None) for s, p, o in g.triples((None, SKOS.exactMatch, None)))
    return {("/".join(str(s).rsplit("/", 2)[-2:]), str(o)) for s, _, o, _ in triples}


def test_kg_link_writes_the_links_into_every_file_of_the_build(build_copy, service, capsys) -> None:  # type: ignore[no-untyped-def]
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from kg.rdf.vocab import KGI

    before = _exact(build_copy / "graph.ttl")
    unlinked = set(Graph().parse(build_copy / "graph.nt", format="nt"))
    main(["link", str(build_copy), "--service", service.url])
    out = capsys.readouterr().out
    # nothing else changed: the graph less the links and match nodes is the build's, triple for triple
    after = Graph().parse(build_copy / "graph.nt", format="nt")
    matches = set(after.objects(None, KGI.acceptedMatch)) | set(after.objects(None, KGI.suggestedMatch))
    targets = {str(o) for _, o in after.subject_objects(KGI.matchTarget)}
    rest = {t for t in after if t[0] not in matches and t[1] not in (KGI.acceptedMatch, KGI.suggestedMatch)
            and not (t[1] == SKOS.exactMatch and str(t[2]) in targets)}
    assert rest == unlinked and matches
    assert "wrote       graph.html, graph.jsonld, graph.nq, graph.nt, graph.trig, graph.ttl" in out
    accepted = {(k, v) for k, v in RECORDED["truth"].items() if v}
    for name in ("graph.ttl", "graph.nt", "graph.nq", "graph.trig", "graph.jsonld"):
        assert _exact(build_copy / name) == before | accepted, name
    g = Graph().parse(build_copy / "graph.ttl")
    karim = URIRef_of(g, "person/karim-benali")
    assert [str(g.value(m, KGI.matchTarget)) for m in g.objects(karim, KGI.suggestedMatch)]
    assert f'"links":["{WD}Q456"]' in (build_copy / "graph.html").read_text(encoding="utf-8")
    main(["validate", str(build_copy)])  # the SHACL shapes of the matches hold
    capsys.readouterr()
    # again from the cache alone: the same links, so the files are left as they are
    service.requests.clear()
    stamps = {p.name: p.stat().st_mtime_ns for p in build_copy.iterdir()}
    main(["link", str(build_copy), "--service", service.url, "--offline"])
    assert "unchanged   " in capsys.readouterr().out
    assert service.requests == [] and {p.name: p.stat().st_mtime_ns for p in build_copy.iterdir()} == stamps
    g2 = Graph().parse(build_copy / "graph.ttl")
    assert len(list(g2.objects(karim, KGI.suggestedMatch))) == len(list(g.objects(karim, KGI.suggestedMatch)))
    # a curator's rejection, decided again from the same answers, takes the link out of the files
    curation = build_copy / "curation.yaml"
    curation.write_text(f'reject_link: {{place/lyon: "{WD}Q456"}}\n', encoding="utf-8")
    main(["link", str(build_copy), "--service", service.url, "--offline", "--curation", str(curation)])
    capsys.readouterr()
    assert _exact(build_copy / "graph.ttl") == before | (accepted - {("place/lyon", WD + "Q456")})


def URIRef_of(g: Any, entity_id: str) -> Any:  # noqa: N802 (reads as the rdflib term it returns)
    return next(s for s in g.subjects() if str(s).endswith("/" + entity_id))


def test_a_failing_service_leaves_the_build_files_as_they_were(build_copy, service, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    main(["link", str(build_copy), "--service", service.url])  # links written
    capsys.readouterr()
    files = {p.name: p.read_bytes() for p in build_copy.iterdir() if p.name.startswith("graph.")}
    service.broken_json = True  # the manifest comes, then every answer breaks off
    main(["link", str(build_copy), "--service", service.url, "--cache", str(tmp_path / "cold.sqlite")])
    captured = capsys.readouterr()
    assert "left as they were" in captured.err and "wrote" not in captured.out
    main(["link", str(build_copy), "--service", f"http://127.0.0.1:{_closed_port()}/api", "--timeout", "0.5"])
    assert "left as they were" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in build_copy.iterdir() if p.name.startswith("graph.")} == files
    assert not [p for p in build_copy.iterdir() if p.name.endswith(".tmp")]


def test_kg_link_refuses_a_public_edition(build_copy, service, capsys) -> None:  # type: ignore[no-untyped-def]
    with (build_copy / "graph.nt").open("a", encoding="utf-8") as nt:  # what kg build --consent states
        nt.write('<https://w3id.org/kg-interviews/data/build/x> <http://purl.org/dc/terms/accessRights> "Public" .\n')
    before = (build_copy / "graph.ttl").read_bytes()
    message = one_line_error(capsys, ["link", str(build_copy), "--service", service.url])
    assert "public edition" in message and "--consent" in message
    assert service.requests == [] and (build_copy / "graph.ttl").read_bytes() == before


def test_kg_link_killed_while_asking_leaves_the_build_files_whole(build_copy, service) -> None:  # type: ignore[no-untyped-def]
    files = {p.name: p.read_bytes() for p in build_copy.iterdir() if p.name.startswith("graph.")}
    service.delay = 0.3
    proc = subprocess.Popen([sys.executable, "-m", "kg", "link", str(build_copy), "--service", service.url,
                             "--concurrency", "1"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not any(n for _, n in service.requests) and time.monotonic() < deadline:  # a batch is being asked
            time.sleep(0.05)
        assert proc.poll() is None, "kg link ended before it was killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=15)
    assert {p.name: p.read_bytes() for p in build_copy.iterdir() if p.name.startswith("graph.")} == files
    assert not [p for p in build_copy.iterdir() if p.name.endswith(".tmp")]
