"""Where a span of transcript text lies in the recording: times of quotes, and W3C Media Fragment URIs.

A turn carries time anchors (`kg.model.Turn.times`): an offset into the
interview text and the second of the recording it corresponds to -- the
start and end of each subtitle cue or speech-to-text segment, a turn's
``[00:01:02]`` label and the next timed turn's start, a ``[00:05:10]`` mark
inside a turn.  Between two anchors speech is taken to run evenly, so a
sentence's times are interpolated by character position; a time that falls
exactly on an anchor is exact, any other is said to be interpolated.  Every
stage after ingestion (the RDF, the page) reads times through `span_time`,
so a quote's times are a function of its offsets and its turn only.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from .model import Turn


@dataclass(frozen=True, slots=True)
class SpanTime:
    """A span's place in the recording, in seconds; ``end`` is None when the transcript gives no later time."""

    start: float
    end: float | None
    interpolated: bool


def _at(anchors: tuple[tuple[int, float], ...], pos: int, *, opening: bool) -> tuple[float, bool] | None:
    """The time at offset ``pos`` (not before the first anchor) and whether it is exact; None past the last anchor.

    Several anchors at one offset (a cue's end, then the next cue's start, the silence between them):
    a span that opens there starts at the later time, one that closes there ends at the earlier.
    """
    offsets = [a for a, _ in anchors]
    i = bisect_left(offsets, pos)
    if i < len(anchors) and offsets[i] == pos:
        while opening and i + 1 < len(anchors) and offsets[i + 1] == pos:
            i += 1
        return anchors[i][1], True
    if i == len(anchors):
        return None
    (a, ta), (b, tb) = anchors[i - 1], anchors[i]
    return ta + (tb - ta) * (pos - a) / (b - a), False


def span_time(turn: Turn, start: int, end: int) -> SpanTime | None:
    """The times of ``[start, end)`` inside ``turn`` (offsets into the interview text), or None without anchors.

    Examples:
        >>> t = Turn(1, 0, 100, "x" * 100, times=((0, 10.0), (100, 20.0)))
        >>> span_time(t, 0, 50)
        SpanTime(start=10.0, end=15.0, interpolated=True)
        >>> span_time(t, 0, 100)
        SpanTime(start=10.0, end=20.0, interpolated=False)
        >>> span_time(Turn(1, 0, 9, "x" * 9, times=((0, 4.0),)), 3, 9)
        SpanTime(start=4.0, end=None, interpolated=True)
    """
    anchors = turn.times
    if not anchors or start < anchors[0][0]:
        return None  # nothing is known of a span before the turn's first time
    begin = _at(anchors, start, opening=True)
    if begin is None:  # after the last anchor: all that is known is that it comes after it
        return SpanTime(_round(anchors[-1][1]), None, True)
    finish = _at(anchors, end, opening=False)
    if finish is None:
        return SpanTime(_round(begin[0]), None, True)
    b, e = _round(begin[0]), _round(finish[0])
    return SpanTime(b, max(b, e), not (begin[1] and finish[1]))


def _round(seconds: float) -> float:
    """Tenths of milliseconds: enough for a media player, and the same digits on every machine."""
    return round(seconds, 3)


def seconds_text(seconds: float) -> str:
    """Seconds as a Media Fragment writes Normal Play Time: no exponent, no trailing zeros.

    Examples:
        >>> seconds_text(12.5), seconds_text(17.0), seconds_text(0.125)
        ('12.5', '17', '0.125')
    """
    text = format(Decimal(str(seconds)).normalize(), "f")
    return text


def media_fragment(media: str, time: SpanTime) -> str:
    """A W3C Media Fragment URI for ``time`` in the recording ``media`` (a relative reference or URL).

    Examples:
        >>> media_fragment("interview.m4a", SpanTime(12.5, 17.2, True))
        'interview.m4a#t=12.5,17.2'
        >>> media_fragment("rec 1.wav", SpanTime(3.0, None, True))
        'rec%201.wav#t=3'
    """
    ref = quote(media.split("#", 1)[0], safe="/:._-~%")
    end = f",{seconds_text(time.end)}" if time.end is not None else ""
    return f"{ref}#t={seconds_text(time.start)}{end}"
