#!/usr/bin/env python3
"""The scale issue's acceptance run: a large corpus built, queried and rebuilt, as a user would.

usage: python benchmarks/scale_run.py [--n 1000] [--words 5000] [--jobs 2] [--executor local]
                                      [--work /tmp/kg-scale] [--json results.json]
                                      [--no-queries] [--formats ttl,nq] [--no-html] [--reuse] [--rebuilds N]

Steps, each timed on the wall clock:

1. generate the synthetic corpus (``synthetic.py``; not timed against targets);
2. ``kg build CORPUS --out OUT --jobs J`` in a subprocess, from an empty cache,
   while a sampler adds up the resident memory of kg and every process under
   it every two seconds (RSS, and PSS, which counts pages the fork workers
   share once: the closer figure for "how much memory does this need");
3. the same ``kg build`` again, nothing changed: it stops at the build stamp;
4. each canned query of ``ontology/queries`` through ``kg.sparql.query`` on
   the result: the first call loads the graph into the on-disk store, every
   query is then timed on its own (the figure the targets speak of);
5. one interview changed (a turn appended), ``kg build`` again with the cache:
   only that interview is extracted again; the rebuild's time is printed next
   to that interview's extraction time measured alone (``--rebuilds N``: N such
   pairs, each with a turn of its own, and the median of what the rebuild adds).

``--reuse`` keeps a build already in the work folder and replaces step 2 by a
build over it (its cache must have been written by this code, or everything
is extracted again; RDF is rendered again where this code renders it
differently); ``--formats`` and ``--no-html`` are passed to every build.

Nothing here asserts: it prints a table and writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
KG = [sys.executable, "-m", "kg"]


def tree_memory(pid: int) -> tuple[int, int, int]:
    """(RSS, PSS, processes) in bytes of ``pid`` and all its descendants, 0 for what cannot be read.

    Read from /proc/PID/smaps_rollup (one short file per process), not smaps:
    the sampler must not take CPU from the build it measures.
    """
    import psutil

    try:
        root = psutil.Process(pid)
        pids = [pid] + [c.pid for c in root.children(recursive=True)]
    except psutil.Error:
        return 0, 0, 0
    rss = pss = 0
    for p in pids:
        try:
            text = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue
        fields = {line.split(":")[0]: int(line.split()[1]) * 1024
                  for line in text.splitlines()[1:] if line.endswith("kB")}
        rss += fields.get("Rss", 0)
        pss += fields.get("Pss", 0)
    return rss, pss, len(pids)


def run_sampled(cmd: list[str], *, period: float = 2.0) -> dict[str, Any]:
    """Run ``cmd``; its wall time, the peaks of its process tree's RSS and PSS, and when they came.

    ``pss_timeline`` holds (seconds, PSS MiB, processes) every ~10 s, to tell
    whether the peak is in extraction (workers alive) or in the output stage.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peaks = {"rss": 0, "pss": 0, "pss_at_s": 0.0}
    timeline: list[tuple[float, float, int]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, pss, procs = tree_memory(proc.pid)
            at = time.perf_counter() - started
            if pss > peaks["pss"]:
                peaks["pss_at_s"] = round(at, 1)
            peaks["rss"], peaks["pss"] = max(peaks["rss"], rss), max(peaks["pss"], pss)
            if not timeline or at - timeline[-1][0] >= 10:
                timeline.append((round(at, 1), round(pss / 2**20), procs))
            done.wait(period)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output[-3000:]}")
    return {"wall_s": wall, "peak_rss_mib": peaks["rss"] / 2**20, "peak_pss_mib": peaks["pss"] / 2**20,
            "peak_pss_at_s": peaks["pss_at_s"], "pss_timeline": timeline, "output_tail": output[-600:]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--words", type=int, default=5000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--executor", default="local")
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-scale"))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--no-queries", action="store_true", help="skip step 4 (the canned queries)")
    ap.add_argument("--formats", help="passed to every kg build as --formats (default: kg's, all five)")
    ap.add_argument("--no-html", action="store_true", help="passed to every kg build")
    ap.add_argument("--rebuilds", type=int, default=1, metavar="N",
                    help="step 5 N times, each rebuild followed by the changed interview built alone: on a noisy "
                         "machine one pair can move by more than the margin to the target; the median is reported")
    ap.add_argument("--reuse", action="store_true",
                    help="keep the build already in the work folder (its cache must match this code): skip step 2")
    args = ap.parse_args(argv)

    corpus, out = args.work / f"corpus-{args.n}x{args.words}", args.work / f"out-{args.n}x{args.words}"
    if not corpus.is_dir():
        subprocess.run([sys.executable, str(HERE / "synthetic.py"), str(corpus), "--n", str(args.n),
                        "--words", str(args.words), "--seed", "1"], check=True)
    manifest = json.loads((corpus / "manifest.json").read_text())
    words = sum(item["words"] for item in manifest["transcripts"])
    reuse = args.reuse and (out / "summary.json").is_file()
    if not reuse:
        shutil.rmtree(out, ignore_errors=True)
    report: dict[str, Any] = {"n": args.n, "words_per_interview": args.words, "spoken_words": words,
                                 "jobs": args.jobs, "executor": args.executor, "formats": args.formats or "default",
                                 "html": not args.no_html}

    build_cmd = [*KG, "build", str(corpus), "--out", str(out), "--jobs", str(args.jobs), "--quiet"]
    if args.executor != "local":
        build_cmd += ["--executor", args.executor]
    if args.formats:
        build_cmd += ["--formats", args.formats]
    if args.no_html:
        build_cmd += ["--no-html"]
    if reuse:
        print(f"reusing the build in {out}; rebuilding it unchanged with {' '.join(build_cmd[2:])} ...", flush=True)
        report["build"] = None
        report["reused_build"] = run_sampled(build_cmd)  # renders again what this code renders differently
        print(f"  {report['reused_build']['wall_s']:.1f} s", flush=True)
    else:
        print(f"building {args.n} interviews ({words:,} words) with {' '.join(build_cmd[2:])} ...", flush=True)
        report["build"] = run_sampled(build_cmd)
        print(f"  {report['build']['wall_s']:.0f} s, peak RSS {report['build']['peak_rss_mib']:.0f} MiB, "
              f"peak PSS {report['build']['peak_pss_mib']:.0f} MiB", flush=True)
    report["rebuild_nothing_changed"] = run_sampled(build_cmd)  # stops at the build stamp
    print(f"  again, nothing changed: {report['rebuild_nothing_changed']['wall_s']:.1f} s", flush=True)
    report["outputs_mib"] = {p.name: round(p.stat().st_size / 2**20, 1) for p in sorted(out.glob("graph.*"))}

    sys.path.insert(0, str(ROOT))
    from kg.sparql import example_bindings, examples, query

    queries: dict[str, dict[str, Any]] = {}
    for name, ex in ([] if args.no_queries else sorted(examples().items())):
        params = example_bindings(ex, {})
        result = query(out, ex.text, params=params)  # the first one loads the on-disk store
        again = query(out, ex.text, params=params)
        queries[name] = {"first_load_s": result.load_seconds, "open_s": again.load_seconds,
                         "query_s": min(result.query_seconds, again.query_seconds), "rows": len(again.rows),
                         "engine": again.engine}
        print(f"  query {name}: {queries[name]['query_s']:.3f} s ({len(again.rows)} rows; "
              f"load {result.load_seconds:.1f} s, reopen {again.load_seconds:.2f} s)", flush=True)
    report["queries"] = queries

    target = corpus / Path(manifest["transcripts"][len(manifest["transcripts"]) // 2]["path"]).name
    original = target.read_bytes()
    pairs: list[dict[str, float]] = []
    try:
        for _ in range(args.rebuilds):
            # a turn never seen before: the same bytes as an earlier run's change would be found in the cache
            extra = _extra_turn(target).replace("today?", f"today (run {time.time_ns()})?")
            target.write_bytes(original + extra.encode("utf-8"))
            rebuilt = run_sampled(build_cmd)
            single = args.work / "single"
            shutil.rmtree(single, ignore_errors=True)
            single.mkdir(parents=True)
            shutil.copy(target, single / target.name)
            alone = run_sampled([*KG, "build", str(single / target.name), "--out", str(single / "out"), "--quiet",
                                 "--no-cache", "--no-html", *(["--formats", args.formats] if args.formats else [])])
            target.write_bytes(original)
            if not pairs:  # the first pair as before, memory timelines included
                report["rebuild_one_changed"], report["changed_interview_alone"] = rebuilt, alone
            pairs.append({"rebuild_s": rebuilt["wall_s"], "alone_s": alone["wall_s"],
                          "added_s": rebuilt["wall_s"] - alone["wall_s"]})
            print(f"  rebuild after one change: {rebuilt['wall_s']:.1f} s "
                  f"(that interview built alone, models loaded: {alone['wall_s']:.1f} s)", flush=True)
    finally:
        target.write_bytes(original)
    report["rebuilds"] = pairs
    report["added_median_s"] = statistics.median(p["added_s"] for p in pairs)
    if len(pairs) > 1:
        print(f"  added by the rebuild, median of {len(pairs)}: {report['added_median_s']:.1f} s "
              f"(range {min(p['added_s'] for p in pairs):.1f}-{max(p['added_s'] for p in pairs):.1f} s)", flush=True)
    report["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(), "processor": platform.processor(),
                         "load_average": os.getloadavg()}
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


def _extra_turn(path: Path) -> str:
    """A turn in the file's own shape, naming a tool, so the change reaches the graph."""
    if path.suffix == ".vtt":
        return "\n99:59:00.000 --> 99:59:05.000\n<v Interviewer>And what about Processing today?\n"
    if path.suffix == ".srt":
        return "\n9999\n99:59:00,000 --> 99:59:05,000\nInterviewer: And what about Processing today?\n"
    text = path.read_text(encoding="utf-8")
    if "[00:" in text:
        return "\n[99:59:00] Interviewer: And what about Processing today?\n"
    if "\nQ:" in text:
        return "\n\nQ: And what about Processing today?\n"
    return "\n\nInterviewer: And what about Processing today?\n"


if __name__ == "__main__":
    raise SystemExit(main())
