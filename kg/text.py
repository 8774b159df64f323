"""The keys names are compared by, in one place for every stage.

Ingestion ties speaker labels to people, extraction looks names up in the
vocabulary, resolution groups mentions, the RDF and the queries name people,
and the evaluation matches gold surface forms: each compares names, and each
must compare them the same way, so the keys live here and nowhere else.

- `fold`: case and accents ignored, spacing kept ("Élodie  Dupré" → "elodie dupre"): people's names.
- `squash`: also spaces, hyphens, dots and apostrophes dropped ("Style Gan" = "StyleGAN"): names of things.
- `match_key`: every non-alphanumeric character dropped, the shared scorer's convention.
- `id_slug`: the ASCII slug of ids (python-slugify), transliterated the same way on every machine.
- `in_lower_case`: whether speech is written without capitals (ingestion warns, extraction recases it).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["capitals", "fold", "id_slug", "in_lower_case", "lower_case_turn", "match_key", "squash"]

LOWER_MIN_WORDS = 200
"""The fewest words of speech without capitals that make a transcript one in lower case."""
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def capitals(texts: list[str]) -> tuple[int, int]:
    """How many words of ``texts`` start with a capital ("I" aside), and how many words there are."""
    words = [w for t in texts for w in _WORD.findall(t)]
    return sum(1 for w in words if w[:1].isupper() and w != "I"), len(words)


LOWER_TURNS = 0.8
"""The share of the speech's words that must lie in turns without capitals for the speech to be in lower case."""
LOWER_TURN_SHARE = 1 / 40
"""A turn with fewer capitalised words than this share is written without capitals: a question typed with its
capitals before an answer in lower case still leaves one word in forty or fewer; a cased turn has one in ten to
twenty."""


def lower_case_turn(text: str) -> bool:
    """Whether one turn is written without capitals (fewer than `LOWER_TURN_SHARE` of its words)."""
    return _without_capitals(*capitals([text]))


def _without_capitals(capitalised: int, words: int) -> bool:
    return capitalised < LOWER_TURN_SHARE * words


def in_lower_case(texts: list[str]) -> bool:
    """Whether speech is written without capitals, as old automatic captions write it, names included.

    Counted turn by turn: a transcript of captions often opens with a paragraph a person typed (a greeting, who
    is speaking), whose capitals would otherwise outweigh a thousand words without any.
    """
    total = lower = 0
    for capitalised, words in map(capitals, ([text] for text in texts)):
        total += words
        lower += words if _without_capitals(capitalised, words) else 0
    return lower >= LOWER_MIN_WORDS and lower >= LOWER_TURNS * total


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
