"""OHMS XML (the Oral History Metadata Synchronizer, now in Aviary): a transcript, its sync points, an index.

An OHMS record (``<ROOT><record>``, in the namespace
``https://www.weareavp.com/nunncenter/ohms`` or none) holds the interview's
``title``, ``date`` (its ``value`` or text), ``interviewee`` and
``interviewer`` (several separated by ``;``), the recording's ``media_url``,
the ``transcript`` as text with ``NAME:`` speaker labels, and ``sync``: one
point per interval of the recording, ``1:|13(3)|19(14)`` meaning that every
minute (``1:``) a point marks where the transcript is, line 13 word 3 at one
minute, line 19 word 14 at two (lines and words counted from one).  The
transcript text is the interview text, read for turns as plain text; each
sync point anchors its word in the turn that holds it (`kg.timecodes`), so a
quote between two points of its turn is timed by character position.  The
index's keywords (``<index><point><keywords>``, separated by ``;``) and the
record's ``subject`` and ``keyword`` elements become the interview's
keywords, which extraction reads as its topics.

The file is parsed by defusedxml, as TEI is: nothing in it is fetched or expanded.
"""

from __future__ import annotations

import re
from dataclasses import replace
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from .base import Parsed, RawTurn, Source
from .metadata import participants_from
from .plain import parse as parse_plain

NAMESPACE = "https://www.weareavp.com/nunncenter/ohms"
_SYNC = re.compile(r"(\d+)\((\d+)\)")


def sniff(source: Source) -> bool:
    head = source.text[:4000]
    return "nunncenter/ohms" in head or ("<ROOT" in head and "<record" in head and "<transcript" in source.text)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _all(root: Element, name: str) -> list[Element]:
    return [e for e in root.iter() if _local(e.tag) == name]


def _text(root: Element, name: str) -> str:
    found = _all(root, name)
    return re.sub(r"\s+", " ", "".join(found[0].itertext())).strip() if found else ""


class _Text:
    def __init__(self, source: Source, text: str) -> None:
        self.path, self.data, self.text = source.path, source.data, text


def sync_points(sync: str, text: str) -> list[tuple[int, float]]:
    """(offset into ``text``, seconds) of each sync point that names a word of the text.

    Examples:
        >>> sync_points("1:|2(2)|3(1)", "Ana: bonjour\\nBob: oui oui\\nAna: fin")
        [(18, 60.0), (26, 120.0)]
    """
    interval, _, stamps = sync.partition(":")
    try:
        step = float(interval) * 60
    except ValueError:
        return []
    lines, starts, pos = text.split("\n"), [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    out = []
    for i, stamp in enumerate(stamps.split("|")):
        m = _SYNC.fullmatch(stamp.strip())
        if not m:
            continue
        line_no, word_no = int(m.group(1)), int(m.group(2))
        if not 1 <= line_no <= len(lines):
            continue
        words = list(re.finditer(r"\S+", lines[line_no - 1]))
        if 1 <= word_no <= len(words):
            out.append((starts[line_no - 1] + words[word_no - 1].start(), i * step))
    return out


def _keywords(root: Element) -> list[str]:
    found: list[str] = []
    for name in ("keywords", "keyword", "subject", "subjects"):
        for e in _all(root, name):
            found += [k.strip() for k in re.split(r"[;\n]", "".join(e.itertext())) if k.strip()]
    return list(dict.fromkeys(found))


def parse(source: Source) -> Parsed:
    try:
        root = SafeET.fromstring(source.data)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as e:
        raise ValueError(f"not well-formed XML: {e}") from None
    records = _all(root, "record")
    if not records:
        raise ValueError("no OHMS <record>")
    record = records[0]
    transcripts = _all(record, "transcript")
    text = "".join(transcripts[0].itertext()).replace("\r\n", "\n") if transcripts else ""
    if not text.strip():
        raise ValueError("its <transcript> is empty")
    parsed = parse_plain(_Text(source, text))  # type: ignore[arg-type]
    points = sync_points(_text(record, "sync"), parsed.text)
    turns: list[RawTurn] = []
    for t in parsed.turns:
        inside = tuple(p for p in points if t.start <= p[0] < t.end)
        turns.append(replace(t, times=inside) if inside else t)
    meta = dict(parsed.metadata)
    date = _all(record, "date")
    values = {"title": _text(record, "title"), "interviewee": _text(record, "interviewee"),
              "interviewer": _text(record, "interviewer"), "media": _text(record, "media_url"),
              "date": (date[0].get("value") or _text(record, "date")) if date else ""}
    for key, value in values.items():
        if value and key not in meta:
            meta[key] = value.replace(";", ",") if key in ("interviewee", "interviewer") else value
    keywords = _keywords(record)
    if keywords:
        meta["keywords"] = ", ".join(keywords)
    people = parsed.participants or tuple(participants_from(meta))
    return Parsed(parsed.text, tuple(turns), meta, people, parsed.warnings)
