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
import threading
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from functools import lru_cache, partial
from typing import IO, TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from .emit import Chunk
from .vocab import KGI, PREFIXES

if TYPE_CHECKING:
    from ..model import KnowledgeGraph
    from .emit import Emitter, Iris
    from .reuse import Previous
    from .totals import SpeakerTotals

_TEXT_KIND = {"ttl": "ttl", "trig": "ttl", "nt": "nt", "nq": "nt"}
"""Format -> the text its default graph's speaker totals are written in (`kg.rdf.totals.SpeakerTotals.text`)."""

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
    return bool(base and base.endswith("/") and "?" not in base and "#" not in base)


# ----------------------------------------------------------------------------- writing chunks


class RdfWriter:
    """Appends chunks to several open binary files at once, one per format.

    ``open()`` writes each format's head, ``add()`` one chunk, ``close()``
    the tails; nothing is kept between chunks but a flag for JSON-LD commas
    and how many bytes each sink has had (where the next chunk will start).
    """

    def __init__(self, sinks: Mapping[str, IO[bytes]], base: str | None) -> None:
        unknown = [f for f in sinks if f not in FORMATS]
        if unknown:
            raise ValueError(f"unknown RDF format {unknown[0]!r}; use one of {', '.join(FORMATS)}")
        self.sinks = sinks
        self.base = base if _relative_ok(base) else None
        self._first_node = True
        self.position = {fmt: 0 for fmt in sinks}

    def _write(self, fmt: str, data: bytes) -> None:
        self.sinks[fmt].write(data)
        self.position[fmt] += len(data)

    def open(self) -> RdfWriter:
        header = ("".join([f"@base <{self.base}> .\n"] if self.base else [])
                  + "".join(f"@prefix {k}: <{v}> .\n" for k, v in sorted(PREFIXES.items())) + "\n").encode("utf-8")
        for fmt in ("ttl", "trig"):
            if fmt in self.sinks:
                self._write(fmt, header)
        if "jsonld" in self.sinks:
            context = json.dumps(jsonld_context(), indent=2, ensure_ascii=False)
            self._write("jsonld", f'{{"@context": {context},\n"@graph": ['.encode())
        return self

    def add(self, name: str | None, triples: list[ox.Triple]) -> None:
        self.append(self.render(name, triples))

    def render(self, name: str | None, triples: list[ox.Triple]) -> dict[str, bytes]:
        """One chunk's bytes in every format: pure, so that chunks can be rendered in other processes."""
        out: dict[str, bytes] = {}
        if not triples:
            return out
        formats = self.sinks
        if "nt" in formats or "nq" in formats:
            nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            if "nt" in formats:
                out["nt"] = nt
            if "nq" in formats:
                # N-Triples escapes line breaks inside literals, so " .\n" only ever ends a line
                out["nq"] = nt if name is None else nt.replace(b" .\n", f" <{name}> .\n".encode())
        if "ttl" in formats or "trig" in formats:
            turtle = _body(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES, base_iri=self.base))
            if "ttl" in formats:
                out["ttl"] = turtle + b"\n"
            if "trig" in formats:
                # a TriG graph block holds Turtle statements as they are (not re-indented: literals may span lines)
                out["trig"] = (turtle + b"\n" if name is None else
                               b"<" + self._relative(name).encode("utf-8") + b"> {\n" + turtle + b"}\n\n")
        if "jsonld" in formats:
            out["jsonld"] = ",\n".join(json.dumps(node, ensure_ascii=False, separators=(",", ":"))
                                        for node in _nodes(triples)).encode("utf-8")
        return out

    def render_head(self, before: list[ox.Triple], totals: SpeakerTotals, after: list[ox.Triple]) -> dict[str, bytes]:
        """The default graph's bytes (`Emitter.head_parts`): those `render` gives of the three parts' triples, the
        speaker totals written as text (`SpeakerTotals.text`) when every format asked for can take them so."""
        kinds = {fmt: _TEXT_KIND.get(fmt, "") for fmt in self.sinks}  # "": no text (JSON-LD)
        texts: dict[str, bytes] = {}
        for kind in set(kinds.values()):
            text = totals.text(kind, self.base)
            if text is None:
                return self.render(None, before + totals.triples() + after)
            texts[kind] = text
        first, last = self.render(None, before), self.render(None, after)
        out = {}
        for fmt, kind in kinds.items():
            if kind == "ttl":  # each part's Turtle ends with the blank line `render` adds: one, at the end
                out[fmt] = first.get(fmt, b"\n")[:-1] + texts[kind] + last.get(fmt, b"\n")
            else:
                out[fmt] = first.get(fmt, b"") + texts[kind] + last.get(fmt, b"")
        return out

    def append(self, parts: Mapping[str, bytes]) -> dict[str, tuple[int, int]]:
        """Write one rendered chunk (`render`) after the previous ones; return where its bytes went.

        The places are (offset, length) per format, separators excluded, for
        `kg.rdf.reuse` to copy the same bytes into the next build's files.
        """
        ranges = {}
        for fmt, data in parts.items():
            if fmt == "jsonld":
                self._write(fmt, b"\n" if self._first_node else b",\n")
                self._first_node = False
            ranges[fmt] = (self.position[fmt], len(data))
            self._write(fmt, data)
        return ranges

    def append_copy(self, copy: Callable[[str, IO[bytes]], int], formats: Iterable[str]) -> dict[str, tuple[int, int]]:
        """Like `append`, for a chunk whose bytes ``copy(format, sink)`` writes (from an earlier build's file)."""
        ranges = {}
        for fmt in formats:
            if fmt == "jsonld":
                self._write(fmt, b"\n" if self._first_node else b",\n")
                self._first_node = False
            length = copy(fmt, self.sinks[fmt])
            ranges[fmt] = (self.position[fmt], length)
            self.position[fmt] += length
        return ranges

    def _relative(self, iri: str) -> str:
        return iri[len(self.base):] if self.base and iri.startswith(self.base) else iri

    def close(self) -> None:
        if "jsonld" in self.sinks:
            self._write("jsonld", b"\n]}\n")


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


def _compact(iri: str) -> str:
    # the corpus's own IRIs (every mention, sentence, turn) are not in a prefixed namespace: answered
    # without the cache, which would otherwise fill with them (a rendering worker grew by tens of MiB)
    return _compact_known(iri) if iri.startswith(_NAMESPACES) else iri


@lru_cache(maxsize=1 << 12)
def _compact_known(iri: str) -> str:
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
    """Flattened JSON-LD node objects, one per subject, in the order subjects first appear.

    Each distinct term is converted once: reading a term's parts out of
    Oxigraph makes new strings each time, and types, entities and many
    literals repeat through a chunk.
    """
    nodes: dict[object, dict[str, list[object]]] = {}
    keys: dict[ox.NamedNode, str] = {}
    values: dict[object, object] = {}
    for t in triples:
        props = nodes.setdefault(t.subject, {})
        p, o = t.predicate, t.object
        key = keys.get(p)
        if key is None:
            key = keys[p] = "@type" if p.value == _RDF_TYPE else _compact(p.value)
        if key == "@type" and isinstance(o, ox.NamedNode):
            props.setdefault("@type", []).append(_compact(o.value))
            continue
        value = values.get(o)
        if value is None:
            value = values[o] = _value(o)
        props.setdefault(key if key != "@type" else _compact(_RDF_TYPE), []).append(value)
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
    """An rdflib graph as chunks (the parts of `partition`), subjects in natural IRI order, triples sorted within
    a subject.

    The triples are grouped in lists and each subject's sort key is worked out once: building an rdflib Graph
    per part and keying every triple afresh took four fifths of the time (`kg link` rewrites whole graphs).
    """
    interviews = {str(iv) for iv in g.subjects(RDF.type, KGI.Interview)}
    generated = URIRef("http://www.w3.org/ns/prov#wasGeneratedBy")
    parts: dict[str | None, list[tuple[Any, Any, Any]]] = {None: []}
    parts.update((name, []) for name in interviews)
    owners: dict[Any, str | None] = {}
    for s, p, o in g:
        owner = owners.get(s, "")
        if owner == "":
            owner = owners[s] = _owner(str(s), interviews)
        # an interview's link to its build is about the named graph, so it sits in the default one (as builds write it)
        parts[None if p == generated and str(s) in interviews else owner].append((s, p, o))
    keys: dict[Any, tuple[bool, tuple[tuple[int, int, str], ...]]] = {}
    for name in [None, *sorted(interviews, key=natural_key)]:
        for s, _, _ in parts[name]:
            if s not in keys:
                keys[s] = (isinstance(s, BNode), natural_key(s))
        rows = sorted(parts[name], key=lambda t: (keys[t[0]], str(t[1]), t[2].n3()))
        # an rdflib graph's subjects and predicates are never literals
        yield name, [ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in rows]  # type: ignore[arg-type]


def _ox(term: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
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
    interview or an IRI under it (``…/interview/{id}/turn/3``), except the
    interview's ``prov:wasGeneratedBy`` link, which the default graph holds.
    """
    interviews = {str(iv) for iv in g.subjects(RDF.type, KGI.Interview)}
    parts: dict[str | None, Graph] = {None: Graph()}
    for name in interviews:
        parts[name] = Graph()
    generated = URIRef("http://www.w3.org/ns/prov#wasGeneratedBy")
    for s, p, o in g:
        # an interview's link to its build is about the named graph, so it sits in the default one (as builds write it)
        owner = None if p == generated and str(s) in interviews else _owner(str(s), interviews)
        parts[owner].add((s, p, o))
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


# ----------------------------------------------------------------------------- a whole graph, in parallel


def write_graph(kg: KnowledgeGraph, sinks: Mapping[str, IO[bytes]], *, base: str, jobs: int = 1,
                previous: Previous | None = None,
                meanwhile: Callable[[], object] | None = None,
                follower: Follower | None = None) -> dict[str, dict[str, tuple[int, int]]]:
    """Write a knowledge graph to every sink; return where each interview's bytes went, by its `Emitter.key`.

    Rendering (building the triples, Oxigraph's serialisers, JSON-LD nodes)
    is most of the cost of writing and each interview's chunk depends only on
    that interview, so ``jobs`` forked workers render blocks of interviews
    (pickled for them beforehand, see `_rendered`) while this process appends
    the bytes in corpus order: the files are the same bytes as with one
    process.  Where fork is not available the interviews are rendered here.
    An interview whose key ``previous`` (the last build's files) holds is not
    rendered at all: its bytes are copied.

    ``meanwhile`` (other output work, such as drawing the page when no
    process is free for it) runs in a thread while the bytes are written when
    no worker is forked: then this process mostly waits on the kernel's
    copies, without the GIL.  When workers are forked it runs after them, in
    this thread: a fork must not copy a running thread's state, and the
    workers' memory and its own would add up.  Its exception, if any, is
    raised here.

    ``follower`` reads one format's file as it is written (the query store
    is loaded meanwhile, `kg.storefeed`): it is started once the head is
    written and the workers are forked, told where each interview's bytes
    lie once they are appended, and the file's size before the page is
    drawn.
    """
    from .emit import Emitter

    emitter = Emitter(kg, base=base)
    writer = RdfWriter(sinks, base).open()
    writer.append(writer.render_head(*emitter.head_parts()))
    # not the formats: a chunk's bytes in one format are the same whichever others are written, so a build
    # with fewer formats (--formats ttl after a full build) copies the chunks it shares with the last one
    salt = f"{_code_digest()}|{base}"
    keys = [emitter.key(i, salt) for i in range(emitter.count)]
    copied = [previous is not None and k is not None and previous.has(k, sinks) for k in keys]
    todo = [i for i, c in enumerate(copied) if not c]
    beside = _Beside(meanwhile) if meanwhile is not None and not _forks(len(todo), jobs) else None
    index: dict[str, dict[str, tuple[int, int]]] = {}
    rendered = _rendered(emitter, writer, todo, jobs)
    first = next(rendered) if todo else None  # the rendering workers, if any, are forked by now
    fmt = follower.fmt if follower is not None else None
    follow = follower if follower is not None and fmt is not None and fmt in sinks and follower.wanted(keys) \
        and follower.start(sinks[fmt]) else None
    for i, key in enumerate(keys):
        if copied[i]:
            assert previous is not None and key is not None
            ranges = writer.append_copy(partial(previous.copy, key), list(sinks))
        else:
            ranges = writer.append(first if first is not None else next(rendered))
            first = None
        if key is not None:
            index[key] = ranges
            if follow is not None and fmt in ranges:
                follow.chunk(key, *ranges[fmt])
    writer.close()
    if follow is not None and fmt is not None:
        follow.end(writer.position[fmt])
    rendered.close()  # the rendering workers exit here, before the work below adds its own memory
    if beside is not None:
        beside.wait()
    elif meanwhile is not None:
        meanwhile()
    return index


class Follower(Protocol):
    """What `write_graph` tells a reader of one of its files while it writes it (`kg.storefeed.StoreFeed`)."""

    fmt: str | None

    def wanted(self, keys: Sequence[str | None]) -> bool: ...

    def start(self, sink: IO[bytes]) -> bool: ...

    def chunk(self, key: str, offset: int, length: int) -> None: ...

    def end(self, size: int) -> None: ...


class _Beside:
    """``work`` running in a daemon thread; `wait` joins it and raises what it raised.

    A daemon, not an executor's thread: when the writing fails or is
    interrupted (Ctrl-C), the error goes up at once and the process can exit
    without first waiting for the page to be drawn.  ``work`` must only
    compute (its caller writes the result): nothing is left half-written if
    it is abandoned.
    """

    def __init__(self, work: Callable[[], object]) -> None:
        self.error: BaseException | None = None

        def run() -> None:
            try:
                work()
            except BaseException as e:  # handed to the waiting thread, whatever it is
                self.error = e

        self.thread = threading.Thread(target=run, name="kg-beside", daemon=True)
        self.thread.start()

    def wait(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


def _forks(count: int, jobs: int) -> bool:
    """Whether rendering ``count`` interviews forks ``jobs`` worker processes."""
    import multiprocessing

    return jobs > 1 and count >= 2 * jobs and "fork" in multiprocessing.get_all_start_methods()


RENDER_CODE = ("rdf", "model.py", "__init__.py", "timecodes.py")
"""The parts of kg whose code decides an interview's RDF bytes (``__init__.py`` holds the version)."""


def _code_digest() -> str:
    """Hash of the code that turns an interview into bytes: reused bytes must come from the same code."""
    from ..digest import code_digest

    return code_digest(*RENDER_CODE)


_RENDERING: tuple[RdfWriter, Iris, Mapping[str, ox.NamedNode], frozenset[ox.NamedNode]] | None = None


def _rendered(emitter: Emitter, writer: RdfWriter, todo: list[int],
              jobs: int) -> Generator[dict[str, bytes], None, None]:
    """The rendered chunks of the interviews ``todo``, in that order.

    With workers, the interviews are pickled here, block by block, *before*
    the workers are forked, and each worker unpickles its blocks: forked
    workers that read the graph in place wrote the reference count of every
    object they read, and the kernel copied each page they touched, which
    made the build's peak of memory on a large corpus.  The pickles are
    smaller than the objects and quick to make.
    """
    import gc
    import multiprocessing
    import pickle

    n = len(todo)
    if not _forks(n, jobs):
        for i in todo:
            yield writer.render(*emitter.interview(i))
        return

    global _RENDERING
    size = max(1, min(2, n // (4 * jobs)))  # small blocks: workers evenly loaded, little held in memory at once
    parcels = [pickle.dumps([emitter.parcel(i) for i in todo[start:start + size]], protocol=pickle.HIGHEST_PROTOCOL)
               for start in range(0, n, size)]
    _RENDERING = (writer, emitter.iris, emitter.people, emitter.persons)
    gc.freeze()  # nor may the workers' collector touch the pages they share with this process
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for rendered in pool.imap(_render_block, parcels, chunksize=1):
                yield from rendered
    finally:
        _RENDERING = None
        gc.unfreeze()


def _render_block(parcels: bytes) -> list[dict[str, bytes]]:
    import pickle

    assert _RENDERING is not None, "rendering workers are forked from write_graph"
    from ..memory import trim_heap
    from .emit import render_parcel

    writer, iris, people, persons = _RENDERING
    rendered = [writer.render(*render_parcel(iris, parcel, people, persons)) for parcel in pickle.loads(parcels)]
    trim_heap()  # the block's objects are freed by now: hand their pages back
    return rendered
