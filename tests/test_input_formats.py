"""Whisper JSON, TEI XML, PDF and ODT transcripts (#22): each reads as the same interview in plain text.

Every fixture is written here from the turns of a plain-text transcript (no
binaries checked in): the PDFs by fpdf2, the ODT by odfpy, JSON and XML as text.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from test_cli import assert_one_line_error, kg

from kg.errors import InputError, KgError, TranscriptFormatError
from kg.ingest import FORMATS, discover, read_transcript
from kg.model import Interview
from kg.timecodes import span_time

PLAIN = Path(__file__).resolve().parent / "fixtures" / "formats" / "plain-names-fr.txt"
NEW_FORMATS = ("whisper", "tei", "pdf", "odt", "ohms")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def turns_of(iv: Interview) -> list[tuple[str | None, str | None, str]]:
    return [(t.speaker, t.label, squash(t.text)) for t in iv.turns if t.kind == "speech"]


@pytest.fixture(scope="module")
def reference() -> Interview:
    return read_transcript(PLAIN)


@pytest.fixture(scope="module")
def spoken(reference: Interview) -> list[tuple[str, list[str]]]:
    """(label, paragraphs) of each turn of the plain-text interview: what the other formats are written from."""
    return [(t.label or "", [p.strip() for p in t.text.split("\n\n") if p.strip()]) for t in reference.turns]


def sentences(paragraphs: list[str]) -> list[str]:
    return [s for p in paragraphs for s in re.split(r"(?<=[.?!])\s+", p) if s]


# --- writers of each format ------------------------------------------------------------------------

def write_whisper(path: Path, spoken: list[tuple[str, list[str]]]) -> list[tuple[float, float, str]]:
    """WhisperX JSON, one segment per sentence, two seconds each; returns the segments."""
    segments: list[dict[str, Any]] = []
    at = 3.0
    for label, paragraphs in spoken:
        for s in sentences(paragraphs):
            segments.append({"start": at, "end": at + 2.0, "text": " " + s, "speaker": label,
                             "words": [{"word": w} for w in s.split()]})
            at += 2.5
    path.write_text(json.dumps({"segments": segments, "language": "fr"}, ensure_ascii=False), encoding="utf-8")
    return [(s["start"], s["end"], s["text"].strip()) for s in segments]


def write_tei(path: Path, spoken: list[tuple[str, list[str]]], *, speeches: bool = False) -> None:
    """TEI: ``<u who>`` utterances with a timeline (or ``<sp><speaker>`` speeches), people in the header."""
    ids = {label: f"p{i}" for i, label in enumerate(dict.fromkeys(label for label, _ in spoken))}
    people = "".join(f'<person xml:id="{pid}" role="{"interviewer" if i == 0 else "interviewee"}">'
                     f"<persName>{escape(label)}</persName></person>" for i, (label, pid) in enumerate(ids.items()))
    whens, body = ['<when xml:id="T0"/>'], []
    for i, (label, paragraphs) in enumerate(spoken):
        whens.append(f'<when xml:id="T{i + 1}" interval="{10 * (i + 1)}" since="#T0"/>')
        words = "".join(f"<seg>{escape(p)}</seg> " for p in paragraphs)
        if speeches:
            body.append(f"<sp><speaker>{escape(label)}</speaker>" + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
                        + "<stage>(rires)</stage></sp>")
        else:
            body.append(f'<u who="#{ids[label]}" start="#T{i}" end="#T{i + 1}">{words}'
                        f'<incident><desc>rires</desc></incident></u>')
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>Cartographie sensible</title></titleStmt>
    <publicationStmt><p>test</p></publicationStmt>
    <sourceDesc><recordingStmt><recording><date when="2023-05-04"/><media url={quoteattr("carto.m4a")}/></recording>
    </recordingStmt></sourceDesc></fileDesc>
    <profileDesc><langUsage><language ident="fr"/></langUsage>
      <particDesc><listPerson>{people}</listPerson></particDesc></profileDesc></teiHeader>
  <text><timeline origin="#T0" unit="s">{"".join(whens)}</timeline><body>{"".join(body)}</body></text>
</TEI>
""", encoding="utf-8")


def write_pdf(path: Path, spoken: list[tuple[str, list[str]]], *, numbered: bool = False) -> None:
    """A PDF of the transcript as archives print them: a running header, page numbers in the footer, a word
    hyphenated at a line's end, ``numbered`` lines; two pages at least."""
    from fpdf import FPDF

    lines: list[str] = []
    for label, paragraphs in spoken:
        for k, p in enumerate(paragraphs):
            lines += textwrap.wrap(f"{label}: {p}" if k == 0 else p, 70) + [""]
    # cut a long word across two lines, as typesetting does
    for i, line in enumerate(lines):
        words = line.split()
        long = next((w for w in words if len(w) >= 9 and w.isalpha()), None)
        if long and i + 1 < len(lines) and lines[i + 1]:
            head, tail = line[: line.index(long)] + long[:4] + "-", long[4:] + line[line.index(long) + len(long):]
            lines[i: i + 1] = [head, tail.strip()]
            break
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    per_page = max(4, len(lines) // 2 + 1)
    count = 0
    for page, start in enumerate(range(0, len(lines), per_page), start=1):
        pdf.add_page()
        pdf.set_font("helvetica", size=9)
        pdf.cell(0, 6, f"Archives orales - Entretien {page}/2", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=11)
        for line in lines[start: start + per_page]:
            if numbered and line:
                count += 1
                line = f"{count:>3}   {line}"
            pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-18)
        pdf.cell(0, 6, f"- {page} -", align="C")
    pdf.output(str(path))


def write_odt(path: Path, spoken: list[tuple[str, list[str]]]) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text=""))
    for label, paragraphs in spoken:
        for k, p in enumerate(paragraphs):
            doc.text.addElement(P(text=f"{label}: {p}" if k == 0 else p))
    doc.save(str(path))


def write_ohms(path: Path, spoken: list[tuple[str, list[str]]]) -> list[tuple[str, float]]:
    """An OHMS record: the transcript as ``NAME: text`` lines, a sync point a minute, an index with keywords.

    Returns the word each sync point marks and its time.
    """
    lines: list[str] = []
    for label, paragraphs in spoken:
        lines += [f"{label}: {paragraphs[0]}", "", *[x for p in paragraphs[1:] for x in (p, "")]]
    text = "\n".join(lines)
    # a point every minute, at the fourth word of every line that has one (past any speaker label)
    marked = [(i + 1, lines[i].split()[3]) for i in range(len(lines)) if len(lines[i].split()) > 3]
    sync = "1:|" + "|".join(f"{n}(4)" for n, _ in marked)
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<ROOT xmlns="https://www.weareavp.com/nunncenter/ohms"><record id="1" dt="2023-05-04">
<version>5.4</version><date value="2023-05-04" format="yyyy-mm-dd"/><title>Cartographie sensible</title>
<interviewee>{escape(spoken[1][0])}</interviewee><interviewer>{escape(spoken[0][0])}</interviewer>
<media_url>https://archive.example.org/carto.mp3</media_url>
<sync>{sync}</sync><transcript>{escape(text)}</transcript>
<index><point><time>0</time><title>Début</title><keywords>cartographie sensible;marche</keywords></point>
<point><time>60</time><title>Financement</title><keywords>région; école d'art</keywords></point></index>
</record></ROOT>
""", encoding="utf-8")
    return [(word, 60.0 * (k + 1)) for k, (_, word) in enumerate(marked)]


WRITERS: dict[str, tuple[str, Callable[..., Any]]] = {
    "whisper": ("w.json", write_whisper), "tei": ("t.xml", write_tei), "pdf": ("p.pdf", write_pdf),
    "odt": ("o.odt", write_odt), "ohms": ("h.xml", write_ohms)}


# --- parity ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NEW_FORMATS)
def test_same_turns_and_speakers_as_plain_text(name, reference, spoken, tmp_path) -> None:
    filename, write = WRITERS[name]
    path = tmp_path / filename
    write(path, spoken)
    iv = read_transcript(path)
    assert iv.source_format == name
    assert turns_of(iv) == turns_of(reference)
    assert {p.name for p in iv.participants} == {p.name for p in reference.participants}
    for t in iv.turns:
        assert iv.text[t.start:t.end] == t.text


@pytest.mark.parametrize("variant", ["sp", "numbered"])
def test_other_layouts_keep_parity(variant, reference, spoken, tmp_path) -> None:
    """TEI ``<sp><speaker>`` speeches; a PDF with numbered lines."""
    if variant == "sp":
        write_tei(tmp_path / "t.xml", spoken, speeches=True)
        iv = read_transcript(tmp_path / "t.xml")
    else:
        write_pdf(tmp_path / "p.pdf", spoken, numbered=True)
        iv = read_transcript(tmp_path / "p.pdf")
        assert not re.search(r"^\s*\d+\s", iv.text, re.M), "line numbers left in the text"
    assert turns_of(iv) == turns_of(reference)


def test_formats_are_sniffed_by_content_too(spoken, tmp_path) -> None:
    """Renamed to .txt, each file is still read as what it is; a folder lists them by extension."""
    for name, (filename, write) in WRITERS.items():
        write(tmp_path / filename, spoken)
        (tmp_path / filename).rename(tmp_path / f"{name}-renamed.dat")
        assert read_transcript(tmp_path / f"{name}-renamed.dat").source_format == name
    folder = tmp_path / "corpus"
    folder.mkdir()
    for filename, write in WRITERS.values():
        write(folder / filename, spoken)
    (folder / "settings.json").write_text('{"theme": "dark"}', encoding="utf-8")
    (folder / "notes.xml").write_text("<notes><n>rappel</n></notes>", encoding="utf-8")
    assert sorted(p.name for p in discover([folder])) == sorted(f for f, _ in WRITERS.values())


def test_whisper_segments_time_the_quotes(spoken, tmp_path) -> None:
    segments = write_whisper(tmp_path / "w.json", spoken)
    iv = read_transcript(tmp_path / "w.json")
    assert iv.language == "fr"
    for start, end, text in segments:
        at = iv.text.index(text)
        turn = next(t for t in iv.turns if t.start <= at < t.end)
        time = span_time(turn, at, at + len(text))
        # a sentence that is a whole segment has the segment's times, exactly
        assert time is not None and (time.start, time.end, time.interpolated) == (start, end, False)
    first = iv.turns[0]
    assert (first.start_time, first.end_time) == (segments[0][0], max(e for s, e, t in segments
                                                                       if first.start <= iv.text.index(t) < first.end))


def test_tei_header_and_timeline(spoken, tmp_path) -> None:
    write_tei(tmp_path / "t.xml", spoken)
    iv = read_transcript(tmp_path / "t.xml")
    assert (iv.title, iv.date, iv.language, iv.media) == ("Cartographie sensible", "2023-05-04", "fr", "carto.m4a")
    roles = {p.name: p.role for p in iv.participants}
    assert list(roles.values()).count("interviewer") == 1
    speech = [t for t in iv.turns if t.kind == "speech"]
    assert [(t.start_time, t.end_time) for t in speech] == [(10.0 * i, 10.0 * (i + 1)) for i in range(len(speech))]
    assert "rires" not in iv.text


def test_ohms_sync_points_and_index_keywords(spoken, tmp_path) -> None:
    marks = write_ohms(tmp_path / "h.xml", spoken)
    iv = read_transcript(tmp_path / "h.xml")
    assert (iv.title, iv.date, iv.media) == ("Cartographie sensible", "2023-05-04", "https://archive.example.org/carto.mp3")
    assert iv.metadata["keywords"] == "cartographie sensible, marche, région, école d'art"
    roles = {p.name: p.role for p in iv.participants}
    assert roles == {spoken[0][0]: "interviewer", spoken[1][0]: "interviewee"}
    anchors = sorted(a for t in iv.turns for a in t.times)
    assert [at for _, at in anchors] == [at for _, at in marks]
    for (offset, _), (word, _) in zip(anchors, marks, strict=True):
        assert iv.text.startswith(word, offset)


# --- bad input ------------------------------------------------------------------------------------

def test_odt_names_in_bold_without_a_colon_are_labels(tmp_path) -> None:
    """LibreOffice sets a bold run in a span of an automatic style: as in Word, the bold name opens the turn."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import P, Span

    doc = OpenDocumentText()
    bold = Style(name="T1", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    said = [("Julie Martin", "J'utilise Blender."), ("Marc", "Et Processing ?"), ("Julie Martin", "Aussi."),
            ("Marc", "Merci.")]
    for name, words in said:
        paragraph = P()
        paragraph.addElement(Span(stylename=bold, text=name))
        paragraph.addText(" " + words)
        doc.text.addElement(paragraph)
    emphasis = P()
    emphasis.addElement(Span(stylename=bold, text="Note"))
    emphasis.addText(" : fin de l'enregistrement.")
    doc.text.addElement(emphasis)
    doc.save(str(tmp_path / "gras.odt"))
    iv = read_transcript(tmp_path / "gras.odt")
    assert [(t.label, t.text) for t in iv.turns][:3] == said[:3]
    assert iv.turns[3].text.startswith("Merci.") and "*" not in iv.text


def test_odt_a_name_in_a_bold_paragraph_is_the_label_of_the_words_below(tmp_path) -> None:
    """A name alone on its line set in bold: LibreOffice gives the paragraph a bold style of its own."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import P

    doc = OpenDocumentText()
    bold = Style(name="P1", family="paragraph")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    said = [("Marie", "J'utilise Blender."), ("Paul", "Et Processing ?"), ("Marie", "Aussi."), ("Paul", "Merci.")]
    for name, words in said:
        doc.text.addElement(P(stylename=bold, text=name))
        doc.text.addElement(P(text=words))
    doc.save(str(tmp_path / "noms.odt"))
    assert [(t.label, t.text) for t in read_transcript(tmp_path / "noms.odt").turns] == said


def test_odt_leaves_out_tracked_deletions_comments_and_footnotes(tmp_path) -> None:
    """A transcript corrected with changes tracked and annotated in LibreOffice: the deleted words (kept apart at
    the top of the document), a comment and a footnote were read as speech."""
    from odf.dc import Creator
    from odf.namespaces import XMLNS
    from odf.office import Annotation, ChangeInfo
    from odf.opendocument import OpenDocumentText
    from odf.text import ChangedRegion, Deletion, Note, NoteBody, NoteCitation, P, TrackedChanges

    doc = OpenDocumentText()
    tracked, region, deletion, info = TrackedChanges(), ChangedRegion(qattributes={(XMLNS, "id"): "ct1"}), Deletion(), \
        ChangeInfo()
    info.addElement(Creator())
    deletion.addElement(info)
    deletion.addElement(P(text="Marie: Des mots supprimés, Maya."))
    region.addElement(deletion)
    tracked.addElement(region)
    doc.text.addElement(tracked)
    doc.text.addElement(P(text="Marie: J'utilise Blender."))
    question = P(text="Paul: Et Processing ?")
    comment = Annotation()
    comment.addElement(P(text="vérifier Houdini"))
    question.addElement(comment)
    note = Note(noteclass="footnote", id="n1")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="Le logiciel de Casey Reas."))
    note.addElement(body)
    question.addElement(note)
    doc.text.addElement(question)
    doc.text.addElement(P(text="Marie: Aussi."))
    doc.save(str(tmp_path / "tracked.odt"))
    iv = read_transcript(tmp_path / "tracked.odt")
    assert [(t.label, t.text) for t in iv.turns] == [("Marie", "J'utilise Blender."), ("Paul", "Et Processing ?"),
                                                     ("Marie", "Aussi.")]


def test_pdf_without_text_layer_is_one_line_error(tmp_path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 160)  # a drawing, as a scan is an image: no text to extract
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(InputError, match="no text to read.*OCR"):
        read_transcript(tmp_path / "scan.pdf")
    result = kg("build", tmp_path / "scan.pdf", "--out", tmp_path / "out", "--strict")
    assert_one_line_error(result, "scan.pdf", "no text to read", "OCR")
    assert not (tmp_path / "out" / "graph.ttl").exists()
    # a damaged PDF: pypdf's own complaints stay quiet, the one line names the file
    (tmp_path / "cut.pdf").write_bytes(b"%PDF-1.4\n1 0 obj")
    assert_one_line_error(kg("build", tmp_path / "cut.pdf", "--out", tmp_path / "out", "--strict"), "cut.pdf")


def test_encrypted_pdf_names_the_file(spoken, tmp_path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.cell(0, 7, "Ana: Bonjour.")
    pdf.output(str(tmp_path / "locked.pdf"))
    with pytest.raises(InputError, match=r"locked\.pdf.*encrypted") as e:
        read_transcript(tmp_path / "locked.pdf")
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("name,data", [
    ("broken.odt", b"PK\x03\x04" + b"\x00not a zip archive" * 20),
    ("broken.xml", b'<?xml version="1.0"?><TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><u who="#a">Bonjour'),
    ("broken.json", b'{"segments": [{"start": 0, "text": "Bonjour"'),
])
def test_corrupt_files_name_the_file(name, data, tmp_path) -> None:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(KgError) as e:
        read_transcript(tmp_path / name)
    assert name in str(e.value) and "\n" not in str(e.value)


def test_tei_never_resolves_entities(tmp_path) -> None:
    """An external entity (a file on this machine) or an entity bomb is refused, not expanded."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    for doctype in (f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret.as_uri()}">]>',
                    '<!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'):
        path = tmp_path / "evil.xml"
        path.write_text(f'<?xml version="1.0"?>{doctype}<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
                        '<u who="#a">Ana dit &x;&b;</u></body></text></TEI>', encoding="utf-8")
        with pytest.raises(TranscriptFormatError, match="evil.xml") as e:
            read_transcript(path, format="tei")
        assert "TOP SECRET" not in str(e.value)


def test_new_formats_are_registered_and_documented() -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "formats.md").read_text(encoding="utf-8")
    for name in NEW_FORMATS:
        assert name in FORMATS and f"`{name}`" in docs


# The transcription services' JSON, each in the shape its documentation gives, saying the same three segments:
# two speakers, Jane (0-4.2 s, then 6-9.5 s) and Mark (4.2-6 s).
SAID = [("Jane", "Hello, thanks for having me.", 0.0, 4.2), ("Mark", "How did you start?", 4.2, 6.0),
        ("Jane", "At Goldsmiths, in London.", 6.0, 9.5)]
def _rev_elements(text: str, start: float, end: float) -> list[dict[str, Any]]:
    """Rev.ai's elements: a timed "text" element per word, "punct" elements (the spaces) between them."""
    words = text.split(" ")
    step = (end - start) / len(words)
    out: list[dict[str, Any]] = []
    for k, word in enumerate(words):
        if k:
            out.append({"type": "punct", "value": " "})
        out.append({"type": "text", "value": word, "ts": start + k * step, "end_ts": start + (k + 1) * step})
    return out


SERVICES = {
    "assemblyai": {"language_code": "en_us", "text": " ".join(t for _, t, _, _ in SAID), "utterances": [
        {"speaker": s[0], "text": t, "start": int(a * 1000), "end": int(b * 1000), "confidence": 0.9, "words": []}
        for s, t, a, b in SAID]},
    "deepgram": {"results": {"utterances": [
        {"speaker": 0 if s == "Jane" else 1, "transcript": t, "start": a, "end": b, "channel": 0}
        for s, t, a, b in SAID]}},
    "deepgram-paragraphs": {"results": {"channels": [{"alternatives": [{"transcript": "…", "paragraphs": {
        "paragraphs": [{"speaker": 0 if s == "Jane" else 1, "sentences": [{"text": t, "start": a, "end": b}]}
                       for s, t, a, b in SAID]}}]}]}},
    "revai": {"monologues": [{"speaker": 0 if s == "Jane" else 1, "elements": _rev_elements(t, a, b)}
                             for s, t, a, b in SAID]},
    "aws": {"jobName": "itw", "results": {"transcripts": [{"transcript": "…"}], "audio_segments": [
        {"id": i, "transcript": t, "start_time": f"{a:.3f}", "end_time": f"{b:.3f}", "speaker_label": f"spk_{s}"}
        for i, (s, t, a, b) in enumerate(SAID)], "items": []}},
}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_transcription_services_json(tmp_path, service: str) -> None:
    """AssemblyAI, Deepgram, Rev.ai and Amazon Transcribe JSON were "not a valid whisper transcript": the file
    was skipped whole."""
    path = tmp_path / "corpus" / f"{service}.json"
    path.parent.mkdir()
    path.write_text(json.dumps(SERVICES[service]), encoding="utf-8")
    assert discover([path.parent]) == [path]
    iv = read_transcript(path)
    assert iv.source_format == "whisper"
    said = [(t.label, t.text, t.start_time, t.end_time) for t in iv.turns]
    assert [text for _, text, _, _ in said] == [t for _, t, _, _ in SAID]
    assert [(round(a or 0, 3), round(b or 0, 3)) for _, _, a, b in said] == [(a, b) for _, _, a, b in SAID]
    assert len({label for label, _, _, _ in said}) == 2 and said[0][0] == said[2][0]
    if service == "assemblyai":
        assert iv.language == "en"


def test_google_speech_to_text_json(tmp_path) -> None:
    path = tmp_path / "google.json"
    path.write_text(json.dumps({"results": [
        {"alternatives": [{"transcript": t, "confidence": 0.9}], "resultEndTime": f"{b}s", "languageCode": "en-us"}
        for _, t, _, b in SAID]}), encoding="utf-8")
    iv = read_transcript(path)
    (turn,) = iv.turns
    assert turn.text == " ".join(t for _, t, _, _ in SAID) and turn.end_time == 9.5


def test_json_of_no_service_is_one_error(tmp_path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"results": {"score": 3}, "theme": "dark"}', encoding="utf-8")
    (tmp_path / "talk.txt").write_text("Ana: Bonjour.\nBen: Salut.\n", encoding="utf-8")
    assert discover([tmp_path]) == [tmp_path / "talk.txt"]  # in a folder, not even listed
    with pytest.raises(TranscriptFormatError, match=r"settings.json.*no speech-to-text segments") as e:
        read_transcript(path)
    assert "\n" not in str(e.value)
