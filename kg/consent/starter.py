"""``kg consent init``: a first consent file, listing every interview and person of a corpus with a suggestion.

The suggestion leans to caution: the people who speak in the interviews and
the people named only by a first name (relatives, colleagues: private
persons) are pseudonymised; people with a full name and public figures
(linked to an authority, or found through the vocabulary) are public.  The
researcher reads it against the consent forms before any public build.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..model import Entity, KnowledgeGraph
from ..text import fold
from .forms import words

HEADER = """\
# Consent file for kg: what a public edition (kg build CORPUS --consent FILE --out DIR) may show.
# Written by 'kg consent init' with suggested statuses: check each against the consent forms.
#   interviews: open | closed | restricted until YYYY-MM-DD     (closed: only the id, title and date are kept)
#               {status: closed, keep: counts}   (also keeps which entities it mentions and how often; no text)
#   people:     public | pseudonymise | hide   (pseudonym: NAME; aliases: other forms of the name; reason: TEXT)
#   passages:   - {interview: ID, turn: N}  or  - {interview: ID, start: N, end: N}   (cut from the edition)
"""


def starter(kg: KnowledgeGraph) -> str:
    """The text of a starter consent file for the graph ``kg``."""
    interviews = {iv.id: "open" for iv in kg.interviews}
    people: dict[str, dict[str, Any]] = {}
    speakers: dict[str, dict[str, str]] = {}  # a speaker's folded name -> their labels, folded -> as written
    for iv in kg.interviews:
        for p in iv.participants:
            speakers.setdefault(fold(p.name), {}).update({fold(label): label for label in p.labels
                                                          if fold(label) != fold(p.name)})
            people.setdefault(p.name, {"status": "pseudonymise", "reason": "speaks in an interview"})
    # a speaker is known by their name and their labels ("Alexia"): an entity named either way is that speaker
    known = {fold(n): n for n in people} | {label: n for n in people for label in speakers.get(fold(n), ())}
    for e in sorted((e for e in kg.entities if e.type == "Person"), key=lambda e: e.label):
        name = next((known[k] for k in map(fold, (e.label, *e.alt_labels)) if k in known), None)
        if name is not None:
            people[name].setdefault("aliases", set()).update(a for a in (e.label, *e.alt_labels)
                                                             if fold(a) != fold(name))
            continue
        status, reason = _suggest(e)
        entry: dict[str, Any] = {"status": status, "reason": reason}
        aliases = {a for a in e.alt_labels if fold(a) != fold(e.label)}
        if aliases:
            entry["aliases"] = aliases
        people[e.label] = entry
    n = 0
    for name, entry in people.items():
        entry.setdefault("aliases", set()).update(speakers.get(fold(name), {}).values())
        if entry["aliases"]:
            entry["aliases"] = sorted(entry["aliases"])
        else:
            del entry["aliases"]
        if entry["status"] == "pseudonymise":
            n += 1
            entry["pseudonym"] = f"Person {n}"
    ordered = {name: {k: entry[k] for k in ("status", "pseudonym", "aliases", "reason") if k in entry}
               for name, entry in people.items()}
    body = yaml.safe_dump({"interviews": interviews, "people": ordered}, allow_unicode=True, sort_keys=False,
                          default_flow_style=None, width=120)
    return HEADER + body + "passages: []\n"


def _suggest(e: Entity) -> tuple[str, str]:
    if e.same_as or e.links or any(r.mention.source == "vocab" or r.mention.key for r in e.mentions):
        return "public", "a public figure (linked, or in the vocabulary)"
    if len(words(e.label)) < 2:
        return "pseudonymise", "named by a first name only"
    return "public", "named in full"
