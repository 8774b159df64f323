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

The speaker totals are 130,000 pairs (650,000 triples) at 1,000 interviews
of 5,000 words, made again by every rebuild: `SpeakerTotals` writes their
Turtle and N-Triples as text, the bytes Oxigraph would write, without
making an Oxigraph term per triple first (2 of the 14 s a rebuild added to
the changed interview's own time went there).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import islice
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..model import Entity
from .tally import Pair
from .vocab import KGI, PREFIXES

if TYPE_CHECKING:
    from .emit import Iris

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


_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_TERMS = ("SpeakerTotal", "totalSpeaker", "totalEntity", "quoteTotal", "interviewTotal")
_SEGMENT = r"(?!\.\.?(?:/|$))[A-Za-z0-9._~-]+"
_PLAIN_PATH = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*")
"""A path below the base that Turtle writes as it is, relative: no colon, no dot segment, nothing to escape."""
_PLAIN_BASE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9._~:/@!$&'()*+,;=%-]*/")
"""A base IRI that N-Triples writes as it is."""


class SpeakerTotals:
    """Per speaker and entity, the sums of the interviews' speaker tallies (`kg.rdf.tally`) over the corpus.

    One ``kgi:SpeakerTotal`` node per pair, named by its speaker and
    entity, with its quote total and the number of interviews that add to
    it; ``tools-per-person`` reads one node per pair instead of summing a
    tally per interview.  `triples` gives them as Oxigraph triples, `text`
    as Turtle or N-Triples: the same bytes, without a term made per triple.
    """

    def __init__(self, iris: Iris, tallies: Sequence[Mapping[Pair, int]]) -> None:
        self.iris = iris
        self.sums = sum_tallies(tallies)

    def __bool__(self) -> bool:
        return bool(self.sums)

    def triples(self, limit: int | None = None) -> list[ox.Triple]:
        """The totals as triples, pairs in the order of their first appearance (the first ``limit`` pairs)."""
        iris, T = self.iris, _T
        kind, by, of, quotes, among = (ox.NamedNode(str(KGI[name])) for name in _TERMS)
        out: list[ox.Triple] = []
        # each node's id read out of Oxigraph once, each count made a literal once: tens of thousands of pairs
        ids: dict[ox.NamedNode, str] = {}
        ints: dict[int, ox.Literal] = {}
        for (speaker, entity), (n, interviews) in islice(self.sums.items(), limit):
            sid = ids.get(speaker) or ids.setdefault(speaker, iris.entity_id(speaker))
            eid = ids.get(entity) or ids.setdefault(entity, iris.entity_id(entity))
            total = ox.NamedNode(iris.speaker_total(sid, eid))
            out += [T(total, _TYPE, kind), T(total, by, speaker), T(total, of, entity),
                    T(total, quotes, ints.get(n) or ints.setdefault(n, _int(n))),
                    T(total, among, ints.get(interviews) or ints.setdefault(interviews, _int(interviews)))]
        return out

    def text(self, fmt: str, base: str | None) -> bytes | None:
        """The totals in ``fmt`` ("ttl", or "nt"), Turtle relative to ``base``: the bytes Oxigraph writes of
        `triples`.  None where that is not certain (another format, Turtle without this corpus's base, a node
        whose IRI Oxigraph might escape or shorten): the caller serialises `triples` then.

        Each node's text is made once, and the first pair is compared with Oxigraph's writing of it, so that
        another version of Oxigraph that writes differently is followed rather than contradicted.
        """
        iris = self.iris
        usable = base == iris.base if fmt == "ttl" else fmt == "nt" and _PLAIN_BASE.fullmatch(iris.base) is not None
        if not self.sums or not usable:
            return None
        kgi = PREFIXES["kgi"]
        if fmt == "ttl":
            if any(ns.startswith(iris.base) or iris.base.startswith(ns) for ns in PREFIXES.values()):
                return None
            head = ""
            row = ("<{0}> a kgi:SpeakerTotal ;\n\tkgi:totalSpeaker <{1}> ;\n\tkgi:totalEntity <{2}> ;\n"
                   "\tkgi:quoteTotal {3} ;\n\tkgi:interviewTotal {4} .\n")
        else:
            head = iris.base
            integer = f'^^<{_INTEGER.value}>'
            row = (f"<{{0}}> <{_TYPE.value}> <{kgi}{_TERMS[0]}> .\n<{{0}}> <{kgi}{_TERMS[1]}> <{{1}}> .\n"
                   f"<{{0}}> <{kgi}{_TERMS[2]}> <{{2}}> .\n<{{0}}> <{kgi}{_TERMS[3]}> \"{{3}}\"{integer} .\n"
                   f"<{{0}}> <{kgi}{_TERMS[4]}> \"{{4}}\"{integer} .\n")
        cut = len(iris.base)
        paths: dict[ox.NamedNode, str | None] = {}  # node -> its path below the base; None: not a plain one
        parts: list[str] = []
        for (speaker, entity), (n, interviews) in self.sums.items():
            s = paths[speaker] if speaker in paths else paths.setdefault(speaker, _path(speaker, iris.base, cut))
            e = paths[entity] if entity in paths else paths.setdefault(entity, _path(entity, iris.base, cut))
            if s is None or e is None:
                return None
            total = f"speaker-total/{s.replace('/', '.')}/{e.replace('/', '.')}"
            parts.append(row.format(head + total, head + s, head + e, n, interviews))
        text = "".join(parts)
        return text.encode("utf-8") if self._written(fmt, base) == parts[0].encode("utf-8") else None

    def _written(self, fmt: str, base: str | None) -> bytes:
        """Oxigraph's bytes of the first pair's triples in ``fmt``, without Turtle's @base and @prefix lines."""
        first = self.triples(limit=1)
        if fmt == "nt":
            return ox.serialize(first, format=ox.RdfFormat.N_TRIPLES) or b""
        text = ox.serialize(first, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES, base_iri=base) or b""
        return b"".join(line for line in text.splitlines(keepends=True)
                        if not line.startswith((b"@base ", b"@prefix ")) and line != b"\n")


def _path(node: ox.NamedNode, base: str, cut: int) -> str | None:
    value = node.value
    return value[cut:] if value.startswith(base) and _PLAIN_PATH.fullmatch(value, cut) else None


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
