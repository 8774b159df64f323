"""Rich Text Format (.rtf, as TextEdit and older word processors save transcripts): the text, then turn detection.

striprtf reads the control words away (fonts, styles, ``\\'e9`` and ``\\u233``
escapes in the document's code page); the interview text is what remains,
with its paragraphs, and offsets refer to that text, as for .docx
(`kg.ingest.docx_format`).  Emphasis is lost with the rest of the styling, so a
speaker's name set in bold without a colon is no label here.
"""

from __future__ import annotations

import re
import unicodedata

from .base import Parsed, Source
from .plain import parse as parse_plain

_CODE_PAGE = re.compile(rb"\\ansicpg(\d{3,5})")


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
        text = rtf_to_text(source.data.decode("latin-1"), encoding=encoding, errors="replace")
    except (ValueError, IndexError, UnicodeError) as e:
        raise ValueError(f"not a readable .rtf file: {type(e).__name__}") from None
    text = unicodedata.normalize("NFC", re.sub(r"[ \t]+\n", "\n", text).strip())
    if not text:
        raise ValueError("no text to read in this .rtf file")
    return parse_plain(_Text(source, text + "\n"))  # type: ignore[arg-type]
