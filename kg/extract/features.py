"""What the typing model sees of a candidate name: signals that carry from one transcript to another.

A hand rule that types "Netflix" or "XGBoost" correctly in one interview
types them wrongly in the next, because what decides is a combination of
weak signals: the spaCy label, the shape of the name, whether its words are
ordinary words of the language, whether it is a known first name or a place,
the words said just before and after it, and how the interview uses it
elsewhere.  This module turns a candidate span into a sparse dictionary of
such signals; `kg.extract.classifier` weighs them with weights learnt from
annotated transcripts.  Nothing here names a particular entity: every
feature is a property of the words, so it means the same in any interview.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..text import squash
from .candidates import Candidate, name_breaks, shape_name
from .lexicon import (
    DEGREE_NAMES,
    DISEASE_NAMES,
    ORG_CUES,
    ORG_HEADS,
    ORG_VERBS,
    PERSON_CUES,
    PLACE_CUES,
    TOOL_CUES,
    WORK_CUES,
    is_article,
    is_first_name,
    place_population,
    zipf,
)
from .rules import (
    CONNECTORS,
    apposition_type,
    article_surname,
    context_type,
    coordinated_given_name,
    honorific_at,
    nameish_at,
    names_event,
    names_site,
    person_context,
    plural_initials,
)
from .tokens import Tokens, tokens
from .vectors import DIMENSIONS, capital_share, name_vector

if TYPE_CHECKING:  # spaCy loads in seconds: only when extraction runs
    import numpy as np
    from spacy.tokens import Doc, Token

Features = dict[str, float]

VECTOR_SCALE = 3.0
"""Length of the name's unit word vector among the other features, whose values are 0 or 1.

At 1 the regularisation all but silences the 300 dimensions; the
leave-one-transcript-out figure is flat from 1.5 to 6.
"""


@dataclass(frozen=True, slots=True)
class Usage:
    """How an interview uses each name: counts by squashed form, and how often it is written in lower case.

    A word that names a product is capitalised wherever it appears; a word the
    speakers also use in lower case ("la data", "the cloud") is an ordinary word.
    """

    said: Counter[str]
    lower: Counter[str]

    @classmethod
    def of(cls, docs: list[Doc]) -> Usage:
        said: Counter[str] = Counter()
        lower: Counter[str] = Counter()
        for doc in docs:
            tk = tokens(doc)
            for text, alpha, is_lower in zip(tk.text, tk.is_alpha, tk.is_lower, strict=True):
                if alpha and len(text) > 1:
                    key = squash(text)
                    said[key] += 1
                    if is_lower:
                        lower[key] += 1
        return cls(said, lower)


@lru_cache(maxsize=1)
def _lexer_names() -> frozenset[str]:
    """Display names of the languages and formats Pygments can highlight ("Python", "YAML", "Terraform")."""
    from pygments.lexers import get_all_lexers

    return frozenset(name for name, *_ in get_all_lexers() if len(name) > 1)


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    n = 0
    for e in edges:
        if value >= e:
            n += 1
    return n


@lru_cache(maxsize=65536)
def _word(t_lower: str) -> str:
    """A context word as a feature value: the word itself, or "<punct>"/"<space>" for what has no letter."""
    if not any(c.isalpha() for c in t_lower):
        return "<punct>" if t_lower.strip() else "<space>"
    return t_lower


def _initials_then_place(words: list[Token]) -> bool:
    """Initials, then a place the gazetteer knows ("DRAC Nouvelle-Aquitaine", "ARS Bretagne", "CHU Nantes"): the
    regional office of the body the initials name, not the place, however sure NER and the gazetteer are of it.
    Initials that spell a place themselves ("UK", "NYC", "USA") do not count."""
    if len(words) < 2 or not (words[0].is_alpha and words[0].is_upper and 2 <= len(words[0].text) <= 6):
        return False
    rest = " ".join(t.text for t in words[1:])
    return (words[0].text not in _place_initials() and place_population(words[0].text) == 0
            and place_population(rest) > 0)


@lru_cache(maxsize=1)
def _place_initials() -> frozenset[str]:
    """Countries' three-letter codes and the initials people say for places ("UK", "NYC", "URSS")."""
    import pycountry

    return frozenset({c.alpha_3 for c in pycountry.countries}) | _SAID_PLACE_INITIALS


_SAID_PLACE_INITIALS = frozenset({"UK", "US", "GB", "EU", "UE", "UAE", "NYC", "LA", "DC", "USSR", "URSS", "RDA", "RFA"})


_ARTICLE_IN = {"du": "Le", "au": "Le", "des": "Les", "aux": "Les"}
"""French contractions that hold the article of a town's name: "du Havre" is "de Le Havre"."""

COUNTRY_INITIALS = frozenset({"UK", "US", "USA", "U.S.", "U.S.A.", "GB", "UAE", "USSR", "URSS", "RDA", "RFA", "RDC",
                              "DRC", "PRC"})
"""The initials by which speakers name a country ("the UK", "aux USA", "en RDA"). NER and the model, reading capitals,
often make them an organisation; "EU"/"UE" are left out, a union of states that annotators may call either."""


COMPASS_ADJECTIVES = frozenset({"eastern", "western", "northern", "southern", "northeastern", "northwestern",
                                "southeastern", "southwestern"})
"""English adjectives of a region that close a run of capitals ("Middle Eastern", "South Eastern"): a people's or a
region's adjective, which the annotation rules leave out as they leave out "African", never a place's name."""


def featurize(doc: Doc, start: int, end: int, c: Candidate, rule: str | None, language: str,
              speakers: set[str], usage: Usage) -> Features:
    """The signals of the span ``doc[start:end]`` proposed by candidate ``c`` (``rule``: the hand rules' type)."""
    tk = tokens(doc)
    stop = min(end, tk.n)  # where the span ``doc[start:end]`` stops
    text = tk.span_text(start, stop)
    inside = [i for i in range(start, stop) if tk.has_alpha[i]]
    words = [doc[i] for i in inside]
    f: Features = {"bias": 1.0, f"src={c.source}": 1.0, f"rule={rule}": 1.0, f"lang={language}": 1.0}
    if c.ner_label:
        f[f"ner={c.ner_label}"] = 1.0
        f[f"ner={c.ner_label}&rule={rule}"] = 1.0
    _ner_votes(f, doc, start, end)
    if c.type:
        f[f"cand={c.type}"] = 1.0
    if c.entry is not None:
        f[f"vocab={c.entry.type}"] = 1.0
        if c.entry.case_sensitive or any(label == text for label in c.entry.labels):
            f["vocab_exact_case"] = 1.0
    f[f"ntok={min(len(words), 4)}"] = 1.0
    _shape(f, text, words)
    if article_surname(doc, start, stop):
        f["article_surname"] = 1.0  # "Le Corbusier": a French surname that opens with its article, NER's PER
    _lexical(f, text, words, language)
    if len(words) == 1 and words[0].lower_ in DISEASE_NAMES:
        f["disease"] = 1.0  # "COVID", "ALS": not a named entity of any kind
    if len(words) == 1 and text.casefold() in DEGREE_NAMES:
        f["degree"] = 1.0  # "PhD", "BTS": a course, no named entity either
    if text.startswith("Radio ") and len(text) > 6:
        f["broadcaster"] = 1.0  # "Radio 3", "Radio Nova", "Radio Campus Paris": a station, which runs as a body
    if _city_number(tk, start, stop):
        f["city_number"] = 1.0  # "Lyon 2", "Paris 8", "France 3": a university or a channel, not the place
    if _initials_then_place(words):
        f["initials_then_place"] = 1.0  # "DRAC Nouvelle-Aquitaine", "CHU Nantes": a body's office there
    if text in COUNTRY_INITIALS:
        f["country_initials"] = 1.0  # "the UK", "aux USA": a country said by its initials, never a body
    if words and words[-1].lower_ in COMPASS_ADJECTIVES:
        f["compass_adjective"] = 1.0  # "Middle Eastern", "South Eastern": an adjective of region, as "African" is
    _context(f, doc, start, end, text)
    if name_signal(tuple(tk.text[i] for i in inside)) is None:
        f["no_vector"] = 1.0
    folded = text.casefold()
    if any(s.casefold() == folded or s.casefold().split()[0] == folded for s in speakers if s):
        f["speaker"] = 1.0
    key = squash(text)
    said = usage.said.get(key, 0) if len(words) == 1 else 0
    if len(words) == 1 and (plural_initials(text) or usage.said.get(key + "s", 0)):
        f["plural_said"] = 1.0  # "BCIs", "KPIs": a kind of thing, and so is the singular said beside it
    if said:
        f["said_log"] = math.log1p(said)
        share = usage.lower.get(key, 0) / said
        f[f"lower_share={_bucket(share, (0.01, 0.25, 0.5))}"] = 1.0
    if tk.is_sent_start[start] or (start > 0 and tk.text[start - 1] in {".", "?", "!", ":", "\n"}):
        f["sent_start"] = 1.0
        if len(words) == 1:  # a capital the sentence gives any word: is the word itself written so?
            f[f"web_cap_at_start={_web_capitals(words[0].text)}"] = 1.0
    return f


def _ner_votes(f: Features, doc: Doc, start: int, end: int) -> None:
    """What spaCy's NER says of these very words, whichever candidate proposed them.

    A capitalised run or a vocabulary label covering "Vaujours" knows
    nothing of the LOC that NER gave the same word; without it, a
    frequent unknown name leans towards whatever frequent names were in
    training (tools, in interviews about software).
    """
    tk = tokens(doc)
    labels = {tk.ent_type[i] for i in range(start, min(end, tk.n)) if tk.has_alpha[i]}
    if len(labels) != 1:
        f["tok_ner=mixed" if len(labels) > 1 else "tok_ner=none"] = 1.0
        return
    label = labels.pop() or "none"
    f[f"tok_ner={label}"] = 1.0
    if label != "none":
        whole = tk.ent_iob[start] == "B" and (end >= tk.n or tk.ent_iob[end] != "I")
        f[f"tok_ner_whole={whole}"] = 1.0


def _shape(f: Features, text: str, words: list[Token]) -> None:
    if text.isupper() and len(text) > 1:
        f["allcaps"] = 1.0
    if any(shape_name(t.text) for t in words):
        f["product_shape"] = 1.0
    if any(map(str.isdigit, text)):
        f["digit"] = 1.0
    if "." in text.strip("."):
        f["inner_dot"] = 1.0
    if words and all(t.text[:1].isupper() or t.lower_ in CONNECTORS for t in words):
        f["title_case"] = 1.0
    if words and all(t.is_lower for t in words):
        f["lower"] = 1.0
    if any(t.lower_ in CONNECTORS for t in words[1:-1]):
        f["connector"] = 1.0
    if words and is_article(words[0].text):
        f["article_first"] = 1.0
    if any(ch in text for ch in "[]()<>*_#|"):
        f["markup_char"] = 1.0
    if "-" in text:
        f["hyphen"] = 1.0
    if len(text) <= 3:
        f["short"] = 1.0


def _lexical(f: Features, text: str, words: list[Token], language: str) -> None:
    if not words:
        return
    if is_first_name(words[0].text) and not is_article(words[0].text):  # "Le", "La": given names elsewhere
        f["first_name"] = 1.0
        if len(words) >= 2:
            f["first_name+more"] = 1.0
    population = place_population(text)
    if population:
        f[f"place_pop={_bucket(population, (15_000, 100_000, 1_000_000, 10**9))}"] = 1.0
    if len(words) > 1 and place_population(words[-1].text) >= 100_000:
        f["ends_with_place"] = 1.0
    zipfs = [zipf(t.lower_, language) for t in words]
    other = "en" if language == "fr" else "fr"
    f[f"zipf_min={_bucket(min(zipfs), (1, 2.5, 3.5, 4.5, 5.5))}"] = 1.0
    f[f"zipf_max={_bucket(max(zipfs), (1, 2.5, 3.5, 4.5, 5.5))}"] = 1.0
    if len(words) == 1:
        f[f"zipf_other={_bucket(zipf(words[0].lower_, other), (1, 2.5, 3.5, 4.5))}"] = 1.0
    if any(t.lower_ in ORG_HEADS for t in words):
        f["org_head"] = 1.0
    if any(t.lower_ in TOOL_CUES for t in words):
        f["tool_word"] = 1.0
    if any(t.lower_ in WORK_CUES for t in words):
        f["work_word"] = 1.0
    if names_event([t.text for t in words]):
        f["event_head"] = 1.0
    if names_site([t.text for t in words]):
        f["place_head"] = 1.0
    if text in _lexer_names():
        f["code_language"] = 1.0
    if any(t.pos_ == "PROPN" for t in words):
        f["propn_share"] = sum(t.pos_ == "PROPN" for t in words) / len(words)
    if any(t.pos_ in ("VERB", "ADJ", "ADV") for t in words):
        f["has_verb_adj_adv"] = 1.0



def _web_capitals(word: str) -> str:
    """How much more often web text writes the word with its capitals than without, in bands: a name ("Zola",
    "INAO") is seldom written otherwise, a word capitalised at a sentence's start or in a title ("Repair",
    "Conciergerie") mostly is."""
    share = capital_share(word)
    if share is None:
        return "unknown"
    return str(_bucket(share, (0.5, 1.5, 3.0, 8.0, 30.0)))


VECTOR_FEATURES = tuple(f"vec{i}" for i in range(DIMENSIONS))
"""The names the model gives the word vector's dimensions."""


@lru_cache(maxsize=4096)
def name_signal(words: tuple[str, ...]) -> np.ndarray | None:
    """The name's word vector as the model reads it (scaled); None for a name the table does not know.

    Kept apart from the other features, as an array: its 300 dimensions are
    the same in every mention of a name, and summed class by class in a
    dictionary they cost more than the rest of typing together.
    """
    vector = name_vector(list(words))
    return None if vector is None else vector * VECTOR_SCALE


def with_vector(features: Features, vector: np.ndarray | None) -> Features:
    """The features with the vector's dimensions as named features: what training's vectorizer reads."""
    if vector is None:
        return features
    return {**features, **dict(zip(VECTOR_FEATURES, (float(v) for v in vector), strict=True))}


_DEFINITE = {"le", "la", "l'", "l’", "les", "du", "des", "au", "aux", "the"}
_PLURAL_ARTICLES = {"les", "des", "aux"}


def _city_number(tk: Tokens, start: int, stop: int) -> bool:
    """A known place, then a number of one or two digits that ends the name: French universities ("Lyon 2",
    "Rennes 2", "Paris 8") and television channels ("France 3") are named so; a place is not."""
    return (stop - start == 2 and tk.is_alpha[start] and tk.text[start][:1].isupper()
            and tk.text[start + 1].isdigit() and len(tk.text[start + 1]) <= 2 and tk.text[start + 1] != "0"
            and place_population(tk.text[start]) >= 50_000)


_AUTHOR_LINKS = frozenset({"de", "d'", "d’", "by"})


def _author_follows(tk: Tokens, end: int) -> bool:
    """ "de", "d'" or "by", then a person named in full: a known given name and a capitalised word after it.

    The name before is what that person made, a title, more often than a body ("la fondation de Bill Gates"
    is said in lower case, and a body is seldom named after one person said in full).
    """
    k = end
    if k + 2 >= tk.n or tk.lower[k] not in _AUTHOR_LINKS or (tk.lower[k] == "by" and tk.whitespace[k] == ""):
        return False
    given, surname = tk.text[k + 1], tk.text[k + 2]
    return (given[:1].isupper() and surname[:1].isupper() and tk.is_alpha[k + 1] and tk.is_alpha[k + 2]
            and is_first_name(given))


def _context(f: Features, doc: Doc, start: int, end: int, text: str) -> None:
    ctx = context_type(doc, start, text)
    if ctx:
        f[f"ctx_before={ctx}"] = 1.0
    after = apposition_type(doc, end)
    if after is None and coordinated_given_name(doc, start, end):
        after = "Person"  # "Claude et Lydia Bourguignon": the couple's surname is said once, after the second
    if after:
        f[f"ctx_after={after}"] = 1.0
    tk = tokens(doc)
    lower = tk.lower
    for k in (1, 2):
        if start - k >= 0:
            f[f"prev{k}={_word(lower[start - k])}"] = 1.0
    if end < tk.n:
        f[f"next1={_word(lower[end])}"] = 1.0
    lemmas = tk.lemma_lower
    window = lemmas[max(0, start - 5):start] + lemmas[end:end + 5]
    for lemma in window:
        if lemma in PERSON_CUES:
            f["near_person_cue"] = 1.0
        elif lemma in TOOL_CUES:
            f["near_tool_cue"] = 1.0
        elif lemma in WORK_CUES:
            f["near_work_cue"] = 1.0
        elif lemma in ORG_CUES or lemma in ORG_VERBS:
            f["near_org_cue"] = 1.0
        elif lemma in PLACE_CUES:
            f["near_place_cue"] = 1.0
    if start > 0 and lower[start - 1] in _ARTICLE_IN and not place_population(text) and place_population(
            f"{_ARTICLE_IN[lower[start - 1]]} {text}"):
        f["town_with_article"] = 1.0  # "du Havre", "au Mans", "aux Lilas": Le Havre, Le Mans, Les Lilas
    if start > 0 and honorific_at(tk, start - 1):
        f["after_honorific"] = 1.0  # "M. Diallo", "Dr Ngozi": a word of address, not another name
    elif end - start == 1 and person_context(doc, start, end):
        f["person_cue"] = 1.0  # "j'ai lu Steiner", "le film de Nossiter", "Pidcock, because he's from Leeds"
    elif (start > 0 and nameish_at(tk, start - 1) and lower[start - 1] not in lower[start:end]
          and start not in name_breaks(doc)):
        # (one of the name's own words just before is a false start: "Amélie Amélie Charpentier")
        f["name_before"] = 1.0
    if start > 0 and lower[start - 1] in _DEFINITE:
        f["after_article"] = 1.0  # "l'Andra", "la Dhuis", "the Guardian": a person's name seldom takes one
        if (end - start == 1 and lower[start - 1] in _PLURAL_ARTICLES and lower[start][-1:] in ("s", "x")
                and not place_population(text)):
            f["plural_after_article"] = 1.0  # "les Italiens", "des Gaulois": a people, not a name
    if end < tk.n and nameish_at(tk, end) and end not in name_breaks(doc):
        f["name_after"] = 1.0
    if _author_follows(tk, end):
        f["by_author"] = 1.0  # "Les Furtifs d'Alain Damasio", "Half-Real by Jesper Juul": a title and who made it
