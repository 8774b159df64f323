#!/usr/bin/env python3
"""Scored evaluation of extraction: build every annotated transcript and score it against its gold.

usage: python benchmarks/eval_extraction.py [--json OUT] [--shared]

Pairs come from eval/gold/*.json and samples/*.gold.json (each names its
transcript); --shared adds ../shared/gold/*.json.  Each transcript is built
alone, in one process (models load once), and scored with kg.evaluate.
Prints a table and the means; --json writes every result.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.evaluate import evaluate  # noqa: E402
from kg.pipeline import BuildConfig, build, write_outputs  # noqa: E402


def pairs(shared: bool) -> list[tuple[Path, Path]]:
    golds = sorted((ROOT / "eval" / "gold").glob("*.json")) + sorted((ROOT / "samples").glob("*.gold.json"))
    out = [(ROOT / json.loads(g.read_text())["transcript"], g) for g in golds]
    if shared:
        base = ROOT.parent / "shared"
        for g in sorted((base / "gold").glob("*.json")):
            out.append((base / json.loads(g.read_text())["transcript"], g))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path)
    ap.add_argument("--shared", action="store_true", help="also score ../shared/gold")
    args = ap.parse_args()
    config = BuildConfig(html=False, formats=("ttl",))
    rows = []
    for transcript, gold in pairs(args.shared):
        with tempfile.TemporaryDirectory() as out:
            t = time.perf_counter()
            kg = build([transcript], config)
            write_outputs(kg, out, config)
            result = evaluate(Path(out) / "graph.ttl", gold)
            result["seconds"] = round(time.perf_counter() - t, 2)
        result["transcript"] = transcript.name
        rows.append(result)
        ne, c = result["named_entities"], result["concepts"]
        print(f"{transcript.name:28s} P={ne['precision']:.2f} R={ne['recall']:.2f} F1={ne['f1']:.2f}  "
              f"concept core recall={c['core_recall']}  ({result['seconds']} s)")
    mean_f1 = sum(r["named_entities"]["f1"] for r in rows) / len(rows)
    recalls = [r["concepts"]["core_recall"] for r in rows if r["concepts"]["core_recall"] is not None]
    print(f"{'mean':28s} F1={mean_f1:.3f}  concept core recall={sum(recalls) / len(recalls):.3f}  over {len(rows)} transcripts")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
