"""The curated domain vocabulary (SKOS in Turtle) and fast lookup of its labels.

Every label is indexed by a *squashed* key (case, accents, spaces, hyphens and
dots removed), so "Style Gan", "style-gan" and "StyleGAN" all find the same
entry.  Labels of ordinary words ("Processing", "Unity", "ML") are marked
case-sensitive in the file and only match with their exact casing.
Users extend kg by adding entries to ``ontology/vocabulary.ttl`` or by
passing more files with ``--vocabulary``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import VocabularyError
from ..model import EntityType
from ..resources import ontology_dir
from ..text import squash

DEFAULT_VOCABULARY = ontology_dir() / "vocabulary.ttl"
KGV = "https://w3id.org/kg-interviews/vocab/"
KGI = "https://w3id.org/kg-interviews/ns#"
SCHEMA = "https://schema.org/"

_TYPES: dict[str, EntityType] = {
    SCHEMA + "SoftwareApplication": "Tool",
    SCHEMA + "Organization": "Organisation",
    SCHEMA + "CreativeWork": "Work",
    SCHEMA + "Event": "Work",  # kg's Work holds named events: festivals, conferences
    SCHEMA + "Place": "Place",
    SCHEMA + "Person": "Person",
    SCHEMA + "DefinedTerm": "Concept",
}


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    """Short id from the IRI ("tool-stylegan")."""
    iri: str
    type: EntityType
    labels: tuple[str, ...]
    """Preferred labels first (English, then French), then alternatives."""
    pref: dict[str, str]
    """Preferred label by language tag."""
    case_sensitive: bool = False
    case_sensitive_labels: tuple[str, ...] = ()
    kind: str = ""
    same_as: tuple[str, ...] = ()

    def label_for(self, language: str | None) -> str:
        return (self.pref.get(language or "", "") or self.pref.get("en", "")
                or next(iter(self.pref.values()), self.labels[0]))


class Vocabulary:
    """Entries indexed by squashed label, plus exact-case labels for ambiguous words."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: dict[str, Entry] = {}
        self._folded: dict[str, list[Entry]] = {}
        self._exact: dict[str, list[Entry]] = {}
        for e in entries:
            self.entries[e.id] = e
            for label in e.labels:
                if e.case_sensitive or _shouted_word(label):
                    self._exact.setdefault(_space(label), []).append(e)
                else:
                    self._folded.setdefault(squash(label), []).append(e)
            for label in e.case_sensitive_labels:
                self._exact.setdefault(_space(label), []).append(e)
        self.max_tokens = max((len(label.split()) for e in self.entries.values() for label in e.labels), default=1) + 3
        self._any_case: dict[str, Entry] = {}
        for e in self.entries.values():
            for label in e.labels + e.case_sensitive_labels:
                self._any_case.setdefault(squash(label), e)
        self._prefixes = {k[:n] for k in self._folded for n in range(1, len(k) + 1)}
        self._exact_prefixes = {k[:n] for k in self._exact for n in range(1, len(k) + 1)}

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, text: str) -> Entry | None:
        """The entry a surface form names, or None.

        Case-sensitive labels win when the casing matches exactly; otherwise
        the squashed key must match a case-insensitive label.
        """
        exact = self._exact.get(_space(text))
        if exact:
            return exact[0]
        found = self._folded.get(squash(text))
        return found[0] if found else None

    def lookup_keys(self, exact_key: str, folded_key: str) -> Entry | None:
        """`lookup` for keys already computed: ``exact_key`` without whitespace, ``folded_key`` squashed."""
        exact = self._exact.get(exact_key) if exact_key else None
        if exact:
            return exact[0]
        found = self._folded.get(folded_key)
        return found[0] if found else None

    def lookup_name(self, text: str) -> Entry | None:
        """The entry whose label squashes like ``text``, ignoring case sensitivity.

        For spans already judged to be names ("Max MSP" found by NER): the
        casing rule exists to keep ordinary words out, which a name is not.
        """
        return self._any_case.get(squash(text))

    def labels_of(self, entry_id: str) -> tuple[str, ...]:
        e = self.entries.get(entry_id)
        return (e.labels + e.case_sensitive_labels) if e else ()

    def is_prefix(self, key: str, *, exact: bool = False) -> bool:
        """Whether some label's key starts with ``key`` (lets matching stop early)."""
        return key in (self._exact_prefixes if exact else self._prefixes)


def _shouted_word(label: str) -> bool:
    """An all-caps label that is an ordinary word in lower case ("HEAR", "MIT") only matches in capitals."""
    if not (label.isalpha() and label.isupper() and len(label) <= 6):
        return False
    from .lexicon import common_word

    return common_word(label, "en", 3.5) or common_word(label, "fr", 3.5)


def _space(text: str) -> str:
    """Exact-case key: only whitespace is ignored ("C #" finds "C#")."""
    return re.sub(r"\s+", "", text)


@lru_cache(maxsize=8)
def load_vocabulary(paths: tuple[str, ...] = (str(DEFAULT_VOCABULARY),)) -> Vocabulary:
    """Parse SKOS Turtle files into a `Vocabulary`; malformed files raise `VocabularyError`."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, SKOS

    entries: list[Entry] = []
    for path in paths:
        p = Path(path)
        if not p.exists():
            raise VocabularyError(f"{p}: vocabulary file not found; check --vocabulary")
        g = Graph()
        try:
            g.parse(p, format="turtle")
        except Exception as e:  # rdflib raises several parser exception types
            line = getattr(e, "lines", None)
            why = getattr(e, "_why", None) or _first_line(e)
            where = f"line {line + 1}: " if isinstance(line, int) else ""
            raise VocabularyError(f"{p}: {where}not valid Turtle ({why}); fix the file") from None
        case_prop = URIRef(KGI + "caseSensitive")
        case_label = URIRef(KGI + "caseSensitiveLabel")
        kind_prop = URIRef(KGI + "toolKind")
        for s in sorted(set(g.subjects(RDF.type, SKOS.Concept)), key=str):
            types = [_TYPES[str(o)] for o in g.objects(s, RDF.type) if str(o) in _TYPES]
            if not types:
                raise VocabularyError(
                    f"{p}: entry <{s}> has no entity type; add 'a schema:SoftwareApplication' "
                    "(or Organization, CreativeWork, Event, Place, Person, DefinedTerm)"
                )
            prefs = sorted(g.objects(s, SKOS.prefLabel), key=lambda x: (getattr(x, "language", "") != "en", str(x)))
            if not prefs:
                raise VocabularyError(f"{p}: entry <{s}> has no skos:prefLabel; add one")
            alts = sorted(str(o) for o in g.objects(s, SKOS.altLabel))
            pref = {(getattr(x, "language", None) or "en"): str(x) for x in reversed(prefs)}
            cs = any(bool(o.toPython()) for o in g.objects(s, case_prop) if isinstance(o, Literal))
            entries.append(
                Entry(
                    id=str(s).rsplit("/", 1)[-1].rsplit("#", 1)[-1],
                    iri=str(s),
                    type=types[0] if "Concept" not in types else "Concept",
                    labels=tuple(dict.fromkeys([str(x) for x in prefs] + alts)),
                    pref=pref,
                    case_sensitive=cs,
                    case_sensitive_labels=tuple(sorted(str(o) for o in g.objects(s, case_label))),
                    kind=str(next(iter(g.objects(s, kind_prop)), "")),
                    same_as=tuple(sorted(str(o) for o in g.objects(s, SKOS.exactMatch))),
                )
            )
    return Vocabulary(entries)


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
