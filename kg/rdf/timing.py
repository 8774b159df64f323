"""The recording's times in the RDF: on turns, on quotes, and the quotes' W3C Media Fragment URIs.

Kept apart from `kg.rdf.emit` so that the rest of the interview's triples do
not change shape: an interview without time codes gets none of these.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox

from ..model import Interview, Sentence, Turn
from ..timecodes import media_fragment, span_time
from .vocab import KGI

_XSD = "http://www.w3.org/2001/XMLSchema#"
_DECIMAL, _BOOLEAN, _ANYURI = (ox.NamedNode(_XSD + t) for t in ("decimal", "boolean", "anyURI"))
_START, _END, _INTERPOLATED, _MEDIA, _FRAGMENT = (
    ox.NamedNode(str(t)) for t in (KGI.startTime, KGI.endTime, KGI.timeInterpolated, KGI.media, KGI.mediaFragment))


def _seconds(x: float) -> ox.Literal:
    return ox.Literal(str(Decimal(str(x))), datatype=_DECIMAL)


def interview_media(node: ox.NamedNode, iv: Interview) -> list[ox.Triple]:
    """``kgi:media``: the recording, when one was found (`kg.media`)."""
    return [ox.Triple(node, _MEDIA, ox.Literal(iv.media, datatype=_ANYURI))] if iv.media else []


def turn_times(node: ox.NamedNode, turn: Turn) -> list[ox.Triple]:
    out = []
    if turn.start_time is not None:
        out.append(ox.Triple(node, _START, _seconds(turn.start_time)))
    if turn.end_time is not None:
        out.append(ox.Triple(node, _END, _seconds(turn.end_time)))
    return out


def quote_times(node: ox.NamedNode, turn: Turn, sentence: Sentence, media: str | None) -> list[ox.Triple]:
    """A quote's start, end, whether they are interpolated, and its media fragment when the recording is known."""
    time = span_time(turn, sentence.start, sentence.end)
    if time is None:
        return []
    out = [ox.Triple(node, _START, _seconds(time.start))]
    if time.end is not None:
        out.append(ox.Triple(node, _END, _seconds(time.end)))
    out.append(ox.Triple(node, _INTERPOLATED, ox.Literal("true" if time.interpolated else "false", datatype=_BOOLEAN)))
    if media:
        out.append(ox.Triple(node, _FRAGMENT, ox.Literal(media_fragment(media, time), datatype=_ANYURI)))
    return out
