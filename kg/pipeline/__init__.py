"""The whole job, top to bottom: ingest -> extract -> resolve -> (rdf, html) outputs.

``build(paths, config)`` returns a `KnowledgeGraph`; ``write_outputs`` writes
it; ``build_into`` does both unless the outputs are already this build's.
All are silent: progress and warnings go to the callbacks the caller passes
(the CLI renders them).

The parts: `options` (the build's options and which of them each record
hashes), `extraction` (the cache and the plan of what to extract),
`executors` (where extraction runs), `provenance`, `outputs` and `aside`
(work that only computes, such as the page, run in a forked process meanwhile).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..extract import Extractor, extractor_fingerprint, make_extractor
from ..extract.vocabulary import load_vocabulary
from ..files import check_output_folder
from ..ingest import discover
from ..media import attach_media
from ..memory import rare_collections
from ..model import KnowledgeGraph
from ..resolve import resolve
from ..storefeed import Fed, StoreFeed
from .collector import settle, settling
from .executors import EXECUTORS, check_executor
from .extraction import Progress, Warn, extract_files, ignore, read_corpus, transcripts, unique_ids
from .options import RDF_FORMATS, BuildConfig, output_options, parse_formats
from .outputs import stamped_summary, summary, write_outputs
from .provenance import provenance

__all__ = [
    "EXECUTORS", "RDF_FORMATS", "BuildConfig", "BuildResult", "Progress", "Warn", "build", "build_into",
    "check_executor", "parse_formats", "read_corpus", "summary", "write_outputs",
]


@dataclass(frozen=True)
class BuildResult:
    """What `build_into` did: the outputs' summary and files, and whether it kept the last build's as they were."""

    summary: dict[str, object]
    paths: dict[str, Path]
    up_to_date: bool = False
    graph: KnowledgeGraph | None = None
    """The graph built; None when the outputs were up to date (nothing was built)."""


def build(paths: Sequence[str | Path], config: BuildConfig = BuildConfig(), *, extractor: Extractor | None = None,
          warn: Warn = ignore, progress: Progress = ignore) -> KnowledgeGraph:
    """Build the knowledge graph of the transcripts at ``paths`` (files or folders)."""
    check_executor(config)
    files = transcripts(paths, warn)
    vocabulary = load_vocabulary(tuple(config.vocabularies))
    extractor = extractor or make_extractor(config.ner, model=config.model, vocabulary=vocabulary,
                                           device=config.device, batch_size=config.batch_size)
    with rare_collections(), settling():
        extracted = unique_ids(extract_files(files, extractor, config, warn=warn, progress=progress))
        extracted = attach_media(extracted, config.media, warn=warn)
        settle()  # the interviews live as long as the build: the collector stops walking them
        entities = resolve(extracted, vocabulary)
        settle()
        curated: dict[str, str] = {}
        if config.curation:
            from ..curation import curate

            entities, curated = curate(entities, config.curation, warn=warn)
    graph = KnowledgeGraph(tuple(extracted), entities, {**provenance(extracted, config, extractor), **curated})
    if config.link:
        from ..link import link_build

        graph = link_build(graph, config, warn=warn)
    return graph


def build_into(paths: Sequence[str | Path], out: str | Path, config: BuildConfig = BuildConfig(), *,
               force: bool = False, extractor: Extractor | None = None, warn: Warn = ignore,
               progress: Progress = ignore) -> BuildResult:
    """`build` and `write_outputs` into ``out``, unless its build stamp says the outputs there are this build's.

    What ``kg build`` runs.  The stamp (`kg.stamp`) is checked before any
    model loads, and written after the outputs; when it matches, nothing is
    written and the last build's warnings are said again through ``warn``
    (its inputs are these).  ``force`` builds anyway (and stamps).
    """
    from .. import stamp

    out = Path(out)
    check_output_folder(out)
    options = output_options(config)
    if options is not None and extractor is not None:  # one passed in code: what it brings, or never skipped
        own = extractor_fingerprint(extractor)
        options = {**options, "extractor": own} if own is not None else None
    key = stamp.stamp_key(discover(paths), options) if options is not None else None
    last = None if force else stamp.current(out, key)
    if last is not None and (kept := stamped_summary(out)) is not None:
        for message in last.warnings:
            warn(message)
        if config.store:
            _update_store(out, warn, progress)  # at once when the store is the build's (it may have been deleted)
        return BuildResult(kept, {name: out / name for name in last.files}, up_to_date=True)
    said: list[str] = []  # what the inputs gave rise to: said again by a later build that stops at the stamp

    def warn_input(message: str) -> None:
        said.append(message)
        warn(message)

    with settling():  # what the build sets aside stays so while its outputs are written
        graph = build(paths, config, extractor=extractor, warn=warn_input, progress=progress)
        stamp.forget(out)
        feed = StoreFeed(out, config.formats) if config.store else None  # a store loaded whole is fed while written
        try:
            written = write_outputs(graph, out, config, warn=warn, follower=feed)
        except BaseException:
            if feed is not None:
                feed.abandon()
            raise
    if config.store:
        _update_store(out, warn, progress, feed.finish() if feed is not None else None)
    if key is not None:
        stamp.write_stamp(out, key, [p.name for p in written.values()], said)
    return BuildResult(summary(graph), written, graph=graph)


def _update_store(out: Path, warn: Warn, progress: Progress, fed: Fed | None = None) -> None:
    """Bring the query store (`kg.store`) up to date with the files just written (``fed`` while they were
    written, `kg.storefeed`); a failure is a warning, since the files are written and ``kg query`` loads the
    store again from them."""
    from ..errors import GraphError, OutputError
    from ..store import sync_store

    progress("store", 0, 1)
    try:
        sync_store(out, warn=warn, fed=fed)
    except (OutputError, GraphError) as e:
        warn(str(e))
    progress("store", 1, 1)
