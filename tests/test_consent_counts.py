"""``keep: counts``: a closed interview whose public edition keeps which entities it mentions, and how often.

The shipped sample is closed with counts, its interviewer pseudonymised and a person it names hidden.  The
counts are checked against the private build's RDF (SPARQL over its kgi:Mention nodes), and no sentence of
the interview may be found in any file of the edition.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from pathlib import Path

import pytest
from consent_corpus import fabricate
from rdflib import RDF, URIRef

from kg.cli import main
from kg.consent.edit import public_edition
from kg.consent.edition import PUBLIC_SHAPES, publish
from kg.consent.profile import parse_consent
from kg.errors import ConsentError
from kg.page.data import from_kg, load
from kg.page.render import page_data
from kg.pipeline import BuildConfig
from kg.rdf.read import load_graph
from kg.rdf.validate import validate
from kg.rdf.vocab import KGI, NIF

CONSENT = """\
interviews:
  entretien-atelier: {status: closed, keep: counts, reason: the narrator asked for no quotes}
people:
  Thomas Régnier: {status: pseudonymise, pseudonym: Personne A}
  Julien Ferrand: hide
"""

PRIVATE_COUNTS = """\
PREFIX kgi: <https://w3id.org/kg-interviews/ns#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
PREFIX schema: <https://schema.org/>
SELECT ?label (COUNT(DISTINCT ?m) AS ?n) WHERE {
    ?iv schema:identifier "entretien-atelier" .
    ?m a kgi:Mention ; nif:referenceContext ?iv ; itsrdf:taIdentRef ?e .
    ?e schema:name ?label .
} GROUP BY ?label
"""

PUBLIC_COUNTS = """\
PREFIX kgi: <https://w3id.org/kg-interviews/ns#>
PREFIX schema: <https://schema.org/>
SELECT ?label ?n WHERE {
    ?iv schema:identifier "entretien-atelier" .
    ?t a kgi:MentionTally ; kgi:interview ?iv ; kgi:talliedEntity ?e ; kgi:mentionTally ?n .
    ?e schema:name ?label .
}
"""


@pytest.fixture(scope="module")
def edition(built_sample, tmp_path_factory: pytest.TempPathFactory):
    """The sample's private build, and its edition with the interview closed but counted: (graph, private folder,
    public folder, consent file, page redrawn by kg html)."""
    kg, private = built_sample
    folder = tmp_path_factory.mktemp("counts")
    consent = folder / "consent.yaml"
    consent.write_text(CONSENT, encoding="utf-8")
    out = folder / "public"
    every_format = BuildConfig(formats=("ttl", "jsonld", "nt", "trig", "nq"))
    publish(public_edition(kg, parse_consent(CONSENT), today=dt.date(2030, 1, 1)), out, every_format)
    redrawn = folder / "redrawn.html"
    try:
        main(["html", str(out), "--out", str(redrawn)])
    except SystemExit as e:
        assert not e.code
    return kg, private, out, consent, redrawn


def _expected(private: Path) -> dict[str, int]:
    """Mentions per entity label in the private build, as the consent file renames or hides them."""
    rows = load_graph(private).query(PRIVATE_COUNTS)
    counts = {str(label): int(n) for label, n in rows}  # type: ignore[misc]
    assert counts.get("Thomas Régnier") and counts.get("Julien Ferrand")  # the sample names both
    counts["Personne A"] = counts.pop("Thomas Régnier")
    del counts["Julien Ferrand"]
    return counts


def test_the_edition_counts_each_entity_as_the_private_build_mentions_it(edition) -> None:
    _, private, out, _, _ = edition
    expected = _expected(private)
    found = {str(label): int(n) for label, n in load_graph(out).query(PUBLIC_COUNTS)}  # type: ignore[misc]
    assert found == expected
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    (interview,) = summary["interviews"]
    labels = {e.id: e.label for e in load(out).entities}
    assert {labels[eid]: n for eid, n in interview["entity_counts"].items()} == expected
    assert interview["turns"] == 0 and interview["mentions"] == 0


def test_the_page_shows_the_counts_and_no_quote(edition) -> None:
    _, private, out, _, redrawn = edition
    data = load(out)
    assert data.quotes == ()
    labels = {e.id: e.label for e in data.entities}
    (interview,) = data.interviews
    assert {labels[eid]: n for eid, n in interview.counts} == _expected(private)
    assert redrawn.read_bytes() == (out / "graph.html").read_bytes()  # kg html reads the counts back


def _letters(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", text)


def test_no_sentence_of_the_interview_is_in_any_file(edition) -> None:
    kg, _, out, _, _ = edition
    sentences = sorted((s.text for t in kg.interviews[0].turns for s in t.sentences), key=len, reverse=True)[:5]
    assert all(len(_letters(s)) > 40 for s in sentences)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"graph.ttl", "graph.jsonld", "graph.html", "summary.json"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        unescaped = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), html.unescape(text))
        folded = _letters(unescaped)
        for sentence in sentences:
            assert _letters(sentence) not in folded, (path.name, sentence)


def test_the_edition_is_shacl_valid_and_passes_the_leak_check(edition, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, out, consent, _ = edition
    for shapes in (None, PUBLIC_SHAPES):
        report = validate(out) if shapes is None else validate(out, shapes=shapes)
        assert report.conforms and not report.violations, report.format()
    try:
        main(["check-release", str(out), "--consent", str(consent)])
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    said = capsys.readouterr().out
    assert code == 0 and said.startswith("clean"), said


def test_the_public_shapes_refuse_a_tally_beside_the_interview_text(edition) -> None:
    _, _, out, _, _ = edition
    g = load_graph(out)
    interview = g.value(next(g.subjects(RDF.type, URIRef(KGI.MentionTally))), URIRef(KGI.interview))
    assert interview is not None
    g.add((URIRef(f"{interview}/turn/1"), NIF.referenceContext, interview))  # a turn of it, copied in
    report = validate(g, shapes=PUBLIC_SHAPES)
    assert not report.conforms and "keeps no turn, quote or mention" in report.format()


@pytest.mark.parametrize(("text", "words"), [
    ("interviews:\n  a: {status: closed, keep: quotes}\n", "keep 'quotes' is not one of record, counts"),
    ("interviews:\n  a: {status: open, keep: counts}\n", "keep only goes with status closed or restricted"),
])
def test_a_wrong_keep_is_one_line_naming_its_line(text: str, words: str) -> None:
    with pytest.raises(ConsentError) as e:
        parse_consent(text, "consent.yaml")
    assert str(e.value).startswith("consent.yaml: line 2: ") and words in str(e.value) and "\n" not in str(e.value)


def test_record_stays_the_default_and_keeps_no_counts(built_sample) -> None:
    kg, _ = built_sample
    consent = parse_consent("interviews:\n  entretien-atelier: closed\n")
    assert consent.interviews[0].keep == "record"
    edited = public_edition(kg, consent, today=dt.date(2030, 1, 1)).graph
    assert edited.entities == () and edited.interviews[0].text == ""


def _two_interviews():
    turns = [("Nicolas Barradeau", [[("Avec ", None), ("Alexia Mathieu", "Alexia Mathieu"), (" et ", None),
                                     ("Mario Klingemann", "Mario Klingemann"), (", puis ", None),
                                     ("Alexia Mathieu", "Alexia Mathieu"), (".", None)]])]
    return fabricate([("atelier", turns), ("brouillon", turns)], speakers=[("Nicolas Barradeau", "Nicolas")])


@pytest.mark.parametrize(("today", "counted"), [(dt.date(2030, 1, 1), True), (dt.date(2031, 1, 1), False)])
def test_a_restricted_interview_is_counted_until_it_opens(today: dt.date, counted: bool) -> None:
    consent = parse_consent("interviews:\n  brouillon: {status: restricted, until: 2031-01-01, keep: counts}\n"
                            "people:\n  Alexia Mathieu: pseudonymise\n  Mario Klingemann: hide\n")
    graph = public_edition(_two_interviews(), consent, today=today).graph
    (person,) = graph.entities  # Mario is hidden: neither kept nor counted
    assert person.label == "Person 1"
    assert person.counts == ((("brouillon", 2),) if counted else ())
    assert {r.interview for r in person.mentions} == ({"atelier"} if counted else {"atelier", "brouillon"})
    page = page_data(from_kg(graph))
    iv = {n["id"]: i for i, n in enumerate(page["nodes"]) if n["kind"] == "interview"}
    node = next(n for n in page["nodes"] if n.get("id") == "person/person-1")
    assert node["interviews"] == sorted(iv.values()) and node["mentions"] == 4
    brouillon = page["nodes"][iv["brouillon"]]
    assert brouillon["quotes"] == (0 if counted else 1)
    assert brouillon["top"] == [[page["nodes"].index(node), 2]]
