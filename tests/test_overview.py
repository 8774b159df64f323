"""Which entities the page's first view ranks, labels and hides (kg/page/overview.py, #26); no browser."""

from __future__ import annotations

import doctest
from typing import Any

import pytest

from kg.page import overview as ov


def entity(k: int, *, mentions: int, interviews: int, etype: str = "Tool", speaker: bool = False) -> dict[str, Any]:
    return {"kind": "entity", "id": f"{etype.lower()}/e{k}", "label": f"E{k}", "type": etype, "mentions": mentions,
            "interviews": list(range(interviews)), "speaker": [[0, "interviewee"]] if speaker else []}


def test_doctests() -> None:
    assert doctest.testmod(ov).failed == 0


def test_rank_is_interviews_then_mentions_then_label() -> None:
    nodes = [entity(0, mentions=50, interviews=1), entity(1, mentions=2, interviews=3),
             entity(2, mentions=9, interviews=3), entity(3, mentions=9, interviews=3)]
    nodes[3]["label"] = "A first by label"
    rank = ov.overview(nodes).rank
    assert sorted(rank, key=rank.__getitem__) == [3, 2, 1, 0]


@pytest.mark.parametrize(("node", "minor"), [
    (entity(0, mentions=1, interviews=2), True),  # said once
    (entity(1, mentions=6, interviews=1, etype="Concept"), True),  # a concept of one interview
    (entity(2, mentions=6, interviews=1, etype="Place"), False),  # a place of one interview stays
    (entity(3, mentions=0, interviews=1, etype="Person", speaker=True), False),  # a speaker stays
])
def test_minor(node: dict[str, Any], minor: bool) -> None:
    assert ov.is_minor(node) is minor


def test_small_corpus_hides_nothing() -> None:
    nodes = [entity(k, mentions=1, interviews=1) for k in range(ov.COMPACT_ABOVE - 1)]
    nodes.append(entity(9999, mentions=5, interviews=2))  # COMPACT_ABOVE entities in all
    o = ov.overview(nodes)
    assert not o.compact and not o.minor


def test_large_corpus_keeps_the_best_ranked_and_leaves_many_interview_boxes_out() -> None:
    boxes = [{"kind": "interview"} for _ in range(ov.INTERVIEWS_SHOWN + 1)]
    many = [entity(k, mentions=2 + k % 7, interviews=2 + k % 5) for k in range(ov.FIRST_VIEW_MAX + 100)]
    once = [entity(10_000 + k, mentions=1, interviews=1) for k in range(50)]
    nodes = boxes + many + once
    o = ov.overview(nodes)
    shown = [i for i, n in enumerate(nodes) if i not in o.minor]
    assert o.compact and len(shown) == ov.FIRST_VIEW_MAX
    assert all(nodes[i]["kind"] == "entity" for i in shown)  # no interview box
    assert sorted(o.rank[i] for i in shown) == list(range(ov.FIRST_VIEW_MAX))  # the best ranked


def test_all_minor_hides_nothing() -> None:
    nodes = [entity(k, mentions=1, interviews=1) for k in range(ov.COMPACT_ABOVE + 5)]
    assert not ov.overview(nodes).minor
