"""Rich Text Format (.rtf, as TextEdit and older word processors save transcripts): the text, then turn detection.

striprtf reads the control words away (fonts, styles, ``\\'e9`` and ``\\u233``
escapes in the document's code page); the interview text is what remains,
with its paragraphs, and offsets refer to that text, as for .docx
(`kg.ingest.docx_format`).  Emphasis is lost with the rest of the styling, but
a short bold run without a colon (``{\\b Julie Martin}``, ``\\b Julie
Martin\\b0``) is written as Markdown bold first, as the .docx reader writes
one: a speaker's name set in bold without a colon is a label, as in Word.
"""

from __future__ import annotations

import re
import unicodedata

from .base import Parsed, Source
from .plain import parse as parse_plain

_CODE_PAGE = re.compile(rb"\\ansicpg(\d{3,5})")
_BOLD = re.compile(r"(\{\\b(?![a-z\d-]) ?|\\b(?![a-z\d-]) ?)([^{}\\\r\n*]{1,60}?)(\}|\\b0(?![a-z\d-]) ?)")
"""A short bold run: a group (``{\\b Name}``) or between switches (``\\b Name\\b0``), no other control word inside."""


def sniff(source: Source) -> bool:
    return source.data.lstrip()[:5] == b"{\\rtf"


class _Text:
    """The document's text presented to the plain-text parser as a source."""

    def __init__(self, source: Source, text: str) -> None:
        self.path, self.data, self.text = source.path, source.data, text


def parse(source: Source) -> Parsed:
    from striprtf.striprtf import rtf_to_text

    page = _CODE_PAGE.search(source.data[:2000])
    encoding = f"cp{page.group(1).decode()}" if page else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    try:
        text = rtf_to_text(_bold_as_markdown(source.data.decode("latin-1")), encoding=encoding, errors="replace")
    except (ValueError, IndexError, UnicodeError) as e:
        raise ValueError(f"not a readable .rtf file: {type(e).__name__}") from None
    text = unicodedata.normalize("NFC", re.sub(r"[ \t]+\n", "\n", text).strip())
    if not text:
        raise ValueError("no text to read in this .rtf file")
    return parse_plain(_Text(source, text + "\n"))  # type: ignore[arg-type]


def _bold_as_markdown(rtf: str) -> str:
    """The RTF with each short bold run's text between ``**``, which striprtf keeps as text; not a bold run
    that ends with a colon, which reads as a label without its bold."""
    def starred(m: re.Match[str]) -> str:
        words = m.group(2)
        if not words.strip() or len(words.split()) > 6 or words.rstrip().endswith(":"):
            return m.group(0)  # a bold "Name :" is a label as it stands
        return f"{m.group(1)}**{words.strip()}**{' ' if words.endswith(' ') else ''}{m.group(3)}"
    return _BOLD.sub(starred, rtf)
