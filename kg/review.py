"""List the entities of a built graph, to review them and write a curation file."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def list_entities(path: str | Path, *, examples: int = 1) -> list[dict[str, Any]]:
    """Entities with id, type, label, aliases, mention and interview counts, and example quotes."""
    from rdflib import RDF, URIRef
    from rdflib.namespace import SKOS

    from .rdf.read import find_built_graph, load_graph
    from .rdf.vocab import ENTITY_CLASSES, ITSRDF, KGI, NIF, SCHEMA

    g = load_graph(find_built_graph(path))  # named graphs of .nq/.trig merged; a bad file raises GraphError
    kinds = {cls: t for t, classes in ENTITY_CLASSES.items() for cls in classes if t != "Concept"}
    kinds[SKOS.Concept] = "Concept"
    rows: list[dict[str, Any]] = []
    entities = set(g.objects(None, ITSRDF.taIdentRef)) | set(g.subjects(KGI.confidence, None))
    for node in entities:
        if not isinstance(node, URIRef) or (node, NIF.isString, None) in g:
            continue
        types = [kinds[c] for c in g.objects(node, RDF.type) if isinstance(c, URIRef) and c in kinds]
        mentions = list(g.subjects(ITSRDF.taIdentRef, node))
        quotes = sorted({str(q) for q in g.subjects(SCHEMA.mentions, node) if (q, SCHEMA.text, None) in g})
        texts = [str(g.value(URIRef(q), SCHEMA.text)) for q in quotes[:examples]]
        interviews = {str(g.value(m, NIF.referenceContext)) for m in mentions}
        rows.append({
            "id": _entity_id(str(node)),
            "iri": str(node),
            "type": types[0] if types else "?",
            "label": str(g.value(node, SCHEMA.name) or ""),
            "aliases": sorted(str(a) for a in g.objects(node, SKOS.altLabel)),
            "mentions": len(mentions),
            "interviews": len(interviews - {"None"}),
            "examples": texts,
            "links": sorted(str(o) for o in g.objects(node, SKOS.exactMatch)),
            "suggestions": _suggestions(g, node),
        })
    rows.sort(key=lambda r: (-r["mentions"], r["id"]))
    return rows


def _entity_id(iri: str) -> str:
    parts = iri.rstrip("/").split("/")
    return "/".join(parts[-2:])


def _suggestions(g: Any, node: Any) -> list[dict[str, Any]]:
    """A reconciliation service's candidates kept for review (`kg.link`), best first."""
    from rdflib import RDFS

    from .rdf.vocab import KGI

    out = []
    for match in g.objects(node, KGI.suggestedMatch):
        score = g.value(match, KGI.matchScore)
        out.append({"iri": str(g.value(match, KGI.matchTarget) or ""), "name": str(g.value(match, RDFS.label) or ""),
                    "score": float(score) if score is not None else 0.0,
                    "service": str(g.value(match, KGI.matchService) or "")})
    return sorted(out, key=lambda s: (-s["score"], s["iri"]))
