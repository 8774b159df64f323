"""Time kg's RDF writer on a large synthetic graph against rdflib's own serialisers, Turtle and N-Triples.

    .venv/bin/python benchmarks/rdf_write.py                 # about 1M triples
    .venv/bin/python benchmarks/rdf_write.py --triples 200000 --json /tmp/rdf_write.json

The graph has kg's shape (interviews, their turns with text, offsets and
speakers, mentions linking to shared entities) but is made up, so no model is
needed.  Each format is written once by rdflib (``Graph.serialize``) and once
by `kg.rdf.write.serialise_all` (which hands chunks to Oxigraph's
serialisers, as ``kg build`` does); the script checks that both N-Triples
outputs hold the same triples.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.rdf import KGI, write
from kg.rdf.vocab import NIF, PREFIXES, SCHEMA

BASE = "https://w3id.org/kg-interviews/data/"
PER_TURN = 10  # triples per turn, see synthetic_graph


def synthetic_graph(triples: int, interviews: int = 100, entities: int = 2000) -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    turns = max(1, triples // (interviews * PER_TURN))
    for e in range(entities):
        ent = URIRef(f"{BASE}entity/person/name-{e}")
        g.add((ent, RDF.type, SCHEMA.Person))
        g.add((ent, SCHEMA.name, Literal(f"Personne n°{e}", lang="fr")))
    for i in range(interviews):
        iv = URIRef(f"{BASE}interview/iv-{i}")
        g.add((iv, RDF.type, KGI.Interview))
        g.add((iv, SCHEMA.name, Literal(f"Entretien {i}")))
        for t in range(turns):
            turn = URIRef(f"{iv}/turn/{t}")
            start = t * 120
            g.add((turn, RDF.type, KGI.Turn))
            g.add((turn, NIF.referenceContext, iv))
            g.add((turn, NIF.beginIndex, Literal(start, datatype=XSD.nonNegativeInteger)))
            g.add((turn, NIF.endIndex, Literal(start + 118, datatype=XSD.nonNegativeInteger)))
            g.add((turn, NIF.anchorOf, Literal(f"Tour {t} de l'entretien {i} : « on a utilisé l'outil {t % 97} »\n"
                                                f"et puis voilà, du coup.", lang="fr")))
            g.add((turn, KGI.speaker, URIRef(f"{iv}/participant/{t % 2}")))
            mention = URIRef(f"{turn}/mention/{start + 40}-{start + 52}")
            g.add((mention, RDF.type, KGI.Mention))
            g.add((mention, NIF.anchorOf, Literal(f"Outil {t % 97}")))
            g.add((mention, URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef"),
                   URIRef(f"{BASE}entity/person/name-{(i * 31 + t) % entities}")))
            g.add((mention, NIF.beginIndex, Literal(start + 40, datatype=XSD.nonNegativeInteger)))
    return g


def timed(g: Graph, fmt: str, kg_writer: bool) -> tuple[float, bytes]:
    started = time.perf_counter()
    if kg_writer:
        data = write.serialise_all(g, [fmt], base=BASE)[fmt]
    else:
        data = g.serialize(format=write.FORMATS[fmt], encoding="utf-8")
    return time.perf_counter() - started, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

    started = time.perf_counter()
    g = synthetic_graph(args.triples)
    print(f"graph: {len(g):,} triples, built in {time.perf_counter() - started:.1f} s", flush=True)
    rows = []
    for fmt in ("nt", "ttl"):
        rdflib_s, rdflib_bytes = timed(g, fmt, kg_writer=False)
        ox_s, ox_bytes = timed(g, fmt, kg_writer=True)
        if fmt == "nt":
            import pyoxigraph as ox

            same = (set(ox.parse(rdflib_bytes, format=ox.RdfFormat.N_TRIPLES))
                    == set(ox.parse(ox_bytes, format=ox.RdfFormat.N_TRIPLES)))
            assert same, "N-Triples of rdflib and kg hold different triples"
        rows.append({"format": fmt, "rdflib_s": round(rdflib_s, 2), "kg_oxigraph_s": round(ox_s, 2),
                     "ratio": round(rdflib_s / ox_s, 1), "rdflib_bytes": len(rdflib_bytes),
                     "oxigraph_bytes": len(ox_bytes)})
        print(f"{fmt:4}  rdflib {rdflib_s:7.1f} s  kg (Oxigraph) {ox_s:6.1f} s  ratio {rdflib_s / ox_s:5.1f}x  "
              f"({len(rdflib_bytes):,} / {len(ox_bytes):,} bytes)", flush=True)
    if args.json:
        args.json.write_text(json.dumps({"triples": len(g), "machine": platform.platform(),
                                         "python": sys.version.split()[0],
                                         "results": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
