#!/usr/bin/env python3
"""Where drawing graph.html goes on a built corpus: each step of ``kg.page.render.render_html`` timed.

usage: python benchmarks/page_stages.py CORPUS [--cache DIR] [--repeats 2] [--json OUT]

Builds the corpus's graph in this process (from the extraction cache of an
earlier ``kg build``: pass its ``OUT/.kg-cache``, or everything is extracted
first), then draws the page ``--repeats`` times, timing each step on its own:
each interview's part of the page counted from its quotes (``kg_parts``),
the networkx graph, the measures (betweenness, PageRank, communities), the
starting layout, the rest of the page's JSON, and filling the template.
Then, as a rebuild after one interview changed draws it: the parts of the
other interviews read back from the file a build keeps (``.kg-page.json``)
and one interview walked ("page, one changed").  Prints the fastest of each step
and the page's sha256, so that two versions of kg can be compared on the
same corpus on one machine (run it from each checkout, one after the other):

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
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STEPS = ("kg_parts", "page_network", "measures", "layout", "page_data (rest)", "fill_template", "page",
         "page, one changed")


def draw_once(kg: Any) -> tuple[dict[str, float], str]:
    """One page, each step timed: the steps are those ``render_html`` runs, called the same way."""
    from kg.page import render as viz

    seconds: dict[str, float] = {}

    def timed(name: str, f: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return f(*args, **kwargs)
            finally:
                seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - t
        return run

    originals = {name: getattr(viz, name) for name in ("kg_parts", "page_network", "measures", "layout", "page_data",
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
                                                                   ("page_network", "measures", "layout"))
    seconds["page, one changed"], again = draw_one_changed(kg)
    digest = hashlib.sha256(page.encode("utf-8")).hexdigest()
    if hashlib.sha256(again.encode("utf-8")).hexdigest() != digest:
        raise SystemExit("the page drawn from kept parts differs from the page drawn from the graph")
    return seconds, digest


def draw_one_changed(kg: Any) -> tuple[float, str]:
    """The page as a rebuild draws it: every interview's part but the middle one's read back from the file."""
    import tempfile

    from kg.page import parts as pageparts
    from kg.page import render as viz

    keys = [f"k{i}" for i in range(len(kg.interviews))]  # stand-ins for the RDF chunk keys
    _, _, by_key = pageparts.kg_parts(kg, keys=keys)
    by_key.pop(keys[len(keys) // 2], None)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / pageparts.FILE).write_bytes(pageparts.store_bytes(by_key))
        started = time.perf_counter()
        store = pageparts.PartStore.load(folder)
        outline, parts, _ = pageparts.kg_parts(kg, keys=keys, store=store)
        page = viz.render_parts(outline, parts)
        return time.perf_counter() - started, page


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
