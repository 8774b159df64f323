"""A real public build of the shared Barradeau interview, the commands around it, and what they refuse."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest
from consent_corpus import fabricate

from kg.cli import main
from kg.consent.edit import CUT, public_edition
from kg.consent.edition import build_public, publish
from kg.consent.profile import parse_consent
from kg.errors import ConsentError
from kg.pipeline import RDF_FORMATS, BuildConfig

CONSENT = """\
interviews:
  barradeau-2022: open
  nowhere-1999: closed
people:
  Alexia Mathieu: {status: pseudonymise, reason: interviewer}
  Nicolas Barradeau: public
  Mario Klingemann: hide
  Zorglub Inconnu: hide
passages:
  - {interview: barradeau-2022, turn: 5, reason: private matter}
"""
RESTRICTED = ("alexia", "mathieu", "klingemann")


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """``kg ARGS`` in this process: exit status, stdout, stderr."""
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def folded_variants(text: str) -> list[str]:
    """The text plain and unescaped (HTML, URL, \\\\u), folded to lower-case ASCII letters only."""
    unicode = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    out = []
    for v in (text, html.unescape(text), unquote(text), unicode):
        v = unicodedata.normalize("NFKD", v).encode("ascii", "ignore").decode().lower()
        out.append(re.sub(r"[^a-z]", "", v))
    return out


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path):
    """The public edition of the Barradeau interview (one real build): (result, out folder, consent file, warnings)."""
    folder = tmp_path_factory.mktemp("public")
    consent = folder / "consent.yaml"
    consent.write_text(CONSENT, encoding="utf-8")
    warnings: list[str] = []
    out = folder / "public"
    result = build_public([shared_dir / "corpus" / "barradeau-2022.txt"], out, BuildConfig(formats=RDF_FORMATS),
                          consent, warn=warnings.append)
    return result, out, consent, warnings


def test_no_file_of_the_edition_holds_a_restricted_name_in_any_form(edition) -> None:
    _, out, _, _ = edition
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"graph.ttl", "graph.jsonld", "graph.html", "summary.json", ".kg-page.json"}
    for path in files:
        for variant in folded_variants(path.read_text(encoding="utf-8")):
            for name in RESTRICTED:
                assert name not in variant, (path.name, name)
    assert not any(p.name == ".kg-cache" for p in out.rglob("*"))  # the cache holds whole transcripts
    assert [p.name for p in out.parent.iterdir() if "kg-public" in p.name] == []  # no staging folder left


def test_the_edition_keeps_offsets_exact_and_says_what_it_is(edition) -> None:
    result, out, _, warnings = edition
    iv = result.graph.interviews[0]
    assert iv.mentions and all(iv.text[m.start:m.end] == m.text for m in iv.mentions)
    assert all(iv.text[t.start:t.end] == t.text for t in iv.turns)
    assert next(t for t in iv.turns if t.index == 5).text == CUT
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interviews"][0]["speakers"] == ["Nicolas Barradeau", "Person 1"]
    assert summary["provenance"]["edition"] == "public"
    assert "dcterms:accessRights" in (out / "graph.ttl").read_text(encoding="utf-8") or \
        "http://purl.org/dc/terms/accessRights" in (out / "graph.ttl").read_text(encoding="utf-8")
    assert any("Zorglub Inconnu" in w for w in warnings) and any("nowhere-1999" in w for w in warnings)


def test_the_edition_is_shacl_valid_under_both_shapes_and_passes_the_check(edition, capsys) -> None:
    _, out, consent, _ = edition
    code, said, _ = run(capsys, "validate", out)
    assert code == 0, said
    assert "valid" in said and "public-shapes.ttl" in said
    code, said, _ = run(capsys, "check-release", out, "--consent", consent)
    assert code == 0 and said.startswith("clean"), said


def test_check_release_lists_a_planted_leak_and_exits_1(edition, tmp_path: Path, capsys) -> None:
    _, out, consent, _ = edition
    copy = shutil.copytree(out, tmp_path / "copy")
    page = copy / "graph.html"
    page.write_text(page.read_text(encoding="utf-8") + "<a href='/p?n=ALEXIA%20Math%C3%AFeu'></a>", encoding="utf-8")
    code, said, err = run(capsys, "check-release", copy, "--consent", consent)
    assert code == 1
    assert "leak        graph.html: 'Alexia Mathieu' (escaped)" in said.splitlines()
    assert all(line.startswith("leak        graph.html: ") for line in said.splitlines())
    assert "restricted name(s) found" in err


def _clean_graph():
    turns = [("Nicolas Barradeau", [[("Avec ", None), ("Alexia Mathieu", "Alexia Mathieu"), (".", None)]])]
    return fabricate([("atelier", turns)], speakers=[("Nicolas Barradeau", "Nicolas")])


def test_an_edition_that_fails_the_check_is_not_written(tmp_path: Path) -> None:
    consent = parse_consent("people:\n  Alexia Mathieu: pseudonymise\n")
    edition = public_edition(_clean_graph(), consent, today=dt.date(2030, 1, 1))
    out = tmp_path / "public"
    publish(edition, out, BuildConfig(html=False))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # a base IRI that names her puts her name in every IRI: the check must stop the edition
    with pytest.raises(ConsentError) as e:
        publish(edition, out, BuildConfig(base_iri="https://example.org/alexia-mathieu/"))
    assert "public edition not written" in str(e.value) and "\n" not in str(e.value)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


@pytest.mark.parametrize("setup", ["private", "cache", "cache-inside"])
def test_a_public_build_refuses_a_private_folder_and_caches(setup: str, tmp_path: Path, capsys) -> None:
    consent = tmp_path / "consent.yaml"
    consent.write_text("people:\n  Alexia Mathieu: pseudonymise\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    extra: list[str | Path] = []
    if setup == "private":
        (out / "summary.json").write_text('{"provenance": {"build_id": "x"}}', encoding="utf-8")
    elif setup == "cache":
        (out / ".kg-cache").mkdir()
    else:
        extra = ["--cache", out / "cache"]
    before = sorted(p.name for p in out.rglob("*"))
    code, _, err = run(capsys, "build", tmp_path / "missing.txt", "--consent", consent, "--out", out, *extra)
    assert code == 2 and len(err.splitlines()) == 1 and err.startswith("kg: error: ")
    assert ("private build" if setup == "private" else "cache") in err
    assert sorted(p.name for p in out.rglob("*")) == before


def test_a_malformed_consent_file_stops_the_build_before_anything_is_written(tmp_path: Path, capsys) -> None:
    consent = tmp_path / "consent.yaml"
    consent.write_text("people:\n  Alexia Mathieu: {status: pseudonymise}\n  Nicolas: secret\n", encoding="utf-8")
    code, _, err = run(capsys, "build", tmp_path, "--consent", consent, "--out", tmp_path / "out")
    assert code == 2 and err.splitlines() == [err.strip()]
    assert "consent.yaml: line 3:" in err and "'secret'" in err
    assert not (tmp_path / "out").exists()


def test_a_short_name_is_not_found_in_the_code_every_page_holds(tmp_path: Path) -> None:
    # the page inlines minified code with names like "ak": a person called AK must still be publishable
    turns = [("Nicolas Barradeau", [[("Je suis ", None), ("AK", "AK"), (" et ", None), ("Ak", "AK"), (".", None)]])]
    graph = fabricate([("atelier", turns)], speakers=[("Nicolas Barradeau", "Nicolas")])
    edition = public_edition(graph, parse_consent("people:\n  AK: pseudonymise\n"), today=dt.date(2030, 1, 1))
    written = publish(edition, tmp_path / "public", BuildConfig())
    assert "graph.html" in written
    assert "Je suis Person 1 et Person 1." in edition.graph.interviews[0].text


def test_a_new_edition_reuses_the_last_ones_bytes_but_never_an_old_pseudonym(tmp_path: Path) -> None:
    out = tmp_path / "public"
    first = public_edition(_clean_graph(), parse_consent("people:\n  Alexia Mathieu: {status: pseudonymise, "
                                                         "pseudonym: Personne A}\n"), today=dt.date(2030, 1, 1))
    publish(first, out, BuildConfig())
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.name != ".kg-index.json"}  # it records times
    publish(first, out, BuildConfig())
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.name != ".kg-index.json"} == before
    second = public_edition(_clean_graph(), parse_consent("people:\n  Alexia Mathieu: {status: pseudonymise, "
                                                          "pseudonym: Personne B}\n"), today=dt.date(2030, 1, 1))
    publish(second, out, BuildConfig())
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        assert "Personne A" not in text and "personne-a" not in text, path.name
    assert "Personne B" in (out / "graph.ttl").read_text(encoding="utf-8")


def test_the_starter_file_lists_everyone_with_a_cautious_suggestion(built_barradeau) -> None:
    from kg.consent.starter import starter

    kg, _ = built_barradeau
    consent = parse_consent(starter(kg), "consent.yaml")  # what init writes reads back
    assert [iv.id for iv in consent.interviews] == ["barradeau-2022"]
    people = {p.name: p for p in consent.people}
    persons = {e.label for e in kg.entities if e.type == "Person"}
    assert set(people) >= {"Alexia Mathieu", "Nicolas Barradeau"}
    assert all(any(label == n or label in p.aliases for n, p in people.items()) for label in persons)
    assert people["Alexia Mathieu"].status == "pseudonymise" and "Alexia" in people["Alexia Mathieu"].aliases
    assert people["Nicolas Barradeau"].status == "pseudonymise"  # speakers are pseudonymised by default
    first_names = [p for p in consent.people if len(p.name.split()) == 1 and p.name not in ("Alexia", "Nicolas")]
    assert first_names and all(p.status == "pseudonymise" for p in first_names)


def test_consent_init_refuses_to_overwrite_and_needs_a_place(tmp_path: Path, capsys) -> None:
    (tmp_path / "consent.yaml").write_text("people: {}\n", encoding="utf-8")
    code, _, err = run(capsys, "consent", "init", tmp_path)
    assert code == 2 and "exists" in err and len(err.splitlines()) == 1
    code, _, err = run(capsys, "consent", "init", tmp_path / "a.txt", tmp_path / "b.txt")
    assert code == 2 and "--out" in err
    assert (tmp_path / "consent.yaml").read_text(encoding="utf-8") == "people: {}\n"


def test_an_edition_with_a_closed_interview_and_a_hidden_person_is_shacl_valid(tmp_path: Path) -> None:
    from kg.consent.edition import PUBLIC_SHAPES
    from kg.rdf.validate import validate

    turns = [("Nicolas Barradeau", [[("Avec ", None), ("Alexia Mathieu", "Alexia Mathieu"), (" et ", None),
                                     ("Mario Klingemann", "Mario Klingemann"), (".", None)]])]
    graph = fabricate([("atelier", turns), ("brouillon", turns)], speakers=[("Nicolas Barradeau", "Nicolas")])
    consent = parse_consent("interviews:\n  brouillon: closed\npeople:\n  Alexia Mathieu: pseudonymise\n"
                            "  Mario Klingemann: hide\n")
    out = tmp_path / "public"
    publish(public_edition(graph, consent, today=dt.date(2030, 1, 1)), out, BuildConfig(html=False))
    for shapes in (None, PUBLIC_SHAPES):
        report = validate(out) if shapes is None else validate(out, shapes=shapes)
        assert report.conforms and not report.violations, report.format()


def test_a_public_build_keeps_no_link_cache_in_its_folder(tmp_path: Path) -> None:
    from kg.consent.edition import check_public_folder

    out = tmp_path / "public"
    with pytest.raises(ConsentError) as e:
        check_public_folder(out, BuildConfig(link_cache=str(out / ".kg-links.sqlite")))
    assert "link cache" in str(e.value) and "\n" not in str(e.value)
    check_public_folder(out, BuildConfig(link_cache=str(tmp_path / "links.sqlite")))  # beside it: allowed
