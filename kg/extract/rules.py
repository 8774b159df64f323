"""Clean candidate spans and give each a kg type, then keep the best non-overlapping ones.

Speech transcripts defeat news-trained NER in known ways: fillers and
pronouns tagged as entities ("Euh", "ça"), clauses swallowed into a name
("Sketch to Code Et moi j'ai"), repetitions ("Clip Drop Clip Drop"), product
names typed as people ("Style Gan"), cities typed as people ("Nancy").  The
rules here undo those with general knowledge only: parts of speech, word
frequency, a first-name lexicon, a gazetteer of places, and the words
around a name.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import EntityType
from .candidates import Candidate, shape_name, spoken_opener
from .lexicon import (
    ALIAS_WORDS,
    EVENT_HEADS,
    EVENT_NOUNS,
    EVERYDAY_NAMES,
    FILLER_NAMES,
    FILLERS,
    GENERIC_INITIALS,
    GREETINGS,
    HONORIFICS,
    NER_TYPES,
    ORG_CUES,
    ORG_HEADS,
    PERSON_CUES,
    PLACE_CUES,
    PLACE_HEADS,
    PLACE_PREPOSITIONS,
    ROLE_TITLES,
    SHOW_CUES,
    TOOL_CUES,
    TOOL_PREPOSITIONS,
    WORK_CUES,
    common_word,
    given_name_here,
    in_english_dictionary,
    is_article,
    is_first_name,
    place_population,
    zipf,
)
from .tokens import Tokens, tokens

if TYPE_CHECKING:  # spaCy (and torch, which it imports) loads in seconds: only when extraction runs
    from spacy.tokens import Doc, Span, Token

MAX_TOKENS = 7
_LEAD_POS = {"DET", "PRON", "CCONJ", "SCONJ", "ADP", "ADV", "INTJ", "AUX", "VERB", "PUNCT", "SPACE", "PART", "NUM"}
CONNECTORS = {"and", "et", "&", "of", "de", "du", "des", "d'", "d’", "la", "le", "l'", "l’", "for", "the", "to",
              "y", "von", "van", "der", "da", "di", "del", "dos", "los", "las", "della", "-", "'s", "’s"}
_STOP_TEXT = {".", "?", "!", ";", ":", "…", "(", ")", '"', "«", "»", "“", "”", ",", "[", "]"}
_BIG_PLACE = 500_000
_TOWN = 50_000


@dataclass(frozen=True, slots=True)
class Typed:
    start: int
    end: int
    type: EntityType
    score: float
    source: str
    key: str = ""
    """Vocabulary entry id, when the span is a vocabulary label."""


_PLURAL_INITIALS = re.compile(r"[A-Z]{2,}s")


def ordinary_initials(text: str, language: str) -> bool:
    """Initials that are an ordinary word of the language: a kind of thing ("TV", "PDF", "SMS", "BTS"), or a word
    written in capitals for stress ("SO", "PAS").

    Word frequency alone does not tell them from a well-known body's initials: French web text writes "sncf",
    "cgt" and "edf" as often as it writes many ordinary words, and English "bbc" or "nhs".  So frequency counts
    only from higher up (4.6, the level of "pas" or "so"), an English dictionary's common nouns count, and so does
    the list of initials for kinds of things.
    """
    low = text.casefold()
    return (low in GENERIC_INITIALS or common_word(low, language, 4.6)
            or language == "en" and common_word(low, language, 3.5) and in_english_dictionary(low, inflected=False))


def plural_initials(text: str) -> bool:
    """Initials in the plural ("APIs", "KPIs"): a kind of thing, since an organisation or a product is not
    pluralised."""
    return _PLURAL_INITIALS.fullmatch(text) is not None


def nameish(t: Token) -> bool:
    """Looks like part of a name: capitalised mid-sentence, CamelCase, digits, or all caps."""
    text = t.text
    if not any(c.isalpha() for c in text):
        return False
    if shape_name(text) or (text.isupper() and len(text) > 1):
        return True
    return text[:1].isupper() and (not t.is_sent_start or t.pos_ == "PROPN")


def nameish_at(tk: Tokens, i: int) -> bool:
    """`nameish` of token ``i``, read from the Doc's `Tokens`."""
    if not tk.has_alpha[i]:
        return False
    text = tk.text[i]
    if shape_name(text) or (text.isupper() and len(text) > 1):
        return True
    return text[:1].isupper() and (not tk.is_sent_start[i] or tk.pos[i] == "PROPN")


def filler(t: Token) -> bool:
    """A filler word ("euh", "ben", "like"), unless capitalised inside a sentence ("Ben Fry") or said in a
    language where it is a given name (`kg.extract.lexicon.FILLER_NAMES`: "Ben Goldacre's work")."""
    return (t.lower_ in FILLERS and bool(t.is_lower or t.is_sent_start)
            and FILLER_NAMES.get(t.lower_, t.doc.lang_) == t.doc.lang_)


def _filler_at(tk: Tokens, i: int) -> bool:
    """`filler` of token ``i``, read from the Doc's `Tokens`."""
    return (tk.lower[i] in FILLERS and bool(tk.is_lower[i] or tk.is_sent_start[i])
            and FILLER_NAMES.get(tk.lower[i], tk.lang) == tk.lang)


def _name_follows(doc: Doc, k: int, end: int) -> bool:
    """Whether a name word follows within the next two tokens of connectors ("de la Loire")."""
    tk = tokens(doc)
    for j in range(k + 1, min(end, k + 3)):
        if nameish_at(tk, j):
            return True
        if tk.lower[j] not in CONNECTORS:
            return False
    return False


_AFFILIATION = {"of", "from", "at", "de", "du", "chez"}


def _person_ends(doc: Doc, start: int, k: int) -> bool:
    """Whether a person's name (a first name and a surname) ends before token ``k``: at their role ("Virginie
    Rozière Directrice") or at where they work ("John Donoghue of Brown University").  Two words at least
    before it, so "Jean de La Fontaine" and "Charles de Gaulle" stay whole."""
    tk = tokens(doc)
    if tk.lower[k] not in ROLE_TITLES and tk.lower[k] not in _AFFILIATION:
        return False
    words = [tk.text[i] for i in range(start, k) if tk.is_alpha[i]]
    return (len(words) >= 2 and len(words) == k - start and is_first_name(words[0])
            and all(w[:1].isupper() for w in words))


_HYPHENS = {"-", "‑"}


_SURNAME_ARTICLES = {"le", "la"}


def article_surname(doc: Doc, start: int, end: int) -> bool:
    """Whether ``doc[start:end]`` is a French surname that opens with its article, as NER reads it: "Le Corbusier",
    "Le Clézio", "La Fontaine", "Le Goff" (a common form of surname in Brittany).

    The French pipeline tells these from two-word titles ("La Peste", "Le Cid": MISC) and from papers and
    places ("Le Monde", "Le Havre": ORG, LOC) by its PER label, which is all this trusts; the article and one
    capitalised word, no more ("Le Petit Prince" is a title whatever NER says)."""
    if end - start != 2 or doc.lang_ != "fr":
        return False
    article, name = doc[start], doc[start + 1]
    if article.lower_ not in _SURNAME_ARTICLES or not article.text[:1].isupper() or not name.text[:1].isupper() \
            or not name.is_alpha and "-" not in name.text:
        return False
    return any(e.start == start and e.end == end and e.label_ == "PER" for e in doc.ents)


def trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop leading function words and fillers, cut at a clause, drop trailing junk.

    "le Google" -> "Google", "Google's" -> "Google", "l'API de Runway" -> "Runway",
    "Dan Shiffman - I" -> "Dan Shiffman"; a capitalised article inside a
    sentence stays ("The Coding Train").
    """
    tk = tokens(doc)
    text, lower, pos = tk.text, tk.lower, tk.pos
    is_punct, is_space, whitespace = tk.is_punct, tk.is_space, tk.whitespace

    def leading_junk(i: int) -> bool:
        if is_article(text[i]) and text[i][:1].isupper() and not tk.is_sent_start[i]:
            return False  # part of a title: "The Coding Train", "L'Écho des Vallées"
        if i == start and article_surname(doc, start, end):
            return False  # "Le Corbusier aussi, ..." opening a sentence: the article is the name's
        if (_filler_at(tk, i) or is_punct[i] or is_space[i] or lower[i] in {"l'", "l’", "d'", "d’"}
                or lower[i] in ALIAS_WORDS):
            return True
        return (pos[i] in _LEAD_POS or tk.is_stop[i] or tk.is_lower[i]) and not nameish_at(tk, i)

    while start < end and leading_junk(start) and any(nameish_at(tk, i) for i in range(start + 1, end)):
        start += 1
    while start < end and (_filler_at(tk, start) or is_punct[start] or is_space[start]
                           or (lower[start] in GREETINGS or honorific_at(tk, start)) and end - start > 1):
        start += 1
    for k in range(start + 1, end):
        t = text[k]
        spaced_dash = t in {"-", "–", "—"} and whitespace[k - 1]
        # a run of spaces is where markup was blanked ("**Henri Verdier** Ambassadeur"): a name never spans it
        if (is_space[k] or "\n" in t or t in _STOP_TEXT or spaced_dash or lower[k] in ALIAS_WORDS
                or pos[k] == "PRON" and not shape_name(t)):
            end = k
            break
        if _person_ends(doc, start, k) or spoken_opener(tk, k):
            end = k
            break
        if nameish_at(tk, k) or lower[k] in CONNECTORS and _name_follows(doc, k, end):
            continue
        if not whitespace[k - 1] and (t in _HYPHENS or text[k - 1] in _HYPHENS and tk.is_alpha[k]):
            continue  # inside a hyphenated word: "Port-au-Prince" goes on past "au"
        if pos[k] in {"VERB", "AUX", "SCONJ", "INTJ", "CCONJ", "ADV", "ADP", "DET"} or _filler_at(tk, k):
            end = k
            break
    while end > start and (is_punct[end - 1] or is_space[end - 1] or lower[end - 1] in CONNECTORS
                           or _filler_at(tk, end - 1)):
        end -= 1
    n = end - start
    if n >= 2 and n % 2 == 0 and lower[start:start + n // 2] == lower[start + n // 2:end]:
        end = start + n // 2  # "Clip Drop Clip Drop"
    elif n >= 3 and tk.is_alpha[start] and lower[start] in lower[start + 1:end]:
        start += 1  # a false start, spoken or transcribed without its comma: "Amélie Amélie Charpentier"
    return start, end


@lru_cache(maxsize=1)
def _show_cues() -> tuple[tuple[int, frozenset[tuple[str, ...]]], ...]:
    """`SHOW_CUES` by length: one set look-up per length instead of a comparison per cue."""
    by_length: dict[int, set[tuple[str, ...]]] = {}
    for cue in SHOW_CUES:
        by_length.setdefault(len(cue), set()).add(cue)
    return tuple((n, frozenset(cues)) for n, cues in sorted(by_length.items()))


def context_type(doc: Doc, start: int, text: str) -> EntityType | None:
    """Type announced by the words just before a name ("l'outil X", "chez X", "in Bristol")."""
    tk = tokens(doc)
    first = max(0, min(start, tk.n) - 3)
    before = tk.lower[first:start]
    if any(tuple(before[-n:]) in cues for n, cues in _show_cues()):
        return "Place" if place_population(text) else "Work"
    for i in reversed(range(first, min(start, tk.n))):
        w, lemma = tk.lower[i], tk.lemma_lower[i]
        if w == "at" and i == start - 1 and i > 0 and (tk.lower[i - 1] in PERSON_CUES or tk.lemma_lower[i - 1]
                                                       in PERSON_CUES) and tk.pos[i - 1] == "NOUN":
            # "a level designer at Rockstar Leeds", "a researcher at Inria": where the person works
            return "Place" if place_population(text) else "Organisation"
        if w in PLACE_PREPOSITIONS:
            return "Place" if place_population(text) else None
        if w == "chez":
            # "chez Biocoop", "chez Airbus": where one works or buys; "chez Théo": at Théo's, a person's home
            return "Person" if i == start - 1 and given_name_here(text) else "Organisation"
        if (w in _TERRITORIAL_OFFICES or lemma in _TERRITORIAL_OFFICES) and any(
                tk.lower[k] in _OF for k in range(i + 1, start)):
            return "Place"  # "le maire de Vernet", "the mayor of Halifax": the town, not the mayor
        if w in PERSON_CUES or lemma in PERSON_CUES:
            # "le peintre Ingres" names the painter; "des journalistes d'Ouest-France" names their employer
            return None if any(tk.lower[k] in _OF for k in range(i + 1, start)) else "Person"
        if w in TOOL_CUES or lemma in TOOL_CUES:
            return "Tool"
        if w in ORG_CUES or lemma in ORG_CUES:
            if any(tk.lower[k] in _OF for k in range(i + 1, start)):
                # "l'agence de Thiers", "the museum of Bath": the town the body serves, where the gazetteer knows
                # it; a public body's town where it does not ("l'école de Mirecourt"), but not a team's or a
                # group's, which may be a firm's ("l'équipe de Google"), nor a given name ("le studio de Jeanne")
                if place_population(text) or (w in _TOWN_BODIES and " " not in text and not given_name_here(text)):
                    return "Place"
                return None
            return "Organisation"
        if w in PLACE_CUES:
            return "Place"
        if w in WORK_CUES or lemma in WORK_CUES or (i == start - 1 and lemma in EVENT_NOUNS):
            return None if made_by(tk, start) else "Work"
        if i == start - 1 and w in _COPULAS and any(
                tk.lower[k] in PERSON_CUES and tk.pos[k] == "NOUN" for k in range(max(0, i - 3), i)):
            return "Person"  # "my guest today is X", "notre invitée est X": the name is the person just announced
        if tk.is_punct[i] or tk.pos[i] in ("VERB", "AUX", "ADP") and w not in {"de", "d'", "d’", "of"}:
            break
    return None


_TOWN_BODIES = frozenset({"mairie", "école", "université", "musée", "médiathèque", "museum", "university", "school"})
"""Public bodies named after the town they serve: "l'école de Mirecourt", "la médiathèque de Fougères"."""
_TERRITORIAL_OFFICES = frozenset({"maire", "mayor", "préfet", "préfète", "prefect"})
"""Offices named after the territory they run: the name after "le maire de", "the mayor of" is a place."""
_COPULAS = frozenset({"is", "was", "est", "était", "c'est"})
"""A copula right before a name, after a person's noun, gives the name that person: "my guest today is X"."""
_OF = {"de", "d'", "d’", "du", "des", "of"}


def apposition_type(doc: Doc, end: int) -> EntityType | None:
    """Type given by what follows a name: "Driftwood, an animation library", "X est un logiciel"."""
    tk = tokens(doc)
    pos, lower = tk.pos, tk.lower
    k, seen = end, 0
    while k < tk.n and seen < 5:
        if pos[k] == "NOUN" or lower[k] in TOOL_CUES or lower[k] in WORK_CUES:
            nouns = [k]
            while k + 1 < tk.n and pos[k + 1] == "NOUN" and len(nouns) < 3:
                k += 1
                nouns.append(k)
            head = doc[nouns[-1]]
            if nouns[0] == end and "Plur" in head.morph.get("Number", []):
                return None  # "the Ocean Coal Company minute books", "the Aberfan inquiry papers": a name right
                # before a plural noun qualifies it (whose books, which papers); it is not one of them
            closed = nouns[-1] + 1 < tk.n and tk.text[nouns[-1] + 1] in {",", ")"}  # "Ingres, le peintre, on…"
            if head.dep_.startswith("nsubj") and head.head.i > head.i and not closed:
                return None  # "Et TikTok, le groupe a essayé": the subject of what follows, not a gloss on the name
            return _kind_of(tk, nouns)
        if (tk.text[k] in {",", "(", "-", "–", "—", "»", "”", '"'} or pos[k] in {"DET", "ADJ", "AUX"}
                or lower[k] in {"is", "was", "est", "c'est", "which", "qui"}):
            k += 1
            seen += 1
            continue
        return _gloss_next(tk, end)
    return None


def _kind_of(tk: Tokens, nouns: list[int]) -> EntityType | None:
    """The kind a run of nouns names: its head's, the last noun that is a cue ("animation library": a tool)."""
    for n in reversed(nouns):
        w, lemma = tk.lower[n], tk.lemma_lower[n]
        if w in WORK_CUES or lemma in WORK_CUES or lemma in EVENT_NOUNS:
            return "Work"
        if w in TOOL_CUES or lemma in TOOL_CUES:
            return "Tool"
        if w in ORG_HEADS or lemma in ORG_HEADS or w in ORG_CUES:
            return "Organisation"
        if w in PERSON_CUES or lemma in PERSON_CUES:
            return "Person"
    return None


_IT_IS = frozenset({("c'", "est"), ("c’", "est"), ("c'", "était"), ("c’", "était"), ("it", "is"), ("it", "'s"),
                    ("it", "’s"), ("it", "was"), ("that", "'s"), ("that", "is")})


def _gloss_next(tk: Tokens, end: int) -> EntityType | None:
    """The kind the next sentence gives a name that ends its own: "on est passés à Koha en 2021. C'est un
    logiciel libre", "We use CALM. It's a cataloguing system."

    Speakers name a thing, then say what it is; only a name that nothing but a date or a small word follows
    in its sentence, so that "it" can be nothing else, and only software or a body: a place visited
    "c'était un festival" is where the festival was.
    """
    k = end
    while k < tk.n and k - end <= 4 and tk.pos[k] in {"ADP", "NUM", "ADV"} and not tk.text[k][:1].isupper():
        k += 1
    if not (k + 4 < tk.n and tk.text[k] in {".", "!"} and (tk.lower[k + 1], tk.lower[k + 2]) in _IT_IS
            and tk.pos[k + 3] == "DET"):
        return None
    j = k + 4
    while j < tk.n and j - k <= 6 and tk.pos[j] in {"ADJ", "VERB"} and tk.is_lower[j]:
        j += 1  # "un petit logiciel", "a cataloguing system"
    nouns: list[int] = []
    while j < tk.n and tk.pos[j] == "NOUN" and len(nouns) < 3:
        nouns.append(j)
        j += 1
    kind = _kind_of(tk, nouns) if nouns else None
    return kind if kind in ("Tool", "Organisation") else None  # not "On est allés à Cannes. C'était un festival"


def person_like(span: Span, language: str) -> bool:
    """Capitalised words that read as a person's name: a known first name, or two rare words."""
    words = [t for t in span if any(c.isalpha() for c in t.text)]
    if not words or is_article(words[0].text):
        return False
    if not all(t.text[:1].isupper() or t.lower_ in CONNECTORS for t in words):
        return False
    if _surname_in_capitals(words):
        return True
    if any(t.is_upper and len(t) > 1 or shape_name(t.text) or t.lower_ in ORG_HEADS or t.lower_ in EVENT_HEADS
           for t in words):
        return False
    if is_first_name(words[0].text) and (len(words) > 1 or not place_population(words[0].text) >= _BIG_PLACE):
        return True
    return len(words) >= 2 and not any(common_word(t.text, language, 4.0) for t in words if not is_first_name(t.text))


_VOWELS = frozenset("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸ")


def _surname_in_capitals(words: list[Token]) -> bool:
    """Given names, then the surname in capitals: the press and administrative style "Hélène MARCHAND".

    The capitals would otherwise read as initials ("Max MSP", "Chat GPT"), so
    the given name must be a known one written in title case and each capital
    word must hold a vowel and three letters at least (or be a particle, "DE").
    """
    first = next((k for k, t in enumerate(words) if t.is_upper), None)
    if not first or not is_first_name(words[0].text):
        return False
    given, surname = words[:first], words[first:]
    return (all(not t.is_upper and t.text[:1].isupper() for t in given)
            and all(t.is_upper and t.is_alpha for t in surname)
            and any(len(t) >= 3 for t in surname)
            and all(t.lower_ in CONNECTORS or (len(t) >= 3 and not _VOWELS.isdisjoint(t.text)) for t in surname))


def honorific_at(tk: Tokens, i: int) -> bool:
    """A word of address ("Mme", "Dr", "M." written as "M" and "."), capitalised as it is before a name."""
    first = i - 1 if tk.text[i] == "." and i > 0 and not tk.whitespace[i - 1] else i
    word = tk.lower[first] + ("." if first < i else "")
    if first == i and i + 1 < tk.n and tk.text[i + 1] == "." and not tk.whitespace[i]:
        word += "."
    return (word in HONORIFICS or word.rstrip(".") in HONORIFICS) and tk.text[first][:1].isupper()  # "Mme."


def _has_org_head(span: Span) -> bool:
    return any(t.lower_ in ORG_HEADS for t in span) and any(nameish(t) for t in span)


def names_event(words: list[str]) -> bool:
    """A named event: an event word heads the name, first in French ("Festival d'Avignon", "Tour de France"),
    last in English ("Frome Festival", "Global Game Jam"); a lone event word is no name."""
    if len(words) < 2:
        return False
    first, last = words[0].lower(), words[-1].lower()
    return (first in EVENT_HEADS or last in EVENT_HEADS
            or (first == "tour" and words[1].lower() in {"de", "du", "des", "of"}))


def names_site(words: list[str]) -> bool:
    """A named site: a place word opens or closes a name of several words ("Hebden Bridge", "place des Carmes")."""
    return len(words) >= 2 and (words[0].lower() in PLACE_HEADS or words[-1].lower() in PLACE_HEADS)


def _event(span: Span) -> bool:
    words = [t.text for t in span if any(ch.isalpha() for ch in t.text)]
    return names_event(words) and any(nameish(t) for t in span) and not place_population(span.text)


def _everyday(tok: Token, language: str) -> bool:
    """A single capitalised word that is an ordinary word here ("Justement", "Mécaniques", "Internet")."""
    if filler(tok) or tok.lower_ in EVERYDAY_NAMES:
        return True
    if tok.pos_ in {"ADV", "VERB"} and not tok.is_sent_start and tok.text[:1].isupper() \
            and not common_word(tok.text, language, 4.0):
        return False  # the tagger's guess on a name it does not know: "il a tout compris Zola", "j'ai Trados"
    if tok.pos_ in {"PRON", "DET", "ADP", "CCONJ", "SCONJ", "AUX", "INTJ", "ADV", "VERB"}:
        return True
    if tok.pos_ == "ADJ" and common_word(tok.text, language, 3.0):
        return True
    return (bool(tok.is_sent_start) or _line_start(tok)) and not is_first_name(tok.text) and (
        common_word(tok.text, language, 3.0) or common_word(tok.lemma_, language, 3.0))


def _line_start(tok: Token) -> bool:
    """The first word of a line, capitalised as a sentence's first word is: a header's lines ("Enregistré le 14
    juin"), which the parser reads as one sentence, and a list's."""
    return tok.i > 0 and tok.doc[tok.i - 1].is_space and "\n" in tok.doc[tok.i - 1].text


def type_candidate(doc: Doc, c: Candidate, language: str, speakers: set[str]) -> Typed | None:
    """Trim, validate and type one candidate; None when it is not a usable name."""
    if c.source == "vocab" and c.entry is not None:
        return Typed(c.start, c.end, c.entry.type, 0.95, "vocab", c.entry.id)
    if c.source == "title":
        return Typed(c.start, c.end, "Work", 0.7, "title")
    if c.source == "cited":
        return Typed(c.start, c.end, "Work", 0.9, "cited")
    if c.source == "institution":
        return Typed(c.start, c.end, "Organisation", 0.8, "institution")
    if c.source == "event":
        return Typed(c.start, c.end, "Work", 0.8, "event")
    if c.source == "titled":
        whole = tokens(doc).span_text(c.start, c.end)
        if place_population(whole) or whole in speakers:  # "Stoke on Trent", a participant's name
            return None
        return Typed(c.start, c.end, c.type or "Work", 0.7, "titled")
    if c.source == "site":
        return Typed(c.start, c.end, "Place", 0.8, "site")
    start, end = trim(doc, c.start, c.end)
    if end <= start or end - start > MAX_TOKENS:
        return None
    tk = tokens(doc)
    span = doc[start:end]
    text = tk.span_text(start, end)
    words = [i for i in range(start, end) if tk.has_alpha[i]]
    if len(text) < 2 or not words or all(tk.is_stop[i] or _filler_at(tk, i) for i in words):
        return None
    single = end - start == 1
    tok = doc[start]
    if (single and c.source in ("ner", "naming") and _everyday(tok, language)
            and not (c.ner_label in ("LOC", "GPE") and place_population(tok.text) >= _TOWN)):
        return None  # "Justement", "Mécaniques"; but "Avignon ?" opening a sentence is the city
    named = [nameish_at(tk, i) for i in range(start, end)]
    if not any(n and not tk.is_stop[i] for i, n in zip(range(start, end), named, strict=True)) and c.source != "ner":
        return None
    if (c.source == "ner" and any(named)
            and not any(n and not tk.is_stop[i] for i, n in zip(range(start, end), named, strict=True))):
        return None  # "En gros", "Et puis": only a capitalised function word
    folded = text.casefold()
    if any(s.casefold() == folded or s.casefold().split()[0] == folded for s in speakers if s):
        return Typed(start, end, "Person", 0.9, c.source)
    if start > 0 and honorific_at(tk, start - 1) and tk.text[start][:1].isupper():
        return Typed(start, end, "Person", 0.85, c.source)  # "Mme Castagné", "Dr Okafor"
    context = context_type(doc, start, text)
    if c.source == "naming":
        guess = c.type or context or ("Person" if person_like(span, language) else "Tool")
        return Typed(start, end, guess, 0.85, "naming")
    if c.source == "marked":  # set apart by the markup: a title, a person, a body, or what the words around say
        set_apart: EntityType | None = context or ("Person" if person_like(span, language) else None)
        if set_apart is None and _event(span):
            set_apart = "Work"
        elif set_apart is None and _has_org_head(span):
            set_apart = "Organisation"
        elif set_apart is None and (is_article(tk.text[words[0]]) and len(words) >= 2
                                or len(words) >= 3 and any(tk.is_lower[i] and tk.is_stop[i]
                                                           for i in range(start, end))):
            set_apart = "Work"  # "A Voyage to Arcturus", "Girl With A Dragon Tattoo", "Pourquoi je kiffe la science"
        return Typed(start, end, set_apart, 0.6, "marked") if set_apart else None
    if c.source == "pattern":
        if single and common_word(text, language, 4.5):
            return None
        return Typed(start, end, context if context in ("Tool", "Organisation") else "Tool", 0.7, "pattern")
    if c.source == "propn":
        typed = context or apposition_type(doc, end) or ("Work" if _event(span) else None)
        if typed is None and names_site([tk.text[i] for i in words]) and not _has_org_head(span):
            typed = "Place"  # "Cragg Vale", "Holme Moss" when NER misses them: the place word says so
        if typed is None or _everyday(tok, language) or (single and common_word(text, language, 4.5)):
            return None
        if typed == "Person" and not person_like(span, language):
            return None
        return Typed(start, end, typed, 0.6, "propn")
    if c.source == "acronym":
        if len(text) < 2 or plural_initials(text) or ordinary_initials(text, language):
            return None
        return Typed(start, end, context if context in ("Tool", "Organisation", "Place") else "Organisation",
                     0.5, "acronym")
    return _type_ner(span, c.ner_label, context, language)


def _type_ner(span: Span, label: str, context: EntityType | None, language: str) -> Typed | None:
    """Type an NER span by a decision list, strongest evidence first.

    Organisation words in the name, institutional initials, known places, a
    leading article (titles), a first name with a rare surname, the words
    around the name, then the model's own label with its known weaknesses
    corrected (MISC is not a type; LOC on software; PER on product names).
    """
    guess = NER_TYPES.get(label)
    if guess is None:
        return None
    words = [t for t in span if any(ch.isalpha() for ch in t.text)]
    single = len(span) == 1
    text = span.text
    if not any(nameish(t) for t in span):
        # lower-case guesses are kept only if the name is also written as a name elsewhere
        if any(common_word(t.text, language, 4.0) for t in words):
            return None
        return Typed(span.start, span.end, guess, 0.3, "ner")
    if label == "NORP" and common_word(text, language, 3.0):
        return None  # nationalities and groups ("French", "Américains")
    if (single and label in ("MISC", "LOC") and common_word(text, language, 4.5) and span[0].pos_ != "PROPN"
            and place_population(text) < _BIG_PLACE):
        return None  # an ordinary word tagged as a place; "Bruxelles", frequent as it is, is a city
    population = place_population(text)
    first_name = is_first_name(words[0].text)
    # the surname's words, less the particles inside a name ("Maria de los Ángeles Ruiz")
    others_rare = not any(common_word(t.text, language, 4.0) for t in words[1:]
                          if not (t.is_lower and t.lower_ in CONNECTORS))
    before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    if _event(span) and span[0].lower_ not in ORG_HEADS:
        guess = "Work"  # "Festival d'Avignon", "Steam Next Fest": named events are works, not their organisers
    elif _has_org_head(span):
        guess = "Organisation"
    elif names_site([t.text for t in words]) and any(nameish(t) for t in span) and context not in ("Work", "Tool"):
        guess = "Place"  # "Hebden Bridge", "Hardknott Pass", "place des Carmes"; not "le festival Rue des Livres"
    elif label == "ORG" and any(shape_name(t.text) and not t.is_upper for t in words):
        guess = "Tool"  # "iPod Touch", "PowerPoint", "TrainingPeaks": a product's shape (27 of 36 annotated were tools)
    elif label in ("LOC", "GPE", "FAC") and text.isupper() and text.isalpha():
        guess = "Organisation"  # "KABK", "UCLA": institutions named by their initials
    elif population and label in ("LOC", "GPE", "FAC") and (not single or population >= 100_000 or context == "Place"):
        guess = "Place"  # "La Haye", "Saint-Nazaire"
    elif label == "PER" and article_surname(span.doc, span.start, span.end):
        guess = "Person"  # "Le Corbusier", "Le Clézio", "La Fontaine"
    elif is_article(words[0].text):
        guess = "Work"  # "The Coding Train", "Les Voix du Port"
    elif len(words) >= 2 and first_name and person_like(span, language) and (guess == "Person" or others_rare):
        guess = "Person"
    elif ((ctx := context or apposition_type(span.doc, span.end)) is not None
            and not (ctx == "Person" and not person_like(span, language))):
        guess = ctx
    elif single and label == "MISC" and text.isupper() and text.isalpha():
        guess = "Organisation"  # an unknown acronym names an organisation more often than anything else
    elif label in ("LOC", "GPE", "FAC"):
        if single and 0 < population < 100_000 and context != "Place":
            # a small town's name, or a word that looks like one
            return Typed(span.start, span.end, "Place", 0.3, "ner")
        if population or context == "Place":
            guess = "Place"
        else:
            guess = "Tool" if shape_name(text) or before in TOOL_PREPOSITIONS else "Place"
    elif population >= _BIG_PLACE and single:
        guess = "Place"
    elif person_like(span, language) and (guess == "Person"
                                           or (single and first_name and label in ("PER", "PERSON", "ORG"))
                                           or (label == "MISC" and len(words) >= 2)):
        guess = "Person"
    elif label == "MISC" and len(words) >= 2 and not any(shape_name(t.text) or t.is_upper for t in words) \
            and all(t.text[:1].isupper() or t.lower_ in CONNECTORS for t in words):
        guess = "Work"  # "Mosaic Virus", "Commit Log": software names are rarely several plain words
    elif guess == "Person" and not (single and person_context(span.doc, span.start, span.end)):
        if single and common_word(text, language, 3.5):
            return None
        if single and population and not first_name:
            guess = "Place"  # "London or Guildford": a town NER took for a person
        elif not single or shape_name(text) or before in _PRODUCT_BEFORE:
            guess = "Tool"
        elif language != "fr":
            return None  # the English pipeline's PERSON on a lone unknown word: the model decides
        # else a French lone surname stays a person ("Wauquiez ne vient pas", "il a tout compris Zola")
    return Typed(span.start, span.end, guess, 0.75, "ner")


_PRODUCT_BEFORE = {"sur", "via", "un", "une", "on", "using", "a", "an"}
"""Words before a lone name that make it a product, not a person: "l'épisode sur Acast", "c'est un Furuno",
"rides on Zwift"."""

SAYING_VERBS = {"dire", "écrire", "expliquer", "raconter", "affirmer", "théoriser", "say", "write", "explain", "argue",
                "tell", "claim", "describe"}
"""Verbs whose subject is a person: a lone surname before them ("Ellul écrit que…", "Latour says") is one."""
READING_VERBS = {"lire", "relire", "citer", "read", "reread", "quote", "cite"}
"""Verbs whose object, when a lone surname, is the author read ("on lisait Ellul", "I read Graeber")."""
_HUMAN_PRONOUNS = {"he", "she", "him", "his", "her"}
_BETWEEN = {"ne", "n'", "n’", "l'", "l’", "le", "la", "lui", "nous", "vous", "me", "m'", "m’", "y", "en", "a", "avait",
            "aurait", "has", "had", "also", "aussi", "bien", "always", "toujours", ","}


PART_NOUNS = {"épisode", "episode", "chapitre", "chapter", "numéro", "issue", "saison", "season", "tome", "volume"}
"""Nouns naming a part of a work: what follows their "de" or "of" is the whole work ("un épisode de Thalassa",
"this episode of Commit Log"), not who made it."""


_MAKER_LINKS = {"de", "d'", "d’", "of", "by"}


def made_by(tk: Tokens, start: int) -> bool:
    """Whether a name follows a work's noun and "de", "of" or "by": the work's maker ("le film de Nossiter",
    "une série de Urasawa", "a novel by Zola"), not the work."""
    if start < 2 or tk.lower[start - 1] not in _MAKER_LINKS:
        return False
    lemma = tk.lemma_lower[start - 2]
    return (lemma in WORK_CUES or tk.lower[start - 2] in WORK_CUES) and lemma not in PART_NOUNS



_AND = frozenset({"et", "and", "&"})


def coordinated_given_name(doc: Doc, start: int, end: int) -> bool:
    """Whether a one-word name is a given name joined to another person's full name, whose surname the two share:
    "Claude et Lydia Bourguignon", "Charles and Ray Eames".  Such a word is a person, whatever else it names
    (Claude is also a language model)."""
    tk = tokens(doc)
    if end - start != 1 or end + 2 >= tk.n or tk.lower[end] not in _AND:
        return False
    surname = tk.text[end + 2]
    return (is_first_name(tk.text[start]) and is_first_name(tk.text[end + 1]) and surname[:1].isupper()
            and surname.isalpha() and tk.lower[end + 2] not in ORG_HEADS and not tk.is_sent_start[end + 2])


def person_context(doc: Doc, start: int, end: int) -> bool:
    """Whether the words around a lone name say it is a person: read or quoted ("j'ai lu Steiner", "selon
    Jancovici"), the maker of a work ("le film de Nossiter"), the subject of a saying verb ("Ellul écrit"),
    or an English "he" or "she" just after it ("Pidcock, because he's from Leeds"): what tells a surname
    said alone from a product NER calls a person."""
    tk = tokens(doc)
    if made_by(tk, start):
        return True
    lemmas = tk.lemma_lower
    for i in range(max(0, start - 3), start):
        if lemmas[i] in READING_VERBS or tk.lower[i] in {"selon", "according"}:
            return True
    k = end
    while k < tk.n and k - end < 4 and tk.lower[k] in _BETWEEN:
        k += 1
    if k < tk.n and lemmas[k] in SAYING_VERBS:
        return True
    for i in range(end, min(tk.n, end + 6)):
        if tk.text[i] in {".", "?", "!", ";"}:
            break
        if tk.lower[i] in _HUMAN_PRONOUNS or tk.lower[i] in {"he's", "she's"}:
            return True
    return False


_PRIORITY = {"heading": 6, "vocab": 4, "naming": 3, "title": 3, "cited": 3, "institution": 3, "event": 3, "site": 3,
             "marked": 3, "titled": 2, "pattern": 2, "ner": 1, "propn": 0, "acronym": 0}


CONCEPT_NAME_SCORE = 0.9
"""How sure the typing model must be of a capitalised name around a concept's label ("Open Source Stories",
a show) for the name to win over the concept."""


def select(typed: list[Typed], doc: Doc) -> list[Typed]:
    """Keep non-overlapping spans: higher trust first, then longer.

    A clean proper name from NER that contains a vocabulary label
    ("Google Arts and Culture Lab" around "Google") wins over the label.
    """
    # the labels and shapes a name may hold, by start: a turn can be a whole transcript of thousands of names
    labels = sorted((u for u in typed if u.source in ("vocab", "pattern", "acronym")), key=lambda u: u.start)
    label_starts = [u.start for u in labels]

    def rank(t: Typed) -> tuple[int, int, int]:
        prio = _PRIORITY[t.source]
        # quote marks or italics delimit a title, so its words need not look like a name ("IA et Environnement")
        # so does an institution's or an event's head word ("Archives du Tarn" around the concept "archives")
        if t.score >= 0.7 and (t.source in ("title", "cited", "institution", "event", "site") or (
                t.source in ("ner", "pattern", "naming", "propn", "marked")
                and all(nameish(x) or x.lower_ in CONNECTORS or (t.source == "pattern" and x.like_num)
                        for x in doc[t.start:t.end]))):  # a model's number is part of its name: "Nintendo 64"
            # a clean longer name around a label or a shape: "Google Arts and Culture Lab", "OpenJS Foundation"
            inner = [u for u in labels[bisect_left(label_starts, t.start):bisect_left(label_starts, t.end)]
                     if u is not t and u.end <= t.end and (u.end - u.start) < (t.end - t.start)]
            covered = {i for u in inner for i in range(u.start, u.end)}
            # a list is of names of one kind ("Twitters Facebooks"); a maker then its product or its model's
            # number is one name ("ABBYY FineReader", "Zoom H6")
            listed = (len(inner) >= 2 and len({u.type for u in inner}) == 1
                      and not any(ch.isdigit() for u in inner for ch in doc[u.start:u.end].text)  # "Zoom H6"
                      and all(i in covered or doc[i].lower_ in CONNECTORS for i in range(t.start, t.end)))
            # around a concept's label ("Open Source Stories"), only a name the model is sure of
            sure = t.score >= CONCEPT_NAME_SCORE or all(u.type != "Concept" for u in inner)
            # a head word before a named entry is that entry's generic noun: "l'agence BNP"
            generic = t.source in ("institution", "event", "site") and any(u.type != "Concept" for u in inner)
            if inner and sure and not listed and not generic:  # "Twitters Facebooks": a list
                prio = 5
        return (-prio, -(t.end - t.start), t.start)

    named = {(t.start, t.end) for t in typed if t.source in ("naming", "title", "cited")}
    typed = [t for t in typed if not (t.source == "ner" and (t.start, t.end) in named)]
    taken: list[Typed] = []
    used: set[int] = set()
    for t in sorted(typed, key=rank):
        if any(i in used for i in range(t.start, t.end)):
            continue
        taken.append(t)
        used.update(range(t.start, t.end))
    return sorted(taken, key=lambda t: t.start)


_FUNCTION_WORDS = {"de", "d", "du", "des", "la", "le", "les", "l", "of", "the", "a", "an", "and", "et", "en", "à", "in",
                   "for", "pour"}


def rare(text: str, language: str) -> float:
    """Mean rarity (7 - Zipf) of a phrase's content words: high for domain terms.

    >>> rare("souveraineté des données", "fr") == rare("souveraineté données", "fr")
    True
    """
    words = [w for w in text.casefold().replace("'", " ").replace("’", " ").split()
             if any(c.isalpha() for c in w) and w not in _FUNCTION_WORDS]
    if not words:
        return 0.0
    return sum(7 - zipf(w, language) for w in words) / len(words)
