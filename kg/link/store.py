"""The link cache: every answer a reconciliation service gave, in one SQLite file, so that a rebuild never
asks twice and ``--offline`` can link from it alone.

What is kept is the service's raw answer (its candidates) for each query, never kg's decision: changing the
threshold or the curation file decides again from the same answers.  Each batch of answers is written in one
transaction and SQLite's journal (WAL) makes a write all-or-nothing, so a process killed in the middle (even
with kill -9) leaves the answers committed before it, never a half-written row.  A file that is not a link
cache (or a damaged one) is set aside under another name and a new cache is started: it only ever held what
can be asked again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import KgError

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS manifests (service TEXT PRIMARY KEY, manifest TEXT NOT NULL, fetched REAL NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    service TEXT NOT NULL, key TEXT NOT NULL, query TEXT NOT NULL, candidates TEXT NOT NULL, fetched REAL NOT NULL,
    PRIMARY KEY (service, key));
"""


def query_key(query: Mapping[str, Any]) -> str:
    """The key of a query in the cache: a hash of its canonical JSON (same query, same key).

    Examples:
        >>> query_key({"query": "Paris", "type": "Q515"}) == query_key({"type": "Q515", "query": "Paris"})
        True
    """
    text = json.dumps(query, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class LinkCache:
    """The SQLite link cache at ``path`` (``":memory:"`` for none that lasts); a context manager."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.set_aside: Path | None = None
        try:
            self.db = self._open()
        except sqlite3.DatabaseError:
            if self.path == ":memory:":
                raise
            self.set_aside = Path(self.path + ".damaged")
            Path(self.path).replace(self.set_aside)
            for extra in ("-wal", "-shm"):
                Path(self.path + extra).unlink(missing_ok=True)
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        except sqlite3.OperationalError as e:
            raise KgError(f"{self.path}: cannot open the link cache ({e}); check the folder or pass --link-cache") \
                from None
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif row[0] != str(SCHEMA_VERSION):
                raise sqlite3.DatabaseError("another schema")
            db.execute("SELECT count(*) FROM answers").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> LinkCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def manifest(self, service: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT manifest FROM manifests WHERE service=?", (service,)).fetchone()
        return json.loads(row[0]) if row else None

    def put_manifest(self, service: str, manifest: Mapping[str, Any]) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO manifests VALUES (?, ?, ?)",
                            (service, json.dumps(manifest, ensure_ascii=False), time.time()))

    def answers(self, service: str, keys: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """The cached candidates of those of ``keys`` the cache holds for ``service``."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, list[dict[str, Any]]] = {}
        for i in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
            part = wanted[i:i + 500]
            marks = ",".join("?" * len(part))
            for key, candidates in self.db.execute(
                    f"SELECT key, candidates FROM answers WHERE service=? AND key IN ({marks})", (service, *part)):
                found[key] = json.loads(candidates)
        return found

    def put_answers(self, service: str, answers: Iterable[tuple[Mapping[str, Any], list[dict[str, Any]]]]) -> None:
        """Store one batch of (query, candidates) in one transaction: all of it, or none after a kill."""
        now = time.time()
        rows = [(service, query_key(q), json.dumps(q, ensure_ascii=False, sort_keys=True),
                 json.dumps(c, ensure_ascii=False), now) for q, c in answers]
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)", rows)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM answers").fetchone()[0])

    def check(self) -> str:
        """SQLite's own integrity check: ``"ok"`` for a sound file."""
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])
