"""CMS exports (Kirby and similar): ``Field: value`` blocks separated by ``----`` lines.

Metadata fields become interview metadata; the transcript field (Transcript,
Transcription, Interview, Entretien...) is searched for turns; other long
free-text fields (Text, Description, Summary) become note turns so that what
they mention is linked too.  Field values are Markdown (Kirbytext): their
markup is blanked as in plain text (`kg.ingest.markup`); keys stay as written.

A Markdown transcript can also contain ``----`` lines (horizontal rules) and
``Name: text`` paragraphs, so sniffing asks for at least one field name that a
CMS export would use, not just the block shape.
"""

from __future__ import annotations

import re

from .base import Parsed, RawTurn, Source
from .chars import SP, strip_span
from .markup import read_markup
from .metadata import KEYS, canonical_key, participants_from
from .turns import find_turns

_SEP = re.compile(r"^[ \t]*-{4,}[ \t]*\r?$", re.M)
_FIELD = re.compile(rf"\s*(?P<key>[A-Za-zÀ-ÿ][\w \-]{{0,40}}?){SP}*:{SP}*")
TRANSCRIPT_FIELDS = {"transcript", "transcription", "interview", "entretien", "body", "content", "contenu"}
NOTE_FIELDS = {"text", "texte", "description", "summary", "résumé", "abstract", "notes", "intro", "chapo"}


def _blocks(text: str) -> list[tuple[int, int]]:
    bounds, pos = [], 0
    for m in _SEP.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    return bounds


def _fields(text: str) -> list[tuple[str, int, int]]:
    """(key casefolded, value start, value end) for every ``Key: value`` block."""
    out = []
    for s, e in _blocks(text):
        m = _FIELD.match(text, s, e)
        if m:
            out.append((m.group("key").strip().casefold(), m.end(), e))
    return out


def sniff(source: Source) -> bool:
    blocks = [(s, e) for s, e in _blocks(source.text) if source.text[s:e].strip()]
    if len(blocks) < 3:
        return False
    keys = [k for k, _, _ in _fields(source.text)]
    known = [k for k in keys if k in KEYS or k in TRANSCRIPT_FIELDS or k in NOTE_FIELDS]
    return len(keys) >= 0.8 * len(blocks) and len(known) >= 2


def parse(source: Source) -> Parsed:
    text = source.text
    metadata: dict[str, str] = {}
    turns: list[RawTurn] = []
    transcript: tuple[int, int] | None = None
    others: list[tuple[int, int]] = []
    notes: list[tuple[int, int]] = []
    for key, vs, ve in _fields(text):
        value = text[vs:ve].strip()
        if key in TRANSCRIPT_FIELDS and transcript is None:
            transcript = (vs, ve)
        elif key in NOTE_FIELDS and value:
            notes.append((vs, ve))
        elif canonical_key(key) is None and len(value) > 200:
            others.append((vs, ve))
            metadata[key] = value
        else:
            metadata[canonical_key(key) or key] = value
    people = participants_from(metadata)
    known = {p.name for p in people}
    for s, e in notes:
        text = read_markup(text, s, e).text
        ws, we = strip_span(text, s, e)
        if we > ws:
            turns.append(RawTurn(ws, we, None, kind="note"))
    warnings: tuple[str, ...] = ()
    if transcript is None and others:
        # An unfamiliar field name: the longest free-text field is the likeliest transcript.
        transcript = max(others, key=lambda span: span[1] - span[0])
        warnings = ("no Transcript field found; the longest text field is read as the transcript",)
    if transcript is None:
        warnings = ("no Transcript field found; only the notes are read",)
    else:
        # labels are found on the label view (Markdown as written, HTML bold as **), then the field is blanked
        reading = read_markup(text, *transcript)
        turns.extend(find_turns(reading.labels, *transcript, known_speakers=known))
        text = reading.text
    return Parsed(text, tuple(turns), metadata, tuple(people), warnings, reading.marked if transcript else ())
