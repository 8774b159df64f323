"""Transcripts saved as a table (.csv, .tsv): a row per segment, with columns for the speaker, the words and times.

Transcription services and annotation tools export their segments so
(``Speaker,Start,End,Text``; ELAN's tab-delimited text with a header row).
Columns are found by their header's name, in English or French (`TEXT`,
`SPEAKER`, `START`, `END`); a table without a text column is no transcript.
Consecutive rows of one speaker make a turn, and the text is rendered as
``Name: text`` paragraphs (`kg.ingest.rendered`), each row's times anchoring
its words, as for Whisper JSON (`kg.ingest.whisper`).  Times are read as
seconds (``12.5``), clock times (``00:00:12.500``, ``00:12``) or, where the
header says so (``Start (ms)``), milliseconds.
"""

from __future__ import annotations

import csv
import io
import re

from .base import Parsed, Source
from .rendered import Piece, Said, render
from .timing import seconds as clock_seconds

TEXT = frozenset({"text", "texte", "transcript", "transcription", "utterance", "content", "contenu", "speech",
                  "paroles", "propos", "verbatim", "annotation", "dialogue", "sentence", "phrase", "words", "segment"})
SPEAKER = frozenset({"speaker", "speaker name", "name", "who", "participant", "voice", "tier", "locuteur",
                     "locutrice", "intervenant", "intervenante", "interlocuteur", "personne", "nom", "qui"})
START = frozenset({"start", "start time", "begin", "begin time", "from", "in", "time", "timecode", "timestamp",
                   "début", "debut", "temps", "heure", "horodatage"})
END = frozenset({"end", "end time", "stop", "to", "out", "fin"})
EXTENSIONS = (".csv", ".tsv")


def _key(header: str) -> tuple[str, bool]:
    """A column's name made plain, and whether it says milliseconds: "Start (ms)" -> ("start", True)."""
    name = header.strip().strip("\ufeff").casefold().replace("_", " ").split(" - ")[0]  # ELAN: "Begin Time - hh:mm"
    millis = bool(re.search(r"\(\s*ms\s*\)|\bms\b|millis", name))
    name = re.sub(r"\((?:[^()]*)\)", "", name)
    name = re.sub(r"\b(?:ms|s|sec|secs|seconds|millis|milliseconds)\b", "", name)
    return re.sub(r"\s+", " ", name).strip(), millis


def _rows(text: str) -> list[list[str]]:
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]


def _column(header: list[tuple[str, bool]], names: frozenset[str]) -> int | None:
    return next((i for i, (name, _) in enumerate(header) if name in names), None)


def columns(first_line: str) -> bool:
    """Whether a table's header row names a text column: what makes a .csv or .tsv file a transcript."""
    rows = _rows(first_line)
    return bool(rows) and _column([_key(c) for c in rows[0]], TEXT) is not None


def sniff(source: Source) -> bool:
    return source.path.suffix.lower() in EXTENSIONS


def _time(value: str, millis: bool) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value.replace(",", ".")) if ":" not in value else None
    except ValueError:
        return None
    if number is not None:
        return number / 1000 if millis else number if number >= 0 else None
    return clock_seconds(value)


def parse(source: Source) -> Parsed:
    rows = _rows(source.text.lstrip("\ufeff"))
    if not rows:
        raise ValueError("no rows to read")
    header = [_key(c) for c in rows[0]]
    text_at = _column(header, TEXT)
    if text_at is None:
        raise ValueError(f"no text column in the header ({', '.join(c for c in rows[0] if c.strip())}); "
                         f"name the column of the words 'text'")
    speaker_at, start_at, end_at = (_column(header, names) for names in (SPEAKER, START, END))
    turns: list[Said] = []
    for row in rows[1:]:
        cell = row + [""] * (len(header) - len(row))
        start, end = (_time(cell[at], header[at][1]) if at is not None else None for at in (start_at, end_at))
        speaker = cell[speaker_at].strip() or None if speaker_at is not None else None
        if not turns or (speaker is not None and speaker != turns[-1].speaker):
            turns.append(Said(speaker))
        turns[-1].pieces.append(Piece(cell[text_at], start, end))
    text, raw = render(turns)
    if not raw:
        raise ValueError("its rows hold no text")
    return Parsed(text, raw, {})
