"""A public edition of a built graph: the model edited as the consent file asks, before any writer sees it.

`public_edition` returns a new `KnowledgeGraph` in which closed interviews
(and restricted ones before their date) keep only their record (id, title,
date, language), and with ``keep: counts`` how many times they mention each
entity (`Entity.counts`, no text), withheld passages are cut, pseudonymised people are
replaced by their pseudonym in every string (text, quotes, labels, speaker
names, ids and so IRIs, provenance) and hidden people are cut with their
mentions.  Editing the model rather than the outputs means every writer (RDF,
page, summary) sees only the edited graph, and offsets are recomputed
against the edited text, so that ``text[m.start:m.end] == m.text`` still
holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace

from ..model import Entity, Interview, KnowledgeGraph, MentionRef, Participant, Sentence
from ..text import fold, id_slug
from .forms import Matcher, name_forms
from .profile import Consent, PersonConsent

CUT = "[…]"
"""What stands where a withheld passage or a hidden person's name was: that something is gone, not what."""
CUT_SLUG = "withheld"
ACCESS_RIGHTS = ("Public edition: made under the consent given by the people interviewed, in which content may be "
                 "withheld and people may be named by pseudonyms.")
"""What the edition says of itself (dcterms:accessRights): that it is one, not what was removed."""

Span = tuple[int, int]


@dataclass(frozen=True)
class Edition:
    graph: KnowledgeGraph
    forms: tuple[str, ...]
    """Every restricted form: the consent file's names and those the graph knows the same people by."""
    warnings: tuple[str, ...] = ()


def public_edition(kg: KnowledgeGraph, consent: Consent, *, today: dt.date) -> Edition:
    """The graph as the consent file allows it to be published, with the forms a leak check must look for."""
    people = _People(kg, consent)
    replacements: dict[str, str] = {}
    for person in consent.people:
        if person.restricted:
            stand_in = person.pseudonym if person.status == "pseudonymise" else CUT
            for form in name_forms(people.names(person)):
                replacements.setdefault(form, stand_in)
    editor = _Editor(Matcher(replacements), people)
    warnings = people.warnings() + _unknown_interviews(kg, consent)
    interviews, refs = [], {}
    counted: set[str] = set()  # closed interviews that keep how many times they mention each entity
    for iv in kg.interviews:
        entry = consent.interview(iv.id)
        if entry is not None and not entry.is_open(today):
            interviews.append(editor.record(iv))
            if entry.keep == "counts":
                counted.add(iv.id)
            continue
        withheld, said = _withheld(iv, consent)
        warnings += said
        edited, moved = editor.interview(iv, withheld)
        interviews.append(edited)
        refs.update(moved)
    entities = editor.entities(kg.entities, refs, {iv.id for iv in interviews if iv.turns}, counted)
    provenance = {key: editor.text(value) for key, value in kg.provenance.items()}
    provenance["edition"] = "public"
    provenance["access_rights"] = ACCESS_RIGHTS
    if "setup" in provenance:
        # what the chunk and page-part keys hash (`kg.rdf.reuse`): an edited consent file, or a restriction
        # that ended, must not reuse the bytes of the last edition
        opened = sorted(iv.id for iv in kg.interviews if (c := consent.interview(iv.id)) is None or c.is_open(today))
        provenance["setup"] = hashlib.sha256(f"{provenance['setup']}|public|{consent!r}|{opened}".encode()).hexdigest()
    graph = KnowledgeGraph(tuple(interviews), entities, provenance)
    return Edition(graph, tuple(replacements), tuple(warnings))


class _People:
    """Which entity and which participants each person of the consent file is, by their folded names."""

    def __init__(self, kg: KnowledgeGraph, consent: Consent) -> None:
        self.consent = consent
        by_name: dict[str, PersonConsent] = {}
        for person in consent.people:
            for name in (person.name, *person.aliases):
                by_name.setdefault(fold(name), person)
        self.entities: dict[str, PersonConsent] = {}
        self.known: dict[str, list[str]] = {p.name: [] for p in consent.people}
        for e in kg.entities:
            if e.type != "Person":
                continue
            found = next((by_name[k] for k in map(fold, (e.label, *e.alt_labels)) if k in by_name), None)
            if found is not None:
                self.entities[e.id] = found
                self.known[found.name] += [e.label, *e.alt_labels]
        self.hidden_mentions = {(r.interview, r.turn, r.sentence, r.mention.start, r.mention.end)
                                for e in kg.entities if e.id in self.entities and self.entities[e.id].status == "hide"
                                for r in e.mentions}
        self.participants: dict[str, PersonConsent] = {}
        for iv in kg.interviews:
            for p in iv.participants:
                found = next((by_name[k] for k in map(fold, (p.name, *p.labels)) if k in by_name), None)
                if found is not None:
                    self.participants[p.name] = found
                    self.known[found.name] += [p.name, *p.labels]

    def names(self, person: PersonConsent) -> list[str]:
        return [person.name, *person.aliases, *self.known[person.name]]

    def warnings(self) -> list[str]:
        missing = [p.name for p in self.consent.people if not self.known[p.name]]
        return [f"the consent file names people not found in the corpus: {', '.join(missing)}"] if missing else []


def _unknown_interviews(kg: KnowledgeGraph, consent: Consent) -> list[str]:
    ids = {iv.id for iv in kg.interviews}
    missing = list(dict.fromkeys([c.id for c in consent.interviews if c.id not in ids]
                                 + [p.interview for p in consent.passages if p.interview not in ids]))
    return [f"the consent file names interviews not in the corpus: {', '.join(missing)}"] if missing else []


def _withheld(iv: Interview, consent: Consent) -> tuple[list[Span], list[str]]:
    """The interview's passages to cut, as ranges of its text, merged; and what could not be placed."""
    spans: list[Span] = []
    said: list[str] = []
    turns = {t.index: t for t in iv.turns}
    for p in consent.passages:
        if p.interview != iv.id:
            continue
        if p.turn is not None:
            if p.turn not in turns:
                said.append(f"consent file line {p.line}: {iv.id} has no turn {p.turn}; nothing withheld there")
                continue
            spans.append((turns[p.turn].start, turns[p.turn].end))
        elif p.start is not None and p.end is not None:
            if p.start >= len(iv.text):
                said.append(f"consent file line {p.line}: {iv.id} is {len(iv.text)} characters long; "
                            f"nothing withheld at {p.start}")
                continue
            spans.append((p.start, min(p.end, len(iv.text))))
    return _merged(spans), said


def _merged(spans: Iterable[Span]) -> list[Span]:
    """The ranges, overlapping or touching ones made one, in order."""
    merged: list[Span] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class _Edits:
    """Replacements at ranges of a text, and where each old offset lands in the new text."""

    def __init__(self, text: str, edits: list[tuple[int, int, str]]) -> None:
        pieces: list[str] = []
        self.moves: list[tuple[int, int, int, int]] = []  # old start, old end, new start, new end
        last, delta = 0, 0
        for start, end, repl in edits:
            pieces += [text[last:start], repl]
            self.moves.append((start, end, start + delta, start + delta + len(repl)))
            delta += len(repl) - (end - start)
            last = end
        pieces.append(text[last:])
        self.text = "".join(pieces)
        self._starts = [m[0] for m in self.moves]

    def at(self, pos: int, *, end: bool) -> int:
        """Where ``pos`` lands; inside a replaced range, at the replacement's start (a start) or end (an end)."""
        i = bisect_right(self._starts, pos) - 1
        if i < 0:
            return pos
        start, stop, new_start, new_stop = self.moves[i]
        if pos >= stop:
            return pos - stop + new_stop
        if pos == start:
            return new_start
        return new_stop if end else new_start

    def span(self, start: int, stop: int) -> Span:
        return self.at(start, end=False), max(self.at(start, end=False), self.at(stop, end=True))


def _overlaps(start: int, end: int, spans: Iterable[Span]) -> bool:
    return any(s < end and start < e for s, e in spans)


class _Editor:
    """Applies the replacements to every string of the graph, and the cuts to each interview."""

    def __init__(self, matcher: Matcher, people: _People) -> None:
        self.matcher, self.people = matcher, people
        self.ids: dict[str, str] = {}

    def text(self, value: str) -> str:
        return self.matcher.sub(value)

    def slug(self, value: str) -> str:
        """An id or a file name with the replacements as slugs ("alexia-mathieu" -> "person-1")."""
        return self.matcher.sub(value, lambda repl: id_slug(repl) or CUT_SLUG if repl != CUT else CUT_SLUG)

    def interview_id(self, value: str) -> str:
        return self.ids.setdefault(value, self.slug(value))

    def file_name(self, path: str) -> str:
        return self.slug(path.replace("\\", "/").rsplit("/", 1)[-1])

    def record(self, iv: Interview) -> Interview:
        """A closed interview: its id, title, date and language, nothing of what was said."""
        return Interview(self.interview_id(iv.id), "", (), source_path=self.file_name(iv.source_path),
                         source_format=iv.source_format, title=self.text(iv.title) if iv.title else None,
                         date=iv.date, language=iv.language, encoding=iv.encoding, checksum=iv.checksum)

    def interview(self, iv: Interview, withheld: list[Span]) -> tuple[Interview, dict[tuple[str, int, int, int, int],
                                                                                     MentionRef | None]]:
        """The edited interview, and where each of its old mentions went (None: cut)."""
        found = self.matcher.finds(iv.text)
        # a withheld range that cuts a name in two takes the whole name: no "lexia" left of "Alexia"
        withheld = _merged([*withheld, *((f.start, f.end) for f in found if _overlaps(f.start, f.end, withheld))])
        finds = [f for f in found if not _overlaps(f.start, f.end, withheld)]
        cut = list(withheld) + [(f.start, f.end) for f in finds if self.matcher.replacements[f.form] == CUT]
        edits = sorted([(s, e, CUT) for s, e in withheld]
                       + [(f.start, f.end, self.matcher.replacements[f.form]) for f in finds])
        moved = _Edits(iv.text, edits)
        text = moved.text
        new_id = self.interview_id(iv.id)
        refs: dict[tuple[str, int, int, int, int], MentionRef | None] = {}
        turns = []
        for t in iv.turns:
            sentences = []
            for si, s in enumerate(t.sentences, start=1):  # as `kg.resolve` numbers them
                mentions = []
                for m in s.mentions:
                    key = (iv.id, t.index, si, m.start, m.end)
                    if key in self.people.hidden_mentions or _overlaps(m.start, m.end, cut):
                        refs[key] = None
                        continue
                    start, end = moved.span(m.start, m.end)
                    new = replace(m, start=start, end=end, text=text[start:end], key=self.slug(m.key))
                    mentions.append(new)
                    refs[key] = MentionRef(new_id, t.index, si, new)
                start, end = moved.span(s.start, s.end)
                sentences.append(Sentence(start, end, text[start:end], tuple(mentions)))
            start, end = moved.span(t.start, t.end)
            hidden = self._is(t.speaker, "hide")  # a hidden speaker's turns stay, said by no one
            times = tuple(dict.fromkeys((moved.at(at, end=False), seconds) for at, seconds in t.times))
            turns.append(replace(t, start=start, end=end, text=text[start:end], times=times,
                                 speaker=None if hidden or t.speaker is None else self.text(t.speaker),
                                 label=None if hidden or t.label is None else self.text(t.label),
                                 sentences=tuple(sentences)))
        participants = tuple(self._participant(p) for p in iv.participants
                             if not self._is(p.name, "hide"))
        edited = replace(iv, id=new_id, text=text, turns=tuple(turns), source_path=self.file_name(iv.source_path),
                         title=self.text(iv.title) if iv.title else None, participants=participants,
                         metadata={self.text(k): self.text(v) for k, v in iv.metadata.items()}, warnings=(),
                         # a recording whose path names someone restricted is not linked (its file keeps the name)
                         media=iv.media if iv.media is None or self.text(iv.media) == iv.media else None)
        return edited, refs

    def _is(self, name: str | None, status: str) -> bool:
        person = self.people.participants.get(name) if name else None
        return person is not None and person.status == status

    def _participant(self, p: Participant) -> Participant:
        name = self.text(p.name)
        url = p.url if p.url and name == p.name and self.text(p.url) == p.url else None
        return Participant(name, p.role, tuple(dict.fromkeys(self.text(label) for label in p.labels)), url)

    def entities(self, entities: Iterable[Entity], refs: Mapping[tuple[str, int, int, int, int], MentionRef | None],
                 open_ids: set[str], counted: Collection[str] = ()) -> tuple[Entity, ...]:
        """The entities left: hidden people and entities with nothing left to show dropped, the rest renamed.

        ``counted`` are the closed interviews that keep their counts: each entity keeps how many of its mentions
        fall there (`Entity.counts`), under the interview's edited id, and nothing else of them.
        """
        out: list[Entity] = []
        taken: set[str] = set()
        for e in entities:
            person = self.people.entities.get(e.id)
            if person is not None and person.status == "hide":
                continue
            mentions = tuple(ref for r in e.mentions
                             if (ref := refs.get((r.interview, r.turn, r.sentence, r.mention.start, r.mention.end)))
                             is not None)
            speaker_of = tuple(i for i in (self.interview_id(x) for x in e.speaker_of) if i in open_ids)
            tally = Counter(self.interview_id(r.interview) for r in e.mentions if r.interview in counted)
            counts = tuple(sorted(tally.items()))
            if not mentions and not speaker_of and not counts:
                continue
            if person is not None and person.status == "pseudonymise":
                kind = e.id.split("/", 1)[0]
                new = replace(e, id=f"{kind}/{id_slug(person.pseudonym) or CUT_SLUG}", label=person.pseudonym,
                              alt_labels=(), same_as=(), links=(), matches=(), suggestions=(), occupation="",
                              mentions=mentions,
                              speaker_of=speaker_of, counts=counts)
            else:
                label = self.text(e.label)
                # an entity known only by a closed interview's counts keeps its name, not the forms said there
                alts = tuple(a for a in dict.fromkeys(self.text(a) for a in e.alt_labels)
                             if a != label and CUT not in a) if mentions or speaker_of else ()
                same = label == e.label  # an authority's record of a renamed entity would name it again
                new = replace(e, id=self.slug(e.id), label=label, alt_labels=alts, mentions=mentions,
                              speaker_of=speaker_of, counts=counts, occupation=self.text(e.occupation),
                              same_as=e.same_as if same else (),
                              links=e.links if same else (),
                              matches=e.matches if same else (), suggestions=e.suggestions if same else ())
            n = 1
            base = new.id
            while new.id in taken:
                n += 1
                new = replace(new, id=f"{base}-{n}")
            taken.add(new.id)
            out.append(new)
        return tuple(out)
