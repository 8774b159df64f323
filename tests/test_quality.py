"""Scored evaluation as a regression floor, and agreement with the project's shared scorer."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from kg.evaluate import evaluate, load_gold, predicted_from_graph, score

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_GOLD = ROOT / "samples" / "entretien-atelier.gold.json"

pytestmark = pytest.mark.slow

F1_FLOOR = 0.85
CORE_RECALL_FLOOR = 0.75


@pytest.fixture(scope="module")
def shared_scorer(shared_dir: Path) -> ModuleType:
    path = shared_dir / "tools" / "score_entities.py"
    if not path.is_file():
        pytest.skip("../shared/tools/score_entities.py is not available")
    spec = importlib.util.spec_from_file_location("shared_score_entities", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def barradeau_gold(shared_dir: Path) -> Path:
    path = shared_dir / "gold" / "barradeau-2022.json"
    if not path.is_file():
        pytest.skip("../shared/gold/barradeau-2022.json is not available")
    return path


def _report(result: dict) -> str:
    return (f"named entities {result['named_entities']}; missed {result['missed']}; "
            f"false positives {result['false_positives']}; duplicates {result['duplicates']}; "
            f"missed core concepts {result['concepts']['missed_core']}")


def test_sample_quality_floor(built_sample):
    _, out = built_sample
    result = evaluate(out / "graph.ttl", SAMPLE_GOLD)
    assert result["named_entities"]["f1"] >= F1_FLOOR, _report(result)
    assert result["concepts"]["core_recall"] >= CORE_RECALL_FLOOR, _report(result)
    assert result["duplicates"] == [], _report(result)
    for kind in ("Person", "Tool"):
        assert result["per_type"][kind]["f1"] >= 0.8, (kind, _report(result))


def test_barradeau_quality_floor(built_barradeau, barradeau_gold):
    _, out = built_barradeau
    result = evaluate(out / "graph.ttl", barradeau_gold)
    assert result["named_entities"]["f1"] >= F1_FLOOR, _report(result)
    assert result["concepts"]["core_recall"] >= CORE_RECALL_FLOOR, _report(result)
    assert result["duplicates"] == [], _report(result)


def test_score_on_predicted_matches_evaluate(built_sample):
    _, out = built_sample
    assert score(predicted_from_graph(out / "graph.ttl"), load_gold(SAMPLE_GOLD)) == evaluate(out / "graph.ttl",
                                                                                              SAMPLE_GOLD)


@pytest.mark.parametrize("which", ["sample", "barradeau"])
def test_agrees_with_shared_scorer(request, shared_scorer, shared_dir, which):
    if which == "sample":
        _, out = request.getfixturevalue("built_sample")
        gold = SAMPLE_GOLD
    else:
        _, out = request.getfixturevalue("built_barradeau")
        gold = request.getfixturevalue("barradeau_gold")
    graph = out / "graph.ttl"
    ours = evaluate(graph, gold)
    theirs = shared_scorer.score(str(graph), str(gold))
    for key in ("precision", "recall", "f1", "gold", "predicted"):
        assert ours["named_entities"][key] == theirs["named_entities"][key], (key, ours, theirs)
    assert sorted(ours["missed"]) == sorted(theirs["missed"])
    assert len(ours["false_positives"]) + len(ours["duplicates"]) == \
        len(theirs["false_positives"]) + len(theirs["duplicates"])
    assert ours["concepts"]["core_recall"] == theirs["concepts"]["core_recall"]
    for kind in ("Person", "Organisation", "Tool", "Work"):
        assert ours["per_type"][kind] == theirs["per_type"][kind], kind


def test_scorers_agree_on_other_serialisations(built_sample, shared_scorer):
    """The same graph as N-Triples and JSON-LD scores the same in both scorers."""
    _, out = built_sample
    reference = evaluate(out / "graph.ttl", SAMPLE_GOLD)["named_entities"]
    for name in ("graph.nt", "graph.jsonld"):
        assert evaluate(out / name, SAMPLE_GOLD)["named_entities"] == reference, name
        assert shared_scorer.score(str(out / name), str(SAMPLE_GOLD))["named_entities"] == reference, name


def _file_text(path: Path) -> str:
    if path.suffix == ".docx":
        from docx import Document

        return "\n".join(p.text for p in Document(str(path)).paragraphs)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("gold", sorted((ROOT / "eval").glob("*/gold/*.json")) + sorted(ROOT.glob("eval/gold/*.json")),
                         ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_repository_gold_names_only_forms_its_transcript_holds(gold: Path) -> None:
    """A gold alias that is not in the file can never be found: it would lower every figure without telling why."""
    import json

    data = json.loads(gold.read_text(encoding="utf-8"))
    text = " ".join(_file_text(ROOT / data["transcript"]).split()).casefold()  # a cue may break a name's line

    def held(alias: str) -> bool:
        return " ".join(alias.split()).casefold() in text

    absent = [a for e in data["entities"] for a in e.get("aliases", []) if not held(a)]
    absent += [a for c in data.get("concepts", {}).get("core", []) for a in c.get("aliases", []) if not held(a)]
    assert not absent, f"{gold.name}: aliases not in {data['transcript']}: {absent[:8]}"
    assert {e["type"] for e in data["entities"]} <= {"Person", "Organisation", "Tool", "Work", "Place"}
