"""How long ``kg link`` takes for many entities against a reconciliation service that answers slowly.

Starts the loopback reconciliation service of the tests (tests/reconcile_fixture.py: the real protocol, every
request answered after ``--delay`` seconds, 20 ms by default), makes ``--entities`` synthetic entities of every
linkable kind (1,000 by default; a fifth of them persons), and links them three times with one link cache:
cold (empty cache: every query is sent), warm (every answer from the cache) and ``--offline``.  Reports the
seconds of each, the requests sent, and warm and offline against cold as ratios measured in the same run.

    .venv/bin/python benchmarks/link_speed.py
    .venv/bin/python benchmarks/link_speed.py --entities 5000 --delay 0.05 --json benchmarks/results/link_speed.json

Target (#21): 1,000 entities at 20 ms: cold under 30 s, warm under 1 s, offline with no request at all.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import __version__  # noqa: E402
from kg.link import LinkOptions, link_entities  # noqa: E402
from kg.model import Entity, EntityType  # noqa: E402


def _fixture() -> Any:
    spec = importlib.util.spec_from_file_location("kg_reconcile_fixture", ROOT / "tests" / "reconcile_fixture.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def entities(n: int) -> list[Entity]:
    """``n`` entities, Person/Organisation/Place/Work/Tool in turn, persons with a full name."""
    kinds: list[EntityType] = ["Person", "Organisation", "Place", "Work", "Tool"]
    out = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        label = f"Given{i} Family{i}" if kind == "Person" else f"{kind} {i:05d}"
        out.append(Entity(f"{kind.lower()}/e{i}", kind, label))
    return out


def candidates(query: dict[str, Any]) -> list[dict[str, Any]]:
    """One clear candidate and a far second for every query, in Wikidata's identifier space."""
    name = str(query["query"])
    n = sum(ord(c) for c in name)
    return [{"id": f"Q{1000 + n}", "name": name, "score": 100, "match": True, "type": []},
            {"id": f"Q{900000 + n}", "name": name + " (other)", "score": 40, "match": False, "type": []}]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--entities", type=int, default=1000)
    ap.add_argument("--delay", type=float, default=0.02, help="seconds the service takes per request")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    fixture = _fixture()
    todo = entities(args.entities)
    figures: dict[str, Any] = {"entities": args.entities, "delay_s": args.delay, "kg_version": __version__,
                               "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
                               "python": platform.python_version()}
    with tempfile.TemporaryDirectory() as tmp, fixture.FixtureService(candidates) as service:
        service.delay = args.delay
        cache = str(Path(tmp) / "links.sqlite")
        for run, offline in (("cold", False), ("warm", False), ("offline", True)):
            before = len(service.requests)
            started = time.perf_counter()
            linked, report = link_entities(todo, LinkOptions((service.url,), cache=cache, offline=offline))
            seconds = time.perf_counter() - started
            figures[run] = {"seconds": round(seconds, 3), "requests": len(service.requests) - before,
                            "accepted": report.accepted, "from_cache": report.from_cache}
        figures["most_in_flight"] = service.most_in_flight
    for run in ("warm", "offline"):
        figures[run]["ratio_to_cold"] = round(figures[run]["seconds"] / figures["cold"]["seconds"], 4)
    print(f"{'run':8s} {'seconds':>8s} {'requests':>9s} {'accepted':>9s} {'cached':>7s}  vs cold")
    for run in ("cold", "warm", "offline"):
        f = figures[run]
        ratio = f"{f.get('ratio_to_cold', 1.0):.3f}x"
        print(f"{run:8s} {f['seconds']:8.2f} {f['requests']:9d} {f['accepted']:9d} {f['from_cache']:7d}  {ratio}")
    print(f"{args.entities} entities, service answering in {args.delay * 1000:.0f} ms, "
          f"at most {figures['most_in_flight']} requests in flight")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
