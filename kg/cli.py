"""The ``kg`` command line: thin commands over the library, errors turned into one line.

Each command parses its options and calls one library function; `main`
catches `KgError` once and prints ``kg: error: ...`` to stderr with exit 2.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import KgError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Progress:
    """A rich progress bar on stderr, shown only on a terminal and for multi-file work."""

    def __init__(self, quiet: bool) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)
        self.enabled = not quiet and self.console.is_terminal
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=self.console, transient=True)
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.bar is None or total < 2:
            return
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done)

    def warn(self, message: str) -> None:
        self.console.print(f"[yellow]warning:[/yellow] {message}", markup=True, highlight=False, soft_wrap=True)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """Build a knowledge graph from research-interview transcripts.

    \b
    Example:
      kg build samples/ --out outputs/sample
    """


@cli.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True,
              help="Folder for graph.ttl, graph.jsonld, graph.nt, graph.html and summary.json.")
@click.option("--format", "format_", metavar="NAME", help="Force a transcript format (default: sniffed per file).")
@click.option("--lang", "language", metavar="CODE", help="Force the language (fr or en) instead of metadata/detection.")
@click.option("--model", metavar="NAME", help="An installed spaCy pipeline to use for every language.")
@click.option("--ner", metavar="BACKEND[:MODEL]",
              help="NER backend: spacy[:PIPELINE] (default), transformers:FOLDER_OR_HF_ID, gliner:FOLDER.")
@click.option("--device", metavar="auto|cpu|cuda[:N]",
              help="Where the transformers NER runs (default auto: CUDA when torch sees one, else CPU).")
@click.option("--batch-size", type=click.IntRange(min=1), metavar="N",
              help="Turns per spaCy batch; windows per transformers forward pass (default 32).")
@click.option("--vocabulary", "vocabularies", multiple=True, type=click.Path(path_type=Path),
              help="Extra SKOS vocabulary file(s), added to the built-in one.")
@click.option("--curation", type=click.Path(path_type=Path), help="Curation file (YAML) applied after resolution.")
@click.option("--base-iri", default="https://w3id.org/kg-interviews/data/", show_default=True,
              help="Base IRI of the corpus' resources.")
@click.option("--strict", is_flag=True, help="Fail on the first bad file instead of skipping it.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Extract with this many processes (each loads the model once); the local Dask cluster's workers.")
@click.option("--executor", default="local", show_default=True, metavar="local|dask",
              help="Where extraction runs: here (local) or on a Dask cluster (needs kg[dask]).")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --executor dask: an existing scheduler (tcp://HOST:8786) instead of a local cluster "
                   "of --jobs workers.")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path),
              help="Extraction cache folder [default: OUT/.kg-cache]; unchanged interviews are not re-extracted.")
@click.option("--no-cache", is_flag=True,
              help="Do not read or write the extraction cache (and build even if nothing changed).")
@click.option("--formats", "rdf_formats", metavar="LIST", default="ttl", show_default=True,
              help="RDF files to write, comma-separated (ttl, jsonld, nt, trig, nq), or all; each one more is slower "
                   "on large corpora.")
@click.option("--no-html", is_flag=True, help="Skip graph.html.")
@click.option("--no-store", is_flag=True, help="Do not keep the query store OUT/.kg-store up to date (kg query and "
                                                 "kg serve then load it when first run).")
@click.option("--media", "media_dirs", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder of recordings (repeatable): quotes get media fragments and play in the page.")
@click.option("--force", is_flag=True,
              help="Build even if nothing changed since the last build into --out (else it stops at once).")
@click.option("--link", "link_services", multiple=True, metavar="URL",
              help="Link entities to authorities through this W3C reconciliation service (repeatable; see kg link).")
@click.option("--link-offline", is_flag=True, help="Link from the link cache alone: send nothing to any service.")
@click.option("--link-cache", type=click.Path(path_type=Path), help="The link cache [default: OUT/.kg-links.sqlite].")
@click.option("--consent", type=click.Path(path_type=Path),
              help="Consent file (YAML): write a public edition, checked for leaks, with no cache in --out.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no warnings.")
def build(inputs: tuple[Path, ...], out: Path, format_: str | None, language: str | None, model: str | None,
          ner: str | None, device: str | None, batch_size: int | None, vocabularies: tuple[Path, ...],
          curation: Path | None, base_iri: str, strict: bool,
          jobs: int, executor: str, scheduler: str | None, cache_dir: Path | None, no_cache: bool, rdf_formats: str,
          no_html: bool, no_store: bool, media_dirs: tuple[Path, ...], force: bool, link_services: tuple[str, ...],
          link_offline: bool, link_cache: Path | None, consent: Path | None,
          quiet: bool) -> None:
    """Build the graph of transcript files or folders INPUTS into --out.

    \b
    Examples:
      kg build interview.txt --out outputs/one
      kg build corpus/ --out outputs/corpus --lang fr --strict
      kg build corpus/ --out outputs/hf --ner transformers:models/camembert-ner --device auto
      kg build corpus/ --out outputs/corpus --executor dask --scheduler tcp://10.0.0.5:8786
      kg build archive/ --out outputs/archive --jobs 2 --formats ttl,nq
      kg build corpus/ --out outputs/corpus --formats all
      kg build interviews/ --out outputs/oral --media recordings/
      kg build corpus/ --consent corpus/consent.yaml --out public/
    """
    from .errors import UnknownNameError
    from .extract.vocabulary import DEFAULT_VOCABULARY
    from .ingest import FORMATS, SUPPORTED_LANGUAGES
    from .memory import rare_collections
    from .pipeline import BuildConfig, build_into, parse_formats

    if format_ is not None:
        FORMATS.get(format_)
    if language is not None and language not in SUPPORTED_LANGUAGES:
        raise UnknownNameError(f"unknown language {language!r}; use --lang with one of: "
                               f"{', '.join(SUPPORTED_LANGUAGES)}")
    formats = parse_formats(rdf_formats)
    if curation is not None:
        from .curation import load_curation

        load_curation(curation)  # a malformed file fails now, before any model loads
    config = BuildConfig(
        format=format_, language=language, model=model, ner=ner, device=device, batch_size=batch_size,
        vocabularies=(str(DEFAULT_VOCABULARY), *map(str, vocabularies)),
        curation=str(curation) if curation else None, base_iri=base_iri, strict=strict, html=not no_html,
        jobs=jobs, executor=executor, scheduler=scheduler,
        # a public edition keeps no cache in --out: the cache holds whole transcripts
        cache_dir=None if no_cache or (consent and not cache_dir) else str(cache_dir or out / ".kg-cache"),
        formats=formats, media=tuple(map(str, media_dirs)), link=link_services, link_offline=link_offline,
        store=not no_store,
        # a public edition keeps no link cache in --out either: it holds the names asked about
        link_cache=str(link_cache or out / ".kg-links.sqlite") if link_services and (link_cache or not consent)
        else None,
    )
    if link_services:
        from .link import LinkOptions, check_services

        check_services(LinkOptions(link_services, offline=link_offline, cache=config.link_cache))
    started = time.perf_counter()
    # one scope for the whole command: between stages, the first full collection would walk the corpus (seconds)
    with _Progress(quiet) as progress, rare_collections():
        warn: Callable[[str], None] = (lambda m: None) if quiet else progress.warn
        if consent is not None:
            from .consent.edition import build_public

            result = build_public(list(inputs), out, config, consent, warn=warn, progress=progress)
        else:
            result = build_into(list(inputs), out, config, force=force or no_cache, warn=warn, progress=progress)
        _print_summary(result.summary, result.paths, time.perf_counter() - started,
                       verb="unchanged" if result.up_to_date else "wrote")


def _print_summary(s: dict[str, Any], paths: dict[str, Path], seconds: float, verb: str = "wrote") -> None:
    interviews = s["interviews"]
    formats: dict[str, int] = {}
    for iv in interviews:
        formats[iv["format"]] = formats.get(iv["format"], 0) + 1
    fmt = ", ".join(f"{k}: {v}" for k, v in sorted(formats.items()))
    click.echo(f"interviews  {len(interviews)} ({fmt})")
    click.echo(f"turns       {sum(iv['turns'] for iv in interviews)}")
    for iv in interviews[:10]:
        click.echo(f"  {iv['id']}: {iv['turns']} turns, {iv['language']}, speakers: {', '.join(iv['speakers']) or '-'}")
    if len(interviews) > 10:
        click.echo(f"  ... and {len(interviews) - 10} more")
    ents = s["entities"]
    prov = s.get("provenance") or {}
    if prov.get("models"):
        click.echo(f"ner         {prov['models'].replace('|', ', ')} on {prov.get('device', 'cpu')}")
    click.echo(f"entities    {s['entity_count']} (" + ", ".join(f"{k}: {ents[k]}" for k in sorted(ents)) + ")")
    for path in paths.values():
        click.echo(f"{verb:11s} {path}")
    if verb == "unchanged":
        click.echo("up to date  inputs, options, kg and models as in the last build; --force builds again")
    click.echo(f"time        {seconds:.1f} s")


@cli.command(context_settings=CONTEXT)
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
def evaluate(graph: Path, gold: Path, as_json: bool) -> None:
    """Score the entities of GRAPH (a built graph file or folder) against a GOLD annotation.

    \b
    Example:
      kg evaluate outputs/sample samples/entretien-atelier.gold.json
    """
    import json

    from .evaluate import evaluate as run

    result = run(graph, gold)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    for kind, m in result["per_type"].items():
        click.echo(f"{kind:13s} P={m['precision']:.2f} R={m['recall']:.2f} F1={m['f1']:.2f} "
                   f"(gold {m['gold']}, predicted {m['predicted']})")
    c = result["concepts"]
    click.echo(f"concepts      core recall={c['core_recall']} (predicted {c['predicted']})")
    click.echo("missed: " + (", ".join(result["missed"]) or "-"))
    click.echo("false positives: " + (", ".join(result["false_positives"]) or "-"))
    click.echo("duplicates: " + (", ".join(result["duplicates"]) or "-"))
    ne = result["named_entities"]
    click.echo(f"named entities P={ne['precision']:.3f} R={ne['recall']:.3f} F1={ne['f1']:.3f}")


@cli.command(context_settings=CONTEXT)
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--type", "type_", metavar="TYPE", help="Only entities of this type (Person, Tool, ...).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--limit", type=int, default=0, help="Show at most this many entities (0: all).")
def entities(graph: Path, type_: str | None, fmt: str, limit: int) -> None:
    """List the entities of a built graph (a folder from kg build, or its graph.ttl).

    Shows each entity's id, type, label, aliases, mention count and an
    example quote: what you need to write a --curation file.

    \b
    Example:
      kg entities outputs/sample --type Tool
    """
    import csv
    import json

    from .review import list_entities

    rows = list_entities(graph)
    if type_:
        rows = [r for r in rows if r["type"].casefold() == type_.casefold()]
    if limit:
        rows = rows[:limit]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(["id", "type", "label", "aliases", "mentions", "interviews", "example"])
        for r in rows:
            w.writerow([r["id"], r["type"], r["label"], " | ".join(r["aliases"]), r["mentions"], r["interviews"],
                        (r["examples"] or [""])[0]])
    else:
        for r in rows:
            alias = f" (also: {', '.join(r['aliases'][:4])})" if r["aliases"] else ""
            click.echo(f"{r['id']:40s} {r['type']:12s} {r['mentions']:4d}  {r['label']}{alias}")
            for ex in r["examples"]:
                click.echo(f"{'':58s}“{ex[:110]}{'…' if len(ex) > 110 else ''}”")
            for iri in r["links"]:
                click.echo(f"{'':58s}linked: {iri}")
            for sug in r["suggestions"]:
                click.echo(f"{'':58s}suggested: {sug['iri']} {sug['name']!r} (score {sug['score']:g})")


@cli.command(context_settings=CONTEXT)
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--service", "services", multiple=True, required=True, metavar="URL",
              help="A W3C reconciliation service's endpoint (repeatable); {lang} in it becomes the corpus' language.")
@click.option("--offline", is_flag=True, help="Send nothing: decide from the link cache alone.")
@click.option("--cache", "cache_path", type=click.Path(path_type=Path),
              help="The link cache [default: DIRECTORY/.kg-links.sqlite].")
@click.option("--curation", type=click.Path(path_type=Path), metavar="FILE",
              help="A curation file whose allow_link and reject_link keys apply.")
@click.option("--threshold", type=click.FloatRange(0, 100), default=80.0, show_default=True,
              help="Accept a candidate scoring at least this (0-100)...")
@click.option("--margin", type=click.FloatRange(0, 100), default=10.0, show_default=True,
              help="...and this far ahead of the next; otherwise keep the best as suggestions.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, metavar="SECONDS",
              help="Give up on a request after this long (it is tried 4 times in all).")
@click.option("--concurrency", type=click.IntRange(1, 16), default=4, show_default=True,
              help="Requests in flight at once, per service.")
@click.option("--property", "properties", multiple=True, metavar="KEY=PID",
              help="Send what kg knows of an entity (KEY: place, an organisation's; occupation, a person's) as "
                   "this service property (repeatable; Wikidata's place=P131 and occupation=P106 by default; "
                   "KEY= sends none).")
@click.option("--dry-run", is_flag=True, help="Say what each service proposes; rewrite nothing.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="No warnings.")
def link(directory: Path, services: tuple[str, ...], offline: bool, cache_path: Path | None, curation: Path | None,
         threshold: float, margin: float, timeout: float, concurrency: int, properties: tuple[str, ...],
         dry_run: bool, fmt: str, quiet: bool) -> None:
    """Link the entities of a built graph in DIRECTORY to authorities (Wikidata, VIAF, IdRef, GeoNames...)
    through W3C reconciliation services, and write the links into the build.

    The build's RDF files (every format it wrote) and its page are rewritten with the links accepted
    (skos:exactMatch) and the candidates suggested, all at once, without extracting anything again; where a
    service failed they are left as they were.  Every answer is kept in the link cache, which a later
    kg link or kg build --link reads instead of asking again.

    \b
    Examples:
      kg link outputs/sample --service https://wikidata.reconci.link/{lang}/api
      kg link outputs/sample --service https://wikidata.reconci.link/{lang}/api --property place=P159 --dry-run
      kg link outputs/sample --service http://127.0.0.1:8000/reconcile --offline --format json
    """
    import json

    from rdflib.namespace import DCTERMS

    from .errors import InputError
    from .link import LinkOptions, Rules, link_entities
    from .link.context import KEYS as CONTEXT_KEYS
    from .link.graph import read_entities
    from .rdf.read import find_built_graph, load_graph

    allowed: tuple[str, ...] = ()
    rejected: dict[str, tuple[str, ...]] = {}
    if curation is not None:
        from .curation import load_curation

        cur = load_curation(curation)
        allowed, rejected = cur.allow_link, cur.reject_link
    mapping: dict[str, str] = {}
    for given in properties:
        key, eq, pid = given.partition("=")
        if not eq or key.strip() not in CONTEXT_KEYS:
            raise InputError(f"--property {given!r}: write KEY=PID with KEY one of: {', '.join(CONTEXT_KEYS)} "
                             "(e.g. place=P131; place= sends none)")
        mapping[key.strip()] = pid.strip()
    g = load_graph(find_built_graph(directory))
    if next(g.triples((None, DCTERMS.accessRights, None)), None) is not None:
        raise InputError(f"{directory} is a public edition (kg build --consent): kg link would ask services about "
                         "its pseudonyms and add links it leaves out; link the full build, or make the edition "
                         "with kg build --consent FILE --link URL")
    built = read_entities(directory, graph=g)
    options = LinkOptions(services, offline=offline, cache=str(cache_path or directory / ".kg-links.sqlite"),
                          rules=Rules(threshold=threshold, margin=margin), timeout=timeout, concurrency=concurrency,
                          properties=mapping)
    started = time.perf_counter()
    warn: Callable[[str], None] = (lambda m: None) if quiet else (lambda m: click.echo(f"warning: {m}", err=True))
    linked, report = link_entities(built.entities, options, languages=built.languages, context=built.context,
                                   allowed=allowed, rejected=rejected, warn=warn)
    written: list[Path] = []
    if report.failed and not dry_run:
        warn(f"{directory}: the graph files are left as they were (a service failed); run kg link again")
    elif not dry_run and directory.is_dir():
        from .link.rewrite import replace_matches, rewrite_build

        if replace_matches(g, linked, built.iris, built.base):
            written = rewrite_build(directory, g, warn=warn)
        elif fmt == "table":
            click.echo(f"unchanged   the graph files of {directory} hold these links already")
    rows: list[dict[str, Any]] = [{"id": e.id, "type": e.type, "label": e.label,
             "accepted": [{"iri": m.iri, "name": m.name, "score": m.score, "service": m.service} for m in e.matches],
             "suggestions": [{"iri": m.iri, "name": m.name, "score": m.score, "service": m.service}
                             for m in e.suggestions]}
            for e in linked if e.matches or e.suggestions]
    if fmt == "json":
        click.echo(json.dumps({"entities": rows, "report": vars(report), "written": [str(p) for p in written]},
                              indent=2, ensure_ascii=False))
        return
    for r in rows:
        for m in r["accepted"]:
            click.echo(f"{r['id']:40s} linked     {m['iri']}  {m['name']!r} ({m['score']:g})")
        for m in r["suggestions"]:
            click.echo(f"{r['id']:40s} suggested  {m['iri']}  {m['name']!r} ({m['score']:g})")
    click.echo(f"entities    {report.entities} ({report.eligible} asked about; never participants, first names "
               "alone (unless allow_link), linked ones or kinds a service does not hold)")
    click.echo(f"links       {report.accepted} accepted, {report.suggested} with suggestions only")
    click.echo(f"answers     {report.from_cache} from the cache, {report.asked} asked in {report.requests} requests")
    if written:
        click.echo(f"wrote       {', '.join(p.name for p in written)}")
    click.echo(f"time        {time.perf_counter() - started:.1f} s")


@cli.command(context_settings=CONTEXT)
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--shapes", type=click.Path(path_type=Path), help="SHACL shapes to use instead of ontology/shapes.ttl.")
@click.option("--limit", default=50, show_default=True, help="Show at most this many violations.")
def validate(graph: Path, shapes: Path | None, limit: int) -> None:
    """Check GRAPH (a kg build folder or an RDF file) against kg's SHACL shapes.

    Exit status 0 when it conforms, 1 when it has violations.

    \b
    Examples:
      kg validate outputs/sample
      kg validate graph.ttl --shapes my-shapes.ttl
    """
    from .rdf.validate import SHAPES
    from .rdf.validate import validate as run_validate

    report = run_validate(graph, shapes=shapes or SHAPES)
    click.echo(report.format(limit=limit))
    conforms = report.conforms
    if shapes is None and graph.is_dir():
        from .consent.edition import PUBLIC_SHAPES, is_public

        if is_public(graph):  # a public edition also says it is one (ontology/public-shapes.ttl)
            public = run_validate(graph, shapes=PUBLIC_SHAPES)
            click.echo(public.format(limit=limit).replace(SHAPES.name, PUBLIC_SHAPES.name))
            conforms = conforms and public.conforms
    if not conforms:
        sys.exit(1)


@cli.command(context_settings=CONTEXT)
@click.argument("graph", type=click.Path(path_type=Path), required=False)
@click.argument("sparql", required=False)
@click.option("--example", "example_name", metavar="NAME", help="Run a canned query from ontology/queries.")
@click.option("--list-examples", is_flag=True, help="List the canned queries and their parameters.")
@click.option("--file", "-f", "query_file", type=click.File("r", encoding="utf-8"),
              help="Read the query from a file ('-' for stdin).")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to the string VALUE (<...> for an IRI); limit=N and offset=N set the query's "
                   "LIMIT and OFFSET (a canned query answers a page: 100 rows, 10 people or 10 interviews); "
                   "repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="table, or the SPARQL 1.1 CSV / JSON results formats.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, metavar="SECONDS",
              help="Stop the query if it runs longer (loading the graph does not count).")
@click.option("--engine", type=click.Choice(["auto", "rdflib", "oxigraph"]), default="auto", show_default=True,
              help="auto: a build folder's store (OUT/.kg-store) where there is one; else rdflib for small "
                   "graphs, Oxigraph from 5 MB on.")
def query(graph: Path | None, sparql: str | None, example_name: str | None, list_examples: bool,
          query_file: Any, params: tuple[str, ...], fmt: str, timeout: float, engine: str) -> None:
    """Run a SPARQL query on GRAPH (a kg build folder or an RDF file).

    Prefixes kgi:, schema:, nif:, itsrdf:, skos:, prov:, owl:, rdfs:, xsd: are predeclared.

    \b
    Examples:
      kg query outputs/sample 'SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name }'
      kg query outputs/sample --example tools-per-person --format csv
      kg query outputs/sample --example quotes-mentioning --param name=Python
      kg query outputs/sample --example tools-per-person --param offset=100
      kg query --list-examples
    """
    from .errors import QueryError
    from .sparql import describe_examples, example, example_bindings, render
    from .sparql import query as run_query

    if list_examples:
        click.echo(describe_examples())
        return
    bindings = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep:
            raise QueryError(f"--param {item!r} is not NAME=VALUE; write e.g. --param name=Python")
        bindings[name.strip().lstrip("?$")] = value
    if example_name:
        ex = example(example_name)
        text, bindings = ex.text, example_bindings(ex, bindings)
    elif query_file is not None:
        text = query_file.read()
    elif sparql:
        text = sparql
    else:
        raise click.UsageError("give a SPARQL query, --file FILE or --example NAME (kg query --list-examples)")
    if graph is None:
        raise click.UsageError("give the GRAPH to query: a kg build folder or an RDF file")
    result = run_query(graph, text, params=bindings, engine=engine, timeout=timeout,
                       warn=lambda message: click.echo(f"warning: {message}", err=True))
    click.echo(render(result, fmt), nl=False)
    if fmt == "table":
        noun = {"select": "row", "ask": "answer", "graph": "triple"}[result.kind]
        noun += "" if len(result) == 1 or result.kind == "ask" else "s"
        click.echo(f"{len(result)} {noun} in {result.query_seconds:.3f} s ({result.engine}, graph loaded in "
                   f"{result.load_seconds:.2f} s)", err=True)
        limit, offset = (bindings.get(name, "").strip() for name in ("limit", "offset"))
        if example_name and limit.isdigit() and len(result) >= int(limit):  # a full page (of rows or more): more?
            click.echo(f"more rows may follow: --param offset={int(offset or 0) + int(limit)}", err=True)


@cli.command(context_settings=CONTEXT)
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 makes the endpoint reachable from other machines.")
@click.option("--writable", is_flag=True, help="Accept SPARQL UPDATE (changes are lost when the server stops).")
@click.option("--cors", is_flag=True,
              help="Allow cross-origin requests (YASGUI or a page from another site, at /query and /reconcile).")
@click.option("--timeout", "timeout_s", type=click.IntRange(1), default=30, show_default=True, metavar="SECONDS",
              help="Stop a query that runs longer (the server goes on serving the others).")
@click.option("--review", is_flag=True,
              help="Also serve graph.html on 127.0.0.1, whose review mode saves to the curation file.")
@click.option("--curation", type=click.Path(path_type=Path), metavar="FILE",
              help="The curation file --review saves to (default: curation.yaml in the build folder).")
def serve(graph: Path, port: int, host: str, writable: bool, cors: bool, timeout_s: int | None, review: bool,
          curation: Path | None) -> None:
    """Serve GRAPH as a SPARQL 1.1 endpoint (Oxigraph) until Ctrl-C.

    Read-only unless --writable; queries at /query (JSON, XML, CSV, TSV results), YASGUI at /.
    With --review, the build's page is served too (on 127.0.0.1 only), and its review mode can
    save the curation file straight to disk.  The graph's entities are also a W3C reconciliation
    service (for OpenRefine) at /reconcile, on the same port.

    \b
    Examples:
      kg serve outputs/sample
      curl http://127.0.0.1:7878/query -H 'Accept: text/csv' \\
           --data-urlencode 'query=SELECT ?name WHERE { ?p a <https://schema.org/Person> ; <https://schema.org/name> ?name }'
      curl http://127.0.0.1:7878/reconcile --data-urlencode 'queries={"q0": {"query": "Lyon"}}'
    """  # noqa: E501 (a command line to copy)
    import signal
    from contextlib import nullcontext

    from .errors import EndpointError
    from .link.service import PATH, Reconciler, ReconcileRoute
    from .serve import ReviewServer, Server

    def _terminate(*_: object) -> None:
        raise KeyboardInterrupt

    reconcile = ReconcileRoute(lambda: Reconciler.of_graph(graph), cors=cors)
    server = Server(graph, host=host, port=port, writable=writable, cors=cors, timeout_s=timeout_s,
                    warn=lambda message: click.echo(f"warning: {message}", err=True), routes={PATH: reconcile})
    folder = graph if graph.is_dir() else graph.parent
    reviewing = ReviewServer(folder / "graph.html", curation or folder / "curation.yaml") if review else None
    if reviewing is not None and not reviewing.page.is_file():
        raise click.UsageError(f"{reviewing.page}: no page to review; run kg build (or kg html) first")
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        with server, (reviewing or nullcontext()):
            if reviewing is not None:
                click.echo(f"Review page      {reviewing.url}  (saves to {reviewing.curation})")
            click.echo(f"SPARQL endpoint  {server.query_url}  ({'read-write' if writable else 'read-only'}, "
                       f"{server.file.name})")
            click.echo(f"Graph Store      {server.store_url}")
            click.echo(f"YASGUI           {server.url}/")
            click.echo(f"Reconciliation   {server.url}{PATH}  (W3C Reconciliation API, for OpenRefine)")
            if host not in ("127.0.0.1", "localhost", "::1"):
                click.echo(f"warning: listening on {host}: other machines can reach this endpoint", err=True)
            click.echo("Ctrl-C stops the server", err=True)
            status = server.wait()
            raise EndpointError(f"the Oxigraph server stopped by itself (exit status {status}); run kg serve again")
    except KeyboardInterrupt:
        click.echo("server stopped", err=True)
    finally:
        signal.signal(signal.SIGTERM, previous)


@cli.command(context_settings=CONTEXT)
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--endpoint", required=True, metavar="URL",
              help="SPARQL 1.1 Graph Store endpoint (Oxigraph: http://HOST:7878/store; user:password@ allowed).")
@click.option("--graph", "target", metavar="IRI", help="Load into this named graph instead of the default graph.")
@click.option("--per-interview", is_flag=True, help="One named graph per interview (named by its IRI).")
@click.option("--replace", is_flag=True, help="Replace the target graph's content (PUT) instead of adding (POST).")
def push(graph: Path, endpoint: str, target: str | None, per_interview: bool, replace: bool) -> None:
    """Load GRAPH into a SPARQL 1.1 Graph Store endpoint.

    \b
    Examples:
      kg push outputs/sample --endpoint http://127.0.0.1:7878/store
      kg push outputs/corpus --endpoint http://localhost:3030/ds/data --per-interview --replace
    """
    from .serve import push as run_push

    if target and per_interview:
        raise click.UsageError("--graph and --per-interview exclude each other; choose one")
    result = run_push(graph, endpoint, target=target, per_interview=per_interview, replace=replace)
    where = ", ".join(result.graphs) if len(result.graphs) <= 3 else f"{len(result.graphs)} graphs"
    click.echo(f"pushed {result.triples} triples ({result.bytes} bytes) to {result.endpoint} [{where}]")


@cli.group(context_settings=CONTEXT)
def cache() -> None:
    """Look after the extraction cache (OUT/.kg-cache, or the folder given to kg build --cache).

    \b
    Examples:
      kg cache info outputs/corpus
      kg cache prune outputs/corpus --unused-days 7
    """


def _cache_folder(path: Path) -> Path:
    """The cache of an output folder (``PATH/.kg-cache``), or ``PATH`` itself when it is a cache folder."""
    from .errors import KgError

    if (path / ".kg-cache").is_dir():
        return path / ".kg-cache"
    if path.is_dir():
        return path
    raise KgError(f"{path}: no such folder; pass the --out folder of a build, or its --cache folder")


def _mib(n: int) -> str:
    return f"{n / 2**20:,.1f} MiB"


@cache.command("info", context_settings=CONTEXT)
@click.argument("path", type=click.Path(path_type=Path), default=Path("outputs"))
def cache_info(path: Path) -> None:
    """Entries, size and last use of the cache of PATH (an output folder or a cache folder)."""
    from datetime import datetime

    from .cache import UNUSED_DAYS, ExtractionCache

    folder = _cache_folder(path)
    entries = ExtractionCache(folder).entries()
    click.echo(f"cache       {folder}")
    click.echo(f"entries     {len(entries)} ({_mib(sum(size for _, size, _ in entries))})")
    if entries:
        used = sorted(t for _, _, t in entries)
        first, last = (datetime.fromtimestamp(t).strftime("%Y-%m-%d") for t in (used[0], used[-1]))
        idle = sum(1 for t in used if t < time.time() - UNUSED_DAYS * 86400)
        click.echo(f"last used   {first} to {last}; {idle} unused for {UNUSED_DAYS} days or more")


@cache.command("prune", context_settings=CONTEXT)
@click.argument("path", type=click.Path(path_type=Path), default=Path("outputs"))
@click.option("--unused-days", type=click.FloatRange(min=0), default=None, metavar="DAYS",
              help="Remove entries no build has used for DAYS days; 0 removes every entry. "
                   "[default: 30, as kg build does]")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
def cache_prune(path: Path, unused_days: float | None, dry_run: bool) -> None:
    """Remove entries of the cache of PATH that no build has used for a while.

    Entries written by earlier kg versions or other options are never read
    again; kg build removes those unused for 30 days itself.
    """
    from .cache import UNUSED_DAYS, ExtractionCache

    store = ExtractionCache(_cache_folder(path))
    removed, freed = store.prune(UNUSED_DAYS if unused_days is None else unused_days, dry_run=dry_run)
    left = len(store.entries())
    verb = "would remove" if dry_run else "removed"
    click.echo(f"{verb:<11} {removed} entries ({_mib(freed)}); {left - removed if dry_run else left} kept")


@cli.command("html", context_settings=CONTEXT)
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path), help="Page to write (default: DIRECTORY/graph.html).")
@click.option("--title", help="Page title (default: the interview's title, else the folder's name).")
@click.option("--min-co-mentions", type=click.IntRange(min=1), metavar="N",
              help="Link two entities when named together in at least N sentences (default: by corpus size).")
def html(directory: Path, out: Path | None, title: str | None, min_co_mentions: int | None) -> None:
    """Redraw the interactive graph.html from a built graph in DIRECTORY (no extraction).

    \b
    Example:
      kg html outputs/sample --title "Atelier interviews"
    """
    from .page.render import write_html

    click.echo(f"wrote       {write_html(directory, out=out, title=title, min_co_mentions=min_co_mentions)}")


@cli.command("check-release", context_settings=CONTEXT)
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--consent", type=click.Path(path_type=Path), required=True, help="The consent file of the edition.")
def check_release(directory: Path, consent: Path) -> None:
    """Look for every name the consent file restricts in every file under DIRECTORY; exit 1 if any is there.

    Case, accents, spacing and HTML, URL, JSON and Turtle escapes are seen through.

    \b
    Example:
      kg check-release public/ --consent corpus/consent.yaml
    """
    from .consent.leaks import LeakFinder
    from .consent.profile import load_consent
    from .errors import InputError

    forms = load_consent(consent).restricted_forms()
    if not directory.is_dir():
        raise InputError(f"{directory}: no such folder; pass the --out folder of a public build")
    leaks = LeakFinder(forms).in_folder(directory)
    for leak in leaks:
        click.echo(f"leak        {leak}")
    files = sum(1 for p in directory.rglob("*") if p.is_file())
    if leaks:
        click.echo(f"{len(leaks)} restricted name(s) found in {directory} ({files} files read)", err=True)
        sys.exit(1)
    click.echo(f"clean       {files} files, none holds any of {len(forms)} restricted forms")


@cli.group(context_settings=CONTEXT)
def consent() -> None:
    """Write and check the consent file that public editions follow (kg build --consent).

    \b
    Example:
      kg consent init corpus/
    """


@consent.command("init", context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path), help="File to write [default: DIR/consent.yaml].")
@click.option("--lang", "language", metavar="CODE", help="Force the language (fr or en).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def consent_init(inputs: tuple[Path, ...], out: Path | None, language: str | None, force: bool) -> None:
    """List every interview and person of INPUTS in a starter consent file, each with a suggested status.

    \b
    Example:
      kg consent init corpus/ --out corpus/consent.yaml
    """
    from .consent.starter import starter
    from .errors import InputError
    from .files import write_atomically
    from .pipeline import BuildConfig, build

    target = out or (inputs[0] / "consent.yaml" if len(inputs) == 1 and inputs[0].is_dir() else None)
    if target is None:
        raise InputError("pass --out FILE: the consent file goes next to the corpus")
    if target.exists() and not force:
        raise InputError(f"{target}: exists; edit it, or pass --force to write a new one over it")
    graph = build(list(inputs), BuildConfig(language=language))
    write_atomically(target.parent, {target.name: starter(graph).encode("utf-8")})
    people = sum(1 for e in graph.entities if e.type == "Person")
    click.echo(f"wrote       {target} ({len(graph.interviews)} interviews, {people} people found); "
               "check each status before a public build")


@cli.command("export", context_settings=CONTEXT)
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--to", "to", required=True, metavar="graphml|gexf|csv|webannotation",
              help="The format: the entity network (graphml, gexf, csv) or every mention (webannotation).")
@click.option("--out", "-o", type=click.Path(),  # a str: a trailing slash says "a folder"
              help="File to write (csv: the folder for nodes.csv and edges.csv); default: in DIRECTORY.")
@click.option("--min-co-mentions", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="Network formats: link two entities named together in at least N sentences.")
@click.option("--source-base", metavar="URL",
              help="webannotation: where the transcripts are published; targets are URL + file name "
                   "(default: the interview's IRI).")
@click.option("--media-base", metavar="URL",
              help="webannotation: where the recordings are published; a timed mention's recording is URL + "
                   "file name (default: the build's recording, relative to the annotation file).")
def export_(directory: Path, to: str, out: str | None, min_co_mentions: int, source_base: str | None,
            media_base: str | None) -> None:
    """Write a built graph in DIRECTORY for other tools: Gephi, Palladio, Nodegoat, annotation tools.

    \b
    Example:
      kg export outputs/sample --to gexf
      kg export outputs/sample --to csv --out outputs/sample/palladio
    """
    from .export import ExportOptions, export

    options = ExportOptions(min_co_mentions=min_co_mentions, source_base=source_base, media_base=media_base)
    for path in export(directory, to, out=out, options=options):
        click.echo(f"wrote       {path}")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning KgError into one line on stderr and exit 2."""
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except KgError as e:
        click.echo(f"kg: error: {e}", err=True)
        sys.exit(e.exit_code)
    except click.exceptions.Abort:  # click's form of Ctrl-C (KeyboardInterrupt) in a command; kg asks no questions
        click.echo("kg: interrupted; earlier outputs are left as they were", err=True)
        sys.exit(130)
    except click.ClickException as e:
        click.echo(f"kg: error: {e.format_message()}", err=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        click.echo("kg: interrupted; earlier outputs are left as they were", err=True)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
