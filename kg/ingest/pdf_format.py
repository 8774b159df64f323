"""PDF transcripts with a text layer: the text pypdf extracts, cleaned of page furniture, then read as plain text.

Archives publish transcripts as PDF.  What a PDF holds is positioned text,
so kg extracts each page's lines (pypdf) and removes what is not the
transcript before the plain-text turn detector runs:

- running headers and footers: a page's first or last lines that recur, digits
  aside, on at least half of the pages ("Entretien avec X -- page 3");
- page numbers: a first or last line that is a number ("12", "- 12 -", "p. 12", "12/40");
- line numbers: the number opening most lines of a page, as in a numbered legal transcript;
- hyphenation: a word cut at a line's end ("transcrip-" / "tion") is joined.

The interview text is that cleaned text; offsets refer to it.  A PDF without a
text layer (a scan) is an error: kg does no OCR.  An encrypted PDF that
opens only with a password is an error too.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import InputError
from .base import Parsed, Source
from .plain import parse as parse_plain

_PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:page|p\.)\s*)?[-–—]?\s*\d{1,4}\s*(?:/\s*\d{1,4}|(?:of|sur)\s+\d{1,4})?\s*[-–—]?\s*$", re.I)
ENCRYPTED = "is an encrypted PDF; save a copy without a password and read that"
_LINE_NUMBER = re.compile(r"^\s*\d{1,5}(?:\s+|$)")
_HYPHEN = re.compile(r"(?<=[^\W\d_])-\n(?=[^\W\d_]*[a-zà-ÿ])")


def sniff(source: Source) -> bool:
    return source.data[:5] == b"%PDF-" or source.path.suffix.lower() == ".pdf"


class _Text:
    """The cleaned text presented to the plain-text parser as a source."""

    def __init__(self, source: Source, text: str) -> None:
        self.path, self.data, self.text = source.path, source.data, text


def _key(line: str) -> str:
    """A line with its digits blanked, so "page 3" and "page 4" are one running header."""
    return re.sub(r"\d+", "#", line.strip()).casefold()


def _furniture(pages: list[list[str]]) -> set[str]:
    """Header and footer lines: among each page's first and last two, those recurring on half the pages or more."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        edge = {_key(x) for x in lines[:2] + lines[-2:] if x.strip()}
        seen.update(edge)
    return {k for k, n in seen.items() if n >= max(2, (len(pages) + 1) // 2)}


def _strip_line_numbers(lines: list[str]) -> list[str]:
    """Remove the numbers opening lines, when most of the page's lines have one and they count up."""
    numbered = [(i, m) for i, x in enumerate(lines) if x.strip() and (m := _LINE_NUMBER.match(x))]
    filled = [x for x in lines if x.strip()]
    if len(filled) < 3 or len(numbered) < 0.8 * len(filled):
        return lines
    values = [int(m.group().strip()) for _, m in numbered]
    if sum(1 for a, b in zip(values, values[1:], strict=False) if b > a) < 0.8 * (len(values) - 1):
        return lines
    out = list(lines)
    for i, m in numbered:
        out[i] = lines[i][m.end():]
    return out


def clean_pages(pages: list[str]) -> str:
    """The transcript in the pages' text: furniture, page and line numbers removed, hyphenation joined.

    Examples:
        >>> clean_pages(["Oral history - page 1\\nAna: la transcrip-\\ntion.\\n1",
        ...              "Oral history - page 2\\nBob: Oui.\\n2"])
        'Ana: la transcription.\\n\\nBob: Oui.\\n'
    """
    split = [p.splitlines() for p in pages]
    furniture = _furniture(split)
    kept_pages = []
    for lines in split:
        body = [x.rstrip() for x in lines]
        while body and (not body[0].strip() or _key(body[0]) in furniture or _PAGE_NUMBER.match(body[0])):
            body.pop(0)
        while body and (not body[-1].strip() or _key(body[-1]) in furniture or _PAGE_NUMBER.match(body[-1])):
            body.pop()
        kept_pages.append("\n".join(_strip_line_numbers(body)))
    text = "\n\n".join(p for p in kept_pages if p.strip())
    # a page break inside a turn is a paragraph break; a word cut at a line's end is joined
    text = _HYPHEN.sub("", text)
    return text + "\n" if text else ""


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs what it repairs in a damaged file ("EOF marker not found"); kg says what is wrong in one line."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def parse(source: Source) -> Parsed:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    try:
        with _quiet_pypdf():
            reader = PdfReader(io.BytesIO(source.data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise InputError(f"{source.path}: {ENCRYPTED}")
            pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (FileNotDecryptedError, DependencyError):
        # DependencyError: an AES-encrypted file, which pypdf opens only with the cryptography package
        raise InputError(f"{source.path}: {ENCRYPTED}") from None
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as e:
        if "decrypt" in str(e).lower() or "encrypt" in str(e).lower():
            raise InputError(f"{source.path}: {ENCRYPTED}") from None
        raise ValueError(f"not a readable PDF file: {e}") from None
    text = unicodedata.normalize("NFC", clean_pages(pages))
    if not text.strip():
        raise InputError(f"{source.path}: is a PDF with no text to read (a scan without a text layer?); "
                         "kg does no OCR: run OCR first or pass the transcript as text")
    parsed = parse_plain(_Text(source, text))  # type: ignore[arg-type]
    meta = dict(parsed.metadata)
    info = reader.metadata
    if info is not None and info.title and "title" not in meta:
        meta["title"] = str(info.title)
    return Parsed(parsed.text, parsed.turns, meta, parsed.participants, parsed.warnings)
