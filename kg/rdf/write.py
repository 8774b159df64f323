"""Serialise a graph to Turtle, JSON-LD and N-Triples, deterministically.

rdflib's Turtle writer sorts subjects and predicates; N-Triples lines are
sorted here, and JSON-LD nodes are sorted by ``@id``, so building the same
input twice gives the same bytes.
"""

from __future__ import annotations

import json

from rdflib import Graph

from .vocab import PREFIXES

FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}


def serialise(g: Graph, fmt: str) -> bytes:
    """Bytes of ``g`` in one of FORMATS' keys ("ttl", "jsonld", "nt")."""
    if fmt == "nt":
        lines = g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        return ("\n".join(sorted(set(line for line in lines if line.strip()))) + "\n").encode("utf-8")
    if fmt == "jsonld":
        data = json.loads(g.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True))
        if isinstance(data, dict) and "@graph" in data:
            data["@graph"] = sorted(data["@graph"], key=lambda n: str(n.get("@id", "")))
            for node in data["@graph"]:
                for k, v in node.items():
                    if isinstance(v, list):
                        node[k] = sorted(v, key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
        return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    if fmt == "ttl":
        return g.serialize(format="turtle", encoding="utf-8")
    raise ValueError(f"unknown RDF format {fmt!r}")
