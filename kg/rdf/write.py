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
    N-Quads rows are written straight from the triples.
    """
    formats = list(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown RDF format {unknown[0]!r}; use one of {', '.join(FORMATS)}")
    if base is None:
        base = corpus_base(g)
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
