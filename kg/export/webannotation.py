"""Every mention of a build as a W3C Web Annotation (JSON-LD), for tools built on that model (Recogito...).

One annotation per mention, motivated by ``identifying``: its body is the
entity's IRI, its target the interview's source with two selectors that find
the mention independently, a ``TextQuoteSelector`` (the exact text, with up to
`CONTEXT_CHARS` characters on each side) and a ``TextPositionSelector``
(character offsets).  The offsets and the text are those of the interview text
kg reads (``nif:isString``): for a text transcript the file's own characters,
markup shown as spaces (`kg.model`).  The annotations come in one
``AnnotationCollection`` whose first page embeds them all, sorted by interview
and offset.

The document names the W3C context (`CONTEXT_URL`) as annotation tools
expect.  Nothing is fetched here; a JSON-LD processor that should not fetch
either can be given `local_context`, the W3C context's terms that kg writes,
mapped to the same IRIs (the W3C Web Annotation Vocabulary), through
`document_loader`.

When quotes get times, a caller passes ``media``: for each mention that has
one, the recording and the time span, which become a second target, the
recording with a ``FragmentSelector`` (W3C Media Fragments, ``t=start,end``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import orjson

if TYPE_CHECKING:
    from . import ExportOptions

CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"
"""The Web Annotation context, as the Data Model's JSON-LD serialisation names it."""
MEDIA_FRAGMENTS = "http://www.w3.org/TR/media-frags/"
"""What a FragmentSelector's value conforms to, for a time span of a recording."""
CONTEXT_CHARS = 32
"""Characters of text kept on each side of a mention in its TextQuoteSelector (prefix, suffix)."""
FILE = "annotations.jsonld"


@dataclass(frozen=True, slots=True)
class MediaFragment:
    """Where a mention is heard: the recording's IRI (absolute or relative) and a span in seconds."""

    media: str
    start: float
    end: float

    def value(self) -> str:
        """The Media Fragments value of the span.

        Examples:
            >>> MediaFragment("itw.m4a", 12.5, 17.25).value()
            't=12.5,17.25'
            >>> MediaFragment("itw.m4a", 3.0, 4.0).value()
            't=3,4'
        """
        return f"t={_seconds(self.start)},{_seconds(self.end)}"


MediaLookup = Callable[[str, int, int], "MediaFragment | None"]
"""(interview id, start, end of a mention in its text) -> where it is heard, or None."""


@dataclass(frozen=True, slots=True)
class MentionSpan:
    """What an annotation is made of, read from the build's RDF."""

    interview: str
    start: int
    end: int
    entity: str
    """The entity's IRI."""
    mention: str
    """The mention's IRI (the annotation's is made from it)."""


@dataclass(frozen=True, slots=True)
class Source:
    """An interview as the annotations target it."""

    id: str
    iri: str
    text: str
    file: str
    title: str


def _seconds(x: float) -> str:
    return f"{x:.3f}".rstrip("0").rstrip(".")


def text_selectors(text: str, start: int, end: int, *, context: int = CONTEXT_CHARS) -> list[dict[str, Any]]:
    """The TextQuoteSelector and TextPositionSelector of ``text[start:end]``.

    Examples:
        >>> quote_sel, position = text_selectors("I use p5.js daily", 6, 11, context=4)
        >>> quote_sel["exact"], quote_sel["prefix"], quote_sel["suffix"], position["start"], position["end"]
        ('p5.js', 'use ', ' dai', 6, 11)
    """
    return [{"type": "TextQuoteSelector", "exact": text[start:end], "prefix": text[max(0, start - context):start],
             "suffix": text[end:end + context]},
            {"type": "TextPositionSelector", "start": start, "end": end}]


def annotation(span: MentionSpan, source: Source, *, source_iri: str,
               fragment: MediaFragment | None = None) -> dict[str, Any]:
    """One mention as an annotation: the entity identifies the text span (and the moment, given ``fragment``)."""
    targets: list[dict[str, Any]] = [{"type": "SpecificResource", "source": source_iri,
                                      "selector": text_selectors(source.text, span.start, span.end)}]
    if fragment is not None:
        targets.append({"type": "SpecificResource", "source": fragment.media,
                        "selector": {"type": "FragmentSelector", "conformsTo": MEDIA_FRAGMENTS,
                                     "value": fragment.value()}})
    return {"id": f"{span.mention}/annotation", "type": "Annotation", "motivation": "identifying",
            "body": span.entity, "target": targets[0] if len(targets) == 1 else targets}


def read_sources(g: Any) -> dict[str, Source]:
    """The interviews of a build's RDF graph by IRI, with the text their mentions' offsets index."""
    from rdflib import RDF

    from ..rdf.vocab import KGI, NIF, SCHEMA

    found = {}
    for node in g.subjects(RDF.type, KGI.Interview):
        iri = str(node)
        iid = str(g.value(node, SCHEMA.identifier) or iri.rsplit("/", 1)[-1])
        found[iri] = Source(iid, iri, str(g.value(node, NIF.isString) or ""),
                            str(g.value(node, KGI.sourceFile) or ""), str(g.value(node, SCHEMA.name) or iid))
    return found


def read_mentions(g: Any, sources: dict[str, Source]) -> list[MentionSpan]:
    """Every mention that resolved to an entity, sorted by interview and offset."""
    from rdflib import RDF, Literal

    from ..rdf.vocab import ITSRDF, KGI, NIF

    spans = []
    for m in g.subjects(RDF.type, KGI.Mention):
        context, entity = g.value(m, NIF.referenceContext), g.value(m, ITSRDF.taIdentRef)
        begin, end = g.value(m, NIF.beginIndex), g.value(m, NIF.endIndex)
        source = sources.get(str(context))
        if source is None or entity is None or not isinstance(begin, Literal) or not isinstance(end, Literal):
            continue
        spans.append(MentionSpan(source.id, int(begin.toPython()), int(end.toPython()), str(entity), str(m)))
    spans.sort(key=lambda s: (s.interview, s.start, s.end, s.entity))
    return spans


def collection(g: Any, *, source_base: str | None = None, media: MediaLookup | None = None) -> dict[str, Any]:
    """The AnnotationCollection of every mention in a build's RDF graph.

    ``source_base``: where the transcripts are published (``https://example.org/corpus/``, or a
    ``file:`` folder); each target's source is then that plus the transcript's file name, else the
    interview's IRI (whose ``nif:isString`` in the graph is the text).
    """
    from .network import base_iri

    sources = read_sources(g)
    by_id = {s.id: s for s in sources.values()}
    spans = read_mentions(g, sources)
    items = []
    for span in spans:
        source = by_id[span.interview]
        source_iri = source_base + quote(source.file) if source_base and source.file else source.iri
        fragment = media(span.interview, span.start, span.end) if media is not None else None
        items.append(annotation(span, source, source_iri=source_iri, fragment=fragment))
    base = base_iri(g)
    titles = sorted(s.title for s in sources.values())
    label = f"Entity mentions in {titles[0]}" if len(titles) == 1 else f"Entity mentions in {len(titles)} interviews"
    return {"@context": CONTEXT_URL, "id": f"{base}annotations", "type": "AnnotationCollection", "label": label,
            "total": len(items), "first": {"id": f"{base}annotations/page/1", "type": "AnnotationPage",
                                           "partOf": f"{base}annotations", "startIndex": 0, "items": items}}


def annotation_files(g: Any, options: ExportOptions) -> dict[str, bytes]:
    """The ``webannotation`` export: one JSON-LD file."""
    document = collection(g, source_base=options.source_base, media=options.media)
    return {FILE: orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"}


def local_context() -> dict[str, Any]:
    """The terms of the W3C Web Annotation context that kg writes (``kg/export/data/anno-terms.jsonld``)."""
    text = resources.files("kg.export").joinpath("data/anno-terms.jsonld").read_text(encoding="utf-8")
    value: dict[str, Any] = json.loads(text)
    return value


def document_loader() -> Callable[..., dict[str, Any]]:
    """A pyld document loader that answers `CONTEXT_URL` with `local_context` and fetches nothing else.

    ``jsonld.to_rdf(doc, {"documentLoader": document_loader(), ...})`` reads kg's annotations offline.
    """
    from ..errors import GraphError

    def load(url: str, options: Any = None) -> dict[str, Any]:
        if url.rstrip("/") in (CONTEXT_URL, CONTEXT_URL.replace("http:", "https:")):
            return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                    "document": local_context()}
        raise GraphError(f"{url}: not fetched (kg reads the W3C annotation context only, from its own copy)")

    return load
