"""The built-in transcript formats, in sniffing order (specific before general).

Each entry names a module's ``sniff`` and ``parse``; `kg.ingest.FORMATS` imports
this module only when a format is first used.
"""

from __future__ import annotations

from . import cms, plain
from .base import Source, TranscriptFormat


def _lazy(module: str, attr: str):  # type: ignore[no-untyped-def]
    """Defer importing python-docx, pypdf, odfpy and the subtitle libraries until they are needed."""

    def call(source: Source):  # type: ignore[no-untyped-def]
        from importlib import import_module

        return getattr(import_module(f"kg.ingest.{module}"), attr)(source)

    return call


DOCX = TranscriptFormat("docx", "Word .docx: paragraphs, then turn detection as in plain text",
                        _lazy("docx_format", "sniff"), _lazy("docx_format", "parse"), (".docx",))
ODT = TranscriptFormat("odt", "OpenDocument .odt: paragraphs, then turn detection as in plain text",
                       _lazy("odt_format", "sniff"), _lazy("odt_format", "parse"), (".odt",))
PDF = TranscriptFormat("pdf", "PDF with a text layer: page furniture and line numbers removed, then as plain text",
                       _lazy("pdf_format", "sniff"), _lazy("pdf_format", "parse"), (".pdf",))
RTF = TranscriptFormat("rtf", "Rich Text Format .rtf: the text, then turn detection as in plain text",
                       _lazy("rtf_format", "sniff"), _lazy("rtf_format", "parse"), (".rtf",))
TABLE = TranscriptFormat("table", "a table of segments (.csv, .tsv): speaker, text and time columns by name",
                         _lazy("table_format", "sniff"), _lazy("table_format", "parse"), (".csv", ".tsv"))
WHISPER = TranscriptFormat("whisper", "speech-to-text JSON (Whisper, AssemblyAI, Deepgram, Rev.ai, Amazon, Google)",
                           _lazy("whisper", "sniff"), _lazy("whisper", "parse"), (".json",))
TEI = TranscriptFormat("tei", "TEI XML: <u who> utterances or <sp><speaker> speeches, teiHeader metadata, timeline",
                       _lazy("tei", "sniff"), _lazy("tei", "parse"), (".xml", ".tei"))
OHMS = TranscriptFormat("ohms", "OHMS XML: the transcript with its sync points, index keywords as topics",
                        _lazy("ohms", "sniff"), _lazy("ohms", "parse"), (".xml",))
VTT = TranscriptFormat("vtt", "WebVTT subtitles; <v Name> voice tags; cues merged into turns",
                       _lazy("subtitles", "sniff_vtt"), _lazy("subtitles", "parse_vtt"), (".vtt",))
SRT = TranscriptFormat("srt", "SRT subtitles; 'NAME:' or '- ' speaker changes; cues merged into turns",
                       _lazy("subtitles", "sniff_srt"), _lazy("subtitles", "parse_srt"), (".srt",))
SEGMENTS = TranscriptFormat("segments", "speech-to-text segment lines, '[00:00:01.000 --> 00:00:04.000] text' as "
                            "Whisper prints them; segments merged into turns as subtitle cues are",
                            _lazy("subtitles", "sniff_segments"), _lazy("subtitles", "parse_segments"))
SBV = TranscriptFormat("sbv", "YouTube SubViewer captions (.sbv); as WebVTT cues",
                       _lazy("subtitles", "sniff_sbv"), _lazy("subtitles", "parse_sbv"), (".sbv",))
CMS = TranscriptFormat("cms", "CMS export: 'Field: value' blocks separated by '----', a Transcript field",
                       cms.sniff, cms.parse, markup=True)
QA = TranscriptFormat("qa", "Q:/A: or Question :/Réponse : turns, roles named in metadata",
                      plain.sniff_qa, plain.parse, markup=True)
TIMESTAMPED = TranscriptFormat("timestamped", "turns with [00:01:02] Name:, Name (00:01:02):, or 00:01:02 Name lines",
                               plain.sniff_timestamped, plain.parse, markup=True)
PLAIN = TranscriptFormat("plain", "plain text or Markdown, **Name:** / Name: / NAME : turns, optional front matter",
                         plain.sniff, plain.parse, (".txt", ".md", ".html", ".htm"), markup=True)
