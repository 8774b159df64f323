"""Candidate spans from several sources, before cleaning and typing.

Sources, by trust: the curated vocabulary, names announced by a naming cue
("un outil qui s'appelle X", "a model called X"), the shapes product names
take (CamelCase, ``X.js``, letters with digits, acronyms), and the statistical
NER of the spaCy pipeline.  Candidates are token spans of one spaCy ``Doc``
(one turn); `kg.extract.rules` trims, filters and types them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import EntityType
from ..text import squash
from .lexicon import (
    ARTICLES,
    DROP_NER_LABELS,
    EVERYDAY_NAMES,
    FILLER_NAMES,
    FILLERS,
    HONORIFICS,
    NAMING_PLACE_NOUNS,
    ORG_CUES,
    ORG_HEADS,
    PERSON_CUES,
    ROLE_TITLES,
    TITLE_NOUNS,
    TOOL_CUES,
    WORK_CUES,
    common_word,
    given_name_here,
    is_article,
    is_first_name,
    lower_ended_places,
    place_population,
    zipf,
)
from .vocabulary import Entry, Vocabulary

if TYPE_CHECKING:  # spaCy (and torch, which it imports) loads in seconds: only when extraction runs
    from spacy.tokens import Doc, Span, Token

    from .tokens import Tokens


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    """Token index in the Doc."""
    end: int
    source: str
    """"vocab", "naming", "pattern", "acronym" or "ner"."""
    type: EntityType | None = None
    entry: Entry | None = None
    ner_label: str = ""


PATTERNS = [
    re.compile(r"(?<![\w.])[A-Za-z][\w-]*\.(?:js|cpp|py|rs|jl|ts|io|ai|app|net)\b"),  # p5.js, whisper.cpp
    re.compile(r"(?<![\w.])(?:[a-z]+[A-Z]|[A-Z][a-z]+[A-Z])[A-Za-z0-9]*\b"),  # iPhone, WebGL, ArtBreeder
    re.compile(r"(?<![\w.])[A-Z][A-Za-z]*-?\d+[A-Za-z0-9]*\b"),  # GPT-3, ML4Art, GPT4o
    re.compile(r"(?<![\w.])[A-Z][a-z]+\d[A-Za-z]+\b"),  # Sketch2Code
]
NOT_A_PRODUCT = re.compile(r"(?:Mc|Mac|Di|De|Du|Le|La|Van|Von|O)[A-Z][a-z]{2,}|[A-Z]\d{1,2}")
"""Shapes the patterns above take but that rarely name a product: family names written in CamelCase
(McGranaghan, DeVito, LeBlanc), and one letter with a number (A4, G7, B12, a V2 engine)."""
ACRONYM = re.compile(r"(?<![\w.'’-])[A-Z][A-Z0-9&]{1,6}s?(?![\w'’-])")


_END = {".", "?", "!", "…", "...", "?!", "!?"}
MAX_UNPUNCTUATED = 40


def doc_text(doc: Doc) -> str:
    """The turn's text, joined once per Doc: ``Doc.text`` joins every token again on each read."""
    text = doc.user_data.get("kg.text")
    if text is None:
        text = doc.user_data["kg.text"] = doc.text
    return text


SOURCE_TEXT = "kg.source"
"""Where a Doc parsed from a recased text (`kg.extract.recase`) keeps the turn's text as the file writes it."""


def source_text(doc: Doc) -> str:
    """The turn's text as the file writes it, which quotes and mentions keep: the Doc's own but for a recased one."""
    text = doc.user_data.get(SOURCE_TEXT)
    return text if isinstance(text, str) else doc_text(doc)


def speech_sentences(doc: Doc) -> list[Span]:
    """Sentences for speech: the parser's boundaries, kept only after end punctuation or a line break.

    Transcribed speech often lacks punctuation, and a capitalised name makes the
    parser start a sentence in mid-phrase ("un style | Gan"); such boundaries are
    ignored unless the sentence is already long.
    """
    out: list[Span] = []
    start = 0
    for sent in doc.sents:
        if sent.start == 0:
            continue
        prev = doc[sent.start - 1]
        if (prev.text in _END or "\n" in prev.text or "\n" in prev.whitespace_ or prev.is_space
                or sent.start - start >= MAX_UNPUNCTUATED):
            out.append(doc[start:sent.start])
            start = sent.start
    if start < len(doc):
        out.append(doc[start:len(doc)])
    return out


def vocabulary_candidates(doc: Doc, vocab: Vocabulary) -> list[Candidate]:
    """Longest vocabulary labels, matched by squashed form and, for concepts, by lemma.

    Keys of consecutive tokens are built by concatenation (squashing drops
    spaces) and extended only while they remain a prefix of some label, so
    the search costs a few dictionary look-ups per token.
    """
    from .tokens import tokens  # (which imports this module)

    tk = tokens(doc)  # indexing a Doc makes a new Token object each time: read the attributes once
    exact = tk.text
    folded = list(map(squash, exact))
    lemmas = list(map(squash, tk.lemma))
    skip = [punct or space for punct, space in zip(tk.is_punct, tk.is_space, strict=True)]
    found: list[Candidate] = []
    for sent in speech_sentences(doc):
        i, sent_end = sent.start, sent.end
        while i < sent_end:
            hit: Candidate | None = None
            if not skip[i] and exact[i][:1] not in _CLITIC_MARKS:  # "they'd ask" is no "Dask", "it's lack" no "Slack"
                kf = ke = kl = ""
                for j in range(i, min(sent_end, i + vocab.max_tokens)):
                    kf, ke, kl = kf + folded[j], ke + exact[j], kl + lemmas[j]
                    if not (vocab.is_prefix(kf) or vocab.is_prefix(ke, exact=True) or vocab.is_prefix(kl)):
                        break
                    if skip[j] and not (tk.is_punct[j] and exact[j] in {"#", "+", "++"}):
                        continue
                    entry = vocab.lookup_keys(ke, kf)
                    if entry is None and kl != kf:
                        by_lemma = vocab.lookup_keys("", kl)
                        entry = by_lemma if by_lemma is not None and by_lemma.type == "Concept" else None
                    if entry is not None and j > i and all(tk.is_alpha[k] and tk.is_stop[k] for k in range(i, j + 1)):
                        entry = None  # "un et" squashes to "unet": function words never make a name
                    if (entry is not None and j == i and tk.is_lower[i] and tk.pos[i] in ("VERB", "AUX")
                            and common_word(exact[i], doc.lang_, 3.0)):
                        entry = None  # "hard to google": a verb, not the company (tags of rare words are noise)
                    if entry is not None and j == i and _other_casing(exact[i], vocab.labels_of(entry.id)):
                        entry = None  # "uMap" (the mapping tool) is not "UMAP" (the algorithm)
                    if entry is not None:
                        first = i
                        if i > sent.start and tk.lower[i - 1] in {"the", "le", "la", "les", "l'", "l’"} \
                                and exact[i - 1][:1].isupper() and not tk.is_sent_start[i - 1] \
                                and entry.type == "Work":
                            first = i - 1  # the article belongs to the title: "The Nature of Code"
                        hit = Candidate(first, j + 1, "vocab", entry.type, entry)
            if hit is None and not skip[i]:
                hit = _plural(exact[i], i, vocab)
            if (hit is None and tk.is_lower[i] and i > sent.start and tk.lower[i - 1] in _REACHED_VIA
                    and not (i + 1 < sent_end and tk.pos[i + 1] in ("NOUN", "PROPN", "ADJ"))):
                hit = _platform_in_lower_case(exact[i], i, vocab)  # not "on signal strength", "on medium heat"
            if hit:
                found.append(hit)
                i = hit.end
            else:
                i += 1
    return found


_CLITIC_MARKS = "'’"
"""A token opening with an apostrophe is the end of the word before it ("'d", "'s", "'ll"): no label starts there,
though squashing it into the next word's key can spell one."""
_REACHED_VIA = frozenset({"via", "sur", "par", "on", "over", "through", "using"})


def _platform_in_lower_case(word: str, i: int, vocab: Vocabulary) -> Candidate | None:
    """A platform whose name is an ordinary word, written in lower case where one meets on it: "via zoom",
    "sur discord", "on slack" (its capitalised label alone would keep "zoom in" and "a slack rope" out)."""
    entry = vocab.lookup_name(word)
    if entry is None or entry.type != "Tool" or entry.kind != "platform":
        return None
    return Candidate(i, i + 1, "vocab", entry.type, entry)


def _other_casing(word: str, labels: tuple[str, ...]) -> bool:
    """Whether a word's own distinctive casing ("uMap", "eBay") says it is not the entry's acronym ("UMAP").

    >>> _other_casing("uMap", ("UMAP",)), _other_casing("Umap", ("UMAP",)), _other_casing("StyleGAN", ("StyleGAN",))
    (True, False, False)
    """
    distinctive = not word.isupper() and any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False))
    if not distinctive:
        return False
    same = [label for label in labels if squash(label) == squash(word)]
    return bool(same) and word not in same and all(label.isupper() for label in same)


def _plural(text: str, i: int, vocab: Vocabulary) -> Candidate | None:
    """A capitalised plural of a named entry: "the Instagrams of the world", "des Arduinos"."""
    if len(text) < 5 or not text[:1].isupper() or not text.endswith("s") or text.isupper():
        return None
    entry = vocab.lookup(text[:-1])
    if entry is None or entry.type == "Concept" or vocab.lookup(text) is not None:
        return None
    return Candidate(i, i + 1, "vocab", entry.type, entry)


def _char_span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def pattern_candidates(doc: Doc) -> list[Candidate]:
    """Names by their shape: product-like tokens and acronyms."""
    out: list[Candidate] = []
    text = doc_text(doc)
    for rx in PATTERNS:
        for m in rx.finditer(text):
            span = _char_span(doc, m.start(), m.end())
            if span is not None and not NOT_A_PRODUCT.fullmatch(m.group()):
                end = span.end
                while (end < len(doc) and end - span.end < 2 and _version_like(doc[end].text)
                       and doc[end - 1].whitespace_):
                    end += 1
                out.append(Candidate(span.start, end, "pattern", "Tool"))
    for m in ACRONYM.finditer(text):
        span = _char_span(doc, m.start(), m.end())
        if span is None or len(span) != 1:
            continue
        neighbours = [t for t in (doc[span.start - 1] if span.start else None,
                                  doc[span.end] if span.end < len(doc) else None) if t is not None and t.is_alpha]
        if neighbours and all(t.is_upper and len(t) > 1 for t in neighbours):
            continue  # shouted text, not an acronym
        out.append(Candidate(span.start, span.end, "acronym", None))
    return out


def _version_like(text: str) -> bool:
    """What follows a product name: "RX", "H6", "5", "2.0", "XL", "8SE", "Pro"."""
    return bool(re.fullmatch(r"(?:[A-Z]{1,4}\d*|[A-Z]?\d+(?:\.\d+)*[a-z]?|\d+[A-Z]{1,3})", text)) or text in MODEL_WORDS


MODEL_WORDS = {"Pro", "Plus", "Max", "Mini", "Ultra", "Lite", "Mk", "II", "III", "IV"}
"""Words of a model's name after its number or code ("ASI294MC Pro", "EOS 600D", "Mk II")."""

_MODEL_CODE = re.compile(r"(?:[A-Z][A-Za-z]*\d[\w-]*|\d+[A-Z]{1,3}|\d{1,4}(?:\.\d+)?)")
"""A model's number or code: "D850", "Di2", "ASI294MC", "600D", "388", "2.0"."""
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def model_candidates(doc: Doc) -> list[Candidate]:
    """Hardware and software named by a brand and a model number: "Nikon D850", "Tascam 388", "Canon EOS 600D".

    A product shape or NER finds the code ("D850") or the brand ("Nikon")
    alone; the product is both.  The brand is one to three capitalised words
    just before the code that are not ordinary words, sentence openers,
    articles, places or years; what follows the code as part of a model's
    name ("Pro", "RTK") is kept.
    """
    from .tokens import tokens  # (which imports this module)

    tk = tokens(doc)
    out: list[Candidate] = []
    for i in range(1, tk.n):
        code = tk.text[i]
        if not _MODEL_CODE.fullmatch(code) or _YEAR.fullmatch(code) or not tk.whitespace[i - 1]:
            continue
        start = _brand_start(tk, i)
        if start == i:
            continue
        end = _joined_end(tk, i + 1)
        while end < tk.n and end - i < 4 and tk.whitespace[end - 1] and _version_like(tk.text[end]):
            end = _joined_end(tk, end + 1)
        out.append(Candidate(start, end, "pattern", "Tool"))
    return out


def _joined_end(tk: Tokens, end: int) -> int:
    """Past the pieces a hyphen joins to a model's code without spaces ("Pro-Q", "XT-Pro", "EQ6-R")."""
    while (end + 1 < tk.n and tk.text[end] == "-" and not tk.whitespace[end - 1] and not tk.whitespace[end]
           and tk.text[end + 1][:1].isalnum()):
        end += 2
    return end


def _brand_start(tk: Tokens, code: int) -> int:
    """Where the brand before a model's code begins: up to three capitalised words ("Garmin Edge", "Sky-Watcher"),
    of which the first is no ordinary word, place or everyday name ("Windows 10", "Paris 8", "France 3", "Lundi 3"
    are left alone); ``code`` when there is none."""
    units: list[int] = []  # where each word begins, right to left; a hyphenated word is one
    k = code - 1
    while k >= 0 and len(units) < 3 and tk.whitespace[k] and _capitalised(tk, k):
        while k >= 2 and tk.text[k - 1] == "-" and not tk.whitespace[k - 2] and not tk.whitespace[k - 1] \
                and _capitalised(tk, k - 2):
            k -= 2
        units.append(k)
        k -= 1
    for start in reversed(units):
        end = code if start == units[0] else units[units.index(start) - 1]
        if _brand_opener(tk.span_text(start, end).strip()):
            return start
    return code


def _capitalised(tk: Tokens, k: int) -> bool:
    text = tk.text[k]
    return (tk.is_alpha[k] and (text[:1].isupper() or shape_name(text)) and not tk.is_stop[k]
            and not (tk.is_sent_start[k] and tk.pos[k] != "PROPN"))


def _brand_opener(text: str) -> bool:
    if text.lower() in EVERYDAY_NAMES or common_word(text, "fr", 4.5) or common_word(text, "en", 4.5):
        return False
    return not place_population(text)


_TITLE = re.compile(r"(?<![*\w])\*(?!\*)([^*\n]{2,80}?)\*(?![*\w])"
                    r"|(?<![\w_])_([^_\n]{2,80}?)_(?![\w_])"
                    r"|«\s?([^»\n]{2,160}?)\s?»"
                    r"|[\"“]([^\"”\n]{2,160}?)[\"”]")


_PUBLISHER = re.compile(r"\s+(?:aux|chez(?: les)?) [ée]ditions\b|\s+published by\b", re.I)
"""A publisher named inside the quotation ("« L'échec du numérique éducatif aux éditions … »") is not the title."""


def title_candidates(doc: Doc) -> list[Candidate]:
    """Titles set in italics or quotes: "*Marées lentes*", « Les Voix du Port », "Working in Public".

    Reported speech is also quoted in transcripts, so a quoted title must start
    with a capital, hold at most six words and no sentence punctuation, and
    (for plain double quotes) capitalise its first and last word.  After a
    noun naming a work ("le mémoire « l'impact des stéréotypes de genre sur
    … »", "the report “what we learned from the census”") the quotation is a
    title whatever its case, up to sixteen words: a "cited" candidate, which
    the typing model does not second-guess.
    """
    out: list[Candidate] = []
    for m in _TITLE.finditer(doc_text(doc)):
        group = next(i for i in range(1, 5) if m.group(i) is not None)
        inner = _PUBLISHER.split(m.group(group), maxsplit=1)[0].strip()
        s = m.start(group) + (len(m.group(group)) - len(m.group(group).lstrip()))
        words = inner.split()
        plain = (inner[:1].isupper() and len(words) <= 6 and not any(ch in inner for ch in ".?!,;:")
                 and (group != 4 or words[-1][:1].isupper() or words[-1][:1].isdigit()))
        cited = group > 2 and len(words) <= 16 and not any(ch in inner for ch in ".?!;:") and (
            _cites(doc, m.start()) or (plain and _author_after(doc, m.end())))
        if not (plain or cited):
            continue
        span = doc.char_span(s, s + len(inner), alignment_mode="contract")
        if span is not None and len(span):
            out.append(Candidate(span.start, span.end, "cited" if cited else "title", "Work"))
    return out


def _author_after(doc: Doc, char: int) -> bool:
    """The quotation ending at ``char`` is followed by its author: "« Sans soleil » de Chris Marker", "“Working in
    Public” by Nadia Eghbal"; reported speech is followed by a verb or a clause, not by "de" and a name."""
    after = doc.char_span(char - 1, char, alignment_mode="expand")
    if after is None or after.end + 1 >= len(doc):
        return False
    by, name = doc[after.end], doc[after.end + 1]
    return (by.lower_ in _BY and name.pos_ == "PROPN" and name.text[:1].isupper()
            and not place_population(name.text))


_LEADS = {"appeler", "intituler", "nommer", "porter", "call", "title", "entitle", "name", "sur", "on", "about",
          "qui", "that", "s'", "s’"}
"""Words that may stand between a work's noun and its quoted title ("un essai qui s'appelle « … »", "portant sur")."""


def _cites(doc: Doc, char: int) -> bool:
    """The quotation opening at ``char`` follows a noun naming a work: "le mémoire « … »", "a report called “…”".

    At most three words may stand between them, each an article, a
    preposition or a verb of naming, so that reported speech ("une série de
    gens qui m'ont dit « … »") is not read as a title.
    """
    after = doc.char_span(char, char + 1, alignment_mode="expand")
    if after is None:
        return False
    for k, t in enumerate(reversed(doc[max(0, after.start - 4):after.start])):
        if t.lower_ in TITLE_NOUNS or t.lemma_.lower() in TITLE_NOUNS:
            return True
        if k == 3 or not (t.pos_ in ("DET", "ADP") or t.text in {",", ":"} or t.lower_ in _LEADS
                          or t.lemma_.lower() in _LEADS):
            return False
    return False


_NAMING = re.compile(
    r"\b(?:qui\s+)?s['’]appell(?:e|ent|ait|aient)\s+|\b(?:appel|nomm|intitul)ée?s?\s+"
    r"|\b(?:called|named|titled|dubbed|known\s+as)\s+", re.I)


def naming_candidates(doc: Doc, language: str) -> list[Candidate]:
    """The name after "qui s'appelle" / "called": capitalised words, or one rare word.

    French titles capitalise only their first word ("Marées lentes"), so after
    a cue announcing a work the lower-case words up to the clause end are kept.
    """
    out: list[Candidate] = []
    for m in _NAMING.finditer(doc_text(doc)):
        span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if span is None:
            continue
        cue_start = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        kind = _cue_type(doc, cue_start.start if cue_start is not None else span.start)
        j = span.start
        while j < len(doc) and (doc[j].pos_ == "DET" or doc[j].lower_ in {"like", "comme", ":", '"', "«", "“"}):
            j += 1
        k = j
        while k < len(doc) and k - j < 4 and (
                doc[k].is_title or doc[k].is_upper or shape_name(doc[k].text)
                or (k > j and doc[k].lower_ in {"de", "du", "des", "of", "&", "and", "to", "for", "et"}
                    and k + 1 < len(doc) and doc[k + 1].is_title)):
            k += 1
        if k > j and kind == "Work":
            while (k < len(doc) and k - j < 5 and doc[k].is_lower and doc[k].is_alpha
                   and doc[k].pos_ in ("ADJ", "NOUN", "ADV") and not doc[k].is_stop):
                k += 1
        if (k == j and j < len(doc) and doc[j].is_alpha and not doc[j].is_stop
                and doc[j].pos_ not in ("VERB", "AUX", "ADJ")
                and not common_word(doc[j].text, language, 3.5)):
            k = j + 1
        if k > j:
            out.append(Candidate(j, k, "naming", kind))
    return out


_CLAUSE_ENDS = {",", ".", "?", "!", ";", ":", "(", ")", "…", "«", "»", '"', "“", "”", "–", "—"}
_BY = {"de", "d'", "d’", "by"}
_DEFINITE_OR_NOT = ARTICLES - {"les"}  # one work is named: "X, le documentaire", not "X, les livres"
_APPOSED_NOUNS = TITLE_NOUNS | {"project", "projet"}
"""Nouns a title may stand beside: a work's, and a project's, which the annotation rules count as works."""
_OPENERS = {"et", "puis", "and", "then", "alors", "aussi", "also", "bon", "enfin", "là"}
MAX_APPOSED = 8


def apposed_title_candidates(doc: Doc) -> list[Candidate]:
    """Titles named beside the noun that says they are works, without quotes or italics.

    French titles keep their first capital only ("Racleurs d'océans",
    "Quartier lointain"), so nothing in their words marks the end of the
    name; speech marks them by apposition instead, the noun on one side of a
    comma and the title on the other: "son livre, Racleurs d'océans",
    "Les Nouveaux Chiens de garde, le documentaire", "Le Monde sans fin, de
    Jancovici et Blain", "Quartier lointain, c'est le livre qui...". The
    title runs from a capital to the clause's end, holds no conjugated verb
    and is not a person's or a place's name ("et le livre, Zola, je l'ai lu").
    """
    from .tokens import tokens  # (which imports this module)

    tk = tokens(doc)
    out: list[Candidate] = []
    commas = [c for c, w in enumerate(tk.text) if w == "," and 0 < c < tk.n - 1]
    if not commas:
        return out
    for c in commas:
        if _capital(tk, c + 1) and _noun_before(tk, c):
            end = c + 1
            while end < tk.n and end - c <= MAX_APPOSED and tk.text[end] not in _CLAUSE_ENDS and not tk.is_space[end]:
                end += 1
            _keep_title(doc, c + 1, end, out)
        if _noun_or_author_after(tk, c):
            start = c
            while start > 0 and c - start < MAX_APPOSED and tk.text[start - 1] not in _CLAUSE_ENDS \
                    and not tk.is_space[start - 1] and not _conjugated(doc[start - 1]):
                start -= 1
            while start < c and not (_capital(tk, start) and tk.lower[start] not in _OPENERS):
                start += 1
            listed = start > 0 and tk.lower[start - 1] == tk.lower[c + 1]  # "de DiploIA, de POC": a list
            if start < c and not listed:
                _keep_title(doc, start, c, out)
    return out


COMMON_ZIPF = 3.5
"""From this Zipf frequency a capitalised word alone is a word of the language, not a one-word title."""
_NOT_A_TITLE_START = frozenset({"INTJ", "ADP", "PRON", "AUX", "VERB", "CCONJ"})


def authored_title_candidates(doc: Doc) -> list[Candidate]:
    """A title said right after its author's name, as people list what they read or watch: "Baptiste
    Morizot, Manières d'être vivant, qui est plus doux", "Beaucoup Andreas Malm. Comment saboter un
    pipeline, évidemment", "Moi c'est plutôt Ellul. Le Système technicien."

    French titles keep only their first capital, so their end is the clause's: the title runs from the
    capital after the comma or full stop that closes the name to the next punctuation, holds no
    conjugated verb, and is neither a person's, a place's nor a role's name ("Marie Dupont, Directrice").
    """
    from .tokens import tokens  # (which imports this module)

    tk = tokens(doc)
    out: list[Candidate] = []
    if doc.lang_ != "fr":  # English titles are in title case: `title_case_candidates` finds them
        return out
    for c in range(1, tk.n - 2):
        if tk.text[c] not in (",", ".") or tk.ent_type[c - 1] not in PERSON_LABELS or not _capital(tk, c + 1):
            continue
        if tk.ent_iob[c + 1] in ("B", "I") and tk.ent_type[c + 1] in PERSON_LABELS:
            continue  # "Zola, Balzac": another author
        end = c + 1
        while end < tk.n and end - c <= MAX_APPOSED and tk.text[end] not in _CLAUSE_ENDS and not tk.is_space[end]:
            if end > c + 1 and tk.pos[end] == "NUM" and not _capital(tk, end):
                break  # "Le Misanthrope deux saisons de suite": what follows says when, not the title
            end += 1
        if end >= tk.n or end - c > MAX_APPOSED or (tk.text[end] not in _CLAUSE_ENDS and tk.pos[end] != "NUM"):
            continue
        first = tk.lower[c + 1]
        if end - c == 2 and zipf(first, "fr") >= COMMON_ZIPF:
            continue  # "Salut !": a word of the language, not a one-word title
        if tk.pos[c + 1] in _NOT_A_TITLE_START or any(tk.ent_type[k] in PERSON_LABELS for k in range(c + 1, end)):
            continue  # "Sur X, enfin", "Bienvenu Adam": a phrase, a greeting with a name
        if first in _OPENERS or first in PERSON_CUES or first in ROLE_TITLES or first in ORG_HEADS \
                or (end - c == 2 and tk.pos[c + 1] != "PROPN"):
            continue
        _keep_title(doc, c + 1, end, out)
    return out


def _capital(tk: Tokens, i: int) -> bool:
    return i < tk.n and tk.text[i][:1].isupper() and (tk.is_alpha[i] or tk.text[i][:1].isdigit())


def _conjugated(t: Token) -> bool:
    return t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm", [])


def _noun_before(tk: Tokens, comma: int) -> bool:
    """A work's noun ends the words before ``comma``: "son livre,", "that BBC series,", "le livre de X et Y,"."""
    for k in range(comma - 1, max(-1, comma - 7), -1):
        if tk.lower[k] in _APPOSED_NOUNS or tk.lemma_lower[k] in _APPOSED_NOUNS:
            return tk.pos[k] in ("NOUN", "PROPN")
        if not (tk.pos[k] in ("DET", "ADJ", "PROPN", "ADP", "CCONJ", "NUM") or tk.text[k][:1].isupper()):
            return False
    return False


def _noun_or_author_after(tk: Tokens, comma: int) -> bool:
    """After ``comma``: "de Lagarce", "by Ursula K. Le Guin", "le documentaire", "c'est le livre".

    Not "a project": what goes before it is as often a sentence ("Learn about Standard Ebooks, a project
    founded…") as a name."""
    if comma + 2 >= tk.n:
        return False
    a, b = tk.lower[comma + 1], comma + 2
    if a in _BY:  # not a journey ("à vélo en 2018, de Paris à...")
        return tk.pos[b] == "PROPN" and tk.text[b][:1].isupper() and not place_population(tk.text[b]) \
            and tk.pos[comma - 1] != "NUM"
    if a in _DEFINITE_OR_NOT:
        return tk.lower[b] in TITLE_NOUNS and tk.pos[b] == "NOUN"
    if a in ("c'", "c’", "it's") and comma + 4 < tk.n and tk.lower[b] in ("est", "était"):
        return tk.lower[comma + 4] in TITLE_NOUNS and tk.lower[comma + 3] in _DEFINITE_OR_NOT
    return False


def _keep_title(doc: Doc, start: int, end: int, out: list[Candidate]) -> None:
    words = doc[start:end]
    if not words or len(words) > MAX_APPOSED or not words[0].text[:1].isupper():
        return
    if any(_conjugated(t) for t in words) or (len(words) == 1 and words[0].ent_type_ in PERSON_LABELS):
        return
    if (is_first_name(words[0].text) and not is_article(words[0].text)) or place_population(words.text) \
            or words[0].pos_ == "PRON" or words[-1].pos_ == "PRON" or words[-1].lower_ in ("one", "ones"):
        return  # "The mobile one, by Mountains": a thing pointed at, not its title
    out.append(Candidate(start, end, "cited", "Work"))


def _cue_type(doc: Doc, cue_start: int) -> EntityType | None:
    for t in doc[max(0, cue_start - 3):cue_start]:
        lemma = t.lemma_.lower()
        if lemma in PERSON_CUES or t.lower_ in PERSON_CUES:
            return "Person"
        if lemma in TOOL_CUES or t.lower_ in TOOL_CUES:
            return "Tool"
        if lemma in ORG_CUES or t.lower_ in ORG_CUES:
            return "Organisation"
        if lemma in WORK_CUES or t.lower_ in WORK_CUES:
            return "Work"
        if lemma in NAMING_PLACE_NOUNS or t.lower_ in NAMING_PLACE_NOUNS:
            return "Place"
    return None


@lru_cache(maxsize=65536)
def shape_name(text: str) -> bool:
    """A token shaped like a product name: CamelCase, X.js, letters with digits.

    Memoised: the rules and features ask it of the same few words again and again.
    """
    return not NOT_A_PRODUCT.fullmatch(text) and any(rx.fullmatch(text) for rx in PATTERNS)


def proper_noun_candidates(doc: Doc) -> list[Candidate]:
    """Runs of capitalised words inside a sentence that NER missed ("made by Derivative, a company").

    They are kept only when the words around them say what they are (see typing).
    """
    from .tokens import tokens  # (which imports this module)

    tk = tokens(doc)
    text, alpha = tk.text, tk.is_alpha
    out: list[Candidate] = []
    i = 0
    while i < tk.n:
        if (alpha[i] and text[i][:1].isupper() and not tk.is_sent_start[i] and i > 0
                and text[i - 1] not in {".", "?", "!", ":", "\n"}):
            if _with_elided_article(doc, i) < i:
                i -= 1  # "L'Atelier Commun": the run opens with the name's own article
            j = i + 1
            while j < tk.n and j - i < 4 and alpha[j] and text[j][:1].isupper():
                j += 1
            out.append(Candidate(i, j, "propn"))
            i = j
        else:
            i += 1
    return out


INSTITUTION_HEADS = {
    "mairie", "ville", "ministère", "direction", "agence", "commissariat", "bibliothèque", "école", "université",
    "institut", "conseil", "préfecture", "région", "département", "communauté", "assemblée", "cour", "tribunal",
    "office", "mission", "musée", "fondation", "caisse", "chambre", "syndicat", "fédération", "comité",
    "secrétariat", "délégation", "inspection", "observatoire", "autorité", "banque", "laboratoire", "centre",
    "haut-commissariat", "académie", "conservatoire", "archives", "parc", "établissement", "service", "lycée", "iut",
    "confédération", "union", "association", "société", "compagnie", "coopérative", "mutuelle", "hôpital",
    "clinique", "médiathèque", "muséum",
}
"""French nouns that head the name of an institution written mostly in lower case ("Ministère de la Transition
écologique", "Commissariat à l'énergie atomique", "mairie de Chelles")."""
LOWER_HEADS = {"mairie", "préfecture", "ministère", "université", "agence", "direction", "académie", "tribunal",
               "lycée", "communauté", "collège", "conseil", "cour", "musée"}
"""Heads that name the institution even in lower case before a name ("la mairie de Chelles", "le ministère de la
Culture", "l'université Paris-Saclay"); "la ville de Courtry" is the town."""
NAMED_HEADS = {"école", "médiathèque", "bibliothèque", "hôpital", "clinique"}
"""Heads that name the institution in lower case when its own name follows at once ("l'école Jules-Ferry",
"l'hôpital Necker"); before "de" they say whose town it is ("l'école de Mirecourt")."""
_INSTITUTION_LINKS = {"de", "du", "des", "d'", "d’", "la", "le", "les", "l'", "l’", "à", "au", "aux", "pour", "et"}
MAX_INSTITUTION = 9


_ELIDED = frozenset({"d'", "d’", "l'", "l’"})


def _hyphen_joins(toks: list[Token], k: int) -> bool:
    """``toks[k]`` is a hyphen written between two words without spaces ("Bordeaux-Montaigne"), the second
    perhaps elided ("Côtes-d'Armor", which the French tokenizer splits where it keeps "Villeneuve-d'Ascq")."""
    if not (0 < k < len(toks) - 1 and toks[k].text == "-" and not toks[k - 1].whitespace_ and not toks[k].whitespace_):
        return False
    nxt = toks[k + 1]
    return nxt.is_alpha or (nxt.lower_ in _ELIDED and not nxt.whitespace_ and k + 2 < len(toks)
                            and toks[k + 2].is_alpha)


def _names_next(toks: list[Token], k: int) -> bool:
    """A capitalised name at ``k``, directly or after "de", "de la", "du", "des" ("l'université Paris-Saclay")."""
    if toks[k].text[:1].isupper():
        return True
    if toks[k].lower_ not in {"de", "du", "des", "d'", "d’"}:
        return False
    k += 1
    if k < len(toks) and toks[k].lower_ in {"la", "l'", "l’"}:
        k += 1
    return k < len(toks) and toks[k].text[:1].isupper()


def _names_soon(toks: list[Token], k: int) -> bool:
    """`_names_next`, or a capitalised name after a few lower-case words that qualify the head ("le tribunal
    judiciaire de Clermont-Ferrand", "la communauté de communes de Parthenay", "le lycée maritime du Guilvinec")."""
    for j in range(k, min(len(toks), k + 4)):
        if _names_next(toks, j) and (j == k or toks[j].lower_ in {"de", "du", "des", "d'", "d’"}):
            return True
        if not (toks[j].is_lower and toks[j].pos_ in ("ADJ", "NOUN", "ADP", "DET")):
            return False
        if j == k and toks[j].pos_ == "NOUN":
            return False  # "le musée garde des instruments de Nicolas Lupot": a verb read as a noun, no name's words
    return False


def _joined_name_follows(toks: list[Token], k: int) -> bool:
    """At ``k``, "et" then "de", "des", "du" or "de la" and a capitalised word: the name joins a second remit."""
    if k >= len(toks) or toks[k].lower_ != "et":
        return False
    k += 1
    if k < len(toks) and toks[k].lower_ in {"de", "des", "du", "d'", "d’"}:
        k += 1
        if k < len(toks) and toks[k].lower_ in {"la", "l'", "l’"}:
            k += 1
        return k < len(toks) and toks[k].text[:1].isupper()
    return False


def _heads(doc: Doc, words: set[str]) -> tuple[list[int], list[Token]]:
    """Where a French Doc says one of ``words``, and its tokens; nothing for another language, and no `Token`
    made for the many turns that say none of them."""
    if doc.lang_ != "fr":
        return [], []
    from .tokens import tokens  # (which imports this module)

    heads = [i for i, w in enumerate(tokens(doc).lower) if w in words]
    return (heads, list(doc)) if heads else ([], [])


def institution_candidates(doc: Doc) -> list[Candidate]:
    """French institution names: a head noun, then adjectives and complements up to the clause's end.

    French capitalises only the first word of such names, so neither NER nor
    runs of capitals find them whole.  The head must be capitalised and be
    followed by a capitalised word or an adjective; a lower-case head counts
    only before "de" and a capitalised name ("la mairie de Chelles").
    """
    heads, toks = _heads(doc, INSTITUTION_HEADS)
    out: list[Candidate] = []
    for i in heads:
        t = toks[i]
        if i + 2 >= len(toks):
            continue
        capital = t.text[:1].isupper()
        if not capital and not (t.lower_ in LOWER_HEADS and _names_soon(toks, i + 1)
                                or t.lower_ in NAMED_HEADS and toks[i + 1].text[:1].isupper()):
            continue
        if not capital and t.lower_ not in LOWER_HEADS:  # a named head: its own name, without the town after it
            last = i + 1
            while last + 1 < len(toks) and (toks[last + 1].text[:1].isupper() or _hyphen_joins(toks, last + 1)
                                            or _hyphen_joins(toks, last)):
                last += 1
        else:
            last = _french_name_end(toks, i, capital)
        named = any(x.text[:1].isupper() for x in toks[i + 1:last + 1])
        if last > i and (named or capital):
            out.append(Candidate(i, last + 1, "institution", "Organisation"))
    return out


FRENCH_EVENT_HEADS = {"festival", "fête", "nuit", "nuits", "mois", "journées", "journée", "semaine", "salon",
                      "rencontres", "biennale", "sommet", "championnat", "championnats", "coupe", "congrès", "colloque",
                      "foire", "printemps", "tour"}
"""Words that head a French event's name, capitalised, before words French leaves in lower case ("la Nuit de la
lecture", "le Mois du film documentaire", "les Journées européennes du patrimoine")."""


def event_candidates(doc: Doc) -> list[Candidate]:
    """French event names read as institution names are (`institution_candidates`), from a capitalised event
    word: the annotation rules make a named event a Work."""
    if doc.lang_ != "fr":
        return _french_events_said_in_english(doc)
    heads, toks = _heads(doc, FRENCH_EVENT_HEADS)
    out: list[Candidate] = []
    for i in heads:
        t = toks[i]
        if not t.text[:1].isupper() or i + 2 >= len(toks) or t.is_sent_start and t.pos_ != "PROPN":
            continue
        before = toks[i - 1] if i else None
        if before is not None and before.text[:1].isupper() and before.is_alpha and not before.is_sent_start \
                and before.lower_ not in _ARTICLES:
            continue  # inside a longer name: "Temps Fête à Douarnenez"
        last = _french_name_end(toks, i, True)
        if last > i + 1 or last > i and toks[last].text[:1].isupper():
            first = i - 1 if before is not None and before.lower_ in _ARTICLES and before.text[:1].isupper() \
                and not before.is_sent_start else i  # the article a title keeps: "Et Le Sommet des dieux aussi"
            out.append(Candidate(first, last + 1, "event", "Work"))
    return out


_ARTICLES = {"le", "la", "les", "l'", "l’"}


def _french_events_said_in_english(doc: Doc) -> list[Candidate]:
    """French event names kept in French by English speech ("the Tour de France", "the Festival d'Avignon",
    "Fête de la Musique"): a capitalised event word, "de", "du", "des" or "d'" (then "la" or "l'"), and a capitalised
    name.  Runs of capitals stop at the lower-case "de" and the English NER knows few of them, so they came out as
    "Tour" and "France" apart."""
    from .tokens import tokens  # (which imports this module)

    tk = tokens(doc)
    out = []
    for i in range(tk.n - 2):
        if tk.lower[i] not in FRENCH_EVENT_HEADS or not tk.text[i][:1].isupper():
            continue
        k = i + 1
        if tk.lower[k][:2] in ("d'", "d’") and tk.text[k][2:3].isupper():
            out.append(Candidate(i, k + 1, "event", "Work"))  # "d'Avignon", one token to the English tokenizer
            continue
        if tk.lower[k] not in {"de", "du", "des", "d'", "d’"}:
            continue
        k += 1
        if k < tk.n and tk.lower[k] in {"la", "l'", "l’"}:
            k += 1
        end = k
        while end < tk.n and end - k < 3 and tk.is_alpha[end] and tk.text[end][:1].isupper():
            end += 1
        if end > k:
            out.append(Candidate(i, end, "event", "Work"))
    return out


def _french_name_end(toks: list[Token], i: int, capital: bool) -> int:
    """The last word of a French name headed by ``toks[i]``: its capitalised words, adjectives and complements,
    up to the clause's end."""
    j, last = i + 1, i
    while j < len(toks) and j - i < MAX_INSTITUTION:
        w = toks[j]
        if w.text[:1].isupper() and (w.is_alpha or "-" in w.text):
            if toks[j - 1].lower_ == "à":
                break  # "le Grand Parc à Bordeaux", "le Musée de la mine à Cagnac": where it is, after its name
            last = j
            linked = toks[j - 1].lower_ in _INSTITUTION_LINKS
            if ((w.is_upper or place_population(w.text) and linked) and not _hyphen_joins(toks, j + 1)
                    and not _joined_name_follows(toks, j + 1)):
                break  # "de France", "du MEAE": a place or initials close the name ("Bordeaux-Montaigne" goes on,
                # and "ministère de l'Europe et des Affaires étrangères" names two remits)
        elif _hyphen_joins(toks, j) or _hyphen_joins(toks, j - 1):
            pass  # the hyphen, or the "d'" after it: the name goes on
        elif w.is_lower and (w.pos_ == "ADJ" or w.pos_ == "VERB" and "Part" in w.morph.get("VerbForm", [])
                             and toks[j - 1].pos_ == "NOUN" and last == j - 1):
            last = j  # "régional", and a participle that qualifies the noun before it: "bande dessinée"
        elif w.lower_ == "et" and j + 1 < len(toks) and toks[j + 1].lower_ in {"la", "le", "les", "l'", "l’"}:
            break  # "la Région Sud et la Procirep": a second body, where "et des Affaires étrangères" is a remit
        elif w.lower_ in _INSTITUTION_LINKS:
            pass
        elif w.is_lower and w.pos_ == "NOUN":
            if last > i and toks[last].text[:1].isupper():
                break  # the name was reached: "l'agence de Thiers du quotidien La Montagne" is two names
            if capital and toks[j - 1].lower_ in _INSTITUTION_LINKS:
                last = j  # "Musée de la mine", "Comité régional des pêches"
            elif not capital and not _names_soon(toks, j + 1):
                break  # a lower-case head goes on only towards the name: "communauté de communes de Parthenay"
        else:
            break
        j += 1
    return last


_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_EN_ARTICLES = {"the", "a", "an"}
_TITLE_LINKS = {"at", "with", "of", "in", "on", "for", "to", "and", "from", "by", "&"} | _EN_ARTICLES
_ORG_WORDS = {"court", "bureau", "office", "board", "administration", "service", "services", "trust", "bank", "church",
              "party", "army", "navy"}
"""Heads of English institutions' names besides `kg.extract.lexicon.ORG_HEADS` ("Supreme Court of the United
States", "Bureau of the Census")."""
MAX_TITLE = 8
_POSSESSIVES = {"'s", "’s", "'", "’"}
"""A possessive inside an institution's name ("St Thomas' Hospital"); elsewhere it parts two names ("Google's
Android Studio")."""
_NAMED_FOR = {"hospital", "infirmary", "college", "university", "school", "church", "cathedral", "chapel"}
"""The institutions English names after a saint or a sovereign, with a possessive ("King's College")."""


def title_case_candidates(doc: Doc) -> list[Candidate]:
    """English names written in title case with small words inside: "The Sky at Night", "Girl with a Pearl
    Earring", "Royal College of Nursing".

    NER and the runs of capitals stop at the small word and keep pieces.  The
    whole is a work unless an institution's word names an organisation; a
    bare coordination ("Leeds and Manchester"), a role ("Head of Product")
    or a run that takes in "I" is no name.
    """
    if doc.lang_ != "en":
        return []
    from .tokens import tokens  # (which imports this module)

    tk = tokens(doc)
    out: list[Candidate] = []
    i = 0
    while i < tk.n:
        opens = tk.is_sent_start[i] or (i > 0 and "\n" in tk.text[i - 1])  # a line the parser ran on into: "*Recorded
        # for the Valleys Memory Project…*" under a heading
        if not _title_word(tk, i) or (opens and tk.pos[i] != "PROPN" and not is_article(tk.text[i])):
            i += 1
            continue
        if tk.ent_type[i] in {"DATE", "TIME"} or tk.lower[i].rstrip("s") in _WEEKDAYS or (
                tk.text[i].isupper() and len(tk.text[i]) >= 2 and i + 1 < tk.n and tk.lower[i + 1] in _TITLE_LINKS
                and tk.is_lower[i + 1]):
            # "every second Tuesday at the…": a date opens no title; "DEFRA and the Animal…", "HURIDOCS on Uwazi":
            # initials are a name of their own, not a title's start
            i += 1
            continue
        j, last, joined = i + 1, i, False
        while j < tk.n and j - i < MAX_TITLE:
            if _title_word(tk, j):
                last = j
            elif tk.text[j] in _POSSESSIVES and j + 1 < tk.n and _title_word(tk, j + 1):
                pass  # "St James's University Hospital", "King's College London": kept only as an institution, below
            elif tk.lower[j] in _TITLE_LINKS and tk.is_lower[j] or tk.text[j] == "&":
                if (_title_word(tk, j - 1) and _other_name_follows(tk, j)
                        and not (tk.lower[j] == "of" and _institution(tk, i, j))):
                    break  # "… at the Mauritshuis", "… to London", "… on Fridays": another name, not the title's
                if _two_names_joined(tk, i, j) and not (j == i + 1 and tk.lower[j] in {"and", "&"}
                                                         and tk.ent_type[i] not in PERSON_LABELS | {"GPE"}
                                                         and _institution_follows(tk, j)):
                    # ("Arts and Humanities Research Council", which NER cut in two, is one name)
                    joined = True
                    break  # "Lena Vogt at Bramble Agency", "Mozilla Foundation with PRX": two names, not one title
            else:
                break
            j += 1
        inner = {tk.lower[k] for k in range(i + 1, last) if not _title_word(tk, k)}
        words = [tk.lower[k] for k in range(i, last + 1)]
        institution = any(w in ORG_HEADS or w in _ORG_WORDS for w in words)
        headed = words[-1] in ORG_HEADS or words[-1] in _ORG_WORDS  # "Animal and Plant Health Agency"
        if (last - i >= 2 and inner and (headed or not inner <= {"and", "&"}) and tk.lower[i] not in ROLE_TITLES
                and "i" not in words and (not inner & _POSSESSIVES or _NAMED_FOR & set(words))):
            # a person's possessive before it makes it their work, whatever its words ("Kim Stanley Robinson's The
            # Ministry for the Future"); an institution is no one's
            authored = i >= 2 and tk.text[i - 1] in _POSSESSIVES and tk.ent_type[i - 2] in PERSON_LABELS
            kind: EntityType = "Organisation" if institution and not authored else "Work"
            out.append(Candidate(i, last + 1, "titled", kind))
            i = last + 1
        else:
            i = j if joined else i + 1  # the first name's words start no title of their own
    return out


def _other_name_follows(tk: Tokens, j: int) -> bool:
    """After the small word at ``j`` (and an article), a known place, a date, or initials where something happens
    ("… to London", "… on Fridays", "… at the IIC"), or a town NER and the gazetteer agree on after "in" ("… in
    Frome")."""
    k = j + 1
    while k < tk.n and tk.lower[k] in _EN_ARTICLES:
        k += 1
    if k >= tk.n:
        return False
    text = tk.text[k]
    return (tk.ent_type[k] in {"DATE", "TIME"} or place_population(text) >= 100_000
            or tk.lower[j] in {"at", "in", "from", "with"} and text.isupper() and len(text) >= 2 and tk.is_alpha[k]
            or tk.lower[j] in {"in", "from"} and tk.ent_type[k] in {"GPE", "LOC"} and place_population(text) > 0)


_JOINS = _TITLE_LINKS - _EN_ARTICLES - {"of"}
"""The small words that may join two names ("of" binds a name's own parts: "University of Leeds")."""
_NAME_LABELS = {"PERSON", "PER", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "MISC"}


def _institution_follows(tk: Tokens, j: int) -> bool:
    """After the "and" at ``j``, capitalised words that close on an institution's head word ("… and Humanities
    Research Council", "… and Plant Health Agency")."""
    k = j + 1
    while k < tk.n and k - j <= 5 and _title_word(tk, k):
        k += 1
    return k > j + 1 and (tk.lower[k - 1] in ORG_HEADS or tk.lower[k - 1] in _ORG_WORDS)


def _two_names_joined(tk: Tokens, i: int, j: int) -> bool:
    """The small word at ``j`` sits between two names the NER model found apart: one ending just before it
    (not going on across it), one starting just after it (an article or "Dr" allowed).

    A title's small words join words of one name ("Girl with a Pearl Earring", "Turn Left at Orion"); a
    speaker's sentence joins names: a person and their employer, a museum and its town.  Where the model
    took a part of the title as a name of its own on each side, the run is two names.
    """
    if tk.lower[j] == "by" and j + 1 < tk.n and tk.ent_iob[j + 1] == "B" and tk.ent_type[j + 1] in PERSON_LABELS:
        return True  # "Interview by Hannah Cole": a byline, the work's name before it and its author after
    if tk.lower[j] not in _JOINS or tk.ent_type[j - 1] not in _NAME_LABELS:
        return False
    if tk.ent_iob[j] == "I":
        return False  # the model's name goes on across the small word: one name
    if (tk.ent_type[j - 1] in PERSON_LABELS and tk.ent_iob[i] == "B" and is_first_name(tk.text[i])
            and all(tk.ent_iob[m] == "I" for m in range(i + 1, j))):
        return True  # "Hannah Cole for Resonance Notes": a person's whole name, then where they work or write
    k = j + 1
    coordinated = tk.lower[j] in {"and", "&"}
    while k < tk.n and (tk.lower[k] in _EN_ARTICLES or tk.lower[k].rstrip(".") in HONORIFICS
                        or coordinated and tk.lower[k] in _JOINS) and tk.ent_iob[k] != "B":
        k += 1  # "… in Linz and to CTM Festival": a second place after the coordination
    return k < tk.n and tk.ent_iob[k] == "B" and tk.ent_type[k] in _NAME_LABELS


def _institution(tk: Tokens, i: int, j: int) -> bool:
    return any(tk.lower[k] in ORG_HEADS or tk.lower[k] in _ORG_WORDS for k in range(i, j))


def _title_word(tk: Tokens, k: int) -> bool:
    text = tk.text[k]
    return (text[:1].isupper() and (tk.is_alpha[k] or "'" in text or "-" in text)) or (
        text[:1].isdigit() and k > 0 and tk.text[k - 1][:1].isupper())


SITE_HEADS = {
    "aéroport", "aqueduc", "abbaye", "baie", "basilique", "bois", "butte", "canal", "cap", "carrière", "cathédrale",
    "château", "col", "colline", "coteau", "coteaux", "étang", "fort", "forêt", "gare", "golfe", "île", "lac", "marais",
    "massif", "mont", "plage", "plaine", "plateau", "pont", "port", "quai", "quartier", "rue", "avenue", "boulevard",
    "vallée", "vallon", "jardin", "fleuve", "rivière", "presqu'île", "phare", "moulin", "place",
}
"""French words for named sites: with the name after them, they are the site's name ("la carrière Saint-Pierre",
"le lac d'Annecy", "l'aéroport du Bourget"), which speakers and transcribers write in lower case."""


def site_candidates(doc: Doc) -> list[Candidate]:
    """Named sites in French: a site word, then a capitalised name directly or after "de", "du", "de la", "d'".

    NER finds the capitalised name and sometimes the site word with it, and
    trimming drops a lower-case first word; the site is the whole phrase,
    the way "Fort de Vaujours" is when capitalised.  "la commune de
    Vaujours", "la ville de Paris" are not sites: their name is the town's.
    """
    heads, toks = _heads(doc, SITE_HEADS)
    out: list[Candidate] = []
    for i in heads:
        t = toks[i]
        if not t.is_lower or i + 1 >= len(toks):
            continue  # a capitalised "Fort de Vaujours" is NER's, and "Amis des Coteaux d'Avron" an association's
        if t.lower_ == "place" and i >= 2 and toks[i - 2].lower_ in {"à", "a"}:
            continue  # "à la place de Marie", "à sa place": instead of, not a square
        k = i + 1
        if toks[k].lower_ in {"de", "du", "des", "d'", "d’"}:
            k += 1
            if k < len(toks) and toks[k].lower_ in {"la", "l'", "l’"}:
                k += 1
        if k >= len(toks) or not (toks[k].text[:1].isupper() and (toks[k].is_alpha or "-" in toks[k].text)):
            continue
        end = k + 1  # then more capitalised words (not a town after the name: "place des Carmes Avignon",
        # as speech without commas gives it), and the parts of a hyphenated name
        while end < len(toks) and (_hyphen_joins(toks, end) or _hyphen_joins(toks, end - 1)
                                   or toks[end].text[:1].isupper() and toks[end].is_alpha
                                   and not place_population(toks[end].text)):
            end += 1
        if end - i <= MAX_INSTITUTION:
            out.append(Candidate(i, end, "site", "Place"))
    return out


def region_candidates(doc: Doc) -> list[Candidate]:
    """Places whose name ends in a lower-case word ("l'Amérique latine", "le Pays basque"), looked for whole:
    NER and the capitalised runs give only "Amérique"."""
    from .tokens import tokens

    places = lower_ended_places()
    tk = tokens(doc)
    out = []
    for i in range(tk.n):
        if not (tk.is_alpha[i] and tk.text[i][:1].isupper()):
            continue
        keys = places.get(squash(tk.text[i]))
        if not keys:
            continue
        for j in range(min(tk.n, i + 6), i + 1, -1):  # the longest first
            if tk.is_lower[j - 1] and squash(tk.span_text(i, j)) in keys:
                out.append(Candidate(i, j, "site", "Place"))
                break
    return out


def marked_candidates(doc: Doc, spans: list[tuple[int, int]]) -> list[Candidate]:
    """What the source's markup sets apart in a turn (``spans``: characters of the Doc's text), when it reads as a
    name: a link's text, words in italics or underlined ("[Framasoft](…)", "*A Voyage to Arcturus*").

    Writers of web interviews link and italicise the organisations, people and works they name; a span
    in lower case ("click here", *vraiment*) is emphasis, and one of more than eight words is a passage.
    """
    out = []
    for a, b in spans:
        span = doc.char_span(a, b, alignment_mode="contract")
        if span is None or not 1 <= len(span) <= 8 or "://" in span.text or span.text.startswith("www."):
            continue
        if any(t.text[:1].isupper() or t.text[:1].isdigit() for t in span if t.is_alpha or t.like_num):
            out.append(Candidate(span.start, span.end, "marked"))
    return out


_SPLIT_SOURCES = frozenset({"ner", "propn", "titled", "institution", "event", "site"})
"""Candidates read from the capitals or the NER model, which run on across a sentence that lost its full stop."""
_NAME_OPENERS = frozenset({"saint", "sainte", "st", "ste", "san", "santa", "são", "sao", "mount", "mont", "fort",
                           "port", "cap", "lake", "lac", "prix", "prize", "award", "rue", "avenue", "boulevard",
                           "place", "square", "street", "allée", "quai", "pont", "gare", "stade", "stadium",
                           "maison", "espace", "salle", "résidence", "cité", "collège", "lycée", "école", "hôtel",
                           "hotel", "house", "hall", "villa", "chez", "radio", "les", "des", "du", "de", "von", "van"})
"""Words after which a full name belongs to the name they open: "Prix Albert Londres", "lycée Victor Hugo",
"Saint Jean Baptiste", "Maison Jean Vilar", "Radio Nova"."""
SPOKEN_OPENERS = FILLERS | {"ensuite", "après", "maintenant", "sinon", "aussi", "but", "and"}
"""Words that open a spoken sentence ("Ensuite on a…", "Bah à l'époque…", "So we…")."""
_BREAKS = "kg.name_breaks"


def name_breaks(doc: Doc) -> frozenset[int] | set[int]:
    """The tokens of ``doc`` before which `split_joined` broke a run of capitals: the capitalised word at such a
    token is no part of the name before it, nor is that name part of any name after it."""
    return doc.user_data.get(_BREAKS, frozenset())  # type: ignore[no-any-return]


def _mark_break(doc: Doc, k: int) -> None:
    doc.user_data.setdefault(_BREAKS, set()).add(k)


def recased_people(doc: Doc, people: frozenset[tuple[str, str]]) -> None:
    """A given name and the surname after it that speech in lower case was given capitals for, made one person's
    name on the Doc (`kg.extract.recase`: "andreas malm" read as "Andreas Malm").

    NER reads recased speech poorly: it took "Andreas" for a person and,
    further on, "Malm" for a place.  The capitals came from the lexicons,
    which know the given name and no word spelt like the one after it; such
    a pair is a person's name, and NER's pieces of it give way.
    """
    if not people:
        return
    from spacy.tokens import Span

    from .tokens import set_names, tokens  # (which imports this module)

    tk = tokens(doc)
    found: list[tuple[int, int]] = []
    for i in range(tk.n - 1):
        if (tk.lower[i], tk.lower[i + 1]) in people and tk.text[i][:1].isupper() and tk.text[i + 1][:1].isupper() \
                and tk.whitespace[i] and not (found and found[-1][1] > i):  # "jean paul martin": one pair, the first
            found.append((i, i + 2))
    if not found:
        return
    taken = {k for a, b in found for k in range(a, b)}
    ents = [e for e in doc.ents if not any(k in taken for k in range(e.start, e.end))]
    set_names(doc, sorted(ents + [Span(doc, a, b, label=_person_label(doc)) for a, b in found],
                          key=lambda e: e.start))


def split_joined_entities(doc: Doc) -> None:
    """The NER model's names of ``doc`` broken where a sentence without a full stop ends inside one (`split_joined`).

    Done on the Doc itself, before any candidate is read from it, so that
    every feature that asks what NER made of a word sees two names.
    """
    from spacy.tokens import Span

    from .tokens import set_names, tokens  # (which imports this module)

    tk = tokens(doc)
    ents, broken = [], False
    for e in doc.ents:
        cut, person = _break_inside(tk, e.start, e.end)
        if cut is None:
            ents.append(e)
            continue
        broken = True
        _mark_break(doc, cut)
        if not person or e.label_ not in PERSON_LABELS:
            ents.append(Span(doc, e.start, cut, label=e.label_))
        if person:
            ents.append(Span(doc, cut, e.end, label=_person_label(doc)))
    if broken:
        set_names(doc, ents)


def split_joined(doc: Doc, found: list[Candidate]) -> list[Candidate]:
    """Candidates broken where one sentence of speech written without full stops ends and the next begins.

    Captions and some speech recognition leave the stops out, and one
    sentence's last name runs into the next one's first: "on YouTube Adam
    Block I", "The Sky at Night Patrick Moore was", "du Ségala Bah à
    l'époque"; NER and the runs of capitals take the whole as one name.  Two
    signs part them (`_break_inside`): a person's full name that begins after
    a name which stands alone, and a capitalised word that opens a spoken
    sentence ("Bah", "Ensuite", "So") with a word in lower case after it.
    """
    from .tokens import tokens  # (which imports this module)

    tk = tokens(doc)
    out: list[Candidate] = []
    for c in found:
        cut, person = _break_inside(tk, c.start, c.end) if c.source in _SPLIT_SOURCES else (None, False)
        if cut is None:
            out.append(c)
            continue
        _mark_break(doc, cut)
        out.append(Candidate(c.start, cut, c.source, c.type if not person else None, None,
                             "" if person and c.ner_label in PERSON_LABELS else c.ner_label))
        if person:
            out.append(Candidate(cut, c.end, c.source, None, None, _person_label(doc) if c.ner_label else ""))
    return out


def _person_label(doc: Doc) -> str:
    """The label the Doc's own NER model gives persons: "PER" in the French pipelines, "PERSON" in the English."""
    return "PER" if doc.lang_ == "fr" else "PERSON"


def _break_inside(tk: Tokens, start: int, end: int) -> tuple[int | None, bool]:
    """Where a run of capitals ``start:end`` breaks (`split_joined`), and whether a person's name begins there."""
    for k in range(start + 1, end):
        if spoken_opener(tk, k):
            return k, False
        if k < end - 1 and _person_after(tk, start, k):
            return k, True
    return None, False


def spoken_opener(tk: Tokens, k: int) -> bool:
    """Token ``k`` opens a spoken sentence written without a full stop before it: "la préfecture Ensuite on a",
    "du Ségala Bah à l'époque".  A sentence's first word keeps its capital where the stop went; the word in lower
    case after it says it opens a clause, where a name would go on ("Jon Bon Jovi")."""
    word = tk.text[k]
    return (word[:1].isupper() and word[1:].islower() and tk.lower[k] in SPOKEN_OPENERS
            and FILLER_NAMES.get(tk.lower[k], tk.lang) == tk.lang
            and k + 1 < tk.n and tk.is_alpha[k + 1] and tk.is_lower[k + 1])


def _person_after(tk: Tokens, start: int, k: int) -> bool:
    """A given name of the speakers' countries at ``k`` and a capitalised word after it, after a name that stands
    alone: two words or more, or one written like a product or initials, or a town; neither a given name, an
    article, a role nor the opener of a name given after a person ("Prix", "lycée", "Saint")."""
    before, given, after = tk.text[k - 1], tk.text[k], tk.text[k + 1]
    if not (given_name_here(given) and given[1:].islower() and after[:1].isupper() and tk.is_alpha[k + 1]
            and not is_first_name(after) and not given_name_here(before)):
        return False
    if not (before[:1].isupper() or before[:1].isdigit()) or is_article(before) \
            or tk.lower[k - 1].rstrip(".") in HONORIFICS or tk.lower[k - 1] in ORG_HEADS \
            or tk.lower[k - 1] in ROLE_TITLES or any(tk.lower[i] in _NAME_OPENERS for i in range(start, k)):
        return False
    return k - start >= 2 or not before[1:].islower() or place_population(before) > 0


def ner_candidates(doc: Doc) -> list[Candidate]:
    out = []
    for e in doc.ents:
        if e.label_ not in DROP_NER_LABELS:
            start, end = _whole_words(doc, e.start, e.end)
            start = _with_elided_article(doc, start)
            if e.label_ in PLACE_LABELS:
                end = _longer_place(doc, start, end)
            elif e.label_ in PERSON_LABELS:
                end = _whole_person(doc, start, end)
            out.append(Candidate(start, end, "ner", None, None, e.label_))
    return out


def _with_elided_article(doc: Doc, start: int) -> int:
    """The start of a name that opens with a capitalised "L'" inside a sentence ("associée de L'Atelier Commun",
    "je lis L'Équipe"): French writes the article in lower case unless it is the name's, and NER leaves it out."""
    if start > 0 and doc[start - 1].text in ("L'", "L’") and not doc[start - 1].whitespace_ \
            and not doc[start - 1].is_sent_start and not (start > 1 and "\n" in doc[start - 2].text):
        return start - 1
    return start


PLACE_LABELS = {"LOC", "GPE", "FAC"}
PERSON_LABELS = {"PER", "PERSON"}


def _whole_person(doc: Doc, start: int, end: int) -> int:
    """The end of a person's name NER cut after the given name: "Michael Edwardes sacked him" tagged "Michael".

    Only a lone given name is widened, by one capitalised proper noun that NER left outside every name and
    that is neither a sentence's first word nor a given name itself (two people named in a row).
    """
    if end - start != 1 or end >= len(doc) or not is_first_name(doc[start].text):
        return end
    nxt = doc[end]
    if (nxt.ent_iob_ == "O" and nxt.pos_ == "PROPN" and nxt.is_alpha and nxt.text[:1].isupper() and not nxt.is_upper
            and not nxt.is_sent_start and not is_first_name(nxt.text) and doc[start].whitespace_):
        return end + 1
    return end


def _longer_place(doc: Doc, start: int, end: int) -> int:
    """The end of the longest known place that a place name begins: "Amérique" of "Amérique latine".

    NER often stops at the capitalised word, while the words after it, written in lower case,
    belong to the name of a region ("Amérique latine", "Asie du Sud-Est").
    """
    for extra in (4, 3, 2, 1):
        stop = end + extra
        if stop <= len(doc) and not any(t.is_punct and t.text not in {"-", "'", "’"} for t in doc[end:stop]) \
                and place_population(doc[start:stop].text) > place_population(doc[start:end].text):
            return stop
    return end


def _whole_words(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Widen a span that stops inside a hyphenated word: "Port" of "Port-au-Prince" is the whole name.

    The English tokenizer splits such words at their hyphens and its NER
    often takes only the first part; a name never ends in the middle of a
    written word.
    """
    def elided(k: int) -> bool:  # doc[k] is the "d'" of "Côtes-d'Armor", split from the word it joins
        return k + 1 < len(doc) and doc[k].lower_ in _ELIDED and not doc[k].whitespace_ and doc[k + 1].is_alpha

    def joined(k: int) -> bool:  # doc[k] is a hyphen (or the slash of "TCP/IP") between two words, without spaces
        if not (0 < k < len(doc) - 1 and not doc[k - 1].whitespace_ and not doc[k].whitespace_
                and (doc[k + 1].is_alpha or doc[k].text != "/" and elided(k + 1))):
            return False
        return doc[k].text in {"-", "‑"} or doc[k].text == "/" and doc[k - 1].is_upper and doc[k + 1].is_upper

    if end - start > 1 and joined(end - 1):  # "Port-au-" of "Port-au-Prince": the NER stopped on the hyphen
        end += 1
    if end - start > 1 and elided(end - 1) and joined(end - 2):  # "Côtes-d'": it stopped on the elision
        end += 1
    while joined(end) and end - start < 8:
        end += 3 if elided(end + 1) else 2
    while joined(start - 1) and end - start < 8:
        start -= 2
    return start, end
