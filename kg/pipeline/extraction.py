"""Reading and extracting a corpus: from the cache where it can, by the executor where it must.

`extract_files` first makes a plan (`plan_extraction`): which files the
cache holds, and, in a large cached corpus where only a few files changed,
which to start extracting in worker processes before the cache is even read.
A runner (`_Extraction`) then carries it out, gathering each file's outcome
in input order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .. import __version__
from ..cache import UNUSED_DAYS, ExtractionCache, extraction_fingerprint, source_key
from ..digest import file_digest
from ..errors import KgError
from ..extract import Extractor, extractor_fingerprint
from ..ingest import UNREADABLE, discover, read_transcript, unreadable
from ..model import Interview
from .executors import Outcome, extract_all, extract_early, runs_here
from .options import BuildConfig

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total)."""
Warn = Callable[[str], None]

LARGE_CORPUS = 100
"""From this many transcripts, extraction frees the NER models as soon as it is done, even in this process."""
FEW_CHANGED = 8
"""Up to this many changed files in a cached corpus of `LARGE_CORPUS` or more are extracted in worker
processes while this process loads the cached ones."""


def ignore(*_: object) -> None:
    """The progress and warning callbacks by default: nothing is said."""
    return None


def transcripts(paths: Iterable[str | Path], warn: Warn = ignore) -> list[Path]:
    """The transcripts at ``paths`` (`kg.ingest.discover`), saying which documents beside them kg cannot read."""
    paths = list(paths)
    files = discover(paths)
    left = unreadable(paths)
    if left:
        kinds = sorted({UNREADABLE[f.suffix.lower()] for f in left})
        named = ", ".join(f.name for f in left[:3]) + (f" and {len(left) - 3} more" if len(left) > 3 else "")
        warn(f"skipped {len(left)} document(s) kg cannot read ({named}: {', '.join(kinds)}); "
             "save them as .docx, .odt or .txt to include them")
    return files


def read_corpus(paths: Iterable[str | Path], config: BuildConfig, *, warn: Warn = ignore,
                progress: Progress = ignore) -> list[Interview]:
    """Read every transcript (no extraction); a bad file is skipped with a warning unless ``config.strict``."""
    files = transcripts(paths, warn)
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
    report_reading(interviews, warn)
    if not interviews:
        raise errors[0] if errors else KgError("no transcripts to build from")
    return unique_ids(interviews)


def unique_ids(interviews: list[Interview]) -> list[Interview]:
    """The interviews, those whose id an earlier one took renamed with a hash of their path."""
    seen: dict[str, int] = {}
    out = []
    for iv in interviews:
        n = seen.get(iv.id, 0)
        seen[iv.id] = n + 1
        suffix = hashlib.sha256(iv.source_path.encode()).hexdigest()[:6]
        out.append(iv if n == 0 else replace(iv, id=f"{iv.id}-{suffix}"))
    return out


def report_reading(interviews: list[Interview], warn: Warn) -> None:
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


@dataclass(frozen=True)
class ExtractionPlan:
    """Where each file's interview will come from, decided before any work starts (by index into the files)."""

    keys: tuple[str | None, ...]
    """Each file's cache key: None without a cache, or for a file that cannot be read."""
    cached: frozenset[int]
    """The files whose entry the cache holds: loaded, not extracted (unless the entry proves unusable)."""
    early: tuple[int, ...]
    """The few changed files of a large cached corpus: extracted in worker processes while the cache loads."""


def plan_extraction(files: Sequence[Path], config: BuildConfig, cache: ExtractionCache | None,
                    extractor: Extractor) -> ExtractionPlan:
    """Which files the cache holds, and which to start extracting before reading it.

    A cached file is not even parsed: its entry is found by the hash of its
    bytes (`source_key`), so that planning a rebuild of a large corpus costs
    a hash per file.  The key names the extractor too (`extractor_fingerprint`:
    its vocabulary and models, which a library caller may set apart from
    ``config``); an extractor that cannot say what it brings is not cached.
    """
    own = extractor_fingerprint(extractor)
    if cache is None or own is None:
        return ExtractionPlan((None,) * len(files), frozenset(), ())
    fp = extraction_fingerprint(__version__, *(file_digest(v) for v in config.vocabularies),
                                repr((config.format, config.language, config.ner, config.model)), own)
    keys = tuple(source_key(path, fp) for path in files)
    cached = frozenset(i for i, key in enumerate(keys) if key is not None and cache.path(key).is_file())
    missing = [i for i in range(len(files)) if i not in cached]
    few = config.executor == "local" and 0 < len(missing) <= FEW_CHANGED and len(cached) >= LARGE_CORPUS
    return ExtractionPlan(keys, cached, tuple(missing) if few else ())


def extract_files(files: list[Path], extractor: Extractor, config: BuildConfig, *,
                  warn: Warn = ignore, progress: Progress = ignore) -> list[Interview]:
    """Read and extract every file, in order, reusing cached results and spreading the rest over ``config.jobs``.

    The files the cache does not hold are read *and* extracted by the
    executor, so that reading runs in parallel too.  A bad file is skipped
    with a warning unless ``config.strict`` (or it is the only one).  Cache
    entries no build has used for `UNUSED_DAYS` are removed at the end.
    """
    cache = ExtractionCache(config.cache_dir) if config.cache_dir else None
    plan = plan_extraction(files, config, cache, extractor)
    return _Extraction(files, plan, cache, extractor, config, warn, progress).run()


class _Extraction:
    """One `extract_files` run: each file's outcome so far, the cache (None once it fails), and how many are done."""

    def __init__(self, files: list[Path], plan: ExtractionPlan, cache: ExtractionCache | None,
                 extractor: Extractor, config: BuildConfig, warn: Warn, progress: Progress) -> None:
        self.files, self.plan, self.cache = files, plan, cache
        self.extractor, self.config, self.warn, self.progress = extractor, config, warn, progress
        self.results: list[Interview | None] = [None] * len(files)
        self.errors: list[KgError] = []
        self.done = 0
        self._models: dict[str, str] = {}

    def run(self) -> list[Interview]:
        early = self.plan.early
        self._check_readable(early)
        with extract_early(self.extractor, [self.files[i] for i in early], self.config) as outcomes:
            self._load_cached()
            for i, outcome in zip(early, outcomes(), strict=True):
                self._take(i, outcome)
        started = set(early)
        todo = [i for i, r in enumerate(self.results) if r is None and i not in started]
        self._check_readable(todo)  # the rest: many new files, or entries found unusable while loading
        for i, outcome in zip(todo, extract_all(self.extractor, [self.files[i] for i in todo], self.config),
                              strict=True):
            self._take(i, outcome)
        if todo and runs_here(self.config, len(todo)) and len(self.files) >= LARGE_CORPUS:
            # a rebuild of a large corpus that extracted a few files here: the models would stay
            # loaded through the output stage, which holds the whole corpus (workers release their own)
            release = getattr(self.extractor, "release", None)
            if release is not None:
                release()
        return self._finish()

    def _check_readable(self, indices: Sequence[int]) -> None:
        """With --strict, fail on the first bad file before its extraction starts or anything is cached."""
        if self.config.strict:
            for i in indices:
                read_transcript(self.files[i], format=self.config.format, language=self.config.language)

    def _load_cached(self) -> None:
        """The cached interviews, read in order; an unusable entry is removed and its file extracted again."""
        n = len(self.files)
        for i, path in enumerate(self.files):
            key = self.plan.keys[i]
            if self.cache is not None and key is not None and i in self.plan.cached:
                try:
                    self.results[i] = self.cache.get(key, self._model_of)
                except ValueError as e:
                    self.warn(f"{e}; extracting {path} again")
                    self.cache.discard(key)
                if self.results[i] is not None:
                    self.done += 1
            self.progress("read", i + 1, n)
        if self.done:
            self.progress("extract", self.done, n)

    def _take(self, i: int, outcome: Outcome) -> None:
        """Record file ``i``'s outcome: skip (or raise) an error, cache an interview."""
        n = len(self.files)
        self.done += 1
        self.progress("extract", self.done, n)
        if isinstance(outcome, KgError):
            if self.config.strict or n == 1:
                raise outcome
            self.errors.append(outcome)
            self.warn(f"skipped: {outcome}")
            return
        self.results[i] = outcome
        key = self.plan.keys[i]
        if self.cache is not None and key is not None:
            try:
                self.cache.put(key, outcome, self._model_of(outcome.language))
            except OSError as e:
                self.warn(f"cannot write the cache ({e.strerror}); building without it")
                self.cache = None

    def _model_of(self, language: str | None) -> str:
        """The model (name and version) that extracts an interview in ``language``: what cache entries record."""
        lang = language or "fr"
        if lang not in self._models:
            self._models[lang] = self.extractor.name_for(lang) + " " + self.extractor.model_version(lang)
        return self._models[lang]

    def _finish(self) -> list[Interview]:
        interviews = [r for r in self.results if r is not None]
        report_reading(interviews, self.warn)
        if not interviews:
            raise self.errors[0] if self.errors else KgError("no transcripts to build from")
        if self.cache is not None:
            self.cache.prune(UNUSED_DAYS)  # entries of earlier kg versions and options: never read again
        return interviews
