"""The options of a build, and which of them each of kg's records hashes.

Three records of a build hash its options, each a different subset: the
extraction cache (what changes an extracted transcript), the build id in the
provenance (what changes the graph) and the build stamp (what changes the
bytes written).  Each subset is one function here, beside `BuildConfig`, so
that a new option is placed in all three at once.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

from ..digest import file_digest
from ..errors import UnknownNameError
from ..extract.vocabulary import DEFAULT_VOCABULARY
from ..media import media_names

RDF_FORMATS = ("ttl", "jsonld", "nt", "trig", "nq")
"""Every RDF format a build can write, as ``graph.<format>``, in the order they are written."""
DEFAULT_FORMATS = ("ttl",)
"""What a build writes unless told otherwise: Turtle alone, since on a large corpus every other format is gigabytes
rewritten by every rebuild; ``kg query`` and ``kg serve`` read the store (`kg.store`), not these files."""


@dataclass(frozen=True)
class BuildConfig:
    """Options of a build; fields map one-to-one onto ``kg build`` options."""

    format: str | None = None
    language: str | None = None
    model: str | None = None
    ner: str | None = None
    # where and how fast the NER runs, not what it finds: kept out of repr, hence out of the build id
    device: str | None = field(default=None, repr=False)
    batch_size: int | None = field(default=None, repr=False)
    vocabularies: tuple[str, ...] = (str(DEFAULT_VOCABULARY),)
    curation: str | None = None
    base_iri: str = "https://w3id.org/kg-interviews/data/"
    strict: bool = False
    html: bool = True
    jobs: int = 1
    # where extraction runs ("local" or "dask") and on which Dask scheduler: the same graph either way,
    # not in the build id
    executor: str = field(default="local", repr=False)
    scheduler: str | None = field(default=None, repr=False)
    cache_dir: str | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS
    """RDF files written; Turtle alone by default (`RDF_FORMATS` for all)."""
    media: tuple[str, ...] = ()
    """Folders where recordings are looked for (`kg.media`), besides each transcript's own."""
    link: tuple[str, ...] = ()
    """Reconciliation services to link entities through (`kg.link`); none by default."""
    link_offline: bool = False
    """Link from the link cache alone: send nothing."""
    link_cache: str | None = field(default=None, repr=False)
    """The link cache's file (SQLite); None keeps no answers between builds."""
    store: bool = field(default=True, repr=False)
    """Keep the query store (`kg.store`, ``OUT/.kg-store``) up to date: what ``kg query`` and ``kg serve`` read."""


def parse_formats(text: str) -> tuple[str, ...]:
    """The formats of a ``--formats`` value, in `RDF_FORMATS` order; one line naming the bad one otherwise.

    ``all`` names every format.

    Examples:
        >>> parse_formats("nq, ttl,ttl")
        ('ttl', 'nq')
        >>> parse_formats("all") == RDF_FORMATS
        True
    """
    asked = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    if "all" in asked:
        return RDF_FORMATS
    unknown = [f for f in asked if f not in RDF_FORMATS]
    if unknown:
        raise UnknownNameError(f"unknown RDF format {unknown[0]!r} in --formats; use any of: {', '.join(RDF_FORMATS)} "
                                 "(or all)")
    if not asked:
        raise UnknownNameError(f"--formats names no format; use one or more of: {', '.join(RDF_FORMATS)}")
    return tuple(f for f in RDF_FORMATS if f in asked)


def extraction_options(config: BuildConfig) -> tuple[object, ...]:
    """The options that change what is extracted from a transcript: not the curation file, applied after
    resolution, whose effect on an interview's outputs its chunk key hashes (entity by entity)."""
    files = [file_digest(v) for v in config.vocabularies]
    return (config.format, config.language, config.model, config.ner, config.base_iri, *files)


def graph_options(config: BuildConfig) -> tuple[object, ...]:
    """The options that change the graph (not how fast or where it is written): the build id hashes them."""
    return (*extraction_options(config), *([file_digest(config.curation)] if config.curation else []),
            *([("media", *config.media)] if config.media else []),
            *([("link", *config.link)] if config.link else []))


def output_options(config: BuildConfig) -> dict[str, object] | None:
    """What of ``config`` the build stamp (`kg.stamp`) hashes; None when a build with it must never be skipped.

    Everything that changes the bytes written, including ``device`` and
    ``batch_size`` (the provenance names the device); not ``jobs``, the
    executor or the cache (tested: the same bytes).  None when the NER
    model is not an installed package (a folder, a Hugging Face name):
    whether such a model changed cannot be told cheaply; None too when linking through services.
    """
    backend, _, arg = (config.ner or "spacy").partition(":")
    if config.link:  # what a service answers is not known before it is asked (the link cache makes it quick)
        return None
    if backend != "spacy" or not all(_installed_package(name) for name in (arg, config.model) if name):
        return None
    return {"format": config.format, "language": config.language, "model": config.model, "ner": config.ner,
            "device": config.device, "batch_size": config.batch_size, "base_iri": config.base_iri,
            "strict": config.strict, "html": config.html, "formats": list(config.formats), "store": config.store,
            "files": [*config.vocabularies, *([config.curation] if config.curation else [])],
            # the recordings there by name: one added after a build (that warned it was missing) builds again
            **({"media": {d: media_names(d) for d in config.media}} if config.media else {})}


def _installed_package(name: str) -> bool:
    if not name.isidentifier() or Path(name).exists():
        return False
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
