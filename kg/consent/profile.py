"""The consent file: what each interview, person and passage may show in a public edition.

A YAML file kept next to the corpus (``kg consent init`` writes a first one)::

    interviews:
      barradeau-2022: open
      atelier-2023: {status: restricted, until: 2031-01-01, reason: embargo asked by the narrator}
      brouillon: closed
      atelier-2024: {status: closed, keep: counts}
    people:
      Alexia Mathieu: {status: pseudonymise, pseudonym: Personne A, aliases: [Alexia]}
      Nicolas Barradeau: public
      Mario Klingemann: {status: hide, reason: not a party to the consent form}
    passages:
      - {interview: barradeau-2022, turn: 12, reason: private matter}
      - {interview: barradeau-2022, start: 1200, end: 1340}

Every problem raises `ConsentError` naming the file, the line and what to
change: a public edition built from a misread file would publish what the
file meant to keep back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from ..errors import ConsentError
from .forms import PARTICLES, name_forms, words

InterviewStatus = Literal["open", "restricted", "closed"]
PersonStatus = Literal["public", "pseudonymise", "hide"]
PERSON_STATUSES: tuple[PersonStatus, ...] = ("public", "pseudonymise", "hide")
Keep = Literal["record", "counts"]
KEEPS: tuple[Keep, ...] = ("record", "counts")
"""What a closed (or still restricted) interview keeps: its record only, or also which entities it mentions and
how many times."""
KEYS = ("interviews", "people", "passages")
_RESTRICTED = re.compile(r"^restricted(?:\s*:)?\s+until\s+(\S+)$")


@dataclass(frozen=True)
class InterviewConsent:
    id: str
    status: InterviewStatus = "open"
    until: dt.date | None = None
    """For ``restricted``: the first day the interview is open."""
    reason: str = ""
    line: int = 0
    keep: Keep = "record"
    """While not open: ``record`` (id, title, date, language) or ``counts`` (the record, and how many times it
    mentions each entity: no text, turns or quotes)."""

    def is_open(self, today: dt.date) -> bool:
        return self.status == "open" or (self.status == "restricted" and self.until is not None and today >= self.until)


@dataclass(frozen=True)
class PersonConsent:
    name: str
    status: PersonStatus = "public"
    pseudonym: str = ""
    aliases: tuple[str, ...] = ()
    reason: str = ""
    line: int = 0

    @property
    def restricted(self) -> bool:
        return self.status != "public"


@dataclass(frozen=True)
class Passage:
    """A passage to withhold: a whole turn (by its index) or a range of offsets into the interview's text."""

    interview: str
    turn: int | None = None
    start: int | None = None
    end: int | None = None
    reason: str = ""
    line: int = 0


@dataclass(frozen=True)
class Consent:
    interviews: tuple[InterviewConsent, ...] = ()
    people: tuple[PersonConsent, ...] = ()
    passages: tuple[Passage, ...] = ()

    def interview(self, interview_id: str) -> InterviewConsent | None:
        for iv in self.interviews:
            if iv.id == interview_id:
                return iv
        return None

    def restricted_forms(self) -> tuple[str, ...]:
        """Every form of every pseudonymised or hidden person's names: what no file of an edition may hold."""
        return name_forms(n for p in self.people if p.restricted for n in (p.name, *p.aliases))


class _Loader(yaml.SafeLoader):
    """Records the line of every mapping and of each of its keys, so that errors can point at them."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__keys__"] = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_consent(path: str | Path) -> Consent:
    """Read and check a consent file; any problem raises `ConsentError` naming the file and line."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConsentError(f"{p}: consent file not found; check --consent, or write one: kg consent init") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConsentError(f"{p}: cannot be read as UTF-8 text ({e}); save it as UTF-8") from None
    return parse_consent(text, p)


def parse_consent(text: str, p: str | Path = "consent") -> Consent:
    """`load_consent` of a file's text; ``p`` names it in errors."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "somewhere"
        problem = " ".join(str(getattr(e, "problem", None) or e).split())
        raise ConsentError(f"{p}: {where}: not valid YAML ({problem}); fix the file") from None
    if data is None:
        data = {"__line__": 1, "__keys__": {}}
    if not isinstance(data, dict):
        raise ConsentError(f"{p}: line 1: expected a mapping with keys {', '.join(KEYS)}; see docs/consent.md")
    lines: dict[str, int] = data["__keys__"]
    for key in data:
        if not key.startswith("__") and key not in KEYS:
            raise ConsentError(f"{p}: line {lines.get(key, 1)}: unknown key {key!r}; use {', '.join(KEYS)}")
    reader = _Reader(p)
    interviews = reader.interviews(data.get("interviews"), lines.get("interviews", 1))
    people = reader.people(data.get("people"), lines.get("people", 1))
    passages = reader.passages(data.get("passages"), lines.get("passages", 1))
    consent = Consent(interviews, people, passages)
    _check_pseudonyms(consent, p)
    return consent


class _Reader:
    """Turns each section of the parsed YAML into consent records, with one-line errors naming the line."""

    def __init__(self, p: str | Path) -> None:
        self.p = p

    def fail(self, line: int, problem: str) -> ConsentError:
        return ConsentError(f"{self.p}: line {line}: {problem}")

    def section(self, value: object, line: int, name: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(line, f"{name} must be a mapping of name: status; see docs/consent.md")
        return value

    def interviews(self, value: object, line: int) -> tuple[InterviewConsent, ...]:
        section = self.section(value, line, "interviews")
        out = []
        for key, entry in section.items():
            if key.startswith("__"):
                continue
            at = section["__keys__"].get(key, line)
            fields = self.fields(entry, at, ("status", "until", "keep", "reason"),
                                 "open, closed or restricted until DATE")
            status = fields.get("status")
            until = fields.get("until")
            if isinstance(status, str) and (m := _RESTRICTED.match(status.strip())):
                status, until = "restricted", m.group(1)
            if status not in ("open", "restricted", "closed"):
                raise self.fail(at, f"interview {key!r}: status {status!r} is not one of open, closed, "
                                    "restricted until DATE")
            date = None
            if status == "restricted":
                date = self.date(until, at, key)
            elif until is not None:
                raise self.fail(at, f"interview {key!r}: 'until' only goes with status restricted")
            keep = fields.get("keep", "record")
            if keep not in KEEPS:
                raise self.fail(at, f"interview {key!r}: keep {keep!r} is not one of {', '.join(KEEPS)}")
            if keep != "record" and status == "open":
                raise self.fail(at, f"interview {key!r}: keep only goes with status closed or restricted")
            out.append(InterviewConsent(str(key), status, date, self.reason(fields, at), at, keep))
        return tuple(out)

    def people(self, value: object, line: int) -> tuple[PersonConsent, ...]:
        section = self.section(value, line, "people")
        out = []
        for key, entry in section.items():
            if key.startswith("__"):
                continue
            at = section["__keys__"].get(key, line)
            if not words(str(key)):
                raise self.fail(at, f"person {key!r} has no letters or digits; write the person's name")
            fields = self.fields(entry, at, ("status", "pseudonym", "aliases", "reason"),
                                 "public, pseudonymise or hide")
            status = fields.get("status")
            if status not in PERSON_STATUSES:
                raise self.fail(at, f"person {key!r}: status {status!r} is not one of {', '.join(PERSON_STATUSES)}")
            aliases = fields.get("aliases") or []
            if isinstance(aliases, str):
                aliases = [aliases]
            if not isinstance(aliases, list) or not all(isinstance(a, str | int) for a in aliases):
                raise self.fail(at, f"person {key!r}: aliases must be a list of names")
            pseudonym = fields.get("pseudonym") or ""
            if not isinstance(pseudonym, str | int) or (pseudonym and not words(str(pseudonym))):
                raise self.fail(at, f"person {key!r}: pseudonym must be a name with letters or digits")
            if pseudonym and status != "pseudonymise":
                raise self.fail(at, f"person {key!r}: a pseudonym only goes with status pseudonymise")
            out.append(PersonConsent(str(key), status, str(pseudonym), tuple(str(a) for a in aliases),
                                     self.reason(fields, at), at))
        return _numbered(tuple(out))

    def passages(self, value: object, line: int) -> tuple[Passage, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(line, "passages must be a list of {interview: ID, turn: N} or {interview: ID, start: N, "
                                  "end: N}")
        out = []
        for entry in value:
            if not isinstance(entry, dict):
                raise self.fail(line, "each passage must be a mapping {interview: ID, turn: N} or "
                                      "{interview: ID, start: N, end: N}")
            at = entry["__line__"]
            unknown = [k for k in entry if not k.startswith("__") and k not in ("interview", "turn", "start", "end",
                                                                                  "reason")]
            if unknown:
                raise self.fail(entry["__keys__"].get(unknown[0], at),
                                f"unknown passage key {unknown[0]!r}; use interview, turn, start, end, reason")
            iv = entry.get("interview")
            if not isinstance(iv, str | int) or not str(iv):
                raise self.fail(at, "a passage needs the interview's id (interview: ID)")
            turn, start, end = entry.get("turn"), entry.get("start"), entry.get("end")
            if turn is not None:
                if start is not None or end is not None:
                    raise self.fail(at, "a passage is a turn or a range (start, end), not both")
                if not _count(turn):
                    raise self.fail(at, f"turn must be a whole number (as in the turn's IRI), not {turn!r}")
            elif not (isinstance(start, int) and isinstance(end, int) and _count(start) and _count(end)
                      and start < end):
                raise self.fail(at, "a passage needs turn: N, or start: N and end: N with start < end")
            out.append(Passage(str(iv), turn, start, end, self.reason(entry, at), at))
        return tuple(out)

    def fields(self, entry: object, at: int, allowed: tuple[str, ...], statuses: str) -> dict[str, Any]:
        if isinstance(entry, str):
            return {"status": entry.strip()}
        if not isinstance(entry, dict):
            raise self.fail(at, f"expected a status ({statuses}) or a mapping with {', '.join(allowed)}")
        unknown = [k for k in entry if not k.startswith("__") and k not in allowed]
        if unknown:
            raise self.fail(entry["__keys__"].get(unknown[0], at),
                            f"unknown key {unknown[0]!r}; use {', '.join(allowed)}")
        return entry

    def date(self, value: object, at: int, key: str) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(at, f"interview {key!r}: restricted needs a date, as in 'restricted until 2031-01-01', "
                                f"not {value!r}") from None

    def reason(self, fields: Mapping[str, Any], at: int) -> str:
        reason = fields.get("reason", "")
        if not isinstance(reason, str | int | float):
            raise self.fail(at, "reason must be text")
        return str(reason)


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _numbered(people: tuple[PersonConsent, ...]) -> tuple[PersonConsent, ...]:
    """Each pseudonymised person without a pseudonym gets "Person N", N counting them in the file's order:
    stable while the file is."""
    taken = {p.pseudonym for p in people}
    out, n = [], 0
    for person in people:
        if person.status == "pseudonymise" and not person.pseudonym:
            n += 1
            while f"Person {n}" in taken:
                n += 1
            person = PersonConsent(person.name, person.status, f"Person {n}", person.aliases, person.reason,
                                   person.line)
        out.append(person)
    return tuple(out)


def _check_pseudonyms(consent: Consent, p: str | Path) -> None:
    """A pseudonym may not repeat a restricted name, nor be another person's pseudonym."""
    restricted = {w for form in consent.restricted_forms() for w in words(form) if len(w) > 1 and w not in PARTICLES}
    seen: dict[str, str] = {}
    for person in consent.people:
        if not person.pseudonym:
            continue
        clash = restricted & set(words(person.pseudonym))
        if clash:
            raise ConsentError(f"{p}: line {person.line}: pseudonym {person.pseudonym!r} contains the restricted name "
                               f"{sorted(clash)[0]!r}; choose another pseudonym")
        key = " ".join(words(person.pseudonym))
        if key in seen:
            raise ConsentError(f"{p}: line {person.line}: pseudonym {person.pseudonym!r} is also {seen[key]}'s; "
                               "give each person their own")
        seen[key] = person.name
