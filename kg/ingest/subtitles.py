"""WebVTT, SRT and SBV subtitles, and speech-to-text segment lines, merged cue by cue into speaker turns.

Subtitle files cut speech into timed cues, often mid-sentence.  kg renders
the cues as a readable transcript (``Name: text`` paragraphs, one per turn)
and that rendering becomes the interview text that offsets refer to; each
turn keeps the start time of its first cue.

Speakers come from WebVTT ``<v Name>`` voice tags or from a ``NAME:`` prefix
(or a bracketed ``[Name]``, never a sound such as ``[Music]``) on a cue line.
A cue without a name continues the current speaker (a speaker
is usually named on their first cue only); a ``- `` dialogue dash (or the
``>>`` of broadcast captions) marks a change of speaker, named or not (between
two named speakers, the other one).
A prefix counts as a name when it is in capitals, recurs, is a voice-tag name
or is written like other prefixes in the file, so "Remarque: ..." stays text.

Speech recognition prints its segments as lines opened by their time span
(``[00:00:03.000 --> 00:00:07.500]  words``: Whisper, whisper.cpp;
``[3.00s -> 7.50s] words``: faster-whisper's examples), and a video site's
transcript copied from its page gives each caption's start alone on a line
above its words: each such segment or caption is a cue, read the same way.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

import srt
import webvtt

from .base import Parsed, RawTurn, Source
from .chars import SP
from .markup import is_marker
from .timing import seconds
from .turns import NAME, is_speaker_word

_PREFIX = re.compile(rf"^(?P<label>{NAME}){SP}?:{SP}+")
_BRACKETED = re.compile(rf"^(?:\[(?P<label>{NAME})\]|\((?P<label2>{NAME})\)){SP}?:?{SP}+(?=\S)")
"""``[Jane Doe] text``, ``(JANE) text``: the speaker as captions for the deaf and hard of hearing bracket them."""
_DASH = re.compile(r"^(?:[-–—]|>>)(?:[ \t]+|(?=[^\W\d]))")
"""A dialogue dash opening a cue line, or the ``>>`` broadcast captions mark a new speaker with."""
_VOICE = re.compile(r"^<v(?:\.[^\s>]+)?[ \t]+(?P<name>[^>]+)>")
_TAGS = re.compile(r"</?[a-z][^>]*>|<\d[^>]*>|\{\\[^{}]*\}", re.I)
"""Styling inside a cue: HTML-like tags (``<i>``, ``<font color=…>``, ``<c.yellow>``) and the override blocks of
SubStation Alpha that many subtitle files carry (``{\\an8}``, ``{\\i1}``), which players read as no text."""
_SRT_HEAD = re.compile(r"^\s*\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d", re.M)
_SBV_HEAD = re.compile(r"\s*\d{1,2}:\d{2}:\d{2}\.\d{3},\d{1,2}:\d{2}:\d{2}\.\d{3}[ \t]*\r?\n")
"""YouTube's SubViewer captions open with ``0:00:01.000,0:00:03.500`` on a line of its own."""
_TIME = r"\d+(?::\d{1,2}){0,2}(?:[.,]\d+)?"
_SEGMENT = re.compile(rf"^[ \t]*\[[ \t]*(?P<begin>{_TIME})s?[ \t]*(?:-{{1,2}}>[ \t]*(?P<end>{_TIME})s?[ \t]*)?\]"
                      rf"[ \t]*(?P<text>.*)$")
"""A speech-to-text segment on its line: its time span (or its start) in brackets, then its words."""
SEGMENT_SHARE = 0.8
"""How many of a file's lines with text must be segments for it to be read as segment lines."""
LABELLED_SHARE = 0.2
"""Lines opened by a start time alone are turns, not segments, when this many name their speaker
(``[00:01:02] Name: text``: the ``timestamped`` format)."""
_CLOCK_FIRST = re.compile(r"^[ \t]*(?P<begin>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[ \t]+(?P<text>\S.*)$")
"""A caption's start, unbracketed, then its words on the same line (``0:04 so today we…``)."""
_CLOCK_ALONE = re.compile(r"^[ \t]*(?P<begin>\d{1,2}:\d{2}(?::\d{2})?)[ \t]*$")
"""A caption's start alone on its line, its words on the lines below: a video site's transcript as copied
from the page (``1:04``, then the words)."""
SNIFFED = 40_000
"""Characters of a file that sniffing reads: its first few hundred lines."""
CLOCK_SHARE = 0.25
"""How many of a copied transcript's lines with text must be such starts (a caption is a line or two)."""


@dataclass
class _Line:
    """One line of a cue: who says it (if written), whether a dash opens it, and its text."""

    timestamp: str
    text: str
    voice: str | None = None
    prefix: str | None = None
    dash: bool = False
    cut: int = 0
    """Where the text starts after the prefix, once the prefix is taken for a name."""
    held: bool = False
    """Shown again above new words (the first of its cue's lines) or for an instant (a cue of under 0.1 s): how
    rolling captions repeat a line."""
    begin: float = 0.0
    end: float = 0.0
    """The part of the cue's time this line takes (a cue's lines share it by length)."""


@dataclass
class _Turn:
    speaker: str | None
    timestamp: str
    dash: bool = False
    bodies: list[str] = field(default_factory=list)
    spans: list[tuple[float, float]] = field(default_factory=list)
    """Each body's (begin, end) in seconds."""


def sniff_vtt(source: Source) -> bool:
    return source.text.lstrip("\ufeff").startswith("WEBVTT")


def sniff_sbv(source: Source) -> bool:
    return source.path.suffix.lower() == ".sbv" or _SBV_HEAD.match(source.text.lstrip("\ufeff")) is not None


def sniff_srt(source: Source) -> bool:
    return len(_SRT_HEAD.findall(source.text[:4000])) >= 1


def sniff_segments(source: Source) -> bool:
    """Segment lines from the first line with text on, and most lines are (`SEGMENT_SHARE`); or captions' starts
    alone on their lines, above their words (`CLOCK_SHARE`).  Where the starts come without their ends, only
    if few of the captions open with a speaker's name (`LABELLED_SHARE`): those are turns."""
    head = source.text.lstrip("\ufeff")[:SNIFFED]
    first = head.lstrip().split("\n", 1)[0]
    if _segment(first) is None and _CLOCK_ALONE.match(first) is None:
        return False  # every text transcript is asked: most answer on their first line, unsplit
    said = [line for line in head.splitlines()[:400] if line.strip()]
    if _segment(said[0]) is not None:
        found = [m for line in said if (m := _segment(line)) is not None]
        if len(found) < 2 or len(found) < SEGMENT_SHARE * len(said):
            return False
        if any(m.groupdict().get("end") for m in found):
            return True
        return _few_labelled([m["text"] for m in found])
    if _CLOCK_ALONE.match(said[0]) is None:
        return False
    starts = [i for i, line in enumerate(said) if _CLOCK_ALONE.match(line)]
    if len(starts) < 2 or len(starts) < CLOCK_SHARE * len(said) or any(b - a == 1 for a, b in pairwise(starts)):
        return False  # a start above no words is no caption: minutes marked between a meeting's turns
    return _few_labelled([said[i + 1] for i in starts if i + 1 < len(said)])


def _few_labelled(texts: list[str]) -> bool:
    return sum(1 for text in texts if _PREFIX.match(text)) < LABELLED_SHARE * len(texts)


def _segment(line: str) -> re.Match[str] | None:
    """A segment line; one with a start time alone only when it is a clock time (``[12]`` is a note's number),
    in brackets or not."""
    m = _SEGMENT.match(line)
    if m is not None and (m["end"] or ":" in m["begin"]):
        return m
    return _CLOCK_FIRST.match(line)


def _cue_lines(begin: float, end: float, raw: str) -> list[_Line]:
    """Split a cue's raw text into lines, reading voice tags, dashes and ``NAME:`` prefixes.

    The cue's time is shared among its lines by their length: two speakers in one cue
    ("- Et InDesign ?" / "- Pour les spécimens, oui.") speak one after the other.
    """
    timestamp = _ts(begin)
    out: list[_Line] = []
    for line in raw.splitlines():
        line = line.strip()
        voice = _VOICE.match(line)
        text = html.unescape(_TAGS.sub("", line)).strip()
        if not text:
            continue
        item = _Line(timestamp, text, voice=voice.group("name").strip() if voice else None)
        if (dash := _DASH.match(item.text)) is not None:
            item.dash, item.text = True, item.text[dash.end():]
        if (prefix := _PREFIX.match(item.text)) is not None:
            item.prefix, item.cut = re.sub(r"\s+", " ", prefix.group("label")), prefix.end()
        elif (bracketed := _BRACKETED.match(item.text)) is not None and not is_marker(bracketed.group().strip(" :")):
            label = bracketed.group("label") or bracketed.group("label2")
            item.prefix, item.cut = re.sub(r"\s+", " ", label), bracketed.end()
        out.append(item)
    total = sum(len(x.text) for x in out) or 1
    at = 0
    for k, x in enumerate(out):
        x.held = (k == 0 and len(out) >= 2) or end - begin < 0.1
        x.begin = begin + (end - begin) * at / total
        at += len(x.text)
        x.end = begin + (end - begin) * at / total
    return out


def _accept_prefixes(lines: list[_Line]) -> None:
    """Keep a ``Name:`` prefix only where it names a speaker; otherwise it stays in the text."""
    counts = Counter(x.prefix.casefold() for x in lines if x.prefix)
    voices = {x.voice.casefold() for x in lines if x.voice}
    # "Léa:" and "Paul:" once each still look like a convention; a lone "Paris:" does not.
    shapes = Counter(_shape(prefix) for prefix in {x.prefix for x in lines if x.prefix})
    for x in lines:
        if not x.prefix:
            continue
        key = x.prefix.casefold()
        trusted = x.prefix.isupper() or counts[key] >= 2 or key in voices or shapes[_shape(x.prefix)] >= 2
        if trusted and is_speaker_word(x.prefix):
            x.text = x.text[x.cut:]
        else:
            x.prefix = None


def _shape(label: str) -> tuple[bool, int]:
    return label.isupper(), len(label.split())


def _merge(lines: list[_Line]) -> list[_Turn]:
    """Group lines into turns: a new name or a dash starts a turn, anything else continues one."""
    turns: list[_Turn] = []
    for x in lines:
        speaker = x.voice or x.prefix
        if not turns:
            turns.append(_Turn(speaker, x.timestamp, x.dash))
        elif speaker is not None and speaker != turns[-1].speaker:
            turns.append(_Turn(speaker, x.timestamp, x.dash))
        elif speaker is None and x.dash:
            turns.append(_Turn(None, x.timestamp, True))
        body = re.sub(r"\s+", " ", x.text).strip()
        if body:
            turns[-1].bodies.append(body)
            turns[-1].spans.append((x.begin, x.end))
    return _join_same_speaker(_dashes_to_speakers([t for t in turns if t.bodies]))


def _dashes_to_speakers(turns: list[_Turn]) -> list[_Turn]:
    """Between exactly two named speakers, an unnamed dash turn is the one who was not speaking.

    That is what the dash means ("- Et InDesign ?" / "- Pour les spécimens, oui." after
    a named answer); with more speakers, or none named, the turn stays anonymous.
    """
    names = list(dict.fromkeys(t.speaker for t in turns if t.speaker))
    if len(names) != 2:
        return turns
    for prev, t in zip(turns, turns[1:], strict=False):
        if t.speaker is None and t.dash and prev.speaker is not None:
            t.speaker = names[1] if prev.speaker == names[0] else names[0]
    return turns


def _join_same_speaker(turns: list[_Turn]) -> list[_Turn]:
    out: list[_Turn] = []
    for t in turns:
        if out and t.speaker is not None and t.speaker == out[-1].speaker:
            out[-1].bodies.extend(t.bodies)
            out[-1].spans.extend(t.spans)
        else:
            out.append(t)
    return out


def _render(turns: list[_Turn]) -> Parsed:
    """Write turns out as ``Name: text`` paragraphs and record where each turn's text lies."""
    parts: list[str] = []
    raw: list[RawTurn] = []
    pos = 0
    for t in turns:
        prefix = f"{t.speaker}: " if t.speaker else ""
        body = " ".join(t.bodies)
        times: list[tuple[int, float]] = []
        at = pos + len(prefix)
        for piece, (begin, end) in zip(t.bodies, t.spans, strict=True):
            times += [(at, round(begin, 3)), (at + len(piece), round(end, 3))]
            at += len(piece) + 1
        raw.append(RawTurn(pos + len(prefix), pos + len(prefix) + len(body), t.speaker, t.timestamp,
                           times=tuple(times)))
        parts.append(prefix + body)
        pos += len(prefix) + len(body) + 2
    return Parsed("\n\n".join(parts) + "\n", tuple(raw))


ROLLING_SHARE = 0.3
"""How many lines must repeat the line before them for the file to be taken for rolling captions."""


def _unrolled(lines: list[_Line]) -> list[_Line]:
    """Rolling captions (YouTube's automatic ones) without their repeats: each line once.

    Such a file shows every line in two or three cues (typed word by word,
    then kept on screen as the next one comes), so read as it is, each
    sentence was in the transcript two or three times.  A line repeats the
    one before it when it says the same and is held: the first of its cue's
    lines, above the new ones, or shown for an instant.  Where at least
    `ROLLING_SHARE` of the lines do, those are dropped; elsewhere a repeated
    line ("Oui." / "Oui.") is speech.
    """
    def repeat(a: _Line, b: _Line) -> bool:
        return b.held and (a.text, a.voice, a.dash) == (b.text, b.voice, b.dash)

    repeats = sum(1 for a, b in zip(lines, lines[1:], strict=False) if repeat(a, b))
    if repeats < ROLLING_SHARE * len(lines):
        return lines
    return [x for i, x in enumerate(lines) if i == 0 or not repeat(lines[i - 1], x)]


def _parse_lines(lines: list[_Line]) -> Parsed:
    if not lines:
        raise ValueError("no subtitle cues with text found")
    lines = _unrolled(lines)
    _accept_prefixes(lines)
    return _render(_merge(lines))


def _ts(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def parse_vtt(source: Source) -> Parsed:
    try:
        vtt = webvtt.from_buffer(io.StringIO(source.text.lstrip("\ufeff")))
    except webvtt.errors.MalformedFileError as e:
        raise ValueError(str(e)) from None
    lines: list[_Line] = []
    for c in vtt.captions:
        # start_in_seconds drops the milliseconds: the cue's own text keeps them
        lines.extend(_cue_lines(seconds(c.start) or 0.0, seconds(c.end) or 0.0, c.raw_text))
    return _parse_lines(lines)


def parse_sbv(source: Source) -> Parsed:
    """YouTube's SubViewer captions (.sbv), read by webvtt-py, then as WebVTT cues."""
    try:
        sbv = webvtt.from_buffer(io.StringIO(source.text.lstrip("\ufeff")), format="sbv")
    except (webvtt.errors.MalformedFileError, webvtt.errors.MalformedCaptionError) as e:
        raise ValueError(str(e)) from None
    lines: list[_Line] = []
    for c in sbv.captions:
        lines.extend(_cue_lines(seconds(c.start) or 0.0, seconds(c.end) or 0.0, c.raw_text))
    return _parse_lines(lines)


def parse_srt(source: Source) -> Parsed:
    try:
        subs = list(srt.parse(source.text.lstrip("\ufeff")))
    except (srt.SRTParseError, srt.TimestampParseError) as e:
        raise ValueError(str(e)) from None
    lines: list[_Line] = []
    for s in subs:
        lines.extend(_cue_lines(s.start.total_seconds(), s.end.total_seconds(), s.content))
    return _parse_lines(lines)


def parse_segments(source: Source) -> Parsed:
    """Speech-to-text segment lines, each a cue, or captions' starts alone on their lines above their words; a
    line without a time goes on with the cue above it, and a cue with its start alone ends where the next one
    starts."""
    cues: list[tuple[float, float | None, list[str]]] = []
    for line in source.text.lstrip("\ufeff").splitlines():
        m = _segment(line) or _CLOCK_ALONE.match(line)
        if m is not None:
            begin = _segment_seconds(m["begin"])
            end = m.groupdict().get("end")
            cues.append((begin, _segment_seconds(end) if end else None, [m.groupdict().get("text") or ""]))
        elif cues and line.strip():
            cues[-1][2].append(line)
    if not cues:
        raise ValueError("no speech-to-text segment lines ([00:00:01.000 --> 00:00:04.000] words) found")
    cues = _named_below(cues)
    lines: list[_Line] = []
    for k, (begin, end, raw) in enumerate(cues):
        if end is None:
            end = cues[k + 1][0] if k + 1 < len(cues) else begin
        lines.extend(_cue_lines(begin, max(begin, end), "\n".join(raw)))
    return _parse_lines(lines)


_NAME_LINE = re.compile(rf"^[ \t]*(?P<name>{NAME})[ \t]*$")


def _named_below(cues: list[tuple[float, float | None, list[str]]]) -> list[tuple[float, float | None, list[str]]]:
    """Starts alone on their lines with a speaker's name alone below them, then the words ("00:01:23" /
    "Claire Besson" / …), as some transcription services export: the name is read as the cue's ``NAME:``
    prefix.  Only where most such cues have one and each name recurs, so that a caption's first words are
    never taken for a speaker."""
    firsts = [m["name"].strip() if not raw[0] and len(raw) > 2 and (m := _NAME_LINE.match(raw[1])) else None
              for _, _, raw in cues]
    named = [n for n in firsts if n]
    if len(named) < 2 or len(named) < 0.5 * len(cues) or any(named.count(n) < 2 for n in set(named)):
        return cues
    return [(b, e, [f"{name}: {raw[2]}", *raw[3:]] if name else raw) for (b, e, raw), name in zip(cues, firsts,
                                                                                                     strict=True)]


def _segment_seconds(stamp: str) -> float:
    """``00:01:02.500``, ``01:02.500`` or ``62.5`` (seconds alone, as faster-whisper prints them) as seconds."""
    if ":" in stamp:
        return seconds(stamp) or 0.0
    return float(stamp.replace(",", "."))
