"""Ingestion: read transcript files of any common shape into `Interview` objects.

``read_transcript(path)`` decodes the file (UTF-8, UTF-8 with BOM, cp1252,
latin-1, saying which), normalises it to NFC, sniffs its format (or takes the
one forced with ``format=``), finds turns, blanks markup and transcript
markers in place (`kg.ingest.markup`: same length, so offsets stay those of
the file), ties speaker labels to the people named in the metadata and
settles the language.  Formats live in a registry;
add one with ``FORMATS.register(name, TranscriptFormat(...))``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, TranscriptFormatError, UnknownNameError
from ..model import Interview, Turn
from ..registry import Registry
from ..text import capitals, id_slug, in_lower_case
from .base import Parsed, RawTurn, TranscriptFormat
from .chars import strip_span
from .markup import blank_markers, decode_references
from .metadata import normalise_language, resolve_speakers
from .timing import turn_anchors

if TYPE_CHECKING:  # lingua is imported only when a language is detected
    from lingua import LanguageDetector

__all__ = ["FORMATS", "SUPPORTED_LANGUAGES", "TEXT_EXTENSIONS", "UNREADABLE", "discover", "load_source",
           "read_transcript", "unreadable"]

SUPPORTED_LANGUAGES = ("fr", "en")
TEXT_EXTENSIONS = (".txt", ".md", ".markdown", ".text", ".html", ".htm", ".vtt", ".srt", ".sbv", ".docx", ".odt",
                   ".pdf", ".rtf", ".csv", ".tsv", ".json", ".xml", ".tei")
BINARY_FORMATS = ("docx", "odt", "pdf")
"""Formats read from the file's bytes, not from decoded text: ``SourceFile.encoding`` names the format."""

FORMATS: Registry[TranscriptFormat] = Registry("transcript format", "--format")
for _name in ("odt", "docx", "pdf", "rtf", "table", "whisper", "tei", "ohms", "vtt", "srt", "sbv", "segments", "cms",
              "qa", "timestamped", "plain"):
    FORMATS.register(_name, f"kg.ingest.formats:{_name.upper()}")


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    data: bytes
    text: str
    encoding: str


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders (recursively, skipping hidden entries) into transcript paths."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputError(f"{p}: no such file or folder; check the path")
        if p.is_dir():
            inside = sorted(
                f for f in p.rglob("*")
                if f.is_file()
                and not any(_hidden(part) for part in f.relative_to(p).parts)
                and f.suffix.lower() in TEXT_EXTENSIONS
                and _transcript_like(f)
            )
            if not inside and (left := unreadable([p])):
                raise InputError(f"{p}: holds only documents kg cannot read ({len(left)}, such as {left[0].name}: "
                                 f"{UNREADABLE[left[0].suffix.lower()]}); save them as .docx, .odt or .txt")
            if not inside:
                raise InputError(
                    f"{p}: no transcripts found (looked for {', '.join(TEXT_EXTENSIONS)} files); "
                    "point kg at a folder of transcripts"
                )
            found.extend(inside)
        else:
            found.append(p)
    return list(dict.fromkeys(found))


UNREADABLE = {".doc": "Word 97-2003", ".pages": "Apple Pages", ".wpd": "WordPerfect", ".wps": "Microsoft Works"}
"""Documents transcripts are kept in that kg cannot read: named in a warning, not passed over in silence."""


def unreadable(paths: Iterable[str | Path]) -> list[Path]:
    """The documents inside the folders of ``paths`` that `discover` leaves out because kg cannot read them."""
    return sorted(
        f for raw in paths if (p := Path(raw)).is_dir() for f in p.rglob("*")
        if f.suffix.lower() in UNREADABLE and f.is_file() and not any(_hidden(x) for x in f.relative_to(p).parts)
    )


def _transcript_like(path: Path) -> bool:
    """A .json or .xml file in a folder is read only when it looks like a transcript (Whisper segments,
    TEI, OHMS), and an .html file unless kg drew it: folders hold other JSON and XML (a build's
    summary.json, settings) and a build's own page, which are not transcripts."""
    suffix = path.suffix.lower()
    if suffix not in (".json", ".xml", ".html", ".htm", ".csv", ".tsv"):
        return True
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return True  # reading it will say why
    if suffix in (".csv", ".tsv"):  # a table with a text column, not a data table (a build's nodes.csv)
        from .table_format import columns

        return columns(head.split(b"\n", 1)[0].decode("utf-8", "replace"))
    if suffix in (".html", ".htm"):
        return _KG_PAGE not in head  # a build's own graph.html, when --out lies inside the folder read
    return (any(key in head for key in _SPEECH_KEYS) or head.lstrip()[:1] == b"[") if suffix == ".json" else (
        b"tei-c.org/ns" in head or b"nunncenter/ohms" in head or b"<ROOT" in head and b"<transcript" in head)


_SPEECH_KEYS = (b'"segments"', b'"utterances"', b'"monologues"', b'"audio_segments"', b'"alternatives"')
"""What speech-to-text JSON holds its speech under (`kg.ingest.whisper`): a .json file without any is no transcript."""
_KG_PAGE = b'<meta name="generator" content="kg '
"""What the pages kg draws say of themselves (`kg/page/assets/page.html`)."""


def _hidden(name: str) -> bool:
    """Dot files, and the ``~$name.docx`` lock files Word leaves next to open documents."""
    return name.startswith((".", "~$")) or name.endswith("~")


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decode with the first encoding that fits, and name it: UTF-16 (by BOM), UTF-8, cp1252, latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(f"{path}: starts like UTF-16 but does not decode as UTF-16; re-save it as UTF-8") from None
    if data.startswith(_OLE):
        raise InputError(f"{path}: is a Word 97-2003 document (or another of that era), which kg cannot read; "
                         "save it as .docx or .odt")
    if b"\x00" in data[:8192] or data.startswith(_BINARY_MAGIC):
        raise InputError(f"{path}: looks like a binary file, not a transcript; pass a text, subtitle or .docx file")
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8-sig":
            return text, "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        return text, enc
    raise InputError(f"{path}: cannot decode the text")  # pragma: no cover - latin-1 decodes all bytes


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The signature of the compound documents of Office 97-2003 (.doc, .xls, .ppt)."""
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"ID3", b"OggS", b"fLaC", b"RIFF")
"""File signatures of formats people drop next to transcripts (PDF, images, archives, audio)."""


def _mostly_control(text: str) -> bool:
    """True for decoded bytes that are not text: many control characters besides tabs and newlines."""
    sample = text[:8192]
    bad = len(_CONTROL.findall(sample))
    return bad > 0.05 * len(sample)


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc, a fixed set) but tabs and line breaks."""


def load_source(path: str | Path) -> SourceFile:
    """Read and decode a file; raise `InputError` for what cannot be a transcript."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file; check the path")
    if p.is_dir():
        raise InputError(f"{p}: is a folder; pass files or use the folder as INPUT")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"{p}: cannot be read ({e.strerror}); check its permissions") from None
    if not data.strip():
        raise InputError(f"{p}: is empty; remove it or add the transcript text")
    if p.suffix.lower() in (".docx", ".odt") or data.startswith(b"PK\x03\x04"):
        kind = "odt" if p.suffix.lower() == ".odt" or b"opendocument.text" in data[:100] else "docx"
        return SourceFile(p, data, "", kind)
    if p.suffix.lower() == ".pdf" or data.startswith(b"%PDF-"):
        return SourceFile(p, data, "", "pdf")
    text, encoding = _decode(p, data)
    if _mostly_control(text):
        raise InputError(f"{p}: looks like a binary file, not a transcript; pass a text, subtitle or .docx file")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise InputError(f"{p}: is empty; remove it or add the transcript text")
    return SourceFile(p, data, text, encoding)


def sniff_format(source: SourceFile) -> TranscriptFormat:
    for name in FORMATS.names():
        fmt = FORMATS.get(name)
        if fmt.sniff(source):
            return fmt
    raise TranscriptFormatError(  # pragma: no cover - plain accepts everything
        f"{source.path}: format not recognised; force one with --format ({', '.join(FORMATS.names())})"
    )


def detect_language(text: str) -> str | None:
    """The language of a text among the supported ones, or None when undecidable."""
    from lingua import Language, LanguageDetectorBuilder

    global _DETECTOR
    if _DETECTOR is None:
        _DETECTOR = LanguageDetectorBuilder.from_languages(Language.FRENCH, Language.ENGLISH).build()
    lang = _DETECTOR.detect_language_of(text[:5000])
    return {"FRENCH": "fr", "ENGLISH": "en"}.get(lang.name) if lang else None


_DETECTOR: LanguageDetector | None = None


def read_transcript(
    path: str | Path, *, format: str | None = None, language: str | None = None
) -> Interview:
    """Read one transcript file into an `Interview` (turns found, sentences not yet split).

    ``format`` forces a registered format; ``language`` overrides metadata and detection.
    """
    if language is not None:
        code = normalise_language(language)
        if code not in SUPPORTED_LANGUAGES:
            raise UnknownNameError(
                f"unknown language {language!r}; use --lang with one of: {', '.join(SUPPORTED_LANGUAGES)}"
            )
        language = code
    fmt_forced = FORMATS.get(format) if format else None
    source = load_source(path)
    fmt = fmt_forced or sniff_format(source)
    if source.encoding in BINARY_FORMATS and fmt.name != source.encoding:
        raise TranscriptFormatError(f"{source.path}: is a .{source.encoding} file, not {fmt.name}; "
                                    f"leave --format out or use --format {source.encoding}")
    if fmt.markup:
        source = replace(source, text=decode_references(source.text))
    try:
        parsed = fmt.parse(source)
    except (ValueError, KeyError) as e:
        raise TranscriptFormatError(f"{source.path}: not a valid {fmt.name} transcript ({e}); check --format") from None
    return _to_interview(source, fmt.name, parsed, language)


def _to_interview(source: SourceFile, format_name: str, parsed: Parsed, language: str | None) -> Interview:
    # Stage directions and anonymisation markers are blanked like markup: same length, offsets kept.
    text = blank_markers(parsed.text)
    warnings = list(parsed.warnings)
    if source.encoding not in ("utf-8", *BINARY_FORMATS):
        warnings.append(f"decoded as {source.encoding}")
    _warn_markup(source, text, warnings)
    raw_turns = _settle_turns(source, text, parsed, warnings)
    _warn_bare_speech([text[t.start:t.end] for t in raw_turns if t.kind == "speech"], warnings)
    people, mapping = resolve_speakers(raw_turns, list(parsed.participants), text)
    meta = dict(parsed.metadata)
    lang = language or _language(meta.get("language"), " ".join(text[t.start:t.end] for t in raw_turns), warnings)
    anchors = turn_anchors(parsed.text, raw_turns)
    turns = tuple(
        Turn(
            index=i,
            start=t.start,
            end=t.end,
            text=text[t.start:t.end],
            speaker=mapping.get(t.label) if t.label else None,
            label=t.label,
            kind=t.kind,
            timestamp=t.timestamp,
            start_time=anchors[i - 1][0][1] if anchors[i - 1] and anchors[i - 1][0][0] == t.start else None,
            end_time=anchors[i - 1][-1][1] if anchors[i - 1] and anchors[i - 1][-1][0] == t.end else None,
            times=anchors[i - 1],
        )
        for i, t in enumerate(raw_turns, start=1)
    )
    interview_id = id_slug(str(meta.get("id") or source.path.stem)) or "interview"
    return Interview(
        id=interview_id,
        text=text,
        turns=turns,
        source_path=str(source.path),
        source_format=format_name,
        title=str(meta["title"]) if meta.get("title") else source.path.stem,
        date=str(meta["date"]) if meta.get("date") else None,
        language=lang,
        participants=tuple(people),
        metadata={k: str(v) for k, v in meta.items()},
        encoding=source.encoding,
        checksum=hashlib.sha256(source.data).hexdigest(),
        warnings=tuple(warnings),
        marked=parsed.marked,
        media=next((str(meta[k]).strip() for k in ("media", "audio", "video") if str(meta.get(k) or "").strip()), None),
    )


def _settle_turns(source: SourceFile, text: str, parsed: Parsed, warnings: list[str]) -> list[RawTurn]:
    """The turns trimmed to the blanked text and kept when not empty, with warnings.

    Turns are found on the raw text (labels keep their markup there); once markup
    and markers are blanked a turn may start or end with spaces, or hold nothing.
    A file with no speech but metadata prose is read with a warning; one with no
    text at all is an error.
    """
    turns = []
    for t in parsed.turns:
        s, e = strip_span(text, t.start, t.end)
        if e > s:
            turns.append(t if (s, e) == (t.start, t.end) else replace(t, start=s, end=e))
    speech = [t for t in turns if t.kind == "speech"]
    if speech and not any(t.label for t in speech):
        if len(speech) == 1:
            warnings.append("no speaker turns recognised; the text is read as one anonymous turn")
        else:
            warnings.append(f"speakers are not named; {len(speech)} turns are kept without speakers")
    if not turns:
        raise InputError(f"{source.path}: holds no transcript text; add the transcript or remove the file")
    if not speech:
        warnings.append("no speech found; only the metadata's prose is read")
    return turns


def _warn_markup(source: SourceFile, text: str, warnings: list[str]) -> None:
    """Say so when most of a file is markup (an HTML page, a template) rather than transcript."""
    if len(text) != len(source.text):
        return  # subtitles and .docx are rendered, not blanked in place: their timings are not markup
    before = len(source.text) - sum(map(str.isspace, source.text))
    after = len(text) - sum(map(str.isspace, text))
    if before >= 200 and after < 0.4 * before:
        warnings.append(f"mostly markup: {100 - round(100 * after / before)}% of the text is markup or markers, "
                        "blanked; check that this is a transcript")


UNPUNCTUATED_WORDS = 60
"""Words per sentence mark above which a transcript reads as unpunctuated: speech written with punctuation
holds one every 10 to 20 words; captions and ASR set to leave it out hold none for hundreds."""
_SENTENCE_MARKS = re.compile(r"[.?!…。？！]")


def _warn_bare_speech(speech: list[str], warnings: list[str]) -> None:
    """Say so when the speech is written with next to no punctuation or no capitals (automatic captions, some ASR
    exports).

    Extraction reads such a file, but its sentences run on: two names said in a
    row ("YouTube Adam Block") read as one, and each quote is a whole turn.
    """
    words = [w for t in speech for w in t.split()]
    marks = sum(len(_SENTENCE_MARKS.findall(t)) for t in speech)
    if len(words) >= 200 and len(words) > UNPUNCTUATED_WORDS * max(marks, 1):
        per = f"one sentence mark per {len(words) // marks} words" if marks else "no sentence marks"
        warnings.append(f"almost no punctuation ({per}): names said in a row may be read as one and quotes run "
                        "long; a punctuated transcript (most ASR tools have a setting for it) extracts better")
    if in_lower_case(speech):
        capitalised, counted = capitals(speech)
        warnings.append(f"almost no capital letters ({capitalised} in {counted} words): names are found mostly by "
                        "their capitals, so few will be; a transcript with them (most ASR tools write them) "
                        "extracts far better")


def _language(declared: str | None, spoken: str, warnings: list[str]) -> str:
    """The metadata's language when it is a supported one, else the detected one."""
    lang = normalise_language(declared)
    if lang is not None:
        return lang
    if declared:
        warnings.append(f"metadata language {declared!r} is not supported ({', '.join(SUPPORTED_LANGUAGES)})")
    detected = detect_language(spoken)
    if detected is None:
        warnings.append(f"language not detected; assuming {SUPPORTED_LANGUAGES[0]} (set it with --lang)")
        return SUPPORTED_LANGUAGES[0]
    warnings.append(f"language detected as {detected}")
    return detected
