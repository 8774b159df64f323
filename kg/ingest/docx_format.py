"""Word .docx transcripts: paragraphs become lines, then the plain-text turn detector runs.

The interview text is the document's paragraphs joined by blank lines; offsets
refer to that text.  Two- or three-column tables (speaker | text, or
time | speaker | text), a common layout for transcripts typed in Word, become
``Name: text`` / ``[time] Name: text`` lines; a first row that only names the
columns ("Locuteur | Transcription") is left out.  A paragraph opening with a short
bold run keeps it as Markdown bold (``**Jane Doe** text``), as Word transcripts set
their speakers' names.  The core title fills a missing
title; the file's creation date is kept as ``created`` but is not taken for the
interview date, which it seldom is (python-docx's own template says 2013).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from typing import Any

from .base import Parsed, Source
from .chars import bold_label
from .plain import parse as parse_plain
from .turns import TS

_TS = re.compile(rf"\[?{TS}\]?\Z")


def sniff(source: Source) -> bool:
    return source.path.suffix.lower() == ".docx" or source.data[:4] == b"PK\x03\x04"


class _Text:
    """The document's text presented to the plain-text parser as a source."""

    def __init__(self, source: Source, text: str) -> None:
        self.path, self.data, self.text = source.path, source.data, text


COLUMN_NAMES = frozenset({
    "speaker", "speakers", "name", "who", "locuteur", "locutrice", "locuteurs", "intervenant", "intervenante",
    "nom", "qui", "interlocuteur", "personne", "time", "timecode", "time code", "timestamp", "temps", "heure",
    "horodatage", "minutage", "début", "start", "text", "texte", "transcript", "transcription", "speech",
    "propos", "paroles", "contenu", "content", "verbatim", "dialogue", "",
})
"""Words that head a transcript table's columns: a first row made of them only is a header, not a turn."""


def _is_header(cells: list[str]) -> bool:
    return any(c.strip() for c in cells) and all(c.strip().casefold().rstrip(":") in COLUMN_NAMES for c in cells)


def _row(cells: list[str]) -> str:
    cells = [re.sub(r"\s+", " ", c).strip() for c in cells]
    if len(cells) == 2 and cells[0] and len(cells[0].split()) <= 5:
        return f"{cells[0]}: {cells[1]}"
    if len(cells) == 3 and _TS.match(cells[0]) and cells[1] and len(cells[1].split()) <= 5:
        return f"[{cells[0].strip('[]')}] {cells[1]}: {cells[2]}"
    return " ".join(c for c in cells if c)


def _blocks(document: Any) -> list[str]:
    """Paragraph texts and table rows, in document order."""
    out: list[str] = []
    for item in document.iter_inner_content():
        if hasattr(item, "rows"):
            for n, row in enumerate(item.rows):
                # a merged cell is listed once per grid column it spans; keep it once
                texts: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        texts.append("\n".join(_shown(p._p) for p in cell.paragraphs))
                if not (n == 0 and _is_header(texts)):
                    out.append(_row(texts))
        else:
            out.append(_paragraph(item))
    return [b.strip() for b in out if b.strip()]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HIDDEN = frozenset({_W + "del", _W + "moveFrom", _W + "p"})
"""What holds runs the reader does not see: text deleted or moved away with changes tracked, and another
paragraph (a text box's, inside a drawing)."""


def _shown(p: Any) -> str:
    """The text Word shows of a paragraph (a ``w:p`` element), changes tracked and not yet accepted included.

    python-docx reads a paragraph's own runs and links only: the words of a
    tracked insertion (``w:ins``), a content control or a smart tag were left
    out, so a transcript corrected with changes tracked lost its corrections.
    """
    parts = []
    for run in p.iter(_W + "r"):
        holder = run.getparent()
        while holder is not None and holder is not p and holder.tag not in _HIDDEN:
            holder = holder.getparent()
        if holder is p:
            parts.append(run.text)
    return "".join(parts)


def _paragraph(paragraph: Any) -> str:
    """A paragraph's text, its opening bold run (a speaker's name set in bold) as Markdown bold (`bold_label`)."""
    text = _shown(paragraph._p)
    lead = ""
    for run in paragraph.runs:
        if not run.bold:
            break
        lead += run.text
    return bold_label(lead, text)


def parse(source: Source) -> Parsed:
    import docx

    try:
        document = docx.Document(io.BytesIO(source.data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ValueError(f"not a readable .docx file: {e}") from None
    text = unicodedata.normalize("NFC", "\n\n".join(_blocks(document)) + "\n")
    parsed = parse_plain(_Text(source, text))  # type: ignore[arg-type]
    meta = dict(parsed.metadata)
    props = document.core_properties
    if props.title and "title" not in meta:
        meta["title"] = props.title
    if props.created and "created" not in meta:
        meta["created"] = props.created.date().isoformat()
    return Parsed(parsed.text, parsed.turns, meta, parsed.participants, parsed.warnings)
