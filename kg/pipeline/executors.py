"""Where extraction runs: in this process, in worker processes on this machine, or on a Dask cluster.

Each executor reads and extracts a list of files and yields one outcome per
file, in order: the extracted `Interview`, or the `KgError` that reading it
raised (the caller decides whether that stops the build).  The graph is the
same whichever ran.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import KgError, UnknownNameError
from ..extract import Extractor
from ..ingest import SUPPORTED_LANGUAGES, read_transcript
from ..model import Interview
from .options import BuildConfig

EXECUTORS = ("local", "dask")
DASK_HINT = "pip install 'kg[dask]'"

Outcome = Interview | KgError
"""What extracting one file gives: its interview, or why it could not be read."""


def check_executor(config: BuildConfig) -> None:
    """Fail in one line, before any model loads, on an unknown executor or a missing Dask."""
    if config.executor not in EXECUTORS:
        raise UnknownNameError(f"unknown executor {config.executor!r}; use --executor with one of: "
                               f"{', '.join(EXECUTORS)}")
    if config.scheduler and config.executor != "dask":
        raise UnknownNameError(f"--scheduler {config.scheduler} needs --executor dask")
    if config.executor == "dask":
        if importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None:
            raise KgError(f"--executor dask needs Dask and its distributed scheduler: {DASK_HINT}")


def runs_here(config: BuildConfig, count: int) -> bool:
    """Whether extracting ``count`` files runs in this process (no worker processes, no cluster)."""
    return config.executor == "local" and (config.jobs <= 1 or count < 2)


def extract_all(extractor: Extractor, files: list[Path], config: BuildConfig) -> Iterator[Outcome]:
    """Each file read and extracted, in order: here, by ``jobs`` worker processes (one model load each) or on Dask."""
    if config.executor == "dask":
        check_executor(config)
        if files:
            yield from _extract_on_dask(extractor, files, config)
        return
    if runs_here(config, len(files)):
        for path in files:
            yield _read_and_extract(extractor, path, config)
        return
    yield from _extract_in_processes(extractor, files, config)


@contextmanager
def extract_early(extractor: Extractor, files: list[Path],
                  config: BuildConfig) -> Iterator[Callable[[], Iterator[Outcome]]]:
    """Start extracting ``files`` in worker processes now; yield a function giving their outcomes, in order.

    The caller loads the cached interviews meanwhile, which the changed
    interviews' extraction (model load included) no longer waits behind.
    The workers are forked before this process starts any work of its own,
    and load their own models (at most ``jobs`` of them, for a handful of
    files: the memory of a rebuild stays that of the cache plus a model or two).
    """
    if not files:
        yield lambda: iter(())
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=max(1, min(config.jobs, len(files))),
                             mp_context=multiprocessing.get_context(_start_method()),
                             initializer=_init_worker, initargs=(extractor, config)) as pool:
        futures = [pool.submit(_extract_in_worker, path) for path in files]
        yield lambda: (f.result() for f in futures)


def _start_method() -> str:
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _read_and_extract(extractor: Extractor, path: Path, config: BuildConfig) -> Outcome:
    try:
        iv = read_transcript(path, format=config.format, language=config.language)
    except KgError as e:
        return e
    return next(iter(extractor([iv])))


def _extract_in_processes(extractor: Extractor, files: list[Path], config: BuildConfig) -> Iterator[Outcome]:
    """``jobs`` worker processes, each loading a model once (or sharing this process's, when forked)."""
    import gc
    from concurrent.futures import ProcessPoolExecutor

    jobs = config.jobs
    method = _start_method()
    warm = getattr(extractor, "warm", None)
    shared = method == "fork" and warm is not None and len(files) >= 2 * jobs
    if shared and warm is not None:
        # models loaded once here are shared by the forked workers (their weights are never written, so the
        # pages stay shared): a model's memory less per worker than each loading its own, for a short wait
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


def _extract_in_worker(path: Path) -> Outcome:
    assert _WORKER is not None
    return _read_and_extract(_WORKER[0], path, _WORKER[1])


def _extract_on_dask(extractor: Extractor, files: list[Path], config: BuildConfig) -> Iterator[Outcome]:
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
            in_flight.append(client.submit(_extract_task, shipped, iv, pure=False, priority=-i))

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


def _extract_task(extractor: Extractor, interview: Interview) -> Interview:
    return next(iter(extractor([interview])))
