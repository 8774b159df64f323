"""The ``kg`` command line: thin commands over the library, errors turned into one line.

Each command parses its options and calls one library function; `main`
catches `KgError` once and prints ``kg: error: ...`` to stderr with exit 2.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Callable

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

    def __enter__(self) -> "_Progress":
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
@click.option("--ner", metavar="BACKEND[:MODEL]", help="NER backend, e.g. spacy:fr_core_news_sm.")
@click.option("--vocabulary", "vocabularies", multiple=True, type=click.Path(path_type=Path),
              help="Extra SKOS vocabulary file(s), added to the built-in one.")
@click.option("--curation", type=click.Path(path_type=Path), help="Curation file (YAML) applied after resolution.")
@click.option("--base-iri", default="https://w3id.org/kg-interviews/data/", show_default=True,
              help="Base IRI of the corpus' resources.")
@click.option("--strict", is_flag=True, help="Fail on the first bad file instead of skipping it.")
@click.option("--no-html", is_flag=True, help="Skip graph.html.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no warnings.")
def build(inputs: tuple[Path, ...], out: Path, format_: str | None, language: str | None, model: str | None,
          ner: str | None, vocabularies: tuple[Path, ...], curation: Path | None, base_iri: str, strict: bool,
          no_html: bool, quiet: bool) -> None:
    """Build the graph of transcript files or folders INPUTS into --out.

    \b
    Examples:
      kg build interview.txt --out outputs/one
      kg build corpus/ --out outputs/corpus --lang fr --strict
    """
    from .extract.vocabulary import DEFAULT_VOCABULARY
    from .ingest import FORMATS, SUPPORTED_LANGUAGES
    from .errors import UnknownNameError
    from .pipeline import BuildConfig, build as run_build, summary, write_outputs

    if format_ is not None:
        FORMATS.get(format_)
    if language is not None and language not in SUPPORTED_LANGUAGES:
        raise UnknownNameError(f"unknown language {language!r}; use --lang with one of: {', '.join(SUPPORTED_LANGUAGES)}")
    config = BuildConfig(
        format=format_, language=language, model=model, ner=ner,
        vocabularies=(str(DEFAULT_VOCABULARY), *map(str, vocabularies)),
        curation=str(curation) if curation else None, base_iri=base_iri, strict=strict, html=not no_html,
    )
    started = time.perf_counter()
    with _Progress(quiet) as progress:
        warn: Callable[[str], None] = (lambda m: None) if quiet else progress.warn
        kg = run_build(list(inputs), config, warn=warn, progress=progress)
        paths = write_outputs(kg, out, config)
    _print_summary(summary(kg), paths, time.perf_counter() - started)


def _print_summary(s: dict[str, Any], paths: dict[str, Path], seconds: float) -> None:
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
    click.echo(f"entities    {s['entity_count']} (" + ", ".join(f"{k}: {ents[k]}" for k in sorted(ents)) + ")")
    for name, path in paths.items():
        click.echo(f"wrote       {path}")
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

    if graph.is_dir():
        graph = graph / "graph.ttl"
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


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning KgError into one line on stderr and exit 2."""
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except KgError as e:
        click.echo(f"kg: error: {e}", err=True)
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("kg: aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        click.echo(f"kg: error: {e.format_message()}", err=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        click.echo("kg: interrupted; earlier outputs are left as they were", err=True)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
