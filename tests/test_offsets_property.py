"""Property: whatever the label style, turns come back with their speakers and exact offsets.

Hypothesis writes transcripts from generated turns (accented and emoji text, ``----`` and
``Note:`` lines, colons inside sentences, CRLF or LF, NFC or NFD, with or without a BOM or
front matter), then checks that reading the file gives back exactly those turns and that
``interview.text[t.start:t.end] == t.text`` for every one of them.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest import read_transcript
from kg.text import fold

FIRST = ["Élodie", "Zoë", "François", "Ana", "Jürgen", "Søren", "Łucja", "Ngọc", "Renée", "Ìfẹ́", "Chloé",
         "Bartholomew", "Oğuz", "Ævar", "Inès"]
LAST = ["", "", "Dupré", "Nuñez", "Østergaard", "Wójcik", "de La Tour", "O'Brien", "Müller-Lüdenscheidt", "Le Goff"]
WORDS = ["café", "naïve", "été", "garçon", "œuvre", "déjà", "über", "smörgåsbord", "piñata", "Zürich", "Genève",
         "code", "modèle", "réseau", "données", "the", "and", "machine", "learning", "😀", "🎨", "👩🏽‍💻", "🇫🇷",
         "l'atelier", "aujourd’hui", "—", "«", "»", "(voilà)", "3D", "2019", "GPT-3", "e.g.", "x²", "ﬁn"]
PUNCT = ["", "", ",", ".", " ?", " !", " :", ";", "…"]
STYLES = ["bold", "bold-outside", "plain", "plain-own-line", "caps-fr", "caps-nbsp", "ts-bracket", "ts-paren",
          "ts-line"]


@st.composite
def sentence(draw: st.DrawFn) -> str:
    """A line of prose that starts lowercase (or with an emoji), so it never reads as a label."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
    first = draw(st.sampled_from(["oui", "alors", "well", "so", "et", "🙂", "donc", "«", "...", "1.", "ça"]))
    out = first
    for w in words:
        out += " " + w + draw(st.sampled_from(PUNCT))
    return out.rstrip()


@st.composite
def turn_text(draw: st.DrawFn) -> list[str]:
    """The lines of one turn; an empty string is a paragraph break."""
    lines = [draw(sentence())]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["line", "paragraph", "rule", "note", "colon"]))
        if kind == "paragraph":
            lines.append("")
        elif kind == "rule":
            lines += ["", "----", ""]
        elif kind == "note":
            lines.append("Note: " + draw(sentence()))
        elif kind == "colon":
            lines.append(draw(sentence()) + " : " + draw(sentence()))
        lines.append(draw(sentence()))
    if draw(st.booleans()):
        lines += ["", "----"]  # a rule closing the turn, so the next block opens with a label
    return lines


@st.composite
def transcript(draw: st.DrawFn) -> dict:
    k = draw(st.integers(2, 3))
    firsts = draw(st.lists(st.sampled_from(FIRST), min_size=k, max_size=k, unique_by=fold))
    names = [f"{f} {draw(st.sampled_from(LAST))}".strip() for f in firsts]
    middle = draw(st.lists(st.integers(0, k - 1), max_size=4))
    order = list(range(k)) + middle + list(range(k))  # everyone speaks at least twice
    return {
        "names": names,
        "order": order,
        "texts": [draw(turn_text()) for _ in order],
        "style": draw(st.sampled_from(STYLES)),
        "eol": draw(st.sampled_from(["\n", "\r\n"])),
        "gap": draw(st.sampled_from([1, 2])),
        "front": draw(st.booleans()),
        "nfd": draw(st.booleans()),
        "bom": draw(st.booleans()),
    }


def _label(style: str, name: str, i: int) -> str:
    ts = f"00:{i // 60:02d}:{i % 60:02d}"
    return {
        "bold": f"**{name}:** ",
        "bold-outside": f"**{name}**: ",
        "plain": f"{name}: ",
        "plain-own-line": f"{name}:\n",
        "caps-fr": f"{name.upper()} : ",
        "caps-nbsp": f"{name.upper()}\u00a0: ",
        "ts-bracket": f"[{ts}] {name}: ",
        "ts-paren": f"{name} ({ts}): ",
        "ts-line": f"{ts} {name}\n",
    }[style]


def _write(case: dict) -> str:
    parts = []
    if case["front"]:
        people = "".join(f"  - name: \"{n}\"\n" for n in case["names"])
        parts.append(f"---\ntitle: \"Essai : généré\"\nlanguage: fr\nparticipants:\n{people}---\n\n")
    for i, (who, lines) in enumerate(zip(case["order"], case["texts"], strict=False)):
        parts.append(_label(case["style"], case["names"][who], i) + "\n".join(lines) + "\n" * case["gap"])
    return "".join(parts).replace("\n", case["eol"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcript())
def test_generated_turns_round_trip(case: dict) -> None:
    text = _write(case)
    data = unicodedata.normalize("NFD" if case["nfd"] else "NFC", text).encode("utf-8")
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.md"
        path.write_bytes((b"\xef\xbb\xbf" if case["bom"] else b"") + data)
        iv = read_transcript(path)

    assert unicodedata.is_normalized("NFC", iv.text)
    speech = [t for t in iv.turns if t.kind == "speech"]
    assert len(speech) == len(case["order"])
    for turn, who, lines in zip(speech, case["order"], case["texts"], strict=False):
        # a "----" line is a Markdown rule: markup, blanked in place (same length, offsets kept)
        expected = unicodedata.normalize("NFC", case["eol"].join("    " if x == "----" else x for x in lines)).strip()
        assert turn.text == expected
        assert fold(turn.speaker or "") == fold(case["names"][who])
    for t in iv.turns:
        assert iv.text[t.start:t.end] == t.text
    assert not any("no speaker turns" in w for w in iv.warnings)
    if case["front"]:
        assert iv.title == "Essai : généré" and iv.language == "fr"
        assert [p.name for p in iv.participants] == [unicodedata.normalize("NFC", n) for n in case["names"]]


@st.composite
def subtitles(draw: st.DrawFn) -> dict:
    k = draw(st.integers(2, 3))
    firsts = draw(st.lists(st.sampled_from(FIRST), min_size=k, max_size=k, unique_by=fold))
    order = draw(st.lists(st.integers(0, k - 1), min_size=1, max_size=6))
    order = [w for i, w in enumerate(order) if i == 0 or w != order[i - 1]]  # a turn per change of speaker
    cues = [draw(st.lists(sentence(), min_size=1, max_size=3)) for _ in order]
    return {"names": firsts, "order": order, "cues": cues, "kind": draw(st.sampled_from(["srt", "vtt"])),
            "caps": draw(st.booleans()), "eol": draw(st.sampled_from(["\n", "\r\n"]))}


@settings(max_examples=40, deadline=None)
@given(subtitles())
def test_generated_subtitles_merge_by_speaker(case: dict) -> None:
    blocks, n = [], 0
    for who, chunks in zip(case["order"], case["cues"], strict=False):
        name = case["names"][who]
        for j, chunk in enumerate(chunks):
            n += 1
            start = f"00:00:{n:02d}{',' if case['kind'] == 'srt' else '.'}000"
            end = f"00:00:{n:02d}{',' if case['kind'] == 'srt' else '.'}900"
            if case["kind"] == "vtt" and not case["caps"]:
                body = f"<v {name}>{chunk}"
            else:
                body = f"{name.upper()} : {chunk}" if j == 0 else chunk  # named on the first cue only
            blocks.append((f"{n}\n" if case["kind"] == "srt" else "") + f"{start} --> {end}\n{body}\n")
    text = ("WEBVTT\n\n" if case["kind"] == "vtt" else "") + "\n".join(blocks)
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / f"generated.{case['kind']}"
        path.write_bytes(text.replace("\n", case["eol"]).encode("utf-8"))
        iv = read_transcript(path)
    assert iv.source_format == case["kind"]
    assert len(iv.turns) == len(case["order"])
    for turn, who, chunks in zip(iv.turns, case["order"], case["cues"], strict=False):
        assert fold(turn.speaker or "") == fold(case["names"][who])
        assert turn.text == " ".join(" ".join(c.split()) for c in chunks)
        assert iv.text[turn.start:turn.end] == turn.text
