"""The consent file, the public edition of a graph and the leak check, on hand-made graphs (no model)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from consent_corpus import fabricate

from kg.consent.edit import CUT, public_edition
from kg.consent.forms import Matcher, name_forms
from kg.consent.leaks import LeakFinder
from kg.consent.profile import parse_consent
from kg.errors import ConsentError
from kg.model import KnowledgeGraph

TODAY = dt.date(2030, 6, 1)

GOOD = """\
interviews:
  atelier: open
  archive: {status: restricted, until: 2031-01-01, reason: embargo}
  later: restricted until 2029-01-01
  brouillon: closed
people:
  Alexia Mathieu: {status: pseudonymise, aliases: [Alexia], reason: interviewer}
  Mario Klingemann: hide
  Nicolas Barradeau: public
  Inès Marchand: {status: pseudonymise, pseudonym: Témoin B}
passages:
  - {interview: atelier, turn: 2, reason: private}
  - {interview: atelier, start: 3, end: 9}
"""


def test_parse_reads_every_kind_of_entry() -> None:
    c = parse_consent(GOOD)
    statuses = {iv.id: (iv.status, iv.until) for iv in c.interviews}
    assert statuses == {"atelier": ("open", None), "archive": ("restricted", dt.date(2031, 1, 1)),
                        "later": ("restricted", dt.date(2029, 1, 1)), "brouillon": ("closed", None)}
    assert [iv.id for iv in c.interviews if iv.is_open(TODAY)] == ["atelier", "later"]
    people = {p.name: (p.status, p.pseudonym) for p in c.people}
    assert people["Alexia Mathieu"] == ("pseudonymise", "Person 1")  # numbered in the file's order
    assert people["Inès Marchand"] == ("pseudonymise", "Témoin B")
    assert people["Mario Klingemann"] == ("hide", "")
    assert [(p.turn, p.start, p.end, p.line) for p in c.passages] == [(2, None, None, 12), (None, 3, 9, 13)]
    assert set(c.restricted_forms()) >= {"Alexia Mathieu", "alexia", "mathieu", "klingemann", "ines", "marchand"}
    assert "nicolas" not in c.restricted_forms()


@pytest.mark.parametrize(("text", "line", "words"), [
    ("people:\n  Alexia: {status: pseudo}\n", 2, "status 'pseudo'"),
    ("interviews:\n  a: open\n  b: restricted until someday\n", 3, "restricted needs a date"),
    ("interviews:\n  a: {status: closed, until: 2030-01-01}\n", 2, "'until' only goes with"),
    ("people:\n  A B: public\npassages:\n  - {interview: x, start: 9, end: 3}\n", 4, "start < end"),
    ("passages:\n  - {interview: x, turn: 1, start: 3, end: 9}\n", 2, "not both"),
    ("passages:\n  - {turn: 1}\n", 2, "interview's id"),
    ("people:\n  A B: {status: public, pseudonym: X}\n", 2, "only goes with status pseudonymise"),
    ("people:\n  Alexia Mathieu: {status: pseudonymise, pseudonym: Mathieu R}\n", 2, "contains the restricted name"),
    ("people:\n  A B: {status: hide, colour: red}\n", 2, "unknown key 'colour'"),
    ("persons:\n  A: public\n", 1, "unknown key 'persons'"),
    ("people:\n  - Alexia\n", 1, "must be a mapping"),
    ("people:\n  Alexia: [public\n", 3, "not valid YAML"),
])
def test_a_malformed_file_is_one_line_naming_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ConsentError) as e:
        parse_consent(text, "consent.yaml")
    message = str(e.value)
    assert "\n" not in message
    assert message.startswith(f"consent.yaml: line {line}: "), message
    assert words in message


def test_forms_are_the_name_and_its_words_less_particles() -> None:
    assert name_forms(["Jean de La Fontaine"]) == ("Jean de La Fontaine", "jean", "fontaine")
    assert name_forms(["Alexia Mathieu"]) == ("Alexia Mathieu", "mathieu alexia", "alexia", "mathieu")


@pytest.mark.parametrize("written", ["Alexia Mathieu", "ALEXIA  MATHIEU", "alexia-mathieu", "AlexiaMathieu",
                                     "Alèxia_Mathieu", "Mathieu", "alexia"])
def test_the_matcher_replaces_every_spelling_in_place(written: str) -> None:
    matcher = Matcher(dict.fromkeys(name_forms(["Alexia Mathieu"]), "Person 1"))
    assert matcher.sub(f"avec {written}, puis") == "avec Person 1, puis"
    assert matcher.sub("Alexandre et Mathieux") == "Alexandre et Mathieux"  # whole words only
    assert matcher.sub("merci Alexia.\n\nMathieu: oui") == "merci Person 1.\n\nPerson 1: oui"  # not across lines


def _graph() -> KnowledgeGraph:
    turns = [
        ("Alexia Mathieu", [[("Bonjour ", None), ("Nicolas", "Nicolas Barradeau"), (".", None)],
                            [("Tu as vu ", None), ("Mario Klingemann", "Mario Klingemann"), (" hier ?", None)]]),
        ("Nicolas Barradeau", [[("Oui, avec ", None), ("Alexia", "Alexia Mathieu"), (" et ", None),
                                ("Mario", "Mario Klingemann"), (".", None)]]),
        ("Nicolas Barradeau", [[("Ma soeur ", None), ("Inès Marchand", "Inès Marchand"), (" code.", None)]]),
    ]
    return fabricate([("atelier", turns), ("brouillon", turns), ("archive", turns)],
                     speakers=[("Alexia Mathieu", "Alexia"), ("Nicolas Barradeau", "Nicolas")])


def _check_offsets(kg: KnowledgeGraph) -> None:
    for iv in kg.interviews:
        for t in iv.turns:
            assert iv.text[t.start:t.end] == t.text
            for s in t.sentences:
                assert iv.text[s.start:s.end] == s.text
                for m in s.mentions:
                    assert iv.text[m.start:m.end] == m.text


def test_the_edition_pseudonymises_hides_cuts_and_closes() -> None:
    consent = parse_consent(GOOD.replace("turn: 2", "turn: 3").replace("start: 3, end: 9", "start: 0, end: 1"))
    edition = public_edition(_graph(), consent, today=TODAY)
    kg = edition.graph
    _check_offsets(kg)
    atelier, brouillon, archive = kg.interviews
    assert brouillon.text == "" and brouillon.turns == () and archive.turns == ()
    assert atelier.text.startswith(f"{CUT}: Bonjour")  # the range 0-1 took the whole name it cut into
    assert atelier.turns[1].text == f"Oui, avec Person 1 et {CUT}."
    assert atelier.turns[2].text == CUT  # turn 3 withheld
    assert [t.speaker for t in atelier.turns] == ["Person 1", "Nicolas Barradeau", "Nicolas Barradeau"]
    assert [m.text for m in atelier.mentions] == ["Nicolas", "Person 1"]  # Mario hidden with his mentions
    assert {e.id: e.label for e in kg.entities} == {"person/person-1": "Person 1",
                                                    "person/nicolas-barradeau": "Nicolas Barradeau"}
    assert all(r.interview == "atelier" for e in kg.entities for r in e.mentions)
    assert kg.provenance["edition"] == "public" and kg.provenance["access_rights"]
    finder = LeakFinder(edition.forms)
    for iv in kg.interviews:
        assert finder.in_text(iv.text) == {}
    assert edition.warnings == ("the consent file names interviews not in the corpus: later",)


def test_names_and_interviews_not_in_the_corpus_are_warned_of() -> None:
    consent = parse_consent("interviews:\n  nowhere: closed\npeople:\n  Zorglub Inconnu: hide\n"
                            "  Nicolas Barradeau: public\npassages:\n  - {interview: atelier, turn: 99}\n")
    warnings = public_edition(_graph(), consent, today=TODAY).warnings
    assert any("not found in the corpus: Zorglub Inconnu" in w for w in warnings), warnings
    assert any("not in the corpus: nowhere" in w for w in warnings), warnings
    assert any("no turn 99" in w for w in warnings), warnings


def test_the_leak_finder_sees_through_escapes_and_file_names(tmp_path: Path) -> None:
    finder = LeakFinder(name_forms(["Alexia Mathieu"]))
    (tmp_path / "a.ttl").write_text("<https://x.org/person/alexia\\-mathieu> .\n")
    (tmp_path / "b.json").write_text('{"x": "\\u0041lexia"}')
    (tmp_path / "c.html").write_text("<p>&#77;athieu</p> <a href='q?n=Alexia%20Mathieu'>")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "mathieu.txt").write_text("rien")
    (tmp_path / "d.txt").write_text("C:\\Users\\Alexia\\notes")  # a backslash that escapes nothing
    (tmp_path / "clean.txt").write_text("Alexandre Mathieux, alexiam")
    found = {(leak.file, leak.form) for leak in finder.in_folder(tmp_path)}
    assert found >= {("a.ttl", "Alexia Mathieu"), ("b.json", "alexia"), ("c.html", "mathieu"),
                     ("c.html", "Alexia Mathieu"), ("sub/mathieu.txt", "mathieu"), ("d.txt", "alexia")}
    assert not any(f == "clean.txt" for f, _ in found)


def test_a_hidden_speaker_speaks_as_no_one() -> None:
    kg = public_edition(_graph(), parse_consent("people:\n  Alexia Mathieu: hide\n"), today=TODAY).graph
    _check_offsets(kg)
    atelier = kg.interviews[0]
    assert [(t.speaker, t.label) for t in atelier.turns] == [(None, None), ("Nicolas Barradeau", "Nicolas"),
                                                             ("Nicolas Barradeau", "Nicolas")]
    assert [p.name for p in atelier.participants] == ["Nicolas Barradeau"]
    assert atelier.text.startswith(f"{CUT}: Bonjour") and "lexia" not in atelier.text
    assert "Person 1" not in atelier.text  # hidden, not pseudonymised


def test_time_anchors_follow_the_edited_text() -> None:
    from dataclasses import replace

    graph = _graph()
    iv = graph.interviews[0]
    turn = iv.turns[1]  # "Oui, avec Alexia et Mario."
    anchors = ((turn.start, 10.0), (turn.start + turn.text.index(" et "), 11.5), (turn.end, 12.0))
    timed = replace(iv, turns=(iv.turns[0], replace(turn, times=anchors), iv.turns[2]))
    graph = replace(graph, interviews=(timed, *graph.interviews[1:]))
    edited = public_edition(graph, parse_consent("people:\n  Alexia Mathieu: pseudonymise\n  Mario Klingemann: hide\n"),
                            today=TODAY).graph.interviews[0].turns[1]
    assert edited.text == f"Oui, avec Person 1 et {CUT}."
    at = [offset for offset, _ in edited.times]
    assert at == [edited.start, edited.start + edited.text.index(" et "), edited.end]
    assert [seconds for _, seconds in edited.times] == [10.0, 11.5, 12.0]


def test_an_occupation_goes_with_a_pseudonym_and_names_no_one_withheld() -> None:
    """A curated occupation says who someone is: a pseudonymised person loses it, and another person's keeps
    no name the edition replaces ("frère d'Inès Marchand" would undo the pseudonym)."""
    from dataclasses import replace

    graph = _graph()
    jobs = {"person/ines-marchand": "développeuse", "person/nicolas-barradeau": "frère d'Inès Marchand"}
    graph = replace(graph, entities=tuple(replace(e, occupation=jobs.get(e.id, "")) for e in graph.entities))
    assert {e.id: e.occupation for e in graph.entities if e.occupation} == jobs  # the fixture holds them
    edition = public_edition(graph, parse_consent(GOOD), today=TODAY)
    occupations = {e.id: e.occupation for e in edition.graph.entities}
    assert occupations == {"person/temoin-b": "", "person/nicolas-barradeau": "frère d'Témoin B"}
    assert LeakFinder(edition.forms).in_text(" ".join(occupations.values())) == {}
