#!/usr/bin/env python3
"""Where a rebuild after one changed interview spends its time: `build_into` in this process, with marks.

usage: python benchmarks/rebuild_marks.py CORPUS OUT [--runs 1] [--json FILE]

``OUT`` must hold an earlier ``kg build CORPUS --out OUT`` (its extraction
cache in ``OUT/.kg-cache``).  Each run appends one turn never seen before to
the same interview (restored at the end), then runs what ``kg build`` runs
(`kg.pipeline.build_into` under `kg.memory.rare_collections`, ``--jobs 2``,
the default formats, the page, the store) and prints, in seconds from the
start: the end of extraction (the cached interviews loaded, the changed one
extracted), of resolution, of the RDF writing, of the store's update made
before the rename (this code), of the wait for the page, of the outputs, and
of the store's update after them.  To compare two versions, run it in turn
with ``PYTHONPATH=CHECKOUT`` naming each checkout, over the same folder; each
run in a fresh process counts the models' load, as ``kg build`` does.

Nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH: another checkout named there is the kg timed


def _marked(marks: list[tuple[str, float]], started: list[float]) -> None:
    """Wrap the build's stages so that each records when it ends (the page: when its wait ends)."""
    import kg.pipeline as pipeline
    import kg.pipeline.aside as aside
    import kg.rdf.write as write
    import kg.storefeed as storefeed

    def at_end(module: Any, name: str, label: str) -> None:
        original: Callable[..., Any] | None = getattr(module, name, None)
        if original is None:  # a version of kg without this stage
            return

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            marks.append((label, time.perf_counter() - started[0]))
            return result

        setattr(module, name, wrapped)

    at_end(pipeline, "extract_files", "extraction")
    at_end(pipeline, "resolve", "resolution")
    at_end(write, "write_graph", "RDF written")
    at_end(storefeed, "update_before_rename", "store updated before the rename")
    at_end(aside.Aside, "result", "page drawn")
    at_end(pipeline, "write_outputs", "outputs renamed")
    at_end(pipeline, "_update_store", "store updated after")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    from kg.memory import rare_collections
    from kg.pipeline import BuildConfig, build_into

    if not (args.out / ".kg-cache").is_dir():
        print(f"{args.out}: no extraction cache; run kg build {args.corpus} --out {args.out} first", file=sys.stderr)
        return 2
    files = sorted(p for p in args.corpus.iterdir() if p.is_file())
    if not files:
        print(f"{args.corpus}: no transcripts", file=sys.stderr)
        return 2
    target = files[min(7, len(files) - 1)]
    original = target.read_bytes()
    marks: list[tuple[str, float]] = []
    started = [0.0]
    _marked(marks, started)
    config = BuildConfig(jobs=2, cache_dir=str(args.out / ".kg-cache"))
    runs: list[dict[str, Any]] = []
    try:
        for _ in range(args.runs):
            turn = f"\n\nInterviewer: And what about Processing {random.randrange(10**9)} today?\n"
            target.write_bytes(original + turn.encode("utf-8"))
            marks.clear()
            started[0] = time.perf_counter()
            with rare_collections():
                build_into([args.corpus], args.out, config)
            total = time.perf_counter() - started[0]
            runs.append({"total_s": round(total, 2), "marks": [(label, round(at, 2)) for label, at in marks]})
            print(f"rebuild: {total:.2f} s")
            for label, at in marks:
                print(f"  {at:7.2f} s  {label}")
    finally:
        target.write_bytes(original)
    if args.json:
        args.json.write_text(json.dumps({"corpus": str(args.corpus), "changed": target.name, "runs": runs},
                                        indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
