"""Errors kg raises on bad input, converted once to a one-line message by the CLI.

    KgError
    ├── InputError            a path is missing, unreadable, empty or binary
    ├── TranscriptFormatError a transcript cannot be parsed in the asked format
    ├── UnknownNameError      an unknown --format, --model, --lang, --ner name
    ├── ModelNotInstalled     a model is named but not installed
    ├── ModelFileError        a model file (the typing model) is missing or malformed
    ├── CurationError         the curation file is malformed
    ├── ConsentError          the consent file is malformed
    ├── VocabularyError       the vocabulary file is malformed
    ├── GraphError            a built graph is missing or unreadable
    ├── QueryError            SPARQL that does not parse or run
    ├── EndpointError         a SPARQL server cannot start or an endpoint cannot be reached
    └── OutputError           the output folder cannot be written

Every message says what is wrong and what to do about it.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class: bad input or environment, reported without a traceback."""

    exit_code = 2


class InputError(KgError):
    """A path is missing, unreadable, empty or not text."""


class TranscriptFormatError(KgError):
    """A transcript cannot be parsed in the format asked for."""


class UnknownNameError(KgError):
    """A name (format, model, language, backend) that kg does not know."""


class ModelNotInstalled(KgError):
    """A model is named but not installed in this environment."""


class ModelFileError(KgError):
    """A model file kg reads (the typing model) is missing, truncated or malformed."""


class CurationError(KgError):
    """The curation file is malformed."""


class ConsentError(KgError):
    """The consent file is malformed, or a public edition cannot be written as it asks."""


class VocabularyError(KgError):
    """A vocabulary file is malformed."""


class GraphError(KgError):
    """A built graph is missing or cannot be read."""


class QueryError(KgError):
    """SPARQL that does not parse or cannot run."""


class EndpointError(KgError):
    """A SPARQL server cannot start (port in use, server missing) or an endpoint refuses a request."""


class OutputError(KgError):
    """The output folder cannot be written."""
