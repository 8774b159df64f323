"""Score a built graph's entities against a hand-made gold annotation.

Gold files are JSON: ``entities`` (``name``, ``type``, ``aliases``, optional
``alt_types``) exhaustive for the named types, and ``concepts`` with ``core``
(each ``name`` + ``aliases``; recall is measured on these) and ``optional``
strings.  Matching ignores case, accents, spaces and punctuation.  A gold
entity is found when a predicted entity of an accepted type carries one of
its aliases; a second prediction for the same gold entity is a duplicate and
counts against precision.  These are the conventions of the project's shared
scorer, so figures are comparable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .text import match_key as norm

NAMED = ("Person", "Organisation", "Tool", "Work", "Place")
_ORDER = ("Person", "Organisation", "Tool", "Place", "Work", "Concept")
_SCHEMA_TYPES = {
    "Person": "Person", "Organization": "Organisation", "SoftwareApplication": "Tool",
    "SoftwareSourceCode": "Tool", "Product": "Tool", "CreativeWork": "Work", "Event": "Work",
    "Place": "Place", "DefinedTerm": "Concept",
}


@dataclass(frozen=True)
class Predicted:
    type: str
    names: frozenset[str]


def predicted_from_graph(path: str | Path) -> list[Predicted]:
    """Entities of a built graph: what quotes mention plus every person."""
    from rdflib import URIRef
    from rdflib.namespace import RDF, RDFS, SKOS

    from .rdf.read import find_built_graph as find_graph
    from .rdf.read import load_graph
    from .rdf.vocab import ITSRDF, NIF, SCHEMA

    g = load_graph(find_graph(path))  # a build folder or any RDF file; named graphs merged
    nodes = set(g.objects(None, SCHEMA.mentions)) | set(g.objects(None, ITSRDF.taIdentRef))
    nodes |= set(g.subjects(RDF.type, SCHEMA.Person))
    out = []
    for node in sorted(nodes, key=str):
        if (node, NIF.isString, None) in g:
            continue
        kinds = set()
        for cls in g.objects(node, RDF.type):
            if isinstance(cls, URIRef):
                local = str(cls).rsplit("/", 1)[-1]
                if str(cls).startswith(str(SCHEMA)) and local in _SCHEMA_TYPES:
                    kinds.add(_SCHEMA_TYPES[local])
                elif cls == SKOS.Concept:
                    kinds.add("Concept")
        if not kinds:
            continue
        kind = next(k for k in _ORDER if k in kinds)
        names = {str(v) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SCHEMA.name, SCHEMA.alternateName)
                 for v in g.objects(node, p)}
        if names:
            out.append(Predicted(kind, frozenset(names)))
    return out


def load_gold(path: str | Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such gold file") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: not valid JSON (line {e.lineno}: {e.msg})") from None
    if not isinstance(data, dict) or "entities" not in data:
        raise InputError(f"{path}: a gold file needs an 'entities' list")
    return data


def score(predicted: list[Predicted], gold: dict[str, Any]) -> dict[str, Any]:
    """Precision, recall and F1 overall and per type, concept core recall, and the errors."""
    golds = gold["entities"]
    index = [({norm(a) for a in g.get("aliases", [])} | {norm(g["name"])}) - {""} for g in golds]
    accepted = [{g["type"], *g.get("alt_types", [])} for g in golds]
    found: dict[int, Predicted] = {}
    tp = dict.fromkeys(NAMED, 0)
    fp = dict.fromkeys(NAMED, 0)
    false_pos, dups = [], []
    named = sorted((p for p in predicted if p.type in NAMED), key=lambda p: sorted(p.names))
    for p in named:
        keys = {norm(n) for n in p.names} - {""}
        hit = next((i for i, k in enumerate(index) if keys & k and p.type in accepted[i]), None)
        if hit is None:
            fp[p.type] += 1
            false_pos.append(f"{p.type}:{sorted(p.names)[0]}")
        elif hit in found:
            fp[p.type] += 1
            dups.append(f"{p.type}:{sorted(p.names)[0]}")
        else:
            found[hit] = p
            tp[p.type] += 1
    per_type = {}
    for kind in NAMED:
        n_gold = sum(1 for g in golds if g["type"] == kind)
        n_found = sum(1 for i, g in enumerate(golds) if g["type"] == kind and i in found)
        n_pred = tp[kind] + fp[kind]
        per_type[kind] = _prf(tp[kind], n_pred, n_found, n_gold)
    total_pred = sum(tp.values()) + sum(fp.values())
    overall = _prf(sum(tp.values()), total_pred, len(found), len(golds))
    concepts = gold.get("concepts", {})
    core = [{norm(a) for a in c.get("aliases", [])} | {norm(c["name"])} for c in concepts.get("core", [])]
    all_keys = {norm(n) for p in predicted for n in p.names}
    core_found = [c for c, keys in zip(concepts.get("core", []), core, strict=False) if keys & all_keys]
    return {
        "named_entities": overall,
        "per_type": per_type,
        "concepts": {
            "core_recall": round(len(core_found) / len(core), 3) if core else None,
            "predicted": sum(1 for p in predicted if p.type == "Concept"),
            "missed_core": [c["name"] for c in concepts.get("core", []) if c not in core_found],
        },
        "missed": [g["name"] for i, g in enumerate(golds) if i not in found],
        "false_positives": false_pos,
        "duplicates": dups,
    }


def _prf(tp: int, n_pred: int, n_found: int, n_gold: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else 0.0
    r = n_found / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "gold": n_gold, "predicted": n_pred}


def evaluate(graph: str | Path, gold: str | Path) -> dict[str, Any]:
    """Score the graph file ``graph`` against the gold file ``gold``."""
    return score(predicted_from_graph(graph), load_gold(gold))
