"""Front-matter values located in the source, so that their prose can be mined with exact offsets.

Front matter holds prose that names people, places and works (a title, a
description, show notes, a guest's bio), and the gold annotations count it
("metadata header included").  Such values become ``note`` turns whose offsets
point at the value's own characters inside the YAML: YAML parses a value
into a string that is (nearly always) a subsequence of its source text --
quotes, escape backslashes, block indicators and indentation are what it
drops -- so each non-space character of the value is matched, in order, to a
character of its source region.  A value that cannot be matched that way (a
``\\u00e9`` escape) is matched line by line, and a line that still cannot be
is left out: a note's offsets are exact or the note is not made.

The value is itself Markdown (``[Name](url)`` in a description), so it is
read with `kg.ingest.markup` and only its text characters are kept.  Every
other character of the front matter (keys, quotes, URLs, non-prose values) is
blanked in ``Interview.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .markup import keep_mask

PROSE_KEYS = frozenset({
    "title", "titre", "subtitle", "sous-titre", "soustitre", "ogtitle", "og_title", "og:title", "seo_title",
    "description", "ogdescription", "og_description", "og:description", "seo_description", "meta_description",
    "summary", "résumé", "resume", "abstract", "excerpt", "teaser", "lead", "lede", "chapo", "chapeau", "intro",
    "introduction", "bio", "biography", "biographie", "about", "shownotes", "show_notes", "show-notes", "notes",
    "note", "caption", "légende", "legende", "context", "contexte", "synopsis", "headline",
})
"""Front-matter keys (casefolded) whose values are prose worth mining.

Anything else -- layout, image, url, mp3, embed, bytes, draft, tags, dates,
identifiers -- is not prose and never becomes a turn.
"""

NAME_KEYS = frozenset({
    "people", "persons", "personnes", "guest", "guests", "invité", "invités", "invitée", "invitées", "host", "hosts",
    "animateur", "animatrice", "author", "authors", "auteur", "auteurs", "autrice", "editor", "editors",
    "storyteller", "storytellers", "facilitator", "facilitators", "speaker", "speakers", "intervenants",
    "contributors", "contributeurs", "producer", "producers", "credits", "crédits", "interviewee", "interviewer",
})
"""Front-matter keys whose values name people (a string or a list of strings): each name becomes a note
turn too, since the gold counts people named only in the header (an editor, a producer)."""

TRANSCRIPT_KEYS = frozenset({"transcript", "transcription", "verbatim", "entretien", "interview", "body", "content"})
"""Front-matter keys whose value is the transcript itself: its turns are found inside it."""

_KEY_LINE = re.compile(r"^(?P<q>['\"]?)(?P<key>[^\s#'\"][^:\n]*?)(?P=q)[ \t]*:(?=[ \t]|\r?$)", re.M)


@dataclass(frozen=True, slots=True)
class Located:
    """A front-matter value found in the source: its key, its region and the characters kept as text."""

    key: str
    start: int
    end: int
    kept: tuple[int, ...]
    """Source offsets of the value's text characters (Markdown markup left out), in order."""


def _align(value: str, src: str, start: int, end: int) -> list[int | None] | None:
    """Map each character of ``value`` to a source offset in ``[start, end)`` (None for spaces); None if impossible."""
    out: list[int | None] = []
    j = start
    for c in value:
        if c.isspace():
            out.append(None)
            continue
        j = src.find(c, j, end)
        if j == -1:
            return None
        out.append(j)
        j += 1
    return out


def _align_lines(value: str, src: str, start: int, end: int) -> list[int | None]:
    """Line by line: lines that cannot be matched are left out (their characters map to None)."""
    out: list[int | None] = []
    j = start
    for line in value.split("\n"):
        got = _align(line, src, j, end)
        if got is None:
            out.extend([None] * len(line))
        else:
            out.extend(got)
            j = max([p for p in got if p is not None], default=j - 1) + 1
        out.append(None)
    return out[: len(value)]


def regions(text: str, start: int, end: int) -> dict[str, tuple[int, int]]:
    """Top-level keys of the YAML in ``text[start:end]`` and the source region of each value."""
    keys = [(m.group("key").strip().casefold(), m.start(), m.end()) for m in _KEY_LINE.finditer(text, start, end)]
    out: dict[str, tuple[int, int]] = {}
    for i, (key, _, value_start) in enumerate(keys):
        value_end = keys[i + 1][1] if i + 1 < len(keys) else end
        out.setdefault(key, (value_start, value_end))
    return out


def locate(text: str, start: int, end: int, meta: dict[str, Any], keys: frozenset[str]) -> list[Located]:
    """The string values of ``keys`` in the front matter ``text[start:end]``, located character by character.

    A list of strings gives one `Located` per item.
    """
    found: list[Located] = []
    spans = regions(text, start, end)
    for raw_key, value in meta.items():
        key = str(raw_key).strip().casefold()
        if key not in keys or key not in spans:
            continue
        if isinstance(value, str):
            values = [value]
        elif isinstance(value, list):
            values = [v for v in value if isinstance(v, str)]
        else:
            continue
        vs, ve = spans[key]
        pos = vs
        for v in values:
            if not v.strip():
                continue
            positions = _align(v, text, pos, ve)
            if positions is None:
                positions = _align_lines(v, text, pos, ve)
            mask = keep_mask(v)
            kept = tuple(p for i, p in enumerate(positions) if p is not None and mask[i])
            if kept:
                found.append(Located(key, vs, ve, kept))
                pos = kept[-1] + 1
    return found


def blank_outside(text: str, start: int, end: int, kept: set[int]) -> str:
    """``text`` with every non-space character of ``[start, end)`` not in ``kept`` replaced by a space."""
    chars = list(text[start:end])
    for i, c in enumerate(chars):
        if start + i not in kept and not c.isspace():
            chars[i] = " "
    return text[:start] + "".join(chars) + text[end:]
