#!/usr/bin/env python3
"""Scored evaluation of extraction: build every annotated transcript with kg and score its graph.

usage: python benchmarks/eval_extraction.py [--set all|dev|shared|repo|unseen|heldout] [--only NAME] [--loo]
                                           [--by transcript|series] [--train SET] [--json OUT] [--markdown OUT] [--c C]
                                           [--save-models DIR | --models DIR]

Sets: ``repo`` (eval/gold fixtures and the sample), ``shared`` (the two shared
samples in ../shared/gold), ``dev`` (the development set in ../shared/gold/dev),
``unseen`` (eval/unseen: written interviews annotated after the rules and
models they test; the typing model never learns from them, the concept ranking
model does, leaving the scored one out under ``--loo``) and ``heldout``
(eval/heldout: the same, but only ever scored to report a figure: no change is
chosen by its score and its errors are not read, so it stays a fair test).
Each transcript is built alone, written as Turtle and scored with the shared
scorer (../shared/tools/score_entities.py; kg.evaluate where it is absent).

``--loo`` measures what generalises: for each scored transcript, both
models are retrained on every other transcript they learn from and the
transcript is built with that model, so no figure comes from a model that
saw the file.  Without it, the model shipped in the package is used: its
figures are in-sample for every file it was trained on.

Prints per-file precision, recall and F1 of named entities, concept core
recall and precision, duplicates, the error classes (markup, labels, type
confusions, boundaries, other false positives, misses) and the means per set;
``--json`` writes all of it, ``--markdown`` the table the docs quote.  With
``--loo`` every file is scored both ways, and P, R and the concept columns of
the table are the leave-one-out ones.

Retraining moves the leave-one-out figures by a few thousandths whenever a
feature or a rule's output changes, which hides the direct effect of a small
rule.  ``--loo --save-models DIR`` keeps each file's two models; a later
``--loo --models DIR`` on changed code scores with those models instead of
retraining, so the difference between the two runs is the change alone.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from kg.extract.classifier import load_model  # noqa: E402
from kg.extract.spacy_ner import SpacyExtractor  # noqa: E402
from kg.pipeline import BuildConfig, build, write_outputs  # noqa: E402
from kg.training import (  # noqa: E402
    CONCEPT_C,
    DEFAULT_C,
    GoldPair,
    concept_examples,
    concept_pairs,
    examples,
    fit,
    gold_pairs,
    norm,
    unseen_pairs,
)

MARKUP = re.compile(r"\]\(|\*\*|</?[a-z]|https?:|[#|<>\[\]]")
ROLE_WORDS = {"interviewer", "intervieweur", "intervieweuse", "interviewe", "interviewee", "chercheur", "chercheuse",
              "question", "reponse", "answer", "q", "a", "r", "host", "guest", "audience", "speaker", "voixoff",
              "participant", "animateur", "animatrice", "invite", "invitee", "journaliste", "nom", "prenom", "bip",
              "xxx", "inaudible", "rires", "laughs", "laughter", "crosstalk"}


SETS = ("dev", "shared", "repo", "unseen", "heldout")


def set_of(pair: GoldPair) -> str:
    parts = pair.gold.resolve().parts
    for held in ("unseen", "heldout"):
        if held in parts[-3:]:
            return held
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
    ap.add_argument("--set", choices=("all", *SETS), default="all")
    ap.add_argument("--loo", action="store_true",
                    help="also leave one transcript out: retrain the model without it (both figures reported)")
    ap.add_argument("--c", type=float, default=None, help="regularisation of the retrained models (--loo)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--markdown", type=Path, help="write the per-file table and the means as Markdown")
    ap.add_argument("--only", help="score only the transcripts whose file name contains this")
    ap.add_argument("--keep", type=Path, help="also copy each built graph here, as MODE/TRANSCRIPT.ttl, to inspect")
    ap.add_argument("--train", choices=("all", "dev", "shared", "repo"), default="all",
                    help="the annotated transcripts the leave-one-out models learn from (default: all)")
    ap.add_argument("--by", choices=("transcript", "series"), default="transcript",
                    help="with --loo, leave out the scored transcript (default) or every transcript of its "
                         "publication (the gold's source): what carries to a podcast or site never seen")
    ap.add_argument("--save-models", type=Path, metavar="DIR",
                    help="with --loo, also write each file's leave-one-out models to DIR")
    ap.add_argument("--models", type=Path, metavar="DIR",
                    help="with --loo, score with the leave-one-out models saved in DIR instead of retraining: "
                         "a rule changed since they were saved is then measured without the retraining's wobble")
    args = ap.parse_args()
    everything = gold_pairs(ROOT, SHARED)  # what the models learn from
    scored = [p for p in [*everything, *unseen_pairs(ROOT), *unseen_pairs(ROOT, "heldout")]
              if (args.set == "all" or set_of(p) == args.set) and (args.only or "") in p.name]
    if not scored:
        print(f"no annotated transcripts for --set {args.set} (is ../shared there?)", file=sys.stderr)
        return 2
    if (args.models or args.save_models) and not args.loo:
        print("--models and --save-models are leave-one-out models: add --loo", file=sys.stderr)
        return 2
    if args.models:
        missing = [p.name for p in scored if not all((args.models / kind / f"{p.name}.json").is_file()
                                                     for kind in ("typing", "concepts"))]
        if missing:
            print(f"{args.models}: no saved models for {missing[0]} ({len(missing)} files); "
                  "save them first with --loo --save-models", file=sys.stderr)
            return 2
    extractor = Replaying()
    shipped, shipped_concepts = extractor.typing, extractor.concepts
    groups: dict[Path, list[Any]] = {}
    concept_groups: dict[Path, list[Any]] = {}
    series: dict[Path, Any] = {}  # --by series: each gold file's publication; by transcript, the file itself
    if args.loo and not args.models:
        for pair in [*concept_pairs(ROOT, SHARED), *unseen_pairs(ROOT, "heldout")]:
            series[pair.gold] = pair.series if args.by == "series" else pair.gold
        for pair in concept_pairs(ROOT, SHARED):
            if args.train == "all" or set_of(pair) == args.train:
                if set_of(pair) != "unseen":  # the concept model alone learns from the written interviews
                    groups[pair.gold] = examples(pair, extractor)
                concept_groups[pair.gold] = concept_examples(pair, extractor)
    name, score = scorer()
    modes = ("loo", "shipped") if args.loo else ("shipped",)
    rows: dict[str, list[dict[str, Any]]] = {m: [] for m in modes}
    for pair in scored:
        gold = json.loads(pair.gold.read_text(encoding="utf-8"))
        for mode in modes:
            if mode == "loo" and args.models:
                extractor.typing = load_model(args.models / "typing" / f"{pair.name}.json")
                extractor.concepts = load_model(args.models / "concepts" / f"{pair.name}.json")
            elif mode == "loo":
                c = args.c if args.c is not None else DEFAULT_C
                left = series[pair.gold]
                extractor.typing = fit([g for k, g in groups.items() if series[k] != left], c=c)
                extractor.concepts = fit([g for k, g in concept_groups.items() if series[k] != left], c=CONCEPT_C)
                if args.save_models:
                    for kind, model in (("typing", extractor.typing), ("concepts", extractor.concepts)):
                        (args.save_models / kind).mkdir(parents=True, exist_ok=True)
                        model.save(args.save_models / kind / f"{pair.name}.json")
            else:
                extractor.typing, extractor.concepts = shipped, shipped_concepts
            keep = args.keep / mode / f"{pair.name}.ttl" if args.keep else None
            result = _build_and_score(pair, extractor, score, keep)
            result.update(error_classes(result, gold))
            result["transcript"], result["set"] = pair.name, set_of(pair)
            rows[mode].append(result)
            ne, con = result["named_entities"], result["concepts"]
            fpc = {k: len(v) for k, v in result["false_positive_classes"].items()}
            print(f"{pair.name:42s} {result['set']:6s} {mode:7s} P={ne['precision']:.2f} R={ne['recall']:.2f} "
                  f"F1={ne['f1']:.2f} cR={_num(con['core_recall'])} cP={_num(con.get('precision'))} "
                  f"dup={len(result['duplicates'])} fp={fpc} missed={len(result['missed'])}", flush=True)
    summary = {mode: {s: _means([r for r in rows[mode] if r["set"] == s]) for s in SETS
                      if any(r["set"] == s for r in rows[mode])} for mode in modes}
    for mode in modes:
        for s, m in summary[mode].items():
            print(f"mean {s:6s} ({m['transcripts']:2d}) {mode:7s} F1={m['f1']:.3f} P={m['precision']:.3f} "
                  f"R={m['recall']:.3f} concept recall={m['concept_recall']:.3f} "
                  f"concept precision={m['concept_precision']:.3f} duplicates={m['duplicates']}")
    confusions: Counter[str] = Counter()
    for r in rows[modes[0]]:
        confusions.update(r["type_confusions"])
    print(f"type confusions ({modes[0]}, predicted->gold):",
          ", ".join(f"{k} {v}" for k, v in confusions.most_common(8)) or "-")
    print(f"scored with {name}; 'loo' = typing model retrained without the file, 'shipped' = kg's own model")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"scorer": name, "means": summary, "files": rows}, indent=1,
                                        ensure_ascii=False) + "\n")
    if args.markdown:
        args.markdown.write_text(markdown(rows, summary, modes), encoding="utf-8")
    return 0


def _build_and_score(pair: GoldPair, extractor: SpacyExtractor,
                     score: Callable[[Path, Path], dict[str, Any]], keep: Path | None = None) -> dict[str, Any]:
    config = BuildConfig(html=False, formats=("ttl",))
    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        graph = build([pair.transcript], config, extractor=extractor)
        write_outputs(graph, out, config)
        result = score(Path(out) / "graph.ttl", pair.gold)
        result["seconds"] = round(time.perf_counter() - t, 2)
        if keep is not None:
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(out) / "graph.ttl", keep)
    return result


def markdown(rows: dict[str, list[dict[str, Any]]], summary: dict[str, Any], modes: tuple[str, ...]) -> str:
    """The per-file table (leave-one-out beside in-sample where both ran) and the means per set."""
    head = "| transcript | set | " + " | ".join(
        f"F1 {m}" for m in modes) + " | P | R | concept recall | concept precision | duplicates |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    first = modes[0]
    for i, r in enumerate(rows[first]):
        ne, con = r["named_entities"], r["concepts"]
        f1s = " | ".join(f"{rows[m][i]['named_entities']['f1']:.2f}" for m in modes)
        lines.append(f"| {r['transcript']} | {r['set']} | {f1s} | {ne['precision']:.2f} | {ne['recall']:.2f} | "
                     f"{_num(con['core_recall'])} | {_num(con.get('precision'))} | {len(r['duplicates'])} |")
    for s in summary[first]:
        f1s = " | ".join(f"**{summary[m][s]['f1']:.3f}**" for m in modes)
        m = summary[first][s]
        lines.append(f"| mean of {m['transcripts']} | {s} | {f1s} | {m['precision']:.3f} | {m['recall']:.3f} | "
                     f"{m['concept_recall']:.3f} | {m['concept_precision']:.3f} | {m['duplicates']} |")
    return "\n".join(lines) + "\n"


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
