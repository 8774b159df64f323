"""``kg link DIR`` on a build: the build's RDF files (every format it wrote) and its page, rewritten with the
links and suggestions just decided, without extracting anything again.

The graph the files hold is edited, not rebuilt: every entity's `kgi:AuthorityMatch` nodes (accepted and
suggested) and the ``skos:exactMatch`` of the accepted ones are replaced by the new decisions, which are written
as ``kg build --link`` writes them (`kg.rdf.emit.match_triples`); a curator's links are left alone.  All the
files are written under temporary names and renamed together once every one is complete
(`kg.files.write_atomically`): a failure or a kill leaves the previous set whole.  The byte index of the last
build (``.kg-index.json``) then no longer describes the files and is ignored, as after any edit by hand (the next
build renders every interview again); the query store (``.kg-store``) is brought up to date at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from ..model import Entity
from ..rdf.vocab import KGI

GRAPH_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld")
"""The RDF files a build may write (``graph.FORMAT``)."""


def replace_matches(g: Graph, entities: Iterable[Entity], iris: Mapping[str, str], base: str) -> bool:
    """Edit ``g`` in place: each entity's reconciliation links become those of ``entities`` (IRIs from ``iris``).
    Whether anything changed (a second ``kg link`` with the same answers changes nothing, and writes nothing)."""
    import pyoxigraph as ox

    from ..rdf.emit import Iris, match_triples
    from ..rdf.write import to_rdflib

    names = Iris(base)
    removed: set[tuple[object, object, object]] = set()
    added: set[tuple[object, object, object]] = set()
    for e in entities:
        node = URIRef(iris[e.id])
        curated = {URIRef(iri) for iri in e.links}
        for prop in (KGI.acceptedMatch, KGI.suggestedMatch):
            for match in list(g.objects(node, prop)):
                target = g.value(match, KGI.matchTarget)
                if prop == KGI.acceptedMatch and target is not None and target not in curated:
                    removed.add((node, SKOS.exactMatch, target))
                removed.add((node, prop, match))
                removed.update(g.triples((match, None, None)))
        added.update((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))  # type: ignore[arg-type]
                     for t in match_triples(e, ox.NamedNode(iris[e.id]), names))
    for t in removed - added:
        g.remove(t)  # type: ignore[arg-type]
    for t in added - removed:
        g.add(t)  # type: ignore[arg-type]
    return removed != added


def rewrite_build(folder: Path, g: Graph, *, warn: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Write ``g`` over the build's graph files in ``folder`` (the formats found there) and redraw its page if it
    has one, all at once; then update the query store if the folder keeps one.  The files written."""
    from ..files import write_atomically
    from ..rdf.write import serialise_all

    formats = [fmt for fmt in GRAPH_FORMATS if (folder / f"graph.{fmt}").is_file()]
    payloads = {f"graph.{fmt}": data for fmt, data in serialise_all(g, formats).items()}
    if (folder / "graph.html").is_file():
        from ..page.data import from_rdf
        from ..page.render import render_html

        page = render_html(from_rdf(g, fallback_title=folder.resolve().name))
        payloads["graph.html"] = page.encode("utf-8")
    written = write_atomically(folder, payloads)
    _update_store(folder, warn)
    return [written[name] for name in sorted(written)]


def _update_store(folder: Path, warn: Callable[[str], None]) -> None:
    """The query store follows the files (`kg.store`); a failure is a warning: ``kg query`` loads it again."""
    from ..errors import GraphError, OutputError
    from ..store import STORE, sync_store

    if not (folder / STORE).exists():
        return
    try:
        sync_store(folder, warn=warn)
    except (OutputError, GraphError) as e:
        warn(str(e))
