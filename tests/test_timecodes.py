"""Times of turns and quotes, and finding the recording (#22); no NLP model runs here."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from test_ingest import assert_offsets

from kg.cache import interview_from_dict, interview_to_dict
from kg.ingest import read_transcript
from kg.media import attach_media, relative_to
from kg.model import Entity, KnowledgeGraph, Mention, MentionRef, Sentence, Turn
from kg.rdf.vocab import KGI
from kg.timecodes import SpanTime, media_fragment, span_time

FORMATS_DIR = Path(__file__).resolve().parent / "fixtures" / "formats"


@pytest.mark.parametrize("anchors,start,end,expected", [
    (((0, 10.0), (100, 20.0)), 0, 100, SpanTime(10.0, 20.0, False)),
    (((0, 10.0), (100, 20.0)), 25, 75, SpanTime(12.5, 17.5, True)),
    # a cue's end and the next cue's start at one offset: a span opening there starts after the silence
    (((0, 1.0), (10, 4.0), (10, 6.0), (20, 8.0)), 10, 20, SpanTime(6.0, 8.0, False)),
    (((0, 1.0), (10, 4.0), (10, 6.0), (20, 8.0)), 0, 10, SpanTime(1.0, 4.0, False)),
    # after the last anchor: only a start is known
    (((0, 5.0),), 3, 9, SpanTime(5.0, None, True)),
    (((0, 5.0), (10, 9.0)), 12, 15, SpanTime(9.0, None, True)),
])
def test_span_time(anchors, start, end, expected) -> None:
    turn = Turn(1, 0, 100, "x" * 100, times=anchors)
    assert span_time(turn, start, end) == expected


def test_no_anchors_no_time() -> None:
    assert span_time(Turn(1, 0, 5, "hello"), 0, 5) is None


@pytest.mark.parametrize("media,time,expected", [
    ("entretien.m4a", SpanTime(12.5, 17.2, True), "entretien.m4a#t=12.5,17.2"),
    ("../rec/a b.wav", SpanTime(0.0, 3.0, False), "../rec/a%20b.wav#t=0,3"),
    ("x.mp4", SpanTime(61.25, None, True), "x.mp4#t=61.25"),
])
def test_media_fragment(media, time, expected) -> None:
    assert media_fragment(media, time) == expected


def test_vtt_cues_keep_milliseconds_and_share_lines(tmp_path) -> None:
    path = tmp_path / "a.vtt"
    path.write_text("WEBVTT\n\n00:00:01.250 --> 00:00:03.750\n<v Ana>Une phrase.\n\n"
                    "00:00:05.000 --> 00:00:09.000\n<v Ana>Oui.\n<v Bob>Non, pas du tout.\n", encoding="utf-8")
    iv = read_transcript(path)
    ana, bob = iv.turns
    assert ana.start_time == 1.25 and ana.end_time == pytest.approx(5.0 + 4.0 * 4 / 21, abs=0.001)
    # "Oui." and "Non, pas du tout." share their cue by length: Bob starts 4/21 of the way in
    assert bob.start_time == pytest.approx(5.0 + 4.0 * 4 / 21, abs=0.001) and bob.end_time == 9.0
    first = iv.text.index("Une phrase.")
    assert span_time(ana, first, first + len("Une phrase.")) == SpanTime(1.25, 3.75, False)
    assert_offsets(iv)


@pytest.mark.parametrize("name,starts", [
    ("ts-bracket-en.txt", [5.0, 12.0, 100.0, 104.0]),
    ("ts-paren-fr.txt", None),
    ("srt-dash-en.srt", None),
])
def test_every_timed_fixture_gives_turn_times(name, starts) -> None:
    iv = read_transcript(FORMATS_DIR / name)
    speech = [t for t in iv.turns if t.kind == "speech"]
    assert all(t.start_time is not None for t in speech)
    if starts is not None:
        assert [t.start_time for t in speech] == starts
    # each turn ends where the next timed one starts, and the last has no end
    for a, b in zip(speech, speech[1:], strict=False):
        assert a.end_time is not None and a.end_time <= b.start_time  # type: ignore[operator]
    for t in speech:
        for s, e in zip(t.times, t.times[1:], strict=False):
            assert t.start <= s[0] <= e[0] <= t.end and s[1] <= e[1]


def test_marks_inside_a_turn_anchor_where_they_stand(tmp_path) -> None:
    path = tmp_path / "marks.txt"
    path.write_text("[00:00:10] Ana: Première partie du récit.\n[00:00:30] Suite du récit après la pause.\n"
                    "[00:01:00] Bob: Merci.\n", encoding="utf-8")
    iv = read_transcript(path)
    ana = iv.turns[0]
    assert [at for _, at in ana.times] == [10.0, 30.0, 60.0]
    later = iv.text.index("Suite")
    time = span_time(ana, later, ana.end)
    # one space after the mark, then "Suite": a second at most past 30
    assert time is not None and 30.0 < time.start < 31.0 and time.end == 60.0 and time.interpolated


def test_f4transkript_marks_close_their_paragraphs(tmp_path) -> None:
    """f4transkript, common in qualitative research, closes each paragraph with ``#hh:mm:ss-t#`` (tenths): the
    marks were left in the turns' text, and no quote had a time."""
    path = tmp_path / "f4.txt"
    path.write_text("I: Pouvez-vous me parler de votre travail ? #00:00:05-2#\n\n"
                    "B: Je travaille à Lyon #00:00:09-0# depuis 2015. #00:00:15-8#\n\nI: Et avant ? #00:00:18#\n\n"
                    "B: Nantes. #00:00:29-4#\n", encoding="utf-8")
    iv = read_transcript(path)
    assert [t.text for t in iv.turns] == ["Pouvez-vous me parler de votre travail ?",
                                          "Je travaille à Lyon              depuis 2015.", "Et avant ?", "Nantes."]
    assert "#" not in iv.text
    assert [(t.start_time, t.end_time) for t in iv.turns] == [(None, 5.2), (5.2, 15.8), (15.8, 18.0), (18.0, 29.4)]
    b = iv.turns[1]
    assert [at for _, at in b.times] == [5.2, 9.0, 15.8]  # the mark inside the turn anchors where it stands
    time = span_time(b, iv.text.index("depuis"), b.end)
    assert time is not None and 9.0 <= time.start < 10.0 and time.end == 15.8


def test_a_time_alone_on_its_line_starts_the_next_turn(tmp_path) -> None:
    """Meeting tools write the minute alone on a line between turns: it was left in the turn before, untimed."""
    path = tmp_path / "meet.txt"
    path.write_text("Entretien - transcription\n00:00:00\n\nAna: Bonjour.\nBob: Bonjour Ana.\n00:05:00\n\n"
                    "Ana: Et Lyon ?\nBob: Plus tard.\n", encoding="utf-8")
    iv = read_transcript(path)
    speech = [t for t in iv.turns if t.kind == "speech"]
    assert [t.text for t in speech] == ["Bonjour.", "Bonjour Ana.", "Et Lyon ?", "Plus tard."]
    assert [t.start_time for t in speech] == [0.0, None, 300.0, None]
    assert "00:05" not in iv.text and "Bonjour Ana." in iv.text


def test_unlabelled_timed_lines_are_one_paragraph_of_speech_that_keeps_their_times() -> None:
    path = FORMATS_DIR / "asr-lines-en.txt"
    iv = read_transcript(path)
    (turn,) = iv.turns
    assert iv.source_format == "segments"
    assert turn.text.startswith("so today we are talking") and "[00:" not in iv.text
    # one line a segment, cut where the recogniser paused: the lines run on as one paragraph, a space apart
    assert "\n" not in turn.text and "OpenStreetMap France thanks for having us" in turn.text
    assert turn.start_time == 1.0  # the first segment's start
    assert [at for _, at in turn.times][:4] == [1.0, 6.0, 6.0, 9.0]  # each segment runs to the next one's start
    at = iv.text.index("I started mapping")
    time = span_time(turn, at, at + 10)
    assert time is not None and 12.0 <= time.start < 13.0


def test_speech_to_text_segment_lines_are_cues(tmp_path: Path) -> None:
    path = tmp_path / "segments.txt"
    path.write_text("[00:00:00.000 --> 00:00:03.200]   SPEAKER_00: Bonjour et bienvenue.\n"
                    "[00:00:03.200 --> 00:00:06.000]   SPEAKER_00: Aujourd'hui nous parlons avec\n"
                    "[00:00:06.000 --> 00:00:09.500]   SPEAKER_01: Merci, ravie d'être là.\n", encoding="utf-8")
    iv = read_transcript(path)
    assert iv.source_format == "segments"
    speech = [t for t in iv.turns if t.kind == "speech"]
    first = ("SPEAKER_00", "Bonjour et bienvenue. Aujourd'hui nous parlons avec")
    assert [(t.label, t.text) for t in speech] == [first, ("SPEAKER_01", "Merci, ravie d'être là.")]
    assert [at for _, at in speech[0].times] == [0.0, 3.2, 3.2, 6.0] and speech[1].times[-1][1] == 9.5
    assert "-->" not in iv.text


def test_a_backwards_time_code_is_dropped(tmp_path) -> None:
    path = tmp_path / "typo.txt"
    path.write_text("[00:02:00] Ana: Bonjour.\n[00:01:00] Bob: Salut.\n[00:03:00] Ana: Au revoir.\n", encoding="utf-8")
    iv = read_transcript(path)
    for t in iv.turns:
        if t.start_time is not None and t.end_time is not None:
            assert t.start_time <= t.end_time


def test_times_survive_the_cache_round_trip(tmp_path) -> None:
    iv = read_transcript(FORMATS_DIR / "vtt-voice-en.vtt")
    assert any(t.times for t in iv.turns)
    back = interview_from_dict(interview_to_dict(iv))
    assert back == iv


# --- the recording ---------------------------------------------------------------------------------

def test_the_seed_names_its_recording(shared_dir, tmp_path) -> None:
    """barradeau-2022.txt's Audio: field: found in a --media folder, else a warning and no media."""
    iv = read_transcript(shared_dir / "corpus" / "barradeau-2022.txt")
    assert iv.media == "head-irad-dml-interview-nicolas-barradeau.m4a"
    said: list[str] = []
    [alone] = attach_media([iv], [tmp_path], warn=said.append)
    assert alone.media is None
    assert len(said) == 1 and "head-irad-dml-interview-nicolas-barradeau.m4a" in said[0] and "\n" not in said[0]
    (tmp_path / iv.media).write_bytes(b"\x00\x00\x00\x18ftypM4A ")
    said.clear()
    [found] = attach_media([iv], [tmp_path], warn=said.append)
    assert said == [] and found.media == str((tmp_path / iv.media).resolve())


def test_seed_audio_gives_media_fragments(shared_dir, tmp_path) -> None:
    """The seed with time codes on its turns: its Audio: field gives each quote a fragment in the RDF."""
    from kg.rdf.emit import chunks

    text = (shared_dir / "corpus" / "barradeau-2022.txt").read_text(encoding="utf-8")
    lines, minute = [], 0
    for line in text.splitlines():
        if line.startswith(("**Alexia:**", "**Nicolas:**")):
            line = f"[00:{minute:02d}:00] {line}"
            minute += 1
        lines.append(line)
    (tmp_path / "barradeau.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rec = tmp_path / "rec"
    rec.mkdir()
    (rec / "head-irad-dml-interview-nicolas-barradeau.m4a").write_bytes(b"\x00\x00\x00\x18ftypM4A ")
    [iv] = attach_media([read_transcript(tmp_path / "barradeau.txt")], [rec])
    speech = [t for t in iv.turns if t.kind == "speech"]
    assert [t.start_time for t in speech] == [60.0 * i for i in range(len(speech))]
    # one sentence per timed turn, naming one entity: the graph a build would make, without a model
    turns, refs = [], []
    for t in iv.turns:
        if t.kind != "speech":
            turns.append(t)
            continue
        end = t.start + min(40, len(t.text))
        m = Mention(t.start, t.start + 5, iv.text[t.start:t.start + 5], "Tool")
        turns.append(replace(t, sentences=(Sentence(t.start, end, iv.text[t.start:end], (m,)),)))
        refs.append(MentionRef(iv.id, t.index, 1, m))
    iv = replace(iv, turns=tuple(turns))
    graph = relative_to(KnowledgeGraph((iv,), (Entity("tool/x", "Tool", "X", mentions=tuple(refs)),)), tmp_path)
    g = Graph()
    for _, triples in chunks(graph, base="https://example.org/"):
        g.parse(data="\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples), format="nt")
    fragments = sorted(str(o) for o in g.objects(None, KGI.mediaFragment))
    assert len(fragments) == len(speech)
    assert fragments[0].startswith("rec/head-irad-dml-interview-nicolas-barradeau.m4a#t=0,")
    media = next(g.objects(None, KGI.media))
    assert isinstance(media, Literal) and str(media) == "rec/head-irad-dml-interview-nicolas-barradeau.m4a"


def test_media_folder_matches_the_transcript_name(tmp_path) -> None:
    src = tmp_path / "entretien-07.vtt"
    shutil.copy(FORMATS_DIR / "vtt-voice-en.vtt", src)
    rec = tmp_path / "rec"
    rec.mkdir()
    (rec / "entretien-07.mp3").write_bytes(b"ID3")
    (rec / "entretien-08.mp3").write_bytes(b"ID3")
    [iv] = attach_media([read_transcript(src)], [rec])
    assert iv.media == str((rec / "entretien-07.mp3").resolve())
    out = tmp_path / "out"
    assert relative_to(KnowledgeGraph((iv,), ()), out).interviews[0].media == "../rec/entretien-07.mp3"
    # without a name in the metadata and no --media, nothing is looked for
    [plain] = attach_media([read_transcript(src)], [])
    assert plain.media is None


def test_a_recording_added_later_changes_the_build_stamp(tmp_path) -> None:
    """A build that warned of a missing recording is not "up to date" once the file is there."""
    from kg.pipeline.options import BuildConfig, output_options

    config = BuildConfig(media=(str(tmp_path),))
    before = output_options(config)
    assert before == output_options(config)
    (tmp_path / "notes.txt").write_text("not a recording", encoding="utf-8")
    assert output_options(config) == before
    (tmp_path / "entretien.m4a").write_bytes(b"x")
    assert output_options(config) != before
    assert "media" not in (output_options(BuildConfig()) or {})


def test_a_url_is_looked_for_by_its_file_name_only(tmp_path) -> None:
    path = tmp_path / "t.md"
    path.write_text("---\ntitle: T\naudio: https://example.org/media/t%201.m4a\n---\n\nAna: Bonjour.\n\nBob: Salut.\n"
                    "\nAna: Merci.\n", encoding="utf-8")
    iv = read_transcript(path)
    assert iv.media == "https://example.org/media/t%201.m4a"
    said: list[str] = []
    assert attach_media([iv], [], warn=said.append)[0].media is None and "'t 1.m4a'" in said[0]
    (tmp_path / "t 1.m4a").write_bytes(b"x")
    assert attach_media([iv], [])[0].media == str((tmp_path / "t 1.m4a").resolve())


def test_quote_times_code_keeps_the_extraction_cache_but_not_the_rdf_or_page(tmp_path) -> None:
    """Editing how quotes are timed re-renders the RDF and the page parts, and re-extracts nothing."""
    import kg as package
    from kg.cache import AFTER_EXTRACTION
    from kg.digest import code_digest
    from kg.page.parts import PART_CODE
    from kg.rdf.write import RENDER_CODE

    tree = tmp_path / "kg"
    shutil.copytree(Path(package.__file__).parent, tree, ignore=shutil.ignore_patterns("__pycache__"))
    digests = [code_digest(exclude=AFTER_EXTRACTION, root=tree), code_digest(*RENDER_CODE, root=tree),
               code_digest(*PART_CODE, root=tree)]
    for name in ("timecodes.py", "media.py"):
        (tree / name).write_text((tree / name).read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    after = [code_digest(exclude=AFTER_EXTRACTION, root=tree), code_digest(*RENDER_CODE, root=tree),
             code_digest(*PART_CODE, root=tree)]
    assert after[0] == digests[0] and after[1] != digests[1] and after[2] != digests[2]
