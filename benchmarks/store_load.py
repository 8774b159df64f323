#!/usr/bin/env python3
"""A build's output stage with the query store loaded from nothing: while the graph file is written, or after.

usage: python benchmarks/store_load.py CORPUS --cache DIR [--rounds 2] [--jobs 2] [--no-html]
                                       [--work DIR] [--json FILE]

The corpus's graph is built once per run from the extraction cache (``DIR``
must hold every interview: nothing is timed while it is extracted), then the
output stage is timed as ``kg build`` runs it into an empty folder: the
files (Turtle, the page) and a query store loaded from nothing.  Two ways,
each in a process of its own, alternating which goes first in each round:

- ``fed``: the store is loaded while the files are written (`kg.storefeed`),
  as ``kg build`` does;
- ``after``: the files are written, then the store is loaded from graph.ttl
  (`kg.store.sync_store` alone), as before.

For each: the stage's wall time, its CPU time (kg's process and its
rendering workers), how long the build waited for the store once the files
were written, and the peak PSS of the process tree during the stage (sampled
every second from /proc, as ``scale_run.py`` does).  The folder is deleted
after each run.  Nothing asserts: it prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

MODES = ("fed", "after")


def child(mode: str, corpus: Path, cache: Path, out: Path, jobs: int, html: bool) -> dict[str, Any]:
    """One output stage in this process: the graph from the cache, then the files and the store, timed."""
    from kg.pipeline import BuildConfig, build, write_outputs
    from kg.store import sync_store
    from kg.storefeed import StoreFeed

    config = BuildConfig(cache_dir=str(cache), jobs=jobs, html=html, formats=("ttl",))
    graph = build([corpus], config)
    begun = time.perf_counter()
    cpu = os.times()
    if mode == "fed":
        feed = StoreFeed(out, config.formats)
        write_outputs(graph, out, config, follower=feed)
        written = time.perf_counter()
        report = sync_store(out, fed=feed.finish())
    else:
        write_outputs(graph, out, config)
        written = time.perf_counter()
        report = sync_store(out)
    ended = time.perf_counter()
    after = os.times()
    used = (after.user - cpu.user) + (after.system - cpu.system) + (after.children_user - cpu.children_user) \
        + (after.children_system - cpu.children_system)
    return {"mode": mode, "stage_s": ended - begun, "files_s": written - begun, "store_wait_s": ended - written,
            "cpu_s": used, "fed": report.while_written, "graphs": report.loaded,
            "graph_s": begun - START, "stage_from_s": begun - START, "stage_to_s": ended - START,
            "store_mib": sum(f.stat().st_size for f in report.path.rglob("*") if f.is_file()) / 2**20}


START = time.perf_counter()


def run(mode: str, args: argparse.Namespace, out: Path) -> dict[str, Any]:
    """``mode`` in a process of its own, its process tree's PSS sampled every second."""
    from scale_run import tree_memory

    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), str(args.corpus), "--cache", str(args.cache),
           "--jobs", str(args.jobs), "--child", mode, "--out", str(out)] + ([] if args.html else ["--no-html"])
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples: list[tuple[float, int]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append((time.perf_counter() - started, tree_memory(proc.pid)[1]))
            done.wait(1.0)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, errors = proc.communicate()
    done.set()
    sampler.join()
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0:
        sys.exit(f"{mode} failed ({proc.returncode}):\n{errors[-3000:]}")
    found: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    # the child's clock starts a little after the parent's: the stage's window is widened by a second either side
    window = [pss for at, pss in samples if found["stage_from_s"] - 1 <= at <= found["stage_to_s"] + 2]
    found["peak_pss_mib"] = max(window, default=0) / 2**20
    found["peak_pss_whole_mib"] = max((pss for _, pss in samples), default=0) / 2**20
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--cache", type=Path, required=True, help="an extraction cache holding every interview")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-html", dest="html", action="store_false")
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-store-load"))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.corpus, args.cache, args.out, args.jobs, args.html)))
        return 0
    runs = []
    for r in range(args.rounds):
        for mode in (MODES if r % 2 == 0 else MODES[::-1]):
            found = run(mode, args, args.work / f"out-{mode}")
            found["round"] = r + 1
            runs.append(found)
            print(f"round {r + 1}  {mode:5}  stage {found['stage_s']:6.1f} s  files {found['files_s']:6.1f} s  "
                  f"store wait {found['store_wait_s']:6.1f} s  cpu {found['cpu_s']:6.1f} s  "
                  f"peak PSS {found['peak_pss_mib']:6.0f} MiB  fed {found['fed']}", flush=True)
    result = {"corpus": str(args.corpus), "jobs": args.jobs, "html": args.html, "runs": runs,
              "load_average": os.getloadavg(), "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                                           "platform": platform.platform()}}
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
