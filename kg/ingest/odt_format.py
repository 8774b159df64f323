"""OpenDocument text (.odt, LibreOffice): paragraphs become lines, then the plain-text turn detector runs.

As for .docx (`kg.ingest.docx_format`), the interview text is the document's
paragraphs and headings joined by blank lines, and offsets refer to that
text.  The document's title (``<dc:title>``) fills a missing title.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from typing import Any

from .base import Parsed, Source
from .chars import bold_label
from .plain import parse as parse_plain

MIMETYPE = b"application/vnd.oasis.opendocument.text"


def sniff(source: Source) -> bool:
    return source.path.suffix.lower() == ".odt" or (source.data[:4] == b"PK\x03\x04" and MIMETYPE in source.data[:100])


class _Text:
    def __init__(self, source: Source, text: str) -> None:
        self.path, self.data, self.text = source.path, source.data, text


_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_UNSAID = frozenset({(_TEXT, "tracked-changes"), (_OFFICE, "annotation"), (_TEXT, "note")})
"""What a document holds that is not its text as read: the words of tracked deletions (kept apart, at the top),
comments and footnotes (inside the paragraph they are anchored to)."""


def _blocks(document: Any) -> list[str]:
    """Headings and paragraphs in document order (list items and table cells are paragraphs too)."""
    out: list[str] = []
    bold = _bold_styles(document)

    def walk(node: Any) -> None:
        for child in node.childNodes:
            if child.nodeType != child.ELEMENT_NODE or child.qname in _UNSAID:
                continue
            if child.qname in ((_TEXT, "p"), (_TEXT, "h")):
                out.append(_paragraph(child, bold))
            else:
                walk(child)

    walk(document.text)
    return [b.strip() for b in out if b.strip()]


def _bold_styles(document: Any) -> frozenset[str]:
    """The names of the text styles that set words in bold (LibreOffice writes one for each bold run)."""
    from odf.style import Style, TextProperties

    names = set()
    for holder in (document.automaticstyles, document.styles):
        for style in holder.getElementsByType(Style):
            if any(str(p.getAttribute("fontweight")) in ("bold", "700", "800", "900")
                   for p in style.getElementsByType(TextProperties)):
                names.add(str(style.getAttribute("name")))
    return frozenset(names)


def _paragraph(p: Any, bold: frozenset[str]) -> str:
    """A paragraph's text, a bold span opening it (a speaker's name set in bold) as Markdown bold (`bold_label`);
    a paragraph whose own style is bold is bold whole (LibreOffice sets a name alone on its line so)."""
    text = _said(p)
    if str(p.getAttribute("stylename")) in bold:
        return bold_label(text, text)
    first = next((c for c in p.childNodes if c.nodeType != c.TEXT_NODE or c.data.strip()), None)
    if first is None or first.nodeType != first.ELEMENT_NODE or first.qname != (_TEXT, "span") \
            or str(first.getAttribute("stylename")) not in bold:
        return text
    return bold_label(_said(first), text)


def _said(element: Any) -> str:
    """An element's text as odfpy's ``teletype.extractText`` gives it (spaces, tabs and line breaks written
    out), without the comments and footnotes anchored in it: they were read as the speaker's words."""
    parts: list[str] = []
    for child in element.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(child.data)
        elif child.nodeType != child.ELEMENT_NODE or child.qname in _UNSAID:
            continue
        elif child.qname == (_TEXT, "line-break"):
            parts.append("\n")
        elif child.qname == (_TEXT, "tab"):
            parts.append("\t")
        elif child.qname == (_TEXT, "s"):
            parts.append(" " * int(child.getAttribute("c") or 1))
        else:
            parts.append(_said(child))
    return "".join(parts)


def parse(source: Source) -> Parsed:
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(source.data))
        blocks = _blocks(document)
    except (zipfile.BadZipFile, KeyError, ValueError, AttributeError, Exception) as e:  # odfpy raises many kinds
        raise ValueError(f"not a readable .odt file: {type(e).__name__}") from None
    text = unicodedata.normalize("NFC", "\n\n".join(blocks) + "\n")
    parsed = parse_plain(_Text(source, text))  # type: ignore[arg-type]
    meta = dict(parsed.metadata)
    from odf import dc

    titles = document.meta.getElementsByType(dc.Title) if document.meta is not None else []
    if titles and "title" not in meta:
        from odf import teletype

        title = teletype.extractText(titles[0]).strip()
        if title:
            meta["title"] = title
    return Parsed(parsed.text, parsed.turns, meta, parsed.participants, parsed.warnings)
