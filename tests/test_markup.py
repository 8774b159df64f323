"""Markup-aware reading: markup and markers blanked in place, labels still found, metadata prose mined."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.ingest import load_source, read_transcript
from kg.ingest.markup import blank_markers, decode_references, has_markup, is_marker, read_markup
from kg.model import Interview


def assert_blanked_in_place(src: str, out: str) -> None:
    """Same length, whitespace where it was, and every other character either kept as it is or a space."""
    assert len(out) == len(src)
    for a, b in zip(src, out, strict=False):
        if a.isspace():
            assert b == a
        else:
            assert b in (a, " ")


def assert_offsets(iv: Interview) -> None:
    for t in iv.turns:
        assert iv.text[t.start:t.end] == t.text and t.text == t.text.strip()
        for s in t.sentences:
            assert iv.text[s.start:s.end] == s.text


# name, source, the words left once markup is blanked
MARKDOWN = [
    ("link", 'See [Standard Ebooks](https://standardebooks.org/ "SE") now.', ["See", "Standard", "Ebooks", "now."]),
    ("link-parens", "The [Rust book](https://x.example/a_(b)) and more", ["The", "Rust", "book", "and", "more"]),
    ("reference-link", "[Acast][1] player\n\n[1]: https://acast.com\n", ["Acast", "player"]),
    ("autolink", "Mail <https://a.example/x> please", ["Mail", "https://a.example/x", "please"]),
    ("emphasis", "**Bold** and *it* and __u__ and ~~s~~ x", ["Bold", "and", "it", "and", "u", "and", "s", "x"]),
    ("heading", "# Title\n\n## Sub *x*\n\nText", ["Title", "Sub", "x", "Text"]),
    ("setext", "Title\n=====\n\nText\n", ["Title", "Text"]),
    ("lists", "- one\n- two\n  * nested\n\n1984. We moved", ["one", "two", "nested", "1984.", "We", "moved"]),
    ("blockquote", "> quoted **x**\n> more", ["quoted", "x", "more"]),
    ("table", "| Name | Tool |\n|---|---|\n| Ada | Python |\n", ["Name", "Tool", "Ada", "Python"]),
    ("code", "Use `node.js` here\n\n```python\nimport spacy\n```\n", ["Use", "node.js", "here", "import", "spacy"]),
    ("rule", "One.\n\n---\n\nTwo.", ["One.", "Two."]),
    ("inline-html", '<a href="https://acast.com/x">L\'épisode sur Acast</a> et <b>gras</b>',
     ["L'épisode", "sur", "Acast", "et", "gras"]),
    ("html-block", '<!-- intégration Acast -->\n<iframe src="https://embed.acast.com/x" width="100%"></iframe>\n'
     '</br>\n<p class="a">Texte <strong>fort</strong></p>\n<script>var Paris = 1;</script>\n', ["Texte", "fort"]),
    ("figure", '<figure>\n<img src="x.png">\n<figcaption>Photo Berlin</figcaption>\n</figure>\n\nAprès',
     ["Après"]),
    ("inline-iframe", 'Listen <iframe src="https://x.example">Berlin</iframe> here', ["Listen", "here"]),
    ("inline-comment", "Hello <!-- hidden Paris --> world", ["Hello", "world"]),
    ("entities", "AT&amp;T &larr; back&nbsp;home", ["AT&", "T", "back", "home"]),
    ("html-entities", "<p>caf&eacute; &amp; Co</p>\n", ["caf", "&", "Co"]),
    ("escapes", "\\[12:19\\] \\*not em\\*", ["[12:19", "]", "*not", "em", "*"]),
    ("template-tags", "{% transcription %}\nBonjour {{ page.title }} Paris", ["Bonjour", "Paris"]),
    ("footnotes", "Avec Blender[^1] depuis.\n\n[^1]: Le logiciel de\n    Ton Roosendaal.\n\nEt [^2] reste.\n",
     ["Avec", "Blender", "depuis.", "Et", "[^2]", "reste."]),
    ("image", "![Photo of Ada](ada.png) caption", ["caption"]),
]


@pytest.mark.parametrize("src,words", [c[1:] for c in MARKDOWN], ids=[c[0] for c in MARKDOWN])
def test_markup_is_blanked_in_place(src: str, words: list[str]) -> None:
    reading = read_markup(src)
    assert reading.text.split() == words
    assert_blanked_in_place(src, reading.text)
    assert len(reading.labels) == len(src)


PLAIN = [
    "Alice: Hello, how are you?\nBob: Fine (really) — thanks!\n",
    "Prix : 5 € * 3 = 15 €, et 2 * 4 = 8.",
    "snake_case_name and a_b_c stay; so does file_v2_final.txt.",
    "Email a@b.c, 50% off; C'est l'été. <3 x > y",
    "Question : pourquoi ?\r\nRéponse : parce que.\r\n",
    "1984 was a year.\nLine two, Zürich & Genève.",
    "Nicolas: on a utilisé Processing, puis p5.js.\n\nAlexia: d'accord.\n",
]


@pytest.mark.parametrize("src", PLAIN)
def test_plain_text_is_unchanged(src: str) -> None:
    assert read_markup(src).text == src
    assert read_markup(src).labels == src
    assert not has_markup(src)


def test_label_view_keeps_labels() -> None:
    src = '<p><strong>Mélanie RAPHAËL :</strong>  Bonjour</p>\n\n**Alan** : Salut [x](y)\n'
    labels = read_markup(src).labels
    # the tags' stars stand against the words they hold, as Markdown writes them
    lines = [line for line in labels.split("\n") if line.strip()]
    assert lines[0].split() == ["**Mélanie", "RAPHAËL", ":**", "Bonjour"]
    assert lines[1] == "**Alan** : Salut [x](y)"  # Markdown is left as written


PIECES = ["a", "Zé", " ", "\n", "\n\n", "\r\n", "\t", "*", "**", "_", "[", "]", "(", ")", "](", "<", ">", "!",
          "#", "# ", "`", "```", "~", "|", "- ", "1. ", "> ", "&amp;", "&larr;", "&", ";", "\\", ":", "'", '"',
          "<a href='x'>", "</a>", "<b>", "</b>", "<!--", "-->", "<iframe>", "</iframe>", "<p>", "</p>",
          "{%", "%}", "(rires)", "[NOM]", "XXX", "http://x.y/z", "    "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_blanking_keeps_length_lines_and_characters(src: str) -> None:
    reading = read_markup(src)
    assert_blanked_in_place(src, reading.text)
    assert len(reading.labels) == len(src)
    # the source's line breaks stay; a block tag after text on its line starts a line (its "<" a line break)
    breaks = {i for i, c in enumerate(reading.labels) if c in "\r\n"}
    assert breaks >= {i for i, c in enumerate(src) if c in "\r\n"}
    assert all(src[i] == "<" for i in breaks if src[i] not in "\r\n")
    assert_blanked_in_place(src, blank_markers(src))


# --- transcript markers -------------------------------------------------------------------------------

@pytest.mark.parametrize("text,marker", [
    ("(rires)", True), ("[rires]", True), ("(laughs)", True), ("[Laughter]", True), ("[ Laughter ]", True),
    ("[inaudible]", True), ("[inaudible 00:12:03]", True), ("[crosstalk]", True), ("[music]", True),
    ("(silence)", True), ("[pause]", True), ("[longue pause]", True), ("[MUSIC PLAYING]", True),
    ("[NOM]", True), ("[PRÉNOM]", True), ("[X]", True), ("[anonymisé]", True), ("[redacted]", True),
    ("[nom de l'entreprise]", True), ("[name of company]", True),
    ("(CEA)", False), ("(MEAE)", False), ("[Standard Ebooks]", False), ("[Paris]", False), ("(dis)", False),
    ("(niveau Diffusion Restreinte)", False), ("[…]", False), ("(L'espoir)", False), ("[Alan]", False),
])
def test_markers(text: str, marker: bool) -> None:
    assert is_marker(text) is marker


def test_markers_are_blanked_in_place() -> None:
    src = "Oui (rires) bien [inaudible] chez [NOM] à XXX, BIP, *** fin (CEA) [Paris]"
    out = blank_markers(src)
    assert out.split() == ["Oui", "bien", "chez", "à", ",", ",", "fin", "(CEA)", "[Paris]"]
    assert_blanked_in_place(src, out)


# --- whole transcripts ------------------------------------------------------------------------------

def _read(tmp_path: Path, name: str, text: str) -> Interview:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    iv = read_transcript(f)
    assert_offsets(iv)
    if not name.endswith((".vtt", ".srt")):
        assert_blanked_in_place(decode_references(load_source(f).text), iv.text)
    return iv


def test_txt_with_markdown(tmp_path: Path) -> None:
    iv = _read(tmp_path, "notes.txt", "**Ana:** See [Le Monde](https://lemonde.fr) on *Tuesday*.\n\n"
               "**Ben:** Yes &mdash; and `p5.js`.\n\n**Ana:** OK.\n")
    assert [(t.speaker, t.text.split()) for t in iv.turns] == [
        ("Ana", ["See", "Le", "Monde", "on", "Tuesday", "."]), ("Ben", ["Yes", "—", "and", "p5.js", "."]),
        ("Ana", ["OK."]),
    ]
    assert "](" not in iv.text and "**" not in iv.text


@pytest.mark.parametrize("raw,decoded", [
    ("d&eacute;couvert", "découvert"),
    ("l&#8217;&Eacute;cole", "l’École"),
    ("l&#x2019;atelier", "l’atelier"),
    ("l&#39;atelier", "l'atelier"),
    ("ma&shy;chine", "machine"),  # an invisible format character goes, the word stays whole
    ("e&#769;te&#769;", "été"),  # a combining accent decoded, then composed (NFC)
    ("a&nbsp;:", "a\u00a0:"),
    ("&lt;b&gt;x&lt;/b&gt; &amp; &#42;y&#42; &#91;z&#93;", "&lt;b&gt;x&lt;/b&gt; &amp; &#42;y&#42; &#91;z&#93;"),
    ("le livre &quot;Shoah&quot;", 'le livre "Shoah"'),  # quotation marks mark titles: decoded
    ("&amp;eacute; &bogus; &#0; &#xD800;", "&amp;eacute; &bogus; &#0; &#xD800;"),  # not references to letters
    ("&larr; Retour &copy; 2024", "&larr; Retour &copy; 2024"),  # symbols decorate a page: left to be blanked
    ("<a title='l&#39;&eacute;t&eacute;'>l&#39;&eacute;t&eacute;</a>", "<a title='l&#39;&eacute;t&eacute;'>l'été</a>"),
])
def test_character_references_are_decoded_outside_tags(raw: str, decoded: str) -> None:
    assert decode_references(raw) == decoded


def test_a_saved_page_with_character_references_reads_whole_words(tmp_path: Path) -> None:
    """A page saved from WordPress writes apostrophes and accents as references: the words keep their letters."""
    iv = _read(tmp_path, "page.html", "<article><p><strong>Marie :</strong> C&#8217;est gr&acirc;ce &agrave; "
               "l&#8217;&Eacute;cole de Lyon, o&ugrave; j&#8217;ai d&eacute;couvert Processing.</p>\n"
               "<p><strong>Paul :</strong> Et &lt;TouchDesigner&gt; ?</p></article>\n")
    assert [t.label for t in iv.turns] == ["Marie", "Paul"]
    assert iv.turns[0].text == "C’est grâce à l’École de Lyon, où j’ai découvert Processing."
    assert iv.turns[1].text.split() == ["Et", "TouchDesigner", "?"]  # an escaped tag is still no word


def test_character_references_in_a_plain_text_transcript_are_decoded_too(tmp_path: Path) -> None:
    iv = _read(tmp_path, "t.txt", "Marie : J&#8217;utilise Blender depuis l&#8217;&eacute;t&eacute; 2015.\n\n"
               "Paul : Et apr&egrave;s ?\n\nMarie : Maya.\n")
    assert [t.text for t in iv.turns] == ["J’utilise Blender depuis l’été 2015.", "Et après ?", "Maya."]


def test_character_references_are_left_alone_in_subtitles(tmp_path: Path) -> None:
    """WebVTT's own escapes are its reader's to decode: the subtitle formats are not read as HTML pages."""
    iv = _read(tmp_path, "s.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Marie>Caf&eacute; &amp; th&eacute;</v>\n")
    assert "&eacute;" not in iv.text


def test_a_saved_pages_menus_sidebar_and_footer_are_no_speech(tmp_path: Path) -> None:
    """They came after the last answer, and were read as its words: "Refik Anadol" said by the interviewee."""
    iv = _read(tmp_path, "page.html", "<html><body><header><nav><a href='/'>Accueil</a> <a href='/t'>Tech</a></nav>"
               "<h1>Entretien avec Marie Dupont</h1></header><article>\n"
               "<p><strong>Paul Martin :</strong> Comment avez-vous découvert Processing ?</p>\n"
               "<p><strong>Marie Dupont :</strong> Grâce à Casey Reas.</p>\n"
               "<p><strong>Paul Martin :</strong> Et aujourd'hui ?</p>\n"
               "<p><strong>Marie Dupont :</strong> Blender, surtout.</p>\n"
               "<aside><h3>À lire aussi</h3><a href='/a'>Rencontre avec Refik Anadol</a></aside></article>\n"
               "<form><label>Newsletter</label></form><footer>© 2024 Le Journal des Arts</footer></body></html>\n")
    assert [" ".join(t.text.split()) for t in iv.turns] == [
        "Entretien avec Marie Dupont", "Comment avez-vous découvert Processing ?", "Grâce à Casey Reas.",
        "Et aujourd'hui ?", "Blender, surtout."]
    assert "Anadol" not in iv.text and "Journal" not in iv.text and "Accueil" not in iv.text


@pytest.mark.parametrize("body", [
    "<p><strong>Marie :</strong> J'utilise Blender.</p><p><strong>Paul :</strong> Et Processing ?</p>"
    "<p><strong>Marie :</strong> Aussi.</p><p><strong>Paul :</strong> Merci.</p>",
    "<p>Marie : J'utilise Blender.</p><p>Paul : Et Processing ?</p><p>Marie : Aussi.</p><p>Paul : Merci.</p>",
    "<p><b>Marie :</b> J'utilise Blender.<br><b>Paul :</b> Et Processing ?<br><b>Marie :</b> Aussi.<br>"
    "<b>Paul :</b> Merci.</p>",
    # a definition list: each term the speaker of its definition
    "<dl><dt>Marie</dt><dd>J'utilise Blender.</dd><dt>Paul</dt><dd>Et Processing ?</dd><dt>Marie</dt>"
    "<dd>Aussi.</dd><dt>Paul</dt><dd>Merci.</dd></dl>",
])
def test_a_page_written_on_one_line_has_its_turns(tmp_path: Path, body: str) -> None:
    """Saved pages are often minified: every paragraph on one line, where labels were looked for at line starts
    only, so the page was one anonymous turn."""
    iv = _read(tmp_path, "min.html", f"<html><body><article><h1>Entretien</h1>{body}</article></body></html>\n")
    assert [(t.label, t.text) for t in iv.turns if t.kind == "speech"] == [
        ("Marie", "J'utilise Blender."), ("Paul", "Et Processing ?"), ("Marie", "Aussi."), ("Paul", "Merci.")]


def test_a_footnote_is_no_speech(tmp_path: Path) -> None:
    """A Markdown interview's footnote, defined after the last answer, was read as that answer's words."""
    iv = _read(tmp_path, "fn.md", "**Marie :** J'utilise Blender[^1] depuis 2015.\n\n**Paul :** Et Processing ?\n\n"
               "**Marie :** Aussi.\n\n[^1]: Le logiciel libre, créé par Ton Roosendaal.\n")
    assert [(t.label, t.text.split()) for t in iv.turns] == [
        ("Marie", ["J'utilise", "Blender", "depuis", "2015."]), ("Paul", ["Et", "Processing", "?"]),
        ("Marie", ["Aussi."])]


def test_html_paragraph_labels(tmp_path: Path) -> None:
    iv = _read(tmp_path, "p.md", '<iframe src="https://embed.example/x"></iframe>\n\n{% transcription %}\n'
               "<p><strong>Mélanie RAPHAËL :</strong>  Bonjour Henri.</p>\n<br>\n\n"
               "<p><strong>Henri VERDIER :</strong>  Bonjour <a href='https://x.fr'>Mélanie</a>.</p>\n"
               "<p>Suite de la réponse.</p>\n<br>\n\n<p><strong>Mélanie RAPHAËL :</strong>  Merci.</p>\n")
    assert [t.label for t in iv.turns] == ["Mélanie RAPHAËL", "Henri VERDIER", "Mélanie RAPHAËL"]
    assert iv.turns[1].text.split() == ["Bonjour", "Mélanie", ".", "Suite", "de", "la", "réponse."]
    assert "<" not in iv.text and "iframe" not in iv.text and "{%" not in iv.text


@pytest.mark.parametrize("body,labels", [
    ("[Chercheur] Vous travaillez où ?\n[Interviewé] À Lyon, chez Renault.\n[Chercheur] Depuis quand ?\n"
     "[Interviewé] 2010.\n", ["Chercheur", "Interviewé"] * 2),
    ("(Interviewer) So, where?\n(Interviewee) In Leeds.\n(Interviewer) Since when?\n(Interviewee) 2010.\n",
     ["Interviewer", "Interviewee"] * 2),
    ("[Chercheur]\nVous travaillez où ?\n\n[Interviewée]\nÀ Lyon.\n", ["Chercheur", "Interviewée"]),
    ("[Marie] Bonjour.\n[Paul] Salut.\n[Marie] Ça va ?\n[Paul] Oui.\n", ["Marie", "Paul"] * 2),
    # in bold, as word processors' transcripts set them
    ("**[Chercheur]** Vous travaillez où ?\n\n**[Interviewé]** À Lyon.\n\n**[Chercheur]** Depuis quand ?\n\n"
     "**[Interviewé]** 2010.\n", ["Chercheur", "Interviewé"] * 2),
    ("[**Marie**] Bonjour.\n[**Paul**] Salut.\n[**Marie**] Ça va ?\n[**Paul**] Oui.\n", ["Marie", "Paul"] * 2),
    ("**[Marie]:** Bonjour.\n**[Paul]:** Salut.\n**[Marie]:** Ça va ?\n**[Paul]:** Oui.\n", ["Marie", "Paul"] * 2),
])
def test_bracketed_labels(tmp_path: Path, body: str, labels: list[str]) -> None:
    iv = _read(tmp_path, "b.txt", body)
    assert [t.label for t in iv.turns] == labels
    assert not any(c in t.text for t in iv.turns for c in "[]()")


def test_stage_direction_opening_a_line_is_not_a_label(tmp_path: Path) -> None:
    iv = _read(tmp_path, "s.txt", "Anne: Bonjour.\n[Rires] Oui, bien sûr.\nLuc: Merci (rires).\n"
               "(Silence)\nAnne: Au revoir [inaudible].\nLuc: Salut.\n")
    assert [t.label for t in iv.turns] == ["Anne", "Luc", "Anne", "Luc"]
    assert [t.text for t in iv.turns] == ["Bonjour.\n        Oui, bien sûr.", "Merci        .",
                                          "Au revoir            .", "Salut."]


def test_anonymisation_markers_are_not_in_turn_text(tmp_path: Path) -> None:
    iv = _read(tmp_path, "a.txt", "Q: Où travaillez-vous ?\nA: Chez [NOM DE L'ENTREPRISE], avec XXX et BIP.\n"
               "Q: Et [PRÉNOM] ?\nA: [anonymisé] est parti.\n")
    words = " ".join(t.text for t in iv.turns).split()
    assert not {"[NOM", "XXX", "BIP", "[PRÉNOM]", "[anonymisé]", "L'ENTREPRISE],"} & set(words)
    assert iv.turns[1].text.startswith("Chez")


@pytest.mark.parametrize("numbered", [
    "1  I: Pouvez-vous me parler de votre parcours\n2     professionnel ?\n3  P: J'ai grandi à Brest.\n"
    "4  I: Et ensuite ?\n5  P: Ifremer, pendant vingt ans.\n",
    "0001\tI: Pouvez-vous me parler de votre parcours\n0002\t   professionnel ?\n0003\tP: J'ai grandi à Brest.\n"
    "0004\tI: Et ensuite ?\n0005\t\n0006\tP: Ifremer, pendant vingt ans.\n",
])
def test_line_numbers_opening_every_line_are_blanked_and_turns_found(tmp_path: Path, numbered: str) -> None:
    """A transcript numbered line by line for citing was one anonymous turn: no line opened with a label."""
    iv = _read(tmp_path, "numbered.txt", numbered)
    assert [(t.label, t.text.split()) for t in iv.turns] == [
        ("I", ["Pouvez-vous", "me", "parler", "de", "votre", "parcours", "professionnel", "?"]),
        ("P", ["J'ai", "grandi", "à", "Brest."]), ("I", ["Et", "ensuite", "?"]),
        ("P", ["Ifremer,", "pendant", "vingt", "ans."])]
    assert not any(ch.isdigit() for ch in iv.text)


@pytest.mark.parametrize("text", [
    "Anne: En 2015 on a commencé.\n2016 a été dure.\n2017 aussi.\nLuc: Et 2018 ?\nAnne: 2018, mieux.\n",
    "Anne: Les chiffres :\n12 vaches\n8 chèvres\n3 chiens\nLuc: Tant que ça ?\nAnne: Oui.\nLuc: Bien.\n",
    "1 Anne: Bonjour.\n2 Luc: Salut.\n1 Anne: Ça va ?\n2 Luc: Oui.\n1 Anne: Bien.\n",
    "1998 Lyon, les débuts.\n2004 Paris.\n2011 Berlin, avec Processing.\n2019 retour à Lyon.\n",
])
def test_numbers_that_do_not_number_the_lines_stay(tmp_path: Path, text: str) -> None:
    iv = _read(tmp_path, "n.txt", text)
    assert iv.text == text  # a few years or quantities open lines, or they do not count up: they are speech
    assert iv.turns[0].label == ("Anne" if text.startswith("Anne") else None)


def test_bold_name_alone_on_its_line(tmp_path: Path) -> None:
    iv = _read(tmp_path, "pod.md", "# Podcast 149\n\n**Alan**\nLa semaine dernière, à Lausanne.\n\n"
               "**Introduction**\n\n**Nico** : Salut.\n\n**Alan** : Bonsoir.\n\n**Nico** : Bonsoir.\n")
    speech = [t for t in iv.turns if t.kind == "speech"]
    assert [(t.label, t.text) for t in speech][:2] == [
        ("Alan", "La semaine dernière, à Lausanne.\n\n  Introduction"), ("Nico", "Salut."),
    ]
    assert [t.label for t in speech] == ["Alan", "Nico", "Alan", "Nico"]


def test_italic_labels(tmp_path: Path) -> None:
    iv = _read(tmp_path, "i.md", "*Bridget Todd:*\nWelcome to IRL.\n\n*Ian Burkhart:* Thanks.\n\n"
               "*Bridget Todd:* So, Ohio?\n\n*Ian Burkhart:*\nYes.\n")
    assert [(t.label, t.text) for t in iv.turns] == [
        ("Bridget Todd", "Welcome to IRL."), ("Ian Burkhart", "Thanks."), ("Bridget Todd", "So, Ohio?"),
        ("Ian Burkhart", "Yes."),
    ]


def test_vtt_tags_do_not_leak(tmp_path: Path) -> None:
    iv = _read(tmp_path, "t.vtt", "WEBVTT\n\n00:01.000 --> 00:03.000\n<v Ana Lima><i>Bonjour</i> à "
               "<c.yellow>Paris</c> [rires]</v>\n\n00:03.000 --> 00:05.000\n<v 1>Oui &amp; non.</v>\n")
    assert [(t.speaker, t.text) for t in iv.turns] == [("Ana Lima", "Bonjour à Paris"), (None, "Oui & non.")]
    assert "<" not in iv.text and "rires" not in iv.text
    assert [p.name for p in iv.participants] == ["Ana Lima"]  # a bare number is a diarisation label


FRONT = '''---
layout: layouts/post.njk
title: "Alex Cabal and the \\"saga\\""
description: 'Mélanie reçoit [Henri Verdier](https://x.fr), ambassadeur'
image: /img/paris.jpg
url: /season8/episode2/
mp3: "https://cdn.example/Berlin.mp3"
bytes: 24949742
draft: false
bio: "John Minnihan repaired PCs.
  Freepository managed code in 120 countries."
shownotes: |
  Ian Burkhart had an implant.

  Maria Paz Canales works at **Derechos Digitales**.
tags: [Project Gutenberg]
editors: ["Claire Moss", Paul Roux]
---

**Ada:** Hello.

**Bob:** Hi.
'''


def test_front_matter_prose_becomes_note_turns(tmp_path: Path) -> None:
    f = tmp_path / "fm.md"
    f.write_text(FRONT, encoding="utf-8")
    iv = read_transcript(f)
    assert_offsets(iv)
    raw = load_source(f).text
    assert_blanked_in_place(raw, iv.text)
    notes = [t for t in iv.turns if t.kind == "note"]
    assert [t.text.split() for t in notes] == [
        ["Alex", "Cabal", "and", "the", '"saga', '"'],
        ["Mélanie", "reçoit", "Henri", "Verdier", ",", "ambassadeur"],
        ["John", "Minnihan", "repaired", "PCs.", "Freepository", "managed", "code", "in", "120", "countries."],
        ["Ian", "Burkhart", "had", "an", "implant.", "Maria", "Paz", "Canales", "works", "at", "Derechos",
         "Digitales", "."],
        ["Claire", "Moss"], ["Paul", "Roux"],  # a list naming people: one note per name
    ]
    for t in notes:  # offsets point at the value's own characters in the source file
        assert raw.index(t.text.split()[0]) == t.start
    # keys and values that are not prose are in no turn, and blanked
    for word in ("layout", "post.njk", "paris.jpg", "season8", "Berlin", "24949742", "Gutenberg"):
        assert word not in iv.text
    assert [t.speaker for t in iv.turns if t.kind == "speech"] == ["Ada", "Bob"]
    assert iv.title == 'Alex Cabal and the "saga"'


def test_front_matter_after_a_blank_line(tmp_path: Path) -> None:
    iv = _read(tmp_path, "lead.md", "\n---\ntitle: Weaving in Lyon\n---\n\nAna: Bonjour.\nBen: Salut.\nAna: Ça va ?\n")
    assert iv.title == "Weaving in Lyon"
    assert [t.text for t in iv.turns] == ["Weaving in Lyon", "Bonjour.", "Salut.", "Ça va ?"]


def test_metadata_only_is_read_with_a_warning(tmp_path: Path) -> None:
    iv = _read(tmp_path, "meta.md", "---\ntitle: Un entretien à Lyon\ndescription: Avec Ana Lima.\n---\n")
    assert [(t.kind, t.text) for t in iv.turns] == [("note", "Un entretien à Lyon"), ("note", "Avec Ana Lima.")]
    assert any("no speech" in w for w in iv.warnings)


def test_markup_only_is_an_input_error(tmp_path: Path) -> None:
    f = tmp_path / "embed.md"
    f.write_text("<!-- player -->\n<iframe src='https://x.example'>Player</iframe>\n<br>\n", encoding="utf-8")
    with pytest.raises(InputError, match="embed.md: holds no transcript text"):
        read_transcript(f)


def test_mostly_markup_warns(tmp_path: Path) -> None:
    nav = "".join(f'<li><a class="nav-link" href="https://site.example/page-{i}">P{i}</a></li>\n' for i in range(30))
    iv = _read(tmp_path, "page.md", f"<ul>\n{nav}</ul>\n\nAna: Bonjour.\nBen: Salut.\nAna: Ça va ?\n")
    assert any(w.startswith("mostly markup") for w in iv.warnings)
    assert [t.label for t in iv.turns if t.kind == "speech"] == ["Ana", "Ben", "Ana"]
    assert not any(w.startswith("mostly markup") for w in _read(tmp_path, "short.md", FRONT).warnings)


def test_dev_corpus_text_is_the_source_blanked(shared_corpus: Path) -> None:
    """On the real transcripts: each character left is the source's own (references decoded); no tag or URL in turns."""
    files = sorted((shared_corpus / "dev").glob("*.md"))
    if not files:
        pytest.skip("no dev transcripts")
    for f in files:
        iv = read_transcript(f)
        assert_offsets(iv)
        assert unicodedata.is_normalized("NFC", iv.text)
        assert_blanked_in_place(decode_references(load_source(f).text), iv.text)
        for t in iv.turns:
            assert "</" not in t.text and "](" not in t.text and "**" not in t.text, (f.name, t.text[:80])


def test_front_matter_never_closed(tmp_path: Path) -> None:
    """A file cut short inside its front matter, the transcript in a block value: turns found in the value."""
    iv = _read(tmp_path, "cut.md", '\n---\ntitle: "Our Heads"\nhost: "Bridget Todd"\nmp3: "https://x.example/a.mp3"\n'
               "transcript: |\n  *Bridget Todd:* \n  Welcome to [IRL](https://irl.example).\n\n"
               "  *Ian Burkhart:*\n  Thanks, Bridget.\n\n  *Bridget Todd:*\n  So, Ohio?\n")
    assert iv.title == "Our Heads"
    assert [(t.kind, t.label, t.text) for t in iv.turns] == [
        ("note", None, "Our Heads"), ("note", None, "Bridget Todd"),
        ("speech", "Bridget Todd", "Welcome to  IRL                      ."),
        ("speech", "Ian Burkhart", "Thanks, Bridget."), ("speech", "Bridget Todd", "So, Ohio?"),
    ]
    assert any("not closed" in w for w in iv.warnings)


@pytest.mark.parametrize("text", ["---\n\nJust prose after a rule, Ana: hello.\n", "---\nAna: Bonjour.\nBen: Salut.\n"])
def test_a_leading_rule_is_not_front_matter(tmp_path: Path, text: str) -> None:
    iv = _read(tmp_path, "rule.md", text)
    assert not any("front matter" in w for w in iv.warnings)
    assert "Ana" in iv.text


def test_transcript_as_a_markdown_table(tmp_path: Path) -> None:
    iv = _read(tmp_path, "table.md", "| Intervenant | Propos |\n|---|---|\n| Ana Lima | Bonjour, on commence ? |\n"
               "| Paul Roux | Oui, à Lyon. |\n| Ana Lima | Merci \\| vraiment. |\n| Paul Roux | De rien. |\n")
    assert [(t.label, t.text) for t in iv.turns if t.kind == "speech"] == [
        ("Ana Lima", "Bonjour, on commence ?"), ("Paul Roux", "Oui, à Lyon."), ("Ana Lima", "Merci  | vraiment."),
        ("Paul Roux", "De rien."),
    ]
    assert iv.text.count("|") == 1  # only the escaped one, which is text
    iv = _read(tmp_path, "timed.md", "| Temps | Qui | Quoi |\n|---|---|---|\n| 00:01:02 | Ana Lima | Et ensuite ? |\n"
               "| 00:01:09 | Paul Roux | Lyon. |\n")
    assert [(t.label, t.timestamp, t.text) for t in iv.turns if t.kind == "speech"] == [
        ("Ana Lima", "00:01:02", "Et ensuite ?"), ("Paul Roux", "00:01:09", "Lyon."),
    ]


def test_html_italic_labels(tmp_path: Path) -> None:
    iv = _read(tmp_path, "em.md", "<p><em>Ana:</em> Hola.</p>\n<p><i>Ben:</i> Hi.</p>\n<p><em>Ana:</em> Bye.</p>\n"
               "<p><i>Ben:</i> Bye.</p>\n")
    assert [(t.label, t.text) for t in iv.turns] == [("Ana", "Hola."), ("Ben", "Hi."), ("Ana", "Bye."), ("Ben", "Bye.")]


def test_subtitle_timings_are_not_taken_for_markup(tmp_path: Path) -> None:
    cues = "".join(f"{i}\n00:00:{i:02d},000 --> 00:00:{i:02d},900\nOui.\n\n" for i in range(1, 40))
    iv = _read(tmp_path, "short.srt", cues)
    assert not any("markup" in w for w in iv.warnings)


# --- spans the markup sets apart ------------------------------------------------------------------

def test_links_italics_and_underlining_are_marked_where_the_text_is() -> None:
    src = ("Alex : I read [A Voyage to Arcturus](https://example.org/arcturus) and *Marées lentes*, "
           "then <span style=\"text-decoration:underline;\">Harry Potter</span> and <cite>Dune</cite>.\n\n"
           "**Jo :** Only **bold** here, an autolink <https://example.org> and a long [link that runs on for "
           "far more words than any name or title would ever hold in a sentence of an interview](https://x.org).\n")
    reading = read_markup(src)
    marked = [src[a:b] for a, b in reading.marked]
    assert marked == ["A Voyage to Arcturus", "Marées lentes", "Harry Potter", "Dune"]
    assert all(reading.text[a:b] == src[a:b] for a, b in reading.marked)  # the blanked text keeps them


def test_marked_spans_reach_the_interview_and_survive_the_cache(tmp_path: Path) -> None:
    from kg.cache import interview_from_dict, interview_to_dict

    path = tmp_path / "blog.md"
    path.write_text("**Anne :** J'ai lu [Les Voix du Port](https://example.org/voix) l'an dernier.\n\n"
                    "**Marc :** Et *Marées lentes* ?\n", encoding="utf-8")
    iv = read_transcript(path)
    assert [iv.text[a:b] for a, b in iv.marked] == ["Les Voix du Port", "Marées lentes"]
    assert interview_from_dict(interview_to_dict(iv)) == iv


def test_doctests() -> None:
    import doctest

    import kg.ingest.markup

    assert doctest.testmod(kg.ingest.markup).failed == 0
