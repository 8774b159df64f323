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
