"""The corpus views of graph.html (#26) at a thousand interviews: first interactive view and view switching.

Makes a synthetic `KnowledgeGraph` (``html_scale.synthetic_kg``: no NLP, a topic per interview, an
interviewer and an interviewee in each), renders its page, opens it from disk in headless Chromium
with the network blocked, and reports:

- ``interactive_s``: from navigation to the first view being interactive (``window.kg.ready``: laid
  out, physics frozen, labels sized, the page answering input);
- per view, the time from the click on its button to the second animation frame after it (the view
  built, laid out and painted), first visit and a later one, the median of ``--runs`` rounds;
- ``cell_ms``: a click on a matrix cell until its quotes are in the panel.

Targets (#26): interactive < 3 s, switching < 500 ms.  ``--compare`` also opens, in the same run, the page
with nothing left out of the first view (every node drawn, as before #26) and reports its time to interactive
and the ratio.

    .venv/bin/python benchmarks/corpus_views.py                       # 1,000 interviews
    .venv/bin/python benchmarks/corpus_views.py --interviews 100 --entities 1500 --json /tmp/views.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from html_scale import offline_page, synthetic_kg  # noqa: E402

VIEWS = ("shared", "who", "entity", "network")
SWITCH = """async (view) => {
  const t = performance.now();
  document.querySelector(`#views [data-view="${view}"]`).click();
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [performance.now() - t, kg.timing.view];
}"""
CELL = """async () => {
  const cell = [...document.querySelectorAll('#matrix rect.cell')].find(c => Number(c.dataset.mentions) > 0);
  const t = performance.now();
  cell.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [performance.now() - t, document.querySelectorAll('#panel .cell-quotes blockquote').length];
}"""


def _opened(page: Any, path: Path, timeout_s: float) -> float:
    """Open ``path`` in ``page``; seconds from navigation until the page says it is ready (``window.kg.ready``)."""
    started = time.perf_counter()
    page.goto(path.resolve().as_uri(), wait_until="load", timeout=timeout_s * 1000)
    page.wait_for_function("() => window.kg && window.kg.ready", timeout=timeout_s * 1000)
    return time.perf_counter() - started


def interactive(path: Path, *, runs: int, timeout_s: float = 600) -> float:
    """The median time from navigation to ``window.kg.ready`` over ``runs`` openings."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as profile:
                ctx, page, _, _ = offline_page(p, profile)
                times.append(_opened(page, path, timeout_s))
                ctx.close()
    return statistics.median(times)


def render_everything(kg: Any) -> str:
    """The page with nothing left out of its first view: `kg.page.overview.overview` told the corpus is small."""
    import kg.page.render as render
    from kg.page.overview import overview

    keep = render.overview
    render.overview = lambda nodes: overview(nodes, compact_above=len(nodes) + 1)  # type: ignore[assignment,misc]
    try:
        return render.render_html(kg)
    finally:
        render.overview = keep


def measure(path: Path, *, runs: int, timeout_s: float = 600) -> dict[str, Any]:
    """Open the page ``runs`` times; the first view's time to interactive and each view's switching time."""
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {"interactive_s": [], "cell_ms": []}
    counts: list[Any] = []
    with sync_playwright() as p:
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as profile:
                ctx, page, outside, errors = offline_page(p, profile)
                out["interactive_s"].append(_opened(page, path, timeout_s))
                counts = page.evaluate("""() => [kg.nodes.length, kg.nodeView.length, kg.edges.length,
                                                 kg.edgeView.length, kg.data.interviews.length]""")
                for visit in ("first", "again"):
                    for view in VIEWS:
                        wall, build = page.evaluate(SWITCH, view)
                        out.setdefault(f"{view}_{visit}_ms", []).append(wall)
                        out.setdefault(f"{view}_{visit}_build_ms", []).append(build)
                page.evaluate(SWITCH, "shared")
                cell_ms, quotes = page.evaluate(CELL)
                if not quotes:
                    raise RuntimeError("a matrix cell with mentions opened no quote")
                out["cell_ms"].append(cell_ms)
                ctx.close()
                if outside or errors:
                    raise RuntimeError(f"requests outside the page: {outside}; errors: {errors}")
    report: dict[str, Any] = {"nodes": counts[0], "nodes_drawn": counts[1], "edges": counts[2],
                              "edges_drawn": counts[3]}
    report.update({k: round(statistics.median(v), 3 if k.endswith("_s") else 1) for k, v in out.items()})
    report["switch_worst_ms"] = max(v for k, v in report.items() if k.endswith(("_first_ms", "_again_ms")))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--sentences", type=int, default=60, help="Sentences per interview.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Also write the page here.")
    parser.add_argument("--json", type=Path, help="Write the figures here as JSON.")
    parser.add_argument("--compare", action="store_true", help="Also time the page with every node drawn at first.")
    args = parser.parse_args(argv)
    from kg.page.render import render_html

    t = time.perf_counter()
    kg = synthetic_kg(args.entities, args.interviews, args.sentences)
    made = time.perf_counter() - t
    t = time.perf_counter()
    page = render_html(kg)
    rendered = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "graph.html"
        path.write_text(page, encoding="utf-8")
        figures = measure(path, runs=args.runs)
        if args.compare:
            everything = Path(tmp) / "everything.html"
            everything.write_text(render_everything(kg), encoding="utf-8")
            figures["everything_interactive_s"] = round(interactive(everything, runs=args.runs), 3)
            figures["interactive_ratio"] = round(figures["interactive_s"] / figures["everything_interactive_s"], 3)
    report = {"interviews": len(kg.interviews), "entities": len(kg.entities),
              "sentences_per_interview": args.sentences, "html_mb": round(len(page.encode()) / 1e6, 2),
              "synthesise_s": round(made, 2), "render_s": round(rendered, 2), **figures,
              "targets": {"interactive_s": 3.0, "switch_ms": 500.0},
              "runs": args.runs, "cpus": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 2)}
    text = json.dumps(report, indent=2)
    sys.stdout.write(text + "\n")
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
