"""Metadata keys in French and English, participant lists, and speaker resolution.

Transcripts name their participants in many ways (front matter, a CMS field, a
``Key: value`` header, ``[Name](url)`` links); this module turns them into
`Participant` records and ties turn labels ("Nicolas", "NB", "Q") to them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from ..model import Participant, Role
from ..text import fold
from .base import RawTurn
from .turns import QA_LABELS

KEYS: dict[str, str] = {
    "title": "title", "titre": "title", "subject": "title", "sujet": "title",
    "date": "date", "recorded": "date", "enregistré": "date", "date de l'entretien": "date",
    "language": "language", "lang": "language", "langue": "language",
    "id": "id", "identifier": "id", "identifiant": "id", "reference": "id", "cote": "id",
    "interviewee": "interviewee", "interviewé": "interviewee", "interviewée": "interviewee",
    "interviewees": "interviewee", "guest": "interviewee", "guests": "interviewee",
    "invité": "interviewee", "invitée": "interviewee", "invités": "interviewee", "invitées": "interviewee",
    "interviewés": "interviewee", "interviewées": "interviewee", "narrator": "interviewee",
    "narrateur": "interviewee", "narratrice": "interviewee", "enquêté": "interviewee",
    "enquêtée": "interviewee", "enquêtés": "interviewee", "témoin": "interviewee", "témoins": "interviewee",
    "respondent": "interviewee", "respondents": "interviewee", "personne interrogée": "interviewee",
    "personne interrogé": "interviewee", "personnes interrogées": "interviewee", "interrogé": "interviewee",
    "interrogée": "interviewee", "personne interviewée": "interviewee", "personne enquêtée": "interviewee",
    "enquêtées": "interviewee", "interviewed": "interviewee",
    "interviewer": "interviewer", "interviewers": "interviewer", "intervieweur": "interviewer",
    "intervieweuse": "interviewer", "host": "interviewer", "hosts": "interviewer",
    "animateur": "interviewer", "animatrice": "interviewer", "enquêteur": "interviewer",
    "enquêtrice": "interviewer", "interviewed by": "interviewer", "enquêteurs": "interviewer",
    "enquêtrices": "interviewer", "propos recueillis par": "interviewer", "entretien mené par": "interviewer",
    "entretien réalisé par": "interviewer", "interviewé par": "interviewer", "interviewée par": "interviewer",
    "participants": "participants", "speakers": "participants", "intervenants": "participants",
    "location": "place", "lieu": "place", "place": "place",
    "duration": "duration", "durée": "duration", "audio": "audio", "video": "video",
    "media": "media", "recording": "media", "enregistrement": "media",
}
"""Header key (casefolded) -> canonical key."""

ROLE_KEYS: dict[str, Role] = {"interviewee": "interviewee", "interviewer": "interviewer", "participants": "participant"}
PERSON_KEYS = frozenset(ROLE_KEYS)
"""Canonical keys whose values name people."""

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_LANGS = {"fr": "fr", "fra": "fr", "fre": "fr", "french": "fr", "français": "fr", "francais": "fr",
          "en": "en", "eng": "en", "english": "en", "anglais": "en"}


def canonical_key(key: str) -> str | None:
    return KEYS.get(key.strip().casefold())


def normalise_language(value: str | None) -> str | None:
    """Map "FR", "French", "fr-CH" to an ISO 639-1 code; None if not recognised.

    >>> normalise_language("FR"), normalise_language("fr-CH"), normalise_language("English")
    ('fr', 'fr', 'en')
    """
    if not value:
        return None
    v = value.strip().casefold()
    return _LANGS.get(v) or _LANGS.get(re.split(r"[-_]", v)[0])


def split_people(value: str) -> list[tuple[str, str | None]]:
    """Split a metadata value naming people into (name, url) pairs, in the order written.

    >>> split_people("[Ada Lovelace](https://a.example), Alan Turing et Grace Hopper (GH)")
    [('Ada Lovelace', 'https://a.example'), ('Alan Turing', None), ('Grace Hopper (GH)', None)]
    """
    out: list[tuple[str, str | None]] = []
    pos = 0
    for m in _LINK.finditer(value):
        out += [(name, None) for name in _plain_names(value[pos:m.start()])]
        pos = m.end()
        name = m.group(1).strip()
        aside = re.match(r"\s*(\([^()]*\))", value[pos:])  # "[Name](url) (NB)"
        if aside:
            name, pos = f"{name} {aside.group(1)}", pos + aside.end()
        out.append((name, m.group(2)))
    out += [(name, None) for name in _plain_names(value[pos:])]
    return out


def _plain_names(value: str) -> list[str]:
    names = []
    for part in re.split(r"\s*(?:[,;\n/&]|\bet\b|\band\b)\s*", value):
        part = part.strip(" -*\t")
        if part.startswith("(") and part.endswith(")"):
            part = part[1:-1].strip()
        if part and any(c.isalpha() for c in part):
            names.append(part)
    return names


_ASIDE = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<aside>[^()]*)\)$")


def _person(name: str, role: Role, url: str | None) -> Participant:
    """A participant from "Name", "Name (NB)" (a label) or "Name (interviewer)" (a role)."""
    m = _ASIDE.match(name)
    if not m:
        return Participant(name, role, url=url)
    aside = m.group("aside").strip()
    said = KEYS.get(aside.casefold())
    if said in ("interviewer", "interviewee"):
        return Participant(m.group("name"), said, url=url)  # type: ignore[arg-type]
    labels = (aside,) if aside and len(aside.split()) == 1 else ()
    return Participant(m.group("name"), role, labels, url)


def _labelled(mapping: Mapping[object, object]) -> list[dict[str, object]]:
    """`speakers: {Tom: Tom Kellerman}`, the shape annotators write: each key is the label the turns use.

    A key that is the name itself ("Priya Natarajan: interviewee") or a role
    word ("interviewer: Tom Kellerman") says nothing about the label.
    """
    people: list[dict[str, object]] = []
    for key, value in mapping.items():
        if isinstance(value, (Mapping, list, tuple)):
            continue  # a structure of its own under a label: nothing this shape can read as a name
        label, name = str(key).strip(), str(value).strip() if value is not None else ""
        said = KEYS.get(label.casefold())
        if said in ("interviewer", "interviewee"):
            people.append({"name": name, "role": said})
        elif said := KEYS.get(name.casefold()):
            people.append({"name": label, "role": said})
        elif name:
            people.append({"name": name, "labels": [label] if label.casefold() != name.casefold() else []})
        elif label:
            people.append({"name": label})
    return people


def participants_from(metadata: Mapping[str, object]) -> list[Participant]:
    """Participants named by canonical metadata keys (values are strings or lists)."""
    people: list[Participant] = []
    for key, role in ROLE_KEYS.items():
        value = metadata.get(key)
        if value is None:
            continue
        if isinstance(value, Mapping) and "name" not in value:
            value = _labelled(value)
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            if isinstance(v, Mapping):  # front matter: {name: ..., role: ...}
                name = str(v.get("name", "")).strip()
                r = KEYS.get(str(v.get("role", role)).strip().casefold(), role)
                labels = v.get("labels", v.get("label")) or ()
                labels = tuple(str(x) for x in (labels if isinstance(labels, (list, tuple)) else [labels]))
                if name:
                    people.append(Participant(name, r if r in ("interviewer", "interviewee") else role,  # type: ignore[arg-type]
                                              labels, v.get("url") and str(v["url"])))
                continue
            for name, url in split_people(str(v)):
                people.append(_person(name, role, url))
    seen: dict[str, Participant] = {}
    for p in people:
        if p.name.casefold() not in seen:
            seen[p.name.casefold()] = p
    return list(seen.values())


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s\-]+", name) if w).casefold()


def _compatible(rest: list[str], known: list[str]) -> bool:
    """Each word after a shared first name is one of the known name's later words (or its initial), in order.

    >>> _compatible(["garcia"], ["aleikum", "garcia"]), _compatible(["p."], ["paz"]), _compatible(["carmen"], ["paz"])
    (True, True, False)
    """
    i = 0
    for word in rest:
        word = word.rstrip(".")
        while i < len(known) and not known[i].startswith(word):
            i += 1
        if i == len(known):
            return not known  # a participant known by first name only: "Sophie Lemaire" for "Sophie"
        i += 1
    return True


def match_label(label: str, participants: Iterable[Participant]) -> Participant | None:
    """The participant a speaker label stands for: full name, first or last name, or initials."""
    key = fold(label)
    people = list(participants)
    for test in (
        lambda p: fold(p.name) == key or key in (fold(x) for x in p.labels),
        lambda p: fold(p.name).split()[0] == key,
        lambda p: fold(p.name).split()[-1] == key,
        lambda p: len(key) >= 2 and " " not in key and _initials(p.name) == key.replace(".", ""),
        # "Dr Yusuf", "Mme Lefort": a word of address and the surname
        lambda p: (bare := _ADDRESS.sub("", key)) != key and fold(p.name).split()[-1] == bare,
        # "Sophie Lemaire" for a "Sophie" or a "Sophie L.", but "Maria Carmen" is not "Maria Paz Canales"
        lambda p: (key.startswith(fold(p.name).split()[0] + " ")
                   and _compatible(key.split()[1:], fold(p.name).split()[1:])),
    ):
        found = [p for p in people if p.name and test(p)]
        if len(found) == 1:
            return found[0]
    return None


_ADDRESS = re.compile(r"^(?:dr|prof|pr|professor|professeur|professeure|docteur|mr|mrs|ms|miss|mme|mlle|m|sir|dame)"
                      r"\.?\s+(?=\S+$)")
"""A word of address before a surname, in a folded label: "dr yusuf", "mme lefort"."""

_TITLE = re.compile(r"^(?:dr|prof|pr|professor|professeur|professeure|docteur|docteure)\.?\s+(?=\S+\s+\S)", re.I)
"""An academic title before a full name: "Dr. Amara Osei" is the person the text calls "Amara Osei"."""


def _display(label: str) -> str:
    """ALL-CAPS labels read better title-cased ("ZOÉ" -> "Zoé"); others stay as written, less a title.

    Short capitals without a vowel ("NB", "JFK") are initials and stay as they are.

    >>> [_display(x) for x in ("ZOÉ", "NB", "Dr. Amara Osei", "Dr Who", "PROF. TOM REEVES")]
    ['Zoé', 'NB', 'Amara Osei', 'Dr Who', 'Tom Reeves']
    """
    label = _TITLE.sub("", label)
    if label.isupper() and len(label) >= 3 and re.search(r"[aeiouy]", fold(label)):
        return label.title()
    return label


GENERIC_SPEAKER = re.compile(
    r"^(?:speaker|spk|locuteur|locutrice|intervenant|intervenante|participant|participante|voice|voix|"
    r"unknown|inconnu|inconnue|person|personne|interlocuteur|interlocutrice)[\s_#-]*(?:\d{1,3}|[A-Z])?$"
    r"|^\d{1,3}$"
    r"|^(?:voix[\s-]*off|voice[\s-]*over|voiceover|jingle|générique|(?:audience|public)(?:[\s-]*member)?|crowd|salle|"
    r"plusieurs|several|multiple|all|tous|toutes|everyone|ensemble|together|participants|intervenants)$",
    re.IGNORECASE,
)
"""Labels for voices that are no one person: what transcription software gives to voices it cannot
name ("SPEAKER_00", "Intervenant 2", a bare "0"), and a jingle's or the audience's voice ("Voix OFF", "AUDIENCE")."""


def _one_letter(label: str) -> bool:
    """A label of one letter ("E", "T.", "B"), which no participant of the metadata answers to."""
    stripped = label.rstrip(". ")
    return len(stripped) == 1 and stripped.isalpha()


def resolve_speakers(
    turns: Iterable[RawTurn], participants: list[Participant], text: str
) -> tuple[list[Participant], dict[str, str | None]]:
    """Tie every turn label to a participant, adding participants for unknown labels.

    Returns the full participant list and a map label -> participant name
    (None for a role label such as "Q" when metadata does not name the role).
    When exactly two people speak, missing roles are filled in (`_complete_roles`).
    """
    people = list(participants)
    mapping: dict[str, str | None] = {}
    turn_list = list(turns)
    labels = list(dict.fromkeys(t.label for t in turn_list if t.label))
    # Fuller labels first, so that "Sophie" then resolves to the "Sophie Lemaire" seen once.
    for label in sorted(labels, key=lambda x: -len(x.split())):
        role = QA_LABELS.get(label.casefold().rstrip("."))
        p = match_label(label, people)
        if p is None and _one_letter(label):
            # "T" for the one participant whose name starts with it ("Thérèse Vidal"), else no one
            starting = [q for q in people if fold(q.name)[:1] == fold(label)[:1]]
            p = starting[0] if len(starting) == 1 else None
        if role and p is None:
            named = [q for q in people if q.role == role]
            mapping[label] = named[0].name if len(named) == 1 else None
            continue
        if p is None and (GENERIC_SPEAKER.match(label) or _one_letter(label)):
            # "SPEAKER_00", "Intervenant 2": a diarisation label, not a person's name; "E :", "T :" (enquêteur,
            # témoin) or "B:": a letter names a role or stands for a name that nothing in the file gives
            mapping[label] = None
            continue
        if p is None:
            p = Participant(_display(label), "participant", labels=(label,))
            people.append(p)
        elif label not in p.labels:
            people[people.index(p)] = Participant(p.name, p.role, p.labels + (label,), p.url)
        mapping[label] = p.name
    # People found only through labels are listed in the order they first speak.
    first = {label: i for i, label in enumerate(labels)}
    added = sorted(people[len(participants):], key=lambda q: min(first.get(x, len(first)) for x in q.labels))
    people = people[: len(participants)] + added

    speaking = {name for name in mapping.values() if name}
    return _complete_roles(people, speaking, turn_list, mapping, text), mapping


def _answer_role_labels(
    people: list[Participant], talker: Participant, turns: list[RawTurn], mapping: dict[str, str | None]
) -> list[Participant]:
    """One named speaker facing an unnamed role ("[Chercheur]", "Q") holds the other role."""
    roles = {QA_LABELS[t.label.casefold().rstrip(".")] for t in turns
             if t.label and mapping.get(t.label) is None and t.label.casefold().rstrip(".") in QA_LABELS}
    if len(roles) != 1:
        return people
    other: Role = "interviewee" if roles == {"interviewer"} else "interviewer"
    return [Participant(p.name, other, p.labels, p.url) if p is talker else p for p in people]


def _complete_roles(
    people: list[Participant], speaking: set[str], turns: list[RawTurn], mapping: dict[str, str | None], text: str
) -> list[Participant]:
    """Fill in roles for a two-person interview when metadata gives one role or none.

    One role known: the other speaker holds the other role.  None known: the one
    who asks more questions is the interviewer.
    """
    talkers = [p for p in people if p.name in speaking]
    if len(talkers) == 1 and talkers[0].role == "participant":
        return _answer_role_labels(people, talkers[0], turns, mapping)
    if len(talkers) != 2:
        return people
    a, b = talkers
    roles = {a.role, b.role}
    taken = {p.role for p in people}
    if roles in ({"interviewer", "participant"}, {"interviewee", "participant"}) and len(taken - {"participant"}) == 1:
        known = a if a.role != "participant" else b
        other_role: Role = "interviewee" if known.role == "interviewer" else "interviewer"
        assign = {known.name: known.role, (b if known is a else a).name: other_role}
    elif taken == {"participant"}:
        questions: Counter[str] = Counter()
        for t in turns:
            name = mapping.get(t.label or "")
            if name and text[t.start:t.end].rstrip().endswith("?"):
                questions[name] += 1
        if questions[a.name] == questions[b.name]:
            return people
        asker, answerer = (a, b) if questions[a.name] > questions[b.name] else (b, a)
        assign = {asker.name: "interviewer", answerer.name: "interviewee"}
    else:
        return people
    return [Participant(p.name, assign[p.name], p.labels, p.url) if p.name in assign else p  # type: ignore[arg-type]
            for p in people]


_NAME = r"[A-ZÀ-Ý][\w'’-]+(?:\s+(?:(?:de|du|des|van|von|der|di|da|le|la|ben|el)\s+)?[A-ZÀ-Ý][\w'’-]+){1,3}"
_INTERVIEWER_SAID = (
    re.compile(rf"(?i:réalisée?s?|recueillis|menée?s?|conduite?s?|animée?s?|interviewée?s?|enregistrée?s?)\s+par\s+"
               rf"(?P<name>{_NAME})"),
    re.compile(rf"(?i:interviewed|conducted|recorded|led|hosted)\s+by\s+(?P<name>{_NAME})"),
    re.compile(rf"(?i:interview|entretien|conversation)\s+(?i:by|par)\s+(?P<name>{_NAME})"),
)
_HONOURED = r"(?:(?:Dr|Prof|Pr|Professor|Professeure?|Docteure?|Mr|Mrs|Ms|Mme|M|Sir|Dame)\.?\s+)?"
"""A word of address the name may follow: "Interview with Dr. Amina Yusuf"."""
_INTERVIEWEE_SAID = (
    re.compile(rf"(?i:entretien|interview|conversation|échange|rencontre)s?\b[^.!?\n]{{0,60}}?\b(?i:avec|with|de)\s+"
               rf"{_HONOURED}(?P<name>{_NAME})"),
    re.compile(rf"(?i:interviewed|interviewe|interroge|rencontrée?|met|spoke\s+(?:with|to)|talked\s+(?:with|to))\s+"
               rf"(?P<name>{_NAME})"),
)
_INTRODUCED = re.compile(
    rf"^[ \t]*(?P<name>{_NAME})(?:,|\s+(?:est|était|a|is|was|has|works|runs|travaille|dirige|vit|lives)\b)",
    re.MULTILINE,
)
"""A blog's introduction opening on who answers: "Mathilde Rabier est vigneronne", "Ada Byrne is a weaver"."""


def title_interviewee(title: str) -> Participant | None:
    """The person a published interview's title names as the one who answers ("Interview with Dr. Amina Yusuf",
    "Entretien avec Hélène Carpentier, professeure des écoles"), for a header that names no interviewee: the
    labels "Dr Yusuf" and the "Amina" of the text are that person."""
    m = _INTERVIEWEE_SAID[0].search(title)
    return Participant(m.group("name"), "interviewee") if m else None


def preamble_people(text: str) -> list[Participant]:
    """The interviewer and interviewee an introduction names ("Entretien réalisé par Claire Fournier avec
    Mathilde Guérin", "Interview with Ada Byrne, conducted by Sam Hill").

    Press interviews, blogs and some archives name the people in a sentence above
    ``Q :`` and ``R :`` turns (or ``##`` questions), with no header; without them every
    turn is anonymous.  Only what a pattern names is taken: a blog that names its
    interviewee alone leaves the questions anonymous.
    """
    head = text.strip()[:600]
    asker = next((m.group("name") for p in _INTERVIEWER_SAID if (m := p.search(head))), None)
    answerer = next((m.group("name") for p in _INTERVIEWEE_SAID for m in p.finditer(head)
                     if asker is None or m.group("name").casefold() != asker.casefold()), None)
    introduced = {m.group("name") for m in _INTRODUCED.finditer(head)} - {asker}
    if answerer is None and len(introduced) == 1:  # a list of guests, one per line, names no one answerer
        answerer = introduced.pop()
    people = [Participant(asker, "interviewer")] if asker else []
    return people + ([Participant(answerer, "interviewee")] if answerer else [])
