#!/usr/bin/env python3
"""Retrain kg's typing model and concept ranking model from every annotated transcript, into the package.

usage: python scripts/train_typing.py [--shared DIR] [--out FILE] [--concepts-out FILE] [--c C]

The typing model reads the repository's annotated fixtures (eval/gold,
samples/*.gold.json) and, when present, the shared gold sets (DIR/gold,
DIR/gold/dev; default ../shared); the concept ranking model reads those and the
written interviews of eval/unseen (`kg.training.concept_pairs`).  Neither
reads eval/heldout.  Needs scikit-learn (pip install -e '.[train]').  The model's
quality on transcripts it did not learn from is measured by
``python benchmarks/eval_extraction.py --loo``: run it after retraining.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract.classifier import CONCEPT_MODEL, DEFAULT_MODEL, TypingModel  # noqa: E402
from kg.extract.spacy_ner import SpacyExtractor  # noqa: E402
from kg.training import CONCEPT_C, DEFAULT_C, concept_examples, concept_pairs, examples, fit, gold_pairs  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    ap.add_argument("--concepts-out", type=Path, default=CONCEPT_MODEL)
    ap.add_argument("--c", type=float, default=DEFAULT_C, help="inverse regularisation strength")
    args = ap.parse_args()
    pairs = gold_pairs(ROOT, args.shared)
    # neither model file is needed to retrain: a missing or outdated one must not stop its own rebuild
    blank = TypingModel(("None", "Concept"), {}, (0.0, 0.0), {})
    extractor = SpacyExtractor(typing=blank, concepts=blank)
    t = time.perf_counter()
    groups = []
    for pair in pairs:
        groups.append(examples(pair, extractor))
        print(f"{pair.name:45s} {len(groups[-1]):5d} examples", file=sys.stderr)
    model = fit(groups, c=args.c, meta={"trained_on": [p.name for p in pairs], "examples": sum(map(len, groups)),
                                        "c": args.c, "date": date.today().isoformat()})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    extractor.typing = model  # the concept phrases avoid the names the new model finds
    learners = concept_pairs(ROOT, args.shared)
    concept_groups = [concept_examples(pair, extractor) for pair in learners]
    concepts = fit(concept_groups, c=CONCEPT_C, meta={"trained_on": [p.name for p in learners],
                                                       "examples": sum(map(len, concept_groups)),
                                                       "c": CONCEPT_C, "date": date.today().isoformat()})
    concepts.save(args.concepts_out)
    print(f"wrote {args.concepts_out}: {len(concepts.weights)} features, "
          f"{sum(map(len, concept_groups))} phrase examples", file=sys.stderr)
    print(f"wrote {args.out}: {len(model.weights)} features, {len(model.classes)} classes, "
          f"{sum(map(len, groups))} examples from {len(pairs)} transcripts in {time.perf_counter() - t:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
