"""Find speaker turns in plain text, whatever label style the transcript uses.

One line-based detector serves every text-like format (plain, Markdown, Q/A,
timestamped, the CMS transcript field, .docx paragraphs), because real files
mix styles.  A line opens a turn when it starts with a speaker label:

    **Nicolas:** text          **Nicolas**: text          Nicolas: text
    NICOLAS : text (French spacing)                       Q: / A: / Question : / Réponse :
    [00:01:02] Nicolas: text   Nicolas (00:01:02): text   00:01:02 Nicolas   (text on next lines)
    Nicolas 00:01:02           (text on next lines, as speech-to-text tools export)
    *Nicolas:* text (italics)  **Nicolas** (alone on its line, text on the next lines)
    [Chercheur] text           (Interviewer) text         [Interviewé] (alone on its line)

Everything up to the next label belongs to the turn, paragraphs included.
Offsets are into the text given, so turns can be found inside a region of a
larger file (a CMS field, the body after front matter).

Prose also has ``Word: text`` lines ("Résultat: ...", "Note: ..."), so a label
only opens a turn when it is trusted: bold or timestamped and shaped like a
name, seen at least twice, named in the metadata, or a role label (Q, A...);
a label seen once is kept when it is written like the file's trusted labels
(someone who speaks once) or is a fuller form of one ("Sophie Lemaire", then "Sophie").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .base import RawTurn
from .chars import SP, UPPER, strip_span
from .markup import is_marker

TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_WORD = rf"{UPPER}[\w'’.\-\u0300-\u036f]*"
_PARTICLE = r"(?:(?:de|du|des|la|le|van|von|der|den|da|di|del|della|dos|das|el|al|bin|ibn|y|ten|ter|zu)[ \t]+|d['’])"
NAME = rf"{_WORD}(?:[ \t]+{_PARTICLE}?(?:{_WORD}|\d{{1,2}}))" + r"{0,4}"
"""A speaker name: up to five capitalised words on one line ("Jean de La Fontaine", "Speaker 2")."""


_BULLET = re.compile(r"[ \t]*(?:>[ \t]*)*[-*+•][ \t]")
_QUOTED = r"^[ \t]*(?:>[ \t]*)*(?:[—–][ \t]+)?"
"""A line's start, past Markdown quote marks ("> Name: text") or the dash that opens a line of dialogue in French
print ("— Marie : text")."""
_LISTED = r"^[ \t]*(?:(?:>[ \t]*)+|[-*+•][ \t]+)?"
"""A line's start, past quote marks or a list bullet, for bold labels only: "- **Name:** text" is a
blog's dialogue, but "* Hannane : son parcours" is a table of contents."""


def _bracket_ts(group: str) -> str:
    """``[00:01:02]``, also as Markdown escapes it (``\\[00:01:02\\]``), captured as ``group``."""
    return rf"\\?\[(?P<{group}>{TS})\\?\]"


_BOLD = re.compile(
    rf"{_LISTED}(?:{_bracket_ts('ts0')}[ \t]*)?(?P<em>\*\*?|__?)(?P<label>[^*\n]{{1,80}}?)"
    rf"{SP}*(?::{SP}*(?P=em)|(?P=em){SP}*:)"
    rf"[ \t]*(?:{_bracket_ts('ts1')}[ \t]*)?"
)
"""``**Name:**``, ``**Name**:``, also in italics (``*Name:*``, ``_Name_:``), optionally timestamped."""
_BOLD_ALONE = re.compile(
    rf"^[ \t]*(?:(?P<em>\*\*|__)(?P<label>{NAME})(?P=em)|#{{1,6}}[ \t]+(?P<label2>{NAME})[ \t]*#*)[ \t]*$")
"""A bold name or a heading that is a name alone on its line (``### Sarah Kim``, as Markdown podcast
transcripts set their speakers), the turn's text on the next lines."""
_BOLD_BARE = re.compile(rf"{_LISTED}(?P<em>\*\*|__)(?P<label>{NAME})(?P=em)[ \t]+(?=\S)")
"""``**Name** text``: a bold name opening its paragraph without a colon, as word processors' transcripts set them."""
_LINKED = re.compile(rf"^[ \t]*\[(?P<label>{NAME})\]\((?:[^()\s]|\([^()\s]*\))*\){SP}?:(?:[ \t]+|$)")
"""``[Jane Doe](https://…): text``: a label linked to the speaker's page, as web interviews do."""
_TABBED = re.compile(rf"^[ \t]*(?P<label>{NAME})\t+(?:(?P<ts>{TS})\t+)?(?=\S)")
"""``Name<TAB>text``, ``Name<TAB>00:01:02<TAB>text``: a transcript's table of turns exported as text."""
_EM = r"(?:\*\*|__)?"
_BRACKETED = re.compile(rf"^[ \t]*{_EM}(?:\[{_EM}(?P<label>{NAME}){_EM}\]|\({_EM}(?P<label2>{NAME}){_EM}\))"
                        rf"{_EM}(?:{SP}?:)?{_EM}(?:[ \t]+|$)")
"""``[Chercheur] text``, ``(Interviewer) text``, ``[Interviewé]`` alone on its line; also in bold, as a word
processor's transcript sets them (``**[Chercheur]** text``, ``[**Chercheur**]``)."""
_TS_LABEL = re.compile(
    rf"{_QUOTED}(?:{_bracket_ts('ts')}|\((?P<ts2>{TS})\)|(?P<ts3>{TS}))[ \t]*[-–—]?[ \t]*(?P<label>{NAME}){SP}?:[ \t]*"
)
_LABEL_TS = re.compile(rf"^[ \t]*(?P<label>{NAME})[ \t]*[\[(](?P<ts>{TS})[\])]{SP}?(?::[ \t]*|[ \t]*$)")
_TS_NAME_LINE = re.compile(rf"^[ \t]*\\?\[?(?P<ts>{TS})\\?\]?[ \t]+(?:[-–—][ \t]+)?(?P<label>{NAME})[ \t]*$")
_NAME_TS_LINE = re.compile(rf"^[ \t]*(?P<label>{NAME})[ \t]+\\?\[?(?P<ts>{TS})\\?\]?[ \t]*$")
_PLAIN = re.compile(rf"{_QUOTED}(?P<label>{NAME})(?:{SP}*\((?P<inner>[^()\n]{{1,60}})\))?{SP}?:(?:[ \t]+|$)")
"""``Name: text``, also with a parenthesis: ``INTERVIEWER (Rachel Greenberg):``, ``Rachel Greenberg (Interviewer):``,
``Henri (rires) :``."""
_DASHED = re.compile(rf"{_QUOTED}(?P<label>{NAME}){SP}+(?:[–—]|(?<=\S )-){SP}+(?=\S)")
"""``Name – text``: a dash instead of the colon; a hyphen between spaces (``Jane Doe - text``) after a full
name or one in capitals only: "Bon - alors" is speech."""
_CAPS_ALONE = re.compile(rf"{_QUOTED}(?P<label>{NAME})[ \t]*$")
"""A name alone on its line, the speech on the next lines: in capitals, as scripts are written, or a full name
("Jane Doe") or a role ("Interviewer"), as transcription services export them."""
_TIME_AFTER = re.compile(
    rf"[ \t]*(?:\\?\[(?P<ts>{TS})\\?\]|(?P<ts2>\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,3}})?))(?:[ \t]+|$)"
)
"""A time just after the label: bracketed, or bare with hours ("10:30" might be what is said)."""
_NAME_SHAPE = re.compile(rf"{NAME}\.?\Z")
_ROLE_DOT = re.compile(
    rf"^[ \t]*(?P<label>[QAR]|Question|QUESTION|R[ée]ponse|R[ÉE]PONSE|Answer|ANSWER){SP}*(?:\.|{SP}[-–—]){SP}+(?=\S)"
)
"""``Q. text`` / ``A. text`` / ``R - text``: role labels closed by a full stop or a dash instead of a colon."""
_MIN_DOTTED = 3
"""Dotted role labels open turns only when there are this many, both roles among them ("A. Smith" in prose)."""

QA_LABELS = {
    "q": "interviewer", "question": "interviewer", "interviewer": "interviewer",
    "intervieweur": "interviewer", "intervieweuse": "interviewer", "enquêteur": "interviewer",
    "enquêtrice": "interviewer", "int": "interviewer", "i": "interviewer",
    "a": "interviewee", "r": "interviewee", "answer": "interviewee", "réponse": "interviewee",
    "reponse": "interviewee", "interviewee": "interviewee", "interviewé": "interviewee",
    "interviewée": "interviewee", "enquêté": "interviewee", "enquêtée": "interviewee",
    "narrator": "interviewee", "narrateur": "interviewee", "narratrice": "interviewee",
    "respondent": "interviewee", "répondant": "interviewee", "répondante": "interviewee",
    "témoin": "interviewee", "informant": "interviewee", "informateur": "interviewee",
    "informatrice": "interviewee", "iv": "interviewer", "ie": "interviewee",
    "chercheur": "interviewer", "chercheuse": "interviewer", "researcher": "interviewer",
    "moderator": "interviewer", "modérateur": "interviewer", "modératrice": "interviewer", "host": "interviewer",
    "animateur": "interviewer", "animatrice": "interviewer", "présentateur": "interviewer",
    "présentatrice": "interviewer", "guest": "interviewee", "invité": "interviewee", "invitée": "interviewee",
    "enq": "interviewer", "intv": "interviewer", "ivr": "interviewer", "resp": "interviewee", "ive": "interviewee",
    "journaliste": "interviewer", "journalist": "interviewer", "reporter": "interviewer", "presenter": "interviewer",
}
"""Role labels: they name a role, not a person, and resolve through metadata."""

NOT_SPEAKERS = {
    "note", "notes", "nb", "n.b", "ps", "p.s", "exemple", "example", "remarque", "attention", "source",
    "sources", "titre", "title", "date", "transcript", "transcription", "résumé", "summary",
    "lien", "link", "url", "edit", "update", "voir", "see", "fin", "end", "tags", "description",
    "important", "warning", "avertissement", "tip", "astuce", "conseil", "info", "rappel",
    "nota", "nota bene", "cf", "ex", "e.g", "i.e", "bref", "résultat", "result", "conclusion", "définition",
    "definition",
}
"""Words that end in a colon in prose far more often than they name a speaker."""


@dataclass(frozen=True, slots=True)
class _Hit:
    line_start: int
    text_start: int
    label: str
    timestamp: str | None
    marked: bool
    """Bold or timestamped: the file marks its labels, so unmarked ``Word:`` lines are prose."""
    strong: bool
    """Marked and shaped like a name: trusted even when seen once."""
    framed: bool = False
    """A bold name alone on its line or a bracketed name: a label only when trusted, never as a one-off."""
    dotted: bool = False
    """A role label closed by a full stop or a dash (``Q.``), kept only where questions and answers pair up."""
    capitals: bool = False
    """A name in capitals or a full name alone on its line, kept only where two such names take turns."""
    recurs: bool = False
    """A label only where it recurs (or is known): ``Name – text``, as prose writes "Lyon – 14 mars",
    ``**Name** text`` and ``Name<TAB>text``, as a paragraph may open with a bold phrase or a tabulated word,
    ``- **Name:** text``, as show notes list "- **Website:** …", and ``> Name: text``, a quotation."""


_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""Everything ``str.splitlines`` splits on, so a line never ends in a break the regexes would see."""


def _lines(text: str, start: int, end: int) -> list[tuple[int, str]]:
    out = []
    pos = start
    for line in text[start:end].splitlines(keepends=True):
        out.append((pos, line.rstrip(_LINE_BREAKS)))
        pos += len(line)
    return out


def _match_line(line: str) -> tuple[re.Match[str], str | None, bool] | None:
    """The label match on a line, its timestamp, and whether the label is marked (bold/timestamp)."""
    m = _BOLD.match(line)
    if m:
        return m, m.group("ts0") or m.group("ts1"), True
    m = _BOLD_ALONE.match(line) or _BRACKETED.match(line)
    if m:
        return m, None, False
    for pattern in (_TS_LABEL, _LABEL_TS, _TS_NAME_LINE, _NAME_TS_LINE):
        m = pattern.match(line)
        if m:
            groups = m.groupdict()
            return m, groups.get("ts") or groups.get("ts2") or groups.get("ts3"), True
    m = _PLAIN.match(line) or _ROLE_DOT.match(line) or _DASHED.match(line)
    if m and m.re is _DASHED and m.group(0).rstrip().endswith("-"):
        label = m.group("label")
        m = m if len(label.split()) >= 2 or (label.isupper() and len(label) >= 2) else None
    if m:
        return m, None, False
    m = _TABBED.match(line)
    if m:
        return m, m.group("ts"), m.group("ts") is not None
    m = _LINKED.match(line)
    if m:
        return m, None, False
    m = _BOLD_BARE.match(line)
    if m:
        return m, None, False
    m = _CAPS_ALONE.match(line)
    alone = m.group("label") if m else ""
    if m and sum(c.isalpha() for c in alone) >= 2 and (
            alone.isupper() or len(alone.split()) >= 2 or alone.casefold() in QA_LABELS or _one_name(alone)):
        return m, None, False  # (one name alone is a label only where the file names that speaker: `_named_alone`)
    return None


def _one_name(label: str) -> bool:
    """One capitalised word, alone on its line: "Claire", as exports label turns with first names."""
    return (" " not in label and label[:1].isupper() and not label.isupper() and label.replace("-", "").isalpha()
            and label.casefold() not in QA_LABELS)


def _named_alone(hits: list[_Hit], known: set[str]) -> list[_Hit]:
    """Keep one name alone on its line only where the file names that speaker: a known speaker's name, or the first
    name of a full name that labels turns alone on its line too ("Claire Besson", then "Claire"); "Oui" or
    "Introduction" alone on a line is speech or a heading."""
    firsts = {h.label.split()[0].casefold() for h in hits if h.capitals and len(h.label.split()) >= 2}
    return [h for h in hits if not (h.capitals and _one_name(h.label))
            or h.label.casefold() in known or h.label.casefold() in firsts]


def _clean_label(label: str) -> str:
    """The label as written, without emphasis, and without the full stop of ``LÉA MOREL. —``.

    >>> [_clean_label(x) for x in ("**Léa  Morel**", "LÉA MOREL.", "N.B.", "M.", "[Marie]")]
    ['Léa Morel', 'LÉA MOREL', 'N.B.', 'M.', 'Marie']
    """
    label = re.sub(r"\s+", " ", label.strip().strip("*").strip())
    if label[:1] + label[-1:] in ("[]", "()"):
        label = label[1:-1].strip()  # "**[Marie]:**": the brackets hold the name
    last = label.split(" ")[-1]
    if last.endswith(".") and len(last) > 2 and "." not in last[:-1]:
        label = label[:-1]  # a sentence's stop after a name, not an initial's ("N.B.", "M.")
    return label


def _shape(label: str) -> tuple[bool, int]:
    """How a label is written: in capitals or not, and how many words."""
    return label.isupper(), len(label.split())


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s\-]+", name) if w)


def is_speaker_word(label: str) -> bool:
    """False for words that introduce prose ("Note", "Résultat") rather than name a speaker."""
    return bool(label) and label.casefold().rstrip(".") not in NOT_SPEAKERS


_DECLARED = re.compile(rf"(?P<name>{NAME}){SP}*\((?P<abbr>(?:{UPPER}\.?{SP}?){{2,4}})\)")
PREAMBLE_CHARS = 2000
"""How far into a transcript its preamble ("Entretien avec Nicolas Barradeau (NB)...") is looked for."""


def declared_labels(text: str, start: int = 0, end: int | None = None) -> dict[str, str]:
    """Initials the preamble introduces for people, label -> name: "Julie Durand (JD)" gives "JD".

    The initials must be the name's, so "Conservatoire national (CNAM)" declares nothing.

    >>> declared_labels("Entretien de Julie Durand (JD) avec Nicolas Barradeau (N.B.), 2021.")
    {'JD': 'Julie Durand', 'N.B.': 'Nicolas Barradeau'}
    """
    end = len(text) if end is None else end
    found: dict[str, str] = {}
    for m in _DECLARED.finditer(text, start, min(end, start + PREAMBLE_CHARS)):
        abbr = re.sub(r"\s+", "", m.group("abbr"))
        # the match may start on an earlier capitalised word ("Avec Nicolas Barradeau"): keep the tail
        words = m.group("name").split()
        letters = abbr.replace(".", "").casefold()
        for i in range(len(words)):
            tail = words[i:]
            if _initials(" ".join(tail)).casefold() == letters:
                found.setdefault(abbr, " ".join(tail))
                break
    return found


def _capitals_in_pairs(hits: list[_Hit]) -> list[_Hit]:
    """Keep names alone on their lines (in capitals, or full names) only where two of them recur and no other
    labels do.

    "OK" alone twice is speech, and so is "NON" between "SOPHIE :" turns; a heading ("Early Days") seldom
    recurs, and never in turns with another.
    """
    counts = Counter(h.label.casefold() for h in hits if h.capitals)
    others = Counter(h.label.casefold() for h in hits if not h.capitals)
    if sum(1 for n in counts.values() if n >= 2) >= 2 and not any(n >= 2 for n in others.values()):
        return hits
    return [h for h in hits if not h.capitals]


def _dotted_roles_in_pairs(hits: list[_Hit]) -> list[_Hit]:
    """Keep ``Q.``/``A.`` hits only when the file asks and answers with them; an outline's "A." is text."""
    dotted = [h for h in hits if h.dotted]
    roles = {QA_LABELS[h.label.casefold()] for h in dotted}
    if len(dotted) >= _MIN_DOTTED and len(roles) == 2:
        return hits
    return [h for h in hits if not h.dotted]


def find_turns(
    text: str, start: int = 0, end: int | None = None, *, known_speakers: set[str] | None = None
) -> tuple[RawTurn, ...]:
    """Return the turns in ``text[start:end]``; text before the first label is a note.

    >>> t = find_turns("A: Hi.\\nB: Hello,\\nthere.\\nA: Bye.")
    >>> [(x.label, "A: Hi.\\nB: Hello,\\nthere.\\nA: Bye."[x.start:x.end]) for x in t]
    [('A', 'Hi.'), ('B', 'Hello,\\nthere.'), ('A', 'Bye.')]
    """
    end = len(text) if end is None else end
    declared = {k.casefold() for k in declared_labels(text, start, end)}
    names = [k.casefold() for k in (known_speakers or set()) if k.strip()]
    # "Nicolas", "Barradeau" and "NB" all stand for a known "Nicolas Barradeau".
    known = set(names) | {w for k in names for w in k.split()} | {_initials(k) for k in names if " " in k} | declared
    hits: list[_Hit] = []
    for pos, line in _lines(text, start, end):
        found = _match_line(line)
        if not found:
            continue
        m, ts, marked = found
        groups = m.groupdict()
        label = _clean_label(groups.get("label") or groups.get("label2") or "")
        if groups.get("inner") and label.casefold() in QA_LABELS and _NAME_SHAPE.match(groups["inner"].strip()):
            label = _clean_label(groups["inner"])  # the person the role label names, as oral histories write it
        if not is_speaker_word(label) and label.casefold() not in known:
            continue
        if m.re is _BRACKETED and is_marker(f"[{label}]"):
            continue  # "(Rires) oui", "[Music]": a stage direction opening the line, not a speaker
        # Bold (not italic) labels are trusted seen once; a bold name alone on its line or a bracketed
        # name must be seen twice, be known or be a role: "**Introduction**" is a heading.
        # in a list item or a quotation a label must recur: "- **Site :** …", "> Linus: talk is cheap"
        listed = (m.re is _BOLD and _BULLET.match(line) is not None) or line.lstrip().startswith(">")
        strong = marked and bool(_NAME_SHAPE.match(label)) and groups.get("em") not in ("*", "_") and not listed
        body = m.end()
        if ts is None and (after := _TIME_AFTER.match(line, body)):  # "[Name] 10:03:12 text", "Name: [00:12] text"
            ts, body = after.group("ts") or after.group("ts2"), after.end()
        hits.append(_Hit(pos, pos + body, label, ts, marked, strong, m.re in (_BOLD_ALONE, _BRACKETED, _CAPS_ALONE),
                         m.re is _ROLE_DOT, m.re is _CAPS_ALONE,
                         m.re in (_DASHED, _TABBED, _BOLD_BARE) or listed))

    hits = _capitals_in_pairs(_dotted_roles_in_pairs(_named_alone(hits, known)))
    counts = Counter(h.label.casefold() for h in hits)
    marked_labels = {h.label.casefold() for h in hits if h.marked}
    strong_labels = {h.label.casefold() for h in hits if h.strong}

    def trusted(h: _Hit) -> bool:
        key = h.label.casefold()
        return h.strong or key in strong_labels or counts[key] >= 2 or key in known or key in QA_LABELS

    # When a file marks its labels (bold, timestamps), an unmarked "Word:" inside a turn is prose.
    if marked_labels:
        hits = [h for h in hits if h.marked or h.framed or h.label.casefold() in marked_labels]
    # A label seen once is kept when it is shaped like the file's trusted labels: someone who
    # speaks once among "Alice:" / "Bob:" turns, but not "Résultat:" among "Camille Rousseau:".
    # So is a fuller form of a trusted label: "Sophie Lemaire:" once, then "Sophie:" throughout.
    shapes = {_shape(h.label) for h in hits if trusted(h)}
    firsts = {h.label.split()[0].casefold() for h in hits if trusted(h)}
    # A framed name seen once ("**Léa Morel**" above her only question) is a label where framed labels
    # are trusted already, it is a full name shaped like theirs, and the text names that person
    # elsewhere, written the same ("Propos recueillis par Léa Morel"): a heading ("**Early Days**")
    # meets all three rarely.
    framing = any(h.framed and trusted(h) for h in hits)
    region = text[start:end] if framing else ""

    # and a full name alone on its line once, where its first name alone labels the turns after ("Claire Besson",
    # then "Claire"), as an export that names speakers in full at first does
    alone_names = {h.label.casefold() for h in hits if h.capitals and _one_name(h.label) and trusted(h)}

    def one_off(h: _Hit) -> bool:
        if h.recurs or not _NAME_SHAPE.match(h.label):
            return False
        if h.framed:
            return (framing and len(h.label.split()) >= 2
                    and (_shape(h.label) in shapes and region.count(h.label) >= 2
                         or h.capitals and h.label.split()[0].casefold() in alone_names))
        return _shape(h.label) in shapes or h.label.split()[0].casefold() in firsts

    hits = [h for h in hits if trusted(h) or one_off(h)]

    turns: list[RawTurn] = []
    first = hits[0].line_start if hits else end
    pre_s, pre_e = strip_span(text, start, first)
    if pre_e > pre_s:
        turns.append(RawTurn(pre_s, pre_e, None, None, kind="note" if hits else "speech"))
    for i, h in enumerate(hits):
        nxt = hits[i + 1].line_start if i + 1 < len(hits) else end
        turns.extend(_around_headings(text, h.text_start, nxt, h.label, h.timestamp))
    return tuple(turns)


_SECTION_HEADING = re.compile(rf"^{SP}*#{{1,6}}{SP}+\S[^\n]*$", re.MULTILINE)
"""A Markdown heading line (or an HTML ``<h2>``…``<h6>``, which the label view writes so)."""


def _around_headings(text: str, start: int, end: int, label: str, timestamp: str | None) -> list[RawTurn]:
    """A labelled turn's text, less the section headings inside it: an editor's titles between answers
    ("## A Hundred Versus a Thousand"), which nobody said.

    Left in, a heading was the last sentence of the answer above it, quoted as that speaker's words, and
    its title case read as a work's title.  The text after a heading is still the same speaker's.

    >>> t = "A: Yes.\\n\\n## Early Days\\n\\nStill A.\\nB: No."
    >>> [(x.label, t[x.start:x.end]) for x in find_turns(t)]
    [('A', 'Yes.'), ('A', 'Still A.'), ('B', 'No.')]
    """
    out: list[RawTurn] = []
    at = start
    for m in _SECTION_HEADING.finditer(text, start, end):
        s, e = strip_span(text, at, m.start())
        if e > s:
            out.append(RawTurn(s, e, label, None if out else timestamp))
        at = m.end()
    s, e = strip_span(text, at, end)
    if e > s or not out:
        out.append(RawTurn(s, max(s, e), label, None if out else timestamp))
    return out
