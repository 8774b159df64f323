"""Each interview's share of the HTML page, kept between builds: a rebuild walks the changed interview's quotes only.

Everything the page counts over quotes is a sum over interviews: an entity's
mentions and quotes in each interview, the sentences naming two entities
together, the quotes it keeps for each entity (a spread taken interview by
interview).  One interview's part depends
on that interview and on the entities its mentions and speakers resolved to,
which is what its key hashes (`part_keys`).  So ``kg build`` writes the parts
into ``OUT/.kg-page.json`` under those keys, and the next build takes the parts
of the unchanged interviews from there: on a large corpus, walking the quotes
was most of the time the page took.

The file is JSON (read by orjson), not pickle: the output folder may be
shared, and reading it must not run anything.  A file written by other code
(`_code_digest`), changed since it was written (its header holds the hash of
the rest) or unreadable is ignored: the parts are walked again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ..digest import code_digest
from ..model import KnowledgeGraph
from .data import GraphData, Quote, interview_quotes, linked_mentions, outline_of, people_of

FILE = ".kg-page.json"
VERSION = 4


@dataclass(frozen=True, slots=True)
class Part:
    """What one interview's quotes give the page.  Lists, not tuples: they go to JSON and back unchanged."""

    rows: list[list[Any]]
    """[speaker, text, offset of the sentence in its interview] of each quote, in order, then
    [start, end] in seconds when the transcript gives times."""
    refs: dict[str, list[list[Any]]]
    """entity id -> [[row, [[start, end], ...]], ...]: its quotes here, in order, and where it is named in each."""
    mentions: dict[str, int]
    """entity id -> how many times it is named here."""
    pairs: dict[str, dict[str, int]]
    """a -> b -> sentences naming both (a < b)."""

    def to_json(self) -> list[Any]:
        return [self.rows, self.refs, self.mentions, self.pairs]

    @classmethod
    def from_json(cls, value: Any) -> Part:
        rows, refs, mentions, pairs = value
        if not (isinstance(rows, list) and isinstance(refs, dict) and isinstance(mentions, dict)
                and isinstance(pairs, dict)):
            raise ValueError("not a page part")
        return cls(rows, refs, mentions, pairs)


def part_of(quotes: Iterable[Quote]) -> Part:
    """The part of one interview's quotes (given in order)."""
    rows: list[list[Any]] = []
    refs: dict[str, list[list[Any]]] = {}
    mentions: dict[str, int] = {}
    pairs: dict[str, dict[str, int]] = {}
    for qi, q in enumerate(quotes):
        rows.append([q.speaker, q.text, q.start] if q.begin is None else [q.speaker, q.text, q.start, q.begin, q.end])
        spans: dict[str, list[list[int]]] = {}
        for s in q.spans:
            found = spans.get(s.entity)
            if found is None:
                spans[s.entity] = [[s.start, s.end]]
            else:
                found.append([s.start, s.end])
        for eid, found in spans.items():
            mentions[eid] = mentions.get(eid, 0) + len(found)
            ref = refs.get(eid)
            if ref is None:
                refs[eid] = [[qi, found]]
            else:
                ref.append([qi, found])
        if len(spans) > 1:
            named = sorted(spans)
            for i, a in enumerate(named):
                with_a = pairs.setdefault(a, {})
                for b in named[i + 1:]:
                    with_a[b] = with_a.get(b, 0) + 1
    return Part(rows, refs, mentions, pairs)


def with_counts(part: Part, counts: Iterable[tuple[str, int]]) -> Part:
    """``part`` with the mentions a public edition counts without quotes (`InterviewInfo.counts`) added: the page
    links the entity to the interview and weighs the link, and has no quote to show."""
    counts = list(counts)
    if not counts:
        return part
    mentions = dict(part.mentions)
    for eid, n in counts:
        mentions[eid] = mentions.get(eid, 0) + n
    return Part(part.rows, part.refs, mentions, part.pairs)


def parts_of(data: GraphData) -> list[Part]:
    """The parts of ``data.interviews``, in that order (quotes come sorted by interview, then offset)."""
    grouped: dict[str, list[Quote]] = {iv.id: [] for iv in data.interviews}
    for q in data.quotes:
        if q.interview in grouped:
            grouped[q.interview].append(q)
    return [with_counts(part_of(grouped[iv.id]), iv.counts) for iv in data.interviews]


def part_keys(kg: KnowledgeGraph, linked: Mapping[str, Mapping[tuple[int, int], str]] | None = None
              ) -> list[str | None]:
    """What each interview's part depends on, hashed, in ``kg.interviews`` order: same key, same part.

    The interview is named by its source file's bytes, path and id under the
    build's ``setup`` (kg's extraction code, models and options); the rest is
    what resolution decided for it: the entity each mention links to and the
    person each speaker is.  None for every interview of a graph without a
    ``setup`` (built by hand): such parts are never reused.  Its own keys, not
    the RDF chunks' (`kg.rdf.emit.Emitter.key`): the page can then be drawn
    without waiting for the RDF writer, in another process (`kg.pipeline.outputs`).
    ``linked`` is `linked_mentions` of the whole graph when the caller has it.  Each interview's links are
    hashed in the order that map holds them (the graph's entities, then offsets), unsorted and as one orjson
    string: the same links give the same bytes, another order only walks the part again, and at 1,000
    interviews the sorted text of 740,000 links cost a rebuild 0.55 s against 0.17 s.
    """
    setup = kg.provenance.get("setup")
    if not setup:
        return [None] * len(kg.interviews)
    linked = linked_mentions(kg) if linked is None else linked
    people = people_of(kg)
    counted: dict[str, list[str]] = {}  # a public edition's counts of mentions it keeps no quote of
    for e in kg.entities:
        for iid, n in e.counts:
            counted.setdefault(iid, []).append(f"{e.id}={n};")
    keys: list[str | None] = []
    for iv in kg.interviews:
        digest = hashlib.sha256(f"{setup}|{iv.checksum}|{iv.id}|{iv.source_path}".encode("utf-8", "surrogatepass"))
        digest.update(_dumped(list(linked.get(iv.id, {}).items())))
        for name in sorted({t.speaker for t in iv.turns if t.speaker}):
            digest.update(f"{name}={people.get(name)};".encode("utf-8", "surrogatepass"))
        digest.update("".join(sorted(counted.get(iv.id, ()))).encode("utf-8", "surrogatepass"))
        keys.append(digest.hexdigest())
    return keys


def _dumped(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError:  # text orjson refuses (lone surrogates from odd encodings)
        return json.dumps(value).encode("ascii")


def kg_parts(kg: KnowledgeGraph, *, keys: Sequence[str | None] = (), store: PartStore | None = None,
             title: str | None = None, linked: Mapping[str, Mapping[tuple[int, int], str]] | None = None
             ) -> tuple[GraphData, list[Part], dict[str, Part]]:
    """The page's outline and parts of a built graph, the parts of unchanged interviews taken from ``store``.

    ``keys`` are the interviews' keys in the store (`part_keys`), in ``kg.interviews`` order (None: not
    reusable); ``linked`` the whole graph's `linked_mentions`, when the caller made it for the keys.
    Returns the outline (`outline_of`), the parts in its interview order, and the parts by key, for the next build.
    """
    outline = outline_of(kg, title=title)
    counts = {iv.id: iv.counts for iv in outline.interviews}

    def stored(i: int) -> Part | None:
        key = keys[i] if i < len(keys) else None
        return store.get(key) if store is not None and key is not None else None

    kept = [stored(i) for i in range(len(kg.interviews))]
    walked = {iv.id for iv, part in zip(kg.interviews, kept, strict=True) if part is None}
    if linked is None:  # one pass over every entity's mentions, only when some interview is walked, for those
        linked = linked_mentions(kg, walked) if walked else {}
    people = people_of(kg)
    by_id: dict[str, Part] = {}
    by_key: dict[str, Part] = {}
    for i, iv in enumerate(kg.interviews):
        key = keys[i] if i < len(keys) else None
        part = kept[i]
        if part is None:
            part = with_counts(part_of(interview_quotes(iv, linked.get(iv.id, {}), people)), counts.get(iv.id, ()))
        by_id[iv.id] = part
        if key is not None:
            by_key[key] = part
    return outline, [by_id[iv.id] for iv in outline.interviews], by_key


class PartStore:
    """The parts an earlier build wrote, by chunk key."""

    def __init__(self, parts: Mapping[str, Any] | None = None) -> None:
        self._raw = dict(parts or {})

    @classmethod
    def load(cls, out: str | Path) -> PartStore:
        """``OUT/.kg-page.json`` if this code wrote it, whole, else an empty store (everything is walked again)."""
        try:
            header, _, payload = (Path(out) / FILE).read_bytes().partition(b"\n")
            head = orjson.loads(header)
            if not (isinstance(head, dict) and head.get("version") == VERSION and head.get("code") == _code_digest()
                    and head.get("sha256") == hashlib.sha256(payload).hexdigest()):
                return cls()
            parts = orjson.loads(payload)
        except (OSError, orjson.JSONDecodeError):
            return cls()
        return cls(parts if isinstance(parts, dict) else None)

    def get(self, key: str) -> Part | None:
        raw = self._raw.get(key)
        if raw is None:
            return None
        try:
            return Part.from_json(raw)
        except (ValueError, TypeError):  # a damaged entry: walk that interview again
            return None

    def __len__(self) -> int:
        return len(self._raw)


def store_bytes(parts: Mapping[str, Part]) -> bytes:
    """The file `PartStore.load` reads back: a header line (with the payload's hash: a file edited by hand is
    not read), then the parts."""
    value = {key: part.to_json() for key, part in parts.items()}
    try:
        payload = orjson.dumps(value)
    except TypeError:  # text orjson refuses (lone surrogates from odd encodings): json's way, read back or walked again
        payload = json.dumps(value, separators=(",", ":")).encode("ascii")
    header = {"version": VERSION, "code": _code_digest(), "sha256": hashlib.sha256(payload).hexdigest()}
    return orjson.dumps(header) + b"\n" + payload


PART_CODE = ("page", "model.py", "timecodes.py")
"""The parts of kg whose code decides an interview's part of the page."""


def _code_digest() -> str:
    """Hash of the code that makes a part: parts made by other code are not reused."""
    return code_digest(*PART_CODE)
