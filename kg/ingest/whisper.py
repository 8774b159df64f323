"""Whisper and WhisperX JSON: speech-to-text segments with times, and speakers once diarised.

openai-whisper writes ``{"text", "segments": [{"start", "end", "text"}], "language"}``;
WhisperX adds a ``speaker`` to each diarised segment (``SPEAKER_00``) and word
timings, which kg does not need: a segment's own start and end anchor its
words, and a quote inside it is timed by character position.  Consecutive
segments of one speaker make one turn; a segment without a speaker continues
the current turn.  A bare list of segments is read too.
"""

from __future__ import annotations

import json
from typing import Any

from .base import Parsed, Source
from .rendered import Piece, Said, render


def _segments(data: Any) -> list[dict[str, Any]] | None:
    """The segment list of a Whisper-like document, or None when it is not one."""
    found = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(found, list) or not found:
        return None
    if not all(isinstance(s, dict) and "text" in s and "start" in s for s in found[:20]):
        return None
    return found


def sniff(source: Source) -> bool:
    """A .json file is claimed whatever it holds, so that a broken one is an error naming it, not plain text."""
    if source.path.suffix.lower() == ".json":
        return True
    if source.text.lstrip("\ufeff").lstrip()[:1] not in ("{", "["):
        return False
    try:
        return _segments(json.loads(source.text.lstrip("\ufeff"))) is not None
    except ValueError:
        return False


def _seconds(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else None


def parse(source: Source) -> Parsed:
    try:
        data = json.loads(source.text.lstrip("\ufeff"))
    except ValueError as e:
        raise ValueError(f"not valid JSON: {e}") from None
    segments = _segments(data)
    if segments is None:
        raise ValueError("no Whisper segments (a 'segments' list of start/end/text objects)")
    turns: list[Said] = []
    for seg in segments:
        speaker = seg.get("speaker")
        speaker = str(speaker).strip() or None if speaker is not None else None
        piece = Piece(str(seg.get("text") or ""), _seconds(seg.get("start")), _seconds(seg.get("end")))
        if not turns or (speaker is not None and speaker != turns[-1].speaker):
            turns.append(Said(speaker))
        turns[-1].pieces.append(piece)
    text, raw = render(turns)
    metadata: dict[str, str] = {}
    if isinstance(data, dict) and isinstance(data.get("language"), str) and data["language"].strip():
        metadata["language"] = data["language"].strip()
    if not raw:
        raise ValueError("its segments hold no text")
    return Parsed(text, raw, metadata)
