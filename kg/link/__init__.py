"""Authority links for entities through W3C Entity Reconciliation API services (Wikidata, VIAF, IdRef, GND,
GeoNames...): ``kg link`` and ``kg build --link``.

`link_entities` asks each service about every entity that may be linked (`decide.may_link`), in batches and a
few requests at a time (`client`), keeps every answer in the link cache (`store`) and decides from the
answers (`decide`): a candidate clearly ahead is accepted (``Entity.matches``, written as skos:exactMatch),
otherwise the best are kept as suggestions (``Entity.suggestions``).  With ``offline`` nothing is sent: the
cache answers, or nothing does.  A service that fails is said in one warning, and the entities are left as
they were; only a URL whose answer is not a manifest stops the work (`client.ManifestError`).

A service URL may hold ``{lang}``, replaced by the language of the interviews an entity is named in (``fr``,
``en``): ``https://wikidata.reconci.link/{lang}/api`` asks Wikidata in the transcript's language.  Every request
also says that language in ``Accept-Language``, the hint the API's later drafts give a service.  What kg knows of
an entity besides its names (an organisation's place, a person's occupation: `context`) goes with its query as
``properties``, where the service can take them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..model import AuthorityMatch, Entity, KnowledgeGraph
from .client import (
    Manifest,
    ManifestError,
    ServiceError,
    Transport,
    check_url,
    fetch_manifest,
    parse_manifest,
    reconcile,
)
from .context import Context, entity_context, graph_sentences, property_ids, query_properties
from .decide import Rules, decide, may_link, query_of, type_map
from .store import LinkCache, query_key

if TYPE_CHECKING:
    from ..pipeline.options import BuildConfig

GIVE_UP = 3
"""Failed requests (each after all its tries) after which a service is asked nothing more in this run."""
__all__ = ["LinkOptions", "LinkReport", "ManifestError", "Rules", "check_services", "languages_of", "link_build",
           "link_entities", "link_graph"]


@dataclass(frozen=True)
class LinkOptions:
    """How to link: the services, the cache, whether the network may be used, and the decision rules."""

    services: tuple[str, ...]
    offline: bool = False
    cache: str | None = None
    """The link cache's file; None keeps answers for this run only."""
    rules: Rules = Rules()
    batch: int = 10
    """Queries per request (OpenRefine sends 10)."""
    concurrency: int = 4
    """Requests in flight at once, per service."""
    timeout: float = 10.0
    tries: int = 4
    backoff: float = 0.5
    properties: Mapping[str, str] | None = None
    """Context key -> a service property id to send it under (``--property place=P131``), over the defaults of
    `context.property_ids`; an empty id sends nothing for that key."""


@dataclass
class LinkReport:
    """What linking did, for the command's summary."""

    entities: int = 0
    eligible: int = 0
    """Entities some service was asked about (or would have been, offline)."""
    accepted: int = 0
    suggested: int = 0
    from_cache: int = 0
    asked: int = 0
    requests: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    """Service URL -> what went wrong."""
    set_aside: str | None = None


@dataclass
class _Service:
    """One expanded service URL, its manifest, and the queries to put to it."""

    url: str
    manifest: Manifest
    types: dict[str, str | None]
    language: str = "en"
    """The language the entities asked about are named in, sent as Accept-Language."""
    cache_key: str = ""
    """Whose answers these are in the link cache: the URL, and the language where the URL does not say it."""
    queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Entity id -> query."""
    answers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Query key -> candidates."""


def languages_of(kg: KnowledgeGraph) -> dict[str, str]:
    """Each entity's language: the most common language of the interviews that name it or where it speaks."""
    languages = {iv.id: iv.language or "" for iv in kg.interviews}
    return entity_languages({e.id: e.interviews for e in kg.entities}, languages)


def entity_languages(interviews: Mapping[str, Iterable[str]], languages: Mapping[str, str]) -> dict[str, str]:
    """Entity id -> the most common language of its interviews (``interviews``: entity id -> interview ids;
    ``languages``: interview id -> language); the corpus' most common language where its interviews say none,
    ``en`` where none does.

    Examples:
        >>> entity_languages({"a": ["i1", "i2", "i3"], "b": []}, {"i1": "en", "i2": "fr", "i3": "fr"})
        {'a': 'fr', 'b': 'fr'}
    """
    def most(langs: Counter[str]) -> str | None:
        return max(sorted(langs), key=lambda lang: langs[lang]) if langs else None

    corpus = most(Counter(lang for lang in languages.values() if lang)) or "en"
    return {e: most(Counter(languages[i] for i in ivs if languages.get(i))) or corpus
            for e, ivs in interviews.items()}


def _refers(e: Entity, refs: Iterable[str]) -> bool:
    names = {e.id, e.label.casefold(), *(a.casefold() for a in e.alt_labels)}
    return any(r in names or r.casefold() in names for r in refs)


def link_graph(kg: KnowledgeGraph, options: LinkOptions, *, allowed: Iterable[str] = (),
               rejected: Mapping[str, Sequence[str]] | None = None,
               warn: Callable[[str], None] = lambda _: None) -> tuple[KnowledgeGraph, LinkReport]:
    """`link_entities` over a built graph's entities, each asked in its interviews' language."""
    entities, report = link_entities(kg.entities, options, languages=languages_of(kg),
                                     context=entity_context(kg.entities, graph_sentences(kg)), allowed=allowed,
                                     rejected=rejected, warn=warn)
    return replace(kg, entities=entities), report


def link_build(kg: KnowledgeGraph, config: BuildConfig, *,
               warn: Callable[[str], None] = lambda _: None) -> KnowledgeGraph:
    """What ``kg build --link`` does after curation: `link_graph` with the build's options, the curation file's
    ``allow_link`` and ``reject_link``, and the services named in the provenance."""
    allowed: tuple[str, ...] = ()
    rejected: Mapping[str, Sequence[str]] = {}
    if config.curation:
        from ..curation import load_curation

        curation = load_curation(config.curation)
        allowed, rejected = curation.allow_link, curation.reject_link
    options = LinkOptions(tuple(config.link), offline=config.link_offline, cache=config.link_cache)
    linked, _ = link_graph(kg, options, allowed=allowed, rejected=rejected, warn=warn)
    return replace(linked, provenance={**kg.provenance, "link_services": " ".join(options.services)})


def check_services(options: LinkOptions) -> None:
    """What a build checks before it starts: every service URL is an http(s) URL, and (unless offline) every one
    without ``{lang}`` whose manifest is not cached yet answers with a manifest, which is cached.  A URL that is
    not a service stops the build at once (`ManifestError`), not after the extraction; one that does not answer
    is left to the linking step, which warns."""
    for url in map(check_url, options.services):
        if options.offline or "{lang}" in url:
            continue
        with LinkCache(options.cache or ":memory:") as cache:
            if cache.manifest(url) is not None:
                continue
            try:
                manifest = fetch_manifest(url, Transport(timeout=options.timeout, tries=1))
            except ServiceError:
                continue
            cache.put_manifest(url, manifest.raw)


def link_entities(entities: Sequence[Entity], options: LinkOptions, *, languages: Mapping[str, str] | None = None,
                  context: Context | None = None, allowed: Iterable[str] = (),
                  rejected: Mapping[str, Sequence[str]] | None = None,
                  warn: Callable[[str], None] = lambda _: None) -> tuple[tuple[Entity, ...], LinkReport]:
    """The entities with the links and suggestions the services give, and a report.

    ``languages`` gives each entity's language (``en`` where it gives none), ``context`` what else is known of it
    (`kg.link.context`).

    ``allowed`` names (by id or label) entities a service may be asked about although `may_link` refuses
    them; ``rejected`` maps an entity to the IRIs it must never be linked to (``"*"``: none at all).  Both
    come from the curation file, whose ``authority`` links were applied before (an entity with one is not
    asked about).
    """
    report = LinkReport(entities=len(entities))
    allow = [e.id for e in entities if _refers(e, allowed)]
    refused = {e.id: tuple(iris) for e in entities for ref, iris in (rejected or {}).items() if _refers(e, [ref])}
    todo = [e for e in entities if may_link(e, allow) and "*" not in refused.get(e.id, ())]
    transport = Transport(timeout=options.timeout, tries=options.tries, backoff=options.backoff)
    langs = languages or {}
    cache = LinkCache(options.cache or ":memory:")
    if cache.set_aside is not None:
        report.set_aside = str(cache.set_aside)
        warn(f"link cache {options.cache} was damaged or not a link cache; set aside as {cache.set_aside}")
    try:
        services = _services(options, todo, langs, context or {}, cache, transport, report)
        report.eligible = len({entity for service in services for entity in service.queries})
        for service in services:
            _answer(service, options, cache, transport, report)
    finally:
        cache.close()
        report.requests = len(transport.calls)
    for url, problem in report.failed.items():
        later = "" if options.offline else " (run again later: what it did answer is cached)"
        warn(f"link: {url}: {problem}; the entities it did not answer for are left unlinked{later}")
    decided: dict[str, tuple[tuple[AuthorityMatch, ...], tuple[AuthorityMatch, ...]]] = {}
    for e in todo:
        accepted: list[AuthorityMatch] = []
        suggested: list[AuthorityMatch] = []
        for service in services:
            query = service.queries.get(e.id)
            candidates = service.answers.get(query_key(query)) if query is not None else None
            if candidates is None:
                continue
            yes, maybe = decide(e, candidates, service.manifest, options.rules, refused.get(e.id, ()))
            accepted += [m for m in yes if m.iri not in {a.iri for a in accepted}]
            suggested += maybe
        suggested = [] if accepted else sorted(suggested, key=lambda m: (-m.score, m.iri))[:options.rules.keep]
        decided[e.id] = tuple(accepted), tuple(suggested)
    report.accepted = sum(1 for a, _ in decided.values() if a)
    report.suggested = sum(1 for a, s in decided.values() if s and not a)
    out = tuple(replace(e, matches=decided[e.id][0], suggestions=decided[e.id][1]) if e.id in decided else e
                for e in entities)
    return out, report


def _services(options: LinkOptions, todo: Sequence[Entity], langs: Mapping[str, str], context: Context,
              cache: LinkCache, transport: Transport, report: LinkReport) -> list[_Service]:
    """Each service URL and language (a URL with ``{lang}`` becomes one URL per language) with its manifest and
    queries."""
    out = []
    for template in dict.fromkeys(map(check_url, options.services)):
        by_url: dict[tuple[str, str], list[Entity]] = {}
        for e in todo:
            lang = langs.get(e.id, "en")
            by_url.setdefault((template.replace("{lang}", lang), lang), []).append(e)
        manifests: dict[str, Manifest] = {}
        for (url, lang), group in by_url.items():
            if url in manifests:
                out.append(_queries(manifests[url], url if "{lang}" in template else f"{url} [{lang}]", lang, group,
                                    context, options))
                continue
            if url in report.failed:
                continue
            manifest_data = cache.manifest(url)
            if manifest_data is not None:
                manifest = parse_manifest(url, manifest_data)
            elif options.offline:
                report.failed[url] = "not in the link cache (--offline sends nothing); run kg link without --offline"
                continue
            else:
                try:
                    manifest = fetch_manifest(url, transport)
                except ServiceError as problem:
                    report.failed[url] = f"no manifest ({problem})"
                    continue
                cache.put_manifest(url, manifest.raw)
            manifests[url] = manifest
            out.append(_queries(manifest, url if "{lang}" in template else f"{url} [{lang}]", lang, group, context,
                                options))
    return out


def _queries(manifest: Manifest, cache_key: str, lang: str, group: Sequence[Entity], context: Context,
             options: LinkOptions) -> _Service:
    """One service and language with the queries for the entities of ``group`` it holds the kind of."""
    types: dict[str, str | None] = {kind: t for kind, t in type_map(manifest).items()}
    ids = property_ids(manifest, options.properties)
    service = _Service(manifest.url, manifest, types, lang, cache_key)
    for e in group:
        if e.type in types:
            query = query_of(e, types[e.type], options.rules)
            found = query_properties(context.get(e.id, {}), ids)
            if found:
                query["properties"] = found
            service.queries[e.id] = query
    return service


def _answer(service: _Service, options: LinkOptions, cache: LinkCache, transport: Transport,
            report: LinkReport) -> None:
    """Fill ``service.answers``: from the cache, then (unless offline) from the service, batch by batch, each
    batch stored in the cache as it comes."""
    unique = {query_key(q): q for q in service.queries.values()}
    service.answers = cache.answers(service.cache_key, unique)
    report.from_cache += len(service.answers)
    missing = [q for k, q in unique.items() if k not in service.answers]
    if not missing or options.offline:
        return
    batches = [missing[i:i + options.batch] for i in range(0, len(missing), options.batch)]
    problems: list[str] = []
    with ThreadPoolExecutor(max_workers=max(1, options.concurrency), thread_name_prefix="kg-link") as pool:
        futures: dict[Future[list[list[dict[str, Any]]]], list[dict[str, Any]]] = {
            pool.submit(reconcile, service.manifest, batch, transport, service.language): batch for batch in batches}
        for future in as_completed(futures):
            batch = futures[future]
            if future.cancelled():
                continue
            try:
                found = future.result()
            except ServiceError as e:
                problems.append(str(e))
                if len(problems) >= GIVE_UP:  # a service failing again and again is not asked any further
                    for other in futures:
                        other.cancel()
                continue
            cache.put_answers(service.cache_key, zip(batch, found, strict=True))
            service.answers.update((query_key(q), c) for q, c in zip(batch, found, strict=True))
            report.asked += len(batch)
    if problems:
        report.failed[service.url] = f"{len(problems)} of {len(batches)} requests failed ({problems[0]})"
        report.failed[service.url] += "" if report.asked else "; nothing linked through it"
