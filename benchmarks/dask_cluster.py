#!/usr/bin/env python3
"""``kg build --executor dask`` on a distributed LocalCluster against ``--jobs``: the same bytes, and the time.

usage: python benchmarks/dask_cluster.py [--n 12] [--words 1500] [--workers 2] [--rounds 2]
                                         [--work /tmp/kg-dask] [--json FILE]

A synthetic corpus (``synthetic.py``) is built from nothing (``--no-cache
--no-html``) three ways, each ``kg build`` in a process of its own as a user
would run it, the three alternated ``--rounds`` times so that a busy host
slows each alike:

``jobs``     ``kg build --jobs W``: W worker processes forked on this machine;
``cluster``  ``kg build --executor dask --scheduler ADDR``: the interviews sent to a
             ``distributed.LocalCluster`` of W single-threaded worker processes that
             this script started once, before any round (spaCy models stay loaded in
             its workers from one round to the next, as on a cluster kept running);
``spawned``  ``kg build --executor dask --jobs W``: kg starts a throwaway local
             cluster of W processes for the build and stops it after.

Every output file (the graph, the summary, not kg's dot-files) of every
build must have the bytes of the first ``jobs`` build; a difference is
printed and the script exits 1.  Printed: each way's fastest and median wall
time and its ratio to ``jobs``.  Needs ``dask`` and ``distributed``
(``pip install -e ".[dask]"``).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

WAYS = ("jobs", "cluster", "spawned")


def outputs(out: Path) -> dict[str, bytes]:
    """The files a user gets, by name: kg's bookkeeping (dot-files: the reuse index records file times) left out."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file() and not p.name.startswith(".")}


def build(corpus: Path, out: Path, way: str, workers: int, scheduler: str) -> float:
    """One ``kg build`` from nothing; its wall time in seconds."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out), "--no-cache", "--no-html",
               "--no-store"]
    if way == "jobs":
        command += ["--jobs", str(workers)]
    elif way == "cluster":
        command += ["--executor", "dask", "--scheduler", scheduler]
    else:
        command += ["--executor", "dask", "--jobs", str(workers)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"kg build ({way}) failed with exit status {done.returncode}: {done.stderr.strip()[-400:]}")
    return seconds


def differences(expected: dict[str, bytes], got: dict[str, bytes]) -> list[str]:
    names = sorted(set(expected) | set(got))
    return [name for name in names if expected.get(name) != got.get(name)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=12, help="interviews (default 12)")
    parser.add_argument("--words", type=int, default=1500, help="spoken words per interview (default 1500)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of each way (default 2)")
    parser.add_argument("--rounds", type=int, default=2, help="builds of each way, alternated (default 2)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-dask"), help="corpus and outputs go here")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    try:
        from distributed import LocalCluster
    except ImportError:
        raise SystemExit("this benchmark needs Dask: pip install -e '.[dask]'") from None

    corpus = args.work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    made = synthetic.generate(corpus, args.n, words=args.words, seed=1)
    started = time.perf_counter()
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None)
    cluster_start = time.perf_counter() - started
    seconds: dict[str, list[float]] = {way: [] for way in WAYS}
    reference: dict[str, bytes] | None = None
    mismatches: dict[str, list[str]] = {}
    try:
        for _ in range(args.rounds):
            for way in WAYS:
                out = args.work / f"out-{way}"
                seconds[way].append(build(corpus, out, way, args.workers, cluster.scheduler_address))
                got = outputs(out)
                if reference is None:
                    reference = got
                elif differ := differences(reference, got):
                    mismatches[way] = differ
    finally:
        cluster.close()

    assert reference is not None
    report = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": __import__("os").cpu_count()},
        "corpus": {"interviews": args.n, "words": sum(t.words for t in made), "seed": 1},
        "workers": args.workers, "rounds": args.rounds, "cluster_start_s": cluster_start,
        "seconds": seconds,
        "fastest_s": {way: min(xs) for way, xs in seconds.items()},
        "median_s": {way: statistics.median(xs) for way, xs in seconds.items()},
        "ratio_to_jobs": {way: statistics.median(xs) / statistics.median(seconds["jobs"])
                          for way, xs in seconds.items()},
        "files_compared": sorted(reference), "identical": not mismatches, "differing": mismatches,
    }
    words = report["corpus"]["words"]
    print(f"corpus        {args.n} interviews, {words:,} words; {args.workers} workers; {args.rounds} rounds")
    print(f"LocalCluster  started in {cluster_start:.1f} s (before the rounds, not counted in 'cluster')")
    for way in WAYS:
        print(f"  {way:8s} fastest {report['fastest_s'][way]:6.1f} s  median {report['median_s'][way]:6.1f} s  "
              f"x{report['ratio_to_jobs'][way]:.2f} of --jobs")
    print(f"outputs       {', '.join(sorted(reference))}: "
          + ("identical in every build" if not mismatches else f"DIFFER: {mismatches}"))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
