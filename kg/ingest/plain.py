"""Plain text and Markdown: optional YAML front matter or ``Key: value`` header, then turns.

Covers ``**Name:**``, ``Name:``, ``NAME :``, ``Q:``/``A:``, ``Question :``/``Réponse :``
and timestamped turns; the turn detector in `kg.ingest.turns` handles all of them.

Turns are found on the label view of the text (Markdown as written, HTML bold
as ``**``); the interview text is the file with its markup blanked in place
(`kg.ingest.markup`), and front-matter prose (title, description, bio, show
notes...) becomes note turns at the values' own offsets (`kg.ingest.fields`).

The header is the ambiguous part: ``Interviewer: Jane Doe`` is metadata but
``Interviewer: so tell me...`` is a turn.  A header line must use a known key,
keys do not repeat, and a key naming people must hold names, not a sentence.
"""

from __future__ import annotations

import re
from typing import Any

import frontmatter
import yaml

from ..model import Participant
from .base import Parsed, RawTurn, Source
from .chars import SP
from .dialogue import find_dash_turns, find_question_turns
from .fields import NAME_KEYS, PROSE_KEYS, TRANSCRIPT_KEYS, blank_outside, locate
from .markup import read_markup, without_line_numbers
from .metadata import (
    PERSON_KEYS,
    canonical_key,
    match_label,
    participants_from,
    preamble_people,
    split_people,
    title_interviewee,
)
from .turns import QA_LABELS, declared_labels, find_turns

_FRONT = re.compile(r"\A(?:[ \t]*\r?\n)*(---)[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
"""YAML front matter, blank lines before it allowed."""
_HEADER_LINE = re.compile(
    rf"^[ \t]*(?:\*\*)?(?P<key>[^:\n*]{{1,30}}?)(?:\*\*)?{SP}*:{SP}*(?:\*\*)?{SP}*(?P<value>[^\n]{{0,200}}?)[ \t]*$"
)
_QA_LABELS = {"q", "a", "r", "question", "réponse", "reponse", "answer"}
_SENTENCE = re.compile(r"[?!…:;]|\w{2,}\.(?:\s|$)")


def _front_matter(text: str) -> tuple[dict[str, Any], int, str | None, tuple[int, int] | None]:
    """YAML front matter, where the body starts, a warning when it does not parse, and the YAML's span."""
    m = _FRONT.match(text)
    if not m:
        return _open_front_matter(text)
    try:
        meta = frontmatter.loads(text[m.start(1): m.end()]).metadata
    except (yaml.YAMLError, ValueError) as e:
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        return {}, 0, f"front matter is not valid YAML ({reason}); it is read as text", None
    return (dict(meta) if isinstance(meta, dict) else {}), m.end(), None, (m.start(2), m.end(2))


_OPEN_FRONT = re.compile(r"\A(?:[ \t]*\r?\n)*---[ \t]*\r?\n")
_YAML_KEY = re.compile(r"[a-z][a-z0-9_\-]*\Z")


def _open_front_matter(text: str) -> tuple[dict[str, Any], int, str | None, tuple[int, int] | None]:
    """Front matter that is never closed, as in a file cut short: the whole rest, when it is a YAML mapping.

    A file whose first line is a Markdown rule followed by prose or ``Name: text``
    turns does not parse as a mapping of lower-case keys, one of them known, so it stays text.
    """
    m = _OPEN_FRONT.match(text)
    if not m:
        return {}, 0, None, None
    try:
        meta = yaml.safe_load(text[m.end():])
    except yaml.YAMLError:
        return {}, 0, None, None
    # Front-matter keys are lower-case identifiers, at least one a known one; "Ana: Bonjour." lines are turns.
    if (not isinstance(meta, dict) or len(meta) < 2
            or not all(isinstance(k, str) and _YAML_KEY.match(k) for k in meta)
            or not any(canonical_key(k) or k in PROSE_KEYS | TRANSCRIPT_KEYS for k in meta)):
        return {}, 0, None, None
    return meta, len(text), "front matter is not closed; the whole file is read as front matter", (m.end(), len(text))


def names_like(value: str) -> bool:
    """Whether a header value lists people ("[Ada](url), Alan Turing") rather than a spoken sentence."""
    people = split_people(value)
    if not people:
        return False
    for name, url in people:
        if url:
            continue
        if not name[0].isupper() or len(name.split()) > 5 or _SENTENCE.search(name):
            return False
    return True


def _bare(value: str) -> str:
    """A header value without the spaces and bold markers around it ("** Jane Doe**" -> "Jane Doe")."""
    return value.strip().strip("*").strip()


def _header_item(line: str) -> tuple[str, str] | None:
    m = _HEADER_LINE.match(line)
    key = canonical_key(m.group("key")) if m else None
    if m is None or key is None:
        return None
    value = _bare(m.group("value"))
    if key in PERSON_KEYS and not names_like(value):
        # "Interviewé : Thomas Rigal, archéologue à l'Inrap": a name, then what they do
        name, comma, what = value.partition(",")
        if not (comma and names_like(name) and what.strip()[:1].islower()):
            return None
        value = name.strip()
    return key, value


def _other_item(line: str) -> tuple[str, str] | None:
    """A ``Key: value`` line with a key kg does not know ("Production : Radio Campus"), inside a header.

    Kept only between known keys, and only with a short key and a value that is
    not a sentence, so that a first turn ("Nadia : Oui, alors…") still ends the header.
    """
    m = _HEADER_LINE.match(line)
    if m is None:
        return None
    key, value = m.group("key").strip(), _bare(m.group("value"))
    if not key[:1].isupper() or len(key.split()) > 4 or not value or len(value) > 80 or _SENTENCE.search(value):
        return None
    return key.casefold(), value


def _header(text: str, start: int) -> tuple[dict[str, str], int]:
    """``Key: value`` lines of known keys at the top (blank lines between them allowed).

    The header ends at the first other line or at a repeated key; a line with an
    unknown key and a short value is kept when a known key follows it.  One line is
    enough for a key such as Title or Date, but a lone ``Interviewer: Jane`` is
    too easily a turn, so a header naming people needs a second line.
    """
    meta: dict[str, str] = {}
    pending: dict[str, str] = {}  # keys kg does not know, kept once a known key follows them
    pos = end = start
    for line in text[start:].splitlines(keepends=True):
        pos += len(line)
        if not line.strip():
            continue
        item = _header_item(line.rstrip("\r\n"))
        if item is None and meta and (other := _other_item(line.rstrip("\r\n"))) is not None:
            pending.setdefault(*other)
            continue
        if item is None or item[0] in meta:
            break
        meta.update((k, v) for k, v in pending.items() if k not in meta)
        pending.clear()
        meta[item[0]] = item[1]
        end = pos
    if len(meta) >= 2 or (meta and not set(meta) & PERSON_KEYS):
        return meta, end
    return {}, start


def _titled_header(text: str, start: int) -> tuple[dict[str, str], int]:
    """A header under a title line: "Oral History Project, Interview 14" then ``Key: value`` lines."""
    meta, end = _header(text, start)
    if meta:
        return meta, end
    pos = start
    for line in text[start:].splitlines(keepends=True):
        if line.strip():
            break
        pos += len(line)
    else:
        return {}, start
    first = line.strip().lstrip("#").strip()
    if not first or len(first) > 120 or _header_item(line.rstrip("\r\n")) is not None or _looks_like_turn(first):
        return {}, start
    meta, end = _header(text, pos + len(line))
    if len(meta) < 2:
        return {}, start
    meta.setdefault("title", first)
    return meta, end


def _looks_like_turn(line: str) -> bool:
    head = line.split(":", 1)[0]
    return ":" in line and len(head.split()) <= 4 and head[:1].isupper()


def _flat(value: Any) -> str:
    """A front-matter value as one string; people given as mappings keep their names."""
    if isinstance(value, (list, tuple)):
        return ", ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("name", ""))
    return str(value)


def _metadata(text: str) -> tuple[dict[str, Any], int, list[str], dict[str, Any], tuple[int, int] | None]:
    fm, body, warning, span = _front_matter(text)
    meta: dict[str, Any] = {}
    for k, v in fm.items():
        meta[canonical_key(str(k)) or str(k).casefold()] = v
    header, body = _titled_header(text, body)
    meta.update(header)
    return meta, body, [warning] if warning else [], fm, span


def _front_matter_turns(
    raw: str, text: str, body: int, fm: dict[str, Any], span: tuple[int, int], known: set[str]
) -> tuple[str, list[RawTurn]]:
    """Note turns for the front matter's prose values, turns inside a transcript value; the rest blanked.

    Offsets point at the values' own characters in the YAML (see `kg.ingest.fields`).
    """
    turns: list[RawTurn] = []
    kept: set[int] = set()
    for found in locate(raw, span[0], span[1], fm, PROSE_KEYS | NAME_KEYS | TRANSCRIPT_KEYS):
        kept.update(found.kept)
        if found.key in TRANSCRIPT_KEYS:
            turns.extend(find_turns(raw, found.start, found.end, known_speakers=known))
        else:
            turns.append(RawTurn(found.kept[0], found.kept[-1] + 1, None, kind="note"))
    turns.sort(key=lambda t: t.start)
    return blank_outside(text, 0, body, kept), turns


def parse(source: Source) -> Parsed:
    """Metadata, then turns found on the label view, then the text with its markup blanked (`kg.ingest.markup`)."""
    raw = source.text
    meta, body, warnings, fm, span = _metadata(raw)
    people = participants_from(meta)
    if meta.get("title") and not any(p.role == "interviewee" for p in people):
        named = title_interviewee(str(meta["title"]))
        if named is not None and named.name.casefold() not in {p.name.casefold() for p in people}:
            people.append(named)
    known = {p.name for p in people}
    reading = without_line_numbers(read_markup(raw, body), raw, body)
    text = reading.text
    turns = list(find_turns(reading.labels, body, known_speakers=known))
    if not any(t.label for t in turns):  # no one named: "— Bonjour…" dialogue, or a blog's "## Question?"
        turns = list(find_dash_turns(reading.labels, body, len(raw))
                     or find_question_turns(reading.labels, body, len(raw))) or turns
    people += _declared_people(reading.labels, body, turns, people)
    labelled = [t for t in turns if t.label]
    if not people and labelled and all(t.label.casefold() in QA_LABELS for t in labelled):  # type: ignore[union-attr]
        # "Entretien réalisé par X avec Y." above Q/R turns: the introduction names who asks and who answers
        people = preamble_people(text[body:labelled[0].start])
    if span is not None:
        text, notes = _front_matter_turns(raw, text, body, fm, span, known)
        turns = notes + turns
    elif body > 0:
        turns = _header_notes(raw, body, meta) + turns
    flat = {k: _flat(v) for k, v in meta.items() if v is not None and not isinstance(v, dict)}
    return Parsed(text, tuple(turns), flat, tuple(people), tuple(warnings), reading.marked)


_NOTED_KEYS = ("title", "place", *sorted(PERSON_KEYS))


def _header_notes(raw: str, body: int, meta: dict[str, Any]) -> list[RawTurn]:
    """Note turns for a ``Key: value`` header's title, place and people, at the values' own offsets.

    As with front matter, what the header names is named in the interview (the
    published title is a work, the place a place) and must have a quote to point at.
    """
    spans: list[tuple[int, int]] = []
    title = str(meta.get("title") or "")
    pos = 0
    for line in raw[:body].splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        line = line.rstrip("\r\n")
        m = _HEADER_LINE.match(line)
        key = canonical_key(m.group("key")) if m else None
        if m is None or key is None:
            bare = line.strip().lstrip("#").strip()
            if title and bare == title:  # the title line above a header
                at = start + line.index(bare)
                spans.append((at, at + len(bare)))
            continue
        if key not in _NOTED_KEYS:
            continue
        value = m.group("value")
        kept = _bare(value)
        if not kept:
            continue
        base = start + m.start("value") + value.index(kept)
        parts = [name for name, _ in split_people(kept)] if key in PERSON_KEYS else [kept]
        for part in parts:
            at = kept.find(part)
            if part and at >= 0:
                spans.append((base + at, base + at + len(part)))
    return [RawTurn(a, b, None, kind="note") for a, b in sorted(set(spans))]


def _declared_people(text: str, body: int, turns: list[RawTurn], people: list[Participant]) -> list[Participant]:
    """People the preamble introduces with the initials their turns use ("Julie Durand (JD)", then "JD:")."""
    used = {t.label for t in turns if t.label}
    return [Participant(name, "participant", labels=(label,))
            for label, name in declared_labels(text, body).items()
            if label in used and match_label(name, people) is None and match_label(label, people) is None]


def sniff(source: Source) -> bool:
    return True


def _labelled(source: Source) -> list[RawTurn]:
    return [t for t in find_turns(source.text) if t.label]


def sniff_qa(source: Source) -> bool:
    """Q:/A: (or Question/Réponse) labels on at least two turns and half of them."""
    turns = _labelled(source)
    qa = sum(1 for t in turns if t.label is not None and t.label.casefold() in _QA_LABELS)
    return qa >= 2 and qa * 2 >= len(turns)


def sniff_timestamped(source: Source) -> bool:
    """Timestamps on at least two turns and half of them (a bold transcript with a few is still plain)."""
    turns = _labelled(source)
    stamped = sum(1 for t in turns if t.timestamp)
    return stamped >= 2 and stamped * 2 >= len(turns)
