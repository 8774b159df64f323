"""The one data model that flows through every stage.

Interview -> Turn -> Sentence -> Mention, then Entity across interviews.

All offsets are Unicode code-point indices, half-open ``[start, end)``, into
``Interview.text`` (the NFC-normalised transcript).  Every span type can check
itself against that text, which is the invariant the tests and the SHACL
shapes rely on: ``interview.text[m.start:m.end] == m.text``.

For a text file, ``Interview.text`` is the decoded file with its markup
blanked (`kg.ingest.markup`): Markdown and HTML markup, stage directions
("(rires)") and anonymisation markers ("[NOM]") are replaced by spaces of the
same length, line breaks kept.  So an offset is also an offset into the source
file (decoded from its charset, NFC, HTML character references such as
``&eacute;`` written as their characters): a quote is the file's own characters
at that place, with markup shown as spaces, and no separate offset map is needed.  The source's
bytes and ``checksum`` are those of the file as it is.  Subtitles and .docx
files are rendered to text first; their offsets refer to that rendering.

The classes are frozen so a stage returns new objects instead of mutating the
ones it was given; ``dataclasses.replace`` is the way to derive a changed copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["interviewer", "interviewee", "participant"]
EntityType = Literal["Person", "Organisation", "Tool", "Work", "Place", "Concept"]
ENTITY_TYPES: tuple[EntityType, ...] = ("Person", "Organisation", "Tool", "Work", "Place", "Concept")


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone who speaks in an interview, as named in its metadata or turn labels."""

    name: str
    role: Role = "participant"
    labels: tuple[str, ...] = ()
    """Speaker labels seen in the transcript for this person ("Nicolas", "NB")."""
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of transcript text that names something."""

    start: int
    end: int
    text: str
    label: str
    """Type proposed by the extractor (one of ENTITY_TYPES once cleaned)."""
    score: float = 1.0
    source: str = ""
    """Which extractor proposed it: "ner:fr_core_news_md", "vocab", "pattern"..."""
    key: str = ""
    """A resolution hint set by the extractor (a vocabulary entry id), else empty."""


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker's uninterrupted contribution.

    ``speaker`` is the resolved full name (or None when unknown);
    ``label`` is what the transcript wrote before the text.  A turn with
    ``kind == "note"`` holds free text from the metadata (an abstract, a
    description, a front-matter title or bio) that is worth mining but was not
    spoken; its offsets point at the value's own characters in the file.
    """

    index: int
    start: int
    end: int
    text: str
    speaker: str | None = None
    label: str | None = None
    kind: Literal["speech", "note"] = "speech"
    timestamp: str | None = None
    sentences: tuple[Sentence, ...] = ()
    start_time: float | None = None
    """Seconds into the recording where the turn starts, when the transcript gives times (`kg.timecodes`)."""
    end_time: float | None = None
    """Seconds where it ends: a cue's end, or the next timed turn's start; None when unknown."""
    times: tuple[tuple[int, float], ...] = ()
    """Time anchors inside the turn: (offset into ``Interview.text``, seconds), by offset.  A sentence's
    times are interpolated between them by character position (`kg.timecodes.span_time`)."""


@dataclass(frozen=True, slots=True)
class Interview:
    id: str
    text: str
    """The transcript text that every offset indexes: the decoded file, markup blanked (see the module doc)."""
    turns: tuple[Turn, ...]
    source_path: str = ""
    source_format: str = ""
    title: str | None = None
    date: str | None = None
    language: str | None = None
    participants: tuple[Participant, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"
    checksum: str = ""
    """sha256 of the source file's bytes, for provenance and caching."""
    warnings: tuple[str, ...] = ()
    marked: tuple[tuple[int, int], ...] = ()
    """Spans of ``text`` the source's markup sets apart (a link's text, italics, underlining): mostly names
    and titles, a cue for extraction."""
    media: str | None = None
    """The recording, as the metadata names it (``Audio:``, ``media:``) or as ``--media DIR`` found it;
    once outputs are written, a path relative to the output folder (`kg.media`)."""

    def participant(self, name: str | None) -> Participant | None:
        for p in self.participants:
            if p.name == name:
                return p
        return None

    @property
    def mentions(self) -> tuple[Mention, ...]:
        return tuple(m for t in self.turns for s in t.sentences for m in s.mentions)


@dataclass(frozen=True, slots=True)
class MentionRef:
    """Where an entity was mentioned: enough to find the quote again."""

    interview: str
    turn: int
    sentence: int
    mention: Mention


@dataclass(frozen=True, slots=True)
class AuthorityMatch:
    """A candidate a reconciliation service gave for an entity (`kg.link`): accepted, or kept for review."""

    iri: str
    """The candidate's IRI in the authority (the service's identifier space + its id)."""
    name: str
    score: float
    """The service's score, on a 0-100 scale."""
    service: str
    """The URL of the service that proposed it."""


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    """Stable key ("tool/stylegan"); also the tail of the entity's IRI."""
    type: EntityType
    label: str
    alt_labels: tuple[str, ...] = ()
    mentions: tuple[MentionRef, ...] = ()
    confidence: float = 1.0
    same_as: tuple[str, ...] = ()
    """Reviewed external identifiers (Wikidata IRIs)."""
    speaker_of: tuple[str, ...] = ()
    """Interview ids where this person speaks."""
    review: str = "unreviewed"
    """What a curator made of it (`kg.curation`): "unreviewed", "checked" (seen, right) or "corrected"."""
    links: tuple[str, ...] = ()
    """Authority IRIs a curator attached (Wikidata, VIAF, IdRef, ORCID, GeoNames): skos:exactMatch."""
    matches: tuple[AuthorityMatch, ...] = ()
    """Authority links a reconciliation service gave and kg accepted (`kg.link`): skos:exactMatch too."""
    suggestions: tuple[AuthorityMatch, ...] = ()
    """A service's candidates kg did not accept, best first, for a curator to review (`kg.link`)."""
    counts: tuple[tuple[str, int], ...] = ()
    """(interview id, how many mentions) where a public edition keeps the count but not the text (`kg.consent`,
    ``keep: counts``): the mentions themselves are not in ``mentions``, since nothing of their text is published."""
    occupation: str = ""
    """A person's occupation or role as a curator gave it ("designer"; `kg.curation`), empty where unknown: kg reads
    none from the transcripts.  In the RDF as schema:jobTitle; sent to reconciliation services (`kg.link.context`)."""

    @property
    def interviews(self) -> tuple[str, ...]:
        seen = dict.fromkeys([r.interview for r in self.mentions] + list(self.speaker_of))
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class KnowledgeGraph:
    """The result of a build: interviews with their mentions, and resolved entities."""

    interviews: tuple[Interview, ...]
    entities: tuple[Entity, ...]
    provenance: Mapping[str, str] = field(default_factory=dict)

    def entity(self, entity_id: str) -> Entity | None:
        for e in self.entities:
            if e.id == entity_id:
                return e
        return None

    def entities_of_type(self, type_: EntityType) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.type == type_)
