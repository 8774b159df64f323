"""The knowledge graph as one rdflib Graph, for library users and tests that want to query it in Python.

The triples are `kg.rdf.emit`'s, so this graph and the written files never
disagree; `kg build` itself streams the chunks to the files instead
(`kg.rdf.write.write_chunks`), since a large corpus does not fit in an
rdflib graph.
"""

from __future__ import annotations

from rdflib import Graph

from ..model import KnowledgeGraph
from .emit import chunks
from .vocab import PREFIXES
from .write import to_rdflib


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def to_rdf(kg: KnowledgeGraph, *, base: str) -> Graph:
    """The whole corpus as one rdflib Graph."""
    g = new_graph()
    for _, triples in chunks(kg, base=base):
        for t in triples:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    return g
