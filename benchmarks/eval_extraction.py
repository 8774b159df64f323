#!/usr/bin/env python3
"""Scored evaluation of extraction: build every annotated transcript with kg and score its graph.

usage: python benchmarks/eval_extraction.py [--set all|dev|shared|repo] [--loo] [--json OUT] [--c C]

Sets: ``repo`` (eval/gold fixtures and the sample), ``shared`` (the two shared
samples in ../shared/gold), ``dev`` (the development set in ../shared/gold/dev).
Each transcript is built alone, written as Turtle and scored with the shared
scorer (../shared/tools/score_entities.py; kg.evaluate where it is absent).

``--loo`` measures what generalises: for each scored transcript, the typing
model is retrained on every other annotated transcript (all sets) and the
transcript is built with that model, so no figure comes from a model that
saw the file.  Without it, the model shipped in the package is used: its
figures are in-sample for every file it was trained on.

Prints per-file precision, recall and F1 of named entities, concept core
recall and precision, duplicates, the error classes (markup, labels, type
confusions, boundaries, other false positives, misses) and the means per set;
``--json`` writes all of it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from kg.extract.spacy_ner import SpacyExtractor  # noqa: E402
from kg.extract.training import DEFAULT_C, GoldPair, examples, fit, gold_pairs, norm  # noqa: E402
from kg.pipeline import BuildConfig, build, write_outputs  # noqa: E402

MARKUP = re.compile(r"\]\(|\*\*|</?[a-z]|https?:|[#|<>\[\]]")
ROLE_WORDS = {"interviewer", "intervieweur", "intervieweuse", "interviewe", "interviewee", "chercheur", "chercheuse",
              "question", "reponse", "answer", "q", "a", "r", "host", "guest", "audience", "speaker", "voixoff",
              "participant", "animateur", "animatrice", "invite", "invitee", "journaliste", "nom", "prenom", "bip",
              "xxx", "inaudible", "rires", "laughs", "laughter", "crosstalk"}


def set_of(pair: GoldPair) -> str:
    parts = pair.gold.resolve().parts
    if "dev" in parts[-2:]:
        return "dev"
    return "shared" if SHARED.resolve() in pair.gold.resolve().parents else "repo"


def scorer() -> tuple[str, Callable[[Path, Path], dict[str, Any]]]:
    path = SHARED / "tools" / "score_entities.py"
    if path.is_file():
        spec = importlib.util.spec_from_file_location("score_entities", path)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        return "shared score_entities.py", lambda g, gold: module.score(str(g), str(gold))
    from kg.evaluate import evaluate

    return "kg.evaluate", evaluate


def error_classes(result: dict[str, Any], gold: dict[str, Any]) -> dict[str, Any]:
    """Sort false positives into the classes the extraction issue names."""
    aliases = {norm(a): e["type"] for e in gold["entities"] for a in [e["name"], *e.get("aliases", [])] if norm(a)}
    speakers = {norm(s) for s in gold.get("speakers", {})}
    classes: dict[str, list[str]] = {"markup": [], "label": [], "type": [], "boundary": [], "other": []}
    confusions: Counter[str] = Counter()
    for item in result["false_positives"]:
        kind, _, name = item.partition(":")
        key = norm(name)
        if MARKUP.search(name):
            classes["markup"].append(item)
        elif key in ROLE_WORDS or (key in speakers and key not in aliases):
            classes["label"].append(item)
        elif key in aliases:
            classes["type"].append(item)
            confusions[f"{kind}->{aliases[key]}"] += 1
        elif len(key) >= 4 and any(len(a) >= 4 and (a in key or key in a) for a in aliases):
            classes["boundary"].append(item)
        else:
            classes["other"].append(item)
    return {"false_positive_classes": classes, "type_confusions": dict(confusions.most_common())}


class Replaying(SpacyExtractor):
    """A spaCy extractor that parses each transcript once and replays its proposals for every fold's model."""

    def __init__(self) -> None:
        super().__init__()
        self._proposed: dict[str, Any] = {}

    def propose(self, interview):  # type: ignore[no-untyped-def]
        if interview.checksum not in self._proposed:
            self._proposed[interview.checksum] = super().propose(interview)
        return self._proposed[interview.checksum]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=("all", "dev", "shared", "repo"), default="all")
    ap.add_argument("--loo", action="store_true", help="leave one transcript out: retrain the model without it")
    ap.add_argument("--c", type=float, default=None, help="regularisation of the retrained models (--loo)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    everything = gold_pairs(ROOT, SHARED)
    scored = [p for p in everything if args.set == "all" or set_of(p) == args.set]
    if not scored:
        print(f"no annotated transcripts for --set {args.set} (is ../shared there?)", file=sys.stderr)
        return 2
    extractor = Replaying()
    groups: dict[Path, list[Any]] = {}
    if args.loo:
        c = args.c if args.c is not None else DEFAULT_C
        for pair in everything:
            groups[pair.gold] = examples(pair, extractor)
    name, score = scorer()
    config = BuildConfig(html=False, formats=("ttl",))
    rows = []
    for pair in scored:
        if args.loo:
            extractor.typing = fit([g for k, g in groups.items() if k != pair.gold], c=c)
        gold = json.loads(pair.gold.read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as out:
            t = time.perf_counter()
            graph = build([pair.transcript], config, extractor=extractor)
            write_outputs(graph, out, config)
            result = score(Path(out) / "graph.ttl", pair.gold)
            result["seconds"] = round(time.perf_counter() - t, 2)
        result.update(error_classes(result, gold))
        result["transcript"] = pair.name
        result["set"] = set_of(pair)
        rows.append(result)
        ne, con = result["named_entities"], result["concepts"]
        fpc = {k: len(v) for k, v in result["false_positive_classes"].items()}
        print(f"{pair.name:42s} {result['set']:6s} P={ne['precision']:.2f} R={ne['recall']:.2f} F1={ne['f1']:.2f} "
              f"cR={_num(con['core_recall'])} cP={_num(con.get('precision'))} dup={len(result['duplicates'])} "
              f"fp={fpc} missed={len(result['missed'])}", flush=True)
    summary = {s: _means([r for r in rows if r["set"] == s]) for s in ("dev", "shared", "repo") if any(r["set"] == s for r in rows)}
    for s, m in summary.items():
        print(f"mean {s:6s} ({m['transcripts']:2d}) F1={m['f1']:.3f} P={m['precision']:.3f} R={m['recall']:.3f} "
              f"concept recall={m['concept_recall']:.3f} concept precision={m['concept_precision']:.3f} "
              f"duplicates={m['duplicates']}  [{'leave-one-out' if args.loo else 'shipped model'}; {name}]")
    confusions: Counter[str] = Counter()
    for r in rows:
        confusions.update(r["type_confusions"])
    print("type confusions (predicted->gold):", ", ".join(f"{k} {v}" for k, v in confusions.most_common(8)) or "-")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"mode": "loo" if args.loo else "shipped", "scorer": name, "means": summary,
                                         "files": rows}, indent=1, ensure_ascii=False) + "\n")
    return 0


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _means(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def mean(values: list[float | None]) -> float:
        kept = [v for v in values if v is not None]
        return statistics.mean(kept) if kept else 0.0
    return {"transcripts": len(rows),
            "f1": mean([r["named_entities"]["f1"] for r in rows]),
            "precision": mean([r["named_entities"]["precision"] for r in rows]),
            "recall": mean([r["named_entities"]["recall"] for r in rows]),
            "concept_recall": mean([r["concepts"]["core_recall"] for r in rows]),
            "concept_precision": mean([r["concepts"].get("precision") for r in rows]),
            "duplicates": sum(len(r["duplicates"]) for r in rows)}


if __name__ == "__main__":
    sys.exit(main())
