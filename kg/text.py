"""The keys names are compared by, in one place for every stage.

Ingestion ties speaker labels to people, extraction looks names up in the
vocabulary, resolution groups mentions, the RDF and the queries name people,
and the evaluation matches gold surface forms: each compares names, and each
must compare them the same way, so the keys live here and nowhere else.

- `fold`: case and accents ignored, spacing kept ("Élodie  Dupré" → "elodie dupre"): people's names.
- `squash`: also spaces, hyphens, dots and apostrophes dropped ("Style Gan" = "StyleGAN"): names of things.
- `match_key`: every non-alphanumeric character dropped, the shared scorer's convention.
- `id_slug`: the ASCII slug of ids (python-slugify), transliterated the same way on every machine.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "id_slug", "match_key", "squash"]


def id_slug(text: str) -> str:
    """The id-safe ASCII slug of ``text``.

    >>> id_slug("Élodie Dupré"), id_slug("Sõnajalg & Co")
    ('elodie-dupre', 'sonajalg-co')
    """
    from slugify import slugify

    # text-unidecode (python-slugify's own dependency) named: left to choose, slugify prefers Unidecode where it is
    # installed, so ids would differ from machine to machine, and tries to import it on every call with an accented
    # letter, which made slugs seven times slower
    return slugify(text, backend="text-unidecode")


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Case- and accent-insensitive key, spaces collapsed.

    >>> fold("Élodie  Dupré")
    'elodie dupre'
    """
    return re.sub(r"\s+", " ", _strip_accents(text)).strip().casefold()


@lru_cache(maxsize=262144)
def squash(text: str) -> str:
    """Key that ignores case, accents, spaces, hyphens, dots and apostrophes.

    >>> squash("Style Gan") == squash("StyleGAN") == squash("style-gan")
    True
    >>> squash("Transfert de style")
    'transfertdestyle'
    """
    return re.sub(r"[\s\-_.'’·/]+", "", _strip_accents(text).casefold())


def match_key(text: str) -> str:
    """The evaluation's matching key: ASCII letters and digits only, lower case.

    >>> match_key("Style-Gan!") == match_key("stylegan")
    True
    """
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())
