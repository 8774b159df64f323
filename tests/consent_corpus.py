"""Hand-made graphs for the consent tests: interviews whose names sit where a test put them, no model needed."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from slugify import slugify

from kg.model import Entity, Interview, KnowledgeGraph, Mention, MentionRef, Participant, Sentence, Turn

Piece = tuple[str, str | None]
"""A piece of a sentence: its text, and the label of the person entity it names (None: plain words)."""


def fabricate(interviews: Sequence[tuple[str, Sequence[tuple[str, Sequence[Sequence[Piece]]]]]],
              speakers: Sequence[tuple[str, str]] = ()) -> KnowledgeGraph:
    """A graph of ``interviews``: (id, turns), a turn being (speaker, sentences), a sentence its pieces.

    ``speakers`` are (name, label) of the participants of every interview; each named piece becomes a
    mention of the person entity of that label, offsets exact.
    """
    refs: dict[str, list[MentionRef]] = {}
    out = []
    for iv_id, turns in interviews:
        text = ""
        built = []
        for index, (speaker, sentences) in enumerate(turns, start=1):
            label = next((lab for name, lab in speakers if name == speaker), speaker)
            text += f"{label}: "
            start = len(text)
            sents = []
            for si, pieces in enumerate(sentences, start=1):
                s_start = len(text)
                mentions = []
                for piece, entity in pieces:
                    if entity is not None:
                        m = Mention(len(text), len(text) + len(piece), piece, "Person")
                        mentions.append(m)
                        refs.setdefault(entity, []).append(MentionRef(iv_id, index, si, m))
                    text += piece
                sents.append(Sentence(s_start, len(text), text[s_start:], tuple(mentions)))
                text += " "
            text = text[:-1] if sents else text
            built.append(Turn(index, start, len(text), text[start:], speaker=speaker, label=label,
                              sentences=tuple(sents)))
            text += "\n\n"
        participants = tuple(Participant(name, "interviewee", (lab,)) for name, lab in speakers)
        checksum = hashlib.sha256(text.encode()).hexdigest()  # each interview its own, as a build gives it
        out.append(Interview(iv_id, text, tuple(built), source_path=f"/corpus/{iv_id}.txt", source_format="plain",
                             title=iv_id, language="fr", participants=participants, checksum=checksum))
    entities = tuple(Entity(f"person/{slugify(label)}", "Person", label,
                            tuple(dict.fromkeys(r.mention.text for r in rs if r.mention.text != label)), tuple(rs))
                     for label, rs in refs.items())
    return KnowledgeGraph(tuple(out), entities, {"setup": "test", "build_id": "test", "kg_version": "test",
                                                 "time": "2026-01-01T00:00:00Z"})
