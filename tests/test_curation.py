"""`kg.curation`: every action on hand-made entities, malformed files, and a curated build end to end."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from helpers import ROOT, SAMPLE

from kg.curation import Curation, SplitPart, apply_curation, load_curation
from kg.errors import CurationError
from kg.model import Entity, Mention, MentionRef


def ref(iv: str, start: int, text: str, label: str = "Tool") -> MentionRef:
    return MentionRef(iv, 1, 1, Mention(start, start + len(text), text, label, 0.9, "ner"))


def entities() -> tuple[Entity, ...]:
    return (
        Entity("tool/stylegan", "Tool", "StyleGAN", ("style gan",),
               (ref("a", 10, "StyleGAN"), ref("b", 5, "style gan")), 0.95),
        Entity("tool/style-gan-2", "Tool", "Style-GAN 2", (), (ref("b", 40, "Style-GAN 2"),), 0.8),
        Entity("tool/processing", "Tool", "Processing", ("processing",),
               (ref("a", 3, "Processing"), ref("a", 60, "processing"), ref("b", 70, "Processing")), 0.9),
        Entity("tool/en-gros", "Tool", "En gros", (), (ref("b", 1, "En gros"),), 0.5),
        Entity("org/clipe", "Organisation", "Clipe", (), (ref("a", 90, "Clipe", "Organisation"),), 0.6),
        Entity("org/ak", "Organisation", "AK", (), (ref("b", 99, "AK", "Organisation"),), 0.7),
        Entity("tool/runway-ml", "Tool", "Runway ML", ("runway",), (ref("a", 120, "Runway ML"),), 0.9),
        Entity("person/nicolas-barradeau", "Person", "Nicolas Barradeau", ("Nicolas",),
               (ref("b", 200, "Nicolas", "Person"),), 1.0, speaker_of=("b",)),
        Entity("tool/python", "Tool", "Python", ("python",), (ref("a", 150, "python"),), 0.9),
    )


def by_id(ents: tuple[Entity, ...]) -> dict[str, Entity]:
    return {e.id: e for e in ents}


def run(curation: Curation) -> tuple[dict[str, Entity], list[str]]:
    warnings: list[str] = []
    out = apply_curation(entities(), curation, warn=warnings.append)
    assert [e.id for e in out] == sorted(e.id for e in out)
    return by_id(out), warnings


def write(tmp_path: Path, text: str, name: str = "curation.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return p


# --- actions ------------------------------------------------------------------------------------------------------

def test_empty_curation_changes_nothing():
    out, warnings = run(Curation())
    assert out == by_id(entities()) and warnings == []


@pytest.mark.parametrize("refs", [
    ("tool/en-gros", "org/clipe"),          # by id
    ("En gros", "Clipe"),                   # by label
    ("EN GROS", "clipe"),                   # by label, any case
])
def test_ignore(refs):
    out, warnings = run(Curation(ignore=refs))
    assert "tool/en-gros" not in out and "org/clipe" not in out
    assert len(out) == len(entities()) - 2
    assert warnings == []


def test_ignore_by_alt_label():
    out, _ = run(Curation(ignore=("RUNWAY",)))
    assert "tool/runway-ml" not in out


@pytest.mark.parametrize("into, sources", [
    ("tool/stylegan", ("tool/style-gan-2",)),
    ("stylegan", ("style-gan 2",)),
    ("STYLE GAN", ("Style-GAN 2", "tool/stylegan")),   # merging an entity into itself is a no-op
])
def test_merge(into, sources):
    out, warnings = run(Curation(merge=((into, sources),)))
    assert "tool/style-gan-2" not in out
    e = out["tool/stylegan"]
    assert e.label == "StyleGAN"
    assert set(e.alt_labels) == {"style gan", "Style-GAN 2"}
    assert len(e.mentions) == 3
    assert {r.interview for r in e.mentions} == {"a", "b"}
    assert warnings == []


def test_merge_keeps_speaker_of():
    out, _ = run(Curation(merge=(("org/ak", ("person/nicolas-barradeau",)),)))
    assert "person/nicolas-barradeau" not in out
    assert out["org/ak"].speaker_of == ("b",)
    assert "Nicolas Barradeau" in out["org/ak"].alt_labels


def test_split_by_exact_surface_form():
    part = SplitPart("processing", "Concept", ("processing",))
    out, warnings = run(Curation(split=(("tool/processing", (part,)),)))
    assert warnings == []
    tool, concept = out["tool/processing"], out["concept/processing"]
    assert [r.mention.text for r in tool.mentions] == ["Processing", "Processing"]
    assert [r.mention.text for r in concept.mentions] == ["processing"]
    assert (concept.type, concept.label, concept.alt_labels) == ("Concept", "processing", ())
    assert "processing" not in tool.alt_labels   # the moved form no longer names the tool


def test_split_all_mentions_removes_the_original():
    part = SplitPart("Style GAN 2", "Work", ("Style-GAN 2",))
    out, _ = run(Curation(split=(("Style-GAN 2", (part,)),)))
    assert "tool/style-gan-2" not in out
    work = out["work/style-gan-2"]
    assert work.type == "Work" and work.label == "Style GAN 2" and work.alt_labels == ("Style-GAN 2",)
    assert len(work.mentions) == 1


def test_split_into_two_parts():
    parts = (SplitPart("StyleGAN", "Tool", ("StyleGAN",)), SplitPart("style gan", "Concept", ("style gan",)))
    out, _ = run(Curation(split=(("tool/stylegan", parts),)))
    assert [r.mention.text for r in out["tool/stylegan"].mentions] == ["StyleGAN"]
    assert [r.mention.text for r in out["concept/style-gan"].mentions] == ["style gan"]


def test_split_part_keeping_the_id_keeps_the_rest():
    """A part named like the original entity is the original: it keeps the mentions no other part took."""
    part = SplitPart("processing", "Concept", ("processing",))
    keep = SplitPart("Processing", "Tool", ("Processing",))
    out, _ = run(Curation(split=(("tool/processing", (keep, part)),)))
    assert [r.mention.text for r in out["tool/processing"].mentions] == ["Processing", "Processing"]
    assert [r.mention.text for r in out["concept/processing"].mentions] == ["processing"]
    only = SplitPart("processing", "Concept", ("processing",))
    same = SplitPart("Processing", "Tool", ("nothing",))
    out, _ = run(Curation(split=(("tool/processing", (only, same)),)))
    assert [r.mention.text for r in out["tool/processing"].mentions] == ["Processing", "Processing"]
    speaker = SplitPart("Nicolas Barradeau", "Person", ("Nicolas",))
    out, _ = run(Curation(split=(("person/nicolas-barradeau", (speaker,)),)))
    assert out["person/nicolas-barradeau"].speaker_of == ("b",)


@pytest.mark.parametrize("key", ["tool/runway-ml", "Runway ML", "runway ml", "RUNWAY"])
def test_rename(key):
    out, warnings = run(Curation(rename={key: "RunwayML"}))
    e = out["tool/runway-ml"]                     # the id (IRI) stays
    assert e.label == "RunwayML"
    assert set(e.alt_labels) == {"Runway ML", "runway"}
    assert warnings == []


def test_rename_to_an_alt_label_drops_it_from_alts():
    out, _ = run(Curation(rename={"tool/stylegan": "style gan"}))
    assert out["tool/stylegan"].label == "style gan"
    assert out["tool/stylegan"].alt_labels == ("StyleGAN",)


@pytest.mark.parametrize("key", ["org/ak", "AK", "ak"])
def test_retype(key):
    out, warnings = run(Curation(retype={key: "Person"}))
    assert "org/ak" not in out
    e = out["person/ak"]
    assert (e.type, e.label, e.confidence) == ("Person", "AK", 1.0)
    assert len(e.mentions) == 1
    assert warnings == []


@pytest.mark.parametrize("key", ["tool/python", "Python", "PYTHON"])
def test_same_as(key):
    iri = "http://www.wikidata.org/entity/Q28865"
    out, warnings = run(Curation(same_as={key: iri}))
    assert out["tool/python"].same_as == (iri,)
    assert warnings == []


def test_actions_chain_in_order():
    """ignore, merge, split, rename, retype, same_as: later actions see earlier results."""
    curation = Curation(
        ignore=("En gros",),
        merge=(("tool/stylegan", ("tool/style-gan-2",)),),
        rename={"Style-GAN 2": "StyleGAN (all versions)"},     # found through the merged alt label
        retype={"StyleGAN (all versions)": "Concept"},         # found through the new label
        same_as={"concept/stylegan": "http://www.wikidata.org/entity/Q64512"},
    )
    out, warnings = run(curation)
    assert warnings == []
    e = out["concept/stylegan"]
    assert (e.type, e.label) == ("Concept", "StyleGAN (all versions)")
    assert {"StyleGAN", "Style-GAN 2", "style gan"} <= set(e.alt_labels)
    assert e.same_as == ("http://www.wikidata.org/entity/Q64512",)
    assert "tool/stylegan" not in out and "tool/en-gros" not in out


@pytest.mark.parametrize("curation, action", [
    (Curation(ignore=("tool/nothing",)), "ignore"),
    (Curation(merge=(("tool/nothing", ("tool/stylegan",)),)), "merge into"),
    (Curation(merge=(("tool/stylegan", ("Nothing At All",)),)), "merge"),
    (Curation(split=(("tool/nothing", (SplitPart("x", "Concept", ("x",)),)),)), "split"),
    (Curation(rename={"tool/nothing": "X"}), "rename"),
    (Curation(retype={"tool/nothing": "Person"}), "retype"),
    (Curation(same_as={"tool/nothing": "http://www.wikidata.org/entity/Q1"}), "same_as"),
])
def test_reference_matching_nothing_only_warns(curation, action):
    out, warnings = run(curation)
    assert len(warnings) == 1
    assert warnings[0].startswith(f"curation: {action} ")
    assert "matches no entity" in warnings[0]
    assert set(out) == {e.id for e in entities()}


def test_ignored_entity_cannot_be_renamed_later():
    out, warnings = run(Curation(ignore=("tool/python",), rename={"tool/python": "Python 3"}))
    assert "tool/python" not in out
    assert len(warnings) == 1 and "rename" in warnings[0]


def test_default_warn_is_silent():
    assert len(apply_curation(entities(), Curation(ignore=("nothing",)))) == len(entities())


# --- loading ------------------------------------------------------------------------------------------------------

def _documented_example() -> str:
    """The example curation file of docs/curation.md: what it says must load as it says."""
    found = re.search(r"```yaml\n(.*?)```", (ROOT / "docs" / "curation.md").read_text(encoding="utf-8"), re.S)
    assert found is not None
    return found.group(1)


def test_load_the_documented_example(tmp_path):
    c = load_curation(write(tmp_path, _documented_example()))
    assert c.ignore == ("tool/en-gros", "Clipe")
    assert c.merge == (("tool/stylegan", ("tool/style-gan-2",)),)
    assert c.split == (("tool/processing", (SplitPart("processing", "Concept", ("processing",)),)),)
    assert c.rename == {"tool/runway-ml": "RunwayML"}
    assert c.retype == {"org/ak": "Person"}
    assert c.same_as == {"tool/python": "http://www.wikidata.org/entity/Q28865"}


def test_readme_example_applied():
    warnings: list[str] = []
    c = Curation(ignore=("tool/en-gros", "Clipe"), merge=(("tool/stylegan", ("tool/style-gan-2",)),),
                 split=(("tool/processing", (SplitPart("processing", "Concept", ("processing",)),)),),
                 rename={"tool/runway-ml": "RunwayML"}, retype={"org/ak": "Person"},
                 same_as={"tool/python": "http://www.wikidata.org/entity/Q28865"})
    out = by_id(apply_curation(entities(), c, warn=warnings.append))
    assert warnings == []
    assert set(out) == {"tool/stylegan", "tool/processing", "concept/processing", "person/ak", "tool/runway-ml",
                        "person/nicolas-barradeau", "tool/python"}


@pytest.mark.parametrize("text, values", [
    ("", Curation()),
    ("# nothing yet\n", Curation()),
    ("ignore: tool/x\n", Curation(ignore=("tool/x",))),
    ("ignore: [tool/x, 42]\n", Curation(ignore=("tool/x", "42"))),
    ("retype:\n  org/ak: person\n  tool/p: CONCEPT\n", Curation(retype={"org/ak": "Person", "tool/p": "Concept"})),
    ("merge:\n  - into: a\n    from: b\n", Curation(merge=(("a", ("b",)),))),
    ("split:\n  - entity: e\n    into:\n      - label: L\n        match: m\n",
     Curation(split=(("e", (SplitPart("L", "Concept", ("m",)),)),))),
    ("rename:\n  tool/x: 2024\n", Curation(rename={"tool/x": "2024"})),
])
def test_load_variants(tmp_path, text, values):
    assert load_curation(write(tmp_path, text)) == values


@pytest.mark.parametrize("text, line, words", [
    ("ignore: [tool/x\nrename: {a: b}\n", 2, "not valid YAML"),                   # bad YAML
    ("ignore: [a]\nrename:\n  a: b\ncolour: red\n", 4, "unknown key 'colour'"),  # unknown key
    ("ignore: [a]\nretype:\n  org/ak: Person\n  tool/q: Robot\n", 4, "unknown type 'Robot'"),
    ("split:\n  - entity: tool/p\n    into:\n      - {label: p, type: Gadget, match: [p]}\n", 4,
     "unknown type 'Gadget'"),
    ("ignore: [a]\n\nsame_as:\n  tool/python: https://example.org/python\n", 4, "Wikidata"),
    ("same_as: {tool/python: 'https://www.wikidata.org/wiki/Q28865'}\n", 1, "Wikidata"),
    ("ignore: [a]\nmerge:\n  - into: tool/a\n    from: [tool/b]\n  - from: [tool/c]\n", 5,
     "each merge needs 'into' and 'from'"),
    ("merge:\n  - tool/a\n", 1, "each merge needs 'into' and 'from'"),
    ("split:\n  - entity: tool/p\n", 2, "each split needs 'entity'"),
    ("split:\n  - entity: tool/p\n    into:\n      - {label: p}\n", 4, "'label' and 'match'"),
    ("- just\n- a list\n", 1, "expected a mapping"),
    ("ignore: [a]\nrename: [a, b]\n", 2, "rename must map"),
    ("rename:\n  tool/a: [x, y]\n", 2, "must be text"),
    ("ignore:\n  - {a: b}\n", 1, "ignore must be a name or a list"),
    ("ignore: [a]\noccupation:\n  person/a: \"  \"\n", 3, "occupation for 'person/a' must be a non-empty text"),
    ("occupation: {person/a: }\n", 1, "the value for 'person/a' must be text"),
    ("occupation:\n  person/a: [designer, teacher]\n", 2, "must be text"),
    ("occupation:\n  person/a: yes\n", 2, "non-empty text"),
])
def test_malformed_file_names_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(CurationError) as info:
        load_curation(path)
    message = str(info.value)
    assert message.startswith(f"{path}: line {line}: "), message
    assert words in message
    assert "\n" not in message


def test_missing_and_undecodable_files(tmp_path):
    with pytest.raises(CurationError, match="not found"):
        load_curation(tmp_path / "nope.yaml")
    bad = tmp_path / "latin.yaml"
    bad.write_bytes("rename: {a: é}\n".encode("latin-1"))
    with pytest.raises(CurationError, match=str(bad)):
        load_curation(bad)


# --- end to end ---------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_curated_build_end_to_end(tmp_path, capsys):
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, SKOS

    from kg.cli import main

    curation = write(tmp_path, """
        ignore: [tool/photoshop, kinect, tool/no-such-tool]
        rename: {tool/touchdesigner: Touch Designer (Derivative)}
        retype: {Magenta: Organisation}
    """)
    out = tmp_path / "out"
    main(["build", str(SAMPLE), "--out", str(out), "--curation", str(curation), "--no-html"])
    captured = capsys.readouterr()
    assert "wrote" in captured.out
    assert "tool/no-such-tool" in captured.err and "matches no entity" in captured.err

    g = Graph()
    g.parse(out / "graph.ttl")
    base = "https://w3id.org/kg-interviews/data/"
    schema = "https://schema.org/"
    subjects = {str(s) for s in g.subjects()}
    assert base + "tool/photoshop" not in subjects
    assert base + "tool/kinect" not in subjects
    assert not any(str(o) in ("Photoshop", "Kinect") for o in g.objects(None, URIRef(schema + "name")))
    td = URIRef(base + "tool/touchdesigner")
    assert g.value(td, URIRef(schema + "name")) == Literal("Touch Designer (Derivative)")
    assert "TouchDesigner" in {str(a) for a in g.objects(td, SKOS.altLabel)}
    magenta = [s for s in g.subjects(URIRef(schema + "name"), Literal("Magenta"))]
    assert magenta and all((m, RDF.type, URIRef(schema + "Organization")) in g for m in magenta)


# --- review: checked, authority links, single mentions -------------------------------------------------------------

def test_review_states():
    out, warnings = run(Curation(rename={"tool/python": "Python 3"}, checked=("tool/stylegan", "Clipe", "tool/python")))
    assert warnings == []
    assert out["tool/stylegan"].review == "checked" and out["org/clipe"].review == "checked"
    assert out["tool/python"].review == "corrected", "a changed entity is corrected even when also checked"
    assert out["tool/processing"].review == "unreviewed"
    merged, _ = run(Curation(merge=(("tool/stylegan", ("tool/style-gan-2",)),)))
    assert merged["tool/stylegan"].review == "corrected"


def test_authority_links_add_up_and_mark_corrected():
    links: dict[str, tuple[str, ...]] = {
        "tool/python": ("https://www.wikidata.org/wiki/Q28865", "http://www.wikidata.org/entity/Q28865")}
    out, _ = run(Curation(authority=links, same_as={"tool/python": "http://www.wikidata.org/entity/Q28865"}))
    assert out["tool/python"].links == links["tool/python"]
    assert out["tool/python"].same_as == ("http://www.wikidata.org/entity/Q28865",)
    assert out["tool/python"].review == "corrected"


@pytest.mark.parametrize("iri, ok", [
    ("https://www.wikidata.org/wiki/Q28865", True), ("http://www.wikidata.org/entity/Q42", True),
    ("https://viaf.org/viaf/102333412", True), ("https://www.idref.fr/02678591X", True),
    ("https://www.idref.fr/026785911/id", True), ("https://orcid.org/0000-0002-1825-0097", True),
    ("https://www.geonames.org/2988507/paris.html", True), ("https://sws.geonames.org/2988507/", True),
    ("javascript:alert(1)", False), ("https://www.wikidata.org/wiki/Q28865\"><script>", False),
    ("ftp://viaf.org/viaf/1", False), ("https://evil.example/wikidata.org/wiki/Q1", False),
    ("https://www.wikidata.org/wiki/Q0", False), ("https://orcid.org/0000-0002-1825-009", False),
    ("https://www.wikidata.org.evil.example/wiki/Q1", False), ("data:text/html,<b>", False),
])
def test_authority_patterns(tmp_path, iri, ok):
    from kg.curation import authority_of

    assert (authority_of(iri) is not None) == ok
    path = write(tmp_path, f"authority:\n  tool/python: {json.dumps(iri)}\n")
    if ok:
        assert load_curation(path).authority == {"tool/python": (iri,)}
    else:
        with pytest.raises(CurationError, match=r"line 2: authority for 'tool/python'"):
            load_curation(path)


def test_authority_shape_pattern_is_the_code_s():
    from rdflib import Graph
    from rdflib.namespace import SH

    from kg.curation import AUTHORITIES

    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    patterns = {str(o) for o in shapes.objects(None, SH.pattern)}
    assert "^(" + "|".join(p[1:-1] for p in AUTHORITIES.values()) + ")$" in patterns


def test_the_page_s_id_prefixes_are_resolution_s():
    from kg.authority import ID_PREFIX
    from kg.resolve import TYPE_PREFIX

    assert ID_PREFIX == TYPE_PREFIX


def test_split_a_single_mention_and_into_an_existing_entity():
    part = SplitPart("Processing (the act)", "Concept", (), (("a", 60),))
    out, _ = run(Curation(split=(("tool/processing", (part,)),)))
    new = out["concept/processing-the-act"]
    assert [(r.interview, r.mention.start) for r in new.mentions] == [("a", 60)]
    assert len(out["tool/processing"].mentions) == 2 and "processing" in out["tool/processing"].alt_labels
    # a part named as an entity that exists joins it instead of replacing it
    out, _ = run(Curation(split=(("tool/processing", (SplitPart("Python", "Tool", (), (("b", 70),)),)),)))
    assert {r.mention.start for r in out["tool/python"].mentions} == {150, 70}
    assert out["tool/python"].label == "Python" and "Processing" in out["tool/python"].alt_labels


def test_a_retyped_entity_answers_to_its_old_id():
    out, warnings = run(Curation(retype={"org/ak": "Person"}, authority={"org/ak": ("https://viaf.org/viaf/1",)},
                                 checked=("org/ak",)))
    assert warnings == [] and out["person/ak"].links == ("https://viaf.org/viaf/1",)


def test_load_review_keys(tmp_path):
    path = write(tmp_path, """
        checked: [tool/python, "Clipe"]
        authority:
          tool/python: [https://www.wikidata.org/wiki/Q28865]
        split:
          - entity: tool/processing
            into:
              - {label: processing, type: Concept, at: ["a:60", "an:id:with:colons:3"]}
    """)
    c = load_curation(path)
    assert c.checked == ("tool/python", "Clipe")
    assert c.authority == {"tool/python": ("https://www.wikidata.org/wiki/Q28865",)}
    assert c.split[0][1][0].at == (("a", 60), ("an:id:with:colons", 3))
    from kg.curation import parse_curation
    again = parse_curation(json.dumps(c.to_json()))
    assert again == c, "the JSON the page embeds reads back as the same curation"
    with pytest.raises(CurationError, match="line 4: split 'at' takes 'interview:offset'"):
        load_curation(write(tmp_path, "split:\n  - entity: x\n    into:\n      - {label: y, at: [nope]}\n"))


@pytest.mark.slow
def test_review_in_the_rdf_validates(tmp_path):
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    from kg.pipeline import BuildConfig, build, write_outputs
    from kg.rdf.validate import validate
    from kg.rdf.vocab import KGI, PROV, SCHEMA

    curation = write(tmp_path, """
        ignore: [tool/no-such-tool]
        rename: {tool/touchdesigner: Touch Designer}
        authority: {tool/touchdesigner: "https://www.wikidata.org/wiki/Q2439375"}
        checked: [kinect]
        occupation: {Daniel Shiffman: enseignant}
    """)
    config = BuildConfig(curation=str(curation))
    kg = build([SAMPLE], config)
    out = tmp_path / "out"
    write_outputs(kg, out, config)
    g = Graph().parse(out / "graph.ttl")
    base = "https://w3id.org/kg-interviews/data/"
    td, kinect = URIRef(base + "tool/touchdesigner"), URIRef(base + "tool/kinect")
    assert g.value(td, KGI.reviewState) == KGI.Corrected and g.value(kinect, KGI.reviewState) == KGI.Checked
    assert set(g.objects(td, SKOS.exactMatch)) == {URIRef("https://www.wikidata.org/wiki/Q2439375")}
    shiffman = URIRef(base + "person/daniel-shiffman")
    assert [str(o) for o in g.objects(shiffman, SCHEMA.jobTitle)] == ["enseignant"]
    assert g.value(shiffman, KGI.reviewState) == KGI.Corrected
    states = {g.value(e, KGI.reviewState) for e in g.subjects(KGI.mentionCount, None)
              if (e, KGI.sourceChecksum, None) not in g}
    assert KGI.Unreviewed in states
    cur = g.value(td, KGI.reviewedIn)
    assert cur is not None and str(g.value(cur, KGI.sourceFile)) == "curation.yaml"
    assert (None, PROV.used, cur) in g
    assert any("tool/no-such-tool" in str(s) for s in g.objects(cur, KGI.staleEntry))
    report = validate(g)
    assert report.conforms and not report.violations, report.format()
    # kg html redraws the same page from the RDF: the review states, links and curation file come back
    from kg.page.data import from_kg, load
    from kg.page.render import write_html

    assert load(out) == from_kg(kg)
    page = (out / "graph.html").read_bytes()
    assert write_html(out, out=tmp_path / "again.html").read_bytes() == page
    assert b"kg-review:" in page and b"Touch Designer" in page


def test_the_shapes_refuse_a_foreign_authority_link_and_an_unknown_review_state():
    from rdflib import URIRef

    from kg.model import KnowledgeGraph
    from kg.rdf.build import to_rdf
    from kg.rdf.validate import validate
    from kg.rdf.vocab import DEFAULT_BASE, KGI

    prov = {"time": "2026-01-01T00:00:00Z", "kg_version": "0"}
    good = Entity("tool/python", "Tool", "Python", links=("https://www.wikidata.org/wiki/Q28865",), review="checked")
    report = validate(to_rdf(KnowledgeGraph((), (good,), prov), base=DEFAULT_BASE))
    assert report.conforms and not report.violations, report.format()
    bad = Entity("tool/python", "Tool", "Python", links=("javascript:alert(1)",))
    report = validate(to_rdf(KnowledgeGraph((), (bad,), prov), base=DEFAULT_BASE))
    assert not report.conforms and "exactMatch" in report.format()
    g = to_rdf(KnowledgeGraph((), (good,), prov), base=DEFAULT_BASE)
    g.add((URIRef(DEFAULT_BASE + "tool/python"), KGI.reviewState, URIRef(DEFAULT_BASE + "tool/python")))
    report = validate(g)
    assert not report.conforms and "reviewState" in report.format()


def test_occupation_is_a_person_s_and_reads_back(tmp_path):
    c = load_curation(write(tmp_path, """
        occupation:
          Nicolas Barradeau: "  designer   graphique "
          tool/python: snake
    """))
    assert c.occupation == {"Nicolas Barradeau": "designer graphique", "tool/python": "snake"}
    from kg.curation import parse_curation
    assert parse_curation(json.dumps(c.to_json())) == c, "the JSON the page embeds reads back as the same curation"
    warnings: list[str] = []
    out = by_id(apply_curation(entities(), c, warn=warnings.append))
    assert out["person/nicolas-barradeau"].occupation == "designer graphique"
    assert out["person/nicolas-barradeau"].review == "corrected"
    assert out["tool/python"].occupation == "" and out["tool/python"].review == "unreviewed"
    assert len(warnings) == 1 and "'tool/python'" in warnings[0] and "only a person" in warnings[0]


def test_a_bad_occupation_stops_kg_build_in_one_line(tmp_path, capsys):
    from helpers import one_line_error

    bad = write(tmp_path, "occupation:\n  person/a: ''\n")
    message = one_line_error(capsys, ["build", str(SAMPLE), "--out", str(tmp_path / "out"), "--curation", str(bad)])
    assert "line 2" in message and "occupation for 'person/a'" in message
    assert not (tmp_path / "out").exists()


def test_an_occupation_is_schema_job_title_and_only_a_person_s():
    from rdflib import Literal, URIRef

    from kg.model import KnowledgeGraph
    from kg.rdf.build import to_rdf
    from kg.rdf.validate import validate
    from kg.rdf.vocab import DEFAULT_BASE, SCHEMA

    prov = {"time": "2026-01-01T00:00:00Z", "kg_version": "0"}
    person = Entity("person/ines-marchand", "Person", "Inès Marchand", occupation="designer")
    tool = Entity("tool/python", "Tool", "Python", occupation="snake")  # not from a curation: it has none
    g = to_rdf(KnowledgeGraph((), (person, tool), prov), base=DEFAULT_BASE)
    ines, python = URIRef(DEFAULT_BASE + "person/ines-marchand"), URIRef(DEFAULT_BASE + "tool/python")
    assert list(g.objects(ines, SCHEMA.jobTitle)) == [Literal("designer")]
    assert list(g.objects(python, SCHEMA.jobTitle)) == []
    report = validate(g)
    assert report.conforms and not report.violations, report.format()
    g.add((python, SCHEMA.jobTitle, Literal("snake")))
    g.add((ines, SCHEMA.jobTitle, Literal("teacher")))
    report = validate(g)
    assert not report.conforms and "jobTitle" in report.format()
    assert "only a schema:Person" in report.format() and "at most one schema:jobTitle" in report.format()
