#!/usr/bin/env python3
"""Robustness to the shape of a transcript: the same interviews written other ways, built and scored.

usage: python benchmarks/eval_shapes.py [--set unseen|dev|shared|repo] [--only NAME] [--shapes a,b] [--json OUT]
                                       [--keep DIR]

Researchers' transcripts say the same things in many layouts: a label
before a colon, a label alone on its line, bold labels, numbered lines,
tabs, labels in capitals, and captions or ASR exports with no punctuation
at all.  Extraction should find the same entities in each.  This script takes
every annotated transcript of the set whose speech is written as
``Label: words`` lines (at least five of them), rewrites its body (what
follows the first blank line; the header stays) into each shape, builds
each version alone with the shipped models, exactly as
`eval_extraction.py` does, and scores it against the same gold file.
Some shapes rewrite the whole file, header and labels gone or changed
(`WHOLE`): subtitles without speakers or with names in capitals opening a
speaker's first cue, the press's dashes, questions in block quotes with the
answers unlabelled, and speech recognition's lines of a few words, with or
without their time spans.

The default set, ``unseen``, is out of sample for the typing model, so the
figures say how extraction holds on interviews it never learnt from when
their layout changes.  Prints per-file F1 per shape and, per shape, the mean
F1 and its difference from the original layout; ``--json`` writes it all.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterable
from functools import partial
from html.entities import codepoint2name
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import eval_extraction as ev  # noqa: E402

from kg.training import GoldPair, gold_pairs, unseen_pairs  # noqa: E402

LABELLED = re.compile(r"^([A-ZÀ-Ý][\w'’.\- ]{0,40}?)\s?:\s+(\S.*)$")
"""A speech line written ``Label: words`` (``Q : …``, ``GARETH PELLOW: …``, ``Mathilde: …``)."""
MIN_LINES = 5
SENTENCE_OPENER = re.compile(r"(^|[.?!…]\s+)([A-ZÀ-Ý][\w'’]*)")

Shape = Callable[[str, str], str]
"""How one speech line is written, from its label and its words."""


def _unpunctuated(words: str, language: str) -> str:
    """The words as captions and ASR set to leave punctuation out give them: no sentence marks, no commas, and a
    sentence's first word in lower case when it is a function word of the language ("et", "so"; "I" stays)."""
    stop = _stop_words(language)

    def lower_opener(m: re.Match[str]) -> str:
        word = m.group(2)
        return m.group(1) + (word.lower() if word.lower() in stop and word != "I" else word)

    words = SENTENCE_OPENER.sub(lower_opener, words)
    return re.sub(r"\s+", " ", re.sub(r"[.,;:!?…]", " ", words)).strip()


def _stop_words(language: str) -> frozenset[str]:
    from spacy.util import get_lang_class

    return frozenset(get_lang_class(language).Defaults.stop_words)


def shapes(language: str) -> dict[str, Shape]:
    return {
        "original": lambda label, words: f"{label}: {words}",
        "label alone": lambda label, words: f"{label}\n{words}",
        "bold label": lambda label, words: f"**{label}** {words}",
        "tabbed": lambda label, words: f"{label}\t{words}",
        "capitals": lambda label, words: f"{label.upper()}: {words}",
        "unpunctuated": lambda label, words: f"{label}: {_unpunctuated(words, language)}",
        "lower case": lambda label, words: f"{label}: {_unpunctuated(words, language).lower()}",
        "curly apostrophes": lambda label, words: f"{label}: {words.replace(chr(39), '’')}",
        "French typography": lambda label, words: f"{label}\u00a0: {_typeset(words)}",
    }


def _typeset(words: str) -> str:
    """Words as French word processors set them: no-break spaces before ``: ; ! ?`` and inside guillemets,
    curly apostrophes ("Processing ?" becomes "Processing\u202f?")."""
    words = re.sub(r" ([;!?])", "\u202f\\1", re.sub(r" :", "\u00a0:", words.replace("'", "’")))
    return re.sub(r"«\s*(.*?)\s*»", "«\u00a0\\1\u00a0»", words)


def _clock(seconds: int, *, hours: bool = True) -> str:
    m, s = divmod(seconds, 60)
    return f"{m // 60:02d}:{m % 60:02d}:{s:02d}" if hours else f"{m}:{s:02d}"


TIMED: dict[str, Callable[[str, str, int], str]] = {
    # what transcription services export: a time with each turn, in their own layouts
    "timestamped": lambda label, words, t: f"[{_clock(t)}] {label}: {words}",
    "Otter": lambda label, words, t: f"{label}  {_clock(t, hours=False)}\n{words}",
    "Rev": lambda label, words, t: f"{label} ({_clock(t)}):\n{words}",
}


def _timed(layout: Callable[[str, str, int], str]) -> Shape:
    """``layout`` with a turn every 17 seconds."""
    said = iter(range(3, 10**6, 17))
    return lambda label, words: layout(label, words, next(said))


def rewrite(text: str, shape: Shape, *, numbered: bool = False) -> str | None:
    """``text`` with each ``Label: words`` line of its body written in ``shape`` (None: too few such lines)."""
    head, sep, body = text.partition("\n\n")
    lines = body.split("\n")
    if sum(1 for line in lines if LABELLED.match(line)) < MIN_LINES:
        return None
    out = []
    for line in lines:
        m = LABELLED.match(line)
        out.append(shape(m.group(1), m.group(2)) if m else line)
    if numbered:
        out = [f"{i:4d}  {line}" if line.strip() else line for i, line in enumerate(out, start=1)]
    return head + sep + "\n".join(out)


def captions(text: str, *, words_per_cue: int = 9, seconds_per_cue: int = 3) -> str | None:
    """``text``'s speech as subtitles (SRT) without speakers: the words cut into cues of a few words each, whatever
    the sentences, as captioning tools cut them (the header goes: subtitles have none)."""
    _, _, body = text.partition("\n\n")
    said = [m.group(2) for line in body.split("\n") if (m := LABELLED.match(line))]
    if len(said) < MIN_LINES:
        return None
    words = " ".join(said).split()
    cues = []
    for n, at in enumerate(range(0, len(words), words_per_cue), start=1):
        start, end = (n - 1) * seconds_per_cue, n * seconds_per_cue
        cues.append(f"{n}\n{_clock(start)},000 --> {_clock(end)},000\n{' '.join(words[at:at + words_per_cue])}\n")
    return "\n".join(cues)


def _said(text: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The header and the body's ``Label: words`` lines as (label, words), or None when there are too few."""
    head, _, body = text.partition("\n\n")
    said = [(m.group(1), m.group(2)) for line in body.split("\n") if (m := LABELLED.match(line))]
    return (head, said) if len(said) >= MIN_LINES else None


def press(text: str) -> str | None:
    """The interview as the press prints it: the header, then each turn a paragraph opened by a dash, no labels."""
    found = _said(text)
    if found is None:
        return None
    head, said = found
    return head + "\n\n" + "\n\n".join(f"— {words}" for _, words in said) + "\n"


def quoted_questions(text: str) -> str | None:
    """The first speaker's turns (the interviewer's, as a rule) as Markdown block quotes, the others as plain
    paragraphs: no labels at all, as blogs and magazines print them."""
    found = _said(text)
    if found is None:
        return None
    head, said = found
    asker = said[0][0]
    return head + "\n\n" + "\n\n".join(f"> {words}" if label == asker else words for label, words in said) + "\n"


def _asked(text: str, ask: Callable[[str], str], answer: Callable[[str], str] = lambda w: w,
           page: Callable[[str, str], str] = lambda head, body: f"{head}\n\n{body}\n") -> str | None:
    """The first speaker's turns (the interviewer's, as a rule) written by ``ask``, the others by ``answer``, no
    labels; ``page`` puts the header and the body together."""
    found = _said(text)
    if found is None:
        return None
    head, said = found
    asker = said[0][0]
    return page(head, "\n\n".join(ask(words) if label == asker else answer(words) for label, words in said))


def bold_questions(text: str) -> str | None:
    """Questions in bold, answers as plain paragraphs (magazines' Markdown)."""
    return _asked(text, lambda w: f"**{w}**")


def heading_questions(text: str) -> str | None:
    """Questions as ``##`` headings, answers as paragraphs (blog interviews)."""
    return _asked(text, lambda w: f"## {w}")


def html_page(text: str, escape: Callable[[str], str] = html.escape) -> str | None:
    """A saved web page: the header as a title and a paragraph, questions in ``<strong>``, answers in ``<p>``."""
    def page(head: str, body: str) -> str:
        title, _, rest = head.partition("\n")
        return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head>"
                f"<body>\n<h1>{escape(title)}</h1>\n<p>{escape(rest)}</p>\n{body}\n</body></html>\n")
    return _asked(text, lambda w: f"<p><strong>{escape(w)}</strong></p>", lambda w: f"<p>{escape(w)}</p>", page)


def minified_page(text: str) -> str | None:
    """The saved web page as many sites serve it, minified: nothing between its tags, white space collapsed."""
    page = html_page(text)
    return None if page is None else re.sub(r"\s+", " ", re.sub(r">\s+<", "><", page)).strip() + "\n"


def as_references(text: str) -> str:
    """Text escaped as some publishing tools write a page: every accent a named reference (``&eacute;``), every
    apostrophe a typographic one as a numeric reference (``&#8217;``)."""
    escaped = html.escape(text, quote=False).replace("'", "&#8217;")
    return "".join(f"&{codepoint2name[ord(c)]};" if ord(c) in codepoint2name and ord(c) > 127 else c for c in escaped)


def word_document(text: str) -> str | None:
    """The interview as typed in a word processor, before `write_docx` saves it: a paragraph a turn, the label in
    brackets as some transcribers set it (``[Marie] words``), apostrophes and, in French, the no-break spaces
    that its autocorrection sets."""
    found = _said(text)
    if found is None:
        return None
    head, said = found
    return "\n\n".join([_typeset(head), *(f"[{label}] {_typeset(words)}" for label, words in said)]) + "\n"


def write_docx(path: Path, text: str) -> None:
    """``text``'s paragraphs as a Word document, each turn's bracketed label in bold."""
    from docx import Document

    document = Document()
    for block in text.split("\n\n"):
        paragraph = document.add_paragraph()
        label, sep, words = block.partition("] ")
        if block.startswith("[") and sep:
            paragraph.add_run(label + "]").bold = True
            paragraph.add_run(" " + words.strip())
        else:
            paragraph.add_run(block.strip())
    document.save(str(path))


def labelled_captions(text: str, *, words_per_cue: int = 9, seconds_per_cue: int = 3) -> str | None:
    """Subtitles (SRT) whose cue starting a turn opens with the speaker's name in capitals (``MARIE: ...``),
    as subtitlers mark a change of speaker; no header."""
    found = _said(text)
    if found is None:
        return None
    cues: list[str] = []
    for label, words in found[1]:
        split = words.split()
        for at in range(0, len(split), words_per_cue):
            piece = " ".join(split[at:at + words_per_cue])
            cues.append(f"{label.upper()}: {piece}" if at == 0 else piece)
    return "\n".join(f"{n}\n{_clock((n - 1) * seconds_per_cue)},000 --> {_clock(n * seconds_per_cue)},000\n{cue}\n"
                     for n, cue in enumerate(cues, start=1))


def machine_lines(text: str, *, words_per_line: int = 14, timed: bool = True) -> str | None:
    """Speech recognition's plain output: the words in segments of a few words, one a line, no speakers and no
    header; each opened by its time span (``[00:00:03.000 --> 00:00:07.000]  words``, as Whisper prints them),
    or without it (``timed=False``: Whisper's text file)."""
    found = _said(text)
    if found is None:
        return None
    words = " ".join(w for _, w in found[1]).split()
    lines = []
    for n, at in enumerate(range(0, len(words), words_per_line)):
        span = f"[{_clock(4 * n)}.000 --> {_clock(4 * n + 4)}.000]  " if timed else ""
        lines.append(span + " ".join(words[at:at + words_per_line]))
    return "\n".join(lines) + "\n"


def copied_transcript(text: str, *, words_per_line: int = 9, apart: bool = True) -> str | None:
    """A video site's transcript as copied from the page: each caption's start (``1:04``) alone on its line, its
    words on the next (or after it on the same line: ``apart=False``), no speakers and no header."""
    found = _said(text)
    if found is None:
        return None
    words = " ".join(w for _, w in found[1]).split()
    between = "\n" if apart else " "
    return "".join(f"{_clock(3 * n, hours=False)}{between}{' '.join(words[at:at + words_per_line])}\n"
                   for n, at in enumerate(range(0, len(words), words_per_line)))


WHOLE: dict[str, tuple[Callable[[str], str | None], str | None]] = {
    # shapes that rewrite the whole file, and the suffix the result is written with (None: the original's)
    "SRT captions": (captions, ".srt"),
    "press dashes": (press, None),
    "quoted questions": (quoted_questions, ".md"),
    "SRT with labels": (labelled_captions, ".srt"),
    "ASR lines": (partial(machine_lines, timed=False), ".txt"),
    "ASR lines, timed": (machine_lines, ".txt"),
    "copied transcript": (copied_transcript, ".txt"),
    "copied transcript, one line": (partial(copied_transcript, apart=False), ".txt"),
    "bold questions": (bold_questions, ".md"),
    "heading questions": (heading_questions, ".md"),
    "HTML page": (html_page, ".html"),
    "HTML page, escaped": (partial(html_page, escape=as_references), ".html"),
    "HTML page, one line": (minified_page, ".html"),
    "Word document": (word_document, ".docx"),
}


def _wanted(asked: str, names: Iterable[str]) -> set[str]:
    """The shapes ``--shapes`` names, split at its commas but not inside a shape's own name ("ASR lines, timed")."""
    known = sorted(names, key=len, reverse=True)
    wanted = {"original"}
    rest = asked.strip()
    while rest:
        name = next((n for n in known if rest == n or rest.startswith(n + ",")), None)
        if name is None:
            name = rest.split(",", 1)[0]
        wanted.add(name)
        rest = rest[len(name):].lstrip(",").strip()
    return wanted


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=("unseen", "dev", "shared", "repo"), default="unseen")
    ap.add_argument("--only", help="only the transcripts whose file name contains this")
    ap.add_argument("--shapes", help="comma-separated shapes to build (default: all; 'numbered' included)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", type=Path, help="also copy each built graph here, as SHAPE/TRANSCRIPT.ttl, to inspect")
    args = ap.parse_args()
    pairs = [p for p in [*gold_pairs(ev.ROOT, ev.SHARED), *unseen_pairs(ROOT)]
             if ev.set_of(p) == args.set and (args.only or "") in p.name]
    extractor = ev.SpacyExtractor()
    _, score = ev.scorer()
    rows: dict[str, dict[str, float]] = {}
    skipped = []
    for pair in pairs:
        if pair.transcript.suffix not in (".txt", ".md"):
            skipped.append(pair.name)
            continue
        text = pair.transcript.read_text(encoding="utf-8")
        language = json.loads(pair.gold.read_text(encoding="utf-8")).get("language", "fr")
        variants = {name: rewrite(text, shape) for name, shape in shapes(language).items()}
        variants["numbered"] = rewrite(text, shapes(language)["original"], numbered=True)
        for name, (whole, _) in WHOLE.items():
            variants[name] = whole(text)
        for name, timed in TIMED.items():
            variants[name] = rewrite(text, _timed(timed))
        if variants["original"] is None:
            skipped.append(pair.name)
            continue
        wanted = _wanted(args.shapes, variants) if args.shapes else set(variants)
        rows[pair.name] = {}
        with tempfile.TemporaryDirectory() as tmp:
            for name, shaped in variants.items():
                if name not in wanted or shaped is None:
                    continue
                folder = Path(tmp) / name.replace(" ", "-")
                folder.mkdir()
                suffix = (WHOLE[name][1] if name in WHOLE else None) or pair.transcript.suffix
                source = folder / (pair.transcript.stem + suffix)
                if suffix == ".docx":
                    write_docx(source, shaped)
                else:
                    source.write_text(shaped, encoding="utf-8")
                keep = args.keep / folder.name / f"{pair.name}.ttl" if args.keep else None
                result = ev._build_and_score(GoldPair(source, pair.gold), extractor, score, keep)
                rows[pair.name][name] = result["named_entities"]["f1"]
        print(f"{pair.name:40s} " + " ".join(f"{k}={v:.3f}" for k, v in rows[pair.name].items()), flush=True)
    if not rows:
        print(f"no transcript of --set {args.set} is written as 'Label: words' lines", file=sys.stderr)
        return 2
    names = list(next(iter(rows.values())))
    means = {name: round(statistics.fmean(r[name] for r in rows.values() if name in r), 4) for name in names}
    for name, mean in means.items():
        print(f"mean {name:14s} ({len(rows):2d}) F1={mean:.3f}  {mean - means['original']:+.3f} against the original")
    if skipped:
        print(f"left out (not 'Label: words' lines): {', '.join(skipped)}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"set": args.set, "means": means, "files": rows, "left_out": skipped},
                                        indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
