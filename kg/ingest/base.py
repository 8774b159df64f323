"""What a format parser returns: text plus turn spans and metadata, before resolution.

Format modules only find structure; `kg.ingest.read_transcript` then resolves
speakers, detects the language and freezes everything into an `Interview`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from ..model import Participant


@dataclass(frozen=True, slots=True)
class RawTurn:
    start: int
    end: int
    label: str | None
    timestamp: str | None = None
    kind: Literal["speech", "note"] = "speech"
    times: tuple[tuple[int, float], ...] = ()
    """Time anchors the format itself gives (subtitle cues, speech-to-text segments): (offset, seconds)."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """A transcript's structure: offsets in ``turns`` index into ``text``."""

    text: str
    turns: tuple[RawTurn, ...]
    metadata: dict[str, str] = field(default_factory=dict)
    participants: tuple[Participant, ...] = ()
    warnings: tuple[str, ...] = ()
    marked: tuple[tuple[int, int], ...] = ()
    """Spans of ``text`` the markup set apart (`kg.ingest.markup.Reading.marked`)."""


class Source(Protocol):
    """A transcript file as read: its path, raw bytes and decoded, NFC-normalised text."""

    @property
    def path(self) -> Path: ...

    @property
    def data(self) -> bytes: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True, slots=True)
class TranscriptFormat:
    """A registered transcript format.

    ``sniff`` looks at a decoded source and says whether the format fits;
    ``parse`` returns its structure.  Formats are tried in registry order,
    so put specific formats before general ones.
    """

    name: str
    description: str
    sniff: Callable[[Source], bool]
    parse: Callable[[Source], Parsed]
    extensions: tuple[str, ...] = ()
    markup: bool = False
    """The text may hold HTML: its character references are decoded before ``parse`` reads it
    (`kg.ingest.markup.decode_references`), so offsets count the characters they stand for."""
