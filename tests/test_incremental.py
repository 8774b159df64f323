"""Incremental builds: an unchanged transcript is neither parsed, extracted nor rendered again,
and the bytes a rebuild copies from the last build are the bytes a full render gives."""

from __future__ import annotations

import io
import multiprocessing
import threading
from functools import partial
from pathlib import Path

import pytest
from helpers import page_walks, snapshot

import kg.page.parts
import kg.pipeline.executors
import kg.rdf.write
from kg.model import KnowledgeGraph
from kg.pipeline import BuildConfig, build, write_outputs
from kg.rdf.reuse import INDEX
from kg.rdf.write import write_graph

FORMATS = ("ttl", "jsonld", "nt", "trig", "nq")


def _count_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[object]:
    calls: list[object] = []
    original = getattr(owner, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args[1] if owner is kg.rdf.write.RdfWriter else args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def _outputs(folder: Path) -> dict[str, bytes]:
    return snapshot(folder, [f"graph.{fmt}" for fmt in FORMATS])


def _built(corpus: Path, tmp_path: Path) -> tuple[BuildConfig, Path, KnowledgeGraph]:
    """A first build of ``corpus`` into ``tmp_path / "out"`` (cache beside it, no page): config, folder, graph."""
    config = BuildConfig(cache_dir=str(tmp_path / "cache"), html=False, formats=FORMATS)
    out = tmp_path / "out"
    graph = build([corpus], config)
    write_outputs(graph, out, config)
    return config, out, graph


def test_a_rebuild_parses_and_renders_only_the_changed_transcript(corpus: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    config = BuildConfig(cache_dir=str(tmp_path / "cache"), html=False, formats=FORMATS)
    out = tmp_path / "out"
    write_outputs(build([corpus], config), out, config)
    assert (out / INDEX).is_file()

    changed = corpus / "en-qa.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nQ: One last word?\n\nA: Merci.\n", encoding="utf-8")
    reads = _count_calls(monkeypatch, kg.pipeline.executors, "read_transcript")
    renders = _count_calls(monkeypatch, kg.rdf.write.RdfWriter, "render")
    graph = build([corpus], config)
    write_outputs(graph, out, config)

    assert reads == [changed]  # the five others came from the cache by the hash of their bytes
    # the default graph (entities, provenance) and the changed interview; the rest was copied
    assert renders == [None, f"{config.base_iri}interview/en-qa"]
    fresh = tmp_path / "fresh"
    write_outputs(graph, fresh, config)  # no index there: everything rendered
    assert _outputs(out) == _outputs(fresh)


def test_fewer_formats_after_a_full_build_copy_instead_of_rendering(corpus: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Switching a large corpus to --formats ttl must not render it all again: its Turtle bytes are there."""
    config, out, graph = _built(corpus, tmp_path)
    renders = _count_calls(monkeypatch, kg.rdf.write.RdfWriter, "render")
    fewer = BuildConfig(cache_dir=str(tmp_path / "cache"), html=False, formats=("ttl", "nq"))
    write_outputs(graph, out, fewer)
    # only the default graph (its parts around the speaker totals, which are written as text); every interview's
    # bytes were copied
    assert renders and set(renders) == {None}
    fresh = tmp_path / "fresh"
    write_outputs(graph, fresh, fewer)
    for name in ("graph.ttl", "graph.nq"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes()
    renders.clear()
    write_outputs(graph, out, config)  # and back to all five: three formats are missing, so all is rendered
    assert len(renders) == 1 + len(graph.interviews)
    full = tmp_path / "full"
    write_outputs(graph, full, config)
    assert _outputs(out) == _outputs(full)


def test_an_output_edited_since_the_last_build_is_not_copied_from(corpus: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    config, out, graph = _built(corpus, tmp_path)
    with open(out / "graph.nt", "ab") as fh:
        fh.write(b"# edited by hand\n")
    renders = _count_calls(monkeypatch, kg.rdf.write.RdfWriter, "render")
    write_outputs(graph, out, config)
    assert len(renders) == 1 + len(graph.interviews)
    fresh = tmp_path / "fresh"
    write_outputs(graph, fresh, config)
    assert _outputs(out) == _outputs(fresh)


def test_interviews_rendered_by_worker_processes_give_the_same_bytes(corpus: Path) -> None:
    graph = build([corpus], BuildConfig(html=False))
    assert len(graph.interviews) >= 4  # enough for two workers to share
    results = []
    threads: list[tuple[int, bool, int]] = []

    def beside(jobs: int) -> None:
        main = threading.current_thread() is threading.main_thread()
        threads.append((jobs, main, len(multiprocessing.active_children())))

    for jobs in (1, 2):
        sinks = {fmt: io.BytesIO() for fmt in FORMATS}
        index = write_graph(graph, sinks, base="https://example.org/kg/", jobs=jobs, meanwhile=partial(beside, jobs))
        results.append(({fmt: s.getvalue() for fmt, s in sinks.items()}, index))
    assert results[0] == results[1]
    # the other work runs once each time: beside the writing in one process; when workers are forked,
    # after them, once they have exited (their memory and its own must not add up)
    assert threads == [(1, False, 0), (2, True, 0)]
    # the index says where each interview's bytes are: they start with its own node
    data, index = results[0]
    assert len(index) == len(graph.interviews)
    for ranges in index.values():
        start, length = ranges["nt"]
        assert data["nt"][start:start + length].startswith(b"<https://example.org/kg/interview/")


def test_an_index_pointing_past_the_end_of_a_file_is_one_error_and_changes_nothing(corpus: Path,
                                                                                    tmp_path: Path) -> None:
    import json

    from kg.errors import OutputError

    config = BuildConfig(cache_dir=str(tmp_path / "cache"), html=False, formats=FORMATS)
    out = tmp_path / "out"
    graph = build([corpus], config)
    write_outputs(graph, out, config)
    before = _outputs(out)
    index = json.loads((out / INDEX).read_text(encoding="utf-8"))
    for ranges in index["chunks"].values():
        ranges["nt"][0] += 10**9  # the sizes and times still match: only the ranges lie
    (out / INDEX).write_text(json.dumps(index), encoding="utf-8")
    with pytest.raises(OutputError, match="shorter than .kg-index.json says"):
        write_outputs(graph, out, config)
    assert _outputs(out) == before
    assert not list(out.glob(".*.tmp"))


def test_a_rebuild_draws_the_page_beside_the_rdf_copy_and_gives_the_fresh_bytes(corpus: Path, tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """With an index, the page is drawn beside the RDF writing (in a forked process), from the parts of the page
    the last build kept for the unchanged interviews: the same files as a build from nothing."""
    config = BuildConfig(cache_dir=str(tmp_path / "cache"), formats=FORMATS)
    out = tmp_path / "out"
    write_outputs(build([corpus], config), out, config)
    changed = corpus / "en-qa.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nQ: And Processing?\n\nA: Processing, always.\n",
                       encoding="utf-8")
    graph = build([corpus], config)
    walked = page_walks(monkeypatch, tmp_path / "walks")
    write_outputs(graph, out, config)
    # the page's parts of the other interviews came from the last build's .kg-page.json
    assert walked() == ["en-qa"]
    fresh = tmp_path / "fresh"
    write_outputs(graph, fresh, config)
    assert len(walked()) == 1 + len(graph.interviews)  # no parts there: every interview walked
    for name in ("graph.html", "summary.json", *(f"graph.{fmt}" for fmt in FORMATS)):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
    assert "Processing, always." in (out / "graph.html").read_text(encoding="utf-8")


def test_a_page_that_fails_in_its_thread_fails_the_build_and_keeps_the_last_outputs(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.page.render

    config = BuildConfig(cache_dir=str(tmp_path / "cache"), formats=FORMATS)
    out = tmp_path / "out"
    graph = build([corpus], config)
    write_outputs(graph, out, config)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def broken(*_: object, **__: object) -> str:
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(kg.page.render, "render_parts", broken)
    with pytest.raises(RuntimeError, match="drawing failed"):
        write_outputs(graph, out, config)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before  # no temporary file left either


def test_a_failed_write_goes_up_at_once_without_waiting_for_the_work_beside_it(corpus: Path) -> None:
    """Ctrl-C or a full disk must not wait for the page to be drawn: the error is raised while it still runs."""
    import errno
    import time

    graph = build([corpus], BuildConfig(html=False))

    class Full(io.BytesIO):
        def write(self, data: bytes) -> int:  # type: ignore[override]
            if self.tell() + len(data) > 4096:
                raise OSError(errno.ENOSPC, "No space left on device")
            return super().write(data)

    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(OSError, match="No space"):
        write_graph(graph, {"nt": Full()}, base="https://example.org/kg/", jobs=1,
                    meanwhile=lambda: release.wait(60))
    assert time.monotonic() - started < 30
    assert not release.is_set()  # the work beside was still running when the error came up
    release.set()


def _links(graph: KnowledgeGraph) -> dict[str, set[tuple[int, int, str]]]:
    """Interview id -> its mentions' offsets and the entity each resolved to."""
    links: dict[str, set[tuple[int, int, str]]] = {iv.id: set() for iv in graph.interviews}
    for e in graph.entities:
        for r in e.mentions:
            links[r.interview].add((r.mention.start, r.mention.end, e.id))
    return links


def test_a_curation_edit_renders_only_the_interviews_it_reaches(corpus: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Curation is iterative: dropping one entity must not render the whole corpus again, and a rename or a
    retype only changes the entities' part of the graph; the files are still a fresh render's bytes."""
    config = BuildConfig(cache_dir=str(tmp_path / "cache"), formats=FORMATS)
    out = tmp_path / "out"
    before = build([corpus], config)
    write_outputs(before, out, config)
    curation = tmp_path / "curation.yaml"
    curation.write_text("ignore: [concept/dataset]\nrename: {tool/python: CPython}\n"
                        "retype: {concept/fonte-variable: Tool}\nmerge:\n  - into: concept/archive\n"
                        "    from: [concept/enregistrement]\n"
                        "same_as: {tool/github: 'http://www.wikidata.org/entity/Q364'}\n"
                        "authority: {tool/github: 'https://www.wikidata.org/wiki/Q364'}\n"
                        "checked: [concept/archive, tool/github]\n", encoding="utf-8")
    curated = BuildConfig(cache_dir=str(tmp_path / "cache"), curation=str(curation), formats=FORMATS)
    graph = build([corpus], curated)
    reached = sorted(iid for iid, links in _links(graph).items() if links != _links(before)[iid])
    assert reached and len(reached) < len(graph.interviews), reached
    renders = _count_calls(monkeypatch, kg.rdf.write.RdfWriter, "render")
    walked = page_walks(monkeypatch, tmp_path / "walks")
    write_outputs(graph, out, curated)
    assert renders == [None] + [f"{config.base_iri}interview/{iid}" for iid in reached]
    assert sorted(walked()) == reached
    fresh = tmp_path / "fresh"
    write_outputs(graph, fresh, curated)
    for name in ("graph.html", "summary.json", *(f"graph.{fmt}" for fmt in FORMATS)):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
    assert b"CPython" in (out / "graph.ttl").read_bytes() and b"entity/Q364" in (out / "graph.ttl").read_bytes()
    assert b"wiki/Q364" in (out / "graph.ttl").read_bytes(), "authority links and checks only touch the entities"
