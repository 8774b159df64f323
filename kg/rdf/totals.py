"""Figures over the whole corpus, in the default graph: what a canned query would otherwise sum or sort.

The per-interview tallies (`kg.rdf.tally`) let a query SUM instead of
counting quotes; these nodes go one step further for two questions:

* a speaker total (``kgi:SpeakerTotal``), per speaker and entity: the
  speaker tallies summed (``tools-per-person``);
* a shared rank (``kgi:sharedRank``) on each entity mentioned in more than
  one interview: its place in the rows of ``shared-entities`` (most
  interviews first, then type and name), shared by the entities that the
  query gives as one row (same name and type), so that a page reads a
  hundred entities, not the 2,138 shared ones.

``co-mentioned-people`` has no such rows: one per folded name and person's
name was 466,519 rows (2.3 million triples) at 1,000 synthetic interviews,
which every build renders and the store loads again, and a rebuild after one
changed interview went from 11 s to 45 s; it sums the per-interview
``kgi:CoMentionTally`` instead.

Everything is computed by every build from every interview (the default
graph is never reused, `kg.rdf.reuse`), so an incremental rebuild gives what
a full one does.  Rows come in a sorted order: the bytes are a function of
the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from ..model import Entity
from .tally import Pair
from .vocab import KGI

_T = ox.Triple
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_SHARED_RANK = ox.NamedNode(str(KGI["sharedRank"]))


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_INTEGER)


def sum_tallies(tallies: Sequence[Mapping[Pair, int]]) -> dict[Pair, tuple[int, int]]:
    """Pair -> (sum, interviews) over the interviews' tallies of one kind, pairs in order of first appearance."""
    out: dict[Pair, tuple[int, int]] = {}
    for counts in tallies:
        for pair, n in counts.items():
            total, interviews = out.get(pair, (0, 0))
            out[pair] = (total + n, interviews + 1)
    return out


def shared_ranks(entities: Sequence[Entity], nodes: Mapping[str, ox.NamedNode],
                 interviews: Mapping[ox.NamedNode, int]) -> list[ox.Triple]:
    """``kgi:sharedRank`` on each entity in more than one interview: its row's place in ``shared-entities``.

    That query gives one row per name and type among those entities, with
    the most interviews any of them has; rows go by that count (most first),
    then type, then name, as its ORDER BY does (code-point order, as both
    SPARQL engines compare strings).
    """
    groups: dict[tuple[str, str], list[ox.NamedNode]] = {}
    most: dict[tuple[str, str], int] = {}
    for e in entities:
        node = nodes[e.id]
        count = interviews.get(node, 0)
        if count > 1:
            group: tuple[str, str] = (e.type, e.label)
            groups.setdefault(group, []).append(node)
            most[group] = max(most.get(group, 0), count)
    out: list[ox.Triple] = []
    for rank, row in enumerate(sorted(groups, key=lambda g: (-most[g], g[0], g[1])), start=1):
        out += [_T(node, _SHARED_RANK, _int(rank)) for node in groups[row]]
    return out
