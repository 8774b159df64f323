"""Clean candidate spans and give each a kg type, then keep the best non-overlapping ones.

Speech transcripts defeat news-trained NER in known ways: fillers and
pronouns tagged as entities ("Euh", "ça"), clauses swallowed into a name
("Sketch to Code Et moi j'ai"), repetitions ("Clip Drop Clip Drop"), product
names typed as people ("Style Gan").  The rules here undo those with
general knowledge only: parts of speech, word frequency, a first-name
lexicon, and the words around a name.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..model import EntityType
from .candidates import Candidate, _shape_name
from .lexicon import (
    EVERYDAY_NAMES, FILLERS, NER_TYPES, ORG_CUES, PERSON_CUES, PLACE_CUES, TOOL_CUES, common_word, is_first_name, zipf,
)

MAX_TOKENS = 6
_LEAD_POS = {"DET", "PRON", "CCONJ", "SCONJ", "ADP", "ADV", "INTJ", "AUX", "VERB", "PUNCT", "SPACE", "PART", "NUM"}
_CUT_POS = {"VERB", "AUX", "PRON", "SCONJ", "INTJ"}
_CONNECTORS = {"and", "et", "&", "of", "de", "du", "des", "la", "le", "for", "the", "-", "of", "y", "von", "van", "da", "di"}


@dataclass(frozen=True, slots=True)
class Typed:
    start: int
    end: int
    type: EntityType
    score: float
    source: str
    key: str = ""
    """Vocabulary entry id, when the span is a vocabulary label."""


def _is_filler(t: Token) -> bool:
    return t.lower_ in FILLERS or t.is_punct or t.is_space


def trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop leading function words and fillers, cut at a clause, drop trailing junk.

    Possessives and elided articles go too: "le Google" -> "Google",
    "Google's" -> "Google", "l'API de Runway" -> "Runway".
    """
    while start < end and (doc[start].pos_ in _LEAD_POS and not _nameish(doc[start]) or _is_filler(doc[start])
                           or (doc[start].is_stop and end - start > 1 and (doc[start].is_lower or (
                               doc[start].is_sent_start and doc[start].pos_ not in {"PROPN", "NOUN", "X"})))
                           or doc[start].lower_ in {"l'", "l’", "d'", "d’"}):
        start += 1
    # "API de Runway", "version of Photoshop": a common noun + de/of before a name
    for k in range(start, min(end - 1, start + 3)):
        if doc[k].lower_ in {"de", "d'", "d’", "of"} and all(not _nameish(t) for t in doc[start:k]) and _nameish(doc[k + 1]):
            start = k + 1
            break
    for k in range(start + 1, end):
        t = doc[k]
        if "\n" in t.text or t.text in {".", "?", "!", ";", ":", "…", "(", ")", '"', "«", "»"}:
            end = k
            break
        if (t.pos_ in _CUT_POS and not _nameish(t)
                or (t.pos_ == "CCONJ" and not (k + 1 < end and _nameish(doc[k + 1])))
                or (t.pos_ in {"ADV", "ADP", "DET"} and not _nameish(t) and t.lower_ not in _CONNECTORS)
                or (t.lower_ in _CONNECTORS and not (k + 1 < end and _nameish(doc[k + 1])) and not _nameish(doc[k - 1]))):
            end = k
            break
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].lower_ in _CONNECTORS
                           or doc[end - 1].lower_ in {"'s", "’s", "s"} or doc[end - 1].lower_ in FILLERS):
        end -= 1
    n = end - start
    if n >= 2 and n % 2 == 0 and [t.lower_ for t in doc[start:start + n // 2]] == [t.lower_ for t in doc[start + n // 2:end]]:
        end = start + n // 2  # "Clip Drop Clip Drop"
    return start, end


def _nameish(t: Token) -> bool:
    """Looks like part of a name: capitalised mid-sentence, CamelCase, digits, or all caps."""
    text = t.text
    if not any(c.isalpha() for c in text):
        return False
    if _shape_name(text) or (text.isupper() and len(text) > 1):
        return True
    return text[:1].isupper() and (not t.is_sent_start or t.pos_ == "PROPN")


def _context_type(doc: Doc, start: int) -> EntityType | None:
    """Type announced by a noun just before the name ("l'outil X", "chez X", "the artist X")."""
    for t in reversed(doc[max(0, start - 3):start]):
        w, lemma = t.lower_, t.lemma_.lower()
        if w in PERSON_CUES or lemma in PERSON_CUES:
            return "Person"
        if w in TOOL_CUES or lemma in TOOL_CUES:
            return "Tool"
        if w in ORG_CUES or lemma in ORG_CUES:
            return "Organisation"
        if w in PLACE_CUES:
            return "Place"
        if t.is_punct:
            break
    return None


def _person_like(span: Span, language: str) -> bool:
    words = [t for t in span if t.is_alpha]
    if not words or not all(t.text[:1].isupper() or t.lower_ in _CONNECTORS for t in words):
        return False
    if is_first_name(words[0].text):
        return True
    return len(words) >= 2 and not any(common_word(t.text, language, 4.0) for t in words)


def type_candidate(doc: Doc, c: Candidate, language: str, speakers: set[str]) -> Typed | None:
    """Trim, validate and type one candidate; None when it is not a usable name."""
    if c.source == "vocab" and c.entry is not None:
        return Typed(c.start, c.end, c.entry.type, 0.95, "vocab", c.entry.id)
    start, end = trim(doc, c.start, c.end)
    if end <= start or end - start > MAX_TOKENS:
        return None
    span = doc[start:end]
    text = span.text
    words = [t for t in span if any(ch.isalpha() for ch in t.text)]
    if len(text) < 2 or not words or all(t.is_stop or _is_filler(t) for t in span):
        return None
    lower_only = not any(_nameish(t) for t in span)
    single = len(span) == 1
    tok = span[0]
    if single and (tok.lower_ in FILLERS or tok.pos_ in {"PRON", "DET", "ADP", "CCONJ", "SCONJ", "AUX", "INTJ", "ADV", "VERB"}):
        return None
    if single and tok.is_sent_start and c.source == "ner" and not is_first_name(tok.text) and (
            common_word(tok.text, language, 3.0) or common_word(tok.lemma_, language, 3.0)):
        return None  # "Justement", "Mécaniques": a capitalised sentence start, not a name
    if single and c.source == "ner" and (tok.lower_ in EVERYDAY_NAMES or (
            tok.pos_ in {"ADJ", "VERB", "ADV", "ADP"} and common_word(tok.text, language, 3.0))):
        return None
    if any(s.casefold() == text.casefold() or s.split()[0].casefold() == text.casefold() for s in speakers):
        return Typed(start, end, "Person", 0.9, c.source)

    context = _context_type(doc, start)
    if c.source == "naming":
        t = c.type or context or ("Person" if _person_like(span, language) else "Tool")
        return Typed(start, end, t, 0.85, "naming")
    if c.source == "pattern":
        if single and common_word(text, language, 4.5):
            return None
        return Typed(start, end, context if context in ("Tool", "Organisation") else "Tool", 0.7, "pattern")
    if c.source == "acronym":
        if common_word(text, language, 3.5) or len(text) < 2:
            return None
        return Typed(start, end, context or "Organisation", 0.5, "acronym")

    # statistical NER
    guess = NER_TYPES.get(c.ner_label)
    if guess is None:
        return None
    score = 0.75
    if lower_only:
        if any(common_word(t.text, language, 4.0) for t in words):
            return None
        score = 0.3  # kept only if the same name is also written as a name elsewhere
    if guess == "Person":
        if not _person_like(span, language) and not lower_only:
            if single and (common_word(text, language, 3.5)):
                return None
            guess = context or ("Tool" if single or any(common_word(t.text, language, 4.0) for t in words) else "Person")
    elif guess in ("Organisation", "Tool", "Place"):
        if c.ner_label == "NORP" and common_word(text, language, 3.0):
            return None  # nationalities and groups ("French", "Américains")
        if single and c.ner_label in ("MISC", "LOC") and common_word(text, language, 4.5) and tok.pos_ != "PROPN":
            return None
        if context:
            guess = context
        elif single and is_first_name(text) and not text.isupper():
            guess = "Person"
        elif guess == "Place" and (lower_only or _shape_name(text)):
            guess = "Tool"
        if (guess == "Tool" and c.ner_label == "MISC" and len(words) >= 2 and _person_like(span, language)
                and not any(t.is_upper or _shape_name(t.text) for t in words)):
            guess = "Person"  # "Memo Akten": two unknown capitalised words read as a person's name
    return Typed(start, end, guess, score, "ner")


_PRIORITY = {"vocab": 4, "naming": 3, "pattern": 2, "acronym": 1, "ner": 1}


def select(typed: list[Typed], doc: Doc) -> list[Typed]:
    """Keep non-overlapping spans: higher trust first, then longer.

    A clean proper name from NER that contains a vocabulary label
    ("Google Arts and Culture Lab" around "Google") wins over the label.
    """
    def rank(t: Typed) -> tuple[int, int, int]:
        prio = _PRIORITY[t.source]
        if t.source == "ner" and t.score >= 0.75 and all(_nameish(x) or x.lower_ in _CONNECTORS for x in doc[t.start:t.end]):
            inner = [u for u in typed if u.source == "vocab" and t.start <= u.start and u.end <= t.end and (u.end - u.start) < (t.end - t.start)]
            if inner and all(u.type != "Concept" for u in inner):
                prio = 5
        return (-prio, -(t.end - t.start), t.start)

    taken: list[Typed] = []
    used: set[int] = set()
    for t in sorted(typed, key=rank):
        if any(i in used for i in range(t.start, t.end)):
            continue
        taken.append(t)
        used.update(range(t.start, t.end))
    return sorted(taken, key=lambda t: t.start)


def rare(text: str, language: str) -> float:
    """Mean rarity (7 - Zipf) of a phrase's words: high for domain terms."""
    words = [w for w in text.casefold().split() if any(c.isalpha() for c in w)]
    if not words:
        return 0.0
    return sum(7 - zipf(w, language) for w in words) / len(words)
