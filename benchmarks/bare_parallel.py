#!/usr/bin/env python3
"""kg build --jobs N against bare spaCy on N processes, over the same corpus, in one run.

usage: python benchmarks/bare_parallel.py CORPUS [--jobs 2] [--limit K] [--repeats 1] [--no-kg]
                                          [--kg-args "--no-html"] [--json OUT]

The scale issue's last target compares a full build with ``--jobs 2`` to the
bare spaCy pipeline on the same two cores.  `build_speed.py` measures the
ratio in one process on a small corpus; this script measures it at the
scale of a corpus folder, where the main process's own work (taking the
workers' results, the cache, resolution, the outputs, the store) is paid on
the same cores as the workers.

* **bare**: kg's own reader gives the turn texts of every transcript and
  their language (not timed), the pipelines are loaded (not timed), then N
  forked processes each run ``nlp.pipe`` over a share of the interviews
  (shares balanced by characters, Docs dropped as they come).  The time is
  the wall clock from the fork to the last child's end: the least any tool
  running these models on N cores could take.
* **kg**: ``kg build CORPUS --out TMP --jobs N --no-cache`` in a subprocess,
  the defaults otherwise (Turtle, the page, the query store), on the wall
  clock, the model loads included.

The two alternate ``--repeats`` times; the fastest of each is kept.  Nothing
here asserts: it prints the ratio and writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def turn_texts(files: list[Path]) -> list[tuple[str, list[str]]]:
    """(language, turn texts) per transcript, as kg's extraction sees them (kg's reader, its language guess)."""
    from kg.ingest import read_transcript

    out = []
    for path in files:
        iv = read_transcript(path)
        out.append((iv.language or "fr", [t.text for t in iv.turns if t.end > t.start]))
    return out


def shares(items: list[tuple[str, list[str]]], n: int) -> list[list[tuple[str, list[str]]]]:
    """``n`` shares of about equal characters, the longest interviews placed first (greedy)."""
    load = [0] * n
    out: list[list[tuple[str, list[str]]]] = [[] for _ in range(n)]
    for item in sorted(items, key=lambda it: -sum(map(len, it[1]))):
        k = load.index(min(load))
        out[k].append(item)
        load[k] += sum(map(len, item[1]))
    return out


def bare(items: list[tuple[str, list[str]]], jobs: int, batch_size: int) -> float:
    """Wall seconds for ``jobs`` forked processes to run the pipelines over their shares."""
    import spacy

    from kg.extract.spacy_ner import default_model

    # as the packages ship them (kg's own loading applies the attribute rules by look-up)
    pipelines = {lang: spacy.load(default_model(lang)) for lang in {lang for lang, _ in items}}
    started = time.perf_counter()
    children = []
    for share in shares(items, jobs):
        pid = os.fork()
        if pid == 0:  # the child: every text of its share, per language in one stream, as kg batches them
            code = 1  # a child that fails must say so: its parent reads the status
            try:
                for lang in pipelines:
                    texts = [t for lg, turns in share if lg == lang for t in turns]
                    deque(pipelines[lang].pipe(texts, batch_size=batch_size), maxlen=0)
                code = 0
            finally:
                os._exit(code)
        children.append(pid)
    for pid in children:
        _, status = os.waitpid(pid, 0)
        if status != 0:
            sys.exit(f"a bare spaCy process failed (status {status})")
    return time.perf_counter() - started


def kg_build(corpus: Path, jobs: int, extra: list[str]) -> float:
    """Wall seconds of ``kg build`` into a temporary folder, nothing cached."""
    out = Path(tempfile.mkdtemp(prefix="kg-bare-parallel-"))
    try:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out / "out"),
                               "--jobs", str(jobs), "--no-cache", *extra], capture_output=True, text=True)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"kg build failed ({done.returncode}):\n{done.stderr[-2000:]}")
        return wall
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, help="the first K transcripts of the folder only (a folder of links is made)")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--no-kg", action="store_true", help="time bare spaCy only")
    ap.add_argument("--kg-args", default="", help="more arguments for kg build, e.g. \"--no-html\"")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    from kg.extract.spacy_ner import SpacyExtractor
    from kg.ingest import discover
    from kg.pipeline import BuildConfig

    files = [Path(p) for p in discover([args.corpus])]
    corpus = args.corpus
    linked = None
    if args.limit:
        files = files[:args.limit]
        linked = Path(tempfile.mkdtemp(prefix="kg-bare-corpus-"))
        for f in files:
            (linked / f.name).symlink_to(f.resolve())
        corpus = linked
    items = turn_texts(files)
    batch = BuildConfig().batch_size or SpacyExtractor().batch_size  # kg's default, as its build uses it
    chars = sum(len(t) for _, turns in items for t in turns)
    bare_s: list[float] = []
    kg_s: list[float] = []
    try:
        for _ in range(args.repeats):
            bare_s.append(bare(items, args.jobs, batch))
            print(f"bare spaCy, {args.jobs} processes: {bare_s[-1]:.1f} s", flush=True)
            if not args.no_kg:
                kg_s.append(kg_build(corpus, args.jobs, args.kg_args.split()))
                print(f"kg build --jobs {args.jobs}: {kg_s[-1]:.1f} s", flush=True)
    finally:
        if linked is not None:
            shutil.rmtree(linked, ignore_errors=True)
    result: dict[str, Any] = {
        "transcripts": len(files), "characters": chars, "jobs": args.jobs, "kg_args": args.kg_args,
        "bare_s": [round(s, 1) for s in bare_s], "kg_s": [round(s, 1) for s in kg_s],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "date": time.strftime("%Y-%m-%d"),
    }
    if kg_s:
        result["ratio"] = round(min(kg_s) / min(bare_s), 2)
        print(f"kg / bare: {result['ratio']:.2f}x ({len(files)} transcripts, {chars:,} characters)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
