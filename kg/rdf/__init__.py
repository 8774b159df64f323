"""RDF output: build an rdflib Graph from a KnowledgeGraph and serialise it."""

from .build import to_rdf
from .vocab import DEFAULT_BASE, KGI
from .write import FORMATS, serialise

__all__ = ["to_rdf", "serialise", "FORMATS", "DEFAULT_BASE", "KGI"]
