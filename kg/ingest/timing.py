"""Time anchors of turns: what the transcript says about when each turn was spoken.

Subtitle cues and speech-to-text segments give their anchors themselves
(`kg.ingest.base.RawTurn.times`).  For text transcripts this module reads
them: a turn's label time (``[00:01:02] Name:``, ``Name (00:01:02):``) anchors
its first character, the next timed turn's start anchors its last, and a
bracketed time inside a turn (``[00:05:10]`` on its own, as transcribers
mark the tape; ``#00:05:10-3#``, as f4transkript closes each paragraph)
anchors where it stands.  `kg.timecodes` interpolates between them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .base import RawTurn
from .markup import F4_MARK, TIME_LINE
from .turns import TS

_INLINE = re.compile(rf"\\?\[(?P<ts>{TS})\\?\]|{F4_MARK}|{TIME_LINE}")
"""A bracketed time (``[00:05:10]``), f4transkript's ``#00:05:10-3#`` (tenths after the hyphen), which closes
each paragraph with the time it ends at, or a time alone on its line."""
_OPENING = re.compile(rf"(?:{_INLINE.pattern})[ \t]*\Z")
"""A time mark just before a turn: blanked with the markers, so the turn now starts after it."""
_CLOSING = re.compile(rf"[ \t]*(?:{_INLINE.pattern})")
"""A time mark just after a turn, on its line (f4transkript's, blanked with the markers): when the turn ends."""


def _mark_seconds(m: re.Match[str]) -> float | None:
    if m["tenths"]:
        return seconds(m["tenths"].replace("-", "."))
    return seconds(m["ts"] or m["bare"])


Anchors = tuple[tuple[int, float], ...]


def seconds(stamp: str) -> float | None:
    """``01:02:03.5`` / ``02:03`` / ``1:02:03,250`` as seconds; None for anything else.

    Examples:
        >>> seconds("01:02:03.5"), seconds("02:03"), seconds("0:00:07,250"), seconds("soon")
        (3723.5, 123.0, 7.25, None)
    """
    parts = stamp.strip().strip("[]()").replace(",", ".").split(":")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        return None
    if not 2 <= len(values) <= 3 or any(v < 0 for v in values):
        return None
    total = 0.0
    for v in values:
        total = total * 60 + v
    return total


def turn_anchors(text: str, turns: Sequence[RawTurn]) -> list[Anchors]:
    """Each turn's anchors, by offset, clamped to the turn; empty where the transcript gives no time."""
    starts = [seconds(t.timestamp) if t.timestamp and not t.times else None for t in turns]
    out: list[Anchors] = []
    for i, t in enumerate(turns):
        if t.times:
            found = list(t.times)
        else:
            found = []
            # the last time mark between the turn before and this one (f4transkript's closing the one before, a
            # meeting transcript's minute alone on its line): when this one starts
            gap = list(_INLINE.finditer(text, turns[i - 1].end if i else 0, t.start))
            start = starts[i] if starts[i] is not None else _mark_seconds(gap[-1]) if gap else None
            if start is not None:
                found.append((t.start, start))
            close = _CLOSING.match(text, t.end)
            if close and close.end() - t.end <= 40 and (closed := _mark_seconds(close)) is not None:
                found.append((t.end, closed))
            lead = _OPENING.search(text[max(0, t.start - 40):t.start])
            if lead and (at := _mark_seconds(lead)) is not None:
                found.append((t.start, at))
            for m in _INLINE.finditer(text, t.start, t.end):
                at = _mark_seconds(m)
                if at is not None:
                    found.append((m.end(), at))  # the words after the mark are said from then
            later = next((s for s in starts[i + 1:] if s is not None), None)
            if found and later is not None and later >= max(x for _, x in found):
                found.append((t.end, later))
        clamped = sorted({(min(max(pos, t.start), t.end), at) for pos, at in found})
        out.append(_monotonic(clamped))
    return out


def _monotonic(anchors: list[tuple[int, float]]) -> Anchors:
    """Drop anchors that would run time backwards: a typo in a time code must not make a quote end before it starts."""
    kept: list[tuple[int, float]] = []
    for pos, at in anchors:
        if not kept or at >= kept[-1][1]:
            kept.append((pos, at))
    return tuple(kept)
