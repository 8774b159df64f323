"""Figures over the whole corpus, in the default graph: what a canned query would otherwise sum or sort.

The per-interview tallies (`kg.rdf.tally`) let a query SUM instead of
counting quotes, but on a large corpus a question about a widely mentioned
entity still sums a tally per interview, then reads every answer's name to
sort them before it can cut a page.  These nodes hold the sums, and the
order, for the three questions that need them:

* a speaker total (``kgi:SpeakerTotal``), per speaker and entity: the
  speaker tallies summed (``tools-per-person``);
* a co-mention total (``kgi:CoMentionTotal``), per folded name (an
  entity's ``skos:hiddenLabel``, what ``?name_key`` binds) and person's name:
  the turns that name an entity of that name and that person, the rows of
  ``co-mentioned-people`` for that name, each with its place among them in
  the query's order (``kgi:coMentionRank``), so that a page sorts a few
  thousand integers, which the store keeps in its index entries, not the
  strings of their names or IRIs (2,584 rows for ``archive`` at 1,000
  synthetic interviews: sorting their IRIs took 68 ms, their names more);
* a shared rank (``kgi:sharedRank``) on each entity mentioned in more than
  one interview: its place in the rows of ``shared-entities`` (most
  interviews first, then type and name), shared by the entities that the
  query gives as one row (same name and type), so that a page reads a
  hundred entities, not the 2,138 shared ones.

Everything is computed by every build from every interview (the default
graph is never reused, `kg.rdf.reuse`), so an incremental rebuild gives what
a full one does.  Rows come in a sorted order: the bytes are a function of
the model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from ..model import Entity
from ..text import fold
from .tally import Pair
from .vocab import KGI

_T = ox.Triple
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_K = {name: ox.NamedNode(str(KGI[name])) for name in (
    "CoMentionTotal", "entityKey", "personName", "turnTotal", "coMentionRank", "sharedRank")}


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_INTEGER)


def entity_keys(e: Entity) -> list[str]:
    """The entity's labels folded, in order: its ``skos:hiddenLabel`` values, which ``?name_key`` looks up."""
    return [key for key in dict.fromkeys(fold(label) for label in (e.label, *e.alt_labels)) if key]


def sum_tallies(tallies: Sequence[Mapping[Pair, int]]) -> dict[Pair, tuple[int, int]]:
    """Pair -> (sum, interviews) over the interviews' tallies of one kind, pairs in order of first appearance."""
    out: dict[Pair, tuple[int, int]] = {}
    for counts in tallies:
        for pair, n in counts.items():
            total, interviews = out.get(pair, (0, 0))
            out[pair] = (total + n, interviews + 1)
    return out


def co_mention_totals(base: str, entities: Sequence[Entity], nodes: Mapping[str, ox.NamedNode],
                      tallies: Sequence[Mapping[Pair, int]]) -> list[ox.Triple]:
    """The ``kgi:CoMentionTotal`` rows: per folded name and person's name, the turns that name both.

    ``tallies`` are the interviews' co-mention tallies ((entity, person) ->
    turns).  A name folded the same for several entities ("Paris" the place
    and the person) sums them all, and persons who share a name are one row,
    as ``co-mentioned-people`` groups them: the rows are its answer.
    """
    by_node = {nodes[e.id]: e for e in entities}
    keys = {node: entity_keys(e) for node, e in by_node.items()}
    rows: dict[str, dict[str, int]] = {}
    for (entity, person), (turns, _) in sum_tallies(tallies).items():
        name = by_node[person].label
        for key in keys[entity]:
            row = rows.setdefault(key, {})
            row[name] = row.get(name, 0) + turns
    out: list[ox.Triple] = []
    for key in sorted(rows):
        ranked = sorted(rows[key].items(), key=lambda item: (-item[1], item[0]))
        width = len(str(len(ranked)))
        prefix = f"{base}co-mentions/{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}/"
        literal = ox.Literal(key)
        for rank, (name, turns) in enumerate(ranked, start=1):
            total = ox.NamedNode(f"{prefix}{rank:0{width}d}")
            out += [_T(total, _TYPE, _K["CoMentionTotal"]), _T(total, _K["entityKey"], literal),
                    _T(total, _K["personName"], ox.Literal(name)), _T(total, _K["turnTotal"], _int(turns)),
                    _T(total, _K["coMentionRank"], _int(rank))]
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
        out += [_T(node, _K["sharedRank"], _int(rank)) for node in groups[row]]
    return out

