"""Time the NER backends on the same texts: spaCy vs transformers, and transformers on CPU vs CUDA.

By default the transformers model is a tiny BERT built on the spot with
random weights (``tests/tiny_hf.py``; nothing is downloaded), sized by
``--hidden``, ``--layers`` and ``--positions``; ``--model FOLDER`` times a real
one instead.  The texts are the turns of ``--corpus`` (default: the shipped
sample), repeated ``--repeat`` times.  Reported, best of ``--runs`` after one
warm-up run:

- ``spacy``: the spaCy backend's whole extraction;
- ``transformers/cpu`` and ``transformers/cuda``: the transformers backend's whole
  extraction (spaCy for sentences and typing, the model for NER);
- ``ner-only/cpu`` and ``ner-only/cuda``: the model alone on the turns' texts,
  which is where the device matters.

    .venv/bin/python benchmarks/ner_backends.py
    .venv/bin/python benchmarks/ner_backends.py --repeat 20 --hidden 256 --layers 4 --batch-size 64
    .venv/bin/python benchmarks/ner_backends.py --model ~/models/camembert-ner --json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _tiny_builder() -> Callable[..., Path]:
    spec = importlib.util.spec_from_file_location("kg_tiny_hf", ROOT / "tests" / "tiny_hf.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_tiny_ner  # type: ignore[no-any-return]


def _extract_all(extractor: Callable[[Any], Any], interviews: list[Any]) -> list[Any]:
    return list(extractor(interviews))


def _best(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up: model loads, CUDA kernels, caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "samples" / "entretien-atelier.md")
    parser.add_argument("--repeat", type=int, default=5, help="Interviews: the corpus' ones, this many times.")
    parser.add_argument("--model", help="A token-classification model folder (default: a tiny random BERT).")
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--positions", type=int, default=512, help="The tiny model's max length.")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
    args = parser.parse_args(argv)

    import torch

    from kg.extract.hf_ner import TransformersExtractor, TransformersNer
    from kg.extract.spacy_ner import SpacyExtractor
    from kg.ingest import discover, read_transcript

    interviews = [read_transcript(p) for p in discover([args.corpus])]
    interviews = [replace(iv, id=f"{iv.id}-{k}") for k in range(args.repeat) for iv in interviews]
    texts = [t.text for iv in interviews for t in iv.turns if t.end > t.start]
    chars = sum(map(len, texts))
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    with tempfile.TemporaryDirectory() as tmp:
        model = args.model or str(_tiny_builder()(Path(tmp) / "tiny-ner", rules={}, hidden=args.hidden,
                                                  layers=args.layers, max_positions=args.positions))
        spacy = SpacyExtractor(batch_size=args.batch_size)
        seconds: dict[str, float] = {"spacy": _best(partial(_extract_all, spacy, interviews), args.runs)}
        for device in devices:
            extractor = TransformersExtractor(model, device=device, batch_size=args.batch_size)
            seconds[f"transformers/{device}"] = _best(partial(_extract_all, extractor, interviews), args.runs)
            ner = TransformersNer(model, device=device, batch_size=args.batch_size)
            seconds[f"ner-only/{device}"] = _best(partial(ner.entities, texts), args.runs)
    result: dict[str, Any] = {
        "interviews": len(interviews), "turns": len(texts), "chars": chars, "model": model if args.model else
        f"tiny random BERT (hidden {args.hidden}, {args.layers} layers, {args.positions} positions)",
        "torch": torch.__version__, "gpu": torch.cuda.get_device_name(0) if "cuda" in devices else None,
        "batch_size": args.batch_size, "seconds": {k: round(v, 4) for k, v in seconds.items()},
        "chars_per_s": {k: round(chars / v) for k, v in seconds.items()},
        "ratios": {f"transformers/{d} vs spacy": round(seconds[f"transformers/{d}"] / seconds["spacy"], 2)
                   for d in devices},
    }
    if "cuda" in devices:
        whole = seconds["transformers/cpu"] / seconds["transformers/cuda"]
        result["ratios"]["cuda speed-up, whole extraction"] = round(whole, 2)
        result["ratios"]["cuda speed-up, ner only"] = round(seconds["ner-only/cpu"] / seconds["ner-only/cuda"], 2)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['interviews']} interviews, {result['turns']} turns, {chars:,} chars; model: {result['model']}; "
              f"torch {result['torch']}; GPU: {result['gpu'] or 'none'}")
        for k, v in seconds.items():
            print(f"  {k:20s} {v:8.3f} s  {chars / v:12,.0f} chars/s")
        for k, v in result["ratios"].items():
            print(f"  {k:40s} x{v}")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
