"""The moment of the recording where each mention is heard, read from a build's RDF, for the web annotations.

A build writes on each timed quote whose recording it found a W3C Media
Fragment URI, ``kgi:mediaFragment`` (`kg.rdf.timing`): the recording as a
reference relative to the build folder, then ``#t=start,end``.  Every mention
of that quote is heard there, so `media_lookup` turns those URIs into the
`kg.export.webannotation.MediaLookup` that the Web Annotation writer asks for
each mention.  The time is the RDF's own, so the annotation's
``FragmentSelector`` says what the graph says; only the reference to the
recording moves, since the annotation file may lie elsewhere than the RDF
(`relocate`).  Nothing is re-extracted and no media file is opened.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from ..errors import GraphError
from .webannotation import MediaFragment, MediaLookup, read_sources

_FRAGMENT = re.compile(r"(?P<ref>[^#]+)#t=(?:npt:)?(?P<start>[0-9]+(?:\.[0-9]*)?)(?:,(?P<end>[0-9]+(?:\.[0-9]*)?))?")
"""A recording and a Media Fragments time in seconds (Normal Play Time), as kg writes it and its shapes allow."""
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:", re.I)


def parse_fragment(uri: str, *, where: str = "") -> MediaFragment:
    """The recording reference and the span of a Media Fragment URI, or one GraphError line.

    Examples:
        >>> parse_fragment("../rec/entretien.wav#t=9.821,14")
        MediaFragment(media='../rec/entretien.wav', start=9.821, end=14.0)
        >>> parse_fragment("rec%201.wav#t=3").value()
        't=3'
    """
    found = _FRAGMENT.fullmatch(uri.strip())
    if found is None:
        raise GraphError(f"{where or uri}: kgi:mediaFragment {uri!r} is not a recording with a W3C Media Fragment "
                         "time (file#t=start,end); rebuild the graph with kg build")
    end = found["end"]
    return MediaFragment(found["ref"], float(found["start"]), float(end) if end is not None else None)


def relocate(ref: str, *, graph_folder: Path | None = None, out_folder: Path | None = None,
             media_base: str | None = None) -> str:
    """The reference to a recording that the build named ``ref`` (relative to ``graph_folder``), from ``out_folder``.

    ``media_base``: where the recordings are published; the recording is then that plus its file
    name, as ``--source-base`` does for transcripts.  A URL or an absolute path stays as it is, and
    so does everything when the folders are not known.

    Examples:
        >>> relocate("../rec/rec%201.wav", graph_folder=Path("/c/out"), out_folder=Path("/c/pub/anno"))
        '../../rec/rec%201.wav'
        >>> relocate("../rec/rec%201.wav", media_base="https://example.org/audio/")
        'https://example.org/audio/rec%201.wav'
    """
    if media_base:
        return media_base + quote(PurePosixPath(unquote(urlsplit(ref).path)).name)
    if _SCHEME.match(ref) or ref.startswith("/") or graph_folder is None or out_folder is None:
        return ref
    recording = graph_folder.resolve() / unquote(ref)
    return quote(Path(os.path.relpath(recording, out_folder.resolve())).as_posix(), safe="/._-~")


def quote_fragments(g: Any) -> dict[tuple[str, int, int], MediaFragment]:
    """(interview id, start, end) of each mention whose quote has a media fragment -> that fragment, as written."""
    from rdflib import RDF, Literal

    from ..rdf.vocab import KGI, NIF

    if next(g.triples((None, KGI.mediaFragment, None)), None) is None:
        return {}  # no recording was found for any interview: no need to walk the mentions
    ids = {iri: source.id for iri, source in read_sources(g).items()}
    parsed: dict[Any, MediaFragment] = {}
    found = {}
    for m in g.subjects(RDF.type, KGI.Mention):
        sentence = g.value(m, NIF.sentence)
        value = g.value(sentence, KGI.mediaFragment) if sentence is not None else None
        iid = ids.get(str(g.value(m, NIF.referenceContext)))
        begin, end = g.value(m, NIF.beginIndex), g.value(m, NIF.endIndex)
        if value is None or iid is None or not isinstance(begin, Literal) or not isinstance(end, Literal):
            continue
        if sentence not in parsed:
            parsed[sentence] = parse_fragment(str(value), where=str(sentence))
        found[(iid, int(begin.toPython()), int(end.toPython()))] = parsed[sentence]
    return found


def media_lookup(g: Any, *, graph_folder: Path | None = None, out_folder: Path | None = None,
                 media_base: str | None = None) -> MediaLookup | None:
    """Where each mention of the build in ``g`` is heard, named from ``out_folder``; None when no quote has a fragment.

    ``graph_folder`` is the folder of the RDF that ``g`` was read from, which the recordings it
    names are relative to; ``out_folder``, the folder the annotations are written in.
    """
    fragments = quote_fragments(g)
    if not fragments:
        return None
    moved: dict[str, str] = {}
    table = {}
    for key, fragment in fragments.items():
        if fragment.media not in moved:
            moved[fragment.media] = relocate(fragment.media, graph_folder=graph_folder, out_folder=out_folder,
                                             media_base=media_base)
        table[key] = MediaFragment(moved[fragment.media], fragment.start, fragment.end)

    def lookup(interview: str, start: int, end: int) -> MediaFragment | None:
        return table.get((interview, start, end))

    return lookup
