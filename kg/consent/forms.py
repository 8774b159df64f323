"""Restricted surface forms and where they occur: the one matcher the edition and the leak check share.

A person's name is restricted in every form a reader could recognise: the
whole name and each of its words ("Alexia Mathieu", "Alexia", "Mathieu"),
whatever the case, the accents or the spacing between the words ("alexia-
mathieu" in an IRI, "AlexiaMathieu" in a slug).  Words of one letter and name
particles ("de", "van") are not restricted on their own: they are ordinary
words.

`Matcher` finds the forms in a string and maps each find back to the
original characters, so that the edition can replace them in place; the fold
it uses keeps one character per character (`fold_aligned`), which is what
makes that mapping exact.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

PARTICLES = frozenset({"al", "da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos", "du", "el",
                       "la", "le", "les", "mc", "st", "te", "ten", "van", "von", "y", "zu"})
"""Words of a name that are not restricted alone: they are ordinary words in other sentences."""

_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x)).casefold()
    return base[:1] if base else c


def fold_aligned(text: str) -> str:
    """Case and accents removed, one character for one: position i of the result is character i of ``text``.

    Examples:
        >>> fold_aligned("Élodie DUPRÉ")
        'elodie dupre'
        >>> len(fold_aligned("Cœur")) == len("Cœur")
        True
    """
    return "".join(_fold_char(c) for c in text)


def words(form: str) -> tuple[str, ...]:
    """The folded words of a name, separators dropped.

    Examples:
        >>> words("Jean-Luc  d'Arc")
        ('jean', 'luc', 'd', 'arc')
    """
    return tuple(_WORD.findall(fold_aligned(form)))


def name_forms(names: Iterable[str]) -> tuple[str, ...]:
    """Every restricted form of a person known by ``names``: each name, a two-word name the other way round
    (as lists write it, "MATHIEU Alexia", and as it may be glued, "MathieuAlexia"), then each word that can
    stand alone.

    Examples:
        >>> name_forms(["Alexia Mathieu", "Alexia"])
        ('Alexia Mathieu', 'Alexia', 'mathieu alexia', 'alexia', 'mathieu')
    """
    out = [n for n in dict.fromkeys(n.strip() for n in names) if words(n)]
    out += [" ".join(reversed(words(n))) for n in list(out) if len(words(n)) == 2]
    for n in list(out):
        out += [w for w in words(n) if len(w) > 1 and w not in PARTICLES and not w.isdigit()]
    return tuple(dict.fromkeys(out))


def form_pattern(form: str) -> str:
    """A regex over folded text for ``form``: its words in order, up to three separators (or none) between them
    but never a line break (a name is not replaced across two turns), and no letter or digit on either side."""
    return r"(?<![^\W_])" + r"(?:[^\w\n]|_){0,3}".join(re.escape(w) for w in words(form)) + r"(?![^\W_])"


@dataclass(frozen=True)
class Find:
    start: int
    end: int
    form: str


class Matcher:
    """Finds any of ``forms`` in a string, the longest first where two overlap.

    ``replacements`` maps each form to what stands in its place (`sub`).
    """

    def __init__(self, replacements: Mapping[str, str]) -> None:
        usable = {f: r for f, r in replacements.items() if words(f)}
        # the longest forms first: "Alexia Mathieu" is one find, not two
        self.forms = sorted(usable, key=lambda f: (-len(words(f)), -len("".join(words(f))), f))
        self.replacements = usable
        self._regex = (re.compile("|".join(f"({form_pattern(f)})" for f in self.forms)) if self.forms else None)

    def __bool__(self) -> bool:
        return self._regex is not None

    def finds(self, text: str) -> list[Find]:
        """Where the forms occur in ``text`` (positions into ``text`` itself), left to right, never overlapping."""
        if self._regex is None or not text:
            return []
        folded = fold_aligned(text)
        return [Find(m.start(), m.end(), self.forms[m.lastindex - 1])
                for m in self._regex.finditer(folded) if m.lastindex is not None and m.end() > m.start()]

    def sub(self, text: str, replace: Callable[[str], str] | None = None) -> str:
        """``text`` with every find replaced by its form's replacement (or ``replace(replacement)``)."""
        finds = self.finds(text)
        if not finds:
            return text
        out, last = [], 0
        for f in finds:
            repl = self.replacements[f.form]
            out += [text[last:f.start], replace(repl) if replace else repl]
            last = f.end
        out.append(text[last:])
        return "".join(out)
