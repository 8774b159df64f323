"""Find and read a built graph: a ``kg build`` output folder or one RDF file.

`kg validate`, `kg query`, `kg serve` and `kg push` all accept either; a folder
is searched for the files ``kg build`` writes, in the order of `PREFERENCE`.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from ..errors import GraphError

SUFFIX_FORMATS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt", ".jsonld": "json-ld",
    ".json": "json-ld", ".trig": "trig", ".nq": "nquads", ".nquads": "nquads", ".rdf": "xml", ".owl": "xml",
}
"""File suffix -> rdflib parser name."""
DATASET_FORMATS = {"trig", "nquads"}
PREFERENCE = ("graph.nq", "graph.nt", "graph.ttl", "graph.trig", "graph.jsonld")
"""Files looked for in a build folder, first found wins (N-Quads keeps one named graph per interview)."""
LOAD_PREFERENCE = ("graph.nt", "graph.ttl", "graph.nq", "graph.trig", "graph.jsonld")
"""What `load_graph` reads from a build folder: N-Triples parses fastest; a build may have written only some."""


def find_graph(path: str | Path, *, prefer: tuple[str, ...] = PREFERENCE) -> Path:
    """The RDF file at ``path``, or the preferred graph file in the build folder ``path``."""
    p = Path(path)
    if p.is_dir():
        for name in prefer:
            if (p / name).is_file():
                return p / name
        raise GraphError(f"{p}: no graph file ({', '.join(prefer)}); run: kg build TRANSCRIPTS --out {p}")
    if not p.exists():
        raise GraphError(f"{p}: no such file or folder; pass a kg build output folder or an RDF file")
    rdf_format(p)
    return p


def find_built_graph(directory: str | Path) -> Path:
    """The RDF file `load_graph` reads for ``directory`` (a build folder or one file), or one GraphError line.

    For the commands that read a build (``kg html``, ``kg entities``, ``kg evaluate``).
    """
    if Path(directory).is_file():
        return Path(directory)  # its suffix is checked when it is read
    try:
        return find_graph(directory, prefer=LOAD_PREFERENCE)
    except GraphError:
        raise GraphError(f"{directory}: no {', '.join(LOAD_PREFERENCE)} here; run kg build first "
                         "or pass the folder it wrote") from None


def rdf_format(path: Path) -> str:
    """rdflib's format name for ``path``, from its suffix."""
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise GraphError(f"{path}: unknown RDF file type {path.suffix!r}; "
                         f"use one of {', '.join(sorted(set(SUFFIX_FORMATS)))}")
    return fmt


def load_graph(path: str | Path) -> Graph:
    """All triples of the graph at ``path`` (named graphs merged) as one rdflib Graph."""
    file = find_graph(path, prefer=LOAD_PREFERENCE)
    fmt = rdf_format(file)
    try:
        if fmt in DATASET_FORMATS:
            ds = Dataset()
            ds.parse(file, format=fmt)
            g = Graph()
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
            for prefix, ns in ds.namespaces():
                g.bind(prefix, ns, override=False)
            return g
        return Graph().parse(file, format=fmt)
    except GraphError:
        raise
    except Exception as e:  # rdflib's parsers raise many exception types
        raise GraphError(f"{file}: not valid {fmt} ({first_line(e)}); "
                         "rebuild it with kg build or fix the file") from None


def first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0][:300] if text else type(e).__name__
