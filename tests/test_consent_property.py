"""Property tests of the public edition and the leak check: random corpora, names, positions, spellings, escapes.

No model runs inside the loops: the graphs are made by hand (`consent_corpus.fabricate`) and go through the
real edition, the real writers (RDF, page, summary) and the real leak check.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote_plus

from consent_corpus import fabricate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.consent.edit import public_edition
from kg.consent.forms import name_forms
from kg.consent.leaks import LeakFinder
from kg.consent.profile import parse_consent
from kg.pipeline import RDF_FORMATS, BuildConfig, write_outputs

SYLLABLES = ["zu", "qa", "xo", "kri", "vel", "dro", "ny", "pho"]
"""Names are made of these: no French word, and nothing in kg's page, holds two of them in a row."""
FILLER = ["le", "projet", "de", "recherche", "avec", "machine", "learning", "et", "puis", "Python", "données",
          "image", "atelier", "on", "a", "travaillé", "sur", "un", "réseau", ",", ".", "?"]
ACCENTED = {"a": "àâ", "o": "ôö", "u": "üû", "e": "éè", "y": "ÿ"}
SEPARATORS = [" ", "  ", "-", "_", "", "\u00a0", ". "]

word = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=3).map(lambda s: "".join(s).capitalize())


@st.composite
def spelling(draw: st.DrawFn, first: str, last: str) -> str:
    """One way a transcript (or a file) may write the name: whole or in part, any case, accents, spacing."""
    kind = draw(st.sampled_from(["full", "first", "last", "reversed"]))
    sep = draw(st.sampled_from(SEPARATORS))
    text = {"full": f"{first}{sep}{last}", "first": first, "last": last, "reversed": f"{last}{sep}{first}"}[kind]
    case = draw(st.sampled_from(["same", "upper", "lower", "title"]))
    text = text if case == "same" else getattr(text, case)()
    return "".join(draw(st.sampled_from([c, *ACCENTED.get(c.lower(), "")])) if draw(st.booleans()) else c
                   for c in text)


@st.composite
def corpora(draw: st.DrawFn) -> tuple[list[tuple[str, list[tuple[str, list[list[tuple[str, str | None]]]]]]],
                                      str, str, str]:
    first, last = draw(word), draw(word)
    if first == last:
        last += "dro"
    name = f"{first} {last}"
    interviews = []
    for n in range(draw(st.integers(1, 2))):
        turns = []
        for _ in range(draw(st.integers(1, 4))):
            sentences = []
            for _ in range(draw(st.integers(1, 3))):
                pieces: list[tuple[str, str | None]] = []
                for _ in range(draw(st.integers(1, 6))):
                    if draw(st.integers(0, 3)) == 0:
                        # the name, as a mention of the person or as words no extractor saw
                        pieces.append((draw(spelling(first, last)), name if draw(st.booleans()) else None))
                    else:
                        pieces.append((draw(st.sampled_from(FILLER)), None))
                    pieces.append((" ", None))
                sentences.append(pieces[:-1])
            speaker = draw(st.sampled_from([name, "Nicolas Barradeau"]))
            turns.append((speaker, sentences))
        interviews.append((f"entretien-{n}-{draw(st.sampled_from([first, 'x']))}".lower(), turns))
    status = draw(st.sampled_from(["pseudonymise", "hide"]))
    return interviews, first, last, status


def _folded(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    return " " + re.sub(r"[\W_]+", " ", text) + " "


def _variants(text: str) -> list[str]:
    """The file read plain, and unescaped the ways kg's formats escape (not the leak check's own code)."""
    unicode = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return [text, html.unescape(text), unquote_plus(text), unicode.replace("\\", "")]


def _holds(text: str, first: str, last: str) -> bool:
    f, la = first.lower(), last.lower()
    return any(f" {f} " in v or f" {la} " in v or f + la in v.replace(" ", "") or la + f in v.replace(" ", "")
               for v in map(_folded, _variants(text)))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(), st.data())
def test_no_file_of_an_edition_holds_a_restricted_name(corpus, data: st.DataObject) -> None:
    interviews, first, last, status = corpus
    speakers = [(f"{first} {last}", first), ("Nicolas Barradeau", "Nicolas")]
    kg = fabricate(interviews, speakers=speakers)
    ids = [iv.id for iv in kg.interviews]
    passages = ""
    if data.draw(st.booleans()):
        iv = kg.interviews[0]
        start = data.draw(st.integers(0, len(iv.text) - 1))
        end = start + data.draw(st.integers(1, 40))
        passages = f"passages:\n  - {{interview: {ids[0]}, start: {start}, end: {end}}}\n"
    closed = data.draw(st.sampled_from([None, *ids]))
    consent = parse_consent(
        f"interviews:\n  {closed or 'elsewhere'}: closed\n"
        f"people:\n  {first} {last}: {status}\n  Nicolas Barradeau: public\n{passages}")
    edition = public_edition(kg, consent, today=dt.date(2030, 1, 1))
    for iv in edition.graph.interviews:
        for t in iv.turns:
            assert iv.text[t.start:t.end] == t.text
            for s in t.sentences:
                assert iv.text[s.start:s.end] == s.text
                assert all(iv.text[m.start:m.end] == m.text for m in s.mentions)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "public"
        write_outputs(edition.graph, out, BuildConfig(html=data.draw(st.booleans()), formats=RDF_FORMATS))
        files = [p for p in out.rglob("*") if p.is_file()]
        assert files
        for path in files:
            text = path.read_text(encoding="utf-8")
            assert not _holds(text, first, last), (path.name, first, last)
        assert LeakFinder(consent.restricted_forms()).in_folder(out) == []


@st.composite
def escaped(draw: st.DrawFn, text: str) -> str:
    """``text`` as one of kg's formats (or a hand edit) might escape it, one layer or two."""
    def one(value: str, how: str) -> str:
        if how == "url":
            return quote(value, safe="")
        if how == "html":
            return "".join(f"&#{ord(c)};" if c.isalpha() and draw(st.booleans()) else c for c in value)
        if how == "json":  # as json.dumps writes it, some letters written as \\uXXXX besides
            return "".join(f"\\u{ord(c):04x}" if c.isalpha() and draw(st.booleans())
                           else json.dumps(c, ensure_ascii=True)[1:-1] for c in value)
        if how == "turtle":
            return re.sub(r"([-_. ])", r"\\\1", value)
        return value

    layers = draw(st.lists(st.sampled_from(["plain", "url", "html", "json", "turtle"]), min_size=1, max_size=2))
    for how in layers:
        text = one(text, how)
    return text


@settings(max_examples=60, deadline=None)
@given(word, word, st.data())
def test_the_check_finds_every_planted_leak(first: str, last: str, data: st.DataObject) -> None:
    if first == last:
        last += "dro"
    forms = name_forms([f"{first} {last}"])
    filler = " ".join(data.draw(st.lists(st.sampled_from(FILLER), min_size=0, max_size=30)))
    planted = data.draw(escaped(data.draw(spelling(first, last))))
    at = data.draw(st.integers(0, len(filler)))
    wrapper = data.draw(st.sampled_from(["{}", " {} ", "<https://x.org/person/{}>", '"{}"', "<p>{}</p>",
                                         "?q={}&p=1"]))
    name = data.draw(st.sampled_from(["graph.ttl", "graph.jsonld", "graph.html", ".kg-page.json", "summary.json"]))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / name).write_text(filler, encoding="utf-8")
        assert LeakFinder(forms).in_folder(root) == []
        (root / name).write_text(filler[:at] + " " + wrapper.format(planted) + " " + filler[at:], encoding="utf-8")
        leaks = LeakFinder(forms).in_folder(root)
        assert [leak.file for leak in leaks][:1] == [name], (planted, leaks)
