"""The whole job, top to bottom: ingest -> extract -> resolve -> (rdf, html) outputs.

``build(paths, config)`` returns a `KnowledgeGraph`; ``write_outputs`` writes
it.  Both are silent: progress and warnings go to the callbacks the caller
passes (the CLI renders them).
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from . import __version__
from .errors import KgError, OutputError
from .extract import Extractor, make_extractor
from .extract.vocabulary import DEFAULT_VOCABULARY, load_vocabulary
from .ingest import discover, read_transcript
from .memory import rare_collections
from .model import Interview, KnowledgeGraph
from .resolve import resolve

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total)."""
Warn = Callable[[str], None]


LARGE_CORPUS = 100
"""From this many transcripts, extraction frees the NER models as soon as it is done, even in this process."""
RDF_FORMATS = ("ttl", "jsonld", "nt", "trig", "nq")
"""Every RDF format a build can write, as ``graph.<format>``, in the order they are written."""


@dataclass(frozen=True)
class BuildConfig:
    """Options of a build; fields map one-to-one onto ``kg build`` options."""

    format: str | None = None
    language: str | None = None
    model: str | None = None
    ner: str | None = None
    # where and how fast the NER runs, not what it finds: kept out of repr, hence out of the build id
    device: str | None = field(default=None, repr=False)
    batch_size: int | None = field(default=None, repr=False)
    vocabularies: tuple[str, ...] = (str(DEFAULT_VOCABULARY),)
    curation: str | None = None
    base_iri: str = "https://w3id.org/kg-interviews/data/"
    strict: bool = False
    html: bool = True
    jobs: int = 1
    # where extraction runs ("local" or "dask") and on which Dask scheduler: the same graph either way,
    # not in the build id
    executor: str = field(default="local", repr=False)
    scheduler: str | None = field(default=None, repr=False)
    cache_dir: str | None = None
    formats: tuple[str, ...] = RDF_FORMATS
    """RDF files written; all by default."""


def parse_formats(text: str) -> tuple[str, ...]:
    """The formats of a ``--formats`` value, in `RDF_FORMATS` order; one line naming the bad one otherwise.

    Examples:
        >>> parse_formats("nq, ttl,ttl")
        ('ttl', 'nq')
    """
    from .errors import UnknownNameError

    asked = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    unknown = [f for f in asked if f not in RDF_FORMATS]
    if unknown:
        raise UnknownNameError(f"unknown RDF format {unknown[0]!r} in --formats; use any of: {', '.join(RDF_FORMATS)}")
    if not asked:
        raise UnknownNameError(f"--formats names no format; use one or more of: {', '.join(RDF_FORMATS)}")
    return tuple(f for f in RDF_FORMATS if f in asked)


@dataclass(frozen=True)
class BuildResult:
    """What `build_into` did: the outputs' summary and files, and whether it kept the last build's as they were."""

    summary: dict[str, object]
    paths: dict[str, Path]
    up_to_date: bool = False
    graph: KnowledgeGraph | None = None
    """The graph built; None when the outputs were up to date (nothing was built)."""


def _noop(*_: object) -> None:
    return None


def read_corpus(paths: Iterable[str | Path], config: BuildConfig, *, warn: Warn = _noop,
                progress: Progress = _noop) -> list[Interview]:
    """Read every transcript (no extraction); a bad file is skipped with a warning unless ``config.strict``."""
    files = discover(paths)
    interviews: list[Interview] = []
    errors: list[KgError] = []
    for n, path in enumerate(files, start=1):
        try:
            interviews.append(read_transcript(path, format=config.format, language=config.language))
        except KgError as e:
            if config.strict or len(files) == 1:
                raise
            errors.append(e)
            warn(f"skipped: {e}")
        progress("read", n, len(files))
    _report_reading(interviews, warn)
    if not interviews:
        raise errors[0] if errors else KgError("no transcripts to build from")
    return _unique_ids(interviews)


def _unique_ids(interviews: list[Interview]) -> list[Interview]:
    seen: dict[str, int] = {}
    out = []
    for iv in interviews:
        n = seen.get(iv.id, 0)
        seen[iv.id] = n + 1
        suffix = hashlib.sha256(iv.source_path.encode()).hexdigest()[:6]
        out.append(iv if n == 0 else replace(iv, id=f"{iv.id}-{suffix}"))
    return out


def build(paths: Sequence[str | Path], config: BuildConfig = BuildConfig(), *, extractor: Extractor | None = None,
          warn: Warn = _noop, progress: Progress = _noop) -> KnowledgeGraph:
    """Build the knowledge graph of the transcripts at ``paths`` (files or folders)."""
    check_executor(config)
    files = discover(paths)
    vocabulary = load_vocabulary(tuple(config.vocabularies))
    extractor = extractor or make_extractor(config.ner, model=config.model, vocabulary=vocabulary,
                                           device=config.device, batch_size=config.batch_size)
    with rare_collections():
        extracted = _unique_ids(extract_files(files, extractor, config, warn=warn, progress=progress))
        entities = resolve(extracted, vocabulary)
        if config.curation:
            from .curation import apply_curation, load_curation

            entities = apply_curation(entities, load_curation(config.curation), warn=warn)
    return KnowledgeGraph(tuple(extracted), entities, _provenance(extracted, config, extractor))


def build_into(paths: Sequence[str | Path], out: str | Path, config: BuildConfig = BuildConfig(), *,
               force: bool = False, extractor: Extractor | None = None, warn: Warn = _noop,
               progress: Progress = _noop) -> BuildResult:
    """`build` and `write_outputs` into ``out``, unless its build stamp says the outputs there are this build's.

    What ``kg build`` runs.  The stamp (`kg.stamp`) is checked before any
    model loads, and written after the outputs; when it matches, nothing is
    written and the last build's warnings are said again through ``warn``
    (its inputs are these).  ``force`` builds anyway (and stamps).
    """
    from . import stamp

    out = Path(out)
    check_output_folder(out)
    options = stamp_options(config)
    key = stamp.stamp_key(discover(paths), options) if options is not None else None
    last = None if force else stamp.current(out, key)
    if last is not None and (kept := _stamped_summary(out)) is not None:
        for message in last.warnings:
            warn(message)
        return BuildResult(kept, {name: out / name for name in last.files}, up_to_date=True)
    said: list[str] = []  # what the inputs gave rise to: said again by a later build that stops at the stamp

    def warn_input(message: str) -> None:
        said.append(message)
        warn(message)

    graph = build(paths, config, extractor=extractor, warn=warn_input, progress=progress)
    stamp.forget(out)
    written = write_outputs(graph, out, config, warn=warn)
    if key is not None:
        stamp.write_stamp(out, key, [p.name for p in written.values()], said)
    return BuildResult(summary(graph), written, graph=graph)


def _stamped_summary(out: Path) -> dict[str, object] | None:
    """The summary.json a stamped build wrote, if it reads as one."""
    try:
        found = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and {"interviews", "entities", "entity_count"} <= found.keys() else None


def extract_files(files: list[Path], extractor: Extractor, config: BuildConfig, *,
                  warn: Warn = _noop, progress: Progress = _noop) -> list[Interview]:
    """Read and extract every file, in order, reusing cached results and spreading the rest over ``config.jobs``.

    A cached file is not even parsed: its entry is found by the hash of its
    bytes (`source_key`), so a rebuild of a large corpus costs a hash per
    file.  The rest is read *and* extracted by the workers, so that reading
    runs in parallel too.  When a few files changed in a large cached corpus,
    they are extracted in worker processes *while* this process loads the
    cached ones (`_extracted_beside`).  A bad file is skipped with a warning
    unless ``config.strict`` (or it is the only one).  Cache entries no build
    has used for `UNUSED_DAYS` are removed at the end.
    """
    from .cache import UNUSED_DAYS, ExtractionCache, extraction_fingerprint, file_digest, source_key

    cache = ExtractionCache(config.cache_dir) if config.cache_dir else None
    fp = extraction_fingerprint(__version__, *(file_digest(v) for v in config.vocabularies),
                                repr((config.format, config.language, config.ner, config.model)))
    models: dict[str, str] = {}

    def model_of(language: str | None) -> str:
        lang = language or "fr"
        if lang not in models:
            models[lang] = extractor.name_for(lang) + " " + extractor.model_version(lang)
        return models[lang]

    results: list[Interview | None] = [None] * len(files)
    keys = [source_key(path, fp) if cache is not None else None for path in files]
    stored = [cache is not None and key is not None and cache.path(key).is_file() for key in keys]
    missing = [i for i, hit in enumerate(stored) if not hit]
    beside = missing if config.executor == "local" and 0 < len(missing) <= BESIDE_UP_TO \
        and len(files) - len(missing) >= LARGE_CORPUS else []
    if config.strict:
        for i in beside:  # --strict fails on the first bad file before any extraction starts or anything is cached
            read_transcript(files[i], format=config.format, language=config.language)
    errors: list[KgError] = []
    done = 0

    def take(i: int, outcome: Interview | KgError) -> None:
        nonlocal cache, done
        done += 1
        progress("extract", done, len(files))
        if isinstance(outcome, KgError):
            if config.strict or len(files) == 1:
                raise outcome
            errors.append(outcome)
            warn(f"skipped: {outcome}")
            return
        results[i] = outcome
        key = keys[i]
        if cache is not None and key is not None:
            try:
                cache.put(key, outcome, model_of(outcome.language))
            except OSError as e:
                warn(f"cannot write the cache ({e.strerror}); building without it")
                cache = None

    with _extracted_beside(extractor, [files[i] for i in beside], config) as extracted:
        for i, path in enumerate(files):
            key = keys[i]
            if cache is not None and key is not None and stored[i]:
                try:
                    results[i] = cache.get(key, model_of)
                except ValueError as e:
                    warn(f"{e}; extracting {path} again")
                    cache.discard(key)
                if results[i] is not None:
                    done += 1
            progress("read", i + 1, len(files))
        if done:
            progress("extract", done, len(files))
        for i, outcome in zip(beside, extracted(), strict=True):
            take(i, outcome)
    started = set(beside)
    todo = [i for i, r in enumerate(results) if r is None and i not in started]
    if config.strict:
        for i in todo:  # the rest: many new files, or entries found unusable while loading
            read_transcript(files[i], format=config.format, language=config.language)
    in_process = config.executor == "local" and (config.jobs <= 1 or len(todo) < 2)
    for i, outcome in zip(todo, _run(extractor, [files[i] for i in todo], config), strict=True):
        take(i, outcome)
    if in_process and todo and len(files) >= LARGE_CORPUS:
        # a rebuild of a large corpus that extracted a few files here: the models (0.4 GB) would stay
        # loaded through the output stage, which holds the whole corpus (workers release their own)
        release = getattr(extractor, "release", None)
        if release is not None:
            release()
    interviews = [r for r in results if r is not None]
    _report_reading(interviews, warn)
    if not interviews:
        raise errors[0] if errors else KgError("no transcripts to build from")
    if cache is not None:
        cache.prune(UNUSED_DAYS)  # entries of earlier kg versions and options: never read again
    return interviews


BESIDE_UP_TO = 8
"""Up to this many changed files in a cached corpus of `LARGE_CORPUS` or more are extracted beside the cache loading."""


@contextmanager
def _extracted_beside(extractor: Extractor, files: list[Path],
                      config: BuildConfig) -> Iterator[Callable[[], Iterator[Interview | KgError]]]:
    """Start extracting ``files`` in worker processes now; yield a function giving their outcomes, in order.

    The caller loads the cached interviews meanwhile: at 1,000 interviews
    that is 7 to 8 s of this process's time, which the changed interview's
    extraction (model load included, 15 s or so) no longer waits behind.
    The workers are forked before this process starts any work of its own,
    and load their own models (at most ``jobs`` of them, for a handful of
    files: the memory of a rebuild stays that of the cache plus a model or two).
    """
    if not files:
        yield lambda: iter(())
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=max(1, min(config.jobs, len(files))),
                             mp_context=multiprocessing.get_context(method),
                             initializer=_init_worker, initargs=(extractor, config)) as pool:
        futures = [pool.submit(_extract_in_worker, path) for path in files]
        yield lambda: (f.result() for f in futures)


def _report_reading(interviews: list[Interview], warn: Warn) -> None:
    """Each interview's reading warnings, with language detections summed up in one line."""
    detected: list[str] = []
    for iv in interviews:
        for w in iv.warnings:
            if w.startswith("language detected"):
                detected.append(iv.language or "?")
            else:
                warn(f"{iv.source_path}: {w}")
    if detected:
        counts = ", ".join(f"{lang}: {detected.count(lang)}" for lang in sorted(set(detected)))
        warn(f"language detected for {len(detected)} transcript(s) ({counts}); set it in their metadata or with --lang")


def _read_and_extract(extractor: Extractor, path: Path, config: BuildConfig) -> Interview | KgError:
    try:
        iv = read_transcript(path, format=config.format, language=config.language)
    except KgError as e:
        return e
    return next(iter(extractor([iv])))


EXECUTORS = ("local", "dask")
DASK_HINT = "pip install 'kg[dask]'"


def check_executor(config: BuildConfig) -> None:
    """Fail in one line, before any model loads, on an unknown executor or a missing Dask."""
    from .errors import UnknownNameError

    if config.executor not in EXECUTORS:
        raise UnknownNameError(f"unknown executor {config.executor!r}; use --executor with one of: "
                               f"{', '.join(EXECUTORS)}")
    if config.scheduler and config.executor != "dask":
        raise UnknownNameError(f"--scheduler {config.scheduler} needs --executor dask")
    if config.executor == "dask":
        import importlib.util

        if importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None:
            raise KgError(f"--executor dask needs Dask and its distributed scheduler: {DASK_HINT}")


def _run(extractor: Extractor, files: list[Path], config: BuildConfig) -> Iterator[Interview | KgError]:
    """Each file read and extracted, in order: here, by ``jobs`` worker processes (one model load each) or on Dask."""
    jobs = config.jobs
    if config.executor == "dask":
        check_executor(config)
        if files:
            yield from _run_dask(extractor, files, config)
        return
    if jobs <= 1 or len(files) < 2:
        for path in files:
            yield _read_and_extract(extractor, path, config)
        return
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    warm = getattr(extractor, "warm", None)
    shared = method == "fork" and warm is not None and len(files) >= 2 * jobs
    if shared and warm is not None:
        # models loaded once here are shared by the forked workers (their weights are never written, so the
        # pages stay shared): about 0.4 GB less per worker than each loading its own, for a few seconds' wait
        from .ingest import SUPPORTED_LANGUAGES

        warm([config.language] if config.language else list(SUPPORTED_LANGUAGES))
        gc.freeze()  # and the workers' garbage collector must not touch (hence copy) what is already here
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                                 initializer=_init_worker, initargs=(extractor, config)) as pool:
            yield from pool.map(_extract_in_worker, files, chunksize=1)
    finally:
        if shared:
            gc.unfreeze()
            release = getattr(extractor, "release", None)
            if release is not None:
                release()


_WORKER: tuple[Extractor, BuildConfig] | None = None


def _init_worker(extractor: Extractor, config: BuildConfig) -> None:
    global _WORKER
    _WORKER = (extractor, config)


def _extract_in_worker(path: Path) -> Interview | KgError:
    assert _WORKER is not None
    return _read_and_extract(_WORKER[0], path, _WORKER[1])


def _run_dask(extractor: Extractor, files: list[Path], config: BuildConfig) -> Iterator[Interview | KgError]:
    """Interviews in order, extracted on a Dask cluster: ``config.scheduler``'s, or a local one of ``jobs`` processes.

    The extractor (options and vocabulary; models live in per-process caches)
    is scattered once to every worker, each of which loads a model on its first
    interview.  Dask schedules; the client keeps a bounded window of tasks in
    flight so that a large archive is neither submitted nor held at once, and
    earlier interviews get a higher priority so that results come back
    roughly in the order they are consumed.
    """
    import logging
    from collections import deque

    import dask
    from distributed import Client, LocalCluster

    if config.scheduler:
        cluster = None
        try:
            client = Client(config.scheduler)  # waits distributed.comm.timeouts.connect (30 s)
        except (OSError, TimeoutError, ValueError) as e:
            raise KgError(f"cannot reach the Dask scheduler at {config.scheduler} ({e}); "
                          "start it (dask scheduler) or check --scheduler") from None
    else:
        # tasks last seconds: hand a worker its next interview only when it is free (no queue behind a slow one)
        with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):
            cluster = LocalCluster(n_workers=max(1, config.jobs), threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        workers = sum(client.nthreads().values())
        window = max(32, 4 * max(workers, config.jobs))
        shipped = client.scatter(extractor, broadcast=True, hash=False)
        pending = enumerate(files)
        in_flight: deque = deque()

        def submit_next() -> None:
            # files are read here and sent as interviews: a cluster's machines need not see this file system
            i, path = next(pending, (0, None))
            if path is None:
                return
            try:
                iv = read_transcript(path, format=config.format, language=config.language)
            except KgError as e:
                in_flight.append(e)
                return
            in_flight.append(client.submit(_extract_on_dask, shipped, iv, pure=False, priority=-i))

        for _ in range(window):
            submit_next()
        while in_flight:
            future = in_flight.popleft()
            if isinstance(future, KgError):
                submit_next()
                yield future
                continue
            result = future.result()
            future.release()
            submit_next()
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _extract_on_dask(extractor: Extractor, interview: Interview) -> Interview:
    return next(iter(extractor([interview])))


def _meaningful(config: BuildConfig) -> tuple[object, ...]:
    """The options that change the graph (not how fast or where it is written)."""
    from .cache import file_digest

    return (*_extraction_options(config), *([file_digest(config.curation)] if config.curation else []))


def _extraction_options(config: BuildConfig) -> tuple[object, ...]:
    """The options that change what is extracted from a transcript: not the curation file, applied after
    resolution, whose effect on an interview's outputs its chunk key hashes (entity by entity)."""
    from .cache import file_digest

    files = [file_digest(v) for v in config.vocabularies]
    return (config.format, config.language, config.model, config.ner, config.base_iri, *files)


def stamp_options(config: BuildConfig) -> dict[str, object] | None:
    """What of ``config`` the build stamp (`kg.stamp`) hashes; None when a build with it must never be skipped.

    Everything that changes the bytes written, including ``device`` and
    ``batch_size`` (the provenance names the device); not ``jobs``, the
    executor or the cache (tested: the same bytes).  None when the NER
    model is not an installed package (a folder, a Hugging Face name):
    whether such a model changed cannot be told cheaply.
    """
    import importlib.util

    def installed_package(name: str) -> bool:
        if not name.isidentifier() or Path(name).exists():
            return False
        try:
            return importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            return False

    backend, _, arg = (config.ner or "spacy").partition(":")
    if backend != "spacy" or not all(installed_package(name) for name in (arg, config.model) if name):
        return None
    return {"format": config.format, "language": config.language, "model": config.model, "ner": config.ner,
            "device": config.device, "batch_size": config.batch_size, "base_iri": config.base_iri,
            "strict": config.strict, "html": config.html, "formats": list(config.formats),
            "files": [*config.vocabularies, *([config.curation] if config.curation else [])]}


def _provenance(interviews: list[Interview], config: BuildConfig, extractor: Extractor) -> dict[str, str]:
    languages = sorted({iv.language or "fr" for iv in interviews})
    models = sorted({extractor.name_for(lang) for lang in languages})
    versions = sorted({extractor.model_version(lang) for lang in languages})
    digest = hashlib.sha256()
    for part in [__version__, *models, *versions, *sorted(iv.checksum for iv in interviews), repr(_meaningful(config))]:
        digest.update(part.encode())
    from .cache import code_digest

    # not the curation file: an edited one must leave the interviews it does not reach reusable (`Emitter.key`)
    setup = hashlib.sha256("|".join([__version__, code_digest(), *models, *versions,
                                     repr(_extraction_options(config))]).encode())
    return {
        "build_id": digest.hexdigest()[:16],
        # everything but the transcripts and the curation: with a transcript's checksum, it names what was
        # extracted from it
        "setup": setup.hexdigest(),
        "kg_version": __version__,
        "models": "|".join(models),
        "model_versions": "|".join(versions),
        "time": _reproducible_time(interviews),
        # the device the NER model runs on (cached interviews were not re-run); not part of the build id,
        # since a model gives the same entities on either
        "device": getattr(extractor, "device_description", "cpu"),
    }


def _reproducible_time(interviews: list[Interview]) -> str:
    """SOURCE_DATE_EPOCH when set, else the newest input's modification time: same input, same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        ts = int(epoch)
    else:
        ts = max((int(Path(iv.source_path).stat().st_mtime) for iv in interviews if Path(iv.source_path).exists()),
                 default=0)
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_outputs(kg: KnowledgeGraph, out: str | Path, config: BuildConfig = BuildConfig(), *,
                  warn: Warn = _noop) -> dict[str, Path]:
    """Write graph.{ttl,jsonld,nt,trig,nq,html} and summary.json into ``out``, each atomically.

    The RDF files are streamed chunk by chunk (one interview at a time) to
    temporary files beside their final names; all are renamed only once every
    one is complete, so a failure or a kill leaves earlier outputs intact.
    ``.kg-index.json`` records where each interview's bytes lie, so that the
    next build copies the unchanged ones instead of rendering them again;
    ``.kg-page.json`` keeps each interview's part of the page for the same
    reason (`kg.pageparts`).  RDF files of formats left out of ``config.formats`` that an earlier build
    wrote are removed: ``kg query`` and ``kg serve`` would read them as this graph.
    """
    from .pageparts import FILE as PAGE_PARTS
    from .rdf.reuse import INDEX, Previous, index_bytes
    from .rdf.write import write_graph

    out = Path(out)
    payloads = {"summary.json": (json.dumps(summary(kg), indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()}
    names = {fmt: f"graph.{fmt}" for fmt in config.formats}
    page = ["graph.html", PAGE_PARTS] if config.html else []

    def fill(files: dict[str, IO[bytes]]) -> None:
        sinks = {fmt: files[name] for fmt, name in names.items()}
        previous = Previous.open(out, names)

        drawn: list[bytes] = []

        def draw(keys: list[str | None]) -> None:  # only computes: the page is written below, by this thread
            from .pageparts import PartStore, kg_parts, store_bytes
            from .viz import render_parts

            # the unchanged interviews' parts of the page come from the last build (`kg.pageparts`)
            try:
                outline, parts, by_key = kg_parts(kg, keys=keys, store=PartStore.load(out))
                html = render_parts(outline, parts)
            except (TypeError, ValueError, KeyError, IndexError):  # parts of a shape this code does not write
                outline, parts, by_key = kg_parts(kg, keys=keys)
                html = render_parts(outline, parts)
            drawn.append(html.encode("utf-8"))
            drawn.append(store_bytes(by_key))

        try:
            # in a rebuild the page is drawn while the unchanged interviews' RDF bytes are copied
            ranges = write_graph(kg, sinks, base=config.base_iri, jobs=config.jobs, previous=previous,
                                 meanwhile=draw if page else None)
        finally:
            if previous is not None:
                previous.close()
        files[INDEX].write(index_bytes(ranges, sinks))
        if page:
            files["graph.html"].write(drawn[0])
            files[PAGE_PARTS].write(drawn[1])

    with rare_collections():
        written = write_atomically(out, payloads, streams=[*names.values(), INDEX, *page], fill=fill)
    for fmt in RDF_FORMATS:
        stale = out / f"graph.{fmt}"
        if fmt not in names and stale.is_file():
            try:
                stale.unlink()
                warn(f"removed {stale}: an earlier build's, and not among this build's --formats")
            except OSError as e:
                warn(f"{stale} is an earlier build's graph and could not be removed ({e.strerror}); delete it")
    return {name: path for name, path in written.items() if name not in (INDEX, PAGE_PARTS)}  # kg's bookkeeping


def write_atomically(out: Path, payloads: dict[str, bytes], *, streams: Sequence[str] = (),
                     fill: Callable[[dict[str, IO[bytes]]], None] | None = None) -> dict[str, Path]:
    """Write ``payloads`` (name -> bytes) and the files ``fill`` writes (``streams``) into ``out``, all or none.

    Each file is written under a temporary name in ``out`` and renamed once
    every file is complete: readers see the old set or the new one.
    """
    names = [*streams, *payloads]
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{out}: cannot create the output folder ({e.strerror}); choose another --out") from None
    blocked = [name for name in names if (out / name).is_dir()]
    if blocked:
        raise OutputError(f"{out / blocked[0]}: is a folder, not a file; move it away or choose another --out")
    temps: dict[str, str] = {}
    handles: dict[str, IO[bytes]] = {}
    from .cache import shared_file_mode

    mode = shared_file_mode()
    try:
        for name in names:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
            temps[name] = tmp
            os.fchmod(fd, mode)  # mkstemp makes 0600: outputs are for sharing and serving
            handles[name] = os.fdopen(fd, "wb", buffering=1 << 20)
        for name, data in payloads.items():
            handles[name].write(data)
        if fill is not None:
            fill({name: handles[name] for name in streams})
        for fh in handles.values():
            fh.close()
        for name, tmp in temps.items():
            os.replace(tmp, out / name)
    except OSError as e:
        _discard(handles.values(), temps.values())
        raise OutputError(f"{out}: cannot write outputs ({e.strerror}); check space and permissions") from None
    except BaseException:
        _discard(handles.values(), temps.values())
        raise
    _remove_stale_temps(out, names, keep=set(temps.values()))
    return {name: out / name for name in names}



def check_output_folder(out: str | Path) -> None:
    """Fail now, in one line, if outputs cannot be written to ``out``: not after a long extraction.

    The folder itself is not created here (a build that fails later must not leave it behind).
    """
    out = Path(out)
    if out.is_dir():
        try:
            fd, probe = tempfile.mkstemp(prefix=".kg-probe.", suffix=".tmp", dir=out)
            os.close(fd)
            os.unlink(probe)
        except OSError as e:
            raise OutputError(f"{out}: cannot write in the output folder ({e.strerror}); "
                              "make it writable or choose another --out") from None
        return
    if out.exists():
        raise OutputError(f"{out}: is not a folder; choose another --out")
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK) or _read_only_mount(parent):
        raise OutputError(f"{out}: cannot create the output folder ({parent} is not writable); choose another --out")


def _read_only_mount(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _discard(handles: Iterable[IO[bytes]], temps: Iterable[str]) -> None:
    for fh in handles:
        try:
            fh.close()
        except OSError:
            pass
    for tmp in temps:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _remove_stale_temps(out: Path, names: Iterable[str], keep: set[str]) -> None:
    """Delete ``.NAME.*.tmp`` files a killed earlier write left behind (SIGKILL skips every cleanup)."""
    for name in names:
        for stale in out.glob(f".{glob.escape(name)}.*.tmp"):
            if str(stale) not in keep:
                try:
                    stale.unlink()
                except OSError:
                    pass


def summary(kg: KnowledgeGraph) -> dict[str, object]:
    """Counts for the one-screen report and summary.json."""
    types: dict[str, int] = {}
    for e in kg.entities:
        types[e.type] = types.get(e.type, 0) + 1
    return {
        "interviews": [
            {"id": iv.id, "title": iv.title, "format": iv.source_format, "language": iv.language,
             "turns": sum(1 for t in iv.turns if t.kind == "speech"),
             "speakers": sorted({t.speaker for t in iv.turns if t.speaker}),
             "mentions": len(iv.mentions)}
            for iv in kg.interviews
        ],
        "entities": types,
        "entity_count": len(kg.entities),
        "provenance": dict(kg.provenance),
    }
