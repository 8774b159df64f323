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
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

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

    @cached_property
    def digest(self) -> str:
        """A hash of every entry: what extraction caches key their entries by, whichever files the vocabulary came
        from (a library caller may build one in code)."""
        import hashlib

        return hashlib.sha256(repr(list(self.entries.values())).encode()).hexdigest()

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
    """Parse SKOS Turtle files into a `Vocabulary`; malformed files raise `VocabularyError`.

    Parsed with Oxigraph, which kg needs for its store anyway: rdflib took over half a second for the shipped
    vocabulary, on every build.
    """
    entries: list[Entry] = []
    for path in paths:
        p = Path(path)
        if not p.exists():
            raise VocabularyError(f"{p}: vocabulary file not found; check --vocabulary")
        for s, about in sorted(_statements(p).items()):
            types = [_TYPES[o.value] for o in about.get(_RDF_TYPE, ()) if o.value in _TYPES]
            if not types:
                raise VocabularyError(
                    f"{p}: entry <{s}> has no entity type; add 'a schema:SoftwareApplication' "
                    "(or Organization, CreativeWork, Event, Place, Person, DefinedTerm)"
                )
            prefs = sorted(about.get(_SKOS + "prefLabel", ()), key=lambda x: (_language(x) != "en", x.value))
            if not prefs:
                raise VocabularyError(f"{p}: entry <{s}> has no skos:prefLabel; add one")
            alts = sorted(o.value for o in about.get(_SKOS + "altLabel", ()))
            pref = {(_language(x) or "en"): x.value for x in reversed(prefs)}
            cs = any(_true(o) for o in about.get(KGI + "caseSensitive", ()))
            entries.append(
                Entry(
                    id=s.rsplit("/", 1)[-1].rsplit("#", 1)[-1],
                    iri=s,
                    type=types[0] if "Concept" not in types else "Concept",
                    labels=tuple(dict.fromkeys([x.value for x in prefs] + alts)),
                    pref=pref,
                    case_sensitive=cs,
                    case_sensitive_labels=tuple(sorted(o.value for o in about.get(KGI + "caseSensitiveLabel", ()))),
                    kind=min((o.value for o in about.get(KGI + "toolKind", ())), default=""),
                    same_as=tuple(sorted(o.value for o in about.get(_SKOS + "exactMatch", ()))),
                )
            )
    return Vocabulary(entries)


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SKOS = "http://www.w3.org/2004/02/skos/core#"


def _statements(path: Path) -> dict[str, dict[str, set[Any]]]:
    """The file's SKOS concepts (IRIs), each with its objects by predicate IRI; `VocabularyError` if not Turtle."""
    import pyoxigraph as ox

    by_subject: dict[str, dict[str, set[Any]]] = {}
    try:
        triples = list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    except SyntaxError as e:
        raise VocabularyError(f"{path}: not valid Turtle ({_first_line(e)}); fix the file") from None
    except OSError as e:
        raise VocabularyError(f"{path}: cannot read it ({e.strerror or e}); check --vocabulary") from None
    for t in triples:
        if isinstance(t.subject, ox.NamedNode):
            by_subject.setdefault(t.subject.value, {}).setdefault(t.predicate.value, set()).add(t.object)
    concept = ox.NamedNode(_SKOS + "Concept")
    return {s: about for s, about in by_subject.items() if concept in about.get(_RDF_TYPE, ())}


def _language(term: Any) -> str | None:
    return getattr(term, "language", None)


def _true(term: Any) -> bool:
    """A literal that says yes: xsd:boolean true (or 1), as rdflib's ``toPython`` read it."""
    import pyoxigraph as ox

    return isinstance(term, ox.Literal) and term.value.strip().lower() in ("true", "1")


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
