#!/usr/bin/env python3
"""Extraction glue: kg's own extraction work on Docs parsed beforehand, spaCy left out.

usage: python benchmarks/extraction_glue.py [--n 12] [--words 1500] [--seed 1] [--repeats 7]

`build_speed.py` compares kg with bare spaCy, but kg's own extraction work
(candidates, rules, features, the typing model, concepts) is a fifth of a
build, and on a busy machine the noise in spaCy's share hides a change in
it.  This script parses a synthetic corpus once, then runs
``SpacyExtractor.extract_one`` on every interview with ``nlp.pipe`` handing
back those Docs, and prints the fastest CPU time of ``--repeats`` rounds
and a digest of the extracted turns (same digest, same extraction).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import generate  # noqa: E402

from kg.extract import make_extractor, spacy_ner  # noqa: E402
from kg.pipeline import BuildConfig, read_corpus  # noqa: E402


class _Parsed:
    """Stands for a spaCy pipeline whose ``pipe`` returns Docs parsed beforehand."""

    def __init__(self, docs: list[Any]) -> None:
        self.docs = docs

    def pipe(self, texts: Iterable[str], batch_size: int = 32) -> Iterator[Any]:
        for _ in texts:
            pass
        return iter(self.docs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=12, help="synthetic interviews (default 12)")
    ap.add_argument("--words", type=int, default=1500, help="words per interview (default 1500)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=7, help="rounds; the fastest counts (default 7)")
    args = ap.parse_args(argv)

    config = BuildConfig(cache_dir=None)
    extractor = make_extractor(config.ner, model=config.model)
    if not isinstance(extractor, spacy_ner.SpacyExtractor):
        raise SystemExit(f"the default extractor is {type(extractor).__name__}, not the spaCy one this times")
    with tempfile.TemporaryDirectory(prefix="kg-glue-") as tmp:
        generate(Path(tmp), args.n, words=args.words, seed=args.seed)
        interviews = read_corpus([Path(tmp)], config)
    parsed = {}
    for iv in interviews:
        nlp = spacy_ner.load_pipeline(extractor.model_for(iv.language or "fr"))
        parsed[iv.id] = list(nlp.pipe((t.text for t in iv.turns if t.end > t.start), batch_size=32))

    current: dict[str, _Parsed] = {}
    spacy_ner.load_pipeline = lambda name: current["nlp"]  # type: ignore[assignment,return-value]

    def run() -> list[Any]:
        out = []
        for iv in interviews:
            current["nlp"] = _Parsed(parsed[iv.id])
            out.append(extractor.extract_one(iv))
        return out

    digest = hashlib.sha256(repr([iv.turns for iv in run()]).encode()).hexdigest()[:16]  # not the temporary paths
    times = []
    for _ in range(args.repeats):
        t = time.process_time()
        run()
        times.append(time.process_time() - t)
    print(f"extraction glue: {min(times):.3f} s CPU (fastest of {args.repeats}: "
          f"{', '.join(f'{x:.3f}' for x in times)}); extracted turns' digest {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
