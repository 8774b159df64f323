"""``kg export``: a built graph in the formats other research tools read.

Each format is a function from the built RDF graph to files (name -> bytes),
registered by name as transcript formats are: ``graphml`` and ``gexf`` (the
entity network, for Gephi), ``csv`` (``nodes.csv`` and ``edges.csv``, for
Palladio and Nodegoat) and ``webannotation`` (every mention as a W3C Web
Annotation, for annotation tools).  `export` checks the format and the build
before anything is written, then writes the files all at once
(`kg.files.write_atomically`), so that a failed export leaves nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import GraphError
from ..registry import Registry
from .webannotation import MediaFragment, MediaLookup

__all__ = ["EXPORTERS", "ExportOptions", "MediaFragment", "MediaLookup", "export", "export_names"]


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What the exporters may be told; each reads the fields that concern it."""

    min_co_mentions: int = 1
    """Network exports: link two entities named together in at least this many sentences."""
    source_base: str | None = None
    """Web annotations: where the transcripts are published (the file name is appended); else the interview IRI."""
    media: MediaLookup | None = None
    """Web annotations: the recording's time span of a mention, when known (a FragmentSelector is added)."""


Exporter = Callable[[Any, ExportOptions], dict[str, bytes]]
"""(rdflib Graph of a build, options) -> file name -> bytes."""

EXPORTERS: Registry[Exporter] = Registry("export format", "--to")
EXPORTERS.register("graphml", "kg.export.network:graphml_files")
EXPORTERS.register("gexf", "kg.export.network:gexf_files")
EXPORTERS.register("csv", "kg.export.network:csv_files")
EXPORTERS.register("webannotation", "kg.export.webannotation:annotation_files")

SINGLE_FILE = {"graphml": "entities.graphml", "gexf": "entities.gexf", "webannotation": "annotations.jsonld"}
"""The file each one-file format writes when ``out`` is a folder or not given."""


def export_names() -> list[str]:
    """The format names ``kg export --to`` accepts."""
    return EXPORTERS.names()


def export(directory: str | Path, to: str, *, out: str | Path | None = None,
           options: ExportOptions = ExportOptions()) -> list[Path]:
    """Write the build in ``directory`` (a ``kg build`` folder or one of its RDF files) in format ``to``.

    ``out`` is the file to write for one-file formats (an existing folder, or a path ending in a
    slash, gets the default name), the folder for ``csv``; by default the build folder.  Returns the paths written.
    """
    from ..files import write_atomically
    from ..rdf.read import find_built_graph, load_graph
    from ..rdf.vocab import KGI

    exporter = EXPORTERS.get(to)  # an unknown name lists the known ones, before any reading
    source = find_built_graph(directory)
    g = load_graph(source)
    if next(g.subjects(predicate=None, object=KGI.Interview), None) is None:
        raise GraphError(f"{source}: holds no kg interviews; pass a folder that kg build wrote")
    folder, name = _target(source, to, out)
    files = exporter(g, options)
    if name is not None:
        (payload,) = files.values()
        files = {name: payload}
    written = write_atomically(folder, files)
    return [written[n] for n in files]


def _target(source: Path, to: str, out: str | Path | None) -> tuple[Path, str | None]:
    """The folder to write in and, for one-file formats, the file's name there."""
    default_folder = source.parent if source.is_file() else source
    if out is None:
        return default_folder, SINGLE_FILE.get(to)
    path = Path(out)
    if to not in SINGLE_FILE or path.is_dir() or str(out).endswith(("/", os.sep)):
        return path, SINGLE_FILE.get(to)
    return path.parent, path.name
