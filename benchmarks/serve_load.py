#!/usr/bin/env python3
"""Load on ``kg serve``: concurrent clients sending the shipped queries over loopback.

usage: python benchmarks/serve_load.py OUT [--clients 50] [--per-client 200] [--timeout 30] [--json FILE]

(``--timeout 0``: Oxigraph's server alone, without kg's query workers, for comparison.)

``OUT`` is a ``kg build`` folder.  The script starts ``kg serve`` on it (the
command, in a process of its own, as a user would) and times how long it takes
to answer; then ``--clients`` threads each send ``--per-client`` queries, all
the shipped queries of ``ontology/queries`` in turn (each client starting at
a different one), those with a ``name`` parameter bound to names taken from
the graph's most widely shared entities, over HTTP POST asking for SPARQL
JSON.  Every answer is read to its end; a status other than 200 or a body
that is not the JSON of a result counts as an error.

Printed: the time to be ready, the number of queries and errors, the
throughput, and the latency p50 / p99 / max over all queries and per
query.  Each client waits for its answer before sending the next query, so
the latencies include the time a query waits for a free worker.
"""

from __future__ import annotations

import argparse
import json
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.serve import free_port  # noqa: E402
from kg.sparql import bind_params, example_bindings, examples  # noqa: E402


def post(url: str, text: str) -> tuple[int, bytes]:
    data = urllib.parse.urlencode({"query": text}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError as e:
        return 0, str(e).encode()


def workload(url: str) -> list[tuple[str, str]]:
    """(name, bound query) pairs: every shipped query; those with a name parameter once per chosen name."""
    shared = next(ex for ex in examples().values() if ex.name == "shared-entities")
    status, body = post(url, bind_params(shared.text, example_bindings(shared, {})))
    names = [b["name"]["value"] for b in json.loads(body)["results"]["bindings"][:4]] if status == 200 else []
    out = []
    for ex in examples().values():
        if "name" in ex.params:
            for name in names or [ex.params["name"][0]]:
                out.append((ex.name, bind_params(ex.text, example_bindings(ex, {"name": name}))))
        else:
            out.append((ex.name, bind_params(ex.text, example_bindings(ex, {}))))
    return out


@contextmanager
def served(out: Path, timeout: int) -> Iterator[tuple[str, float]]:
    """``kg serve OUT`` in a process of its own: (its query URL, seconds until it answered)."""
    port = free_port()
    command = [sys.executable, "-m", "kg", "serve", str(out), "--port", str(port)]
    if timeout:
        command += ["--timeout", str(timeout)]
    else:  # Oxigraph's server alone: what `kg serve --writable` runs, here read-only
        command = [sys.executable, "-c", "import sys\nfrom kg.serve import Server\n"
                   f"with Server(sys.argv[1], port={port}, timeout_s=None) as s:\n"
                   "    try:\n        s.wait()\n    except KeyboardInterrupt:\n        pass\n", str(out)]
    url = f"http://127.0.0.1:{port}/query"
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(f"kg serve stopped at start (exit status {process.returncode})")
            status, _ = post(url, "ASK {}")
            if status == 200:
                break
            time.sleep(0.05)
        yield url, time.perf_counter() - started
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="a kg build folder")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=200)
    parser.add_argument("--timeout", type=int, default=30,
                        help="kg serve --timeout; 0 serves Oxigraph directly, without kg's query workers (kg.gate)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)

    with served(args.out, args.timeout) as (query_url, ready):
        queries = workload(query_url)
        timings: list[tuple[str, float, bool]] = []
        lock = threading.Lock()

        def client(k: int) -> None:
            mine = []
            for i in range(args.per_client):
                name, text = queries[(k + i) % len(queries)]
                t = time.perf_counter()
                status, body = post(query_url, text)
                ok = status == 200 and body.startswith(b"{") and b'"results"' in body
                mine.append((name, time.perf_counter() - t, ok))
            with lock:
                timings.extend(mine)

        threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began

    latencies = [s for _, s, _ in timings]
    errors = sum(1 for _, _, ok in timings if not ok)
    per_query = {}
    for name in sorted({n for n, _, _ in timings}):
        xs = [s for n, s, _ in timings if n == name]
        per_query[name] = {"n": len(xs), "p50_ms": 1000 * statistics.median(xs), "p99_ms": 1000 * percentile(xs, .99)}
    report = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": __import__("os").cpu_count()},
        "folder": str(args.out), "clients": args.clients, "per_client": args.per_client,
        "ready_s": ready, "queries": len(timings), "errors": errors, "wall_s": wall,
        "throughput_qps": len(timings) / wall if wall else 0.0,
        "p50_ms": 1000 * statistics.median(latencies), "p99_ms": 1000 * percentile(latencies, .99),
        "max_ms": 1000 * max(latencies), "per_query": per_query,
    }
    print(f"ready        {ready:.2f} s")
    print(f"queries      {len(timings)} ({args.clients} clients x {args.per_client}), errors {errors}")
    print(f"throughput   {report['throughput_qps']:.1f} queries/s over {wall:.1f} s")
    print(f"latency      p50 {report['p50_ms']:.1f} ms, p99 {report['p99_ms']:.1f} ms, max {report['max_ms']:.1f} ms")
    for name, figures in per_query.items():
        print(f"  {name:24s} n={figures['n']:5d}  p50 {figures['p50_ms']:8.1f} ms  p99 {figures['p99_ms']:8.1f} ms")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
