"""Where the files of ``ontology/`` are, in a checkout or in an installed copy of kg.

A checkout (and an editable install) reads them from the repository's
``ontology/`` folder; a regular install gets them as data files under
``<prefix>/share/kg/ontology`` (see ``[tool.setuptools.data-files]``).
"""

from __future__ import annotations

import sys
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent / "ontology"
_INSTALLED = Path(sys.prefix) / "share" / "kg" / "ontology"


def ontology_dir() -> Path:
    """The folder holding kg.ttl, shapes.ttl, vocabulary.ttl, context.jsonld and queries/."""
    return _CHECKOUT if _CHECKOUT.is_dir() else _INSTALLED
