#!/usr/bin/env python3
"""The shipped queries, one at a time, on a build folder's query store: a first answer, then three more.

usage: python benchmarks/canned_queries.py OUT [--repeat 3] [--json FILE]

Each query of ``ontology/queries`` runs with its default parameters (one
page), those with a ``name`` parameter once per name: the four entities
mentioned in the most interviews (the first page of ``shared-entities``),
then the query's own default.  A query runs on the store (``OUT/.kg-store``,
brought up to date first as ``kg query`` does) opened read-only in this process, as a ``kg serve`` worker holds it, with
its results written as SPARQL JSON, as ``kg serve`` sends them.  The first
answer of each is taken before any other query reads the same data, so it
includes what RocksDB reads from disk or the page cache; ``--repeat`` more
give the warm time.  Each query takes the form ``kg query`` gives it on the store (`kg.sparql.per_interview`).
Nothing asserts: it prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.errors import KgError  # noqa: E402
from kg.rdf.vocab import PREFIXES  # noqa: E402
from kg.sparql import bind_params, example_bindings, examples, per_interview  # noqa: E402
from kg.store import ready_store  # noqa: E402


def timed(store, text: str) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    """(rows, milliseconds) of one query, its JSON results written."""
    import pyoxigraph as ox

    started = time.perf_counter()
    result = store.query(text, prefixes=dict(PREFIXES), use_default_graph_as_union=True)
    body = result.serialize(format=ox.QueryResultsFormat.JSON)
    ms = 1000 * (time.perf_counter() - started)
    return len(json.loads(body)["results"]["bindings"]), ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="a kg build folder (with its query store)")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs after the first (default 3)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    import pyoxigraph as ox

    try:  # as kg query and kg serve open it: brought up to date first where a build did not
        db = ready_store(args.out) if (args.out / "graph.ttl").is_file() else None
    except KgError as e:
        raise SystemExit(f"{args.out}: {e}") from None
    if db is None:
        raise SystemExit(f"{args.out}: no query store can be opened; give a kg build folder")
    store = ox.Store.read_only(str(db))
    known = examples()
    shared = known["shared-entities"]
    found = store.query(bind_params(shared.text, example_bindings(shared, {})), prefixes=dict(PREFIXES),
                        use_default_graph_as_union=True)
    assert isinstance(found, ox.QuerySolutions)
    names = [solution["name"].value for solution in found][:4]
    figures = []
    for ex in known.values():
        for name in (names + [ex.params["name"][0]]) if "name" in ex.params else [None]:
            text = bind_params(per_interview(ex.text), example_bindings(ex, {"name": name} if name else {}))
            rows, first = timed(store, text)
            warm = [timed(store, text)[1] for _ in range(args.repeat)]
            figures.append({"query": ex.name, "name": name, "rows": rows, "first_ms": first,
                            "warm_ms": [min(warm), max(warm)] if warm else []})
            span = f"{min(warm):7.1f}-{max(warm):7.1f} ms" if warm else ""
            print(f"{ex.name:24s} {name or '':14s} rows {rows:5d}  first {first:7.1f} ms  then {span}")
    report = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                          "cpus": os.cpu_count(), "load": os.getloadavg()},
              "folder": str(args.out), "names": names, "queries": figures}
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
