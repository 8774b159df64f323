"""SPARQL over a built graph: ad-hoc queries and the canned researcher questions.

`query` runs a SPARQL 1.1 query on a ``kg build`` folder (or one RDF file).
A build folder is read through its Oxigraph store (``OUT/.kg-store``,
`kg.store`), which each build keeps up to date, so that a query on a large
corpus opens it at once instead of loading gigabytes.  A small folder
without a store and a single file are loaded for the query: small graphs go
through rdflib; from `AUTO_OXIGRAPH_BYTES` on, an in-memory Oxigraph store,
whose joins stay fast where rdflib's slow down sharply (rdf-model.md,
"Scale").  A ``timeout`` stops a query that runs too long (`kg.deadline`).  Both
engines see the prefixes of kg's graphs (``kgi:``, ``schema:``, ``nif:``...)
without PREFIX lines, and a graph with one named graph per interview
(``graph.nq``) is queried as the union of its graphs, ``GRAPH`` clauses included.

Canned questions live in ``ontology/queries/*.rq``; their header comments
give a title and parameters with defaults (``# param: name = Python``), bound
to the variable of the same name (``?name``) when the query runs, and its
folded form to ``?name_key`` where the query uses it (see `bind_params`).
Two parameter names are not variables: ``limit`` and ``offset`` set the
query's LIMIT and OFFSET (`page`), so that a canned question answers one page
(100 rows, or 10 people or interviews) instead of every row of a large corpus.

`render` turns a `QueryResult` into a text table, SPARQL CSV or SPARQL JSON.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal as Kind

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .deadline import Limited
from .errors import GraphError, QueryError, UnknownNameError
from .rdf.read import DATASET_FORMATS, find_graph, first_line, rdf_format
from .rdf.vocab import PREFIXES
from .resources import ontology_dir
from .store import INDEX
from .text import fold

ENGINES = ("auto", "rdflib", "oxigraph")
OUTPUT_FORMATS = ("table", "csv", "json")
AUTO_OXIGRAPH_BYTES = 5_000_000
"""Graph files from this size on (about 25,000 triples of N-Quads) are queried with Oxigraph."""
QUERIES = ontology_dir() / "queries"

_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
_OX_ERROR = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)
_PP_POSITION = re.compile(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)\s*$")


@dataclass(frozen=True)
class Example:
    """A canned query from ``ontology/queries``."""

    name: str
    title: str
    text: str
    params: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Parameter name -> (default value, description)."""


@dataclass(frozen=True)
class QueryResult:
    kind: Kind["select", "ask", "graph"]
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None
    engine: str = ""
    load_seconds: float = 0.0
    query_seconds: float = 0.0
    base: str | None = None
    """The corpus base IRI, for shortening IRIs in tables."""

    def __len__(self) -> int:
        if self.kind == "select":
            return len(self.rows)
        return len(self.graph) if self.graph is not None else int(bool(self.boolean))


# ----------------------------------------------------------------------------- examples

def examples(folder: Path = QUERIES) -> dict[str, Example]:
    """The canned queries shipped in ``ontology/queries``, by name (the file stem)."""
    found = {}
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title, params = "", {}
        for line in text.splitlines():
            if not line.startswith("#"):
                continue
            body = line.lstrip("#").strip()
            if body.startswith("title:"):
                title = body[len("title:"):].strip()
            elif body.startswith("param:"):
                m = re.match(r"param:\s*(\w+)\s*=\s*(.*?)\s*(?:\((.*)\))?\s*$", body)
                if m:
                    params[m.group(1)] = (m.group(2), m.group(3) or "")
        found[path.stem] = Example(path.stem, title or path.stem, text, params)
    return found


def example(name: str) -> Example:
    """One canned query; an unknown name lists the known ones."""
    known = examples()
    if name not in known:
        raise UnknownNameError(f"unknown example query {name!r}; use --example with one of: {', '.join(known)}")
    return known[name]


def example_bindings(ex: Example, given: Mapping[str, str]) -> dict[str, str]:
    """The example's parameters: its defaults overridden by ``given``."""
    unknown = sorted(set(given) - set(ex.params))
    if unknown:
        allowed = ", ".join(ex.params) or "none"
        raise QueryError(f"example {ex.name!r} has no parameter {unknown[0]!r}; its parameters: {allowed}")
    return {name: given.get(name, default) for name, (default, _) in ex.params.items()}


# ----------------------------------------------------------------------------- running

def choose_engine(file: Path, engine: str = "auto") -> str:
    if engine not in ENGINES:
        raise UnknownNameError(f"unknown SPARQL engine {engine!r}; use --engine with one of: {', '.join(ENGINES)}")
    if engine != "auto":
        return engine
    return "oxigraph" if file.stat().st_size >= AUTO_OXIGRAPH_BYTES else "rdflib"


def query(path: str | Path, sparql: str, *, params: Mapping[str, str] | None = None,
          engine: str = "auto", timeout: float | None = None,
          warn: Callable[[str], None] | None = None) -> QueryResult:
    """Run a read-only SPARQL query on the graph at ``path`` (a build folder or an RDF file).

    ``params`` bind variables before the query runs: ``{"name": "Python"}``
    sets ``?name`` to the string "Python" (``<...>`` values bind an IRI).
    A build folder is queried through its store (`kg.store`), brought up to
    date first where a build did not; a small folder without one, and a
    single file, are loaded for the query.  ``timeout`` (seconds) stops a
    query that runs longer, with a `QueryError` (`kg.deadline`).
    """
    check_read_only(sparql)
    check_summaries(Path(path), sparql)
    chosen, target = _target(Path(path), engine, warn)
    if chosen == "store":
        sparql = per_interview(sparql)
    sparql = bind_params(sparql, params or {})
    if chosen == "store":
        load: Callable[[], object] = partial(_open_store, target)
        run: Callable[[object], QueryResult] = partial(_run_ox, sparql=sparql)
    elif chosen == "oxigraph":
        load, run = partial(_oxigraph_store, target), partial(_run_ox, sparql=sparql)
    else:
        load, run = partial(_rdflib_graph, target), partial(_run_rdf, sparql=sparql)
    limited = Limited(load, run, timeout)
    started = time.perf_counter()
    result = limited()
    done = time.perf_counter()
    base = _base_of(result, target)
    return QueryResult(result.kind, result.variables, result.rows, result.boolean, result.graph,
                       "oxigraph" if chosen == "store" else chosen, limited.load_seconds,
                       done - started - limited.load_seconds, base)


def _run_ox(store: object, *, sparql: str) -> QueryResult:
    return _run_oxigraph(store, sparql)


def _run_rdf(graph: object, *, sparql: str) -> QueryResult:
    return _run_rdflib(graph, sparql)  # type: ignore[arg-type]


def _target(path: Path, engine: str, warn: Callable[[str], None] | None) -> tuple[str, Path]:
    """Which engine runs the query and what it reads: ("store", the store's database), or (engine, file).

    A build folder (or one of its graph files) goes to its store unless
    ``rdflib`` is asked for, or ``auto`` finds no up-to-date store and a
    graph file small enough for rdflib, which then costs no store on disk.
    """
    from .store import SOURCES, is_current, ready_store

    if engine not in ENGINES:
        raise UnknownNameError(f"unknown SPARQL engine {engine!r}; use --engine with one of: {', '.join(ENGINES)}")
    file = find_graph(path)
    folder = path if path.is_dir() else None
    if folder is None and file.name in {f"graph.{fmt}" for fmt in SOURCES} and (file.parent / INDEX).is_file():
        folder = file.parent  # a build folder's graph file: the same graph as the folder's store
    if folder is not None and engine != "rdflib" and any((folder / f"graph.{f}").is_file() for f in SOURCES):
        if engine == "oxigraph" or is_current(folder) or choose_engine(file) == "oxigraph":
            db = ready_store(folder, warn=warn or (lambda message: None))
            if db is not None:
                return "store", db
    return choose_engine(file, engine), file


def _open_store(db: Path):  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    try:
        return ox.Store.read_only(str(db))
    except OSError as e:
        raise GraphError(f"{db}: cannot open the query store ({first_line(e)}); delete {db.parent} "
                         "and run the query again (it is loaded again from the graph file)") from None


_PER_INTERVIEW = re.compile(r"^([ \t]*)#[ \t]*per interview \{[^\n]*\n(.*?)^([ \t]*)#[ \t]*per interview \}[^\n]*$",
                            re.MULTILINE | re.DOTALL)
GRAPH_VARIABLE = "kg_interview"
"""The variable naming the interview's graph in a block that `per_interview` reads graph by graph."""


def per_interview(sparql: str) -> str:
    r"""``sparql`` with each block between ``# per interview {`` and ``# per interview }`` read in every named
    graph (``GRAPH ?kg_interview { ... }``): the form a canned query takes on the store.

    Where the store answers a pattern in the union of its graphs, it has to
    drop the statements that two graphs share, and a name said in every
    interview has thousands of tallies to go through; inside ``GRAPH``,
    each interview's statements are read as they lie.  The two forms give the
    same rows on kg's store, where each tally lies in its interview's graph
    alone.  The markers are comments, so that the same file answers on a
    graph with no named graphs (``graph.ttl`` read by rdflib), where ``GRAPH``
    would find nothing.  Each marker line is replaced by one line, so that
    error positions stay right.

    >>> print(per_interview("SELECT * WHERE {\n  # per interview {\n  ?t kgi:turnTally ?n .\n  # per interview }\n}"))
    SELECT * WHERE {
      GRAPH ?kg_interview {
      ?t kgi:turnTally ?n .
      }
    }
    """  # noqa: E501 (a doctest line)
    return _PER_INTERVIEW.sub(lambda m: f"{m.group(1)}GRAPH ?{GRAPH_VARIABLE} {{\n{m.group(2)}{m.group(3)}}}", sparql)


def check_read_only(sparql: str) -> None:
    """Refuse SPARQL UPDATE: kg query and kg serve only read."""
    lines = [line for line in sparql.splitlines() if not line.lstrip().startswith("#")]
    m = _UPDATE.match("\n".join(lines))
    if m:
        raise QueryError(f"{m.group(1).upper()} is a SPARQL UPDATE; kg only runs read queries "
                         "(SELECT, ASK, CONSTRUCT, DESCRIBE): rebuild the graph to change it")


def build_folder(path: Path) -> Path | None:
    """The build folder ``path`` is, or whose graph file it is (an RDF index beside it); None for another file."""
    if path.is_dir():
        return path
    from .store import SOURCES

    named = path.name in {f"graph.{fmt}" for fmt in SOURCES} | {"graph.jsonld"}
    return path.parent if named and (path.parent / INDEX).is_file() else None


def missing_summaries(path: Path, sparql: str) -> list[str]:
    """The summaries (``kgi:sharedRank``...) that ``sparql`` reads and the build at ``path`` predates.

    The graph format a build records in its RDF index (`kg.rdf.reuse.GRAPH_FORMAT`) says which summaries
    its graph holds; a query reading one it lacks would answer no rows, as if nothing matched.  Nothing is
    missing where the format is unknown (a lone file, a folder without an index).
    """
    from .rdf.reuse import SUMMARIES, graph_format

    folder = build_folder(path)
    found = graph_format(folder) if folder is not None else None
    if found is None:
        return []
    text = "\n".join(line for line in sparql.splitlines() if not line.lstrip().startswith("#"))
    return [summary for summary, (since, terms) in SUMMARIES.items() if since > found
            and re.search(rf"(?:\bkgi:|kg-interviews/ns#)(?:{'|'.join(terms)})\b", text)]


def check_summaries(path: Path, sparql: str) -> None:
    """Refuse, in one line, a query that reads summaries the build at ``path`` predates (`missing_summaries`)."""
    missing = missing_summaries(path, sparql)
    if missing:
        folder = build_folder(path)
        raise QueryError(f"{folder}: this build predates {', '.join(missing)}, which the query reads (it would "
                         f"answer no rows); rebuild it with kg build")


def stale_examples(path: Path) -> str | None:
    """A one-line warning naming the canned queries that the build at ``path`` is too old for, or None."""
    stale = {ex.name: missing for ex in examples().values() if (missing := missing_summaries(path, ex.text))}
    if not stale:
        return None
    terms = sorted({term for missing in stale.values() for term in missing})
    return (f"{build_folder(path)}: this build predates {', '.join(terms)}; {', '.join(stale)} will answer no rows "
            "until it is rebuilt with kg build")


_WHERE_CLAUSE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_BRACE = re.compile(r"\{")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PAGE_PARAMS = ("limit", "offset")
"""Parameter names that set the query's LIMIT and OFFSET instead of binding a variable (`page`)."""


def bind_params(sparql: str, params: Mapping[str, str]) -> str:
    """``sparql`` with each parameter bound by a VALUES block at the start of its WHERE clause.

    Both engines then see the same bindings everywhere in the pattern,
    FILTERs included, and line numbers in error messages stay right.

    >>> print(bind_params('SELECT ?q WHERE { ?q ?p ?name }', {"name": 'Py"thon'}))
    SELECT ?q WHERE { VALUES ?name { "Py\\"thon" } ?q ?p ?name }

    When the query uses ``?name_key`` (for a parameter ``name``), it is bound
    too, to the value folded as kg folds entity labels into
    ``skos:hiddenLabel`` (case and accents ignored): ``?e skos:hiddenLabel
    ?name_key`` finds an entity by any of its labels through the store's
    index, where a FILTER comparing lower-cased labels reads every label.
    IRI values (``<...>``) get no key.

    >>> print(bind_params('SELECT ?e WHERE { ?e skos:hiddenLabel ?name_key }', {"name": "Élodie DUPRÉ"}))
    SELECT ?e WHERE { VALUES ?name { "Élodie DUPRÉ" } VALUES ?name_key { "elodie dupre" } ?e skos:hiddenLabel ?name_key }

    A subquery's WHERE clause gets the blocks too: SPARQL evaluates a
    subquery on its own, so a parameter that only the outer query bound
    would leave the subquery's variable free (``quotes-mentioning`` picks
    the interviews of a page in one).

    ``limit`` and ``offset`` are no variables: they set the query's LIMIT
    and OFFSET (`page`).
    """  # noqa: E501 (a doctest line)
    if not params:
        return sparql
    paging = {name: value for name, value in params.items() if name in PAGE_PARAMS}
    if paging:
        sparql = page(sparql, **{name: _whole(name, value) for name, value in paging.items()})
        params = {name: value for name, value in params.items() if name not in PAGE_PARAMS}
        if not params:
            return sparql
    blocks = []
    for name, value in params.items():
        if not _NAME.match(name):
            raise QueryError(f"parameter name {name!r} is not a SPARQL variable name; use letters, digits and _")
        term = _sparql_term(value)
        blocks.append(f"VALUES ?{name} {{ {term} }}")
        key = f"{name}_key"
        if key not in params and not term.startswith("<") and re.search(rf"[?$]{key}\b", sparql):
            blocks.append(f"VALUES ?{key} {{ {_sparql_term(fold(value))} }}")
    ends = [m.end() for m in _WHERE_CLAUSE.finditer(sparql) if not _in_comment(sparql, m.start())]
    if not ends:
        m = _BRACE.search(sparql)
        if m is None:
            raise QueryError("the query has no WHERE clause to bind --param values in; add one")
        ends = [m.end()]
    values = " " + " ".join(blocks)
    for end in reversed(ends):
        sparql = sparql[:end] + values + sparql[end:]
    return sparql


def _in_comment(sparql: str, at: int) -> bool:
    """Whether position ``at`` of ``sparql`` follows a ``#`` on its line (words in a comment, not a clause)."""
    return "#" in sparql[sparql.rfind("\n", 0, at) + 1:at]


_MODIFIER = {name: re.compile(rf"\b{name}\s+(\d+)", re.IGNORECASE) for name in PAGE_PARAMS}


def page(sparql: str, *, limit: int | None = None, offset: int | None = None) -> str:
    """``sparql`` with its LIMIT and OFFSET set: the last such clause outside comments, or one added at the end.

    A canned query carries its page's clauses (``LIMIT 100 OFFSET 0``, or
    in a subquery that pages people for ``tools-per-person`` and interviews
    for ``quotes-mentioning``); ``offset=100``
    asks for the second page of 100.  Its ORDER BY makes a page the same rows
    with either engine, and the pages of a query, read in turn, its whole answer.

    >>> page("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 100 OFFSET 0", offset=200)
    'SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 100 OFFSET 200'
    >>> page("SELECT ?s WHERE { ?s ?p ?o }  # all of them", limit=10)
    'SELECT ?s WHERE { ?s ?p ?o }  # all of them\\nLIMIT 10'
    """
    for name, value in (("limit", limit), ("offset", offset)):
        if value is None:
            continue
        last = None
        for m in _MODIFIER[name].finditer(sparql):
            if not _in_comment(sparql, m.start()):  # a clause, not words in a comment
                last = m
        if last is None:
            sparql = f"{sparql.rstrip()}\n{name.upper()} {value}"
        else:
            sparql = sparql[: last.start(1)] + str(value) + sparql[last.end(1):]
    return sparql


def _whole(name: str, value: str) -> int:
    text = value.strip()
    if not re.fullmatch(r"[0-9]{1,12}", text) or (name == "limit" and int(text) == 0):
        least = "1" if name == "limit" else "0"
        raise QueryError(f"--param {name}={value!r} is not a whole number of rows; give {least} or more, "
                         f"e.g. {name}={100 if name == 'limit' else 0}")
    return int(text)


def _sparql_term(value: str) -> str:
    if value.startswith("<") and value.endswith(">") and not re.search(r"[\s<>\"{}|^`\\]", value[1:-1]):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _rdflib_graph(file: Path) -> Graph:
    fmt = rdf_format(file)
    try:
        if fmt in DATASET_FORMATS:
            ds = Dataset(default_union=True)
            ds.parse(file, format=fmt)
            return ds
        return Graph().parse(file, format=fmt)
    except Exception as e:  # rdflib's parsers raise many exception types
        raise GraphError(f"{file}: not valid {fmt} ({first_line(e)}); rebuild it with kg build") from None


def _run_rdflib(graph: Graph, sparql: str) -> QueryResult:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(sparql, initNs=PREFIXES)
    except ParseBaseException as e:
        message = _PP_POSITION.sub("", str(e)).strip()
        raise QueryError(f"SPARQL syntax error at line {e.lineno}, column {e.col}: {message}; fix the query") from None
    except Exception as e:  # rdflib raises bare Exception for unknown prefixes
        raise QueryError(f"SPARQL error: {first_line(e)}; fix the query (declare prefixes with PREFIX)") from None
    try:
        result = graph.query(prepared)
    except Exception as e:
        raise QueryError(f"SPARQL query failed: {first_line(e)}; simplify or fix the query") from None
    if result.type == "ASK":
        return QueryResult("ask", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, override=True)
        for triple in result:
            g.add(triple)  # type: ignore[arg-type]
        return QueryResult("graph", graph=g)
    variables = tuple(str(v) for v in (result.vars or []))
    rows = tuple(tuple(row[i] for i in range(len(variables))) for row in result)  # type: ignore[index]
    return QueryResult("select", variables, rows)


def _oxigraph_store(file: Path):  # type: ignore[no-untyped-def]
    """An in-memory Oxigraph store holding ``file`` (a build folder's graph is read through its own store)."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_extension(file.suffix.lstrip(".").lower())
    if fmt is None:
        raise GraphError(f"{file}: Oxigraph cannot read {file.suffix!r} files; use graph.nq, graph.nt or graph.ttl")
    store = ox.Store()
    _load(store, file, fmt)
    return store


def _load(store, file: Path, fmt) -> None:  # type: ignore[no-untyped-def]
    try:
        store.bulk_load(path=str(file), format=fmt)
    except (SyntaxError, ValueError, OSError) as e:
        raise GraphError(f"{file}: not valid {fmt.name} ({first_line(e)}); rebuild it with kg build") from None


def _run_oxigraph(store, sparql: str) -> QueryResult:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    try:
        result = store.query(sparql, prefixes=dict(PREFIXES), use_default_graph_as_union=True)
    except SyntaxError as e:
        text = str(e)
        m = _OX_ERROR.match(text)
        if m:
            raise QueryError(f"SPARQL syntax error at line {m.group(1)}, column {m.group(2)}: "
                             f"{first_line(Exception(m.group(3)))}; fix the query") from None
        raise QueryError(f"SPARQL syntax error: {first_line(e)}; fix the query") from None
    except (OSError, ValueError, RuntimeError) as e:
        raise QueryError(f"SPARQL query failed: {first_line(e)}; simplify or fix the query") from None
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, override=True)
        for t in result:
            g.add((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)))  # type: ignore[arg-type]
        return QueryResult("graph", graph=g)
    variables = tuple(v.value for v in result.variables)
    # names and counts repeat down a large result (a person per tool): convert each distinct term once
    memo: dict[object, Node | None] = {}

    def convert(term):  # type: ignore[no-untyped-def]
        try:
            return memo[term]
        except KeyError:
            memo[term] = node = _from_ox(term)
            return node

    rows = tuple(tuple(convert(solution[v]) for v in variables) for solution in result)
    return QueryResult("select", variables, rows)


def _from_ox(term) -> Node | None:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == str(XSD.string) else URIRef(dt))
    return Literal(str(term))


def _base_of(result: QueryResult, file: Path) -> str | None:
    """The corpus base, read off the IRIs in the result: what precedes a known path segment."""
    nodes: list[Node] = [n for row in result.rows for n in row if isinstance(n, URIRef)]
    if result.graph is not None:
        nodes += [n for n in result.graph.all_nodes() if isinstance(n, URIRef)]
    for node in nodes:
        m = re.match(r"^(.*/)(?:interview|person|org|tool|work|place|concept|build|agent|scheme)/", str(node))
        if m and not any(str(node).startswith(ns) for ns in PREFIXES.values()):
            return m.group(1)
    return None


# ----------------------------------------------------------------------------- rendering

def render(result: QueryResult, fmt: str = "table", *, width: int = 80) -> str:
    """Text of a result: "table" (aligned, IRIs shortened), "csv" or "json" (SPARQL 1.1 results formats).

    CONSTRUCT and DESCRIBE results are Turtle for table and csv, JSON-LD for json.
    """
    if fmt not in OUTPUT_FORMATS:
        raise UnknownNameError(f"unknown output format {fmt!r}; use --format with one of: {', '.join(OUTPUT_FORMATS)}")
    if result.kind == "graph":
        from .rdf.write import serialise

        graph_format = "jsonld" if fmt == "json" else "ttl"
        return serialise(result.graph or Graph(), graph_format, base=result.base).decode("utf-8")
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "json":
        return _json(result)
    if fmt == "csv":
        return _csv(result)
    return _table(result, width)


def _json(result: QueryResult) -> str:
    bindings = []
    for row in result.rows:
        item = {}
        for var, term in zip(result.variables, row, strict=True):
            if term is not None:
                item[var] = json_term(term)
        bindings.append(item)
    data = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def json_term(term: Node) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 Query Results JSON format."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        out["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype is not None and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def _csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row])
    return out.getvalue()


def short(term: Node | None, base: str | None = None) -> str:
    """A term as a table shows it: ``kgi:Interview``, ``<person/ines-marchand>``, or the literal's text."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return " ".join(str(term).split())
    if isinstance(term, BNode):
        return f"_:{term}"
    text = str(term)
    if base and text.startswith(base):
        return f"<{text[len(base):]}>"
    for prefix, ns in sorted(PREFIXES.items(), key=lambda x: -len(x[1])):
        if text.startswith(ns) and re.fullmatch(r"[\w.-]*", text[len(ns):]):
            return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>"


def _table(result: QueryResult, width: int) -> str:
    header = list(result.variables)
    cells = [[_cut(short(t, result.base), width) for t in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def describe_examples(known: Sequence[Example] | None = None) -> str:
    """One line per canned query: name, title and parameters with defaults."""
    items = list(known) if known is not None else list(examples().values())
    width = max((len(e.name) for e in items), default=0)
    lines = []
    for ex in items:
        params = ", ".join(f"{k}={d!r}" for k, (d, _) in ex.params.items())
        lines.append(f"{ex.name.ljust(width)}  {ex.title}" + (f" (--param {params})" if params else ""))
    return "\n".join(lines)
