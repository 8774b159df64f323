"""Character classes and span helpers shared by the format parsers.

Speaker labels start with a capital letter, and Python's ``re`` has no
``\\p{Lu}``; a hand-written ``[A-ZÀ-Þ]`` misses Ł, Š, Ž, Ō, Greek and Cyrillic
capitals (and wrongly includes ×), so the class is built from ``str.isupper``.
French typography puts a no-break space (U+00A0) or a narrow one (U+202F)
before a colon, so "space before the colon" means those too.
"""

from __future__ import annotations

import re


def _upper_class() -> str:
    ranges: list[list[int]] = []
    for code in range(0x10000):
        c = chr(code)
        if c.isupper() or c.istitle():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    parts = (re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return "[" + "".join(parts) + "]"


UPPER = _upper_class()
"""A regex class matching one capital letter in any script (Basic Multilingual Plane)."""

SP = r"[ \t\u00a0\u202f]"
"""One horizontal space, including the no-break spaces French puts before ':'."""


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def bold_label(lead: str, text: str) -> str:
    """A word processor's paragraph ``text`` whose opening bold run is ``lead`` ("" for none), as the turn
    detector reads it: a short bold run (a speaker's name set in bold, often without a colon) written as
    Markdown bold, ``**Jane Doe** text``, or ``**Jane**`` alone when the whole paragraph is bold; otherwise
    the text as it is.

    >>> bold_label("Jane Doe", "Jane Doe Where did you grow up?"), bold_label("", "Plain."), bold_label("Ann", "Ann")
    ('**Jane Doe** Where did you grow up?', 'Plain.', '**Ann**')
    """
    name = lead.strip()
    rest = text[len(lead):] if lead and text.startswith(lead) else ""
    if not name or len(name.split()) > 5 or "*" in name or "\n" in name or not (rest.strip() or lead == text):
        return text
    return f"**{name}** {rest.strip()}".rstrip()
