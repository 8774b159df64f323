"""Write RDF in Turtle, JSON-LD, N-Triples, TriG and N-Quads, deterministically and in one pass.

Building the same input twice must give the same bytes (rdf-model.md, issue
"stable, deterministic output"), whatever Python's hash seed.  Every format
is written from the same stream of chunks (see `kg.rdf.emit`): the default
graph (build provenance and entities), then one chunk per interview.  Each
chunk is handed to Oxigraph's serialisers as it comes and appended to every
output at once, so a corpus of millions of triples is written without ever
being held in memory, at Oxigraph's speed rather than rdflib's (its Turtle
writer takes minutes on a million triples).

* Turtle and TriG write the corpus' IRIs relative to an ``@base`` and use
  the prefixes of ``ontology/context.jsonld``, declared once at the top;
* TriG and N-Quads put each interview (its node, turns, quotes and mentions)
  in a named graph whose name is the interview's IRI, for repositories that
  keep provenance per source; entities and the build's provenance stay in
  the default graph, since several interviews share them;
* JSON-LD is one flattened document: ``@context`` (the shipped one) and a
  ``@graph`` of node objects, one per subject and one per line, with compact IRIs.

An rdflib Graph (a CONSTRUCT result, a graph read back) is written by the
same code after `partition` splits it into the same chunks, its subjects in
natural IRI order (``turn/2`` before ``turn/10``).
"""

from __future__ import annotations

import io
import json
import re
from functools import lru_cache
from typing import IO, Iterable, Mapping

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from .emit import Chunk
from .vocab import KGI, PREFIXES

FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "trig": "trig", "nq": "nquads"}
"""File suffix -> format name, for every format `serialise` writes."""

_DIGITS = re.compile(r"(\d+)")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def natural_key(node: object) -> tuple[tuple[int, int, str], ...]:
    """Sort key that orders the numbers inside IRIs by value.

    >>> sorted(["t/10", "t/2", "t/1/s/3"], key=natural_key)
    ['t/1/s/3', 't/2', 't/10']
    """
    return tuple((1, int(part), "") if part.isdigit() else (0, 0, part) for part in _DIGITS.split(str(node)))


def jsonld_context() -> dict[str, str]:
    """The JSON-LD context of kg's output: its prefixes (the same as ``ontology/context.jsonld``)."""
    return dict(sorted(PREFIXES.items()))


def corpus_base(g: Graph) -> str | None:
    """The corpus base IRI of a kg graph: what precedes ``interview/{id}`` in its interviews' IRIs."""
    bases = set()
    for iv in g.subjects(RDF.type, KGI.Interview):
        head, sep, _ = str(iv).rpartition("interview/")
        if sep:
            bases.add(head)
    return min(bases) if len(bases) == 1 else None


def _relative_ok(base: str | None) -> bool:
    return bool(base) and base.endswith("/") and "?" not in base and "#" not in base  # type: ignore[union-attr]


# ----------------------------------------------------------------------------- writing chunks


class RdfWriter:
    """Appends chunks to several open binary files at once, one per format.

    ``open()`` writes each format's head, ``add()`` one chunk, ``close()``
    the tails; nothing is kept between chunks but a flag for JSON-LD commas.
    """

    def __init__(self, sinks: Mapping[str, IO[bytes]], base: str | None) -> None:
        unknown = [f for f in sinks if f not in FORMATS]
        if unknown:
            raise ValueError(f"unknown RDF format {unknown[0]!r}; use one of {', '.join(FORMATS)}")
        self.sinks = sinks
        self.base = base if _relative_ok(base) else None
        self._first_node = True

    def open(self) -> "RdfWriter":
        header = ("".join([f"@base <{self.base}> .\n"] if self.base else [])
                  + "".join(f"@prefix {k}: <{v}> .\n" for k, v in sorted(PREFIXES.items())) + "\n").encode("utf-8")
        for fmt in ("ttl", "trig"):
            if fmt in self.sinks:
                self.sinks[fmt].write(header)
        if "jsonld" in self.sinks:
            context = json.dumps(jsonld_context(), indent=2, ensure_ascii=False)
            self.sinks["jsonld"].write(f'{{"@context": {context},\n"@graph": ['.encode("utf-8"))
        return self

    def add(self, name: str | None, triples: list[ox.Triple]) -> None:
        if not triples:
            return
        sinks = self.sinks
        if "nt" in sinks or "nq" in sinks:
            nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            if "nt" in sinks:
                sinks["nt"].write(nt)
            if "nq" in sinks:
                # N-Triples escapes line breaks inside literals, so " .\n" only ever ends a line
                sinks["nq"].write(nt if name is None else nt.replace(b" .\n", f" <{name}> .\n".encode("utf-8")))
        if "ttl" in sinks or "trig" in sinks:
            turtle = _body(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES, base_iri=self.base))
            if "ttl" in sinks:
                sinks["ttl"].write(turtle + b"\n")
            if "trig" in sinks:
                # a TriG graph block holds Turtle statements as they are (not re-indented: literals may span lines)
                sinks["trig"].write(turtle + b"\n" if name is None else
                                    b"<" + self._relative(name).encode("utf-8") + b"> {\n" + turtle + b"}\n\n")
        if "jsonld" in sinks:
            lines = [json.dumps(node, ensure_ascii=False, separators=(",", ":")) for node in _nodes(triples)]
            sinks["jsonld"].write((("\n" if self._first_node else ",\n") + ",\n".join(lines)).encode("utf-8"))
            self._first_node = False

    def _relative(self, iri: str) -> str:
        return iri[len(self.base):] if self.base and iri.startswith(self.base) else iri

    def close(self) -> None:
        if "jsonld" in self.sinks:
            self.sinks["jsonld"].write(b"\n]}\n")


def write_chunks(chunks: Iterable[Chunk], sinks: Mapping[str, IO[bytes]], *, base: str | None) -> None:
    """Write every chunk to every sink (format -> open binary file)."""
    writer = RdfWriter(sinks, base).open()
    for name, triples in chunks:
        writer.add(name, triples)
    writer.close()


def _body(text: bytes | None) -> bytes:
    """Oxigraph's Turtle/TriG without the @base and @prefix lines it starts with: the header is written once."""
    text = text or b""
    start = 0
    while text.startswith((b"@base ", b"@prefix ", b"\n"), start):
        end = text.find(b"\n", start)
        if end == -1:
            return b""
        start = end + 1
    return text[start:]


# ----------------------------------------------------------------------------- JSON-LD nodes

_COMPACT = sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda x: -len(x[0]))
_NAMESPACES = tuple(ns for ns, _ in _COMPACT)


@lru_cache(maxsize=1 << 16)
def _compact(iri: str) -> str:
    if not iri.startswith(_NAMESPACES):
        return iri
    for ns, prefix in _COMPACT:
        if iri.startswith(ns) and not iri.startswith("//", len(ns)) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _id(term: ox.NamedNode | ox.BlankNode) -> str:
    return _compact(term.value) if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def _value(term: object) -> object:
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        dt = term.datatype.value
        return term.value if dt == _XSD_STRING else {"@value": term.value, "@type": _compact(dt)}
    return {"@id": _id(term)}  # type: ignore[arg-type]


def _nodes(triples: list[ox.Triple]) -> list[dict[str, object]]:
    """Flattened JSON-LD node objects, one per subject, in the order subjects first appear."""
    nodes: dict[object, dict[str, list[object]]] = {}
    for t in triples:
        props = nodes.setdefault(t.subject, {})
        if t.predicate.value == _RDF_TYPE and isinstance(t.object, ox.NamedNode):
            props.setdefault("@type", []).append(_compact(t.object.value))
        else:
            props.setdefault(_compact(t.predicate.value), []).append(_value(t.object))
    return [{"@id": _id(s), **{k: v[0] if len(v) == 1 else v for k, v in props.items()}}  # type: ignore[arg-type]
            for s, props in nodes.items()]


# ----------------------------------------------------------------------------- rdflib graphs


def serialise(g: Graph, fmt: str, *, base: str | None = None) -> bytes:
    """Bytes of ``g`` in one of FORMATS' keys ("ttl", "jsonld", "nt", "trig", "nq").

    ``base`` is the corpus base IRI that Turtle and TriG write IRIs relative
    to; by default it is read off the graph's interview IRIs.
    """
    return serialise_all(g, [fmt], base=base)[fmt]


def serialise_all(g: Graph, formats: Iterable[str], *, base: str | None = None) -> dict[str, bytes]:
    """Several formats of an rdflib graph at once."""
    sinks = {fmt: io.BytesIO() for fmt in formats}
    write_chunks(graph_chunks(g), sinks, base=corpus_base(g) if base is None else base)
    return {fmt: sink.getvalue() for fmt, sink in sinks.items()}


def graph_chunks(g: Graph) -> Iterable[Chunk]:
    """An rdflib graph as chunks (`partition`), subjects in natural IRI order, triples sorted within a subject."""
    for name, part in partition(g):
        rows = sorted(part, key=lambda t: (isinstance(t[0], BNode), natural_key(t[0]), str(t[1]), t[2].n3()))
        yield (str(name) if name is not None else None), [ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in rows]


def _ox(term: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))) if term.datatype else ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
    """An Oxigraph term as the rdflib term with the same lexical form."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value) if dt == _XSD_STRING else Literal(term.value, datatype=URIRef(dt), normalize=False)


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
