"""Per-interview extraction cache, so a rebuild only re-extracts what changed.

An entry is keyed by the transcript file's path and a hash of its bytes plus
everything that changes extraction (kg version and extraction code,
vocabulary files, format, language and model options); the model and its
version, which depend on the interview's language, are stored in the entry
and checked when it is read.  Entries are JSON (never pickle: a cache folder may be
shared, and reading it must not run code), written atomically, and checked
when read: a corrupt entry is reported and rebuilt.  A writer killed mid-write
(SIGKILL skips every cleanup) leaves a ``.entry.*.tmp`` file; opening the cache
deletes those that are old enough not to belong to a build still running.

Entries of older code or options are never read again, so the folder would
grow by a corpus's worth with every kg upgrade: an entry's modification time
is its last use (a build that reads it touches it), and `prune` removes those
unused for a while (`kg build` does so for `UNUSED_DAYS`, ``kg cache prune``
on demand).  Age, not "unused by this build": a cache may be shared by
builds of different corpora or subsets.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import orjson

from .digest import code_digest, fingerprint
from .files import shared_file_mode
from .model import Interview, Mention, Participant, Sentence, Turn

SCHEMA_VERSION = 2

TEMP_PREFIX, TEMP_SUFFIX = ".entry.", ".tmp"
STALE_TEMP_S = 10 * 60
"""A temporary entry untouched for this long is a dead writer's: a live one writes its entry in well under a second."""
UNUSED_DAYS = 30
"""``kg build`` removes cache entries no build has used for this many days."""
ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")
"""What an entry's file is called: nothing else in a folder is ever counted or removed as one."""


def source_key(path: Path, fingerprint: str) -> str | None:
    """Key of one file's extraction: the path as given, a hash of its bytes, and the build fingerprint.

    Keyed by the raw bytes, not the parsed interview, so that finding an
    unchanged file costs a hash, not a parse.  None when the file cannot be
    read: reading it again will say why.
    """
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    content = hashlib.sha256(data).hexdigest()
    key = f"{SCHEMA_VERSION}|{fingerprint}|{path}|{content}"
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def extraction_fingerprint(*parts: str) -> str:
    """Hash of everything besides the transcript and the model that changes extraction, kg's own code included."""
    return fingerprint(extraction_code_digest(), *parts)


AFTER_EXTRACTION = ("resolve.py", "curation.py", "rdf", "page", "pipeline", "review.py", "evaluate.py", "training.py",
                    "sparql.py", "serve.py", "stamp.py", "files.py", "cli.py", "__main__.py",
                    "timecodes.py", "media.py", "export", "link", "consent", "store.py", "storefeed.py", "gate.py",
                    "deadline.py", "authority.py", "speakers.py")
"""The parts of kg that run after extraction, or never during it: changing them must not throw away the
cache (hours of extraction on a large corpus).  Everything else, a new module included, counts as
extraction code."""


def extraction_code_digest(root: Path | None = None) -> str:
    """Hash of kg's extraction code: entries written by other code are never reused, release or not.

    ``root`` stands for kg's folder (tests hash an edited copy).
    """
    return code_digest(exclude=AFTER_EXTRACTION, root=root)


class ExtractionCache:
    """A folder of ``<key>.json`` entries."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.remove_stale_temps()

    def remove_stale_temps(self, older_than_s: float = STALE_TEMP_S) -> list[Path]:
        """Delete temporary entries a killed writer left, if older than ``older_than_s``; return them.

        Younger ones may be a concurrent build's entry being written, and are
        kept.  Never fails: an unreadable or read-only cache is left as it is.
        """
        removed: list[Path] = []
        limit = time.time() - older_than_s
        try:
            candidates = list(self.folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))
        except OSError:
            return removed
        for p in candidates:
            try:
                st = p.lstat()
                if stat.S_ISREG(st.st_mode) and st.st_mtime < limit:
                    p.unlink()
                    removed.append(p)
            except OSError:
                pass
        return removed

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str, model_of: Callable[[str | None], str] | None = None) -> Interview | None:
        """The cached interview, None when absent or extracted by another model than ``model_of(its language)``.

        The model is checked here rather than put in the key because which
        model applies depends on the interview's language, known only once
        the file is read.  Raises ValueError for a corrupt entry.
        """
        p = self.path(key)
        try:
            raw = p.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            raise ValueError(f"corrupt cache entry {p.name} ({e})") from None
        try:
            os.utime(p)  # its last use, which pruning goes by
        except OSError:
            pass  # a read-only shared cache is still read
        try:
            data = _loads(raw)
            if data.get("schema") != SCHEMA_VERSION or data.get("key") != key:
                raise ValueError("entry written by another version")
            if model_of is not None and data.get("model") != model_of(data["interview"].get("language")):
                return None
            iv = interview_from_dict(data["interview"])
            _check(iv)
            return iv
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise ValueError(f"corrupt cache entry {p.name} ({e})") from None

    def put(self, key: str, interview: Interview, model: str) -> None:
        """Store ``interview`` as extracted by ``model`` ("name version")."""
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = _dumps({"schema": SCHEMA_VERSION, "key": key, "model": model,
                          "interview": interview_to_dict(interview)})
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=self.folder)
        os.fchmod(fd, shared_file_mode())  # mkstemp makes 0600; the cache may be shared
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, self.path(key))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def entries(self) -> list[tuple[Path, int, float]]:
        """(path, bytes, last use as a POSIX time) of every entry; none for a missing folder."""
        try:
            found = [p for p in self.folder.iterdir() if ENTRY_NAME.fullmatch(p.name)]
        except OSError:
            return []
        out = []
        for p in found:
            try:
                st = p.stat()
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                out.append((p, st.st_size, st.st_mtime))
        return sorted(out)

    def prune(self, unused_days: float, *, dry_run: bool = False) -> tuple[int, int]:
        """Remove the entries no build has used for ``unused_days`` (0: every entry); (entries, bytes) removed.

        Never fails: an entry that cannot be removed is left, and a concurrent
        build that finds an entry gone extracts its interview again.
        """
        limit = time.time() - unused_days * 86400
        removed = freed = 0
        for p, size, used in self.entries():
            if unused_days > 0 and used >= limit:
                continue
            try:
                if not dry_run:
                    p.unlink()
            except OSError:
                continue
            removed, freed = removed + 1, freed + size
        return removed, freed

    def discard(self, key: str) -> None:
        try:
            self.path(key).unlink()
        except FileNotFoundError:
            pass


def _dumps(data: dict[str, Any]) -> bytes:
    """JSON bytes by orjson (several times faster than json: the main process writes an entry per interview
    while the workers extract); json's escapes for text orjson refuses (lone surrogates from odd encodings)."""
    try:
        return orjson.dumps(data)
    except TypeError:
        return json.dumps(data, ensure_ascii=True).encode("ascii")


def _loads(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw.decode("utf-8"))  # escaped lone surrogates, which only json reads back


def interview_to_dict(iv: Interview) -> dict[str, Any]:
    data = asdict(iv)
    data["metadata"] = dict(iv.metadata)
    return data


def interview_from_dict(d: dict[str, Any]) -> Interview:
    # fields by position, not by ``**`` merges: a rebuild of a large corpus makes millions of these objects
    mention = _mention
    turns = tuple(
        Turn(t["index"], t["start"], t["end"], t["text"], _shared(t["speaker"]), t["label"], t["kind"], t["timestamp"],
             tuple(Sentence(s["start"], s["end"], s["text"], tuple(map(mention, s["mentions"])))
                   for s in t["sentences"]),
             t["start_time"], t["end_time"], tuple((a, b) for a, b in t["times"]))
        for t in d["turns"]
    )
    participants = tuple(Participant(**{**p, "labels": tuple(p["labels"])}) for p in d["participants"])
    return Interview(**{**d, "turns": turns, "participants": participants, "warnings": tuple(d["warnings"]),
                        "metadata": dict(d["metadata"]), "marked": tuple((a, b) for a, b in d.get("marked", ()))})


def _shared(text: str | None) -> str | None:
    """One string object for values that repeat down a corpus (types, extractor names, speakers).

    The JSON decoder makes a new string for every occurrence; a large build
    holds every interview at once, and these are most of its strings.
    """
    return sys.intern(text) if text else text


def _mention(m: dict[str, Any]) -> Mention:
    intern = _shared
    return Mention(m["start"], m["end"], m["text"], intern(m["label"]), m["score"],  # type: ignore[arg-type]
                   intern(m["source"]), intern(m["key"]))  # type: ignore[arg-type]


def _check(iv: Interview) -> None:
    """Offsets must still reproduce their text: a cheap guard against damaged entries."""
    for t in iv.turns:
        if iv.text[t.start:t.end] != t.text:
            raise ValueError(f"turn {t.index} does not match the text")
        for s in t.sentences:
            for m in s.mentions:
                if iv.text[m.start:m.end] != m.text:
                    raise ValueError(f"mention {m.start}-{m.end} does not match the text")
