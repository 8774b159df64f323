#!/usr/bin/env python3
"""The spaCy pipelines as kg loads them against the same models as their packages ship them.

usage: python benchmarks/attribute_rules.py [--n 12] [--words 1500] [--seed 1] [--repeats 4] [--json OUT]

kg applies each model's attribute rules by look-up (`kg.extract.attribute_rules`)
instead of through spaCy's ``AttributeRuler``.  This script reads a synthetic
corpus (``synthetic.py``) as kg reads it, then runs ``nlp.pipe`` over every
turn text with both pipelines per language, alternating which goes first,
``--repeats`` rounds, and prints the fastest CPU time of each, their ratio,
and whether the two annotated every token alike (parts of speech, tags,
morphology, lemmas, dependencies, entities, sentence starts).  Nothing here
asserts: `tests/test_attribute_rules.py` does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import generate  # noqa: E402

from kg.extract.spacy_ner import default_model, load_pipeline  # noqa: E402
from kg.pipeline import BuildConfig, read_corpus  # noqa: E402


def digest(docs: list[Any]) -> str:
    """What the pipeline said of every token, hashed."""
    h = hashlib.sha256()
    for doc in docs:
        for t in doc:
            h.update(f"{t.pos_}|{t.tag_}|{t.morph}|{t.lemma_}|{t.dep_}|{t.head.i}|{t.ent_iob_}{t.ent_type_}|"
                     f"{t.is_sent_start}\n".encode())
    return h.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    import spacy

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=12)
    ap.add_argument("--words", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=4)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kg-attribute-rules-") as tmp:
        generate(Path(tmp), args.n, words=args.words, seed=args.seed)
        interviews = read_corpus([Path(tmp)], BuildConfig(cache_dir=None))
    texts: dict[str, list[str]] = {}
    for iv in interviews:
        texts.setdefault(iv.language or "fr", []).extend(t.text for t in iv.turns if t.end > t.start)
    models = {lang: default_model(lang) for lang in sorted(texts)}
    pipelines = {"stock": {lang: spacy.load(name) for lang, name in models.items()},
                 "kg": {lang: load_pipeline(name) for lang, name in models.items()}}
    times: dict[str, list[float]] = {"stock": [], "kg": []}
    digests: dict[str, str] = {}
    for r in range(args.repeats):
        for which in ("stock", "kg") if r % 2 == 0 else ("kg", "stock"):
            started = time.process_time()
            docs = [doc for lang in texts for doc in pipelines[which][lang].pipe(texts[lang], batch_size=32)]
            times[which].append(time.process_time() - started)
            digests[which] = digest(docs)
    ratio = min(times["kg"]) / min(times["stock"])
    words = sum(len(x.split()) for batch in texts.values() for x in batch)
    print(f"{len(interviews)} interviews, {words:,} words; models {', '.join(models.values())}")
    for which in ("stock", "kg"):
        print(f"  {which:5s} fastest {min(times[which]):.2f} s CPU ({', '.join(f'{t:.2f}' for t in times[which])})"
              f"  annotations {digests[which]}")
    print(f"kg / stock = {ratio:.3f}; same annotations: {digests['kg'] == digests['stock']}")
    if args.json:
        args.json.write_text(json.dumps({"interviews": len(interviews), "words": words, "models": models,
                                         "cpu_s": times, "ratio": round(ratio, 3),
                                         "same_annotations": digests["kg"] == digests["stock"]}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
