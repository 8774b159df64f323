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
