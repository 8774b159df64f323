"""The entity network of a build for network tools: GraphML and GEXF (Gephi), nodes.csv and edges.csv (Palladio,
Nodegoat).

The network is the page's (`kg.page.network.to_networkx`), read from the
build's RDF as ``kg html`` reads it, less the interview nodes: entities joined
by the sentences that name both.  Each node carries the entity's label, type,
aliases, IRI and counts; each edge its weight (sentences) and the interviews
those sentences come from.  Lists are written as text joined by `SEPARATOR`:
GraphML, GEXF and CSV hold no list values.  The three formats are written from
the same networkx graph, nodes and edges in sorted order, so they agree and a
rerun gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..page.data import GraphData, from_rdf
from ..page.network import INTERVIEW, to_networkx
from ..page.parts import Part, parts_of

if TYPE_CHECKING:
    from . import ExportOptions

SEPARATOR = "|"
"""Between the items of a list value (aliases, interview ids); Palladio and Gephi split on a chosen character."""
NODE_COLUMNS = ("Id", "Label", "Type", "Mentions", "Interviews", "Aliases", "InterviewIds", "IRI")
EDGE_COLUMNS = ("Source", "Target", "SourceLabel", "TargetLabel", "Weight", "Interviews", "InterviewIds")
"""Gephi's spreadsheet import recognises Id, Label, Source, Target and Weight by name."""


def base_iri(g: Any) -> str:
    """The IRI every node of the build starts with, read off an interview's IRI (``BASE + "interview/" + id``)."""
    from rdflib import RDF, Literal

    from ..rdf.vocab import DEFAULT_BASE, KGI, SCHEMA

    for node in sorted(g.subjects(RDF.type, KGI.Interview), key=str):
        iid = g.value(node, SCHEMA.identifier)
        tail = f"interview/{iid}"
        if isinstance(iid, Literal) and str(node).endswith(tail):
            return str(node)[: -len(tail)]
    return DEFAULT_BASE


def entity_network(data: GraphData, *, base: str, min_co_mentions: int = 1,
                   parts: Sequence[Part] | None = None) -> nx.Graph:
    """The entities of ``data`` and their co-mentions, with the attributes the exports write."""
    parts = parts_of(data) if parts is None else parts
    full = to_networkx(data, min_co_mentions=min_co_mentions, parts=parts)
    pair_interviews: dict[tuple[str, str], list[str]] = {}
    for iv, part in zip(data.interviews, parts, strict=True):
        for a, with_a in part.pairs.items():
            for b in with_a:
                pair_interviews.setdefault((a, b), []).append(iv.id)
    g = nx.Graph(name=data.title, min_co_mentions=full.graph["min_co_mentions"])
    for e in data.entities:
        attrs = full.nodes[e.id]
        interviews = sorted(v[len(INTERVIEW):] for v in full[e.id] if v.startswith(INTERVIEW))
        g.add_node(e.id, label=e.label, type=e.type, mentions=attrs["mentions"], interviews=len(interviews),
                   aliases=_join(e.aliases), interview_ids=_join(interviews), iri=base + e.id)
    co = sorted((min(a, b), max(a, b), w) for a, b, kind, w in _edges(full) if kind == "co")
    for a, b, w in co:
        where = sorted(pair_interviews.get((a, b), ()))
        g.add_edge(a, b, weight=w, interviews=len(where), interview_ids=_join(where))
    return g


def _edges(g: nx.Graph) -> Iterable[tuple[str, str, str, int]]:
    for a, b, attrs in g.edges(data=True):
        yield a, b, attrs["kind"], attrs["weight"]


def _join(items: Iterable[str]) -> str:
    return SEPARATOR.join(items)


def network_of(g: Any, min_co_mentions: int = 1) -> nx.Graph:
    """The entity network of a build's RDF graph."""
    return entity_network(from_rdf(g), base=base_iri(g), min_co_mentions=min_co_mentions)


def graphml(network: nx.Graph) -> bytes:
    """GraphML, as networkx writes it (typed keys, so networkx, Gephi and Cytoscape read numbers back as numbers)."""
    buffer = io.BytesIO()
    nx.write_graphml(network, buffer, encoding="utf-8")
    return buffer.getvalue()


def gexf(network: nx.Graph, *, date: str | None = None) -> bytes:
    """GEXF 1.2, as networkx writes it (Gephi's own format: the label and weight are its built-in fields).

    networkx dates the file with today's date; it gets the build's ``date`` instead (none when not known), so
    that the same build gives the same bytes.
    """
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    meta = writer.xml.find("meta")
    if meta is not None:
        if date:
            meta.set("lastmodifieddate", date)
        else:
            meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(network)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build_date(g: Any) -> str | None:
    """The day the build in an RDF graph says it ran (``prov:startedAtTime``; reproducible, from the inputs)."""
    from ..rdf.vocab import KGI, PROV

    for build in sorted(g.subjects(None, KGI.Build), key=str):
        time = g.value(build, PROV.startedAtTime)
        if time is not None:
            return str(time)[:10]
    return None


def nodes_csv(network: nx.Graph) -> bytes:
    """One row per entity under a header row; the csv module quotes what needs it."""
    rows = ([v, a["label"], a["type"], a["mentions"], a["interviews"], a["aliases"], a["interview_ids"], a["iri"]]
            for v, a in network.nodes(data=True))
    return _csv(NODE_COLUMNS, rows)


def edges_csv(network: nx.Graph) -> bytes:
    """One row per pair of co-mentioned entities (undirected) under a header row."""
    label = network.nodes
    rows = ([a, b, label[a]["label"], label[b]["label"], d["weight"], d["interviews"], d["interview_ids"]]
            for a, b, d in network.edges(data=True))
    return _csv(EDGE_COLUMNS, rows)


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text)  # RFC 4180: comma, double quotes, CRLF
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def graphml_files(g: Any, options: ExportOptions) -> dict[str, bytes]:
    return {"entities.graphml": graphml(network_of(g, options.min_co_mentions))}


def gexf_files(g: Any, options: ExportOptions) -> dict[str, bytes]:
    return {"entities.gexf": gexf(network_of(g, options.min_co_mentions), date=build_date(g))}


def csv_files(g: Any, options: ExportOptions) -> dict[str, bytes]:
    network = network_of(g, options.min_co_mentions)
    return {"nodes.csv": nodes_csv(network), "edges.csv": edges_csv(network)}
