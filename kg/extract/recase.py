"""Capitals given back to speech written without them, from what the file, the lexicons and the vocabulary spell.

Old automatic captions and some ASR exports write everything in lower case,
names included; spaCy's models and kg's candidates find names mostly by their
capitals, so on such a file they find few.  The file itself often knows
better: its header, title and speaker labels are typed by a person ("Entretien
avec Nadia Ferrand, Compagnie des Hautes Herbes"); the speakers' names count
even where they spell ordinary words ("grace", "rose").  Then the lexicons
typing already reads: a known given name or place that is not an ordinary
word of the language ("tomasz", "quimper"; not "nice", "orange"), and the rare
word said after such a given name, its surname.  Then the words web text
writes with a capital (or in capitals: "afp", "sdis") far more often than
without, the vocabulary's labels of tools, platforms and organisations, and
the English "i".  Ordinary
words are left alone even when a name in the header spells them ("La
Montagne" does not make every "montagne" a name).

Only the text the models read changes, letter for letter at the same
offsets: quotes and mentions keep the characters of the source file.  On
seven annotated interviews written in lower case without punctuation
(`benchmarks/eval_shapes.py`), mean F1 rose from 0.379 to 0.611 over
five versions; with capitals they score 0.807.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ..model import Interview
from .lexicon import in_english_dictionary, is_first_name, place_population, places_of_several_words, zipf
from .vectors import capital_share, frequency_rank
from .vocabulary import Vocabulary

COMMON = 4.5
"""Zipf frequency from which a lower-case word is an ordinary word of the language, not given capitals."""
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ELIDED = re.compile(r"((?:qu|[cdjlmnst])['’])([^\W\d_][\w'’-]*)", re.IGNORECASE)
"""A French elided article or pronoun and the word it is joined to ("l'insa", "d'adobe"): the word is looked up."""
_POSSESSIVE = re.compile(r"([^\W\d_][\w-]*?)(['’]s?)", re.IGNORECASE)
"""A word and the English possessive after it ("nasa's", "zwo's"): the word is looked up."""
ACRONYM_LETTERS = 5
"""The longest word that may be given back as initials ("sdis" as "SDIS") rather than with one capital."""
CAPITAL_SHARE = {"fr": 3.0}
"""How many times more often French web text writes a word with its capital than without, for a name in a
transcript of that language (see `_web_names`); 5 for the others."""


def recaser(interview: Interview, speech: Sequence[str], vocabulary: Vocabulary | None, language: str) -> Recaser:
    """The capitals the file, the lexicons and the vocabulary give the words of ``interview``'s speech."""
    said = {_unelided(w.lower()) for t in speech for w in _WORD.findall(t)}
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
    lower_first = _lower_first(said - words.keys()) if language == "fr" else set()
    for low in said - words.keys() - lower_first:
        title = _capitalised(low)
        if len(low) > 2 and not _ordinary(low, language) and (is_first_name(title) or place_population(title)):
            words[low] = title
            if is_first_name(title):
                given.add(low)
    # then the words web text writes with a capital far more often than without ("barbican", "simondon")
    for low, title in _web_names(said - words.keys(), language).items():
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
                if label != low and len(low) == len(label) and low.split()[0] in said and (
                        not _ordinary(low, language) or _brand(label, low)):
                    phrases.setdefault(low, label)
    phrases.update((low, name) for low, name in _places_said(said, language).items() if low not in phrases)
    if language == "en":
        words["i"] = "I"
    # a given name and a name after it that is no word of the language: a person, whom NER reads in pieces (in
    # English speech, not a word of the dictionary either: "orion nebula")
    people = frozenset((a, b) for a, b in _pairs(speech) if a in given and b in words and a != b
                       and words[b][:1].isupper() and not _ordinary(b, language) and not _function_word(b, language)
                       and not (language == "en" and in_english_dictionary(b)))
    return Recaser(words, phrases, people)


def _places_said(said: set[str], language: str) -> dict[str, str]:
    """The gazetteer's places of several words whose every word is said ("la rochelle", "buenos aires", "le havre"),
    by their lower-case form.

    Word by word, "la rochelle" would become "la Rochelle", a given name to NER.  The last word must say a name
    by itself, being no ordinary word of the language (a Zipf frequency below `COMMON`) or one web text writes
    mostly with its capital: "le cap" (Cape Town in French) and "le port" (a town of La Réunion) stay as said.
    Rarer words pass whatever their meaning ("spanish fork", "noble park"), but only the whole phrase is
    recased, and towns' names of ordinary words are seldom said word for word.
    """
    found = {}
    for name, low, parts in _several_words_lowered():
        if not all(w in said for w in parts):
            continue
        last = parts[-1]
        if len(last) <= 2 or _function_word(last, language):
            continue
        if _ordinary(last, language) and (capital_share(_capitalised(last)) or 0.0) < CAPITAL_SHARE.get(language, 5.0):
            continue
        found[low] = name
    return found


@lru_cache(maxsize=1)
def _several_words_lowered() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The gazetteer's places of several words, each with its lower-case form and words (those that keep their
    length in lower case), once per process."""
    return tuple((name, low, tuple(low.split())) for name in places_of_several_words()
                 if len(low := name.lower()) == len(name))


class Recaser:
    """Gives a text the capitals found (`recaser`): whole words, and vocabulary labels of several words."""

    def __init__(self, words: dict[str, str], phrases: dict[str, str],
                 people: frozenset[tuple[str, str]] = frozenset()) -> None:
        self.words = words
        self.phrases = phrases
        self.people = people
        """Pairs of words, a given name and the surname after it ("andreas", "malm"), that name a person."""
        labels = sorted(phrases, key=len, reverse=True)
        self._phrase = re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, labels)) + r")(?![\w'’-])") \
            if labels else None

    def __call__(self, text: str) -> str:
        # phrases first: a word recased alone ("la Rochelle") no longer reads as the phrase
        out = self._phrase.sub(lambda m: self.phrases[m.group()], text) if self._phrase is not None else text
        out = _WORD.sub(lambda m: self._word(m.group()), out)
        # offsets are the source's: a text whose length changed (a letter that capitalises into two) is left as it is
        return out if len(out) == len(text) else text

    def _word(self, word: str) -> str:
        found = self.words.get(word)
        if found is not None:
            return found
        before, stem, after = _parts(word)
        return before + self.words[stem] + after if stem in self.words else word


BRAND_SHARE = 1.5
"""How many times more often web text must write a frequent vocabulary label with its capitals than without for it
to be the brand in lower-case speech ("facebook" 2.4, "youtube" 1.7; "zoom" 0.8, "orange" 0.8)."""


def _brand(label: str, low: str) -> bool:
    """A vocabulary label said so often that it counts as a frequent word ("facebook", "google"), yet no word of
    an English dictionary and written by web text mostly with its capitals: the platform, in any speech."""
    return (" " not in low and not in_english_dictionary(low, inflected=False)
            and (capital_share(label) or 0.0) >= BRAND_SHARE)


def _parts(word: str) -> tuple[str, str, str]:
    """A word as an elided French article or pronoun, the word looked up, and an English possessive: "l'insa" is
    ("l'", "insa", ""), "nasa's" is ("", "nasa", "'s")."""
    elided = _ELIDED.fullmatch(word)
    if elided:
        return elided.group(1), elided.group(2), ""
    owned = _POSSESSIVE.fullmatch(word)
    return ("", owned.group(1), owned.group(2)) if owned else ("", word, "")


def _unelided(word: str) -> str:
    return _parts(word)[1]


_INNER_CONNECTORS = frozenset({"de", "du", "des", "la", "le", "les", "en", "sur", "sous", "lès", "et", "aux", "au",
                               "upon", "on", "in", "by", "the", "of"})
"""Words that stay in lower case inside a hyphenated name ("Puy-de-Dôme", "Aix-en-Provence", "Stratford-upon-Avon")."""


def _capitalised(word: str) -> str:
    parts = word.split("-")
    return "-".join(part if i and part in _INNER_CONNECTORS else part[:1].upper() + part[1:]
                    for i, part in enumerate(parts))


def _web_names(words: Iterable[str], language: str) -> dict[str, str]:
    """The words that web text writes with a capital far more often than without: names, in all likelihood.

    The French pipeline's word table ranks each spelling by its frequency in
    French web text (`kg.extract.vectors.capital_share`): "Paris" comes 15 times before
    "paris", "Simondon" and "Barbican" are never written otherwise, while
    "pierre" and "Pierre" are close and "orange" comes first.  In French
    speech a word written with its capital three times as often is taken for
    a name (below that, "vienne" and "seat" come in), ten times for a word of
    an English dictionary, which French speech borrows ("nice": 4.8 times).
    French web text says less about English words: English titles there give
    "Railway" or "Midwife" their capitals, so in English speech the share must
    be five, for a word the dictionary does not hold in lower case, or twenty
    for a given name or town it does hold ("daniel", "berlin"; not "bill").
    Other languages: five, for words rare in the language (Zipf below 3.5).
    """
    found = {}
    for low in words:
        cap = _capitalised(low)
        if len(low) <= 2 or not low.islower() or len(cap) != len(low) or _function_word(low, language):
            continue
        if len(low) <= ACRONYM_LETTERS and low.isascii() and low.isalpha():
            upper = low.upper()  # "afp", "sdis", "nhs": initials, which web text writes in capitals
            if (capital_share(upper) or 0.0) > (capital_share(cap) or 0.0):
                cap = upper
        share = capital_share(cap)  # infinite for a spelling missing from the table's half million
        if share is None:
            if language == "en" and _unheard_of(low):
                found[low] = cap
            continue
        if share < CAPITAL_SHARE.get(language, 5.0):
            continue
        if language == "fr" and share < 10 and in_english_dictionary(low, inflected=False):
            continue  # an English word said in French ("c'était nice", "cool") is not "Nice" from three times
        if language == "en" and in_english_dictionary(low) and not (share >= 20 and zipf(low, language) < 5.0
                                                                    and (is_first_name(cap) or place_population(cap))):
            continue
        if language not in ("fr", "en") and not zipf(low, language) < 3.5:
            continue
        found[low] = cap
    return found


UNHEARD_ZIPF = 1.5
"""The Zipf frequency below which a word that French web text never writes, in any case, is a name."""


def _unheard_of(low: str) -> bool:
    """A word French web text never writes, no English dictionary holds and wordfreq all but never meets in
    English: in speech recognition's output, which spells only words it knows, such a word is a name
    ("pixinsight", "consolmagno", "asiair").  Not asked of French speech: the French table lacks many
    inflected forms ("punaisée"), and no French dictionary is at hand to tell them from names."""
    return (len(low) >= 4 and low.isalpha() and frequency_rank(low) is None
            and not in_english_dictionary(low) and zipf(low, "en") < UNHEARD_ZIPF)


def _lower_first(words: Iterable[str]) -> set[str]:
    """The words web text writes more often without a capital than with one ("urbain", "laine", "serres"): given
    names and towns the lexicons know that are first of all ordinary words here, whatever their Zipf figure.
    French web text only says so of French words: it is asked for French transcripts alone."""
    return {low for low in words if low.islower() and frequency_rank(low) is not None
            and (capital_share(_capitalised(low)) or 0.0) < 1.0}


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
