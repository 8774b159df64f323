"""How long each review action of graph.html takes to show, on a large synthetic corpus, measured in the browser.

Makes the synthetic corpus of ``html_scale.py`` (2,000 entities by default,
co-mention links kept from weight ``--min-co-mentions`` so that the page
holds about 25,000 edges), opens the page in headless Chromium with the
network blocked, turns the review mode on and, on the entities with the most
links (the worst case: a merge moves every link of the merged node), times
each action from the call until the next frame, with the change, has been
painted (an animation frame, then a task after it), and the undo of it; also the
time the page's script took before the browser could draw ("script"), and, for
scale, what a full redraw of the network takes on the machine: its drawing calls
alone, and painted (the floor of any visible change).  Reports the median and the
worst time per action, in milliseconds.

    .venv/bin/python benchmarks/review_actions.py                  # 2,000 entities
    .venv/bin/python benchmarks/review_actions.py --entities 500 --rounds 3
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

TIMED = """async (a) => {
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));  // start between frames
  const t = performance.now();
  const ok = a.op === 'undo' ? (kg.review.undo(), true) : kg.review.apply(a);
  const script = performance.now() - t;
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));  // the next frame, painted
  return [ok, performance.now() - t, script];
}"""


def _html_scale() -> Any:
    spec = importlib.util.spec_from_file_location("html_scale", HERE / "html_scale.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["html_scale"] = module
    spec.loader.exec_module(module)
    return module


def measure(path: Path, rounds: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    scale = _html_scale()
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        ctx, page, outside, errors = scale.offline_page(p, profile)
        page.goto(path.resolve().as_uri())
        page.wait_for_function("() => window.kg && window.kg.ready", timeout=600_000)
        counts = page.evaluate("() => [kg.data.nodes.filter(d => d.kind === 'entity').length, kg.edges.length]")
        page.evaluate("() => kg.review.setMode(true)")
        # the entities with the most links, each with a mention to split off
        hubs = page.evaluate("""(n) => {
            const deg = new Map();
            kg.edges.forEach(e => { deg.set(e.from, (deg.get(e.from) || 0) + 1);
                                    deg.set(e.to, (deg.get(e.to) || 0) + 1); });
            return kg.data.nodes.map((d, i) => [i, deg.get(i) || 0]).filter(x => kg.data.nodes[x[0]].kind === 'entity'
                && kg.data.nodes[x[0]].quotes.length).sort((a, b) => b[1] - a[1]).slice(0, n).map(x => x[0]); }""",
                             2 * rounds + 2)
        times: dict[str, list[float]] = {}
        scripts: dict[str, list[float]] = {}
        for r in range(rounds):
            i, j = hubs[2 * r], hubs[2 * r + 1]
            d = page.evaluate("(i) => { const d = kg.data.nodes[i]; const q = d.quotes[0];"
                              " const quote = kg.data.quotes[q[0]]; const iv = kg.data.nodes.find(n => n.kind ==="
                              " 'interview' && n.iv === quote[0]);"
                              " return {id: d.id, alias: d.aliases[0], type: d.type,"
                              " at: iv.id + ':' + (quote[3] + q[1][0][0])}; }", i)
            target = page.evaluate("(j) => kg.data.nodes[j].id", j)
            other = "Place" if d["type"] != "Place" else "Tool"
            actions = [
                {"op": "check", "id": d["id"]},
                {"op": "rename", "id": d["id"], "label": f"Renamed {r}"},
                {"op": "retype", "id": d["id"], "type": other},
                {"op": "link", "id": d["id"], "iri": f"https://www.wikidata.org/wiki/Q{100 + r}"},
                {"op": "split", "id": d["id"], "alias": d["alias"], "label": f"Alias part {r}", "type": d["type"]},
                {"op": "split", "id": d["id"], "at": d["at"], "label": f"Mention part {r}", "type": d["type"]},
                {"op": "merge", "id": d["id"], "into": target},
                {"op": "ignore", "id": target},
            ]
            for a in actions:
                ok, ms, script = page.evaluate(TIMED, a)
                if not ok:
                    raise RuntimeError(f"the page refused {a}")
                name = a["op"] + ("-mention" if "at" in a else "")
                times.setdefault(name, []).append(ms)
                scripts.setdefault(name, []).append(script)
            for _ in actions:  # and back, one by one
                _, ms, script = page.evaluate(TIMED, {"op": "undo"})
                times.setdefault("undo", []).append(ms)
                scripts.setdefault("undo", []).append(script)
        redraw = page.evaluate("""() => { const ts = [];
            for (let i = 0; i < 5; i++) {
                const t = performance.now(); kg.network.redraw(); ts.push(performance.now() - t); }
            return ts.sort((a, b) => a - b)[2]; }""")
        painted = page.evaluate("""async () => { const ts = [];
            const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
            for (let i = 0; i < 5; i++) {
                await frame(); const t = performance.now(); kg.network.body.emitter.emit('_requestRedraw');
                await frame(); ts.push(performance.now() - t); }
            return ts.sort((a, b) => a - b)[2]; }""")
        ctx.close()
    if outside or errors:
        raise RuntimeError(f"requests outside the page: {outside}; errors: {errors}")
    return {"entities": counts[0], "edges": counts[1], "full_redraw_ms": round(redraw, 1),
            "redraw_painted_ms": round(painted, 1),
            "ms": {op: {"median": round(statistics.median(ts), 1), "max": round(max(ts), 1), "n": len(ts),
                        "script_median": round(statistics.median(scripts[op]), 1),
                        "script_max": round(max(scripts[op]), 1)}
                   for op, ts in times.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=2000)
    parser.add_argument("--interviews", type=int, default=40)
    parser.add_argument("--min-co-mentions", type=int, default=1,
                        help="Keep co-mention links from this weight (1: about 25,000 edges at 2,000 entities).")
    parser.add_argument("--rounds", type=int, default=5, help="Times each action is measured (on other entities).")
    parser.add_argument("--keep", type=Path, help="Also write the page here.")
    args = parser.parse_args(argv)
    from kg.page.render import render_html

    kg = _html_scale().synthetic_kg(args.entities, args.interviews)
    page = render_html(kg, min_co_mentions=args.min_co_mentions)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "graph.html"
        path.write_text(page, encoding="utf-8")
        result = measure(path, args.rounds)
    report = {**result, "html_mb": round(len(page.encode()) / 1e6, 2), "rounds": args.rounds,
              "worst_ms": max(v["max"] for v in result["ms"].values()),
              "cpus": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 2)}
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
