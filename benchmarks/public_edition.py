#!/usr/bin/env python3
"""The cost of a public edition: ``kg build --consent`` against a plain build of the same corpus, in one process.

usage: python benchmarks/public_edition.py [--corpus PATH] [--n 6] [--words 1500] [--repeats 3] [--json OUT]

Builds the transcripts at ``--corpus`` (by default the shared Barradeau
interview, ../shared/corpus/barradeau-2022.txt; ``--corpus synthetic`` writes
``--n`` synthetic interviews of ``--words`` words, benchmarks/synthetic.py).
The consent file is the one ``kg consent init`` would write for the corpus
(participants and people named by a first name pseudonymised), so the edition
has real work to do.  After one warm-up build that loads the models, it
alternates ``--repeats`` times:

* a plain build (``kg.pipeline.build_into``, forced, no extraction cache);
* a public build (``kg.consent.edition.build_public``, no extraction cache):
  the same build, the edition, the outputs written beside the folder, the
  leak check of every file, the move into place;

and keeps the fastest of each.  Prints both times, the ratio (the consent
issue's target is <= 1.2), the leak check's own time on the edition's files,
and the machine; ``--json`` writes it all.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from kg import __version__  # noqa: E402
from kg.consent.edition import build_public  # noqa: E402
from kg.consent.leaks import LeakFinder  # noqa: E402
from kg.consent.profile import load_consent  # noqa: E402
from kg.consent.starter import starter  # noqa: E402
from kg.pipeline import BuildConfig, build, build_into  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "barradeau-2022.txt"))
    parser.add_argument("--n", type=int, default=6)
    parser.add_argument("--words", type=int, default=1500)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-public-bench."))
    if args.corpus == "synthetic":
        from synthetic import generate

        generate(work / "corpus", args.n, words=args.words)
        paths = [work / "corpus"]
    else:
        paths = [Path(args.corpus)]
    config = BuildConfig(cache_dir=None)
    graph = build(paths, config)  # warm-up: models loaded, caches of the interpreter filled
    consent = work / "consent.yaml"
    consent.write_text(starter(graph), encoding="utf-8")
    restricted = [p.name for p in load_consent(consent).people if p.restricted]
    plain, public = [], []
    for _ in range(args.repeats):
        started = time.perf_counter()
        build_into(paths, work / "private", config, force=True)
        plain.append(time.perf_counter() - started)
        started = time.perf_counter()
        build_public(paths, work / "public", config, consent)
        public.append(time.perf_counter() - started)
    started = time.perf_counter()
    LeakFinder(load_consent(consent).restricted_forms()).in_folder(work / "public")
    check = time.perf_counter() - started
    size = sum(p.stat().st_size for p in (work / "public").iterdir() if p.is_file())
    result = {
        "machine": {"platform": f"{platform.system()} {platform.release()} {platform.machine()}",
                    "python": platform.python_version(), "cores": os.cpu_count(), "kg": __version__,
                    "loadavg": os.getloadavg()},
        "corpus": args.corpus if args.corpus != "synthetic" else f"synthetic {args.n}x{args.words}",
        "interviews": len(graph.interviews), "entities": len(graph.entities), "restricted_people": len(restricted),
        "plain_s": round(min(plain), 2), "public_s": round(min(public), 2),
        "ratio": round(min(public) / min(plain), 3), "leak_check_s": round(check, 2),
        "edition_bytes": size, "repeats": args.repeats,
    }
    print(f"corpus       {result['corpus']}: {result['interviews']} interviews, {result['entities']} entities, "
          f"{len(restricted)} people pseudonymised or hidden")
    print(f"plain build  {result['plain_s']:.2f} s (fastest of {args.repeats})")
    print(f"public build {result['public_s']:.2f} s (fastest of {args.repeats})")
    print(f"ratio        {result['ratio']:.3f} (target <= 1.2)")
    print(f"leak check   {result['leak_check_s']:.2f} s over {size / 2**20:.1f} MiB")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
