"""TEI XML transcriptions: ``<u who="#id">`` utterances (TEI for speech) or ``<sp><speaker>`` speeches.

The ``<teiHeader>`` gives the title, the date, the language
(``<langUsage><language ident>``), the people (``<particDesc><listPerson>``:
each ``<person xml:id role>`` with a ``<persName>``, whom ``who="#id"``
points at) and the recording (``<recordingStmt><recording><media url>``).
Times come from a ``<timeline>`` whose ``<when xml:id interval since>`` points
an utterance's ``start``/``end`` attributes at seconds.  Each ``<u>`` or
``<sp>`` is one turn, rendered as a ``Name: text`` paragraph
(`kg.ingest.rendered`); notes, stage directions (``<incident>``,
``<vocal>``, ``<kinesic>``, ``<stage>``, ``<note>``) and ``<speaker>`` itself
are not speech.

The file is parsed by defusedxml, which refuses DTDs' entities and never
fetches anything: a transcript is untrusted input.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from ..model import Participant
from .base import Parsed, Source
from .rendered import Piece, Said, render

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_SKIP = {"note", "incident", "vocal", "kinesic", "stage", "speaker", "desc", "gap", "del", "fw"}
_BLOCKS = {"p", "ab", "l", "lg", "lb", "s", "seg", "u", "div"}
_ROLES = {"interviewer": "interviewer", "interviewee": "interviewee", "narrator": "interviewee",
          "enquêteur": "interviewer", "enquêté": "interviewee", "informant": "interviewee"}


def sniff(source: Source) -> bool:
    head = source.text[:4000]
    return "<TEI" in head and "tei-c.org/ns" in head or source.path.suffix.lower() == ".tei"


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _words(node: Element) -> str:
    """The spoken words under ``node``: its text and its children's, without notes and stage directions."""
    out = [node.text or ""]
    for child in node:
        if _local(child.tag) in _BLOCKS:
            out.append(f" {_words(child)} ")  # paragraphs and lines are apart even when the XML has no space
        elif _local(child.tag) not in _SKIP:
            out.append(_words(child))
        elif _local(child.tag) in ("incident", "vocal", "kinesic", "gap"):
            out.append(" ")
        out.append(child.tail or "")
    return "".join(out)


def _first(root: Element, path: str) -> Element | None:
    return root.find(path.replace("tei:", TEI))


def _timeline(root: Element) -> dict[str, float]:
    """``<when>`` ids -> seconds from the timeline's origin (``interval`` after ``since``, in seconds)."""
    whens = {w.get(XML_ID): w for w in root.iter(f"{TEI}when") if w.get(XML_ID)}
    out: dict[str, float] = {}

    def at(key: str, depth: int = 0) -> float | None:
        if key in out:
            return out[key]
        w = whens.get(key)
        if w is None or depth > 50:
            return None
        interval, since = w.get("interval"), (w.get("since") or "").lstrip("#")
        if interval is None or not since:
            value = 0.0 if interval is None and not since else None
        else:
            try:
                base, step = at(since, depth + 1), float(interval)
            except ValueError:
                return None
            value = None if base is None else base + step
        if value is not None:
            out[key] = value
        return value

    for key in whens:
        at(key)  # type: ignore[arg-type]
    return out


def _people(root: Element) -> dict[str, Participant]:
    people: dict[str, Participant] = {}
    for person in root.iter(f"{TEI}person"):
        pid = person.get(XML_ID)
        name_node = person.find(f"{TEI}persName")
        name = re.sub(r"\s+", " ", "".join(name_node.itertext())).strip() if name_node is not None else ""
        if pid and name:
            role = _ROLES.get((person.get("role") or "").strip().casefold(), "participant")
            people[pid] = Participant(name, role)  # type: ignore[arg-type]
    return people


def _metadata(root: Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    title = _first(root, ".//tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title")
    if title is not None and "".join(title.itertext()).strip():
        meta["title"] = re.sub(r"\s+", " ", "".join(title.itertext())).strip()
    for path in (".//tei:teiHeader//tei:recordingStmt//tei:date", ".//tei:teiHeader//tei:sourceDesc//tei:date",
                 ".//tei:teiHeader//tei:publicationStmt/tei:date"):
        date = _first(root, path)
        if date is not None and (date.get("when") or "".join(date.itertext()).strip()):
            meta["date"] = (date.get("when") or "".join(date.itertext())).strip()
            break
    lang = _first(root, ".//tei:teiHeader//tei:langUsage/tei:language")
    if lang is not None and lang.get("ident"):
        meta["language"] = str(lang.get("ident"))
    media = _first(root, ".//tei:teiHeader//tei:recordingStmt//tei:media")
    if media is not None and media.get("url"):
        meta["media"] = str(media.get("url"))
    return meta


def parse(source: Source) -> Parsed:
    try:
        root = SafeET.fromstring(source.data)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as e:
        raise ValueError(f"not well-formed XML: {e}") from None
    if _local(root.tag) not in ("TEI", "teiCorpus"):
        raise ValueError("the root element is not <TEI>")
    people = _people(root)
    times = _timeline(root)
    body = _first(root, ".//tei:text")
    if body is None:
        raise ValueError("no <text> element")
    turns: list[Said] = []
    in_speeches = {id(x) for sp in body.iter(f"{TEI}sp") for x in sp.iter() if x is not sp}
    for node in body.iter():
        tag = _local(node.tag)
        if tag == "u" and id(node) not in in_speeches:
            who = (node.get("who") or "").split()[0].lstrip("#") if node.get("who") else ""
            speaker = people[who].name if who in people else (who or None)
            begin = times.get((node.get("start") or "").lstrip("#"))
            end = times.get((node.get("end") or "").lstrip("#"))
            turns.append(Said(speaker, [Piece(_words(node), begin, end)]))
        elif tag == "sp":
            label = node.find(f"{TEI}speaker")
            who = (node.get("who") or "").split()[0].lstrip("#") if node.get("who") else ""
            named = re.sub(r"\s+", " ", "".join(label.itertext()) if label is not None else "").strip(" :")
            speaker = named or (people[who].name if who in people else who) or None
            turns.append(Said(speaker, [Piece(_words(node))]))
    text, raw = render(turns)
    if not raw:
        raise ValueError("no <u> or <sp> with words in <text>")
    return Parsed(text, raw, _metadata(root), tuple(people.values()))
