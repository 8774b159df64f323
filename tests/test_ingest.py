"""Ingestion: every transcript format, speaker resolution, offsets, discovery and bad input."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from kg.errors import InputError, KgError, TranscriptFormatError, UnknownNameError
from kg.ingest import FORMATS, discover, read_transcript
from kg.model import Interview, Participant

FORMATS_DIR = Path(__file__).resolve().parent / "fixtures" / "formats"
I, E, P = "interviewer", "interviewee", "participant"  # noqa: E741 (roles in the tables below)


def speech(iv: Interview) -> list:
    return [t for t in iv.turns if t.kind == "speech"]


def written(path: Path, text: str) -> Path:
    """``text`` written to ``path`` in UTF-8: a transcript made for one test."""
    path.write_text(text, encoding="utf-8")
    return path


def participant(iv: Interview, name: str) -> Participant:
    """The participant of that name, who must be there."""
    found = iv.participant(name)
    assert found is not None, f"no participant {name!r}"
    return found


def assert_offsets(iv: Interview) -> None:
    """The invariant every stage relies on: spans index the NFC text exactly."""
    assert unicodedata.is_normalized("NFC", iv.text)
    last = 0
    for i, t in enumerate(iv.turns, start=1):
        assert t.index == i
        assert 0 <= t.start < t.end <= len(iv.text)
        assert iv.text[t.start:t.end] == t.text
        assert t.text == t.text.strip(), "turn text is trimmed"
        assert t.start >= last, "turns do not overlap and come in order"
        last = t.end


# file, format, speech turns, speakers in order (first four), roles, language, title, date
CASES = [
    ("cms-fr.txt", "cms", 4, ["Marc Dubreuil", "Léa Fontaine", "Marc Dubreuil", "Léa Fontaine"],
     {"Marc Dubreuil": I, "Léa Fontaine": E}, "fr", "Léa Fontaine, typographie et réseaux de neurones", "2023-05-12"),
    ("plain-bold-en.md", "plain", 4, ["Owen Castillo", "Priya Raman", "Owen Castillo", "Priya Raman"],
     {"Owen Castillo": I, "Priya Raman": E}, "en",
     "Sound, code and patience: a conversation with Priya Raman", "2024-01-20"),
    ("plain-bold-outside.md", "plain", 4, ["Claire Vidal", "Hugo Leroy", "Claire Vidal", "Hugo Leroy"],
     {"Claire Vidal": I, "Hugo Leroy": E}, "fr", "plain-bold-outside", None),
    ("plain-names-fr.txt", "plain", 4, ["Camille Rousseau", "Julien Mercier", "Camille Rousseau", "Julien Mercier"],
     {"Camille Rousseau": I, "Julien Mercier": E}, "fr", "plain-names-fr", None),
    ("plain-caps-fr.txt", "plain", 4, ["Sophie", "Antoine", "Sophie", "Antoine"],
     {"Sophie": I, "Antoine": E}, "fr", "plain-caps-fr", None),
    ("header-fr.txt", "plain", 4, ["Nadia Benali", "Gérard Chevalier", "Nadia Benali", "Gérard Chevalier"],
     {"Nadia Benali": I, "Gérard Chevalier": E}, "fr", "La mémoire des métiers à tisser", "2021-11-03"),
    ("header-en.txt", "plain", 4, ["Jane Doe", "Tomás Ortega", "Jane Doe", "Tomás Ortega"],
     {"Jane Doe": I, "Tomás Ortega": E}, "en", "Weaving archives into datasets", "2022-06-30"),
    ("roles-header-en.txt", "plain", 4, ["Jane Doe", "Tomás Ortega", "Jane Doe", "Tomás Ortega"],
     {"Jane Doe": I, "Tomás Ortega": E}, "en", "roles-header-en", None),
    ("roles-en.txt", "plain", 4, [None, None, None, None], {}, "en", "roles-en", None),
    ("qa-en-meta.txt", "qa", 4, ["Ruth Okafor", "Daniel Kim", "Ruth Okafor", "Daniel Kim"],
     {"Ruth Okafor": I, "Daniel Kim": E}, "en", "Maps that listen", "2024-02-02"),
    ("qa-fr-nometa.txt", "qa", 4, [None, None, None, None], {}, "fr", "qa-fr-nometa", None),
    ("ts-bracket-en.txt", "timestamped", 4, ["Maya Chen", "Luis Ferreira", "Maya Chen", "Luis Ferreira"],
     {"Maya Chen": I, "Luis Ferreira": E}, "en", "ts-bracket-en", None),
    ("ts-paren-fr.txt", "timestamped", 4, ["Élise Martin", "Karim Haddad", "Élise Martin", "Karim Haddad"],
     {"Élise Martin": I, "Karim Haddad": E}, "fr", "ts-paren-fr", None),
    ("ts-line-fr.txt", "timestamped", 4, ["Inès Garnier", "Paul Lefèvre", "Inès Garnier", "Paul Lefèvre"],
     {"Inès Garnier": I, "Paul Lefèvre": E}, "fr", "ts-line-fr", None),
    ("vtt-voice-en.vtt", "vtt", 4, ["Hannah Weiss", "Kofi Mensah", "Hannah Weiss", "Kofi Mensah"],
     {"Hannah Weiss": I, "Kofi Mensah": E}, "en", "vtt-voice-en", None),
    ("vtt-novoice-fr.vtt", "vtt", 4, ["Chloé", "Mathis", "Chloé", "Mathis"],
     {"Chloé": I, "Mathis": E}, "fr", "vtt-novoice-fr", None),
    ("srt-caps-fr.srt", "srt", 4, ["Zoé", "Rémi", "Zoé", "Rémi"], {"Zoé": I, "Rémi": E}, "fr", "srt-caps-fr", None),
    ("srt-dash-en.srt", "srt", 4, [None, None, None, None], {}, "en", "srt-dash-en", None),
    ("no-turns-en.txt", "plain", 1, [None], {}, "en", "no-turns-en", None),
    ("dash-dialogue-fr.txt", "plain", 10, [None, None, None, None], {}, "fr", "dash-dialogue-fr", None),
    # the introduction names who answers, after a word of address ("Interview with Dr. Amara Osei, …")
    ("qa-dot-en.txt", "qa", 8, [None, "Amara Osei", None, "Amara Osei"], {"Amara Osei": E}, "en", "qa-dot-en", None),
    ("initials-fr.txt", "plain", 8, ["Julie Durand", "Nicolas Barradeau", "Julie Durand", "Nicolas Barradeau"],
     {"Julie Durand": I, "Nicolas Barradeau": E}, "fr", "initials-fr", None),
    ("bold-alone-fr.md", "plain", 6, [None, "Nicolas Barradeau", None, "Nicolas Barradeau"], {}, "fr",
     "bold-alone-fr", None),
    ("talk-en.md", "plain", 5, [None, "Sarah Lindqvist", None, None], {"Sarah Lindqvist": E}, "en",
     "talk-en", None),
    ("role-name-en.txt", "plain", 6, ["Rachel Greenberg", "Alan Whitaker", "Rachel Greenberg", "Alan Whitaker"],
     {"Rachel Greenberg": I, "Alan Whitaker": E}, "en", "role-name-en", None),
    ("list-bold-en.md", "plain", 6, ["Mark Ellis", "Lina Sørensen", "Mark Ellis", "Lina Sørensen"],
     {"Mark Ellis": I, "Lina Sørensen": E}, "en", "list-bold-en", None),
    ("chevrons-en.txt", "plain", 6, [None, None, None, None], {}, "en", "chevrons-en", None),
    ("dash-sep-fr.txt", "plain", 6, ["Sophie Marchal", "Pierre-Yves Gosset", "Sophie Marchal", "Pierre-Yves Gosset"],
     {"Sophie Marchal": I, "Pierre-Yves Gosset": E}, "fr", "dash-sep-fr", None),
    ("asr-lines-en.txt", "segments", 1, [None], {}, "en", "asr-lines-en", None),
    ("blog-questions-en.md", "plain", 6, ["Tom Reeves", "Aïcha Benali", "Tom Reeves", "Aïcha Benali"],
     {"Tom Reeves": I, "Aïcha Benali": E}, "en", "Five questions for Aïcha Benali", "2023-04-11"),
    ("theatre-fr.txt", "plain", 6, ["Léa Morel", "Nicolas Barradeau", "Léa Morel", "Nicolas Barradeau"],
     {"Léa Morel": I, "Nicolas Barradeau": E}, "fr", "theatre-fr", None),
    ("vtt-chevrons-en.vtt", "vtt", 4, [None, None, None, None], {}, "en", "vtt-chevrons-en", None),
    ("ts-after-label-fr.txt", "timestamped", 4, ["Marie Dupont", "Paul Martin", "Marie Dupont", "Paul Martin"],
     {"Marie Dupont": I, "Paul Martin": E}, "fr", "ts-after-label-fr", None),
    ("caps-alone-fr.txt", "plain", 4, ["Léa Morel", "Nicolas Barradeau", "Léa Morel", "Nicolas Barradeau"],
     {"Léa Morel": I, "Nicolas Barradeau": E}, "fr", "caps-alone-fr", None),
    # the introduction names both: "Sandrine Rey dirige… Entretien réalisé par Yann Morin."
    ("blog-html-fr.md", "plain", 6, ["Yann Morin", "Sandrine Rey", "Yann Morin", "Sandrine Rey"],
     {"Yann Morin": I, "Sandrine Rey": E}, "fr", "blog-html-fr", None),
    ("markers-fr.txt", "plain", 8, ["Claire Fontaine", "Henri Lacombe", "Claire Fontaine", "Henri Lacombe"],
     {"Claire Fontaine": I, "Henri Lacombe": E}, "fr", "markers-fr", "8 octobre 2019"),
]
ALL_FIXTURES = sorted(p.name for p in FORMATS_DIR.iterdir())


def test_every_fixture_has_a_case() -> None:
    assert sorted(c[0] for c in CASES) == ALL_FIXTURES


@pytest.mark.parametrize("name,fmt,n,speakers,roles,lang,title,date", CASES, ids=[c[0] for c in CASES])
def test_format(name, fmt, n, speakers, roles, lang, title, date) -> None:
    iv = read_transcript(FORMATS_DIR / name)
    assert iv.source_format == fmt
    turns = speech(iv)
    assert len(turns) == n
    assert [t.speaker for t in turns][: len(speakers)] == speakers
    assert {p.name: p.role for p in iv.participants if p.name in roles} == roles
    assert iv.language == lang
    assert (iv.title, iv.date) == (title, date)
    assert iv.encoding == "utf-8"
    assert len(iv.checksum) == 64
    assert_offsets(iv)


@pytest.mark.parametrize("name", [n for n in ALL_FIXTURES])
def test_crlf_gives_the_same_turns(name: str, tmp_path: Path) -> None:
    data = (FORMATS_DIR / name).read_bytes()
    assert b"\r" not in data
    crlf = tmp_path / name
    crlf.write_bytes(data.replace(b"\n", b"\r\n"))
    lf, cr = read_transcript(FORMATS_DIR / name), read_transcript(crlf)
    assert_offsets(cr)
    assert cr.source_format == lf.source_format
    assert (cr.title, cr.date, cr.language) == (lf.title, lf.date, lf.language)
    assert [(t.kind, t.speaker, t.text.replace("\r\n", "\n")) for t in cr.turns] == [
        (t.kind, t.speaker, t.text) for t in lf.turns
    ]


def test_turn_texts_and_timestamps() -> None:
    iv = read_transcript(FORMATS_DIR / "ts-bracket-en.txt")
    assert [t.timestamp for t in iv.turns] == ["00:00:05", "00:00:12", "00:01:40", "00:01:44"]
    assert iv.turns[1].text == "It was a drawing machine made of a shoebox and two servos.\nIt mostly drew spirals."
    iv = read_transcript(FORMATS_DIR / "ts-line-fr.txt")
    assert iv.turns[1].text.startswith("Je suis luthier") and iv.turns[1].timestamp == "00:00:09"
    iv = read_transcript(FORMATS_DIR / "ts-paren-fr.txt")
    assert iv.turns[0].text == "Bonjour Karim, on peut commencer ?"


def test_cms_fields_and_note() -> None:
    iv = read_transcript(FORMATS_DIR / "cms-fr.txt")
    notes = [t for t in iv.turns if t.kind == "note"]
    assert [t.text for t in notes] == ["Entretien réalisé à Genève, dans l'atelier de Léa."]
    assert participant(iv, "Léa Fontaine").url == "https://lea-fontaine.example"
    assert participant(iv, "Marc Dubreuil").labels == ("Marc",)
    # a "Word:" line inside a bold-labelled turn is prose, and the turn runs on to the next label
    assert "Remarque: le résultat était affreux.\n\nMais ça m'a donné envie" in iv.turns[2].text
    assert iv.turns[-1].text.endswith("🙂.")


def test_prose_colons_are_not_speakers() -> None:
    iv = read_transcript(FORMATS_DIR / "plain-names-fr.txt")
    assert "Voilà le principe : on marche" in iv.turns[1].text
    assert "Résultat: des cartes que personne ne sait lire" in iv.turns[1].text
    iv = read_transcript(FORMATS_DIR / "plain-bold-en.md")
    assert "Note: she still plays the cello every morning." in speech(iv)[1].text
    assert {p.name for p in iv.participants} == {"Owen Castillo", "Priya Raman"}


def test_markdown_heading_before_first_turn_is_a_note() -> None:
    iv = read_transcript(FORMATS_DIR / "plain-bold-outside.md")
    # the heading's "#" is markup, blanked in the text (offsets unchanged)
    assert (iv.turns[0].kind, iv.turns[0].text) == ("note", "Atelier ouvert")
    assert iv.text[iv.turns[0].start - 2:iv.turns[0].start] == "  "


def test_header_is_not_a_turn_and_roles_are_not_names() -> None:
    iv = read_transcript(FORMATS_DIR / "roles-en.txt")
    assert iv.participants == ()
    assert [t.label for t in speech(iv)] == ["Interviewer", "Interviewee"] * 2
    assert speech(iv)[0].text == "so tell me, how did the residency start?"
    iv = read_transcript(FORMATS_DIR / "roles-header-en.txt")
    assert iv.metadata["interviewer"] == "Jane Doe"
    assert speech(iv)[0].text == "so tell me, where did the loom come from?"


def test_qa_without_metadata_keeps_role_labels() -> None:
    iv = read_transcript(FORMATS_DIR / "qa-fr-nometa.txt")
    assert [t.label for t in iv.turns] == ["Question", "Réponse"] * 2
    assert iv.turns[1].text.startswith("Depuis 2008")


def test_dash_dialogue_opens_a_turn_per_dash() -> None:
    iv = read_transcript(FORMATS_DIR / "dash-dialogue-fr.txt")
    raw = (FORMATS_DIR / "dash-dialogue-fr.txt").read_text(encoding="utf-8")
    assert iv.turns[0].kind == "note" and iv.turns[0].text.startswith("Entretien avec Margaux Pellerin")
    said = [t.text for t in speech(iv)]
    assert said[0] == "Bonjour Margaux. Pouvez-vous nous parler de vos débuts ?"
    assert said[4] == "Vous utilisiez déjà des outils numériques ?"  # an en dash opens a turn too
    assert all(t.label is None and raw[t.start:t.end] == t.text for t in speech(iv))
    assert not any(t.text[0] in "—–" for t in iv.turns)


def test_caption_chevrons_open_unnamed_turns() -> None:
    iv = read_transcript(FORMATS_DIR / "chevrons-en.txt")
    assert [t.text for t in iv.turns][:2] == [
        "Welcome back to The Data Hour. I'm here with Priya Natarajan from the Alan Turing Institute.",
        "Thanks for having me.",
    ]
    assert all(t.label is None and t.kind == "speech" for t in iv.turns)


def test_dash_instead_of_colon_after_a_name(tmp_path: Path) -> None:
    iv = read_transcript(FORMATS_DIR / "dash-sep-fr.txt")
    assert speech(iv)[1].text.startswith("En 2008. À l'époque")
    f = tmp_path / "d.txt"  # a dated place line above such turns is not a speaker
    f.write_text("Marseille – 12 mai 2022\n\n" + (FORMATS_DIR / "dash-sep-fr.txt").read_text(encoding="utf-8"),
                 encoding="utf-8")
    iv = read_transcript(f)
    assert iv.turns[0].kind == "note" and iv.turns[0].text == "Marseille – 12 mai 2022"


def test_blog_question_headings_are_the_interviewers_turns() -> None:
    iv = read_transcript(FORMATS_DIR / "blog-questions-en.md")
    said = [(t.label, t.text) for t in speech(iv)]
    assert said[:2] == [("Q", "How did you come to work on Gallica?"), ("A", (
        "I joined the BnF in 2012 as a cataloguer. Within a year I was helping the Gallica team with metadata, "
        "and I never left."))]
    assert said[3][1].endswith("the British Library and the Bodleian.")  # the embed under it is blanked
    assert iv.turns[3].kind == "note" and iv.turns[3].text.startswith("Aïcha Benali leads")


def test_blog_question_headings_in_html() -> None:
    iv = read_transcript(FORMATS_DIR / "blog-html-fr.md")
    assert [(t.label, t.text) for t in speech(iv)][2:4] == [
        ("Q", "Quels outils utilisez-vous ?"),
        ("A", "Surtout AtoM et Archivematica, et un peu de Python pour les exports."),
    ]
    assert not any("<" in t.text or "#" in t.text for t in iv.turns)


def test_a_saved_web_page_is_read_as_a_transcript(tmp_path: Path) -> None:
    page = ("<!DOCTYPE html>\n<html><head><title>Entretien</title><style>p{color:red}</style></head>\n<body>\n"
            "<h1>Entretien avec Léa Morel</h1>\n"
            "<p><strong>Question :</strong> Comment avez-vous découvert OpenStreetMap ?</p>\n"
            "<p><strong>Léa Morel :</strong> À Grenoble, avec QGIS.</p>\n"
            "<script>var x = \"Microsoft\";</script>\n</body></html>\n")
    (tmp_path / "entretien.html").write_text(page, encoding="utf-8")
    [path] = discover([tmp_path])
    iv = read_transcript(path)
    said = [(t.label, t.text) for t in speech(iv)]
    assert said == [("Question", "Comment avez-vous découvert OpenStreetMap ?"),
                    ("Léa Morel", "À Grenoble, avec QGIS.")]
    assert "Microsoft" not in iv.text and "color" not in iv.text and iv.text[page.index("Grenoble"):].startswith("Gren")


def test_a_builds_own_page_beside_the_transcripts_is_not_read_as_one(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Alice: Bonjour.\nBob: Salut.\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.html").write_text('<!DOCTYPE html><html><head><meta name="generator" content="kg 0.1.0">'
                                    "</head><body><p>Alice</p></body></html>", encoding="utf-8")
    (out / "notes.html").write_text("<p><strong>Alice :</strong> Bonjour.</p>", encoding="utf-8")
    assert [p.name for p in discover([tmp_path])] == ["a.txt", "notes.html"]


@pytest.mark.parametrize("question, answer", [
    ("> Comment êtes-vous arrivée au climat ?", "Par une thèse à Brest."),
    ("> Et le calcul, il pèse\n> combien, au juste ?", "Beaucoup."),  # a question quoted over two lines
    ("*Quels outils utilisez-vous ?*", "Fortran et Python."),
    ("_Et ensuite ?_", "Météo-France."),
])
def test_questions_set_in_block_quotes_or_italics_are_the_interviewers_turns(
        tmp_path: Path, question: str, answer: str) -> None:
    f = tmp_path / "q.md"
    quoted = "> « On apprend en simulant. »"  # a passage quoted inside an answer is not a question
    f.write_text(f"# Entretien\n\n{question}\n\n{answer}\n\n{quoted}\n\n{question}\n\nEncore.\n",
                 encoding="utf-8")
    said = [(t.label, " ".join(t.text.split())) for t in speech(read_transcript(f))]
    plain_question = " ".join(question.replace(">", " ").strip("*_ ").split())
    assert said == [("Q", plain_question), ("A", f"{answer} « On apprend en simulant. »"),
                    ("Q", plain_question), ("A", "Encore.")]


@pytest.mark.parametrize("text", [
    "# Notes\n\n## Why Omeka?\n\nBecause it was free.\n\n## Installing\n\nRun the installer.\n",
    "Alice: Why Omeka?\n\n## Why not?\n\nBob: It was free.\n\n## Really?\n\nAlice: Yes.\nBob: Fine.\n",
])
def test_question_headings_without_an_interview_shape(tmp_path: Path, text: str) -> None:
    f = tmp_path / "q.md"
    f.write_text(text, encoding="utf-8")
    assert "Q" not in [t.label for t in read_transcript(f).turns]  # one question, or labels already


@pytest.mark.parametrize("text", [
    # quotations signed with a dash, then unlabelled speech: attributions, not turns
    "Intro.\n\n« Le tracteur, c'est pour tout le monde. »\n— Agathe\n\n« On apprend en faisant. »\n— Clélia\n\n"
    "« Il faut du temps. »\n— Hannane Somi\n\nEt puis on a parlé de l'Atelier Paysan.\n",
    # one quoted exchange inside a long unlabelled transcript
    "\n".join(["Nous avons parlé longtemps de la coopérative et de ses machines."] * 12)
    + "\n— Et alors ?\n— Alors rien.\n— Vraiment ?\n" + "\n".join(["La suite se passe à Die."] * 10) + "\n",
])
def test_dashes_in_prose_are_not_dialogue(tmp_path: Path, text: str) -> None:
    f = tmp_path / "prose.txt"
    f.write_text(text, encoding="utf-8")
    iv = read_transcript(f)
    assert len(iv.turns) == 1 and iv.turns[0].label is None


def test_a_dash_before_a_label_opens_a_labelled_turn(tmp_path: Path) -> None:
    """French print may open each line of an interview with a dash, then the speaker: "— Marie : …"; the labels
    were lost. A word before a colon on a dashed line that is no speaker stays text."""
    f = tmp_path / "tirets.txt"
    f.write_text("— Claire Besson : Vous travaillez où ?\n— Nadia Ferrand : À Lyon : chez Renault.\n"
                 "— Claire Besson : Depuis quand ?\n— Nadia Ferrand : Bon : depuis 2010.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert [(t.label, t.text) for t in iv.turns] == [
        ("Claire Besson", "Vous travaillez où ?"), ("Nadia Ferrand", "À Lyon : chez Renault."),
        ("Claire Besson", "Depuis quand ?"), ("Nadia Ferrand", "Bon : depuis 2010.")]
    f.write_text("Entretien.\n\n— Vous êtes née où ?\n— Paris : c'était en 1980.\n— Et ensuite ?\n"
                 "— Bon : je suis partie à Berlin.\n", encoding="utf-8")
    assert [t.label for t in read_transcript(f).turns] == [None] * 5


def test_dotted_role_labels() -> None:
    iv = read_transcript(FORMATS_DIR / "qa-dot-en.txt")
    assert [t.label for t in speech(iv)] == ["Q", "A"] * 4
    assert speech(iv)[1].text.startswith("Through a workshop run by Joshua Pearce")
    assert iv.turns[0].kind == "note"


LOOK_ALIKES = [
    pytest.param("Alice: Two points.\nA. The funding came from Inria.\nB. The code moved to GitLab.\n"
                 "Bob: And a third?\nA. Yes, the people.\nAlice: No.\nBob: Thanks.\n",
                 ["Alice", "Bob", "Alice", "Bob"], "Two points.\nA. The funding came from Inria.\n"
                 "B. The code moved to GitLab.", id="outline-letters"),
    pytest.param("Alice: We used Zotero.\nN.B. : the recording stops here.\nBob: And then?\n"
                 "Alice: Then Omeka.\nN.B. : inaudible passage.\nBob: Thanks.\n",
                 ["Alice", "Bob", "Alice", "Bob"], "We used Zotero.\nN.B. : the recording stops here.",
                 id="undeclared-nota-bene"),
    pytest.param("Alice: Deux associations.\nFramasoft – pour les logiciels.\nBob: Et l'autre ?\n"
                 "Alice: La Quadrature.\nBob: Merci.\n\nNON\n\nAlice: Si.\nNON\n",
                 ["Alice", "Bob", "Alice", "Bob", "Alice"], "Deux associations.\nFramasoft – pour les logiciels.",
                 id="dash-after-a-word"),
    pytest.param("Alice: On installe Zotero ?\nOK\nOn verra.\nBob: Oui.\nAlice: Et Omeka ?\nOK\nBob: Non.\n"
                 "\nINTRODUCTION\nAlice: Bon.\n",
                 ["Alice", "Bob", "Alice", "Bob", "Alice"], "On installe Zotero ?\nOK\nOn verra.",
                 id="capitals-alone-twice"),
    pytest.param("Alice: On commence ?\nEarly Days\nOui.\nBob: Bien.\nAlice: Et Omeka ?\nEarly Days\n"
                 "Bob: Non.\nAlice: Bon.\n",
                 ["Alice", "Bob", "Alice", "Bob", "Alice"], "On commence ?\nEarly Days\nOui.",
                 id="full-name-shape-alone-among-labels"),
    pytest.param("Alice: Bon.\nBon - alors on commence.\nBob: Oui.\nAlice: Bon - et après ?\nBob: Rien.\n",
                 ["Alice", "Bob", "Alice", "Bob"], "Bon.\nBon - alors on commence.", id="word-then-hyphen"),
]
"""Lines that look like labels inside labelled turns: outline letters, an undeclared "N.B.", a name then a
dash, a word in capitals alone on its line."""


@pytest.mark.parametrize(("text", "labels", "first"), LOOK_ALIKES)
def test_label_look_alikes_stay_in_the_turn(tmp_path: Path, text: str, labels: list[str], first: str) -> None:
    f = tmp_path / "look-alike.txt"
    f.write_text(text, encoding="utf-8")
    iv = read_transcript(f)
    assert [t.label for t in iv.turns] == labels
    assert iv.turns[0].text == first


@pytest.mark.parametrize("title, label, expected", [
    ("Interview with Dr. Amina Yusuf", "Dr Yusuf", "Amina Yusuf"),
    ("Entretien avec Hélène Carpentier, professeure des écoles", "Mme Carpentier", "Hélène Carpentier"),
    ("Modelling the weather: a conversation with Ingrid Solberg", "Ingrid", "Ingrid Solberg"),
    ("Field notes from the Holme valley", "Dr Yusuf", None),  # the title names no one
])
def test_the_title_names_the_interviewee_a_header_leaves_out(tmp_path: Path, title: str, label: str,
                                                             expected: str | None) -> None:
    f = tmp_path / "t.md"
    f.write_text(f"---\ntitle: \"{title}\"\ninterviewer: Paul Brennan\n---\n\n**{label}:** I trained in Leeds.\n\n"
                 f"**Paul Brennan:** And then?\n\n**{label}:** Then Bristol.\n", encoding="utf-8")
    iv = read_transcript(f)
    answers = [t.speaker for t in speech(iv) if t.label == label]
    if expected:
        assert answers == [expected] * 2 and participant(iv, expected).role == E
    else:
        assert not [p for p in iv.participants if p.name in title]


@pytest.mark.parametrize("asker", ["Mark Ellis", "Interviewer"])
def test_full_names_alone_on_their_lines_take_turns(tmp_path: Path, asker: str) -> None:
    """Transcription services export "Jane Doe" alone on a line above each turn: it was one anonymous turn."""
    f = written(tmp_path / "export.txt",
                f"Jane Doe\nHello, thanks for having me.\n\n{asker}\nHow did you start?\n\nJane Doe\n"
                f"At Goldsmiths,\nthen Aardman.\n\n{asker}\nAnd now?\n")
    iv = read_transcript(f)
    assert [(t.label, t.text) for t in iv.turns] == [
        ("Jane Doe", "Hello, thanks for having me."), (asker, "How did you start?"),
        ("Jane Doe", "At Goldsmiths,\nthen Aardman."), (asker, "And now?")]


def test_first_names_alone_on_their_lines_take_turns_where_the_file_names_those_speakers(tmp_path: Path) -> None:
    """An export that labels the first turns with full names, then with first names, each alone on its line."""
    f = written(tmp_path / "export.txt",
                "Claire Besson\nBonjour, tu peux te présenter ?\n\nNadia Ferrand\nJe suis administratrice.\n\n"
                "Claire\nDepuis quand ?\n\nNadia\nNeuf ans.\n\nClaire\nEt ensuite ?\n\nNadia\nParthenay.\n")
    iv = read_transcript(f)
    assert [(t.label, t.text) for t in speech(iv)] == [
        ("Claire Besson", "Bonjour, tu peux te présenter ?"), ("Nadia Ferrand", "Je suis administratrice."),
        ("Claire", "Depuis quand ?"), ("Nadia", "Neuf ans."), ("Claire", "Et ensuite ?"), ("Nadia", "Parthenay.")]
    assert len(iv.participants) == 2  # "Claire" is Claire Besson


@pytest.mark.parametrize("text", [
    "Early Days\nWe met in Leeds.\n\nLater Years\nWe moved to York.\n",  # headings, each once
    "Okay\nso we started.\nYeah\nthen what.\nOkay\nright.\nYeah\nfine.\n",  # one word each: speech
])
def test_capitalised_lines_that_do_not_take_turns_are_speech(tmp_path: Path, text: str) -> None:
    f = written(tmp_path / "prose.txt", text)
    iv = read_transcript(f)
    assert [t.label for t in iv.turns] == [None]


@pytest.mark.parametrize(("name", "text", "stamps"), [
    ("bold.md", "**Jane Doe** Hello, thanks.\n\n**Mark Ellis** How did you start?\n\n**Jane Doe** At Goldsmiths.\n\n"
     "**Mark Ellis** And now?\n", [None] * 4),
    ("hyphen.txt", "Jane Doe - Hello, thanks.\nMark Ellis - How did you start?\nJane Doe - At Goldsmiths.\n"
     "Mark Ellis - And now?\n", [None] * 4),
    ("tabbed.txt", "Jane Doe\tHello, thanks.\nMark Ellis\tHow did you start?\nJane Doe\tAt Goldsmiths.\n"
     "Mark Ellis\tAnd now?\n", [None] * 4),
    ("tabbed-times.txt", "Jane Doe\t00:00:01\tHello, thanks.\nMark Ellis\t00:00:09\tHow did you start?\n"
     "Jane Doe\t00:00:12\tAt Goldsmiths.\nMark Ellis\t00:00:20\tAnd now?\n",
     ["00:00:01", "00:00:09", "00:00:12", "00:00:20"]),
])
def test_labels_without_a_colon_bold_or_tabulated(tmp_path: Path, name: str, text: str, stamps: list) -> None:
    """A bold name opening its paragraph, or a name and a tab (a table of turns saved as text), were no labels."""
    f = written(tmp_path / name, text)
    iv = read_transcript(f)
    assert [(t.label, t.text) for t in iv.turns] == [
        ("Jane Doe", "Hello, thanks."), ("Mark Ellis", "How did you start?"), ("Jane Doe", "At Goldsmiths."),
        ("Mark Ellis", "And now?")]
    assert [t.timestamp for t in iv.turns] == stamps


@pytest.mark.parametrize("text", [
    "Alice: Voici.\n**Important** : rien.\n**Grand Paris** reste loin.\nBob: Oui.\nAlice: Non.\nBob: Si.\n",
    "Alice: Les dates.\nLyon\t1998\nParis\t2004\nBob: Et Nantes ?\nAlice: Non.\nBob: Bien.\n",
])
def test_a_bold_phrase_or_a_tabulated_word_said_once_is_no_label(tmp_path: Path, text: str) -> None:
    f = written(tmp_path / "prose.txt", text)
    assert [t.label for t in read_transcript(f).turns] == ["Alice", "Bob", "Alice", "Bob"]


@pytest.mark.parametrize(("name", "text"), [
    ("linked.md", "[Jane Doe](https://example.org/jane): Hello, thanks.\n\n[Mark Ellis](https://example.org/mark): "
     "How did you start?\n\n[Jane Doe](https://example.org/jane): At Goldsmiths.\n\n[Mark Ellis](https://x.y/m): "
     "And now?\n"),
    ("bold.html", "<p><b>Jane Doe</b> Hello, thanks.</p>\n<p><b>Mark Ellis</b> How did you start?</p>\n"
     "<p><b>Jane Doe</b> At Goldsmiths.</p>\n<p><b>Mark Ellis</b> And now?</p>\n"),
    ("table.html", "<h1>Interview</h1>\n<table>\n<tr><th>Speaker</th><th>Text</th></tr>\n"
     "<tr><td>Jane Doe</td><td>Hello, thanks.</td></tr>\n<tr><td>Mark Ellis</td><td>How did you start?</td></tr>\n"
     "<tr><td>00:01:02</td><td>Jane Doe</td><td>At Goldsmiths.</td></tr>\n"
     "<tr><td><b>Mark Ellis</b></td><td>And now?</td></tr>\n</table>\n"),
])
def test_web_pages_label_their_speakers_with_links_bold_or_table_cells(tmp_path: Path, name: str, text: str) -> None:
    """A linked name and a colon, a bold name without one, a table's speaker cell: all were one anonymous turn."""
    f = written(tmp_path / name, text)
    iv = read_transcript(f)
    assert [(t.label, t.text) for t in speech(iv)] == [
        ("Jane Doe", "Hello, thanks."), ("Mark Ellis", "How did you start?"), ("Jane Doe", "At Goldsmiths."),
        ("Mark Ellis", "And now?")]
    assert not any(ch in iv.text for ch in "<>[]()") and "https" not in iv.text


def test_initials_declared_in_the_preamble_name_the_speakers() -> None:
    iv = read_transcript(FORMATS_DIR / "initials-fr.txt")
    assert [t.label for t in speech(iv)] == ["JD", "N.B."] * 4
    assert participant(iv, "Nicolas Barradeau").labels == ("N.B.",)
    assert participant(iv, "Julie Durand").labels == ("JD",)
    assert speech(iv)[1].text.startswith("Je suis développeur créatif")


def test_transcriber_markers_are_blanked_and_insertions_kept() -> None:
    raw = (FORMATS_DIR / "markers-fr.txt").read_text(encoding="utf-8")
    iv = read_transcript(FORMATS_DIR / "markers-fr.txt")
    assert len(iv.text) == len(raw)
    said = [t.text for t in speech(iv)]
    for marker in ("[rires]", "[NOM]", "[inaudible 00:12:03]", "[silence]"):
        at = raw.index(marker)
        assert iv.text[at:at + len(marker)].strip() == "", marker
        assert not any(marker in t for t in said)
    assert "disait que [le métier] était" in said[3]
    assert said[7] == "Merci à vous."
    for t in iv.turns:  # outside the blanked markers, every turn is the file's own text
        assert [i for i, (a, b) in enumerate(zip(raw[t.start:t.end], t.text, strict=True)) if a != b and b != " "] == []


def test_bold_name_alone_once_among_bold_labels() -> None:
    iv = read_transcript(FORMATS_DIR / "bold-alone-fr.md")
    assert [t.label for t in speech(iv)] == ["Q", "Nicolas Barradeau", "Q", "Nicolas Barradeau", "Léa Morel",
                                             "Nicolas Barradeau"]
    assert speech(iv)[3].text.endswith("sur des projets sonores.")  # her label is not his speech
    assert speech(iv)[4].text == "Tu parles souvent de « sobriété » dans ton travail."


@pytest.mark.parametrize("heading", ["Early Days", "Open Hardware"])
def test_bold_heading_seen_once_is_not_a_speaker(tmp_path: Path, heading: str) -> None:
    f = tmp_path / "h.md"
    f.write_text(f"**Ada Brenner**\n\nHow did it start?\n\n**Tom Okafor**\n\nWith {heading.lower()}.\n\n"
                 f"**{heading}**\n\n**Ada Brenner**\n\nAnd then?\n\n**Tom Okafor**\n\nArduino.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert [t.label for t in iv.turns] == ["Ada Brenner", "Tom Okafor", "Ada Brenner", "Tom Okafor"]
    assert heading in iv.turns[1].text


def test_speakers_set_as_markdown_headings_are_labels_and_a_section_heading_is_not(tmp_path: Path) -> None:
    text = ("# Episode 12: Maps and People\n\n### Sarah Kim\n\nWelcome back, Tom.\n\n### Tom Okafor\n\n"
            "I started in Lagos with JOSM.\n\n## Early Days\n\n### Sarah Kim\n\nAnd HOT?\n\n"
            "### Tom Okafor\n\nThey trained us.\n")
    f = tmp_path / "ep.md"
    f.write_text(text, encoding="utf-8")
    iv = read_transcript(f)
    assert [(t.label, t.text) for t in speech(iv)] == [
        ("Sarah Kim", "Welcome back, Tom."), ("Tom Okafor", "I started in Lagos with JOSM."),
        ("Sarah Kim", "And HOT?"), ("Tom Okafor", "They trained us.")]


def test_role_label_naming_the_person() -> None:
    iv = read_transcript(FORMATS_DIR / "role-name-en.txt")
    raw = (FORMATS_DIR / "role-name-en.txt").read_text(encoding="utf-8")
    first = speech(iv)[0]
    assert (first.label, first.text) == ("Rachel Greenberg", "When did you start at Firth Brown?")
    assert raw[first.start - len("INTERVIEWER (Rachel Greenberg): "):first.start].startswith("INTERVIEWER (")


def test_name_with_its_role_in_parentheses(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text("Rachel Greenberg (Interviewer): Where were you born?\nAlan Whitaker (Narrator): In Leeds.\n"
                 "Rachel Greenberg (Interviewer): And then?\nAlan Whitaker (Narrator): Sheffield.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert [(t.label, t.text) for t in iv.turns][:2] == [("Rachel Greenberg", "Where were you born?"),
                                                         ("Alan Whitaker", "In Leeds.")]


def test_stage_direction_between_label_and_colon(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text("Claire : Et la grève ?\nHenri (rires) : Trois semaines.\nClaire : Longue !\nHenri (silence) : Oui.\n",
                 encoding="utf-8")
    iv = read_transcript(f)
    assert [(t.label, t.text) for t in iv.turns] == [("Claire", "Et la grève ?"), ("Henri", "Trois semaines."),
                                                     ("Claire", "Longue !"), ("Henri", "Oui.")]


def test_bold_labels_in_list_items_and_quotes() -> None:
    iv = read_transcript(FORMATS_DIR / "list-bold-en.md")
    assert [t.text for t in speech(iv)][4:] == ["Any plans?", "A second space in Aarhus, with Prusa printers."]
    assert not any(c in t.text for t in iv.turns for c in "*>")


def test_show_notes_in_bold_list_items_are_not_turns(tmp_path: Path) -> None:
    f = tmp_path / "notes.md"
    f.write_text("## Liens\n\n- **Site :** framasoft.org\n- **Mastodon :** @framasoft\n\n## Transcription\n\n"
                 "**Alice :** Bonjour.\n\n**Bob :** Bonjour Alice.\n\n**Alice :** On commence.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert [t.label for t in iv.turns] == [None, "Alice", "Bob", "Alice"]
    assert "Mastodon" in iv.turns[0].text
    f.write_text("**Alice :** Tu cites souvent Torvalds.\n\n> Linus Torvalds: Talk is cheap.\n\n**Bob :** Oui.\n\n"
                 "**Alice :** Et Stallman ?\n\n**Bob :** Moins.\n", encoding="utf-8")
    assert [t.label for t in read_transcript(f).turns] == ["Alice", "Bob", "Alice", "Bob"]


def test_table_of_contents_list_is_not_turns(tmp_path: Path) -> None:
    f = tmp_path / "toc.md"
    f.write_text("## Sommaire\n\n* Hannane : son parcours\n* Clélia : l'Atelier Paysan\n* Hannane : la ferme\n"
                 "* Clélia : les formations\n\n## Transcription\n\nBonjour à toutes les deux.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert [t.label for t in iv.turns] == [None]


def test_subtitle_cues_merge_by_speaker() -> None:
    iv = read_transcript(FORMATS_DIR / "srt-caps-fr.srt")
    assert iv.turns[0].text == "Bonjour Rémi, merci d'être là. Tu peux nous raconter tes débuts ?"
    assert iv.turns[1].text == ("J'ai commencé avec un vieil Amiga, dans la chambre de mon frère. "
                                "On faisait des démos pour des concours.")
    assert [t.timestamp for t in iv.turns] == ["00:00:01", "00:00:06", "00:00:13", "00:00:16"]
    assert participant(iv, "Rémi").labels == ("RÉMI",)
    iv = read_transcript(FORMATS_DIR / "vtt-voice-en.vtt")
    assert iv.turns[0].text == "Welcome back to the studio podcast. Today I'm talking with Kofi Mensah."
    assert iv.turns[-1].text.endswith("neural network & a lot of photos.")
    iv = read_transcript(FORMATS_DIR / "srt-dash-en.srt")
    assert [t.text for t in iv.turns] == [
        "Did you always want to be an artist?",
        "Not at all. I wanted to be a pilot, actually.",
        "What changed?",
        "My eyesight, and then a summer course in Berlin.",
    ]
    assert any("not named" in w for w in iv.warnings)


def test_subtitle_prefix_in_prose_is_text(tmp_path: Path) -> None:
    f = tmp_path / "x.srt"
    f.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nANNA: Bonjour.\n\n"
        "2\n00:00:02,000 --> 00:00:04,000\nRemarque: tout est enregistré.\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\nLÉON: Merci.\n",
        encoding="utf-8",
    )
    iv = read_transcript(f)
    assert [(t.speaker, t.text) for t in iv.turns] == [
        ("Anna", "Bonjour. Remarque: tout est enregistré."), ("Léon", "Merci."),
    ]


def test_caption_chevrons_in_cues(tmp_path: Path) -> None:
    iv = read_transcript(FORMATS_DIR / "vtt-chevrons-en.vtt")
    assert [t.text for t in iv.turns][:2] == [
        "Welcome to the Data Hour. Today, Priya Natarajan.", "Thanks for having me."]
    f = tmp_path / "named.vtt"
    f.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n>> PRIYA: Welcome.\n\n00:00:04.500 --> 00:00:06.000\n"
                 ">> TOM: Thanks.\n\n00:00:06.500 --> 00:00:09.000\n>> PRIYA: Nextflow?\n", encoding="utf-8")
    assert [(t.speaker, t.text) for t in read_transcript(f).turns] == [
        ("Priya", "Welcome."), ("Tom", "Thanks."), ("Priya", "Nextflow?")]


def test_vtt_several_voices_in_one_cue(tmp_path: Path) -> None:
    f = tmp_path / "x.vtt"
    f.write_text(
        "WEBVTT\n\n00:01.000 --> 00:04.000\n<v Ana Lima>Ready?</v>\n<v Bruno Sá>Yes, go.</v>\n\n"
        "00:04.000 --> 00:06.000\n<v.loud Ana Lima>Then we start.\n",
        encoding="utf-8",
    )
    iv = read_transcript(f)
    assert [(t.speaker, t.text) for t in iv.turns] == [
        ("Ana Lima", "Ready?"), ("Bruno Sá", "Yes, go."), ("Ana Lima", "Then we start."),
    ]
    assert_offsets(iv)


ROLLING = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.000 align:start position:0%
~
so<00:00:00.400><c> I</c><00:00:00.600><c> started</c><00:00:00.900><c> using</c><00:00:01.200><c> Blender</c>

00:00:02.000 --> 00:00:02.010 align:start position:0%
so I started using Blender
~

00:00:02.010 --> 00:00:04.000 align:start position:0%
so I started using Blender
in<00:00:02.400><c> London</c><00:00:02.800><c> at</c><00:00:03.000><c> the</c><00:00:03.200><c> Science</c>

00:00:04.000 --> 00:00:04.010 align:start position:0%
in London at the Science
~

00:00:04.010 --> 00:00:06.000 align:start position:0%
in London at the Science
Museum<00:00:04.400><c> with</c><00:00:04.800><c> Processing</c>
""".replace("~", " ")  # a line holding one space, as YouTube writes them


def test_rolling_captions_are_read_once(tmp_path: Path) -> None:
    """YouTube's automatic captions show each line in two or three cues: every sentence was read three times."""
    f = written(tmp_path / "auto.vtt", ROLLING)
    iv = read_transcript(f)
    assert [t.text for t in iv.turns] == ["so I started using Blender in London at the Science Museum with Processing"]
    assert (iv.turns[0].start_time, iv.turns[0].end_time) == (0.0, 6.0)


def test_a_line_said_twice_in_plain_subtitles_stays_twice(tmp_path: Path) -> None:
    f = written(tmp_path / "x.vtt",
                "WEBVTT\n\n00:01.000 --> 00:02.000\nTu es prête ?\n\n00:02.000 --> 00:03.000\nOui.\n\n"
                "00:03.000 --> 00:04.000\nOui.\n\n00:04.000 --> 00:05.000\nAlors on y va.\n")
    assert read_transcript(f).turns[0].text == "Tu es prête ? Oui. Oui. Alors on y va."


def test_bracketed_speakers_in_subtitles_but_not_sounds(tmp_path: Path) -> None:
    """Captions for the deaf and hard of hearing bracket the speaker: "[Jane Doe] Hello"; "[Music]" is a sound."""
    cues = ["[Jane Doe] Hello, thanks.", "[Music]", "[Mark Ellis] How did you start?", "[Jane Doe] At Goldsmiths.",
            "[Mark Ellis] And now?", "[MUSIC]", "(JANE DOE) Glasgow."]
    f = written(tmp_path / "sdh.srt",
                "".join(f"{i + 1}\n00:00:0{i},000 --> 00:00:0{i},900\n{c}\n\n" for i, c in enumerate(cues)))
    iv = read_transcript(f)
    assert [(t.speaker, t.text) for t in iv.turns] == [
        ("Jane Doe", "Hello, thanks."), ("Mark Ellis", "How did you start?"), ("Jane Doe", "At Goldsmiths."),
        ("Mark Ellis", "And now?"), ("Jane Doe", "Glasgow.")]  # the capitals are the same person
    assert "Music" not in iv.text and "MUSIC" not in iv.text


def test_subtitle_styling_is_no_text(tmp_path: Path) -> None:
    """A cue's tags and SubStation Alpha's override blocks (``{\\an8}``: at the top of the screen) are styling: the
    block hid the speaker's prefix and was kept in the quote."""
    cues = ["{\\an8}<i>MARIE : J'utilise Blender.</i>", '<font color="#ffff00">PAUL : Et Processing ?</font>',
            "{\\i1}MARIE : Aussi.{\\i0}"]
    f = written(tmp_path / "styled.srt",
                "".join(f"{i + 1}\n00:00:0{i},000 --> 00:00:0{i},900\n{c}\n\n" for i, c in enumerate(cues)))
    iv = read_transcript(f)
    assert [(t.label, t.text) for t in iv.turns] == [("MARIE", "J'utilise Blender."), ("PAUL", "Et Processing ?"),
                                                     ("MARIE", "Aussi.")]


def test_sbv_captions(tmp_path: Path) -> None:
    """YouTube's SubViewer captions: a cue's times on a line, its text below, speakers as in other subtitles."""
    sbv = ("0:00:00.000,0:00:03.500\nJANE: Hello, thanks for having me.\n\n0:00:03.500,0:00:06.000\n"
           "I work at the Science Museum.\n\n0:00:06.000,0:00:08.000\nMARK: How did you start?\n\n"
           "0:00:08.000,0:00:11.000\nJANE: At Goldsmiths.\n")
    for name in ("talk.sbv", "talk.txt"):  # sniffed from the content too
        f = written(tmp_path / name, sbv)
        iv = read_transcript(f)
        assert iv.source_format == "sbv"
        assert [(t.speaker, t.text, t.start_time, t.end_time) for t in iv.turns] == [
            ("Jane", "Hello, thanks for having me. I work at the Science Museum.", 0.0, 6.0),
            ("Mark", "How did you start?", 6.0, 8.0), ("Jane", "At Goldsmiths.", 8.0, 11.0)]
        assert_offsets(iv)


def test_front_matter_participants_and_labels(tmp_path: Path) -> None:
    f = tmp_path / "fm.md"
    f.write_text(
        "---\ntitle: Essai\nlang: FR\ninterviewer: Amélie Roux\nparticipants:\n"
        "  - name: Bastien Noël\n    role: guest\n    labels: [BN]\n---\n\n"
        "**Amélie :** Tu es prêt ?\n\n**BN :** Oui.\n\n**Amélie :** On y va.\n",
        encoding="utf-8",
    )
    iv = read_transcript(f)
    assert [t.speaker for t in speech(iv)] == ["Amélie Roux", "Bastien Noël", "Amélie Roux"]
    assert [t.text for t in iv.turns if t.kind == "note"] == ["Essai", "Amélie Roux"]  # title and interviewer as notes
    assert participant(iv, "Bastien Noël").role == "interviewee"
    assert iv.metadata["participants"] == "Bastien Noël"
    assert (iv.title, iv.language) == ("Essai", "fr")


def test_plural_french_guest_key_names_the_interviewees(tmp_path: Path) -> None:
    f = tmp_path / "invites.md"
    f.write_text(
        "---\ntitle: Essai\ninvités:\n  - Margaux Quéméner\n  - Yacine Benali\n---\n\n"
        "## Pourquoi ce nom ?\n\nMargaux : C'est une blague.\n\nYacine : Oui, au départ.\n",
        encoding="utf-8",
    )
    iv = read_transcript(f)
    assert [t.speaker for t in speech(iv) if t.label] == ["Margaux Quéméner", "Yacine Benali"]
    assert participant(iv, "Yacine Benali").role == "interviewee"


def test_invalid_front_matter_warns(tmp_path: Path) -> None:
    f = tmp_path / "bad.md"
    f.write_text("---\ntitle: [unclosed\n---\n\nAlice: Hello.\nBob: Hi.\nAlice: Bye.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert any("front matter" in w for w in iv.warnings)
    assert [t.label for t in speech(iv)] == ["Alice", "Bob", "Alice"]
    assert_offsets(iv)


def test_french_no_break_space_and_label_alone_on_its_line(tmp_path: Path) -> None:
    f = tmp_path / "nbsp.txt"
    f.write_text(
        "Titre\u00a0: Essai\n\nMARIE\u00a0: Ça va\u202f?\n\nLOUIS\u202f:\nTrès bien.\n\n"
        "MARIE\u00a0: Parfait.\n\nLOUIS\u00a0: Oui.\n",
        encoding="utf-8",
    )
    iv = read_transcript(f)
    assert iv.title == "Essai"
    assert [(t.speaker, t.text) for t in speech(iv)] == [
        ("Marie", "Ça va\u202f?"), ("Louis", "Très bien."), ("Marie", "Parfait."), ("Louis", "Oui."),
    ]


def test_speaker_names_beyond_latin_1(tmp_path: Path) -> None:
    f = tmp_path / "pl.txt"
    f.write_text("Łucja Żak: Dzień dobry. Tak.\nŠtěpán Novák: Hello there.\n"
                 "Łucja Żak: Yes, hello.\nŠtěpán Novák: Bye.\n", encoding="utf-8")
    iv = read_transcript(f, language="en")
    assert [t.speaker for t in iv.turns] == ["Łucja Żak", "Štěpán Novák"] * 2


def test_time_after_the_label_is_the_turns_time(tmp_path: Path) -> None:
    iv = read_transcript(FORMATS_DIR / "ts-after-label-fr.txt")
    assert [(t.timestamp, t.text) for t in iv.turns][:2] == [
        ("00:00:12", "Bonjour, on commence avec Inkscape ?"), ("00:00:15", "Oui, puis Scribus.")]
    f = tmp_path / "zoom.txt"  # Zoom's saved captions: the name in brackets, then a clock time
    f.write_text("[Marie Dupont] 10:03:12 Bonjour.\n[Paul Martin] 10:03:15 Oui.\n[Marie Dupont] 10:03:20 Et Krita ?\n"
                 "Paul Martin: 10:30 ou 11:00, je ne sais plus.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert [(t.label, t.timestamp, t.text) for t in iv.turns] == [
        ("Marie Dupont", "10:03:12", "Bonjour."), ("Paul Martin", "10:03:15", "Oui."),
        ("Marie Dupont", "10:03:20", "Et Krita ?"), ("Paul Martin", None, "10:30 ou 11:00, je ne sais plus."),
    ]


def test_speech_to_text_export_name_then_time(tmp_path: Path) -> None:
    f = tmp_path / "otter.txt"
    f.write_text("Speaker 1  0:03\nHello and welcome.\n\nSpeaker 2  0:09\nThank you.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert iv.source_format == "timestamped"
    assert [(t.label, t.timestamp, t.text) for t in iv.turns] == [
        ("Speaker 1", "0:03", "Hello and welcome."), ("Speaker 2", "0:09", "Thank you."),
    ]


@pytest.mark.parametrize(("text", "speakers", "labelled"), [
    pytest.param("Interviewer: Odile Perrin\nInterviewee: Yann Le Goff\n\n"
                 "Odile: Bonjour.\n\nYLG: Bonjour Odile.\n\nOdile: On commence ?\n\nYLG: Oui.\n",
                 ["Odile Perrin", "Yann Le Goff"], ("Yann Le Goff", ("YLG",)), id="first-name-and-initials"),
    pytest.param("Dr. Amara Osei: We started at Michigan Tech.\nProf. Tom Reeves: And then?\n"
                 "Dr. Amara Osei: The University of Ghana.\nProf. Tom Reeves: Thanks.\n",
                 ["Amara Osei", "Tom Reeves"], ("Amara Osei", ("Dr. Amara Osei",)), id="academic-titles-dropped"),
])
def test_speaker_labels_resolve_to_names(tmp_path: Path, text: str, speakers: list[str],
                                         labelled: tuple[str, tuple[str, ...]]) -> None:
    """A first name, initials or a name behind an academic title ("Dr.", "Prof.") speaks as the full name."""
    f = tmp_path / "r.txt"
    f.write_text(text, encoding="utf-8")
    iv = read_transcript(f)
    assert [t.speaker for t in speech(iv)] == speakers * 2
    name, labels = labelled
    assert participant(iv, name).labels == labels


@pytest.mark.parametrize("asker", ["[Chercheur]", "Q:", "INTERVIEWER:", "JOURNALISTE :", "Reporter:"])
def test_one_named_speaker_facing_a_role_label_holds_the_other_role(tmp_path: Path, asker: str) -> None:
    f = tmp_path / "r.txt"
    f.write_text(f"{asker} Comment avez-vous découvert Omeka ?\nOdile Perrin: Par un collègue.\n"
                 f"{asker} Et ensuite ?\nOdile Perrin: Omeka S, en 2019.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert [t.speaker for t in iv.turns] == [None, "Odile Perrin"] * 2
    assert participant(iv, "Odile Perrin").role == E


def test_name_in_capitals_then_stop_and_dash() -> None:
    iv = read_transcript(FORMATS_DIR / "theatre-fr.txt")
    assert [t.label for t in speech(iv)][:2] == ["LÉA MOREL", "NICOLAS BARRADEAU"]
    assert speech(iv)[1].text.startswith("Je fabrique des images avec du code.")


def test_conference_talk_moderator_slides_and_applause() -> None:
    iv = read_transcript(FORMATS_DIR / "talk-en.md")
    assert [t.label for t in speech(iv)] == ["MODERATOR", "SARAH LINDQVIST", "MODERATOR", "AUDIENCE MEMBER",
                                             "SARAH LINDQVIST"]
    assert [p.name for p in iv.participants] == ["Sarah Lindqvist"]  # a role and the audience are no one
    talk = speech(iv)[1].text
    assert "slide" not in talk and "Who pays" not in talk and "applause" not in speech(iv)[0].text
    assert talk.endswith("changed that a little in Germany.")
    assert "[applause]" not in iv.text


def test_a_label_sharing_only_a_first_name_is_someone_else(tmp_path: Path) -> None:
    f = tmp_path / "m.md"
    f.write_text("---\nparticipants: [Maria Paz Canales, Pau Aleikum Garcia]\n---\n\n"
                 "*Maria Paz:* Neuro data is data.\n\n*Pau Garcia:* We recreate memories.\n\n"
                 "*Maria Carmen:* My earliest memory is a balcony.\n\n*Maria Paz:* Exactly.\n\n"
                 "*Pau Garcia:* In Barcelona.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert [t.speaker for t in iv.turns] == ["Maria Paz Canales", "Pau Aleikum Garcia", "Maria Carmen",
                                             "Maria Paz Canales", "Pau Aleikum Garcia"]


def test_role_inferred_from_questions_without_metadata() -> None:
    iv = read_transcript(FORMATS_DIR / "plain-caps-fr.txt")
    assert {p.name: p.role for p in iv.participants} == {"Sophie": I, "Antoine": E}
    assert [t.label for t in iv.turns] == ["SOPHIE", "ANTOINE"] * 2


@pytest.mark.parametrize("asks, answers", [("INT", "RESP"), ("Enq.", "Enquêtée"), ("IVR", "IVE"), ("Intv", "Resp")])
def test_abbreviated_role_labels_name_roles_not_people(tmp_path: Path, asks: str, answers: str) -> None:
    f = tmp_path / "roles.txt"
    f.write_text(f"{asks}: How did you start?\n{answers}: At the Singer factory.\n{asks}: And then?\n"
                 f"{answers}: The archive.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert iv.participants == () and [t.speaker for t in iv.turns] == [None] * 4
    assert [t.label for t in iv.turns] == [asks.rstrip("."), answers] * 2


def test_a_one_letter_label_is_no_person_unless_the_metadata_names_who_it_stands_for(tmp_path: Path) -> None:
    body = "E : Comment êtes-vous arrivée là ?\nT : Par ma grand-mère.\nE : Et ensuite ?\nT : Michelin.\n"
    f = tmp_path / "et.txt"
    f.write_text(body, encoding="utf-8")
    iv = read_transcript(f)
    assert iv.participants == () and [t.speaker for t in iv.turns] == [None] * 4
    f.write_text("---\ninterviewee: Thérèse Vidal\n---\n" + body, encoding="utf-8")
    assert [t.speaker for t in read_transcript(f).turns if t.kind == "speech"] == [None, "Thérèse Vidal"] * 2



@pytest.mark.parametrize(
    ("header", "who"),
    [
        ("speakers:\n  Tom: Tom Kellerman\n  Ana: Ana Ruiz\n", {"Tom": "Tom Kellerman", "Ana": "Ana Ruiz"}),
        ("speakers:\n  interviewer: Tom Kellerman\n  Ana Ruiz: interviewee\n",
         {"Tom": "Tom Kellerman", "Ana": "Ana Ruiz"}),
        ("speakers:\n  TK: Tom Kellerman\n  AR: Ana Ruiz\n", {"TK": "Tom Kellerman", "AR": "Ana Ruiz"}),
    ],
)
def test_a_speakers_mapping_in_front_matter_names_who_each_label_is(tmp_path: Path, header: str,
                                                                    who: dict[str, str]) -> None:
    """The shape annotators write, label to full name, even where the full name is never said."""
    a, b = list(who)
    body = f"{a}: What did you use first?\n\n{b}: Mostly paper, then a scanner.\n"
    f = tmp_path / "mapped.md"
    f.write_text("---\n" + header + "---\n\n" + body, encoding="utf-8")
    iv = read_transcript(f)
    assert [t.speaker for t in iv.turns if t.kind == "speech"] == [who[a], who[b]]
    roles = {p.name: p.role for p in iv.participants}
    if "interviewer" in header:
        assert roles == {"Tom Kellerman": "interviewer", "Ana Ruiz": "interviewee"}


def test_a_speakers_mapping_with_structures_under_its_labels_names_no_one_from_them(tmp_path: Path) -> None:
    f = tmp_path / "nested.md"
    f.write_text("---\nspeakers:\n  Tom: {role: host}\n  Ana: Ana Ruiz\n---\n\nTom: Why paper?\n\nAna: Habit.\n",
                 encoding="utf-8")
    names = [p.name for p in read_transcript(f).participants]
    assert "Ana Ruiz" in names and not any("role" in n or "{" in n for n in names)  # "Tom" from his turns only

# --- .docx, built here rather than committed -----------------------------------------------------

def _docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None, title: str = "") -> Path:
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.core_properties.title = title
    for p in paragraphs:
        doc.add_paragraph(p)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    doc.save(str(path))
    return path


RTF = (r"{\rtf1\ansi\ansicpg1252\cocoartf2709" "\n" r"{\fonttbl\f0\fswiss\fcharset0 Helvetica;}" "\n"
       r"{\colortbl;\red255\green255\blue255;}" "\n" r"\pard\tx566\pardirnatural\partightenfactor0" "\n\n"
       r"\f0\fs24 \cf0 {\b Julie :} Bonjour, je travaille \'e0 Lyon avec Blender.\par" "\n"
       r"Marc : Et TouchDesigner ?\par" "\n" r"Julie : Oui, depuis l'\'e9t\'e9 2019, au Mus\u233?e des Confluences.\par"
       "\n" r"Marc : Merci.}")
"""A transcript as TextEdit saves it: a font table, a colour table, escapes in the code page and in Unicode."""


def test_rtf_transcript(tmp_path: Path) -> None:
    f = tmp_path / "entretien.rtf"
    f.write_text(RTF, encoding="ascii")
    iv = read_transcript(f)
    assert iv.source_format == "rtf" and iv.language == "fr"
    assert [(t.label, t.text) for t in iv.turns] == [
        ("Julie", "Bonjour, je travaille à Lyon avec Blender."), ("Marc", "Et TouchDesigner ?"),
        ("Julie", "Oui, depuis l'été 2019, au Musée des Confluences."), ("Marc", "Merci.")]
    assert not any(word in iv.text for word in ("Helvetica", "fonttbl", "rtf1", "\\"))
    assert_offsets(iv)
    assert discover([tmp_path]) == [f]  # a folder's .rtf files are transcripts too
    renamed = tmp_path / "sub" / "entretien.txt"
    renamed.parent.mkdir()
    renamed.write_text(RTF, encoding="ascii")
    assert read_transcript(renamed).source_format == "rtf"  # sniffed from the content, whatever the name


@pytest.mark.parametrize("bold", [r"{\b {name}}", r"\b {name}\b0 "])
def test_rtf_names_in_bold_without_a_colon_are_labels(tmp_path: Path, bold: str) -> None:
    """As in Word, a transcript typed in a word processor sets the speaker's name in bold, no colon after it;
    striprtf drops the bold, and the name ran into the words."""
    said = [("Julie Martin", "Bonjour, je travaille à Lyon avec Blender."), ("Marc Petit", "Et TouchDesigner ?"),
            ("Julie Martin", "Oui, depuis 2019."), ("Marc Petit", "Merci.")]
    body = "".join(bold.replace("{name}", name) + f" {text}\\par\n" for name, text in said)
    f = tmp_path / "gras.rtf"
    f.write_text("{\\rtf1\\ansi\\ansicpg1252 " + body.replace("à", "\\'e0") + "}", encoding="ascii")
    iv = read_transcript(f)
    assert [(t.label, t.text) for t in iv.turns] == said
    assert "*" not in iv.text


@pytest.mark.parametrize(("name", "table"), [
    ("segments.csv", "Speaker,Start,End,Text\nJane Doe,0.0,4.2,\"Hello, thanks.\"\n"
     "Mark Ellis,4.2,6.0,How did you start?\nJane Doe,6.0,9.5,\"At Goldsmiths,\"\n"
     "Jane Doe,9.5,12.0,then Aardman.\nMark Ellis,12.0,13.0,And now?\n"),
    ("elan.tsv", "Tier\tBegin Time - hh:mm:ss.ms\tEnd Time - hh:mm:ss.ms\tAnnotation\n"
     "Jane Doe\t00:00:00.000\t00:00:04.200\tHello, thanks.\n"
     "Mark Ellis\t00:00:04.200\t00:00:06.000\tHow did you start?\n"
     "Jane Doe\t00:00:06.000\t00:00:09.500\tAt Goldsmiths,\n"
     "Jane Doe\t00:00:09.500\t00:00:12.000\tthen Aardman.\n"
     "Mark Ellis\t00:00:12.000\t00:00:13.000\tAnd now?\n"),
    ("export.csv", "\ufeffLocuteur;Début (ms);Fin (ms);Texte\nJane Doe;0;4200;Hello, thanks.\n"
     "Mark Ellis;4200;6000;How did you start?\nJane Doe;6000;9500;At Goldsmiths,\n;9500;12000;then Aardman.\n"
     "Mark Ellis;12000;13000;And now?\n"),
])
def test_a_table_of_segments_is_a_transcript(tmp_path: Path, name: str, table: str) -> None:
    """Transcription services and ELAN export a row per segment; the same speaker's rows make one turn."""
    f = written(tmp_path / name, table)
    iv = read_transcript(f)
    assert iv.source_format == "table"
    assert [(t.speaker, t.text, t.start_time, t.end_time) for t in iv.turns] == [
        ("Jane Doe", "Hello, thanks.", 0.0, 4.2), ("Mark Ellis", "How did you start?", 4.2, 6.0),
        ("Jane Doe", "At Goldsmiths, then Aardman.", 6.0, 12.0), ("Mark Ellis", "And now?", 12.0, 13.0)]
    assert_offsets(iv)
    assert discover([tmp_path]) == [f]


def test_a_table_without_a_text_column_is_no_transcript(tmp_path: Path) -> None:
    data = tmp_path / "nodes.csv"
    data.write_text("id,label,type\ntool/python,Python,Tool\n", encoding="utf-8")
    (tmp_path / "talk.txt").write_text("Ana: Bonjour.\nBen: Salut.\n", encoding="utf-8")
    assert discover([tmp_path]) == [tmp_path / "talk.txt"]  # a folder's data tables are left alone
    with pytest.raises(TranscriptFormatError, match=r"nodes.csv.*no text column .*id, label, type") as e:
        read_transcript(data)
    assert "\n" not in str(e.value)


def test_docx_paragraphs(tmp_path: Path) -> None:
    f = _docx(tmp_path / "entretien.docx", [
        "Titre : Le bois et le code", "Date : 2024-04-04", "Enquêteur : Hélène Girard", "Enquêté : Samir Aït",
        "", "Hélène : Comment travaillez-vous le bois ?", "Samir : Avec des machines à commande numérique.",
        "Et beaucoup de ponçage à la main.", "Hélène : Et le code ?", "Samir : Je l'écris moi-même, en Python.",
    ])
    iv = read_transcript(f)
    assert iv.source_format == "docx" and iv.encoding == "docx"
    assert (iv.title, iv.date, iv.language) == ("Le bois et le code", "2024-04-04", "fr")
    assert [t.speaker for t in speech(iv)] == ["Hélène Girard", "Samir Aït"] * 2
    assert speech(iv)[1].text == "Avec des machines à commande numérique.\n\nEt beaucoup de ponçage à la main."
    assert iv.metadata["created"]  # the file's creation date is kept, but not taken as the interview date
    assert_offsets(iv)


def test_docx_table_and_core_title(tmp_path: Path) -> None:
    f = _docx(tmp_path / "table.docx", [], [
        ["Ava Stone", "Where did you grow up?"], ["Ben Kaur", "In Leeds, near the canal."],
        ["Ava Stone", "And now?"], ["Ben Kaur", "Glasgow."],
    ], title="Canals")
    iv = read_transcript(f)
    assert iv.title == "Canals" and iv.date is None and iv.language == "en"
    assert [(t.speaker, t.text) for t in iv.turns][:2] == [
        ("Ava Stone", "Where did you grow up?"), ("Ben Kaur", "In Leeds, near the canal."),
    ]


@pytest.mark.parametrize("header", [["Locuteur", "Transcription"], ["Time", "Speaker", "Text"], ["Speaker:", ""]])
def test_docx_table_header_row_is_not_a_turn(tmp_path: Path, header: list[str]) -> None:
    rows = [["Chercheur", "Comment avez-vous découvert Omeka ?"], ["Odile Perrin", "Par un collègue."],
            ["Chercheur", "Et ensuite ?"], ["Odile Perrin", "Omeka S, en 2019."]]
    if len(header) == 3:
        rows = [[f"00:0{i}:00", *r] for i, r in enumerate(rows)]
    iv = read_transcript(_docx(tmp_path / "h.docx", ["Entretien avec Odile Perrin, 2022."], [header, *rows]))
    assert [(t.label, t.text) for t in speech(iv)][:2] == [
        ("Chercheur", "Comment avez-vous découvert Omeka ?"), ("Odile Perrin", "Par un collègue."),
    ]
    assert len(speech(iv)) == 4
    assert_offsets(iv)


def test_docx_reads_the_words_of_tracked_changes_as_word_shows_them(tmp_path: Path) -> None:
    """A transcript corrected with changes tracked: inserted words (and a content control's) are read, deleted
    and moved-away words are not; python-docx's paragraph text left the insertions out."""
    docx = pytest.importorskip("docx")
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def wrapped(tag: str, text: str, deleted: bool = False) -> Any:
        outer = OxmlElement(tag)
        if tag in ("w:ins", "w:del", "w:moveFrom", "w:moveTo"):
            outer.set(qn("w:id"), "1")
            outer.set(qn("w:author"), "Relecture")
        run, words = OxmlElement("w:r"), OxmlElement("w:delText" if deleted else "w:t")
        words.text = text
        words.set(qn("xml:space"), "preserve")
        run.append(words)
        if tag == "w:sdt":
            content = OxmlElement("w:sdtContent")
            content.append(run)
            outer.append(content)
        else:
            outer.append(run)
        return outer

    doc = docx.Document()
    first = doc.add_paragraph()
    first.add_run("Marie : J'utilise ")
    first._p.append(wrapped("w:ins", "Blender et "))
    first._p.append(wrapped("w:del", "Maya et ", deleted=True))
    first._p.append(wrapped("w:moveFrom", "depuis 2015 "))
    first.add_run("TouchDesigner ")
    first._p.append(wrapped("w:moveTo", "depuis 2015"))
    first.add_run(".")
    second = doc.add_paragraph()
    second.add_run("Paul : Et ")
    second._p.append(wrapped("w:sdt", "Processing"))
    second.add_run(" ?")
    doc.add_paragraph("Marie : Aussi.")
    doc.save(str(tmp_path / "tracked.docx"))
    iv = read_transcript(tmp_path / "tracked.docx")
    assert [t.text for t in speech(iv)] == ["J'utilise Blender et TouchDesigner depuis 2015.", "Et Processing ?",
                                           "Aussi."]
    assert_offsets(iv)


def _bold_led(path: Path, paragraphs: list[tuple[str, str]]) -> Path:
    """A Word document whose paragraphs each open with a bold run."""
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    for lead, rest in paragraphs:
        paragraph = doc.add_paragraph()
        paragraph.add_run(lead).bold = True
        paragraph.add_run(rest)
    doc.save(str(path))
    return path


def test_docx_a_name_in_bold_alone_in_its_paragraph_is_the_label_of_the_words_below(tmp_path: Path) -> None:
    """"Marie" in bold on a line of its own, the words below: the document was one anonymous turn; a bold
    heading said once stays a heading."""
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph().add_run("Introduction").bold = True
    doc.add_paragraph("Entretien enregistré à Lyon.")
    turns = [("Marie", "J'utilise Blender."), ("Paul", "Et Processing ?"), ("Marie", "Aussi."), ("Paul", "Merci.")]
    for name, said in turns:
        doc.add_paragraph().add_run(name).bold = True
        doc.add_paragraph(said)
    doc.save(str(tmp_path / "alone.docx"))
    iv = read_transcript(tmp_path / "alone.docx")
    assert [(t.label, t.text) for t in speech(iv)] == turns
    assert "Introduction" in iv.text and "*" not in iv.text


def test_docx_bold_bracketed_labels_are_labels(tmp_path: Path) -> None:
    """"[Chercheur]" in bold opening each paragraph: the document was read as one anonymous turn."""
    turns = [("[Chercheur]", " Vous travaillez où ?"), ("[Interviewée]", " À Lyon, chez Renault."),
             ("[Chercheur]", " Depuis quand ?"), ("[Interviewée]", " Depuis 2010.")]
    iv = read_transcript(_bold_led(tmp_path / "brackets.docx", turns))
    assert [(t.label, t.text) for t in speech(iv)] == [(label[1:-1], said.strip()) for label, said in turns]
    assert_offsets(iv)


def test_docx_bold_names_opening_paragraphs_are_labels(tmp_path: Path) -> None:
    """Word transcripts often set the speaker's name in bold, no colon after it: the paragraph was all text."""
    turns = [("Ava Stone", " Where did you grow up?"), ("Ben Kaur", "In Leeds, near the canal."),
             ("Ava Stone", "And now?"), ("Ben Kaur", " Glasgow, since 2019.")]
    iv = read_transcript(_bold_led(tmp_path / "bold.docx", [*turns, ("Note", " the recording ends here.")]))
    assert [(t.label, t.text) for t in speech(iv)] == [
        ("Ava Stone", "Where did you grow up?"), ("Ben Kaur", "In Leeds, near the canal."), ("Ava Stone", "And now?"),
        ("Ben Kaur", "Glasgow, since 2019.\n\n  Note   the recording ends here.")]
    assert "*" not in iv.text
    assert_offsets(iv)


def test_broken_docx(tmp_path: Path) -> None:
    f = tmp_path / "broken.docx"
    f.write_bytes(b"PK\x03\x04 not really a zip archive")
    with pytest.raises(TranscriptFormatError, match="broken.docx"):
        read_transcript(f)


@pytest.mark.parametrize("data", [b"{\\rtf1\\ansi{\\fonttbl\\f0 Helvetica;}}", b"{\\rtf1 {\\*\\generator x;}"])
def test_an_rtf_file_with_no_text_is_one_error(tmp_path: Path, data: bytes) -> None:
    f = tmp_path / "empty.rtf"
    f.write_bytes(data)
    with pytest.raises(TranscriptFormatError, match="empty.rtf.*no text") as e:
        read_transcript(f)
    assert "\n" not in str(e.value)


def test_docx_with_forced_text_format(tmp_path: Path) -> None:
    f = _docx(tmp_path / "a.docx", ["Anne: Oui.", "Paul: Non.", "Anne: Si."])
    with pytest.raises(TranscriptFormatError, match=r"a\.docx.*--format docx"):
        read_transcript(f, format="plain")


# --- encodings and normalisation -----------------------------------------------------------------

TEXT = ("Élodie : Ça commence à Besançon ?\n\nRené : Oui, à côté de la gare — enfin, presque.\n\n"
        "Élodie : Très bien.\n\nRené : Voilà.\n")


@pytest.mark.parametrize("data,encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("cp1252"), "cp1252"),
    (TEXT.replace("—", "-").encode("latin-1") + b"\x81", "latin-1"),
    (TEXT.encode("utf-16"), "utf-16"),
])
def test_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    f = tmp_path / "enc.txt"
    f.write_bytes(data)
    iv = read_transcript(f)
    assert iv.encoding == encoding
    assert (f"decoded as {encoding}" in iv.warnings) == (encoding != "utf-8")
    assert [t.speaker for t in iv.turns][:4] == ["Élodie", "René", "Élodie", "René"]
    assert iv.turns[0].text == "Ça commence à Besançon ?"
    assert not iv.text.startswith("\ufeff")
    assert_offsets(iv)


def test_nfd_input_is_normalised(tmp_path: Path) -> None:
    f = tmp_path / "nfd.txt"
    f.write_bytes(unicodedata.normalize("NFD", TEXT).encode("utf-8"))
    iv = read_transcript(f)
    assert iv.text == unicodedata.normalize("NFC", TEXT)
    assert iv.turns[0].speaker == "Élodie" and iv.turns[0].text == "Ça commence à Besançon ?"
    assert_offsets(iv)


# --- options ---------------------------------------------------------------------------------------

def test_language_override_and_detection() -> None:
    assert read_transcript(FORMATS_DIR / "ts-line-fr.txt", language="en").language == "en"
    assert read_transcript(FORMATS_DIR / "ts-bracket-en.txt", language="FR").language == "fr"
    iv = read_transcript(FORMATS_DIR / "ts-bracket-en.txt")
    assert iv.language == "en" and "language detected as en" in iv.warnings
    assert not any("detected" in w for w in read_transcript(FORMATS_DIR / "header-fr.txt").warnings)


def test_unsupported_metadata_language_falls_back_to_detection(tmp_path: Path) -> None:
    f = tmp_path / "de.txt"
    f.write_text("Language: German\nTitle: Test\n\nQ: What do you build?\nA: Small robots for schools.\n",
                 encoding="utf-8")
    iv = read_transcript(f)
    assert iv.language == "en"
    assert any("German" in w for w in iv.warnings)


def test_forced_format() -> None:
    iv = read_transcript(FORMATS_DIR / "qa-en-meta.txt", format="plain")
    assert iv.source_format == "plain" and len(speech(iv)) == 4
    iv = read_transcript(FORMATS_DIR / "srt-caps-fr.srt", format="plain")
    assert iv.source_format == "plain"
    assert_offsets(iv)


def test_unknown_format_lists_known_ones() -> None:
    with pytest.raises(UnknownNameError) as e:
        read_transcript(FORMATS_DIR / "cms-fr.txt", format="xml")
    message = str(e.value)
    assert "'xml'" in message and "--format" in message and "\n" not in message
    for name in ("cms", "plain", "qa", "timestamped", "vtt", "srt", "docx"):
        assert name in FORMATS and name in message


def test_unknown_language() -> None:
    with pytest.raises(UnknownNameError, match=r"'de'.*--lang.*fr, en"):
        read_transcript(FORMATS_DIR / "cms-fr.txt", language="de")


# --- bad input --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,data,error,hint", [
    ("empty.txt", b"", InputError, "empty"),
    ("blank.txt", b" \n\r\n\t\n", InputError, "empty"),
    ("bin.txt", b"\x00\x01\x02\x03binary\x00" * 20, InputError, "binary"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), InputError, "binary"),
    ("ctrl.txt", bytes(range(1, 32)) * 20, InputError, "binary"),
    ("meta-only.md", b"---\ndate: 2024-01-01\nlayout: post\n---\n", InputError, "no transcript text"),
    ("markup-only.md", b"<!-- player -->\n<iframe src='https://x.example'>embed</iframe>\n", InputError,
     "no transcript text"),
    ("bad.vtt", b"WEBVTT\n\nthis is not a cue\n00:01 -> nope\n", TranscriptFormatError, "vtt"),
])
def test_bad_files(tmp_path: Path, name: str, data: bytes, error: type, hint: str) -> None:
    f = tmp_path / name
    f.write_bytes(data)
    with pytest.raises(error) as e:
        read_transcript(f)
    message = str(e.value)
    assert isinstance(e.value, KgError)
    assert name in message and hint in message and "\n" not in message


def test_missing_path_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.txt: no such file"):
        read_transcript(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a folder"):
        read_transcript(tmp_path)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "locked.txt"
    f.write_text("A: x\nB: y\n", encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError, match=r"locked.txt: cannot be read \(Permission denied\)"):
        read_transcript(f)


def test_no_turns_is_one_anonymous_turn_with_a_warning() -> None:
    iv = read_transcript(FORMATS_DIR / "no-turns-en.txt")
    assert len(iv.turns) == 1 and iv.turns[0].speaker is None and iv.turns[0].label is None
    assert iv.turns[0].text.startswith("This document is a summary")
    assert any("no speaker turns" in w for w in iv.warnings)


# --- discovery -----------------------------------------------------------------------------------------

def test_discover(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for rel in ("one.txt", "a/two.md", "a/b/three.vtt", "a/b/four.srt", "a/five.docx",
                ".secret.txt", "a/.draft.md", ".hidden/six.txt", "a/picture.png", "a/notes.json",
                "a/~$five.docx", "a/one.txt~"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    found = discover([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == sorted(
        ["one.txt", "a/two.md", "a/b/three.vtt", "a/b/four.srt", "a/five.docx"]
    )
    # explicit files are kept whatever their name; duplicates are dropped, order is kept
    both = discover([tmp_path / "a" / "picture.png", tmp_path, tmp_path / "one.txt"])
    assert both[0].name == "picture.png" and len(both) == 6


def test_discover_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "empty" / "data.csv").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="empty: no transcripts found") as e:
        discover([tmp_path / "empty"])
    assert "\n" not in str(e.value)
    with pytest.raises(InputError, match="missing: no such file or folder"):
        discover([tmp_path / "missing"])


OLE_DOC = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504) + "Marie : Bonjour.".encode("utf-16-le")
"""The first bytes of a Word 97-2003 document."""


def test_documents_kg_cannot_read_are_named_not_passed_over(tmp_path: Path) -> None:
    from kg.ingest import unreadable
    from kg.pipeline.extraction import transcripts

    (tmp_path / "a").mkdir()
    (tmp_path / "one.txt").write_text("Marie : Bonjour.\n", encoding="utf-8")
    for rel in ("a/old.doc", "a/draft.pages", "a/.~lock.doc", "a/~$old.doc"):
        (tmp_path / rel).write_bytes(OLE_DOC)
    assert [p.name for p in unreadable([tmp_path])] == ["draft.pages", "old.doc"]
    warnings: list[str] = []
    assert [p.name for p in transcripts([tmp_path], warnings.append)] == ["one.txt"]
    assert warnings == ["skipped 2 document(s) kg cannot read (draft.pages, old.doc: Apple Pages, Word 97-2003); "
                        "save them as .docx, .odt or .txt to include them"]
    (tmp_path / "one.txt").unlink()
    with pytest.raises(InputError, match=r"holds only documents kg cannot read \(2, such as draft.pages"):
        discover([tmp_path])
    with pytest.raises(InputError, match=r"old.doc: is a Word 97-2003 document .* save it as .docx or .odt$"):
        read_transcript(tmp_path / "a" / "old.doc")


def test_discover_then_read_the_fixture_folder() -> None:
    paths = discover([FORMATS_DIR])
    assert [p.name for p in paths] == ALL_FIXTURES
    for p in paths:
        assert_offsets(read_transcript(p))


# --- the shared real examples ----------------------------------------------------------------------

def test_barradeau(shared_corpus: Path) -> None:
    path = shared_corpus / "barradeau-2022.txt"
    if not path.exists():
        pytest.skip("barradeau-2022.txt is not in the shared corpus")
    iv = read_transcript(path)
    assert iv.source_format == "cms" and iv.language == "fr" and iv.date == "2022-02-15"
    turns = speech(iv)
    assert len(turns) == 25
    notes = [t for t in iv.turns if t.kind == "note"]
    assert [t.text for t in notes] == ["The interview was conducted via Zoom."]
    assert {t.speaker for t in turns} == {"Alexia Mathieu", "Nicolas Barradeau"}
    assert turns[0].speaker == "Alexia Mathieu" and turns[1].speaker == "Nicolas Barradeau"
    roles = {p.name: p.role for p in iv.participants}
    assert roles == {"Alexia Mathieu": I, "Nicolas Barradeau": E}
    assert participant(iv, "Nicolas Barradeau").url == "https://www.barradeau.com"
    assert iv.warnings == ()
    assert_offsets(iv)


def test_changelog(shared_corpus: Path) -> None:
    path = shared_corpus / "changelog-rfc-19.md"
    if not path.exists():
        pytest.skip("changelog-rfc-19.md is not in the shared corpus")
    iv = read_transcript(path)
    assert iv.language == "en"
    speakers = list(dict.fromkeys(t.speaker for t in speech(iv)))
    assert speakers == ["Nadia Eghbal", "Lauren McCarthy", "Mikeal Rogers"]
    # "**Name:** \[12:19\] text": the timestamp is read, not left in the turn text
    stamped = [t for t in iv.turns if t.timestamp]
    assert stamped and all(not t.text.startswith("\\[") for t in stamped)
    assert_offsets(iv)


# --- ambiguities --------------------------------------------------------------------------------------

def test_unnamed_dashes_between_two_named_speakers(tmp_path: Path) -> None:
    f = tmp_path / "d.srt"
    f.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nMARTIN : Vous dessinez encore\nà la main ?\n\n"
        "2\n00:00:03,500 --> 00:00:06,000\nBERGER : Tous les jours.\n\n"
        "3\n00:00:06,500 --> 00:00:08,000\n- Même le dimanche ?\n- Surtout le dimanche.\n\n"
        "4\n00:00:08,500 --> 00:00:10,000\nMARTIN : Merci.\n",
        encoding="utf-8",
    )
    iv = read_transcript(f)
    assert [(t.speaker, t.text) for t in iv.turns] == [
        ("Martin", "Vous dessinez encore à la main ?"), ("Berger", "Tous les jours."),
        ("Martin", "Même le dimanche ?"), ("Berger", "Surtout le dimanche."), ("Martin", "Merci."),
    ]
    assert_offsets(iv)


def test_markdown_rules_and_plain_labels_are_not_a_cms_export(tmp_path: Path) -> None:
    f = tmp_path / "rules.md"
    f.write_text("Anna: Première partie.\n\n----\n\nBoris: Oui.\n\n----\n\nAnna: Deuxième partie.\n\n----\n\n"
                 "Boris: Encore oui.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert iv.source_format == "plain"
    assert [t.label for t in iv.turns] == ["Anna", "Boris", "Anna", "Boris"]
    assert iv.turns[0].text == "Première partie."  # the rule is markup, blanked


def test_cms_without_transcript_field(tmp_path: Path) -> None:
    body = "**Iris:** " + "Une longue réponse sur la gravure. " * 8 + "\n\n**Paul:** Merci.\n\n**Iris:** De rien.\n"
    f = tmp_path / "kirby.txt"
    f.write_text(f"Title: Gravure\n\n----\n\nDate: 2020-01-01\n\n----\n\n"
                 f"Sommaire: court\n\n----\n\nVerbatim:\n\n{body}",
                 encoding="utf-8")
    iv = read_transcript(f)
    assert iv.source_format == "cms"
    assert [t.label for t in iv.turns] == ["Iris", "Paul", "Iris"]
    assert any("no Transcript field" in w for w in iv.warnings)
    assert iv.metadata["sommaire"] == "court"


def test_one_off_speakers(tmp_path: Path) -> None:
    f = tmp_path / "once.txt"
    f.write_text("Sophie Martin: Bonjour.\n\nHugo Blanc: Salut.\n\nSophie: Ça va ?\n\nHugo: Oui.\n\n"
                 "Sophie: Et Lucie ?\n\nLucie: Je suis là !\n\nHugo: Parfait.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert [t.speaker for t in iv.turns] == [
        "Sophie Martin", "Hugo Blanc", "Sophie Martin", "Hugo Blanc", "Sophie Martin", "Lucie", "Hugo Blanc",
    ]
    assert [p.name for p in iv.participants] == ["Sophie Martin", "Hugo Blanc", "Lucie"]
    assert participant(iv, "Sophie Martin").labels == ("Sophie Martin", "Sophie")


def test_markdown_header_with_blank_lines_and_bold_keys(tmp_path: Path) -> None:
    f = tmp_path / "h.md"
    f.write_text("**Title:** Kilns and code\n\n**Interviewer:** Mia Park\n\n**Interviewee:** Olu Ade\n\n"
                 "**Mia:** When did you start?\n\n**Olu:** In 2010.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert iv.title == "Kilns and code"
    assert [t.speaker for t in speech(iv)] == ["Mia Park", "Olu Ade"]
    assert {p.name: p.role for p in iv.participants} == {"Mia Park": I, "Olu Ade": E}


def test_unknown_header_keys_between_known_ones_stay_in_the_header(tmp_path: Path) -> None:
    f = tmp_path / "h.txt"
    f.write_text("Titre : Une tournée\nEnquêtrice : Claire Besson\nProduction : Radio Campus\nDate : 14 mars 2025\n"
                 "Personne interrogée : Nadia Ferrand\nLieu : Parthenay\n\nClaire Besson : Bon, ça enregistre.\n\n"
                 "Nadia Ferrand : Oui, alors, euh, je m'appelle Nadia.\n\nClaire : Et concrètement ?\n",
                 encoding="utf-8")
    iv = read_transcript(f)
    assert [t.speaker for t in speech(iv)] == ["Claire Besson", "Nadia Ferrand", "Claire Besson"]
    assert {p.name: p.role for p in iv.participants} == {"Claire Besson": I, "Nadia Ferrand": E}
    assert iv.metadata["production"] == "Radio Campus" and iv.metadata["place"] == "Parthenay"


def test_an_unknown_key_before_the_turns_is_not_swallowed(tmp_path: Path) -> None:
    f = tmp_path / "t.txt"
    f.write_text("Titre : Une tournée\nNadia : Oui, alors, on part lundi.\nClaire : Et ensuite ?\n"
                 "Nadia : Parthenay.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert iv.title == "Une tournée"
    assert [t.label for t in speech(iv)] == ["Nadia", "Claire", "Nadia"]


@pytest.mark.parametrize("intro, asker, answerer", [
    ("Entretien réalisé par Claire Fournier avec Mathilde Guérin, journaliste, dans un café de Thiers.",
     "Claire Fournier", "Mathilde Guérin"),
    ("Propos recueillis par Jean Dupont. Entretien avec Marie-Claire Lenoir, architecte.", "Jean Dupont",
     "Marie-Claire Lenoir"),
    ("Interview with Ada Byrne, conducted by Sam Hill in March 2024.", "Sam Hill", "Ada Byrne"),
    ("Entretien avec Anne Le Floch, au printemps.", None, "Anne Le Floch"),  # who asked is not said: not guessed
    ("Jean Dupont, notre rédacteur, a rencontré Anne Le Floch à Brest.", None, "Anne Le Floch"),
    ("Ada Byrne is a weaver in Galway. She told us about looms.", None, "Ada Byrne"),
    ("Une conversation sur les métiers à tisser, à Brest.", None, None),
    ("Avec nous :\n\nAnne Le Floch, tisserande à Brest.\nPaul Morin, teinturier.", None, None),  # which one answers?
])
def test_an_introduction_names_who_asks_and_who_answers(tmp_path: Path, intro: str, asker: str | None,
                                                        answerer: str | None) -> None:
    f = tmp_path / "qr.txt"
    f.write_text(f"{intro}\n\nQ : Bon, ça enregistre.\n\nR : Oui, alors, je suis là.\n\nQ : Et ensuite ?\n\n"
                 "R : Onze ans.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert [t.label for t in speech(iv)] == ["Q", "R", "Q", "R"]
    assert [t.speaker for t in speech(iv)] == [asker, answerer] * 2
    assert {p.name: p.role for p in iv.participants} == {n: r for n, r in ((asker, I), (answerer, E)) if n}


def test_a_header_person_followed_by_what_they_do_is_still_the_header(tmp_path: Path) -> None:
    f = tmp_path / "d.txt"
    f.write_text("Titre : Fouilles\nIntervieweuse : Claire Vasseur, chercheuse au CNRS\n"
                 "Interviewé : Thomas Rigal, archéologue à l'Inrap\n\nClaire Vasseur : Bonjour.\n\n"
                 "Thomas Rigal : Bonjour à vous.\n\nClaire : Vous fouillez depuis quand ?\n", encoding="utf-8")
    iv = read_transcript(f)
    assert [t.speaker for t in speech(iv)] == ["Claire Vasseur", "Thomas Rigal", "Claire Vasseur"]
    assert {p.name: p.role for p in iv.participants} == {"Claire Vasseur": I, "Thomas Rigal": E}
    assert "archéologue à l'Inrap" in [t.text for t in iv.turns if t.kind == "note"]  # the header's prose is read


def test_single_header_line_naming_a_person_is_a_turn(tmp_path: Path) -> None:
    f = tmp_path / "i.txt"
    f.write_text("Interviewer: Bonjour Marc.\nMarc: Bonjour.\nInterviewer: On commence.\nMarc: Oui.\n",
                 encoding="utf-8")
    iv = read_transcript(f)
    assert [t.label for t in iv.turns] == ["Interviewer", "Marc"] * 2
    assert iv.turns[0].text == "Bonjour Marc."


def test_participants_with_roles_and_labels_in_parentheses(tmp_path: Path) -> None:
    f = tmp_path / "p.txt"
    f.write_text("Title: Paper and ink\nParticipants: Jane Doe (interviewer), [Tom Ortega](https://t.example) (TO)\n\n"
                 "Jane: Why paper?\n\nTO: Because it lasts.\n\nJane: And ink?\n\nTO: Same reason.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert [t.speaker for t in speech(iv)] == ["Jane Doe", "Tom Ortega"] * 2
    assert {p.name: p.role for p in iv.participants} == {"Jane Doe": I, "Tom Ortega": E}
    assert participant(iv, "Tom Ortega").url == "https://t.example"


def test_subtitle_names_given_once_each(tmp_path: Path) -> None:
    f = tmp_path / "once.vtt"
    f.write_text("WEBVTT\n\n00:01.000 --> 00:03.000\nLéa: Tu as fini le montage ?\n\n"
                 "00:03.000 --> 00:05.000\nPaul: Presque.\n\n00:05.000 --> 00:07.000\nIl reste le son.\n",
                 encoding="utf-8")
    iv = read_transcript(f)
    assert [(t.speaker, t.text) for t in iv.turns] == [
        ("Léa", "Tu as fini le montage ?"), ("Paul", "Presque. Il reste le son."),
    ]


def test_bold_phrase_seen_once_is_not_a_speaker(tmp_path: Path) -> None:
    f = tmp_path / "b.md"
    f.write_text("**Nora Blum:** What matters most?\n\n**Key point:** keep it small.\n\n**Ilan Roth:** Yes.\n\n"
                 "**Nora Blum:** Thanks.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert [t.speaker for t in iv.turns] == ["Nora Blum", "Ilan Roth", "Nora Blum"]
    assert iv.turns[0].text == "What matters most?\n\n  Key point:   keep it small."  # bold markers blanked


@pytest.mark.parametrize("label", ["SPEAKER_00", "Speaker 1", "Intervenant 2", "Locuteur A", "Unknown",
                                   "Voix OFF", "AUDIENCE"])
def test_diarisation_labels_are_not_people(tmp_path, label):
    f = tmp_path / "diarised.txt"
    f.write_text(f"{label}: Bonjour, tu utilises Processing ?\nAnne Roux: Oui, depuis 2015.\n"
                 f"{label}: Et Python ?\nAnne Roux: Aussi.\n", encoding="utf-8")
    iv = read_transcript(f)
    assert [t.speaker for t in iv.turns] == [None, "Anne Roux", None, "Anne Roux"]
    assert [p.name for p in iv.participants] == ["Anne Roux"]
    assert [t.label for t in iv.turns][0] == label


PUNCTUATED_TURN = ("So I started with Processing, in two thousand and ten. Then a friend showed me openFrameworks. "
                   "We still meet in Lyon, at the studio, every Thursday. ")


@pytest.mark.parametrize("unpunctuated", [True, False])
def test_a_transcript_without_punctuation_is_read_with_a_warning_saying_so(tmp_path: Path, unpunctuated: bool) -> None:
    turn = PUNCTUATED_TURN * 12
    if unpunctuated:  # what automatic captions give: the same words, no sentence marks
        turn = turn.replace(",", "").replace(".", "")
    iv = read_transcript(written(tmp_path / "t.txt", f"Marc: {turn}\n\nLea: {turn}\n"))
    said = [w for w in iv.warnings if "punctuation" in w]
    assert len(said) == (1 if unpunctuated else 0)
    if unpunctuated:
        assert said[0].startswith("almost no punctuation (no sentence marks)")
        assert "So I started with Processing in two thousand" in iv.text  # read all the same


def test_a_transcript_in_lower_case_is_read_with_a_warning_saying_so(tmp_path: Path) -> None:
    turn = (PUNCTUATED_TURN * 12).lower()  # old automatic captions: no capitals, not even for names
    iv = read_transcript(written(tmp_path / "t.txt", f"Marc: {turn}\n\nLea: {turn}\n"))
    said = [w for w in iv.warnings if "capital" in w]
    assert len(said) == 1 and said[0].startswith("almost no capital letters (")
    assert said[0].endswith("names are found mostly by their capitals, so few will be; a transcript with them "
                            "(most ASR tools write them) extracts far better")
    assert not any("punctuation" in w for w in iv.warnings)  # its full stops are there
    cased = read_transcript(written(tmp_path / "cased.txt", f"Marc: {PUNCTUATED_TURN * 12}\n"))
    assert not any("capital" in w for w in cased.warnings)


def test_a_short_unpunctuated_answer_is_no_reason_to_warn(tmp_path: Path) -> None:
    iv = read_transcript(written(tmp_path / "t.txt", "Marc: yes I use Processing every day\n\nLea: ok thanks\n"))
    assert not any("punctuation" in w for w in iv.warnings)


@pytest.mark.parametrize("lines", [
    ["[00:00:00.000 --> 00:00:04.000]  so today we talk with", "[00:00:04.000 --> 00:00:08.500]  Lena Vogt about maps"],
    ["[00:00.000 --> 00:04.000] so today we talk with", "[00:04.000 --> 00:08.500] Lena Vogt about maps"],
    ["[0.00s -> 4.00s] so today we talk with", "[4.00s -> 8.50s] Lena Vogt about maps"],
    ["[00:00:00] so today we talk with", "[00:00:04] Lena Vogt about maps", "[00:00:08.500]"],
], ids=["whisper.cpp", "whisper", "faster-whisper", "start times"])
def test_speech_to_text_segment_lines_run_on_as_one_turn(tmp_path: Path, lines: list[str]) -> None:
    iv = read_transcript(written(tmp_path / "asr.txt", "\n".join(lines) + "\n"), language="en")
    assert iv.source_format == "segments"
    [turn] = speech(iv)
    assert turn.text == "so today we talk with Lena Vogt about maps"
    assert [at for _, at in turn.times] == [0.0, 4.0, 4.0, 8.5]
    assert_offsets(iv)


@pytest.mark.parametrize("text", [
    "Entretien avec Lena Vogt.\n\n[00:00:00.000 --> 00:00:04.000]  Bonjour Lena.\n"
    "[00:00:04.000 --> 00:00:08.000]  Bonjour.\n",  # a header first: plain text, the spans blanked in place
    "[1] Voir la note.\n[2] Et celle-ci.\n[3] Une autre.\n",  # numbered notes, no times
    "[00:00:01] Anne: Bonjour.\n[00:00:04] Marc: Bonjour Anne.\n[00:00:09] Anne: On commence ?\n",  # turns
    "00:00\nAnne: Bonjour.\nMarc: Bonjour Anne.\n05:00\nAnne: On commence ?\n",  # a meeting's minutes, then turns
    "10:30\n11:00\nLe programme de la journée.\n",  # times above no words
])
def test_other_lines_opened_by_times_or_brackets_are_not_segment_lines(tmp_path: Path, text: str) -> None:
    iv = read_transcript(written(tmp_path / "x.txt", text), language="fr")
    assert iv.source_format != "segments"
    assert "-->" not in " ".join(t.text for t in iv.turns)
    assert_offsets(iv)


@pytest.mark.parametrize("text,last", [
    ("0:00\nso today we talk with\n0:04\nLena Vogt about\nmaps and\n0:00:09\nher work\n", 9.0),
    ("0:00 so today we talk with\n0:04 Lena Vogt about maps and\n1:02:09 her work\n", 3729.0),
], ids=["start above its words", "start before its words"])
def test_a_transcript_copied_from_a_video_page_runs_on_as_one_turn(tmp_path: Path, text: str, last: float) -> None:
    """Each caption's start, then its words, as a video site's transcript panel copies them."""
    iv = read_transcript(written(tmp_path / "copied.txt", text), language="en")
    assert iv.source_format == "segments"
    [turn] = speech(iv)
    assert turn.text == "so today we talk with Lena Vogt about maps and her work"
    assert turn.times[0] == (turn.start, 0.0) and turn.times[-1] == (turn.end, last)
    assert (iv.text.index("Lena"), 4.0) in turn.times  # the words of the caption at 0:04 are said from then
    assert_offsets(iv)


def test_a_name_alone_below_each_start_is_the_speaker(tmp_path: Path) -> None:
    """Some services export each turn as its start, the speaker's name, then the words, each on its own line."""
    text = ("00:00:01\nClaire Besson\nVous travaillez où ?\n\n00:00:04\nNadia Ferrand\nÀ Lyon, chez Renault.\n"
            "Depuis longtemps.\n\n00:00:09\nClaire Besson\nDepuis quand ?\n\n00:00:12\nNadia Ferrand\n2010.\n")
    iv = read_transcript(written(tmp_path / "service.txt", text), language="fr")
    assert [(t.label, t.text) for t in speech(iv)] == [
        ("Claire Besson", "Vous travaillez où ?"), ("Nadia Ferrand", "À Lyon, chez Renault. Depuis longtemps."),
        ("Claire Besson", "Depuis quand ?"), ("Nadia Ferrand", "2010.")]
    assert speech(iv)[1].start_time == 4.0
    assert_offsets(iv)


def test_a_caption_of_two_lines_shares_its_time_between_them(tmp_path: Path) -> None:
    iv = read_transcript(written(tmp_path / "copied.txt", "0:00\nso today we talk with\n0:04\nLena Vogt about\n"
                                                          "maps and\n0:09\nher work\n"), language="en")
    [turn] = speech(iv)
    assert 4.0 < dict(turn.times)[iv.text.index("maps")] < 9.0  # the caption's second line, later in its time


def test_segment_lines_without_words_are_one_line_error(tmp_path: Path) -> None:
    path = written(tmp_path / "silence.txt", "[00:00:00.000 --> 00:00:04.000]\n[00:00:04.000 --> 00:00:08.000]\n")
    with pytest.raises(KgError, match=r"silence\.txt: not a valid segments transcript \(no .*text found\)") as e:
        read_transcript(path)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("name, text", [
    ("blog.md", "**Thea:** I started with hardware.\n\n## A Hundred Versus a Thousand\n\n"
                "**Julia:** Why does scale matter?\n\n**Thea:** Cost.\n\n## Benevolent Release Manager\n\n"
                "And then I kept going.\n"),
    ("page.html", "<p><b>Thea:</b> I started with hardware.</p><h3>A Hundred Versus a Thousand</h3>"
                  "<p><b>Julia:</b> Why does scale matter?</p><p><b>Thea:</b> Cost.</p>"
                  "<h2>Benevolent Release Manager</h2><p>And then I kept going.</p>"),
])
def test_section_headings_between_answers_are_nobody_s_words(tmp_path: Path, name: str, text: str) -> None:
    """An editor's section titles are not the last words of the answer above them, nor anyone's."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    iv = read_transcript(path)
    said = [(t.label, t.text) for t in iv.turns if t.kind == "speech"]
    assert said == [("Thea", "I started with hardware."), ("Julia", "Why does scale matter?"), ("Thea", "Cost."),
                    ("Thea", "And then I kept going.")]
    assert not any("Hundred" in t.text or "Benevolent" in t.text for t in iv.turns)
    assert iv.text[iv.turns[-1].start:iv.turns[-1].end] == "And then I kept going."
