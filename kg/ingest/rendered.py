"""Structured transcripts (speech-to-text JSON, TEI XML) rendered as ``Name: text`` paragraphs.

Formats whose turns are elements rather than lines of text have no text that
offsets could point into, so kg writes one: each turn a paragraph,
``Name: text``, the speaker's label before the words as in a plain
transcript.  That rendering is the interview text; each turn's span is its
words, and each timed piece of a turn (a segment, an utterance) anchors its
start and end in the recording (`kg.timecodes`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .base import RawTurn


@dataclass
class Piece:
    """Words said in one go, and when, if the source says."""

    text: str
    begin: float | None = None
    end: float | None = None


@dataclass
class Said:
    """One turn: who (a label, or None) and what, piece by piece."""

    speaker: str | None
    pieces: list[Piece] = field(default_factory=list)


def squash(text: str) -> str:
    """Runs of white space as one space, ends trimmed: a turn is one paragraph."""
    return re.sub(r"\s+", " ", text).strip()


def render(turns: Iterable[Said]) -> tuple[str, tuple[RawTurn, ...]]:
    """The text and the turns' spans, with their pieces' times as anchors; empty turns are left out."""
    parts: list[str] = []
    raw: list[RawTurn] = []
    pos = 0
    for said in turns:
        pieces = [Piece(squash(p.text), p.begin, p.end) for p in said.pieces]
        pieces = [p for p in pieces if p.text]
        if not pieces:
            continue
        prefix = f"{said.speaker}: " if said.speaker else ""
        at = pos + len(prefix)
        times: list[tuple[int, float]] = []
        for p in pieces:
            if p.begin is not None:
                times.append((at, round(p.begin, 3)))
            if p.end is not None:
                times.append((at + len(p.text), round(p.end, 3)))
            at += len(p.text) + 1
        body = " ".join(p.text for p in pieces)
        stamp = _clock(pieces[0].begin) if pieces[0].begin is not None else None
        raw.append(RawTurn(pos + len(prefix), pos + len(prefix) + len(body), said.speaker, stamp, times=tuple(times)))
        parts.append(prefix + body)
        pos += len(prefix) + len(body) + 2
    return "\n\n".join(parts) + "\n", tuple(raw)


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
