"""Capitals given back to speech written without them, from what the file, the lexicons and the vocabulary spell.

Old automatic captions and some ASR exports write everything in lower case,
names included; spaCy's models and kg's candidates find names mostly by their
capitals, so on such a file they find few.  The file itself often knows
better: its header, title and speaker labels are typed by a person ("Entretien
avec Nadia Ferrand, Compagnie des Hautes Herbes"); the speakers' names count
even where they spell ordinary words ("grace", "rose").  Then the lexicons
typing already reads: a known given name or place that is not an ordinary
word of the language ("tomasz", "quimper"; not "nice", "orange"), and the rare
word said after such a given name, its surname.  Then the vocabulary's
labels of tools, platforms and organisations, and the English "i".  Ordinary
words are left alone even when a name in the header spells them ("La
Montagne" does not make every "montagne" a name).

Only the text the models read changes, letter for letter at the same
offsets: quotes and mentions keep the characters of the source file.  On
seven annotated interviews written in lower case without punctuation
(`benchmarks/eval_shapes.py`), mean F1 rose from 0.379 to 0.485; with
capitals they score 0.799.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ..model import Interview
from .lexicon import is_first_name, place_population, zipf
from .vocabulary import Vocabulary

COMMON = 4.5
"""Zipf frequency from which a lower-case word is an ordinary word of the language, not given capitals."""
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def recaser(interview: Interview, speech: Sequence[str], vocabulary: Vocabulary | None, language: str) -> Recaser:
    """The capitals the file, the lexicons and the vocabulary give the words of ``interview``'s speech."""
    said = {w.lower() for t in speech for w in _WORD.findall(t)}
    words: dict[str, str] = {}
    # the participants' names first, even where they spell ordinary words ("Grace", "Rose"): they are who speaks
    for w in (w for p in interview.participants for w in _WORD.findall(p.name)):
        if w != w.lower() and w.lower() in said and len(w) > 1 and not _function_word(w.lower(), language):
            words.setdefault(w.lower(), w)
    for text in _typed_by_hand(interview, speech):
        for w in _WORD.findall(text):
            low = w.lower()
            if w != low and low in said and len(w) > 1 and not _ordinary(low, language):
                words.setdefault(low, w)
    # then given names and places the lexicons know, where the language does not use the word otherwise
    given: set[str] = set()
    for low in said - words.keys():
        title = low[:1].upper() + low[1:]
        if len(low) > 2 and not _ordinary(low, language) and (is_first_name(title) or place_population(title)):
            words[low] = title
            if is_first_name(title):
                given.add(low)
    # and a rare word just after a given name is its surname ("nadia ferrand")
    surnames = {b for a, b in _pairs(speech) if a in given and b not in words and len(b) > 2
                and not _ordinary(b, language) and not _function_word(b, language)}
    for low in surnames:
        words[low] = low[:1].upper() + low[1:]
    phrases: dict[str, str] = {}
    if vocabulary is not None:
        for entry in vocabulary.entries.values():
            if entry.type == "Concept" or entry.case_sensitive:
                continue
            for label in entry.labels:
                low = label.lower()
                if label != low and len(low) == len(label) and low.split()[0] in said and not _ordinary(low, language):
                    phrases.setdefault(low, label)
    if language == "en":
        words["i"] = "I"
    return Recaser(words, phrases)


class Recaser:
    """Gives a text the capitals found (`recaser`): whole words, and vocabulary labels of several words."""

    def __init__(self, words: dict[str, str], phrases: dict[str, str]) -> None:
        self.words = words
        self.phrases = phrases
        labels = sorted(phrases, key=len, reverse=True)
        self._phrase = re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, labels)) + r")(?![\w'’-])") \
            if labels else None

    def __call__(self, text: str) -> str:
        out = _WORD.sub(lambda m: self.words.get(m.group(), m.group()), text)
        if self._phrase is not None:
            out = self._phrase.sub(lambda m: self.phrases[m.group()], out)
        # offsets are the source's: a text whose length changed (a letter that capitalises into two) is left as it is
        return out if len(out) == len(text) else text


def _pairs(speech: Sequence[str]) -> Iterable[tuple[str, str]]:
    for text in speech:
        found = _WORD.findall(text.lower())
        yield from zip(found, found[1:], strict=False)


def _typed_by_hand(interview: Interview, speech: Sequence[str]) -> Iterable[str]:
    """What a person typed in the file: its title, metadata, speaker labels and names, the text outside speech."""
    yield interview.title or ""
    yield from interview.metadata.values()
    for p in interview.participants:
        yield p.name
        yield from p.labels
    inside = "\n".join(speech)
    for turn in interview.turns:
        if turn.kind != "speech" and turn.text not in inside:
            yield turn.text
    first = min((t.start for t in interview.turns if t.kind == "speech"), default=0)
    yield interview.text[:first]


def _function_word(word: str, language: str) -> bool:
    from spacy.util import get_lang_class

    return word in get_lang_class(language).Defaults.stop_words


@lru_cache(maxsize=20_000)
def _ordinary(word: str, language: str) -> bool:
    """An ordinary word or phrase of the language (wordfreq's estimate for a phrase is that of its words together:
    "touch designer" is rare where "touch" and "designer" are not)."""
    return zipf(word, language) >= COMMON
