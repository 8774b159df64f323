#!/usr/bin/env python3
"""Where drawing graph.html goes on a built corpus: each step of ``kg.viz.render_html`` timed.

usage: python benchmarks/page_stages.py CORPUS [--cache DIR] [--repeats 2] [--json OUT]

Builds the corpus's graph in this process (from the extraction cache of an
earlier ``kg build``: pass its ``OUT/.kg-cache``, or everything is extracted
first), then draws the page ``--repeats`` times, timing each step on its own:
the page's data from the graph (``from_kg``), the networkx graph, the
measures (betweenness, PageRank, Louvain), the starting layout, the rest of
the page's JSON, and filling the template.  Prints the fastest of each step
and the page's sha256, so that two versions of kg can be compared on the
same corpus in one session (run it from each checkout, one after the other):

    .venv/bin/python benchmarks/page_stages.py /tmp/kg-scale/corpus-1000x5000 \\
        --cache /tmp/kg-scale/out-1000x5000/.kg-cache

Nothing here asserts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STEPS = ("from_kg", "to_networkx", "measures", "layout", "page_data (rest)", "fill_template", "page")


def draw_once(kg: Any) -> tuple[dict[str, float], str]:
    """One page, each step timed: the steps are those ``render_html`` runs, called the same way."""
    from kg import viz

    seconds: dict[str, float] = {}

    def timed(name: str, f: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return f(*args, **kwargs)
            finally:
                seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - t
        return run

    originals = {name: getattr(viz, name) for name in ("from_kg", "to_networkx", "measures", "layout", "page_data",
                                                      "fill_template")}
    try:
        for name, f in originals.items():
            setattr(viz, name, timed(name, f))
        started = time.perf_counter()
        page = viz.render_html(kg)
        seconds["page"] = time.perf_counter() - started
    finally:
        for name, f in originals.items():
            setattr(viz, name, f)
    seconds["page_data (rest)"] = seconds.pop("page_data") - sum(seconds.get(k, 0.0) for k in
                                                                   ("to_networkx", "measures", "layout"))
    return seconds, hashlib.sha256(page.encode("utf-8")).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--cache", type=Path, help="extraction cache of an earlier build (OUT/.kg-cache)")
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    from kg.memory import rare_collections
    from kg.pipeline import BuildConfig, build

    with rare_collections():
        t = time.perf_counter()
        kg = build([args.corpus], BuildConfig(jobs=2, cache_dir=str(args.cache) if args.cache else None))
        print(f"graph: {len(kg.interviews)} interviews, {len(kg.entities)} entities ({time.perf_counter() - t:.1f} s)")
        runs = []
        digest = ""
        for _ in range(args.repeats):
            seconds, digest = draw_once(kg)
            runs.append(seconds)
    best = {step: min(r.get(step, 0.0) for r in runs) for step in STEPS}
    for step in STEPS:
        print(f"{step:18s} {best[step]:7.2f} s   " + "  ".join(f"{r.get(step, 0.0):6.2f}" for r in runs))
    print(f"page sha256 {digest[:16]}")
    if args.json:
        args.json.write_text(json.dumps({"corpus": str(args.corpus), "best_s": best, "runs_s": runs,
                                         "page_sha256": digest}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
