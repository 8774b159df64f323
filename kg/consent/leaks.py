"""The leak check: does any file of an output folder hold a restricted name, in any spelling or escape?

Each file is read as text, then decoded every way an output of kg (or an
edit by hand) can write a name: HTML entities, percent-escapes in IRIs and
URLs, JSON and Turtle backslash escapes, each applied to what the last one
gave.  Every decoding is then folded (case and accents dropped, any run of
non-letters made one space), and a form is found when its words follow each
other with at most one such space between them ("alexia mathieu",
"alexiamathieu", "Alexia%20Mathieu", "alexia\\-mathieu", "ALEXIA_MATHIEU").
A form must stand alone: "Alex" is not found in "Alexandre".
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import permutations
from pathlib import Path
from urllib.parse import unquote_plus

from .forms import words

_BACKSLASH = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2})|(.))", re.DOTALL)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


@dataclass(frozen=True, order=True)
class Leak:
    file: str
    form: str
    as_written: str
    """The decoding it was found in: plain, html, url, backslash, a chain of them ("backslash+url"), file name."""

    def __str__(self) -> str:
        how = "" if self.as_written == "plain" else f" ({self.as_written}-escaped)"
        return f"{self.file}: {self.form!r}{how}"


def _unbackslash(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2) or m.group(3)
        if code:
            try:
                return chr(int(code, 16))
            except (ValueError, OverflowError):
                return m.group(0)
        c = m.group(4)
        return _SIMPLE.get(c, c)

    return _BACKSLASH.sub(one, text)


def _unquote(text: str) -> str:
    return unquote_plus(text)


_DECODERS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("html", html.unescape), ("url", _unquote), ("backslash", _unbackslash))


def decodings(text: str, rounds: int = 4) -> dict[str, str]:
    """``text`` as written, decoded each way alone, and decoded every way again and again (up to ``rounds``) in
    each order of the decodings: a name escaped twice (a percent-escaped IRI in JSON, "\\u0025C3") is found
    by the order that undoes the outer escape first.

    Examples:
        >>> "a&b" in decodings("a%26amp%3Bb").values()
        True
    """
    found = {text: "plain"}
    for name, decode in _DECODERS:
        found.setdefault(decode(text), name)
    for order in permutations(_DECODERS):
        value = text
        for _ in range(rounds):
            before = value
            for _, decode in order:
                value = decode(value)
            if value == before:
                break
        found.setdefault(value, "+".join(name for name, _ in order))
    return {how: value for value, how in found.items()}


def _folded(text: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    return " " + re.sub(r"[\W_]+", " ", stripped) + " "


class LeakFinder:
    """Finds restricted ``forms`` in texts and files."""

    def __init__(self, forms: Iterable[str]) -> None:
        self.forms: dict[str, str] = {}
        for form in forms:
            key = " ".join(words(form))
            if key:
                self.forms.setdefault(key, form)
        alternatives = sorted(self.forms, key=len, reverse=True)
        self._regex = (re.compile(r"(?<![^\W_])(" + "|".join(" ?".join(map(re.escape, k.split())) for k in alternatives)
                                  + r")(?![^\W_])") if alternatives else None)

    def in_text(self, text: str) -> dict[str, str]:
        """The forms in ``text``, each with the first decoding it was found in."""
        if self._regex is None:
            return {}
        found: dict[str, str] = {}
        for how, value in decodings(text).items():
            for m in self._regex.finditer(_folded(value)):
                key = " ".join(words(m.group(1)))
                form = self.forms.get(key) or self._form_of(m.group(1))
                found.setdefault(form, how)
        return found

    def _form_of(self, matched: str) -> str:
        squashed = matched.replace(" ", "")
        return next((f for k, f in self.forms.items() if k.replace(" ", "") == squashed), matched)

    def in_folder(self, folder: str | Path) -> list[Leak]:
        """Every restricted form in every file under ``folder`` (hidden files and kg's caches included)."""
        root = Path(folder)
        leaks: list[Leak] = []
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            text = path.read_bytes().decode("utf-8", errors="replace")
            rel = path.relative_to(root).as_posix()
            leaks += [Leak(rel, form, how) for form, how in self.in_text(text).items()]
            # the file's own name and folders: "alexia-mathieu.json" leaks as much as its content
            leaks += [Leak(rel, form, "file name") for form in self.in_text(rel)]
        return sorted(set(leaks))
