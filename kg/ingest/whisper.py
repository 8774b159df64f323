"""Speech-to-text JSON: timed segments, and speakers once diarised (Whisper, WhisperX and the transcription APIs).

openai-whisper writes ``{"text", "segments": [{"start", "end", "text"}], "language"}``;
WhisperX adds a ``speaker`` to each diarised segment (``SPEAKER_00``) and word
timings, which kg does not need: a segment's own start and end anchor its
words, and a quote inside it is timed by character position.  Consecutive
segments of one speaker make one turn; a segment without a speaker continues
the current turn.  A bare list of segments is read too.

The transcription services' JSON is read the same way, its segments found
where each puts them (`_pieces`): AssemblyAI's ``utterances`` (times in
milliseconds), Deepgram's ``results.utterances`` (or its paragraphs' sentences),
Rev.ai's ``monologues`` (their elements joined), Amazon Transcribe's
``results.audio_segments`` (or, undiarised, its transcript) and Google
Speech-to-Text's ``results`` (alternatives, untimed but for their end).  Word
lists are left aside: the segments hold the same words, with punctuation.
"""

from __future__ import annotations

import json
from typing import Any

from .base import Parsed, Source
from .rendered import Piece, Said, render

Segment = tuple[str | None, str, float | None, float | None]
"""(speaker, text, start, end): one timed piece of speech, in seconds."""


def _segments(data: Any) -> list[dict[str, Any]] | None:
    """The segment list of a Whisper-like document, or None when it is not one."""
    found = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(found, list) or not found:
        return None
    if not all(isinstance(s, dict) and "text" in s and "start" in s for s in found[:20]):
        return None
    return found


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _at(value: Any, scale: float = 1.0) -> float | None:
    """A time in seconds: a number (``scale`` for milliseconds), a numeric string (Amazon's), or "12.5s" (Google's)."""
    if isinstance(value, str):
        try:
            value = float(value.strip().removesuffix("s"))
        except ValueError:
            return None
    found = _seconds(value)
    return None if found is None else found * scale


def _name(value: Any) -> str | None:
    """A speaker as a label: "A", "spk_0", or a number (Deepgram's, Rev.ai's) as "Speaker 0"."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"Speaker {value}"
    text = str(value).strip()
    return text or None


def _pieces(data: Any) -> list[Segment] | None:
    """The document's speech, segment by segment, whichever service wrote it; None when it is none of them."""
    segments = _segments(data)
    if segments is not None:  # Whisper, WhisperX, a bare list of segments
        return [(_name(s.get("speaker")), str(s.get("text") or ""), _at(s.get("start")), _at(s.get("end")))
                for s in segments]
    if not isinstance(data, dict):
        return None
    if utterances := _dicts(data.get("utterances")):  # AssemblyAI: milliseconds
        return [(_name(u.get("speaker")), str(u.get("text") or ""), _at(u.get("start"), 0.001),
                 _at(u.get("end"), 0.001)) for u in utterances if "text" in u]
    if monologues := _dicts(data.get("monologues")):  # Rev.ai
        out: list[Segment] = []
        for m in monologues:
            elements = _dicts(m.get("elements"))
            timed = [e for e in elements if e.get("ts") is not None]
            out.append((_name(m.get("speaker_name") or m.get("speaker")),
                        "".join(str(e.get("value") or "") for e in elements),
                        _at(timed[0].get("ts")) if timed else None, _at(timed[-1].get("end_ts")) if timed else None))
        return out
    results = data.get("results")
    if isinstance(results, dict) and (utterances := _dicts(results.get("utterances"))):  # Deepgram, diarised
        return [(_name(u.get("speaker")), str(u.get("transcript") or ""), _at(u.get("start")), _at(u.get("end")))
                for u in utterances]
    if isinstance(results, dict) and (channels := _dicts(results.get("channels"))):  # Deepgram
        best = (_dicts(channels[0].get("alternatives")) or [{}])[0]
        paragraphs = _dicts((best.get("paragraphs") or {}).get("paragraphs"))
        if paragraphs:
            return [(_name(p.get("speaker")), str(s.get("text") or ""), _at(s.get("start")), _at(s.get("end")))
                    for p in paragraphs for s in _dicts(p.get("sentences"))]
        return [(None, str(best.get("transcript") or ""), None, None)] if "transcript" in best else None
    if isinstance(results, dict) and (segments := _dicts(results.get("audio_segments"))):  # Amazon Transcribe
        return [(_name(s.get("speaker_label")), str(s.get("transcript") or ""), _at(s.get("start_time")),
                 _at(s.get("end_time"))) for s in segments]
    if isinstance(results, dict) and (transcripts := _dicts(results.get("transcripts"))):  # Amazon, undiarised
        return [(None, str(t.get("transcript") or ""), None, None) for t in transcripts]
    if (found := _dicts(results)) and all("alternatives" in r for r in found):  # Google Speech-to-Text
        return [(None, str((_dicts(r.get("alternatives")) or [{}])[0].get("transcript") or ""), None,
                 _at(r.get("resultEndTime") or r.get("result_end_time"))) for r in found]
    return None


def sniff(source: Source) -> bool:
    """A .json file is claimed whatever it holds, so that a broken one is an error naming it, not plain text."""
    if source.path.suffix.lower() == ".json":
        return True
    if source.text.lstrip("\ufeff").lstrip()[:1] not in ("{", "["):
        return False
    try:
        return _pieces(json.loads(source.text.lstrip("\ufeff"))) is not None
    except ValueError:
        return False


def _seconds(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else None


def parse(source: Source) -> Parsed:
    try:
        data = json.loads(source.text.lstrip("\ufeff"))
    except ValueError as e:
        raise ValueError(f"not valid JSON: {e}") from None
    pieces = _pieces(data)
    if pieces is None:
        raise ValueError("no speech-to-text segments (Whisper's 'segments', or AssemblyAI, Deepgram, Rev.ai, Amazon "
                         "Transcribe or Google Speech-to-Text results)")
    turns: list[Said] = []
    for speaker, text, start, end in pieces:
        if not turns or (speaker is not None and speaker != turns[-1].speaker):
            turns.append(Said(speaker))
        turns[-1].pieces.append(Piece(text, start, end))
    text, raw = render(turns)
    metadata: dict[str, str] = {}
    language = (data.get("language") or data.get("language_code")) if isinstance(data, dict) else None
    if isinstance(language, str) and language.strip():  # "fr", or AssemblyAI's "en_us"
        metadata["language"] = language.strip().split("_")[0].split("-")[0]
    if not raw:
        raise ValueError("its segments hold no text")
    return Parsed(text, raw, metadata)
