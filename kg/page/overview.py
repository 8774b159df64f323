"""What the page's first view shows and labels: the corpus at a glance (#26).

A corpus of a dozen interviews makes several hundred entities, most of them
concepts said once; drawn all at once they are dots without names.  The
first view ranks entities by how many interviews they are found in, then by
mentions, so that what the interviews share comes first (the page labels the
best ranked at a readable size), and, above `COMPACT_ABOVE` entities, leaves
out the minor ones (and, at a thousand interviews, all but the best ranked few hundred and the interview
boxes) until the reader asks for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

COMPACT_ABOVE = 300
"""Entities above which the first view hides the minor ones ("showing N of M", one click shows all)."""
LABELLED = 40
"""Entities, by rank, whose labels the first view draws at a readable size."""
FIRST_VIEW_MAX = 400
"""Entities the first view draws at most, the best ranked: at a thousand interviews even the entities that are
not minor number thousands, and the browser took seconds to lay them out before the page answered."""
INTERVIEWS_SHOWN = 100
"""Interviews above which the first view leaves their boxes out: a thousand boxes hide the entities."""


class Overview(NamedTuple):
    """Each entity node's rank (0 = most shared), the nodes the first view leaves out, and whether it leaves any."""

    rank: dict[int, int]
    minor: frozenset[int]
    """Minor entities, entities ranked beyond `FIRST_VIEW_MAX`, and interviews above `INTERVIEWS_SHOWN` of them."""
    compact: bool


def importance(node: Mapping[str, Any]) -> tuple[int, int, str, str]:
    """The sort key of an entity node: most interviews first, then most mentions, then by label and id.

    Examples:
        >>> a = {"interviews": [0, 1], "mentions": 3, "label": "b", "id": "concept/b"}
        >>> b = {"interviews": [0], "mentions": 9, "label": "a", "id": "concept/a"}
        >>> sorted([b, a], key=importance)[0]["label"]
        'b'
    """
    return (-len(node["interviews"]), -int(node["mentions"]), str(node["label"]).casefold(), str(node["id"]))


def is_minor(node: Mapping[str, Any]) -> bool:
    """Mentioned once, or a concept of one interview; a speaker never is (the people who talk stay in view).

    Examples:
        >>> is_minor({"type": "Tool", "mentions": 1, "interviews": [0, 1], "speaker": []})
        True
        >>> is_minor({"type": "Concept", "mentions": 5, "interviews": [2], "speaker": []})
        True
        >>> is_minor({"type": "Person", "mentions": 0, "interviews": [2], "speaker": [[2, "interviewee"]]})
        False
    """
    if node.get("speaker"):
        return False
    return int(node["mentions"]) <= 1 or (node["type"] == "Concept" and len(node["interviews"]) <= 1)


def overview(nodes: Sequence[Mapping[str, Any]], *, compact_above: int = COMPACT_ABOVE,
             first_view_max: int = FIRST_VIEW_MAX, interviews_shown: int = INTERVIEWS_SHOWN) -> Overview:
    """Rank the entity nodes of the page's node list (indices into it) and name those the first view leaves out.

    Examples:
        >>> nodes = [{"kind": "interview"}] + [
        ...     {"kind": "entity", "id": f"tool/t{k}", "label": f"t{k}", "type": "Tool", "mentions": k,
        ...      "interviews": [0], "speaker": []} for k in range(1, 6)]
        >>> o = overview(nodes, compact_above=3, first_view_max=2)
        >>> o.compact, [o.rank[i] for i in range(1, 6)], sorted(o.minor)
        (True, [4, 3, 2, 1, 0], [1, 2, 3])
    """
    entities = [i for i, n in enumerate(nodes) if n.get("kind") == "entity"]
    ranked = sorted(entities, key=lambda i: importance(nodes[i]))
    minor = {i for i in entities if is_minor(nodes[i])}
    # hiding every entity would show nothing: then nothing is hidden
    compact = len(entities) > compact_above and len(minor) < len(entities)
    if not compact:
        return Overview({i: r for r, i in enumerate(ranked)}, frozenset(), False)
    minor |= set([i for i in ranked if i not in minor][first_view_max:])
    interviews = [i for i, n in enumerate(nodes) if n.get("kind") == "interview"]
    if len(interviews) > interviews_shown:
        minor |= set(interviews)
    return Overview({i: r for r, i in enumerate(ranked)}, frozenset(minor), True)
