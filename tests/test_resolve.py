"""`kg.resolve.resolve` on hand-made interviews: no NLP, mentions placed by hand."""

from __future__ import annotations

import re

import pytest

from kg.model import Entity, Interview, Mention, Participant, Sentence, Turn
from kg.resolve import resolve

ID = re.compile(r"^(person|org|tool|work|place|concept)/[a-z0-9]+(?:-[a-z0-9]+)*$")


def mention(text: str, surface: str, label: str, *, score: float = 0.9, source: str = "ner:fr_core_news_md",
            nth: int = 0, key: str = "") -> Mention:
    """A Mention of the ``nth`` occurrence of ``surface`` in ``text`` (offsets consistent with the text)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(start, start + len(surface), surface, label, score, source, key)


def interview(iv_id: str, text: str, mentions: list[Mention] | tuple[Mention, ...] = (), *,
              participants: tuple[Participant, ...] = (), speaker: str | None = None) -> Interview:
    """One interview of one turn and one sentence spanning the whole text."""
    for m in mentions:
        assert text[m.start:m.end] == m.text
    sentence = Sentence(0, len(text), text, tuple(mentions))
    turn = Turn(1, 0, len(text), text, speaker=speaker, label=speaker, sentences=(sentence,))
    return Interview(iv_id, text, (turn,), participants=participants, language="fr")


def one(entities: tuple[Entity, ...], form: str) -> Entity:
    """The single entity carrying ``form`` as label or alt label."""
    found = [e for e in entities if form == e.label or form in e.alt_labels]
    assert len(found) == 1, (form, [(e.id, e.label, e.alt_labels) for e in entities])
    return found[0]


def forms(e: Entity) -> set[str]:
    return {e.label, *e.alt_labels}


def test_mention_helper_offsets():
    text = "Mario et Mario"
    m = mention(text, "Mario", "Person", nth=1)
    assert (m.start, m.end) == (9, 14) and text[m.start:m.end] == "Mario"


# --- surface variants --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("surfaces, label", [
    (("Style Gan", "style gan", "StyleGAN"), "Tool"),
    (("TouchDesigner", "touch designer", "Touch-Designer"), "Tool"),
    (("Élodie Dupré", "Elodie Dupre"), "Person"),
])
def test_surface_variants_are_one_entity(surfaces, label):
    text = " ; ".join(f"on parle de {s}" for s in surfaces) + "."
    ms = [mention(text, s, label) for s in surfaces]
    entities = resolve([interview("a", text, ms)])
    assert len(entities) == 1
    e = entities[0]
    assert e.type == label
    assert forms(e) == set(surfaces)
    assert e.label not in e.alt_labels
    assert len(e.mentions) == len(surfaces)
    assert e.interviews == ("a",)


def test_capitalised_form_is_preferred_label():
    text = "le stylegan, encore stylegan, puis StyleGAN."
    ms = [mention(text, "stylegan", "Tool"), mention(text, "stylegan", "Tool", nth=1),
          mention(text, "StyleGAN", "Tool")]
    (e,) = resolve([interview("a", text, ms)])
    assert e.label == "StyleGAN" and e.alt_labels == ("stylegan",)


# --- short names within one interview ----------------------------------------------------------------------------

@pytest.mark.parametrize("full, short", [
    ("Mario Klingemann", "Mario"),
    ("Daniel Shiffman", "Shiffman"),
    ("Rebecca Fiebrink", "Rebecca"),
])
def test_short_name_joins_full_name_in_same_interview(full, short):
    text = f"J'ai vu le travail de {full}. Ensuite {short} a publié un livre."
    ms = [mention(text, full, "Person"), mention(text, short, "Person", nth=1 if full.count(short) else 0)]
    entities = resolve([interview("a", text, ms)])
    assert len(entities) == 1
    e = entities[0]
    assert (e.id, e.type, e.label) == (f"person/{full.lower().replace(' ', '-')}", "Person", full)
    assert e.alt_labels == (short,)
    assert len(e.mentions) == 2


def test_an_entity_s_mentions_come_by_interview_and_place_and_its_confidence_from_its_best_mention():
    # interview "b" read first, and in "b" the short name (said first) joins the full name's cluster after it
    b_text = "Shiffman, oui. Plus tard Daniel Shiffman a écrit un livre."
    a_text = "On a lu Daniel Shiffman."
    b = interview("b", b_text, [mention(b_text, "Shiffman", "Person", score=0.5),
                                mention(b_text, "Daniel Shiffman", "Person", score=0.6)])
    a = interview("a", a_text, [mention(a_text, "Daniel Shiffman", "Person", score=0.9)])
    e = one(resolve([b, a]), "Daniel Shiffman")
    assert [(r.interview, r.mention.text) for r in e.mentions] == [
        ("a", "Daniel Shiffman"), ("b", "Shiffman"), ("b", "Daniel Shiffman")]
    assert e.confidence == 0.94  # the best mention's 0.9, and 0.02 for each of the two others
    alone = one(resolve([b]), "Daniel Shiffman")  # one interview: the order is the merge's alone
    assert [r.mention.text for r in alone.mentions] == ["Shiffman", "Daniel Shiffman"]


def test_short_name_does_not_join_across_interviews():
    t1 = "J'ai vu le travail de Mario Klingemann."
    t2 = "Mario a publié un livre."
    entities = resolve([interview("a", t1, [mention(t1, "Mario Klingemann", "Person")]),
                        interview("b", t2, [mention(t2, "Mario", "Person")])])
    assert [e.id for e in entities] == ["person/mario", "person/mario-klingemann"]
    assert one(entities, "Mario").interviews == ("b",)
    assert one(entities, "Mario Klingemann").interviews == ("a",)
    assert one(entities, "Mario Klingemann").alt_labels == ()


@pytest.mark.parametrize("text, short, joined", [
    ("My friend Gus, Gustavo Pereira, runs production. Gus built the stage.", "Gus", True),
    ("Frédéric Morel a fondé l'atelier. Fred y passe ses nuits.", "Fred", True),
    ("Frédéric Morel et Frédérique Lenoir sont venus. Fred a parlé.", "Fred", False),  # two people fit
    ("Gustavo Pereira runs production. Gustav built the stage.", "Gustav", False),  # not cut short enough
])
def test_a_first_name_cut_short_is_the_one_person_it_fits(text: str, short: str, joined: bool) -> None:
    full = [m.group(0) for m in re.finditer(r"[A-ZÉ]\w+ [A-Z]\w+", text)]
    ms = [mention(text, name, "Person") for name in full]
    ms += [Mention(m.start(), m.end(), short, "Person", 0.9, "ner:fr_core_news_md", "")
           for m in re.finditer(rf"\b{short}\b", text)]
    entities = resolve([interview("a", text, ms)])
    assert (short in forms(one(entities, full[0]))) is joined
    assert len(entities) == len(full) + (0 if joined else 1)


def test_ambiguous_first_name_stays_apart():
    text = "Mario Klingemann et Mario Rossi sont venus. Mario a parlé."
    ms = [mention(text, "Mario Klingemann", "Person"), mention(text, "Mario Rossi", "Person"),
          mention(text, "Mario", "Person", nth=2)]
    entities = resolve([interview("a", text, ms)])
    assert {e.label for e in entities} == {"Mario Klingemann", "Mario Rossi", "Mario"}


# --- participants --------------------------------------------------------------------------------------------------

def test_speaker_participant_and_first_name_mention_are_one_person():
    text = "Nicolas explique son travail génératif."
    p = Participant("Nicolas Barradeau", "interviewee", ("Nicolas",))
    iv = interview("barradeau", text, [mention(text, "Nicolas", "Person")], participants=(p,),
                   speaker="Nicolas Barradeau")
    entities = resolve([iv])
    assert len(entities) == 1
    e = entities[0]
    assert (e.id, e.type, e.label) == ("person/nicolas-barradeau", "Person", "Nicolas Barradeau")
    assert "Nicolas" in e.alt_labels
    assert e.speaker_of == ("barradeau",)
    assert len(e.mentions) == 1
    assert e.confidence == 1.0


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_one_name_said_alike_in_two_interviews_is_the_speaker_only_where_they_take_part(order):
    """What a mention names is worked out once per text, key and label (a rebuild's resolution reads 10^5
    mentions), but the speaker it may be is the interview's: "Nicolas" is the participant in "a" only."""
    text = "Nicolas explique son travail génératif."
    p = Participant("Nicolas Barradeau", "interviewee", ("Nicolas",))
    ivs = {"a": interview("a", text, [mention(text, "Nicolas", "Person")], participants=(p,),
                          speaker="Nicolas Barradeau"),
           "b": interview("b", text, [mention(text, "Nicolas", "Person")])}
    entities = resolve([ivs[i] for i in order])
    assert {e.id: [r.interview for r in e.mentions] for e in entities} == {
        "person/nicolas-barradeau": ["a"], "person/nicolas": ["b"]}


def test_a_mention_of_a_participant_s_initials_label_is_that_participant():
    text = "Entretien réalisé par Julie Durand (JD) avec Nicolas Barradeau (N.B.)."
    julie = Participant("Julie Durand", "interviewer", ("JD",))
    nicolas = Participant("Nicolas Barradeau", "interviewee", ("N.B.",))
    iv = interview("initials", text, [mention(text, "JD", "Person"), mention(text, "N.B.", "Person")],
                   participants=(julie, nicolas), speaker="Julie Durand")
    entities = resolve([iv])
    assert sorted(e.label for e in entities) == ["Julie Durand", "Nicolas Barradeau"]
    assert "JD" in one(entities, "Julie Durand").alt_labels


def test_participant_known_only_by_surname_takes_full_name_from_text():
    text = "Bonjour, je suis Léa Duval, artiste."
    p = Participant("DUVAL", "interviewee", ("DUVAL",))
    iv = interview("duval", text, [mention(text, "Léa Duval", "Person")], participants=(p,), speaker="DUVAL")
    entities = resolve([iv])
    persons = [e for e in entities if e.type == "Person"]
    assert len(persons) == 1
    e = persons[0]
    assert e.label == "Léa Duval"
    assert e.id == "person/lea-duval"
    assert "DUVAL" in e.alt_labels
    assert e.speaker_of == ("duval",)


@pytest.mark.parametrize("label, named, joined", [
    ("VB", "Vicki Boykis", True),  # initials
    ("JPD", "Jean-Pierre Dupont", True),
    ("VB", "Victor Hugo", False),  # other initials: two people
    ("Dan", "Daniel Mensah", True),  # a nickname in the English table
    ("Segun", "Olusegun Bakare", True),  # a stretch of the given name
    ("Nico", "Nicolas Roux", True),  # the given name cut short
    ("Ola", "Olusegun Bakare", False),  # three letters inside a name: too little to go on
    ("Mensah", "Daniel Mensah", True),  # the surname, as before
    ("Kofi", "Daniel Mensah", False),
])
def test_participant_known_by_initials_or_a_short_name_takes_the_full_name_they_stand_for(label: str, named: str,
                                                                                         joined: bool) -> None:
    """A transcript without metadata labels the guest's turns "VB:" or "Dan:", and the host names them in full."""
    text = f"Today my guest is {named}, who works on search."
    p = Participant(label, "interviewee", (label,))
    iv = interview("a", text, [mention(text, named, "Person")], participants=(p,), speaker=label)
    persons = [e for e in resolve([iv]) if e.type == "Person"]
    assert len(persons) == (1 if joined else 2)
    if joined:
        assert persons[0].label == named and label in persons[0].alt_labels and persons[0].speaker_of == ("a",)


def test_a_short_form_label_fitting_two_people_joins_neither() -> None:
    text = "I work with Daniel Mensah and Danielle Okoro."
    p = Participant("Dan", "interviewee", ("Dan",))
    iv = interview("a", text, [mention(text, "Daniel Mensah", "Person"), mention(text, "Danielle Okoro", "Person")],
                   participants=(p,), speaker="Dan")
    assert len([e for e in resolve([iv]) if e.type == "Person"]) == 3


@pytest.mark.parametrize("short, label, joined", [
    ("Pat", "Place", True),  # NER's place: the nickname of the Patricia named just before
    ("Pat", "Organisation", True),
    ("Patri", "Place", False),  # a name cut short, not a nickname: only a person's own mention is read so
])
def test_a_nickname_ner_typed_otherwise_is_the_person_named_in_full(short: str, label: str, joined: bool) -> None:
    text = f"My friend Patricia Dunn ran the newsletter. {short} typed it on an Olivetti."
    iv = interview("a", text, [mention(text, "Patricia Dunn", "Person"), mention(text, short, label, score=0.75)])
    entities = resolve([iv])
    assert ([(e.type, forms(e)) for e in entities] == [("Person", {"Patricia Dunn", short})]) is joined
    assert len(entities) == (1 if joined else 2)


@pytest.mark.parametrize("full, short, joined", [
    ("Jean-Pierre Lefèvre", "Jean Pierre", True),  # the compound first name without its hyphen
    ("Vincent van Gogh", "Van Gogh", True),  # the surname with its particle
    ("Charles de Gaulle", "de Gaulle", True),
    ("Vincent van Gogh", "Van Dyck", False),
    ("Jean Lefèvre", "Jean Pierre", False),
])
def test_a_compound_first_name_or_a_surname_with_its_particle_is_the_person_named_in_full(
        full: str, short: str, joined: bool) -> None:
    text = f"I read {full} for years. {short}, as we call him, wrote a lot."
    iv = interview("a", text, [mention(text, full, "Person"), mention(text, short, "Person")])
    assert len([e for e in resolve([iv]) if e.type == "Person"]) == (1 if joined else 2)


@pytest.mark.parametrize("short, full, joined", [
    ("Bill", "William Hart", True),
    ("Liz", "Elizabeth Moreau", True),
    ("Fred", "Frédéric Morel", True),
    ("Bill", "Thomas Hart", False),
])
def test_a_nickname_said_alone_is_the_person_named_in_full(short: str, full: str, joined: bool) -> None:
    text = f"I studied with {full} in Leeds. {short} taught me everything."
    iv = interview("a", text, [mention(text, full, "Person"), mention(text, short, "Person")])
    assert len([e for e in resolve([iv]) if e.type == "Person"]) == (1 if joined else 2)


@pytest.mark.parametrize("short, joined", [("Dan Shiffman", True), ("Danny Shiffman", True), ("Dana Shiffman", False),
                                            ("Dan Shifman", False)])
def test_a_full_name_with_a_nickname_for_its_first_is_the_same_person(short: str, joined: bool) -> None:
    text = f"Daniel Shiffman wrote the book. Later {short} made videos."
    iv = interview("a", text, [mention(text, "Daniel Shiffman", "Person"), mention(text, short, "Person")])
    persons = [e for e in resolve([iv]) if e.type == "Person"]
    assert len(persons) == (1 if joined else 2)
    if joined:
        assert persons[0].label == "Daniel Shiffman"


def test_initials_match_one_person_only() -> None:
    text = "I work with Vicki Boykis and Victor Bell."
    p = Participant("VB", "interviewee", ("VB",))
    iv = interview("a", text, [mention(text, "Vicki Boykis", "Person"), mention(text, "Victor Bell", "Person")],
                   participants=(p,), speaker="VB")
    assert len([e for e in resolve([iv]) if e.type == "Person"]) == 3  # two fit: neither is taken


def test_silent_participant_never_mentioned_is_not_an_entity():
    text = "Bonjour."
    iv = interview("a", text, participants=(Participant("Ada Lovelace", "participant"),), speaker=None)
    assert resolve([iv]) == ()


def test_silent_participant_mentioned_is_a_person_but_not_a_speaker():
    text = "Ada Lovelace nous écoute."
    iv = interview("a", text, [mention(text, "Ada Lovelace", "Person")],
                   participants=(Participant("Ada Lovelace", "participant"),), speaker=None)
    (e,) = resolve([iv])
    assert (e.id, e.type, e.speaker_of, e.interviews) == ("person/ada-lovelace", "Person", (), ("a",))


def test_a_participant_named_in_full_in_another_interview_is_that_person_whatever_the_ner_said():
    """Interviewees speak of each other; a name with a particle or an apostrophe is often mistyped by NER."""
    own = "Bonjour, je suis Declan N'Diaye."
    other = "C'est Declan N'Diaye qui m'a montré Pure Data, avec Ada Lovelace."
    ivs = [interview("a", own, participants=(Participant("Declan N'Diaye", "interviewee"),), speaker="Declan N'Diaye"),
           interview("b", other, [mention(other, "Declan N'Diaye", "Tool"), mention(other, "Pure Data", "Tool"),
                                  mention(other, "Ada Lovelace", "Organisation")])]
    entities = resolve(ivs)
    e = one(entities, "Declan N'Diaye")
    assert (e.id, e.type, e.speaker_of, e.interviews) == ("person/declan-n-diaye", "Person", ("a",), ("b", "a"))
    assert one(entities, "Pure Data").type == "Tool"
    # the rule is for participants only: a name no one in the corpus answers to keeps the NER's type
    assert one(entities, "Ada Lovelace").type == "Organisation"


def test_a_first_name_is_linked_interview_by_interview():
    """"Gaëlle" is the Gaëlle of the interview it is said in, not one Gaëlle for the whole corpus."""
    a = "J'ai travaillé avec Gaëlle Halvorsen. Gaëlle codait tout."
    b = "Gaëlle Sørensen enseigne. Gaëlle aime Processing."
    c = "Gaëlle est venue aussi."
    ivs = [interview("a", a, [mention(a, "Gaëlle Halvorsen", "Person"), mention(a, "Gaëlle", "Person", nth=1)]),
           interview("b", b, [mention(b, "Gaëlle Sørensen", "Person"), mention(b, "Gaëlle", "Person", nth=1),
                              mention(b, "Processing", "Tool")]),
           interview("c", c, [mention(c, "Gaëlle", "Person")])]
    entities = resolve(ivs)
    halvorsen, sorensen = one(entities, "Gaëlle Halvorsen"), one(entities, "Gaëlle Sørensen")
    assert [(r.interview, r.mention.text) for r in halvorsen.mentions] == [("a", "Gaëlle Halvorsen"), ("a", "Gaëlle")]
    assert [(r.interview, r.mention.text) for r in sorensen.mentions] == [("b", "Gaëlle Sørensen"), ("b", "Gaëlle")]
    # where no full name is met, the first name stays on its own
    alone = [e for e in entities if e.label == "Gaëlle"]
    assert [(e.id, [r.interview for r in e.mentions]) for e in alone] == [("person/gaelle", ["c"])]


def test_a_participant_s_first_name_said_alone_elsewhere_is_a_person_of_its_own():
    """With no full name in its interview to settle who it is, "Fatou" is not linked, but it is not a place."""
    a, b = "Bonjour.", "Fatou m'a aidé à Dakar."
    ivs = [interview("a", a, participants=(Participant("Fatou Diallo", "interviewee"),), speaker="Fatou Diallo"),
           interview("b", b, [mention(b, "Fatou", "Place"), mention(b, "Dakar", "Place")])]
    entities = resolve(ivs)
    assert (one(entities, "Fatou").id, one(entities, "Dakar").type) == ("person/fatou", "Place")
    assert one(entities, "Fatou Diallo").interviews == ("a",)


def test_an_institution_the_ner_took_for_a_place_is_the_vocabulary_s_organisation():
    from kg.extract.vocabulary import load_vocabulary

    text = "J'ai étudié à ETH Zurich, puis au Centre Pompidou, à Paris. ETH Zurich m'a tout appris."
    ms = [mention(text, "ETH Zurich", "Place"), mention(text, "Centre Pompidou", "Place"),
          mention(text, "Paris", "Place"), mention(text, "ETH Zurich", "Organisation", nth=1)]
    entities = resolve([interview("a", text, ms)], load_vocabulary())
    eth = [e for e in entities if "ETH Zurich" in (e.label, *e.alt_labels)]
    assert [(e.id, e.type, len(e.mentions)) for e in eth] == [("org/eth-zurich", "Organisation", 2)]
    assert one(entities, "Centre Pompidou").type == "Organisation"
    assert (one(entities, "Paris").id, one(entities, "Paris").type) == ("place/paris", "Place")


def test_interviewer_participant_is_kept_without_mentions():
    text = "Bonjour."
    iv = interview("a", text, participants=(Participant("Thomas Régnier", "interviewer", ("Thomas",)),))
    (e,) = resolve([iv])
    assert (e.id, e.label, e.speaker_of, e.mentions) == ("person/thomas-regnier", "Thomas Régnier", ("a",), ())


# --- acronyms -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("acronym, expansion, label", [
    ("GAC", "Google Arts Culture", "Organisation"),
    ("MIT", "Massachusetts Institute of Technology", "Organisation"),
    ("GAN", "Generative Adversarial Network", "Concept"),
    ("IPCC", "Intergovernmental Panel on Climate Change", "Organisation"),  # "on" is passed over
    ("CNL", "Centre national du livre", "Organisation"),
])
def test_acronym_joins_expansion_in_same_interview(acronym, expansion, label):
    text = f"Le {acronym}, c'est-à-dire {expansion}, m'a aidé."
    ms = [mention(text, acronym, label), mention(text, expansion, label)]
    entities = resolve([interview("a", text, ms)])
    assert len(entities) == 1
    assert entities[0].label == expansion
    assert entities[0].alt_labels == (acronym,)


@pytest.mark.parametrize("acronym, name, joined", [
    ("ICTY", "International Criminal Tribunal", True),  # the name cut before "for the former Yugoslavia"
    ("ICTR", "International Criminal Tribunal", True),
    ("ICT", "International Criminal Tribunal", True),  # (its initials, as before)
    ("ICTYR", "International Criminal Tribunal", False),  # two letters more: not this name
    ("ISO", "Institute Science", False),  # two words only
])
def test_an_acronym_joins_an_organisation_cut_before_its_last_word(acronym: str, name: str, joined: bool) -> None:
    text = f"I worked for the {name} for the former Yugoslavia, the {acronym}, from 2003."
    ms = [mention(text, name, "Organisation"), mention(text, acronym, "Organisation")]
    entities = resolve([interview("a", text, ms)])
    assert len(entities) == (1 if joined else 2)


def test_an_acronym_joins_the_expansion_the_title_case_reading_made_a_work() -> None:
    """English title case with a small word inside reads as a work's title; the organisation's acronym, said in
    the same interview, spells it (over "on") and makes it one organisation."""
    text = "We wrote for the Intergovernmental Panel on Climate Change. The IPCC asked us for figures."
    ms = [mention(text, "Intergovernmental Panel on Climate Change", "Work", score=0.7),
          mention(text, "IPCC", "Organisation", score=0.89)]
    entities = resolve([interview("a", text, ms)])
    assert [(e.type, forms(e)) for e in entities] == [
        ("Organisation", {"Intergovernmental Panel on Climate Change", "IPCC"})]


def test_an_acronym_made_of_word_beginnings_joins_the_name_it_spells_not_a_shorter_lookalike():
    text = ("La DINUM, la Direction interministérielle du numérique, pousse la diplomatie numérique. "
            "Le MEAE, ministère Europe et Affaires étrangères, aussi.")
    ms = [mention(text, "DINUM", "Organisation"), mention(text, "Direction interministérielle du numérique",
                                                          "Organisation"),
          mention(text, "diplomatie numérique", "Concept"), mention(text, "MEAE", "Organisation"),
          mention(text, "ministère Europe et Affaires étrangères", "Organisation")]
    entities = resolve([interview("a", text, ms)])
    assert forms(one(entities, "DINUM")) == {"DINUM", "Direction interministérielle du numérique"}
    assert forms(one(entities, "MEAE")) == {"MEAE", "ministère Europe et Affaires étrangères"}
    assert forms(one(entities, "diplomatie numérique")) == {"diplomatie numérique"}


@pytest.mark.parametrize("first", [True, False])
def test_an_acronym_joins_the_name_that_gives_it_its_initials_over_one_it_only_spells_by_chunks(first: bool):
    # "DINUM" spells D-I-NUM (Direction Interministérielle du Numérique) and, by chunks, DI-NU-M ("direction du
    # numérique du MEAE"): the name whose words give it their initials wins, in either order
    names = ["direction du numérique du MEAE", "Direction Interministérielle du Numérique"]
    if not first:
        names.reverse()
    text = f"La DINUM, la {names[0]}, et la {names[1]}."
    ms = [mention(text, "DINUM", "Organisation"), mention(text, names[0], "Organisation"),
          mention(text, names[1], "Organisation")]
    entities = resolve([interview("a", text, ms)])
    assert forms(one(entities, "DINUM")) == {"DINUM", "Direction Interministérielle du Numérique"}
    assert forms(one(entities, "direction du numérique du MEAE")) == {"direction du numérique du MEAE"}


def test_an_organisation_named_without_its_last_qualifier_is_the_one_named_in_full():
    text = "Arts Council England funds us. The Arts Council said yes, like the Science Museum Group did."
    ms = [mention(text, "Arts Council England", "Organisation"), mention(text, "Arts Council", "Organisation", nth=1),
          mention(text, "Science Museum Group", "Organisation")]
    entities = resolve([interview("a", text, ms)])
    assert forms(one(entities, "Arts Council England")) == {"Arts Council England", "Arts Council"}
    assert forms(one(entities, "Science Museum Group")) == {"Science Museum Group"}


def test_a_town_said_by_the_first_part_of_its_name_is_the_town_named_in_full_not_a_city_beside_it():
    text = ("Je suis née à Clermont-Ferrand. À Clermont, tout le monde se connaît, et à Clermont encore plus. "
            "Puis Paris, et le plateau de Paris-Saclay.")
    ms = [mention(text, "Clermont-Ferrand", "Place"), mention(text, "Clermont", "Place", nth=1),
          mention(text, "Clermont", "Place", nth=2), mention(text, "Paris", "Place", nth=0),
          mention(text, "Paris-Saclay", "Place")]
    entities = resolve([interview("a", text, ms)])
    town = one(entities, "Clermont-Ferrand")
    assert forms(town) == {"Clermont-Ferrand", "Clermont"} and town.label == "Clermont-Ferrand"  # not the commoner form
    assert forms(one(entities, "Paris")) == {"Paris"} and forms(one(entities, "Paris-Saclay")) == {"Paris-Saclay"}


def test_a_village_the_gazetteer_does_not_know_said_short_is_the_one_named_in_full():
    text = ("On jouait à Saint-Loup-Lamairé, et à Saint-Loup le maire nous connaissait. Puis Vernet-la-Combe, et le "
            "maire de Vernet. Et Montreuil-Bellay, pas Montreuil.")
    ms = [mention(text, "Saint-Loup-Lamairé", "Place"), mention(text, "Saint-Loup", "Place", nth=1),
          mention(text, "Vernet-la-Combe", "Place"), mention(text, "Vernet", "Place", nth=1),
          mention(text, "Montreuil-Bellay", "Place"), mention(text, "Montreuil", "Place", nth=1)]
    entities = resolve([interview("a", text, ms)])
    assert forms(one(entities, "Saint-Loup-Lamairé")) == {"Saint-Loup-Lamairé", "Saint-Loup"}
    assert forms(one(entities, "Vernet-la-Combe")) == {"Vernet-la-Combe", "Vernet"}
    # a town of 110,000 said beside a village that shares its first word is that town
    assert forms(one(entities, "Montreuil")) == {"Montreuil"}


def test_a_town_shortened_in_one_interview_stays_itself_where_it_is_said_alone():
    named = "Elle vit à Clermont-Ferrand, oui, Clermont."
    alone = "Clermont, dans l'Oise, c'est une autre ville."
    entities = resolve([interview("a", named, [mention(named, "Clermont-Ferrand", "Place"),
                                               mention(named, "Clermont", "Place", nth=1)]),
                        interview("b", alone, [mention(alone, "Clermont", "Place")])])
    town = one(entities, "Clermont-Ferrand")
    assert town.label == "Clermont-Ferrand" and "Clermont" in forms(town)
    assert [e.label for e in entities if e.label == "Clermont"] == ["Clermont"]  # the other interview's own


def test_initials_written_as_a_word_join_the_name_whose_initials_they_are():
    text = ("L'Inrap, l'Institut national de recherches archéologiques préventives, fouille ici. "
            "Le Louvre aussi, avec la Réunion des musées nationaux.")
    full = "Institut national de recherches archéologiques préventives"
    ms = [mention(text, "Inrap", "Organisation"), mention(text, full, "Organisation"),
          mention(text, "Louvre", "Organisation"), mention(text, "Réunion des musées nationaux", "Organisation")]
    entities = resolve([interview("a", text, ms)])
    assert forms(one(entities, full)) == {"Inrap", full}
    assert forms(one(entities, "Louvre")) == {"Louvre"}  # no name of the interview has the initials L, O, U…


def test_an_institution_cut_where_its_remits_join_or_shortened_to_the_last_is_the_one_named_in_full():
    text = ("Elle dirige le numérique du ministère de l'Europe et des Affaires étrangères. "
            "Au ministère de l'Europe et des affaires étrangères, les Affaires étrangères ont leur IA. "
            "Le ministère de l'Europe a un portail, comme la Fondation de France.")
    full = "ministère de l'Europe et des Affaires étrangères"
    ms = [mention(text, full, "Organisation"), mention(text, "ministère de l'Europe", "Organisation", nth=1),
          mention(text, "Affaires étrangères", "Organisation", nth=1),
          mention(text, "ministère de l'Europe", "Organisation", nth=2),
          mention(text, "Fondation de France", "Organisation")]
    entities = resolve([interview("a", text, ms)])
    assert forms(one(entities, full)) == {full, "ministère de l'Europe", "Affaires étrangères"}
    assert forms(one(entities, "Fondation de France")) == {"Fondation de France"}
    assert len(entities) == 2


def test_a_shorter_institution_name_is_not_joined_to_a_longer_one_without_a_joining_word():
    text = "L'Institut de France et l'Institut de France du Numérique ne sont pas un seul organisme."
    ms = [mention(text, "Institut de France", "Organisation"),
          mention(text, "Institut de France du Numérique", "Organisation")]
    assert len(resolve([interview("a", text, ms)])) == 2


@pytest.mark.parametrize("heads, joined", [(1, True), (2, False)])
def test_an_organisation_s_head_word_said_alone_is_the_one_organisation_it_heads(heads: int, joined: bool) -> None:
    """"the College's history" where the interview names the Royal College of Nursing; with two colleges named,
    "the College" could be either and joins neither."""
    second = " and Imperial College London" if heads == 2 else ""
    text = f"I am a rep for the Royal College of Nursing{second}. It was a first in the College's history."
    ms = [mention(text, "Royal College of Nursing", "Organisation"), mention(text, "College", "Organisation",
                                                                              nth=heads)]
    if heads == 2:
        ms.append(mention(text, "Imperial College London", "Organisation"))
    entities = resolve([interview("a", text, ms)])
    assert ("College" in forms(one(entities, "Royal College of Nursing"))) is joined
    assert len(entities) == (1 if joined else 3)


def test_a_head_word_kept_as_a_topic_is_not_the_organisation_it_heads() -> None:
    """"la médiathèque de Saint-Brieuc" said beside the "Médiathèque numérique d'Arte": the common noun is
    another library, or libraries in general, not the one the capitalised name picks out."""
    text = "Je dirige la médiathèque de Saint-Brieuc. Les gens aiment la Médiathèque numérique d'Arte."
    ms = [mention(text, "médiathèque", "Concept", source="concept"),
          mention(text, "Médiathèque numérique d'Arte", "Organisation")]
    entities = resolve([interview("a", text, ms)])
    assert forms(one(entities, "Médiathèque numérique d'Arte")) == {"Médiathèque numérique d'Arte"}
    assert len(entities) == 2


@pytest.mark.parametrize("alone", ["Organisation", "Place", "Tool"])
def test_a_head_word_said_alone_joins_its_organisation_whatever_type_it_earned_alone(alone: str) -> None:
    """"des producteurs de la Confédération" reads as a place to the models; beside the one "Confédération
    paysanne" of the interview it is that union, and takes its type."""
    text = "On travaille avec la Confédération paysanne, enfin avec des producteurs de la Confédération."
    ms = [mention(text, "Confédération paysanne", "Organisation"), mention(text, "Confédération", alone, nth=1)]
    entities = resolve([interview("a", text, ms)])
    assert [(e.type, forms(e)) for e in entities] == [
        ("Organisation", {"Confédération paysanne", "Confédération"})]


@pytest.mark.parametrize("full, short, joined", [
    ("Mois du film documentaire", "Mois du doc", True),  # a word clipped, another left out
    ("Rencontres de la photographie", "Rencontres photo", True),
    ("Nuit de la lecture", "Nuit des musées", False),  # another event that opens with the same word
    ("Mois du film documentaire", "Mois du cinéma", False),  # "cinéma" is no word of the name clipped
])
def test_a_name_said_with_a_word_clipped_is_the_name_said_in_full(full: str, short: str, joined: bool) -> None:
    text = f"On fait le {full} en novembre. Le {short}, c'est notre gros moment."
    ms = [mention(text, full, "Work"), mention(text, short, "Work")]
    entities = resolve([interview("a", text, ms)])
    assert len(entities) == (1 if joined else 2)
    if joined:
        assert forms(entities[0]) == {full, short}


@pytest.mark.parametrize("full, short, short_type, joined", [
    ("Herschel Museum of Astronomy", "Herschel Museum", "Organisation", True),  # cut before its complement
    ("Royal College of Nursing", "Royal Society", "Organisation", False),  # another name
    ("Compagnie des Hautes Herbes", "Hautes Herbes", "Place", True),  # its own name, without its head
    ("Théâtre du Soleil", "Soleil", "Place", True),
    ("Musée de Grenoble", "Grenoble", "Place", False),  # the town the museum is named after
    ("Musée de Lodève", "Lodève", "Place", False),  # a town the gazetteer does not know: "de" with no article
    ("Théâtre de la Ville", "Ville", "Organisation", True),
])
def test_an_institution_said_without_its_head_or_its_complement_is_one(full: str, short: str, short_type: str,
                                                                       joined: bool) -> None:
    text = f"J'ai travaillé pour le {full} dix ans. Au {short}, on était bien."
    ms = [mention(text, full, "Organisation"), mention(text, short, short_type, nth=1 if short in full else 0)]
    entities = resolve([interview("a", text, ms)])
    assert len(entities) == (1 if joined else 2)
    if joined:
        assert [(e.type, forms(e)) for e in entities] == [("Organisation", {full, short})]


@pytest.mark.parametrize("short, joined", [("NexStar", True), ("Star", False)])
def test_a_product_line_said_alone_is_the_model_named_in_full(short: str, joined: bool) -> None:
    """"The NexStar is still our best scope" beside the "Celestron NexStar 8SE": a word shaped as a product's name;
    an ordinary word inside a name is not that name."""
    text = f"We bought a Celestron NexStar 8SE from a shop. The {short} is still our best scope."
    ms = [mention(text, "Celestron NexStar 8SE", "Tool"), mention(text, short, "Tool", nth=1)]
    assert len(resolve([interview("a", text, ms)])) == (1 if joined else 2)


def test_a_head_word_said_as_a_person_stays_apart() -> None:
    """A word the models call a person is not an organisation's head said short, even when it is one ("Union")."""
    text = "Je suis à l'Union des métiers depuis dix ans, et Union m'a appelée hier."
    ms = [mention(text, "Union des métiers", "Organisation"), mention(text, "Union", "Person", nth=1)]
    assert sorted(e.type for e in resolve([interview("a", text, ms)])) == ["Organisation", "Person"]


@pytest.mark.parametrize("firm, short, joined", [
    ("Tréfileries Bouscayrol", "Bouscayrol", True),  # "chez Bouscayrol" reads as a place; no place has that name
    ("Cambridge Analytica", "Cambridge", False),  # the town, which the gazetteer knows
])
def test_a_word_read_as_a_place_that_names_one_firm_of_the_interview_is_that_firm(
        firm: str, short: str, joined: bool) -> None:
    text = f"Mon père est entré aux {firm} en 1962. Chez {short}, on faisait du fil d'acier."
    ms = [mention(text, firm, "Organisation"), mention(text, short, "Place", nth=1)]
    entities = resolve([interview("a", text, ms)])
    if joined:
        assert [(e.type, forms(e)) for e in entities] == [("Organisation", {firm, short})]
    else:
        assert sorted(e.type for e in entities) == ["Organisation", "Place"]


def test_a_compound_first_name_said_alone_is_the_person_named_in_full():
    text = "Maria Paz Canales dirige l'équipe. Maria Paz a vu Maria Carmen, et Jean Luc aussi."
    ms = [mention(text, "Maria Paz Canales", "Person"), mention(text, "Maria Paz", "Person", nth=1),
          mention(text, "Maria Carmen", "Person"), mention(text, "Jean Luc", "Person")]
    entities = resolve([interview("a", text, ms)])
    assert forms(one(entities, "Maria Paz Canales")) == {"Maria Paz Canales", "Maria Paz"}
    assert forms(one(entities, "Maria Carmen")) == {"Maria Carmen"}  # shares a first word, not the name
    assert len(entities) == 3


def test_acronym_does_not_join_across_interviews():
    t1, t2 = "Le GAC est là.", "Google Arts Culture aussi."
    entities = resolve([interview("a", t1, [mention(t1, "GAC", "Organisation")]),
                        interview("b", t2, [mention(t2, "Google Arts Culture", "Organisation")])])
    assert len(entities) == 2


# --- across interviews --------------------------------------------------------------------------------------------

def test_same_tool_in_two_interviews_is_one_entity():
    t1, t2 = "J'utilise TouchDesigner tous les jours.", "Moi je préfère Touch Designer."
    entities = resolve([interview("a", t1, [mention(t1, "TouchDesigner", "Tool")]),
                        interview("b", t2, [mention(t2, "Touch Designer", "Tool")])])
    assert len(entities) == 1
    e = entities[0]
    assert e.id in ("tool/touchdesigner", "tool/touch-designer")
    assert e.interviews == ("a", "b")
    assert {r.interview for r in e.mentions} == {"a", "b"}
    assert forms(e) == {"TouchDesigner", "Touch Designer"}


def test_mention_refs_point_back_at_the_text():
    t1, t2 = "Un jour, Processing.", "Et Processing encore, puis Processing."
    ivs = [interview("a", t1, [mention(t1, "Processing", "Tool")]),
           interview("b", t2, [mention(t2, "Processing", "Tool"), mention(t2, "Processing", "Tool", nth=1)])]
    (e,) = resolve(ivs)
    texts = {iv.id: iv.text for iv in ivs}
    assert len(e.mentions) == 3
    for ref in e.mentions:
        assert (ref.turn, ref.sentence) == (1, 1)
        assert texts[ref.interview][ref.mention.start:ref.mention.end] == ref.mention.text
    assert [r.interview for r in e.mentions] == sorted(r.interview for r in e.mentions)


# --- weak mentions ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("weak, named, kept", [
    ("truc", None, False),                     # only a lower-case guess: dropped
    ("machin", "Machin", True),               # also written as a name elsewhere: kept
    ("openframeworks", "openFrameworks", True),
])
def test_lower_case_weak_mentions(weak, named, kept):
    t1 = f"il y a le {weak} dans le coin."
    ivs = [interview("a", t1, [mention(t1, weak, "Tool", score=0.3)])]
    if named:
        t2 = f"Avec {named}, on fait tout."
        ivs.append(interview("b", t2, [mention(t2, named, "Tool", score=0.85)]))
    entities = resolve(ivs)
    if not kept:
        assert entities == ()
    else:
        e = one(entities, named)
        assert e.label == named and weak in e.alt_labels
        assert e.interviews == ("a", "b")


def test_weak_mentions_dropped_others_kept():
    text = "le truc et le machin, puis Wekinator."
    ms = [mention(text, "truc", "Tool", score=0.3), mention(text, "machin", "Organisation", score=0.3),
          mention(text, "Wekinator", "Tool", score=0.9)]
    entities = resolve([interview("a", text, ms)])
    assert [e.label for e in entities] == ["Wekinator"]


# --- type voting --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("votes, expected", [
    # (label, source, score) per mention of "Processing"
    ([("Tool", "vocab", 1.0), ("Organisation", "ner:fr_core_news_md", 0.9),
      ("Organisation", "ner:fr_core_news_md", 0.9)],
     "Tool"),
    ([("Organisation", "ner:fr_core_news_md", 0.9), ("Organisation", "ner:fr_core_news_md", 0.9),
      ("Tool", "ner:fr_core_news_md", 0.9)], "Organisation"),
    ([("Place", "ner:fr_core_news_md", 0.9), ("Work", "pattern", 1.0), ("Work", "pattern", 1.0)], "Work"),
    ([("Person", "ner:fr_core_news_md", 0.9), ("Tool", "vocab", 0.6)], "Tool"),
])
def test_type_vote(votes, expected):
    text = " ".join("Processing" for _ in votes) + "."
    ms = [mention(text, "Processing", label, score=score, source=source, nth=i)
          for i, (label, source, score) in enumerate(votes)]
    (e,) = resolve([interview("a", text, ms)])
    assert e.type == expected
    assert e.id.startswith({"Tool": "tool/", "Organisation": "org/", "Work": "work/"}[expected])


# --- ids, order, confidence ----------------------------------------------------------------------------------------

def corpus() -> list[Interview]:
    t1 = ("Inès Marchand travaille à Lyon chez Atelier Sillage avec TouchDesigner ; "
          "elle cite The Nature of Code et le transfert de style, et C++.")
    m1 = [mention(t1, "Inès Marchand", "Person"), mention(t1, "Lyon", "Place"),
          mention(t1, "Atelier Sillage", "Organisation"), mention(t1, "TouchDesigner", "Tool", source="vocab"),
          mention(t1, "The Nature of Code", "Work"),
          mention(t1, "transfert de style", "Concept", source="concept", key="concept:transfert de style"),
          mention(t1, "C++", "Tool")]
    t2 = "Karim Benali utilise Spout et TouchDesigner à Montréal, et C#."
    m2 = [mention(t2, "Karim Benali", "Person"), mention(t2, "Spout", "Tool"), mention(t2, "TouchDesigner", "Tool"),
          mention(t2, "Montréal", "Place"), mention(t2, "C#", "Tool")]
    return [interview("one", t1, m1, participants=(Participant("Inès Marchand", "interviewee", ("Inès",)),),
                      speaker="Inès Marchand"),
            interview("two", t2, m2)]


def test_ids_are_deterministic_sorted_and_well_formed():
    first = resolve(corpus())
    second = resolve(corpus())
    assert first == second
    ids = [e.id for e in first]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    for e in first:
        assert ID.match(e.id), e.id
        prefix = {"Person": "person", "Organisation": "org", "Tool": "tool", "Work": "work", "Place": "place",
                  "Concept": "concept"}[e.type]
        assert e.id.split("/")[0] == prefix
    assert {"person/ines-marchand", "person/karim-benali", "place/lyon", "place/montreal", "org/atelier-sillage",
            "tool/touchdesigner", "tool/spout", "work/the-nature-of-code",
            "concept/transfert-de-style"} <= set(ids)
    # every type prefix is used
    assert {i.split("/")[0] for i in ids} == {"person", "org", "tool", "work", "place", "concept"}


def test_ids_do_not_depend_on_interview_order():
    forward = resolve(corpus())
    backward = resolve(list(reversed(corpus())))
    assert [e.id for e in forward] == [e.id for e in backward]


def test_symbol_names_get_distinct_ids():
    entities = resolve(corpus())
    c_ids = [one(entities, name).id for name in ("C++", "C#")]
    assert len(set(c_ids)) == 2
    assert all(ID.match(i) for i in c_ids)


def test_confidence_in_unit_interval():
    entities = resolve(corpus())
    many = "Processing " * 80
    entities += resolve([interview("x", many, [mention(many, "Processing", "Tool", score=1.0, nth=i)
                                               for i in range(80)])])
    for e in entities:
        assert 0.0 <= e.confidence <= 1.0, (e.id, e.confidence)
    assert one(entities, "Inès Marchand").confidence == 1.0


def test_empty_corpus():
    assert resolve([]) == ()
    assert resolve([interview("a", "Rien.")]) == ()


# --- spellings of one person's name within an interview ----------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("Ashley Alvarado", "Ashley Alvardo"),        # a slip of the transcriber
    ("Clélia Chateaux", "Clélia Chateau"),
    ("Alain Bertaud", "Alain Bertauds"),           # a possessive read as part of the name
    ("Pau Aleikum Garcia", "Pau Garcia"),          # a middle name dropped
])
def test_spellings_of_one_name_in_an_interview_are_one_person(a, b):
    text = f"J'ai parlé avec {a} hier, {a} encore, puis {b} a répondu."
    ms = [mention(text, a, "Person"), mention(text, a, "Person", nth=1), mention(text, b, "Person")]
    entities = resolve([interview("i1", text, ms)])
    people = [e for e in entities if e.type == "Person"]
    assert len(people) == 1 and people[0].label == a and b in people[0].alt_labels


def test_a_middle_initial_said_once_and_left_out_once_is_one_person_whichever_is_said_more():
    # the shorter form said more often sorted first, so the longer one must be found from either side
    text = "I read Dan M. Davis at school. Later Dan Davis came, and Dan Davis spoke. Davis was kind."
    ms = [mention(text, "Dan M. Davis", "Person"), mention(text, "Dan Davis", "Person"),
          mention(text, "Dan Davis", "Person", nth=1), mention(text, "Davis", "Person", nth=3)]
    people = [e for e in resolve([interview("i1", text, ms)]) if e.type == "Person"]
    assert len(people) == 1 and {"Dan M. Davis", "Dan Davis", "Davis"} <= forms(people[0])


@pytest.mark.parametrize("a, b", [("Marie Dupont", "Marie Lambert"), ("Paul Martin", "Pauline Martin"),
                                  ("Ana Li", "Ana Lu")])
def test_different_people_with_a_shared_name_stay_apart(a, b):
    text = f"{a} et {b} sont venues."
    entities = resolve([interview("i1", text, [mention(text, a, "Person"), mention(text, b, "Person")])])
    assert len([e for e in entities if e.type == "Person"]) == 2


def test_a_first_name_joins_a_person_whose_name_was_spelt_two_ways():
    text = "Clélia Chateaux est là, Clélia Chateau aussi, et Clélia parle."
    ms = [mention(text, "Clélia Chateaux", "Person"), mention(text, "Clélia Chateau", "Person"),
          mention(text, "Clélia", "Person", nth=2)]
    people = [e for e in resolve([interview("i1", text, ms)]) if e.type == "Person"]
    assert len(people) == 1 and forms(people[0]) == {"Clélia Chateaux", "Clélia Chateau", "Clélia"}


def test_a_speaker_known_by_first_name_joins_the_full_name_spelt_two_ways():
    text = "I'm Ashley Alvarado, or Ashley Alvardo as the badge says."
    ms = [mention(text, "Ashley Alvarado", "Person"), mention(text, "Ashley Alvardo", "Person")]
    iv = interview("i1", text, ms, participants=(Participant("Ashley"),), speaker="Ashley")
    people = [e for e in resolve([iv]) if e.type == "Person"]
    assert len(people) == 1 and {"Ashley Alvarado", "Ashley Alvardo"} <= forms(people[0])


@pytest.mark.parametrize("said, slip, label, joined", [
    ("Noesya", "Noésia", "Organisation", True),  # one letter heard otherwise
    ("Tidelift", "Tidal Lift", "Organisation", True),  # a word boundary heard where there is none
    ("Stable Diffusion", "Stable Division", "Tool", True),
    ("Processing", "Processing.js", "Tool", False),  # one name extends the other: two things
    ("Marseille", "Marseillan", "Place", False),  # places differ by as little
    ("Framasoft", "Framadate", "Tool", False),  # alike at the start only: two things
])
def test_two_spellings_of_one_name_in_an_interview_are_one_entity(said: str, slip: str, label: str,
                                                                    joined: bool) -> None:
    text = f"On travaille avec {said}, oui, {said} depuis longtemps ; enfin {slip} nous a aidés."
    ms = [mention(text, said, label), mention(text, said, label, nth=1), mention(text, slip, label)]
    entities = resolve([interview("a", text, ms)])
    if joined:
        assert forms(one(entities, said)) >= {said, slip}
    else:
        assert one(entities, said) is not one(entities, slip)


def test_a_spelling_slip_is_only_joined_within_one_interview() -> None:
    first = interview("a", "Noesya est une coopérative.", [mention("Noesya est une coopérative.", "Noesya",
                                                                   "Organisation")])
    second = interview("b", "Noésia fait du logiciel.", [mention("Noésia fait du logiciel.", "Noésia", "Organisation")])
    entities = resolve([first, second])
    assert one(entities, "Noesya") is not one(entities, "Noésia")


@pytest.mark.parametrize("longer, kind, short, joined", [
    ("Ableton Live", "Tool", "Ableton", True),  # a product cut short to its first word
    ("Celestron NexStar 8SE", "Tool", "Celestron", False),  # a model by its number: the brand alone is its maker
    ("Canon EOS 600D", "Tool", "Canon", False),
    ("Garmin Edge 530", "Tool", "their Garmin", True),  # a thing someone has: the model itself
])
def test_a_brand_said_alone_is_not_its_numbered_model(longer: str, kind: str, short: str, joined: bool) -> None:
    text = f"I've got a {longer} at home. And {short} has gone up a lot, mind."
    short = short.split()[-1]
    ms = [mention(text, longer, kind), mention(text, short, "Organisation", nth=1)]
    entities = resolve([interview("a", text, ms)])
    assert (len(entities) == 1) is joined
    assert (short in forms(one(entities, longer))) is joined


@pytest.mark.parametrize("head", ["Institute", "Space Telescope"])
def test_a_name_said_alone_after_the_institution_named_after_it_is_that_institution(head: str) -> None:
    text = f"I trained at the Hamilton Kerr {head}, in Cambridge. We borrow time at Hamilton Kerr now."
    ivs = [interview("a", text, [mention(text, f"Hamilton Kerr {head}", "Organisation"),
                                 mention(text, "Hamilton Kerr", "Person", nth=1)])]
    entities = resolve(ivs)
    assert [(e.type, forms(e)) for e in entities] == [("Organisation", {f"Hamilton Kerr {head}", "Hamilton Kerr"})]


@pytest.mark.parametrize("named, short, joined", [
    ("lycée Fénelon", "Fénelon", True),
    ("École Estienne", "Estienne", True),
    ("Fondation Cartier", "Cartier", True),
    ("Festival de Cannes", "Cannes", False),  # "de": the town the festival is named after, not a short name of it
    ("Tréfileries Bouscayrol", "Bouscayrol", False),  # no institution's head word before the name
])
def test_a_name_said_alone_after_an_institution_whose_head_word_it_follows_is_that_institution(
        named: str, short: str, joined: bool) -> None:
    text = f"J'ai enseigné au {named} pendant dix ans. À {short} les élèves étaient curieux."
    ivs = [interview("a", text, [mention(text, named, "Organisation"), mention(text, short, "Person", nth=1)])]
    types = sorted(e.type for e in resolve(ivs))
    assert types == (["Organisation"] if joined else ["Organisation", "Person"])


def test_a_name_said_alone_stays_a_person_beside_an_institution_it_does_not_begin() -> None:
    text = "On est allés au Centre Georges Pompidou. Georges Pompidou l'avait voulu."
    ivs = [interview("a", text, [mention(text, "Centre Georges Pompidou", "Organisation"),
                                 mention(text, "Georges Pompidou", "Person", nth=1)])]
    assert sorted(e.type for e in resolve(ivs)) == ["Organisation", "Person"]


def test_an_institution_s_short_name_said_in_another_interview_too_is_the_institution_only_where_named() -> None:
    first = "At the Hamilton Kerr Institute we borrow time at Hamilton Kerr."
    second = "Hamilton Kerr was a painter."
    ivs = [interview("a", first, [mention(first, "Hamilton Kerr Institute", "Organisation"),
                                  mention(first, "Hamilton Kerr", "Person", nth=1)]),
           interview("b", second, [mention(second, "Hamilton Kerr", "Person")])]
    by_type = {e.type: e for e in resolve(ivs)}
    assert sorted(by_type) == ["Organisation", "Person"]
    assert {r.interview for r in by_type["Organisation"].mentions} == {"a"}
    assert {r.interview for r in by_type["Person"].mentions} == {"b"}


@pytest.mark.parametrize("cue", [", aka '", " (a.k.a. ", ", also known as ", ", alias ", ", surnommé "])
def test_a_name_said_as_another_s_alias_is_that_one_in_its_interview(cue: str) -> None:
    """A handle, a nickname, a stage name: "Olaoluwa Osuntokun, aka 'Roasbeef'" names one person, however the
    handle was typed where it was said again ("Roasbeef is my handle"); in another interview the word is itself."""
    first = f"My guest is Olaoluwa Osuntokun{cue}Roasbeef. Roasbeef is just a handle."
    second = "Roasbeef sells sandwiches."
    ivs = [interview("a", first, [mention(first, "Olaoluwa Osuntokun", "Person"),
                                  mention(first, "Roasbeef", "Organisation"),
                                  mention(first, "Roasbeef", "Organisation", nth=1)]),
           interview("b", second, [mention(second, "Roasbeef", "Organisation")])]
    entities = resolve(ivs)
    person = one([e for e in entities if e.type == "Person"], "Olaoluwa Osuntokun")  # type: ignore[arg-type]
    assert "Roasbeef" in forms(person) and {r.interview for r in person.mentions} == {"a"}
    assert len(person.mentions) == 3
    assert [(e.type, {r.interview for r in e.mentions}) for e in entities if e is not person] == [
        ("Organisation", {"b"})]


@pytest.mark.parametrize("named, bracketed, joined", [
    ("Olaoluwa Osuntokun", "@roasbeef", True),
    ("Nico", "NicoTupe", True),  # the given name and more: a handle made of it
    ("Jane Doe", "Mozilla", False),  # an employer in brackets
    ("Nico", "Nicolas Tupe", False),  # two words: a name, not a handle
])
def test_a_handle_in_brackets_after_a_name_is_that_one(named: str, bracketed: str, joined: bool) -> None:
    text = f"Our guest is {named} ({bracketed}), who draws live."
    ivs = [interview("a", text, [mention(text, named, "Person"), mention(text, bracketed, "Tool")])]
    types = sorted(e.type for e in resolve(ivs))
    assert types == (["Person"] if joined else ["Person", "Tool"])


def test_two_names_said_side_by_side_without_an_alias_word_stay_two() -> None:
    text = "J'ai vu Olaoluwa Osuntokun, Roasbeef et les autres."
    ivs = [interview("a", text, [mention(text, "Olaoluwa Osuntokun", "Person"),
                                 mention(text, "Roasbeef", "Organisation")])]
    assert sorted(e.type for e in resolve(ivs)) == ["Organisation", "Person"]
