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
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence

from . import __version__
from .errors import KgError, OutputError
from .extract import Extractor, make_extractor
from .extract.vocabulary import DEFAULT_VOCABULARY, load_vocabulary
from .ingest import discover, read_transcript
from .model import Interview, KnowledgeGraph
from .resolve import resolve

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total)."""
Warn = Callable[[str], None]


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
    cache_dir: str | None = None
    formats: tuple[str, ...] = ("ttl", "jsonld", "nt", "trig", "nq")


@dataclass
class BuildResult:
    graph: KnowledgeGraph
    skipped: list[str] = field(default_factory=list)


def _noop(*_: object) -> None:
    return None


def read_corpus(paths: Iterable[str | Path], config: BuildConfig, *, warn: Warn = _noop,
                progress: Progress = _noop) -> list[Interview]:
    """Read every transcript; a bad file is skipped with a warning unless ``config.strict``."""
    files = discover(paths)
    interviews: list[Interview] = []
    errors: list[KgError] = []
    detected: list[str] = []
    for n, path in enumerate(files, start=1):
        try:
            iv = read_transcript(path, format=config.format, language=config.language)
        except KgError as e:
            if config.strict or len(files) == 1:
                raise
            errors.append(e)
            warn(f"skipped: {e}")
        else:
            for w in iv.warnings:
                if w.startswith("language detected"):
                    detected.append(iv.language or "?")
                else:
                    warn(f"{path}: {w}")
            interviews.append(iv)
        progress("read", n, len(files))
    if detected:
        counts = ", ".join(f"{lang}: {detected.count(lang)}" for lang in sorted(set(detected)))
        warn(f"language detected for {len(detected)} transcript(s) ({counts}); set it in their metadata or with --lang")
    if not interviews:
        raise errors[0] if errors else KgError("no transcripts to build from")
    return _unique_ids(interviews)


def _unique_ids(interviews: list[Interview]) -> list[Interview]:
    seen: dict[str, int] = {}
    out = []
    for iv in interviews:
        n = seen.get(iv.id, 0)
        seen[iv.id] = n + 1
        out.append(iv if n == 0 else replace(iv, id=f"{iv.id}-{hashlib.sha256(iv.source_path.encode()).hexdigest()[:6]}"))
    return out


def build(paths: Sequence[str | Path], config: BuildConfig = BuildConfig(), *, extractor: Extractor | None = None,
          warn: Warn = _noop, progress: Progress = _noop) -> KnowledgeGraph:
    """Build the knowledge graph of the transcripts at ``paths`` (files or folders)."""
    interviews = read_corpus(paths, config, warn=warn, progress=progress)
    vocabulary = load_vocabulary(tuple(config.vocabularies))
    extractor = extractor or make_extractor(config.ner, model=config.model, vocabulary=vocabulary,
                                           device=config.device, batch_size=config.batch_size)
    extracted = extract_all(interviews, extractor, config, warn=warn, progress=progress)
    entities = resolve(extracted, vocabulary)
    if config.curation:
        from .curation import apply_curation, load_curation

        entities = apply_curation(entities, load_curation(config.curation), warn=warn)
    return KnowledgeGraph(tuple(extracted), entities, _provenance(extracted, config, extractor))


def extract_all(interviews: list[Interview], extractor: Extractor, config: BuildConfig, *,
                warn: Warn = _noop, progress: Progress = _noop) -> list[Interview]:
    """Extract every interview, reusing cached results and spreading the rest over ``config.jobs`` processes."""
    from .cache import ExtractionCache, cache_key, code_digest, file_digest, fingerprint

    cache = ExtractionCache(config.cache_dir) if config.cache_dir else None
    languages = sorted({iv.language or "fr" for iv in interviews})
    fp = fingerprint(__version__, code_digest(), *(extractor.name_for(lang) + " " + extractor.model_version(lang) for lang in languages),
                     *(file_digest(v) for v in config.vocabularies), repr((config.format, config.language, config.ner)))
    results: list[Interview | None] = [None] * len(interviews)
    keys = [cache_key(iv, fp) for iv in interviews]
    if cache is not None:
        for i, key in enumerate(keys):
            try:
                results[i] = cache.get(key)
            except ValueError as e:
                warn(f"{e}; extracting {interviews[i].source_path} again")
                cache.discard(key)
    todo = [i for i, r in enumerate(results) if r is None]
    done = len(interviews) - len(todo)
    if done:
        progress("extract", done, len(interviews))
    for i, iv in zip(todo, _run(extractor, [interviews[i] for i in todo], config.jobs)):
        results[i] = iv
        if cache is not None:
            try:
                cache.put(keys[i], iv)
            except OSError as e:
                warn(f"cannot write the cache ({e.strerror}); building without it")
                cache = None
        done += 1
        progress("extract", done, len(interviews))
    return [r for r in results if r is not None]


def _run(extractor: Extractor, interviews: list[Interview], jobs: int) -> Iterable[Interview]:
    """Interviews in order, extracted here or by ``jobs`` worker processes (one model load each)."""
    if jobs <= 1 or len(interviews) < 2:
        yield from extractor(interviews)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                             initializer=_init_worker, initargs=(extractor,)) as pool:
        yield from pool.map(_extract_in_worker, interviews, chunksize=1)


_WORKER_EXTRACTOR: Extractor | None = None


def _init_worker(extractor: Extractor) -> None:
    global _WORKER_EXTRACTOR
    _WORKER_EXTRACTOR = extractor


def _extract_in_worker(interview: Interview) -> Interview:
    assert _WORKER_EXTRACTOR is not None
    return next(iter(_WORKER_EXTRACTOR([interview])))


def _meaningful(config: BuildConfig) -> tuple[object, ...]:
    """The options that change the graph (not how fast or where it is written)."""
    from .cache import file_digest

    files = [file_digest(v) for v in config.vocabularies] + ([file_digest(config.curation)] if config.curation else [])
    return (config.format, config.language, config.model, config.ner, config.base_iri, *files)


def _provenance(interviews: list[Interview], config: BuildConfig, extractor: Extractor) -> dict[str, str]:
    languages = sorted({iv.language or "fr" for iv in interviews})
    models = sorted({extractor.name_for(lang) for lang in languages})
    versions = sorted({extractor.model_version(lang) for lang in languages})
    digest = hashlib.sha256()
    for part in [__version__, *models, *versions, *sorted(iv.checksum for iv in interviews), repr(_meaningful(config))]:
        digest.update(part.encode())
    return {
        "build_id": digest.hexdigest()[:16],
        "kg_version": __version__,
        "models": "|".join(models),
        "model_versions": "|".join(versions),
        "time": _reproducible_time(interviews),
    }


def _reproducible_time(interviews: list[Interview]) -> str:
    """SOURCE_DATE_EPOCH when set, else the newest input's modification time: same input, same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        ts = int(epoch)
    else:
        ts = max((int(Path(iv.source_path).stat().st_mtime) for iv in interviews if Path(iv.source_path).exists()), default=0)
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_outputs(kg: KnowledgeGraph, out: str | Path, config: BuildConfig = BuildConfig()) -> dict[str, Path]:
    """Write graph.{ttl,jsonld,nt,html} and summary.json into ``out``, each atomically.

    Everything is rendered in memory first; files are then written to
    temporary names and renamed, so a failure leaves earlier outputs intact.
    """
    from .rdf import to_rdf
    from .rdf.write import serialise_all

    graph = to_rdf(kg, base=config.base_iri)
    payloads: dict[str, bytes] = {f"graph.{fmt}": data for fmt, data in serialise_all(graph, config.formats).items()}
    if config.html:
        from .viz import render_html

        payloads["graph.html"] = render_html(kg).encode("utf-8")
    payloads["summary.json"] = (json.dumps(summary(kg), indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
    return write_atomically(Path(out), payloads)


def write_atomically(out: Path, payloads: dict[str, bytes]) -> dict[str, Path]:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{out}: cannot create the output folder ({e.strerror}); choose another --out") from None
    blocked = [name for name in payloads if (out / name).is_dir()]
    if blocked:
        raise OutputError(f"{out / blocked[0]}: is a folder, not a file; move it away or choose another --out")
    temps: dict[str, str] = {}
    try:
        for name, data in payloads.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
            temps[name] = tmp
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        for name, tmp in temps.items():
            os.replace(tmp, out / name)
    except OSError as e:
        for tmp in temps.values():
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise OutputError(f"{out}: cannot write outputs ({e.strerror}); check space and permissions") from None
    _remove_stale_temps(out, payloads, keep=set(temps.values()))
    return {name: out / name for name in payloads}


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
