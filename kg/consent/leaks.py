"""The leak check: does any file of an output folder hold a restricted name, in any spelling or escape?

Each file is read as text, then decoded every way an output of kg (or an
edit by hand) can write a name: HTML entities, percent-escapes in IRIs and
URLs, JSON and Turtle backslash escapes, each applied to what the last one
gave, in one order and the reverse.  Every decoding is then folded (case and
accents dropped), and a form is found when its words follow each other with
nothing but non-letters, or nothing, between them ("alexia mathieu",
"alexiamathieu", "Alexia%20Mathieu", "alexia\\-mathieu", "ALEXIA_MATHIEU").
A form must stand alone: "Alex" is not found in "Alexandre".  The code kg
inlines into every page, the same whatever the graph, is not read.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote_plus

_BACKSLASH = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2})"
                        r"|([\\\"'/bfnrt_~.\-!$&()*+,;=?#@%]))")
"""The escapes of JSON, Turtle strings and Turtle local names (and \\xHH): any other backslash is a backslash
(a Windows path, "C:\\Users\\Alexia", keeps its separators)."""
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


@dataclass(frozen=True, order=True)
class Leak:
    file: str
    form: str
    as_written: str
    """How it was written: "plain", "escaped" (only a decoding shows it) or "file name"."""

    def __str__(self) -> str:
        how = "" if self.as_written == "plain" else f" ({self.as_written})"
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


_DECODERS: tuple[tuple[str, Callable[[str], str], tuple[str, ...]], ...] = (
    ("html", html.unescape, ("&",)), ("url", _unquote, ("%", "+")), ("backslash", _unbackslash, ("\\",)))
"""Each decoding, and the characters without which it has nothing to do."""


def decodings(text: str, rounds: int = 4) -> dict[str, str]:
    """``text`` decoded every way again and again (up to ``rounds``), in one order and in the reverse, by the
    decodings that changed it; ``text`` itself only when none did.

    A decoding only turns escapes into what they stand for, so a name written plainly is still there after
    it; a name escaped twice (a percent-escaped IRI in JSON) is found by the order that undoes the outer
    escape first.

    Examples:
        >>> decodings("a%26amp%3Bb")
        {'url+html': 'a&b'}
        >>> decodings("plain text")
        {'plain': 'plain text'}
    """
    found: dict[str, str] = {}
    for order in (_DECODERS, _DECODERS[::-1]):  # each order undoes any two layers, whichever is outside
        value, used = text, []
        for _ in range(rounds):
            before = value
            for name, decode, triggers in order:
                if any(t in value for t in triggers):
                    decoded = decode(value)
                    if decoded != value:
                        used.append(name)
                        value = decoded
            if value == before:
                break
        found.setdefault(value, "+".join(dict.fromkeys(used)) or "plain")
        if len(set(used)) < 2:
            break  # one decoding or none: the other order gives the same
    return {how: value for value, how in found.items()}


@lru_cache(maxsize=65536)
def _fold_char(c: str) -> str:
    """One character outside ASCII, folded to ASCII: a letter to its base letters, an accent on its own to
    nothing, a letter with no ASCII form ("ø") to a word of its own code, anything else to a space."""
    base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x)).casefold()
    return "".join(x if x.isascii() else f"q{ord(x):x}q" if x.isalnum() else " " for x in base)


def _fold_error(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(_fold_char(c) for c in error.object[error.start:error.end]), error.end


codecs.register_error("kg-fold", _fold_error)


def _folded(text: str) -> bytes:
    """Case and accents dropped, as ASCII bytes: the few characters outside ASCII are folded by the encoder's
    error handler (`_fold_char`), so that a file of megabytes folds in a few passes of C code.

    Examples:
        >>> _folded("ÉLODIE Dupré, Søren")
        b'elodie dupre, sqf8qren'
    """
    return text.encode("ascii", "kg-fold").lower()  # bytes.lower: ASCII only, several times faster than str.lower


@lru_cache(maxsize=1)
def shipped_code() -> tuple[str, ...]:
    """The code kg inlines into every page (vis-network, the page's script and style), the same for every graph:
    it holds no transcript, and its minified names ("ak", "Ak") would read as a person called AK."""
    from importlib import resources

    from ..page.render import vis_network_js

    assets = resources.files("kg.page") / "assets"
    return (vis_network_js(), *((assets / name).read_text("utf-8") for name in ("page.js", "review.js", "page.css")))


def _without_shipped_code(text: str) -> str:
    for code in shipped_code():
        if code[:200] in text:
            text = text.replace(code, " ")
    return text


_WORDS = re.compile(rb"[^\W_]+")
SPACING = 16
"""At most this many non-letters between the words of a name for the check to see one name."""


class LeakFinder:
    """Finds restricted ``forms`` in texts and files.

    A quick search for one word of each form (its longest, with no regard to what surrounds it) finds the
    places worth looking at; the exact pattern runs only around them.
    """

    def __init__(self, forms: Iterable[str]) -> None:
        self.forms: dict[bytes, str] = {}
        for form in forms:
            key = b" ".join(_WORDS.findall(_folded(form)))  # folded as the files are: "œ" is "oe" in both
            if key:
                self.forms.setdefault(key, form)
        keys = sorted(self.forms, key=len, reverse=True)
        anchors = {max(k.split(), key=len) for k in keys}
        self._quick = re.compile(b"|".join(map(re.escape, sorted(anchors, key=len, reverse=True)))) if keys else None
        between = rb"[\W_]{0,%d}" % SPACING
        self._regex = (re.compile(rb"(?<![^\W_])(" + b"|".join(between.join(map(re.escape, k.split())) for k in keys)
                                  + rb")(?![^\W_])") if keys else None)
        self._reach = max((len(k) + SPACING * k.count(b" ") for k in keys), default=0)

    def in_text(self, text: str) -> dict[str, str]:
        """The forms in ``text``, each as it was written: "plain", or "escaped" when only a decoding shows it."""
        quick, regex = self._quick, self._regex
        if regex is None or quick is None:
            return {}
        variants = decodings(text)
        found = {form for value in variants.values() for form in self._in_folded(_folded(value), quick, regex)}
        if not found:
            return {}
        # what a reader sees as it is: looked for only once something is found
        plain = found if "plain" in variants else self._in_folded(_folded(text), quick, regex)
        return {form: "plain" if form in plain else "escaped" for form in sorted(found)}

    def _in_folded(self, folded: bytes, quick: re.Pattern[bytes], regex: re.Pattern[bytes]) -> set[str]:
        found: set[str] = set()
        for start, end in self._windows(folded, quick):
            for m in regex.finditer(folded, start, end):
                if m.end() == end < len(folded) and folded[end:end + 1].isalnum():
                    continue  # cut off by the window: a longer word, not the name
                found.add(self._form_of(m.group(1)))
        return found

    def _windows(self, folded: bytes, quick: re.Pattern[bytes]) -> list[tuple[int, int]]:
        """Around each place a form's longest word occurs, as far as a form can reach; merged."""
        windows: list[tuple[int, int]] = []
        for m in quick.finditer(folded):
            start, end = max(0, m.start() - self._reach), min(len(folded), m.end() + self._reach)
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], end)
            else:
                windows.append((start, end))
        return windows

    def _form_of(self, matched: bytes) -> str:
        key = b" ".join(re.split(rb"[\W_]+", matched))
        if key in self.forms:
            return self.forms[key]
        squashed = key.replace(b" ", b"")
        return next((f for k, f in self.forms.items() if k.replace(b" ", b"") == squashed), matched.decode())
    def in_folder(self, folder: str | Path) -> list[Leak]:
        """Every restricted form in every file under ``folder`` (hidden files and kg's caches included)."""
        root = Path(folder)
        leaks: list[Leak] = []
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            text = _without_shipped_code(path.read_bytes().decode("utf-8", errors="replace"))
            rel = path.relative_to(root).as_posix()
            leaks += [Leak(rel, form, how) for form, how in self.in_text(text).items()]
            # the file's own name and folders: "alexia-mathieu.json" leaks as much as its content
            leaks += [Leak(rel, form, "file name") for form in self.in_text(rel)]
        return sorted(set(leaks))
