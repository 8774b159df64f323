"""Serialise a graph to Turtle, JSON-LD, N-Triples, TriG and N-Quads, deterministically.

Building the same input twice must give the same bytes (rdf-model.md, issue
"stable, deterministic output"), whatever Python's hash seed:

* Turtle and TriG list subjects in natural IRI order (``turn/2`` before
  ``turn/10``), so interviews, turns, quotes, mentions and entities come out
  sorted, and write the corpus' IRIs relative to an ``@base``;
* N-Triples and N-Quads lines are sorted;
* JSON-LD nodes are sorted by ``@id`` and their values by their JSON text,
  under the context shipped as ``ontology/context.jsonld``.

TriG and N-Quads put each interview (its node, turns, quotes and mentions)
in a named graph whose name is the interview's IRI, for repositories that
keep provenance per source; entities and the build's provenance stay in the
default graph, since several interviews share them.

Above ``OXIGRAPH_THRESHOLD`` triples, Turtle and TriG are written by
Oxigraph (pyoxigraph) from the sorted rows instead of rdflib's Turtle writer,
which takes minutes on a million triples; the output is still deterministic,
but laid out as Oxigraph lays it out.
"""

from __future__ import annotations

import io
import json
import re
from typing import Iterable

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.plugins.serializers.nquads import _nq_row
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.namespace import RDF

from .vocab import KGI, PREFIXES

FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "trig": "trig", "nq": "nquads"}
"""File suffix -> rdflib format name, for every format `serialise` writes."""

OXIGRAPH_THRESHOLD = 200_000
"""Above this many triples, Turtle and TriG are written by Oxigraph (rdflib's writer takes minutes there)."""

_DIGITS = re.compile(r"(\d+)")


def natural_key(node: object) -> tuple[tuple[int, int, str], ...]:
    """Sort key that orders the numbers inside IRIs by value.

    >>> sorted(["t/10", "t/2", "t/1/s/3"], key=natural_key)
    ['t/1/s/3', 't/2', 't/10']
    """
    return tuple((1, int(part), "") if part.isdigit() else (0, 0, part) for part in _DIGITS.split(str(node)))


def jsonld_context() -> dict[str, str]:
    """The JSON-LD context of kg's output: its prefixes (the same as ``ontology/context.jsonld``)."""
    return dict(sorted(PREFIXES.items()))


class _SortedTurtle(TurtleSerializer):
    """rdflib's Turtle writer with subjects in natural IRI order and IRIs relative to the corpus base."""

    def orderSubjects(self) -> list:  # type: ignore[override]
        subjects = list(self._subjects)
        for s in subjects:
            self._topLevels[s] = True
        return sorted(subjects, key=lambda s: (isinstance(s, BNode), natural_key(s)))

    def relativize(self, uri):  # type: ignore[no-untyped-def,override]
        base = self.base
        if base and isinstance(uri, URIRef) and uri.startswith(base) and len(uri) > len(base):
            rest = str(uri)[len(base):]
            first = rest.split("/", 1)[0]
            if not rest.startswith("/") and ":" not in first and not set("#?<>\"{}|\\^` ") & set(rest):
                return URIRef(rest)
        return uri


def corpus_base(g: Graph) -> str | None:
    """The corpus base IRI of a kg graph: what precedes ``interview/{id}`` in its interviews' IRIs."""
    bases = set()
    for iv in g.subjects(RDF.type, KGI.Interview):
        head, sep, _ = str(iv).rpartition("interview/")
        if sep:
            bases.add(head)
    return min(bases) if len(bases) == 1 else None


def _turtle(g: Graph, base: str | None) -> str:
    out = io.BytesIO()
    _SortedTurtle(g).serialize(out, base=base if _relative_ok(base) else None, encoding="utf-8")
    return out.getvalue().decode("utf-8")


def _relative_ok(base: str | None) -> bool:
    return bool(base) and base.endswith("/") and "?" not in base and "#" not in base  # type: ignore[union-attr]


def partition(g: Graph) -> list[tuple[URIRef | None, Graph]]:
    """Split ``g`` into the default graph (None) and one graph per interview, named by its IRI.

    A triple belongs to an interview's graph when its subject is the
    interview or an IRI under it (``…/interview/{id}/turn/3``).
    """
    interviews = {str(iv) for iv in g.subjects(RDF.type, KGI.Interview)}
    parts: dict[str | None, Graph] = {None: Graph()}
    for name in interviews:
        parts[name] = Graph()
    for s, p, o in g:
        parts[_owner(str(s), interviews)].add((s, p, o))
    for part in parts.values():
        for prefix, ns in PREFIXES.items():
            part.bind(prefix, ns, override=True)
    return [(None, parts[None])] + [(URIRef(n), parts[n]) for n in sorted(interviews, key=natural_key)]


def _owner(subject: str, interviews: set[str]) -> str | None:
    if subject in interviews:
        return subject
    cut = subject.find("/interview/")
    while cut != -1:
        end = subject.find("/", cut + len("/interview/"))
        while end != -1:
            if subject[:end] in interviews:
                return subject[:end]
            end = subject.find("/", end + 1)
        cut = subject.find("/interview/", cut + 1)
    return None


def to_dataset(g: Graph) -> Dataset:
    """The graph as an rdflib Dataset with one named graph per interview (see `partition`)."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    for name, part in partition(g):
        target = _default_graph(ds) if name is None else ds.graph(name)
        for triple in part:
            target.add(triple)
    return ds


def _default_graph(ds: Dataset) -> Graph:
    # rdflib 7.1 renamed default_context to default_graph and deprecated the old name
    return getattr(ds, "default_graph", None) or ds.default_context


def serialise(g: Graph, fmt: str, *, base: str | None = None) -> bytes:
    """Bytes of ``g`` in one of FORMATS' keys ("ttl", "jsonld", "nt", "trig", "nq").

    ``base`` is the corpus base IRI that Turtle and TriG write IRIs relative
    to; by default it is read off the graph's interview IRIs.
    """
    return serialise_all(g, [fmt], base=base)[fmt]


def serialise_all(g: Graph, formats: Iterable[str], *, base: str | None = None) -> dict[str, bytes]:
    """Several formats of ``g`` at once, sharing the work they have in common.

    The graph is partitioned once; each partition is written as Turtle once
    and that text serves both graph.ttl (the partitions one after another:
    every subject lives in exactly one) and graph.trig; N-Triples and
    N-Quads rows are written straight from the triples.  Above
    ``OXIGRAPH_THRESHOLD`` triples, see `_serialise_large`.
    """
    formats = list(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown RDF format {unknown[0]!r}; use one of {', '.join(FORMATS)}")
    if base is None:
        base = corpus_base(g)
    if len(g) > OXIGRAPH_THRESHOLD:
        return _serialise_large(g, formats, base)
    out: dict[str, bytes] = {}
    parts = partition(g) if {"ttl", "trig", "nq"} & set(formats) else []
    texts = [(name, _turtle(part, base) if len(part) else "") for name, part in parts] if {"ttl", "trig"} & set(formats) else []
    for fmt in formats:
        if fmt == "nt":
            out[fmt] = _sorted_lines(_nt_row(t).rstrip("\n") for t in g)
        elif fmt == "nq":
            out[fmt] = _sorted_lines(_nq_row(t, name).rstrip("\n") if name is not None else _nt_row(t).rstrip("\n")
                                     for name, part in parts for t in part)
        elif fmt == "jsonld":
            out[fmt] = _jsonld(g)
        elif fmt == "ttl":
            out[fmt] = _join_turtle(texts, base, named=False).encode("utf-8")
        else:
            out[fmt] = _join_turtle(texts, base, named=True).encode("utf-8")
    return out


def _sorted_lines(lines: Iterable[str]) -> bytes:
    return ("\n".join(sorted({line for line in lines if line.strip()})) + "\n").encode("utf-8")


def _jsonld(g: Graph) -> bytes:
    data = json.loads(g.serialize(format="json-ld", context=jsonld_context(), auto_compact=True))
    if isinstance(data, dict) and "@graph" in data:
        data["@graph"] = sorted(data["@graph"], key=lambda n: natural_key(n.get("@id", "")))
        for node in data["@graph"]:
            for k, v in node.items():
                if isinstance(v, list):
                    node[k] = sorted(v, key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _trig(g: Graph, base: str | None) -> str:
    """TriG: the prefixes once, the default graph's triples, then each interview's graph in braces."""
    return _join_turtle([(name, _turtle(part, base) if len(part) else "") for name, part in partition(g)], base, named=True)


def _join_turtle(texts: list[tuple[URIRef | None, str]], base: str | None, *, named: bool) -> str:
    """Turtle texts of the partitions joined into one document: TriG (``named``) or plain Turtle."""
    chunks: list[str] = []
    header: list[str] = []
    for name, text in texts:
        lines = text.splitlines()
        directives = [line for line in lines if line.startswith(("@prefix", "@base"))]
        body = [line for line in lines if not line.startswith(("@prefix", "@base"))]
        header += [d for d in directives if d not in header]
        body_text = "\n".join(body).strip("\n")
        if not body_text:
            continue
        if name is None or not named:
            chunks.append(body_text + "\n")
        else:
            iri = str(name)[len(base):] if base and _relative_ok(base) and str(name).startswith(base) else str(name)
            # not indented: that would change the content of multi-line literals (nif:isString)
            chunks.append(f"<{iri}> {{\n{body_text}\n}}\n")
    ordered = sorted(h for h in header if h.startswith("@base")) + sorted(h for h in header if h.startswith("@prefix"))
    return "\n".join(ordered) + "\n\n" + "\n".join(chunks)


# ----------------------------------------------------------------------------- large graphs


def _serialise_large(g: Graph, formats: list[str], base: str | None) -> dict[str, bytes]:
    """`serialise_all` for large graphs: one pass over the triples, Turtle and TriG written by Oxigraph.

    Every triple is written once as an N-Triples row and filed under the
    graph `partition` would put it in (without building those graphs).
    N-Triples and N-Quads are the sorted rows, as below the threshold; Oxigraph
    writes Turtle and TriG from the sorted rows, so the bytes depend on the
    triples only.  The prefix and base lines are kg's own (Oxigraph writes
    prefixes relative to the base, in hash order).  JSON-LD stays with rdflib.
    """
    import pyoxigraph as ox

    named = bool({"trig", "nq"} & set(formats))
    interviews = {str(iv) for iv in g.subjects(RDF.type, KGI.Interview)} if named else set()
    rows: dict[str | None, list[str]] = {}
    owners: dict[str, str | None] = {}
    for t in g:
        owner = None
        if named:
            subject = str(t[0])
            if subject not in owners:
                owners[subject] = _owner(subject, interviews)
            owner = owners[subject]
        row = _nt_row(t)
        if row.strip():
            rows.setdefault(owner, []).append(row)
    for part in rows.values():
        part.sort()
    names = sorted((n for n in rows if n is not None), key=natural_key)
    nt = "".join(sorted(row for part in rows.values() for row in part)).encode("utf-8") if names else \
        "".join(rows.get(None, [])).encode("utf-8")
    quads = "".join(rows.get(None, []) + [_named_row(row, name) for name in names for row in rows[name]]).encode("utf-8") \
        if "trig" in formats else b""
    base = base if _relative_ok(base) else None
    header = "".join([f"@base <{base}> .\n"] if base else []) + "".join(
        f"@prefix {k}: <{v}> .\n" for k, v in sorted(PREFIXES.items()))
    out: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "nt":
            out[fmt] = nt
        elif fmt == "nq":
            out[fmt] = "".join(sorted(_named_row(row, name) if name is not None else row
                                      for name, part in rows.items() for row in part)).encode("utf-8")
        elif fmt == "jsonld":
            out[fmt] = _jsonld(g)
        else:
            source, rdf_in, rdf_out = ((nt, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE) if fmt == "ttl"
                                       else (quads, ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG))
            text = ox.serialize(ox.parse(source, format=rdf_in), format=rdf_out, prefixes=PREFIXES, base_iri=base)
            out[fmt] = header.encode("utf-8") + b"\n" + _strip_directives(text or b"")
    return out


def _named_row(row: str, name: str) -> str:
    """An N-Triples row (``s p o .``) as an N-Quads row in graph ``name``."""
    return f"{row[:-3]} <{name}> .\n"


def _strip_directives(text: bytes) -> bytes:
    """``text`` without the @base and @prefix lines it starts with (and the blank lines after them)."""
    start = 0
    while text.startswith((b"@base ", b"@prefix ", b"\n"), start):
        end = text.find(b"\n", start)
        if end == -1:
            return b""
        start = end + 1
    return text[start:]
