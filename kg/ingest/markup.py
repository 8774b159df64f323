"""Markup-aware reading: Markdown, HTML and transcript markers blanked, offsets kept.

Transcripts come as Markdown pages, CMS exports and HTML fragments; read as
text, their markup reaches the NER (``Acast</a``, ``Project Gutenberg](https``).
This module computes, for a text read from a file, a string of the same length
in which every markup character is replaced by a space, line breaks and other
whitespace left where they are.  ``Interview.text`` is that blanked string, so
an offset still points at the same character of the source file (decoded, NFC,
its character references written as characters: `decode_references`)
and a quote ``text[start:end]`` reads exactly the characters the file holds
there, markup shown as spaces.  No separate offset map is needed, and nothing
that was text moves.

What is markup is decided by parsers, not patterns: markdown-it-py finds the
Markdown structure; its inline tokens carry no offsets, so each text token's
content is located in the source, walking forward from a cursor inside the
block's lines, and only those characters are kept.  So:

- links keep their anchor text (``[``, ``](url)`` go); autolinks keep the URL;
  images go whole (alt text is not speech);
- emphasis markers, heading ``#``, list bullets, blockquote ``>``, table pipes,
  horizontal rules, code fences and backslash escapes go; ordered-list numbers
  stay (a paragraph opening with a year, "1984. We moved", parses as a list);
  code keeps its content;
- HTML (inline tags and HTML blocks, read with ``html.parser``): tags go, the
  text between them stays, but comments and the contents of ``<script>``,
  ``<style>``, ``<iframe>``, ``<figure>`` and other embeds go entirely;
- character references are decoded before this reading, for the formats
  that may hold HTML (`decode_references`: ``l&#8217;&Eacute;tat`` is
  ``l’État``, so that a word keeps its letters); those left as written, which
  stand for markup characters or symbols (``&lt;``, ``&#42;``, ``&larr;``),
  go whole here, but ``&amp;`` keeps its ``&``;
- footnotes (``[^1]`` and their ``[^1]: …`` definitions, read with mdit-py-plugins) go: an editor's
  notes, which would otherwise be read as the words of the speaker before them;
- template tags of static-site generators (``{% transcription %}``,
  ``{{< audio >}}``) go; they are not Markdown, so markdown-it leaves them as text.

Text without any markup comes back unchanged, byte for byte.

Speaker labels are found before blanking, on a *label view* (`Reading.labels`):
the raw text with HTML tags blanked, except that ``<strong>``/``<b>`` tags
become ``**`` (``<em>``/``<i>``: ``*``, ``<h2>``…``<h6>``: ``##``) so that ``<p><strong>Name :</strong> text``
reads like the Markdown label ``**Name :** text``, and a table row
``| Name | text |`` reads as ``  Name : text  ``.  Markdown itself is left as
written there.

Transcript markers (`blank_markers`) are handled the same way, after turns are
found: stage directions (``(rires)``, ``[laughter]``, ``[inaudible]``), tape
times (``[00:12:03]``) and anonymisation markers (``[NOM]``, ``XXX``, ``BIP``)
are blanked so that the NER never sees them and no quote carries them.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

__all__ = [
    "ANONYMISATION_WORDS", "STAGE_WORDS", "Reading", "blank_markers", "decode_references", "has_markup", "is_marker",
    "read_markup",
]

SKIPPED_ELEMENTS = frozenset({
    "script", "style", "iframe", "figure", "object", "embed", "video", "audio", "noscript", "svg",
    "canvas", "template", "map", "picture", "head", "title", "button", "select", "textarea",
    "nav", "aside", "footer", "form",
})
"""HTML elements whose content is not text a reader would take for the transcript: it goes with the tags.  A
saved page's menus, sidebars ("À lire aussi"), footer and newsletter form were read as the last answer's words."""

_BOLD_TAGS = frozenset({"strong", "b"})
_MARK_TAGS = frozenset({"em", "i", "u", "cite", "a"})
_MARK_STYLE = re.compile(r"underline|italic", re.I)
_MARK_LENGTH = 100
"""Longer spans set apart are passages, not names."""
_ITALIC_TAGS = frozenset({"em", "i"})
_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "dt", "dd", "tr", "blockquote", "section", "article", "main", "header", "hr", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table",
})
"""Tags that begin or end a line as a browser shows the page."""
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
"""Section headings: ``##`` in the label view, so a scraped blog's ``<h3>Why IIIF?</h3>`` reads as a question."""
_TABLE_TS = re.compile(r"\[?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\]?\Z")


@dataclass(frozen=True, slots=True)
class Reading:
    """A text read for its markup: ``text`` blanked, ``labels`` for turn detection; both as long as the input."""

    text: str
    labels: str
    marked: tuple[tuple[int, int], ...] = ()
    """Character spans the markup sets apart (a link's text, italics, underlining, ``<cite>``): in a transcript
    these are mostly names and titles ("[Framasoft](https://…)", "*Marées lentes*")."""


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)
    # Escapes and entities stay separate tokens (text_special) whose markup is the source text.
    md.disable("text_join")
    return md


_TEMPLATE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}")
_HTML_HINT = re.compile(r"<[A-Za-z/!]|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")
_INLINE_MARKUP = {"strong_open", "em_open", "s_open", "link_open", "image", "code_inline", "html_inline",
                  "text_special"}


_TAG_OR_REFERENCE = re.compile(r"<[^<>]*>|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_references(text: str) -> str:
    """``text`` with its HTML character references written as the characters they stand for, outside tags.

    Pages saved from the web and CMS exports write accents and typographic
    apostrophes as references (``d&eacute;couvert``, ``l&#8217;&Eacute;cole``).
    Blanked in place, as markup is, they cut words in pieces ("d", "couvert"):
    the models then read fragments as names and every quote shows holes.  So
    the text kg reads, quotes and counts offsets in is the file with its
    references decoded, as it is the file decoded from its charset and
    normalised to NFC.  References to ASCII punctuation stay as written,
    since decoded they could open a tag (``&lt;``), an entity (``&amp;``) or
    Markdown emphasis (``&#42;``); the reader then blanks them.  Quotation
    marks and the apostrophe are the exception: they are ordinary text
    everywhere outside a tag, and a title in quotes is a name's best sign.
    Symbols (``&larr;``, ``&copy;``) stay too: on a page they decorate links
    and footers rather than speech, and blanked they join no name.
    Invisible format characters (``&shy;``, ``&lrm;``, ``&#8203;``) are
    dropped, so that the word around them stays whole.

    >>> decode_references("C&#8217;est gr&acirc;ce &agrave; l&#39;&Eacute;cole &lt;3 &amp; <a title='&eacute;'>")
    "C’est grâce à l'École &lt;3 &amp; <a title='&eacute;'>"
    >>> decode_references('le film &quot;Shoah&quot;')
    'le film "Shoah"'
    """
    if "&" not in text:
        return text

    def written(found: re.Match[str]) -> str:
        raw = found.group(0)
        if raw[0] == "<":
            return raw
        char = html.unescape(raw)
        if len(char) != 1 or char in (raw, "\ufffd") or (char.isascii() and not char.isalnum() and char not in "'\""):
            return raw
        category = unicodedata.category(char)
        return "" if category == "Cf" else char if category[0] in "LMNP" or category == "Zs" else raw

    decoded = _TAG_OR_REFERENCE.sub(written, text)
    return unicodedata.normalize("NFC", decoded) if decoded != text else text


def has_markup(text: str) -> bool:
    """Whether markdown-it finds Markdown or HTML markup in ``text`` (anything beyond paragraphs of text)."""
    return read_markup(text).text != text


def read_markup(text: str, start: int = 0, end: int | None = None) -> Reading:
    """Blank the Markdown/HTML markup of ``text[start:end]``; the rest of the text is returned as it is."""
    end = len(text) if end is None else end
    region = text[start:end]
    if not region.strip():
        return Reading(text, text)
    walker = _Walker(region)
    walker.run()
    if not walker.found_markup:
        return Reading(text, text)
    blanked = walker.blanked()
    labels = walker.label_view()
    return Reading(text[:start] + blanked + text[end:], text[:start] + labels + text[end:],
                   tuple((start + a, start + b) for a, b in walker.marked_spans()))


_LINE_NUMBER = re.compile(r"^[ \t]*(\d{1,5})(?=[ \t]|\r?$)", re.MULTILINE)
NUMBERED_SHARE = 0.8
"""How many of the lines with text must open with a number, and how many of those numbers must count up, for
the numbers to be the lines' numbers."""


def without_line_numbers(reading: Reading, raw: str, start: int = 0) -> Reading:
    r"""``reading`` with the numbers that open the lines of ``raw[start:]`` blanked in both views, where they number
    the lines: a transcript prepared for qualitative analysis numbers every line ("12  I: Et ensuite ?") so that
    a quote can be cited by its lines.

    Without this, no line starts with a speaker's label and the whole text is one anonymous turn.  The numbers
    count only where at least `NUMBERED_SHARE` of the lines with text open with one and as large a share of
    them count up by a few at most, so years or quantities opening lines are left alone.  Offsets do not move.

    >>> numbered = "1 I: Bonjour ?\n2 R: Oui.\n3 I: Et ?\n"
    >>> without_line_numbers(Reading(numbered, numbered), numbered).labels
    '  I: Bonjour ?\n  R: Oui.\n  I: Et ?\n'
    """
    filled = sum(1 for line in raw[start:].splitlines() if line.strip())
    found = list(_LINE_NUMBER.finditer(raw, start))
    if filled < 3 or len(found) < NUMBERED_SHARE * filled:
        return reading
    values = [int(m.group(1)) for m in found]
    steps = sum(1 for a, b in zip(values, values[1:], strict=False) if 0 < b - a <= 5)  # not years, not amounts
    if steps < NUMBERED_SHARE * (len(values) - 1):
        return reading

    def blank(view: str) -> str:
        chars = list(view)
        for m in found:
            chars[m.start(1):m.end(1)] = " " * (m.end(1) - m.start(1))
        return "".join(chars)

    return Reading(blank(reading.text), blank(reading.labels), reading.marked)


def keep_mask(text: str) -> bytearray:
    """For each character of ``text`` read as Markdown: 1 where it is text, 0 where it is markup."""
    walker = _Walker(text)
    walker.run()
    if not walker.found_markup:
        return bytearray(b"\x01") * len(text)
    return walker.keep


def _line_starts(s: str) -> list[int]:
    """Offsets where lines start, breaking lines as markdown-it does (\\r\\n, \\r, \\n)."""
    starts = [0]
    starts.extend(m.end() for m in re.finditer(r"\r\n|\r|\n", s))
    return starts


def _find_words(s: str, content: str, pos: int, end: int) -> tuple[int, list[tuple[int, int]]] | None:
    """Locate ``content`` in ``s[pos:end]``, whitespace between its words matched loosely.

    Returns where the match ends and the spans of its words, or None.
    """
    words = content.split()
    if not words:
        return pos, []
    i = s.find(words[0], pos, end)
    while i != -1:
        spans = [(i, i + len(words[0]))]
        j = spans[0][1]
        for w in words[1:]:
            k = j
            while k < end and s[k].isspace():
                k += 1
            if not s.startswith(w, k) or k + len(w) > end:
                break
            spans.append((k, k + len(w)))
            j = k + len(w)
        else:
            return j, spans
        i = s.find(words[0], i + 1, end)
    return None


def _find_each_word(s: str, content: str, pos: int, end: int) -> tuple[int, list[tuple[int, int]]]:
    """Fallback for text the parser rewrote (a table cell's ``\\|`` read as ``|``): each word where it next occurs."""
    spans = []
    for w in content.split():
        k = s.find(w, pos, end)
        if k != -1:
            spans.append((k, k + len(w)))
            pos = k + len(w)
    return pos, spans


def _skip_link_tail(s: str, pos: int, end: int) -> int:
    """After a link's text: skip ``](dest "title")``, ``][ref]`` or ``]``; return where the link ends."""
    k = s.find("]", pos, end)
    if k == -1:
        return pos
    k += 1
    if k < end and s[k] == "(":
        depth, i, quote = 0, k, ""
        while i < end:
            c = s[i]
            if quote:
                if c == "\\":
                    i += 1
                elif c == quote:
                    quote = ""
            elif c == "\\":
                i += 1
            elif c in "\"'" and depth == 1 and i > k + 1 and s[i - 1].isspace():
                quote = c
            elif c == "<" and depth == 1 and i == k + 1:
                close = s.find(">", i, end)
                i = close if close != -1 else i
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return k
    if k < end and s[k] == "[":
        close = s.find("]", k, end)
        return close + 1 if close != -1 else k
    return k


class _Html(HTMLParser):
    """Reads an HTML fragment: keeps its text, records its tags, skips embeds and comments."""

    def __init__(self, walker: _Walker, base: int, piece: str) -> None:
        super().__init__(convert_charrefs=False)
        self.w, self.base, self.piece = walker, base, piece
        self.lines = [0] + [m.end() for m in re.finditer("\n", piece)]

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.base + self.lines[line - 1] + col

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        start = self._pos()
        raw = self.get_starttag_text() or ""
        self.w.tag(start, start + len(raw), tag)
        if tag in SKIPPED_ELEMENTS:
            self.w.skip += 1

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        start = self._pos()
        raw = self.get_starttag_text() or ""
        self.w.tag(start, start + len(raw), tag)

    def handle_endtag(self, tag: str) -> None:
        start = self._pos()
        close = self.w.s.find(">", start, self.base + len(self.piece))
        self.w.tag(start, close + 1 if close != -1 else start + len(tag) + 2, tag)
        if tag in SKIPPED_ELEMENTS and self.w.skip:
            self.w.skip -= 1

    def handle_data(self, data: str) -> None:
        start = self._pos()
        if self.w.skip:
            self.w.hide(start, start + len(data))
        else:
            self.w.keep_range(start, start + len(data))

    def _ref(self, raw: str) -> None:
        start = self._pos()
        if not self.w.skip and html.unescape(raw) == raw[:1]:
            self.w.keep_range(start, start + 1)

    def handle_entityref(self, name: str) -> None:
        self._ref(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._ref(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        start = self._pos()
        self.w.hide(start, start + len(data) + 7)


class _Walker:
    """One pass over a Markdown text: which characters are text, which tags and hidden spans it has."""

    def __init__(self, s: str) -> None:
        self.s = s
        self.keep = bytearray(len(s))
        self.tags: list[tuple[int, int, str]] = []
        self.hidden: list[tuple[int, int]] = []
        self.skip = 0
        self.cur = 0
        self.found_markup = False
        self.lines = _line_starts(s)
        self.rows: list[tuple[int, int]] = []
        """Table body rows (character spans), for the label view."""
        self.marked: list[tuple[int, int]] = []
        self._opened: list[int] = []

    # -- recording ------------------------------------------------------------------------------
    def keep_range(self, a: int, b: int) -> None:
        self.keep[a:b] = b"\x01" * (b - a)

    def tag(self, a: int, b: int, name: str) -> None:
        self.found_markup = True
        self.tags.append((a, b, name))

    def hide(self, a: int, b: int) -> None:
        self.found_markup = True
        self.hidden.append((a, b))

    def _span(self, first: int, last: int) -> tuple[int, int]:
        """Characters of lines ``[first, last)``."""
        lo = self.lines[first] if first < len(self.lines) else len(self.s)
        hi = self.lines[last] if last < len(self.lines) else len(self.s)
        return lo, hi

    # -- the walk ---------------------------------------------------------------------------------
    def run(self) -> None:
        tokens = _parser().parse(self.s)
        notes = 0
        for tok in tokens:
            if tok.type not in ("paragraph_open", "paragraph_close", "inline"):
                self.found_markup = True
            notes += {"footnote_block_open": 1, "footnote_block_close": -1}.get(tok.type, 0)
            if tok.map is None or notes:
                continue  # a footnote's text is the editor's, not the speaker's: it goes with its marks
            lo, hi = self._span(*tok.map)
            if tok.type == "inline":
                self.skip = 0
                self._inline(tok.children or [], max(lo, self.cur), hi)
            elif tok.type == "code_block":
                self.keep_range(lo, hi)
            elif tok.type == "fence":
                self._fence(tok, *tok.map)
            elif tok.type == "tbody_open":
                self.rows.extend(self._span(line, line + 1) for line in range(*tok.map))
            elif tok.type == "list_item_open" and tok.info:
                # an ordered list's number stays: "1984. We moved" parses as a list
                k = self.s.find(tok.info + tok.markup, lo, hi)
                if k != -1:
                    self.keep_range(k, k + len(tok.info) + len(tok.markup))
            elif tok.type == "html_block":
                self.skip = 0
                reader = _Html(self, lo, self.s[lo:hi])
                try:
                    reader.feed(self.s[lo:hi])
                    reader.close()
                except Exception:  # pragma: no cover - html.parser is lenient; keep the block's text if not
                    self.keep_range(lo, hi)
                self.cur = max(self.cur, hi)
        for m in _TEMPLATE.finditer(self.s):
            if self.keep[m.start()]:
                self.found_markup = True
                self.keep[m.start():m.end()] = bytes(m.end() - m.start())

    def _fence(self, tok: Any, first: int, last: int) -> None:
        closing = self.s[slice(*self._span(last - 1, last))].strip()
        closed = last - first >= 2 and closing.startswith(tok.markup[:3]) and set(closing) <= set(tok.markup[:1])
        lo, hi = self._span(first + 1, last - 1 if closed else last)
        self.keep_range(lo, hi)
        self.cur = max(self.cur, self._span(first, last)[1])

    def _inline(self, children: list[Any], cur: int, hi: int) -> None:
        s = self.s
        autolink = False
        for c in children:
            t = c.type
            if t in _INLINE_MARKUP or (t.endswith("_open") and t != "paragraph_open"):
                self.found_markup = True
            if t == "text":
                if autolink:
                    continue
                found = _find_words(s, c.content, cur, hi) or _find_each_word(s, c.content, cur, hi)
                cur, spans = found
                if not self.skip:
                    for a, b in spans:
                        self.keep_range(a, b)
            elif t == "text_special":
                k = s.find(c.markup, cur, hi)
                if k == -1:
                    continue
                if not self.skip:
                    if c.info == "escape":
                        self.keep_range(k + len(c.markup) - 1, k + len(c.markup))
                    elif c.content == c.markup[:1]:
                        self.keep_range(k, k + 1)
                cur = k + len(c.markup)
            elif t == "code_inline":
                # the code is what lies between the backtick runs (a table may have unescaped "\\|" in it)
                k = s.find(c.markup, cur, hi)
                close = s.find(c.markup, k + len(c.markup), hi) if k != -1 else -1
                if close == -1:
                    continue
                if not self.skip:
                    self.keep_range(k + len(c.markup), close)
                cur = close + len(c.markup)
            elif t == "html_inline":
                k = s.find(c.content, cur, hi)
                if k == -1:
                    continue
                self._inline_html(k, c.content)
                cur = k + len(c.content)
            elif t == "link_open":
                if c.markup == "autolink":
                    k = s.find("<", cur, hi)
                    close = s.find(">", k + 1, hi) if k != -1 else -1
                    if k != -1 and close != -1:
                        if not self.skip:
                            self.keep_range(k + 1, close)
                        cur, autolink = close + 1, True
                    continue
                k = s.find("[", cur, hi)
                cur = k + 1 if k != -1 else cur
                self._opened.append(cur)
            elif t == "link_close":
                if autolink:
                    autolink = False
                    continue
                close = s.find("]", cur, hi)
                if self._opened and close != -1:
                    self.marked.append((self._opened.pop(), close))
                cur = _skip_link_tail(s, cur, hi)
            elif t == "image":
                k = s.find("![", cur, hi)
                if k != -1:
                    depth, i = 0, k + 1
                    while i < hi:
                        if s[i] == "\\":
                            i += 1
                        elif s[i] == "[":
                            depth += 1
                        elif s[i] == "]":
                            depth -= 1
                            if depth == 0:
                                break
                        i += 1
                    cur = _skip_link_tail(s, i, hi)
            elif t in ("strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close"):
                k = s.find(c.markup, cur, hi)
                if t == "em_open" and k != -1:
                    self._opened.append(k + len(c.markup))
                elif t == "em_close" and k != -1 and self._opened:
                    self.marked.append((self._opened.pop(), k))
                cur = k + len(c.markup) if k != -1 else cur
        self.cur = max(self.cur, cur)

    def _inline_html(self, k: int, raw: str) -> None:
        if raw.startswith("<!--"):
            self.hide(k, k + len(raw))
            return
        m = re.match(r"</?([A-Za-z][A-Za-z0-9-]*)", raw)
        name = m.group(1).lower() if m else ""
        self.tag(k, k + len(raw), name)
        if name in SKIPPED_ELEMENTS and not raw.endswith("/>"):
            if raw.startswith("</"):
                self.skip = max(0, self.skip - 1)
            else:
                self.skip += 1

    # -- output -------------------------------------------------------------------------------------
    def marked_spans(self) -> list[tuple[int, int]]:
        """The Markdown spans set apart and those of HTML's italic, underline and citation tags, on one line."""
        spans = list(self.marked)
        opened: list[tuple[str, int]] = []
        for a, b, name in sorted(self.tags):
            raw = self.s[a:b]
            if raw.startswith("</"):
                for j in range(len(opened) - 1, -1, -1):
                    if opened[j][0] == name:
                        spans.append((opened[j][1], a))
                        del opened[j:]
                        break
            elif name in _MARK_TAGS or name == "span" and _MARK_STYLE.search(raw):
                opened.append((name, b))
        out = []
        for a, b in sorted(set(spans)):
            inner = self.s[a:b]
            if 2 <= len(inner.strip()) <= _MARK_LENGTH and "\n" not in inner and any(ch.isalpha() for ch in inner):
                out.append((a, b))
        return out

    def blanked(self) -> str:
        s, keep = self.s, self.keep
        return "".join(c if keep[i] or c.isspace() else " " for i, c in enumerate(s))

    def label_view(self) -> str:
        """The raw text with HTML blanked, ``<strong>``/``<b>`` tags written as ``**``."""
        chars = list(self.s)

        def blank(a: int, b: int) -> None:
            for i in range(a, min(b, len(chars))):
                if not chars[i].isspace():
                    chars[i] = " "

        for a, b in self.hidden:
            blank(a, b)
        scan, written = 0, False  # how far the line's text has been looked at, and whether it holds any
        for a, b, name in sorted(self.tags):
            blank(a, b)
            closing = self.s.startswith("</", a)
            if a > scan:  # the text between the last tag looked at and this one: does the line now hold words?
                seen = "".join(chars[scan:a])
                cut = seen.rfind("\n")
                written = bool(seen[cut + 1:].strip()) or (written and cut == -1)
                scan = a
            if name == "dt" and closing:
                chars[a] = ":"  # a definition list's term is the speaker of its definition: "<dt>Marie</dt><dd>…"
                continue
            if name in _BLOCK_TAGS and written and b - a >= 3:
                chars[a], written, scan = "\n", False, a + 1  # a page on one line: a paragraph a line, for labels
                a += 1
            if name in _BOLD_TAGS and b - a >= 2:
                at = a if closing else b - 2  # against the words: "<b>Jane Doe</b> text" reads "**Jane Doe** text"
                chars[at:at + 2] = ["*", "*"]
            elif name in _HEADING_TAGS and b - a >= 3:
                chars[a:a + 2] = ["#", "#"]
            elif name in _ITALIC_TAGS:
                chars[a if closing else b - 1] = "*"
        for a, b in self.rows:
            self._table_row(chars, a, b)
        self._html_rows(chars)
        return "".join(chars)

    def _html_rows(self, chars: list[str]) -> None:
        """An HTML table's rows of two cells (speaker, text), or three (time, speaker, text), read as ``Name : text``:
        the speaker cell's closing tag becomes the label's colon, as a Markdown table's pipe does (`_table_row`)."""
        cells: list[tuple[int, int]] = []  # each cell of the current row: (content start, its closing tag's start)
        opened: int | None = None
        for a, b, name in sorted(self.tags):
            closing = self.s.startswith("</", a)
            if name == "tr":
                if closing:
                    self._html_row(chars, cells)
                cells, opened = [], None
            elif name == "td":  # a heading row's cells (th) name the columns
                if not closing:
                    opened = b
                elif opened is not None:
                    cells.append((opened, a))
                    opened = None

    def _html_row(self, chars: list[str], cells: list[tuple[int, int]]) -> None:
        texts = [self.s[x:y].strip() for x, y in cells]
        if len(texts) == 3 and _TABLE_TS.match(re.sub(r"<[^>]*>", "", texts[0]).strip()):
            speaker = 1
        elif len(texts) == 2:
            speaker = 0
        else:
            return
        name = re.sub(r"<[^>]*>", "", texts[speaker]).strip()
        if not name or len(name.split()) > 5 or not texts[speaker + 1]:
            return
        chars[cells[speaker][1]] = ":"

    def _table_row(self, chars: list[str], a: int, b: int) -> None:
        """``| Name | text |`` reads as ``  Name : text  `` (and ``| 00:01 | Name | text |`` likewise).

        A transcript typed as a table (as in Word) puts the speaker in a cell: the
        pipe after the speaker's cell becomes the label's colon, the other pipes spaces.
        """
        line = self.s[a:b]
        pipes = [a + i for i, c in enumerate(line) if c == "|" and (i == 0 or line[i - 1] != "\\")]
        if not pipes:
            return
        bounds = [a - 1] + pipes + [a + len(line.rstrip("\r\n"))]
        cells = [(x + 1, y) for x, y in zip(bounds, bounds[1:], strict=False)]
        if cells and not self.s[cells[0][0]:cells[0][1]].strip():
            cells = cells[1:]
        if cells and not self.s[cells[-1][0]:cells[-1][1]].strip():
            cells = cells[:-1]
        texts = [self.s[x:y].strip() for x, y in cells]
        if len(texts) == 3 and _TABLE_TS.match(texts[0]):
            speaker = 1
        elif len(texts) == 2:
            speaker = 0
        else:
            return
        if not texts[speaker] or len(texts[speaker].split()) > 5 or not texts[speaker + 1]:
            return
        for p in pipes:
            chars[p] = ":" if p == cells[speaker][1] else " "


# --- transcript markers ----------------------------------------------------------------------------

STAGE_WORDS = frozenset({
    # French
    "rire", "rires", "rit", "rient", "sourire", "sourires", "sourit", "silence", "pause", "blanc", "inaudible",
    "inaudibles", "incompréhensible", "incompréhensibles", "inintelligible", "musique", "applaudissements",
    "toux", "tousse", "soupir", "soupire", "soupirs", "hésitation", "hésite", "bruit", "bruits", "coupure",
    "interruption", "interrompu", "interrompue", "chevauchement", "brouhaha", "générique", "jingle", "sonnerie",
    "téléphone", "hors-micro", "micro", "traduction", "original", "voix", "off", "coupé", "coupée", "larmes",
    "pleure", "ironique", "ironie", "gêné", "gênée", "tape", "claque", "frappe", "ton",
    # English
    "laugh", "laughs", "laughter", "laughing", "chuckle", "chuckles", "chuckling", "giggles", "smiles", "smiling",
    "unintelligible", "indistinct", "crosstalk", "cross-talk", "overlapping", "overlap", "music",
    "applause", "cough", "coughs", "coughing", "sigh", "sighs", "sighing", "pauses", "paused", "break", "noise",
    "noises", "beep", "intro", "outro", "phone", "rings", "ringing", "translation",
    "translated", "voice-over", "voiceover", "interrupts", "interrupted", "clears", "throat",
    "background", "playing", "plays", "ends", "fades", "chatter", "sniffs", "groans", "gasps", "whispers",
    "whispering", "unclear", "static", "technical", "difficulties", "recording", "stops", "resumes",
    "cuts", "cut", "audio", "sound", "sounds", "effect", "effects", "clapping", "claps", "crying",
})
"""Words of stage directions: what a transcriber writes in brackets about the recording, not what is said.

A bracketed or parenthesised group of one to three such words (``(rires)``,
``[long pause]``, ``[music playing]``, with ``STAGE_MODIFIERS`` allowed around
them) is blanked, so that the NER never takes "Laughter" for a name.  Matching
whole groups of listed words, rather than any bracketed word, keeps asides
such as "(CEA)" or "[Standard Ebooks]" as text.
"""

STAGE_MODIFIERS = frozenset({
    "long", "longue", "longs", "longues", "short", "brief", "courte", "court", "petit", "petite", "bref", "brève",
    "en", "de", "du", "des", "la", "le", "les", "l'", "au", "à", "fond", "the", "a", "of", "in", "and", "et",
    "both", "all", "tous", "général", "générale", "general", "nervous", "nerveux", "nerveuse", "loud",
    "fort", "forts", "quelques", "some", "mots", "words", "secondes", "seconds", "?", "…", "...",
})
"""Words allowed around stage-direction words ("longue pause", "rires en fond", "laughs nervously" is not)."""

ANONYMISATION_WORDS = frozenset({
    "nom", "noms", "prénom", "prénoms", "prenom", "name", "names", "first", "last", "surname", "firstname",
    "lastname", "x", "xx", "xxx", "y", "z", "anonymisé", "anonymisée", "anonymisés", "anonymise", "anonymized",
    "anonymised", "anonymous", "anonyme", "redacted", "supprimé", "supprimée", "retiré", "removed", "censuré",
    "censored", "bip", "beep", "bleep", "ville", "city", "town", "lieu", "place", "location", "entreprise",
    "company", "employer", "employeur", "organisation", "organization", "école", "school", "société",
    "personne", "person", "collègue", "colleague", "adresse", "address", "pays", "country", "date", "age",
    "âge", "établissement", "institution", "université", "university", "rue", "street", "numéro", "number",
})
"""Words of anonymisation markers: ``[NOM]``, ``[PRÉNOM]``, ``[X]``, ``[anonymisé]``, ``[redacted]``,
``[nom de l'entreprise]``.  They stand for a removed name; they are none themselves, so they are blanked.
Outside brackets only the unmistakable ``XXX``, ``BIP`` and ``***`` are (``X`` alone is too often a letter)."""

MEDIA_WORDS = frozenset({
    "slide", "slides", "diapo", "diapos", "diapositive", "diapositives", "video", "vidéo", "image", "images",
    "photo", "photos", "screen", "écran", "projection", "clip", "extrait", "music", "musique", "audio", "sound",
    "son", "générique", "jingle", "on", "à", "l'", "sur", "shown", "montrée", "montré", "projetée",
})
"""Words heading a bracketed description of what is shown or played (``[slide: …]``, ``[vidéo : …]``)."""

_MARKER_LINKS = frozenset({"de", "du", "des", "la", "le", "l'", "d'", "of", "the", "my", "his", "her", "a", "an",
                           "mon", "ma", "sa", "son", "ses", "leur", "s", "et", "and", "or", "ou", "/"})

_BRACKETED = re.compile(r"\[[^\[\]\n]{1,60}\]|\([^()\n]{1,60}\)")
_BARE = re.compile(r"(?<![\w*])(?:X{3,}|BIP|\*{3,})(?![\w*])")
_TS_WORD = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?")
_TS_RANGE = re.compile(r"[ \t]*(?:\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?|\d+(?:[.,]\d+)?s?)[ \t]*-{1,2}>[ \t]*"
                       r"(?:\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?|\d+(?:[.,]\d+)?s?)[ \t]*")
"""A segment's time span as speech recognition prints it (``00:00:03.000 --> 00:00:07.500``, ``3.00s -> 7.50s``)."""
TIME_LINE = r"(?<![^\n])[ \t]*(?P<bare>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[ \t]*(?=\r?\n|\Z)"
"""A clock time alone on its line (``00:05:00``, as meeting tools' transcripts mark the minutes): a time mark,
read for the quote times (`kg.ingest.timing`), then blanked."""
_TIME_LINE = re.compile(TIME_LINE)
F4_MARK = r"#(?P<tenths>\d{1,2}:\d{2}:\d{2}(?:-\d)?)#"
"""f4transkript's time marks, ``#00:05:10-3#``: read for the quote times (`kg.ingest.timing`), then blanked."""
_F4_TIME = re.compile(F4_MARK)


def _words(inner: str) -> list[str]:
    return [w for w in re.split(r"[\s,;:.!…]+|(?<=['’])", inner.strip().casefold().replace("’", "'")) if w]


def is_marker(bracketed: str) -> bool:
    """Whether ``[...]`` or ``(...)`` is a stage direction or an anonymisation marker.

    >>> [is_marker(x) for x in ("(rires)", "[Laughter]", "[NOM]", "[nom de l'entreprise]", "(CEA)", "[Paris]")]
    [True, True, True, True, False, False]
    >>> [is_marker(x) for x in ("[00:12:03]", "(1:02:03.5)", "[2019]", "[00:00:03.000 --> 00:00:07.500]")]
    [True, True, False, True]
    >>> [is_marker(x) for x in ('[slide: "Who pays?"]', "[Vidéo : la grève de 1968]", "[Paris: la ville]")]
    [True, True, False]
    """
    inner = bracketed[1:-1]
    if not inner.strip() or inner.strip() in ("...", "…"):
        return False
    head = re.match(r"\s*([^:\n]{1,20}?)\s*:", inner)
    if bracketed[0] == "[" and head and set(_words(head.group(1))) <= MEDIA_WORDS:
        return True  # "[slide: Who pays?]", "[vidéo : extrait du JT]": what is shown, not what is said
    if _TS_WORD.fullmatch(inner.strip().rstrip("\\")):
        return True  # "[00:12:03]": a tape time, read for the quote times before blanking (kg.ingest.timing)
    if _TS_RANGE.fullmatch(inner):
        return True  # a speech-to-text segment's span, left in a text that is not read as segment lines
    words = _words(_TS_WORD.sub(" ", inner))
    if not words or len(words) > 5:
        return False
    if not (inner == inner.lower() or inner == inner.upper() or inner.strip()[:1].isupper()):
        return False
    stage = [w for w in words if w in STAGE_WORDS]
    if stage and len(stage) <= 3 and all(w in STAGE_WORDS or w in STAGE_MODIFIERS for w in words):
        return True
    anon = [w for w in words if w in ANONYMISATION_WORDS]
    return bool(anon) and len(anon) <= 3 and all(w in ANONYMISATION_WORDS or w in _MARKER_LINKS for w in words)


def marker_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Where stage directions and anonymisation markers lie in ``text[start:end]``."""
    end = len(text) if end is None else end
    spans = [(m.start(), m.end()) for m in _BRACKETED.finditer(text, start, end) if is_marker(m.group())]
    spans += [(m.start(), m.end()) for m in _BARE.finditer(text, start, end)]
    spans += [(m.start(), m.end()) for m in _F4_TIME.finditer(text, start, end)]
    spans += [(m.start("bare"), m.end("bare")) for m in _TIME_LINE.finditer(text, start, end)]
    return sorted(spans)


def blank_markers(text: str) -> str:
    """``text`` with stage directions and anonymisation markers replaced by spaces (same length)."""
    spans = marker_spans(text)
    if not spans:
        return text
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            if not chars[i].isspace():
                chars[i] = " "
    return "".join(chars)
