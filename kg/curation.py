"""Human curation of resolved entities: merge, split, rename, retype, ignore, link.

A researcher keeps a YAML file next to the corpus and passes it to every
build (``kg build ... --curation curation.yaml``), so corrections survive
rebuilds.  Entities are referred to by id ("tool/stylegan") or by any of
their labels, case-insensitively.  See README "Curating entities".

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
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from slugify import slugify

from .errors import CurationError
from .model import ENTITY_TYPES, Entity, EntityType
from .resolve import TYPE_PREFIX

KEYS = ("ignore", "merge", "split", "rename", "retype", "same_as")
_WIKIDATA = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$")


@dataclass(frozen=True)
class SplitPart:
    label: str
    type: EntityType
    match: tuple[str, ...]


@dataclass(frozen=True)
class Curation:
    ignore: tuple[str, ...] = ()
    merge: tuple[tuple[str, tuple[str, ...]], ...] = ()
    split: tuple[tuple[str, tuple[SplitPart, ...]], ...] = ()
    rename: dict[str, str] = field(default_factory=dict)
    retype: dict[str, EntityType] = field(default_factory=dict)
    same_as: dict[str, str] = field(default_factory=dict)


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
            if not isinstance(part, dict) or "label" not in part or "match" not in part:
                raise fail(pat, "each split part needs 'label' and 'match' (and optionally 'type')")
            parts.append(SplitPart(str(part["label"]), type_of(str(part.get("type", "Concept")), pat),
                                   names(part["match"], "split 'match'", pat)))
        splits.append((str(item["entity"]), tuple(parts)))
    retypes = mapping("retype")
    retype = {k: type_of(v, entry_at["retype", k]) for k, v in retypes.items()}
    same_as = mapping("same_as")
    for k, v in same_as.items():
        if not _WIKIDATA.match(v):
            raise fail(entry_at["same_as", k],
                       f"same_as for {k!r} must be a Wikidata entity IRI (http://www.wikidata.org/entity/Q...)")
    return Curation(names(data.get("ignore") or [], "ignore", keys_at.get("ignore")), tuple(merges), tuple(splits),
                    mapping("rename"), retype, same_as)


def _finder(entities: dict[str, Entity]) -> Callable[[str], Entity | None]:
    def find(ref: str) -> Entity | None:
        if ref in entities:
            return entities[ref]
        folded = ref.casefold()
        for e in entities.values():
            if e.label.casefold() == folded or any(a.casefold() == folded for a in e.alt_labels):
                return e
        return None
    return find


def apply_curation(entities: tuple[Entity, ...], curation: Curation, *,
                   warn: Callable[[str], None] = lambda _: None) -> tuple[Entity, ...]:
    """Apply a curation to resolved entities; references that match nothing only warn."""
    ents = {e.id: e for e in entities}
    find = _finder(ents)

    def missing(action: str, ref: str) -> None:
        warn(f"curation: {action} {ref!r} matches no entity; check the id with kg entities")

    for ref in curation.ignore:
        e = find(ref)
        if e is None:
            missing("ignore", ref)
        else:
            del ents[e.id]
    for into, sources in curation.merge:
        target = find(into)
        if target is None:
            missing("merge into", into)
            continue
        for ref in sources:
            e = find(ref)
            if e is None or e.id == target.id:
                if e is None:
                    missing("merge", ref)
                continue
            target = replace(
                target,
                alt_labels=tuple(sorted((set(target.alt_labels) | set(e.alt_labels) | {e.label}) - {target.label})),
                mentions=tuple(sorted(set(target.mentions) | set(e.mentions),
                                      key=lambda r: (r.interview, r.mention.start))),
                speaker_of=tuple(sorted(set(target.speaker_of) | set(e.speaker_of))),
            )
            del ents[e.id]
        ents[target.id] = target
    for ref, parts in curation.split:
        e = find(ref)
        if e is None:
            missing("split", ref)
            continue
        rest = list(e.mentions)
        new_ids = set()
        for part in parts:
            # exact surface forms: "processing" (the concept) is not "Processing" (the tool)
            taken = [r for r in rest if r.mention.text in part.match]
            rest = [r for r in rest if r not in taken]
            new_id = f"{TYPE_PREFIX[part.type]}/{slugify(part.label)}"
            new_ids.add(new_id)
            aliases = tuple(sorted({r.mention.text for r in taken} - {part.label}))
            ents[new_id] = Entity(new_id, part.type, part.label, aliases,
                                  tuple(taken), e.confidence)
        if e.id in new_ids:  # a part kept the entity's id: it is the entity, with what no other part took
            same = ents[e.id]
            refs = sorted([*same.mentions, *rest], key=lambda r: (r.interview, r.mention.start))
            alts = (set(same.alt_labels) | {r.mention.text for r in rest}) - {same.label}
            ents[e.id] = replace(same, mentions=tuple(refs), alt_labels=tuple(sorted(alts)),
                                 speaker_of=e.speaker_of, same_as=e.same_as)
        elif rest or e.speaker_of:
            kept = {r.mention.text for r in rest}
            moved = {m for part in parts for m in part.match} - kept
            ents[e.id] = replace(e, mentions=tuple(rest), alt_labels=tuple(a for a in e.alt_labels if a not in moved))
        else:
            del ents[e.id]
    for ref, label in curation.rename.items():
        e = find(ref)
        if e is None:
            missing("rename", ref)
        else:
            others = tuple(sorted((set(e.alt_labels) | {e.label}) - {label}))
            ents[e.id] = replace(e, label=label, alt_labels=others)
    for ref, type_ in curation.retype.items():
        e = find(ref)
        if e is None:
            missing("retype", ref)
        else:
            new_id = f"{TYPE_PREFIX[type_]}/{e.id.split('/', 1)[1]}"
            del ents[e.id]
            ents[new_id] = replace(e, id=new_id, type=type_, confidence=1.0)
    for ref, iri in curation.same_as.items():
        e = find(ref)
        if e is None:
            missing("same_as", ref)
        else:
            ents[e.id] = replace(e, same_as=(iri,))
    return tuple(sorted(ents.values(), key=lambda e: e.id))
