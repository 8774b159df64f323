"""A client of the W3C Entity Reconciliation API (the protocol OpenRefine speaks): the service manifest and
batched queries, with timeouts, retries and the service's rate limits respected.

Requests are sent the way OpenRefine sends them (``queries=`` holding a JSON object of named queries, as a form
POST), which every service of the 0.1 and 0.2 versions of the API answers; an answer in the shape of the later
drafts (``{"results": [{"candidates": ...}]}``) is read as well.  Nothing here decides or caches: `kg.link`
does, from the candidates this module returns.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

from .. import __version__
from ..errors import KgError

USER_AGENT = f"kg/{__version__} (research-interview knowledge graphs; W3C reconciliation client)"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_ANSWER = 32 * 2**20
"""The largest answer read (bytes): a service is not trusted to stop."""
MAX_WAIT = 60.0
"""The longest wait between two tries, whatever a Retry-After asks."""


class ServiceError(Exception):
    """A service did not answer usefully (down, too slow, HTTP error, not JSON): a warning, never an error."""


class ManifestError(KgError):
    """The URL answers, but not with a reconciliation service manifest: the user named the wrong URL."""


@dataclass(frozen=True)
class ServiceType:
    id: str
    name: str


@dataclass(frozen=True)
class Manifest:
    """What kg reads of a service manifest."""

    url: str
    name: str
    identifier_space: str
    schema_space: str
    types: tuple[ServiceType, ...] = ()
    versions: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)

    def iri(self, candidate_id: str) -> str:
        """A candidate's IRI: its id when it is one already, else the identifier space followed by the id."""
        if candidate_id.startswith(("http://", "https://")):
            return candidate_id
        return self.identifier_space + candidate_id


def check_url(url: str) -> str:
    """A service URL as given, when it is an http(s) URL; a one-line error otherwise (no ``file:`` or other
    scheme reaches urllib)."""
    parts = urllib.parse.urlsplit(url.replace("{lang}", "xx"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise KgError(f"{url[:120]!r} is not an http(s) URL; pass a reconciliation service's endpoint, e.g. "
                      "https://wikidata.reconci.link/{lang}/api")
    return url


def _not_a_service(url: str, what: str) -> ManifestError:
    return ManifestError(f"{url} is not a reconciliation service: its manifest {what}; "
                         "pass the service's endpoint URL (the one OpenRefine is given)")


def parse_manifest(url: str, data: object) -> Manifest:
    """Check a manifest (name, identifierSpace and schemaSpace are required) and read it."""
    if not isinstance(data, dict):
        raise _not_a_service(url, "is not a JSON object")
    for key in ("name", "identifierSpace", "schemaSpace"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise _not_a_service(url, f"has no {key}")
    types = []
    for t in data.get("defaultTypes") or []:
        if isinstance(t, dict) and isinstance(t.get("id"), str):
            types.append(ServiceType(t["id"], str(t.get("name") or t["id"])))
    versions = tuple(str(v) for v in data.get("versions") or [] if isinstance(v, str))
    return Manifest(url, data["name"].strip(), data["identifierSpace"].strip(), data["schemaSpace"].strip(),
                    tuple(types), versions, data)


@dataclass(frozen=True)
class Transport:
    """How to talk to services: per-request timeout, tries, and the first wait between tries (doubled each time)."""

    timeout: float = 10.0
    tries: int = 4
    backoff: float = 0.5
    calls: list[str] = field(default_factory=list, compare=False, repr=False)
    """Every request sent (its URL), for the report and the tests of ``--offline``."""

    def request(self, url: str, data: bytes | None = None, language: str | None = None) -> object:
        """The JSON a URL answers (POST when ``data``), trying again on timeouts, 429 and 5xx; ``language`` is
        sent as Accept-Language (a service that knows it answers with names and descriptions in it)."""
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if language:
            headers["Accept-Language"] = language
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        problem = "no answer"
        for attempt in range(self.tries):
            self.calls.append(url)
            wait = self.backoff * 2 ** attempt
            try:
                with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers),
                                            timeout=self.timeout) as answer:
                    body = answer.read(MAX_ANSWER + 1)
            except urllib.error.HTTPError as e:
                problem = f"HTTP {e.code}"
                if e.code not in RETRY_STATUS:
                    raise ServiceError(problem) from None
                wait = max(wait, _retry_after(e.headers.get("Retry-After")))
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as e:
                reason = getattr(e, "reason", e)
                problem = "timed out" if isinstance(reason, TimeoutError) or "timed out" in str(reason) \
                    else f"unreachable ({reason})"
            else:
                if len(body) > MAX_ANSWER:
                    raise ServiceError(f"answered with more than {MAX_ANSWER // 2**20} MiB")
                try:
                    return json.loads(body)
                except ValueError:
                    raise ServiceError("answered with something that is not JSON") from None
            if attempt + 1 < self.tries:
                time.sleep(min(wait, MAX_WAIT))
        raise ServiceError(f"{problem} after {self.tries} tries")


def _retry_after(value: str | None) -> float:
    """Seconds a Retry-After header asks to wait (a number of seconds or an HTTP date); 0 when absent."""
    if not value:
        return 0.0
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return 0.0


def fetch_manifest(url: str, transport: Transport) -> Manifest:
    """The service's manifest; `ServiceError` when it cannot be had, `ManifestError` when it is not one."""
    try:
        data = transport.request(url)
    except ServiceError as e:
        if "not JSON" in str(e):
            raise _not_a_service(url, "is not JSON") from None
        raise
    return parse_manifest(url, data)


def reconcile(manifest: Manifest, queries: Sequence[Mapping[str, Any]], transport: Transport,
              language: str | None = None) -> list[list[dict[str, Any]]]:
    """The candidates for each query of one batch, in order; each candidate has id, name, score, match, type.
    ``language``: the language the queries' names are in (Accept-Language)."""
    named = {f"q{i}": dict(q) for i, q in enumerate(queries)}
    body = urllib.parse.urlencode({"queries": json.dumps(named, ensure_ascii=False)}).encode("utf-8")
    data = transport.request(manifest.url, body, language)
    if not isinstance(data, dict):
        raise ServiceError("answered queries with something that is not a JSON object")
    if isinstance(data.get("results"), list):  # the later drafts' shape
        found = [r.get("candidates") if isinstance(r, dict) else None for r in data["results"]]
    else:
        found = [(data.get(name) or {}).get("result") if isinstance(data.get(name), dict) else None
                 for name in named]
    if len(found) != len(queries) or any(not isinstance(f, list) for f in found):
        raise ServiceError("answered without a result for every query")
    return [[c for c in (_candidate(x) for x in f) if c is not None] for f in found]  # type: ignore[union-attr]


def _candidate(x: object) -> dict[str, Any] | None:
    """A candidate as kg keeps it, or None when it lacks an id."""
    if not isinstance(x, dict) or not isinstance(x.get("id"), (str, int)):
        return None
    try:
        score = float(x.get("score") or 0.0)
    except (TypeError, ValueError):
        score = 0.0
    types = [str(t.get("id")) if isinstance(t, dict) else str(t) for t in x.get("type") or []]
    return {"id": str(x["id"]), "name": str(x.get("name") or x["id"]), "score": score,
            "match": bool(x.get("match")), "type": types}
