"""Human curation of resolved entities: merge, split, rename, retype, ignore, link.

A researcher keeps a YAML file next to the corpus and passes it to every
build (``kg build ... --curation curation.yaml``), so corrections survive
rebuilds.  Entities are referred to by id ("tool/stylegan") or by any of
their labels, case-insensitively.  See docs/curation.md.

    ignore: [tool/en-gros, "Clipe"]
    merge:
      - into: tool/stylegan
        from: [tool/style-gan-2]
    split:
      - entity: tool/processing
        into:
          - {label: processing, type: Concept, match: [processing]}
    rename: {tool/runway-ml: RunwayML}
    retype: {org/ak: Person}
    same_as: {tool/python: "http://www.wikidata.org/entity/Q28865"}
    authority: {person/ines-marchand: "https://orcid.org/0000-0002-1825-0097"}
    checked: [tool/python, place/paris]
    reject_link: {place/paris: "http://www.wikidata.org/entity/Q167646", org/ak: "*"}
    allow_link: [person/ines-marchand]
    occupation: {person/ines-marchand: designer}

``checked`` and ``authority`` are what the review mode of ``graph.html``
writes besides the older keys: each entity comes out of a curated build with
a review state (``unreviewed``, ``checked``, ``corrected``) and its authority
links, both in the RDF.  ``reject_link`` and ``allow_link`` speak to the reconciliation services of
``kg link`` (`kg.link`): candidates never to take for an entity ("*": never link it), and participants
or people named by a first name only that may be linked all the same.  ``occupation`` gives a person's occupation
or role, which the transcripts never state: it goes into the RDF (schema:jobTitle) and to the services, so that
they can tell namesakes apart.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import yaml

from .authority import AUTHORITIES, REVIEW_STATES, authority_of
from .errors import CurationError
from .model import ENTITY_TYPES, Entity, EntityType, MentionRef
from .resolve import TYPE_PREFIX
from .text import id_slug

KEYS = ("ignore", "merge", "split", "rename", "retype", "same_as", "authority", "checked", "reject_link", "allow_link",
        "occupation")
_WIKIDATA = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$")
__all__ = ["AUTHORITIES", "KEYS", "REVIEW_STATES", "Curation", "SplitPart", "apply_curation", "authority_of", "curate",
           "load_curation", "parse_curation"]


@dataclass(frozen=True)
class SplitPart:
    label: str
    type: EntityType
    match: tuple[str, ...]
    at: tuple[tuple[str, int], ...] = ()
    """Single mentions, by interview id and offset of the mention in its text ("interview:offset" in the file)."""


@dataclass(frozen=True)
class Curation:
    ignore: tuple[str, ...] = ()
    merge: tuple[tuple[str, tuple[str, ...]], ...] = ()
    split: tuple[tuple[str, tuple[SplitPart, ...]], ...] = ()
    rename: dict[str, str] = field(default_factory=dict)
    retype: dict[str, EntityType] = field(default_factory=dict)
    same_as: dict[str, str] = field(default_factory=dict)
    authority: dict[str, tuple[str, ...]] = field(default_factory=dict)
    checked: tuple[str, ...] = ()
    reject_link: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Entity -> service candidates (IRIs) never to link it to; "*" refuses every one."""
    allow_link: tuple[str, ...] = ()
    """Entities a service may link although kg would not ask (participants, people named by a first name)."""
    occupation: dict[str, str] = field(default_factory=dict)
    """Person -> their occupation or role ("designer"), as schema:jobTitle."""

    def to_json(self) -> dict[str, Any]:
        """The curation as plain data in the file's shape (what the page embeds, and writes back)."""
        def part(p: SplitPart) -> dict[str, Any]:
            out: dict[str, Any] = {"label": p.label, "type": p.type}
            if p.match or not p.at:
                out["match"] = list(p.match)
            if p.at:
                out["at"] = [f"{iv}:{start}" for iv, start in p.at]
            return out
        return {"ignore": list(self.ignore), "merge": [{"into": a, "from": list(b)} for a, b in self.merge],
                "split": [{"entity": e, "into": [part(p) for p in parts]} for e, parts in self.split],
                "rename": dict(self.rename), "retype": dict(self.retype), "same_as": dict(self.same_as),
                "authority": {k: list(v) for k, v in self.authority.items()}, "checked": list(self.checked),
                **({"reject_link": {k: list(v) for k, v in self.reject_link.items()}} if self.reject_link else {}),
                **({"allow_link": list(self.allow_link)} if self.allow_link else {}),
                **({"occupation": dict(self.occupation)} if self.occupation else {})}


class _Loader(yaml.SafeLoader):
    """Keeps the line of every mapping so errors can point at it."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__keys__"] = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_curation(path: str | Path) -> Curation:
    """Parse and check a curation file; any problem raises `CurationError` naming file and line."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CurationError(f"{p}: curation file not found; check --curation") from None
    except (OSError, UnicodeDecodeError) as e:
        raise CurationError(f"{p}: cannot be read as UTF-8 text ({e})") from None
    return parse_curation(text, p)


def parse_curation(text: str, p: str | Path = "curation") -> Curation:
    """`load_curation` of a file's text; ``p`` names it in errors."""
    try:
        data = yaml.load(text, Loader=_Loader) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "somewhere"
        problem = getattr(e, "problem", None) or e
        raise CurationError(f"{p}: {where}: not valid YAML ({problem}); fix the file") from None
    if not isinstance(data, dict):
        raise CurationError(f"{p}: line 1: expected a mapping with keys {', '.join(KEYS)}")

    def fail(line: object, msg: str) -> CurationError:
        return CurationError(f"{p}: line {line}: {msg}")

    line = data.pop("__line__", 1)
    keys_at = data.pop("__keys__", {})
    entry_at: dict[tuple[str, str], object] = {}
    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise fail(keys_at.get(str(unknown[0]), line), f"unknown key {unknown[0]!r}; use {', '.join(KEYS)}")

    def names(value: Any, what: str, at: object = None) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            raise fail(at or line, f"{what} must be a name or a list of names")
        return tuple(str(v) for v in value)

    def mapping(key: str) -> dict[str, str]:
        value = data.get(key) or {}
        if not isinstance(value, dict):
            raise fail(keys_at.get(key, line), f"{key} must map entity -> value")
        at = value.pop("__line__", line)
        lines = value.pop("__keys__", {})
        out = {}
        for k, v in value.items():
            entry_at[key, str(k)] = lines.get(str(k), at)
            if not isinstance(v, (str, int, float)):
                raise fail(entry_at[key, str(k)], f"{key}: the value for {k!r} must be text")
            out[str(k)] = str(v)
        return out

    def type_of(value: str, at: object) -> EntityType:
        for t in ENTITY_TYPES:
            if value.casefold() == t.casefold():
                return t
        raise fail(at, f"unknown type {value!r}; use one of {', '.join(ENTITY_TYPES)}")

    merges = []
    for item in data.get("merge") or []:
        at = item.get("__line__", line) if isinstance(item, dict) else keys_at.get("merge", line)
        if not isinstance(item, dict) or "into" not in item or "from" not in item:
            raise fail(at, "each merge needs 'into' and 'from'")
        merges.append((str(item["into"]), names(item["from"], "merge 'from'", at)))
    splits = []
    for item in data.get("split") or []:
        at = item.get("__line__", line) if isinstance(item, dict) else keys_at.get("split", line)
        if not isinstance(item, dict) or "entity" not in item or not isinstance(item.get("into"), list):
            raise fail(at, "each split needs 'entity' and an 'into' list")
        parts = []
        for part in item["into"]:
            pat = part.get("__line__", at) if isinstance(part, dict) else at
            if not isinstance(part, dict) or "label" not in part or ("match" not in part and "at" not in part):
                raise fail(pat, "each split part needs 'label' and 'match' or 'at' (and optionally 'type')")
            at = []
            for spot in names(part.get("at") or [], "split 'at'", pat):
                iv, _, offset = spot.rpartition(":")
                if not iv or not offset.isdigit():
                    raise fail(pat, f"split 'at' takes 'interview:offset' of a mention, not {spot!r}")
                at.append((iv, int(offset)))
            parts.append(SplitPart(str(part["label"]), type_of(str(part.get("type", "Concept")), pat),
                                   names(part.get("match") or [], "split 'match'", pat), tuple(at)))
        splits.append((str(item["entity"]), tuple(parts)))
    retypes = mapping("retype")
    retype = {k: type_of(v, entry_at["retype", k]) for k, v in retypes.items()}
    same_as = mapping("same_as")
    for k, v in same_as.items():
        if not _WIKIDATA.match(v):
            raise fail(entry_at["same_as", k],
                       f"same_as for {k!r} must be a Wikidata entity IRI (http://www.wikidata.org/entity/Q...)")
    authority: dict[str, tuple[str, ...]] = {}
    value = data.get("authority") or {}
    if not isinstance(value, dict):
        raise fail(keys_at.get("authority", line), "authority must map entity -> IRI or list of IRIs")
    at_line = value.pop("__line__", line)
    lines = value.pop("__keys__", {})
    for k, v in value.items():
        where = lines.get(str(k), at_line)
        iris = tuple(i.strip() for i in names(v, f"authority for {k!r}", where))
        for iri in iris:
            if authority_of(iri) is None:
                raise fail(where, f"authority for {k!r}: {iri[:80]!r} is not a Wikidata, VIAF, IdRef, ORCID or "
                                  "GeoNames IRI (http or https); see docs/curation.md")
        authority[str(k)] = tuple(dict.fromkeys(iris))
    reject_link: dict[str, tuple[str, ...]] = {}
    value = data.get("reject_link") or {}
    if not isinstance(value, dict):
        raise fail(keys_at.get("reject_link", line), "reject_link must map entity -> IRI, list of IRIs or \"*\"")
    at_line = value.pop("__line__", line)
    lines = value.pop("__keys__", {})
    for k, v in value.items():
        where = lines.get(str(k), at_line)
        iris = tuple(i.strip() for i in names(v, f"reject_link for {k!r}", where))
        for iri in iris:
            if iri != "*" and not re.match(r"^https?://\S+$", iri):
                raise fail(where, f"reject_link for {k!r}: {iri[:80]!r} is not an http(s) IRI or \"*\"")
        reject_link[str(k)] = tuple(dict.fromkeys(iris))
    occupation = {k: " ".join(v.split()) for k, v in mapping("occupation").items()}
    for k, v in occupation.items():
        if not v or v in ("True", "False"):  # YAML reads yes/no as booleans
            raise fail(entry_at["occupation", k], f"occupation for {k!r} must be a non-empty text such as "
                                                  "\"designer\"")
    return Curation(names(data.get("ignore") or [], "ignore", keys_at.get("ignore")), tuple(merges), tuple(splits),
                    mapping("rename"), retype, same_as, authority,
                    names(data.get("checked") or [], "checked", keys_at.get("checked")), reject_link,
                    names(data.get("allow_link") or [], "allow_link", keys_at.get("allow_link")), occupation)


def apply_curation(entities: tuple[Entity, ...], curation: Curation, *,
                   warn: Callable[[str], None] = lambda _: None) -> tuple[Entity, ...]:
    """Apply a curation to resolved entities, one action after the other in the file's order of sections:
    ignore, merge, split, rename, retype, same_as, authority, occupation, checked.  References that match
    nothing only warn.

    An entity an action changed comes out ``corrected``, one only listed under ``checked`` comes out
    ``checked``, the rest ``unreviewed``.  An id a retype changed can still be referred to by its old
    one (the page writes the ids it shows, which are those before its retype)."""
    curating = _Curating(entities, warn)
    curating.ignore(curation.ignore)
    curating.merge(curation.merge)
    curating.split(curation.split)
    curating.rename(curation.rename)
    curating.retype(curation.retype)
    curating.link(curation.same_as)
    curating.attach(curation.authority)
    curating.describe(curation.occupation)
    curating.check(curation.checked)
    return curating.result()


def curate(entities: tuple[Entity, ...], path: str | Path, *,
           warn: Callable[[str], None] = lambda _: None) -> tuple[tuple[Entity, ...], dict[str, str]]:
    """`load_curation` and `apply_curation`, and what the build's provenance records of the file: its name,
    checksum, its content (as JSON, for the page) and the entries that matched nothing ("stale")."""
    p = Path(path)
    curation = load_curation(p)
    stale: list[str] = []

    def said(message: str) -> None:
        stale.append(message)
        warn(message)

    curated = apply_curation(entities, curation, warn=said)
    return curated, {
        "curation_file": p.name,
        "curation_checksum": "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest(),
        "curation": json.dumps(curation.to_json(), ensure_ascii=False, sort_keys=True),
        "curation_stale": json.dumps(stale, ensure_ascii=False),
    }


T = TypeVar("T")


def _by_position(ref: MentionRef) -> tuple[str, int]:
    return ref.interview, ref.mention.start


class _Curating:
    """The entities as the curation leaves them so far, by id; each action finds its references among them."""

    def __init__(self, entities: Iterable[Entity], warn: Callable[[str], None]) -> None:
        self.entities = {e.id: e for e in entities}
        self.warn = warn
        self.moved: dict[str, str] = {}
        """old id -> new id, for the ids a retype changed"""
        self.corrected: set[str] = set()
        self.checked: set[str] = set()

    def result(self) -> tuple[Entity, ...]:
        def state(e: Entity) -> Entity:
            review = "corrected" if e.id in self.corrected else "checked" if e.id in self.checked else "unreviewed"
            return e if review == e.review else replace(e, review=review)
        return tuple(sorted((state(e) for e in self.entities.values()), key=lambda e: e.id))

    def find(self, ref: str) -> Entity | None:
        """The entity whose id, label or alias (ignoring case) is ``ref``, or None."""
        seen = set()
        while ref in self.moved and ref not in self.entities and ref not in seen:
            seen.add(ref)
            ref = self.moved[ref]
        if ref in self.entities:
            return self.entities[ref]
        folded = ref.casefold()
        for e in self.entities.values():
            if e.label.casefold() == folded or any(a.casefold() == folded for a in e.alt_labels):
                return e
        return None

    def missing(self, action: str, ref: str) -> None:
        self.warn(f"curation: {action} {ref!r} matches no entity; check the id with kg entities")

    def found(self, action: str, items: Iterable[tuple[str, T]]) -> Iterator[tuple[Entity, T]]:
        """For each (reference, value), the entity referred to as it stands when reached, and the value;
        a reference that matches nothing is said (``action`` names it) and skipped."""
        for ref, value in items:
            e = self.find(ref)
            if e is None:
                self.missing(action, ref)
            else:
                yield e, value

    def ignore(self, refs: Iterable[str]) -> None:
        for e, _ in self.found("ignore", ((ref, None) for ref in refs)):
            del self.entities[e.id]

    def merge(self, merges: Iterable[tuple[str, tuple[str, ...]]]) -> None:
        """Each group into its target: the labels become aliases, the mentions and speakers the target's."""
        for into, sources in merges:
            target = self.find(into)
            if target is None:
                self.missing("merge into", into)
                continue
            for e, _ in self.found("merge", ((ref, None) for ref in sources)):
                if e.id == target.id:
                    continue
                target = replace(
                    target,
                    alt_labels=tuple(sorted((set(target.alt_labels) | set(e.alt_labels) | {e.label}) - {target.label})),
                    mentions=tuple(sorted(set(target.mentions) | set(e.mentions), key=_by_position)),
                    speaker_of=tuple(sorted(set(target.speaker_of) | set(e.speaker_of))),
                )
                del self.entities[e.id]
                self.corrected.add(target.id)
            self.entities[target.id] = target

    def split(self, splits: Iterable[tuple[str, tuple[SplitPart, ...]]]) -> None:
        """Each entity's mentions by surface form into new entities; what no part takes stays with it."""
        for e, parts in self.found("split", splits):
            rest = list(e.mentions)
            new_ids = set()
            for part in parts:
                # exact surface forms: "processing" (the concept) is not "Processing" (the tool)
                taken = [r for r in rest if r.mention.text in part.match or (r.interview, r.mention.start) in part.at]
                rest = [r for r in rest if r not in taken]
                new_id = f"{TYPE_PREFIX[part.type]}/{id_slug(part.label)}"
                new_ids.add(new_id)
                self.corrected.add(new_id)
                aliases = tuple(sorted({r.mention.text for r in taken} - {part.label}))
                other = self.entities.get(new_id) if new_id != e.id else None
                if other is not None:  # a part named as another entity joins it (never replaces it)
                    self.entities[new_id] = replace(
                        other, alt_labels=tuple(sorted((set(other.alt_labels) | set(aliases)) - {other.label})),
                        mentions=tuple(sorted(set(other.mentions) | set(taken), key=_by_position)))
                    continue
                self.entities[new_id] = Entity(new_id, part.type, part.label, aliases, tuple(taken), e.confidence)
            if e.id in new_ids:  # a part kept the entity's id: it is the entity, with what no other part took
                same = self.entities[e.id]
                refs = sorted([*same.mentions, *rest], key=_by_position)
                alts = (set(same.alt_labels) | {r.mention.text for r in rest}) - {same.label}
                self.entities[e.id] = replace(same, mentions=tuple(refs), alt_labels=tuple(sorted(alts)),
                                              speaker_of=e.speaker_of, same_as=e.same_as)
            elif rest or e.speaker_of:
                self.corrected.add(e.id)
                kept = {r.mention.text for r in rest}
                moved = {m for part in parts for m in part.match} - kept
                self.entities[e.id] = replace(e, mentions=tuple(rest),
                                              alt_labels=tuple(a for a in e.alt_labels if a not in moved))
            else:
                del self.entities[e.id]

    def rename(self, labels: Mapping[str, str]) -> None:
        """A new preferred label; the old one becomes an alias (the id, hence the IRI, stays)."""
        for e, label in self.found("rename", labels.items()):
            others = tuple(sorted((set(e.alt_labels) | {e.label}) - {label}))
            self.entities[e.id] = replace(e, label=label, alt_labels=others)
            self.corrected.add(e.id)

    def retype(self, types: Mapping[str, EntityType]) -> None:
        """A corrected type, and the id of that type; the curator's word makes it certain."""
        for e, type_ in self.found("retype", types.items()):
            new_id = f"{TYPE_PREFIX[type_]}/{e.id.split('/', 1)[1]}"
            del self.entities[e.id]
            if new_id != e.id:
                self.moved[e.id] = new_id
            self.corrected.add(new_id)
            self.entities[new_id] = replace(e, id=new_id, type=type_, confidence=1.0)

    def link(self, iris: Mapping[str, str]) -> None:
        """Reviewed ``same_as`` links (Wikidata IRIs)."""
        for e, iri in self.found("same_as", iris.items()):
            self.entities[e.id] = replace(e, same_as=(iri,))
            self.corrected.add(e.id)

    def attach(self, links: Mapping[str, tuple[str, ...]]) -> None:
        """Authority links (skos:exactMatch), added to those the entity has."""
        for e, iris in self.found("authority", links.items()):
            self.entities[e.id] = replace(e, links=tuple(dict.fromkeys((*e.links, *iris))))
            self.corrected.add(e.id)

    def describe(self, occupations: Mapping[str, str]) -> None:
        """A person's occupation; another kind of entity has none, so giving it one only warns."""
        for e, occupation in self.found("occupation", occupations.items()):
            if e.type != "Person":
                self.warn(f"curation: occupation for {e.id!r}: only a person has one; retype it to Person or "
                          "remove the entry")
                continue
            self.entities[e.id] = replace(e, occupation=occupation)
            self.corrected.add(e.id)

    def check(self, refs: Iterable[str]) -> None:
        """Entities a curator looked at and found right."""
        for e, _ in self.found("checked", ((ref, None) for ref in refs)):
            self.checked.add(e.id)
