"""Check a graph against kg's SHACL shapes (``ontology/shapes.ttl``) with pyshacl.

The shapes state what a valid kg graph is: every mention has integer
offsets that reproduce its anchor text, every entity a type and a label,
every quote an interview and its turn's speaker, and so on.  `validate`
returns a `ValidationReport` whose `format` lists the violations one per
line, with IRIs shortened, for ``kg validate`` to print.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from ..errors import GraphError
from ..resources import ontology_dir
from .read import first_line, load_graph
from .vocab import PREFIXES
from .write import corpus_base

SHAPES = ontology_dir() / "shapes.ttl"
"""kg's SHACL shapes, shipped beside the ontology."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result."""

    focus: str
    path: str
    message: str
    value: str = ""
    severity: str = "Violation"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    source: str
    triples: int
    violations: tuple[Violation, ...]

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)

    def format(self, limit: int = 50) -> str:
        """Readable text: a summary line, then one line per result (at most ``limit``)."""
        errors = sum(v.severity == "Violation" for v in self.violations)
        if self.conforms and not self.violations:
            return f"{self.source}: valid ({self.triples} triples conform to {SHAPES.name})"
        head = (f"{self.source}: valid, with {len(self.violations)} warnings" if self.conforms
                else f"{self.source}: {errors} violation{'s' if errors != 1 else ''} of {SHAPES.name}")
        lines = [head]
        for v in self.violations[:limit]:
            where = f"{v.focus} {v.path}".strip()
            value = f" [value: {v.value}]" if v.value and v.value not in v.message else ""
            kind = "" if v.severity == "Violation" else f"{v.severity.lower()}: "
            lines.append(f"  {where}: {kind}{v.message}{value}")
        if len(self.violations) > limit:
            lines.append(f"  ... and {len(self.violations) - limit} more")
        return "\n".join(lines)


@lru_cache(maxsize=4)
def _shapes(path: str) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except FileNotFoundError:
        raise GraphError(f"{path}: SHACL shapes not found; reinstall kg or pass --shapes") from None
    except Exception as e:  # rdflib parser errors
        raise GraphError(f"{path}: shapes are not valid Turtle ({first_line(e)}); fix the file") from None


class _PreparedQueries(Graph):
    """A graph view whose SPARQL parses each distinct query text once.

    pyshacl runs a SPARQL constraint once per focus node with the same text
    (``$this`` is bound, not substituted); parsing dominated the run time.
    """

    def query(self, query_object, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        if isinstance(query_object, str):
            query_object = _prepare(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=256)
def _prepare(text: str):  # type: ignore[no-untyped-def]
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


def validate(graph: Graph | str | Path, *, shapes: str | Path = SHAPES, source: str | None = None) -> ValidationReport:
    """Validate a graph (an rdflib Graph, a build folder or an RDF file) against ``shapes``."""
    import pyshacl

    if not isinstance(graph, Graph):
        source = source or str(graph)
        graph = load_graph(graph)
    shapes_graph = _shapes(str(Path(shapes).resolve()))
    # same store, no copy; inplace is safe because no inference or rules run
    data = _PreparedQueries(store=graph.store, identifier=graph.identifier, namespace_manager=graph.namespace_manager)
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference="none", allow_warnings=True,
                                     allow_infos=True, inplace=True)
    short = _Shortener(graph)
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        found.append(Violation(
            focus=short(results.value(result, SH.focusNode)),
            path=short(path) if isinstance(path, URIRef) else "",
            message=_readable(messages[0] if messages else "does not conform", short),
            value=short(value) if value is not None else "",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        ))
    unique = sorted(set(found), key=lambda v: (v.severity != "Violation", v.focus, v.path, v.message, v.value))
    return ValidationReport(source or "graph", len(graph), tuple(unique))


class _Shortener:
    """IRIs as ``prefix:local`` or ``<relative>`` to the corpus base; literals quoted and cut."""

    def __init__(self, graph: Graph) -> None:
        self.base = corpus_base(graph)
        self.prefixes = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))

    def __call__(self, node: object) -> str:
        if node is None:
            return ""
        if isinstance(node, Literal):
            text = str(node)
            return '"' + (text if len(text) <= 60 else text[:57] + "...") + '"'
        text = str(node)
        if self.base and text.startswith(self.base):
            return f"<{text[len(self.base):]}>"
        for ns, prefix in self.prefixes:
            if text.startswith(ns) and "/" not in text[len(ns):]:
                return f"{prefix}:{text[len(ns):]}"
        return f"<{text}>"


def _readable(message: str, short: _Shortener) -> str:
    """pyshacl writes full IRIs into some messages; shorten them too."""
    out = []
    for word in message.split(" "):
        core = word.strip("<>(),")
        if core.startswith(("http://", "https://")):
            word = word.replace(f"<{core}>", short(URIRef(core))).replace(core, short(URIRef(core)))
        out.append(word)
    return " ".join(out).strip()
