"""Unnamed dialogue: turns opened by a dash, as French typography and many hand-typed transcripts write them.

Broadcast captions and CART transcripts mark each change of speaker with ``>>`` the same way.

    — Bonjour Margaux. Pouvez-vous nous parler de vos débuts ?
    — Bonjour. J'ai commencé chez Decathlon…

No one is named, so the turns carry no label; roles are left to later
inference.  Only an em dash, an en dash or a horizontal bar opens a turn:
a hyphen opens Markdown list items, so ``- `` lines are not dialogue.  The
plain parser runs this only where no speaker label was found, and it needs a
few dash lines, a fair share of all the lines, so a lone dash or a quoted
exchange in prose never splits a turn.  A dash followed by a bare name is an
attribution under a quotation ("— Agathe"), not speech.
"""

from __future__ import annotations

import re

from .base import RawTurn
from .chars import SP, strip_span
from .turns import NAME

_DASH_LINE = re.compile(rf"^{SP}*(?:[—–―]|>>(?!>)){SP}*(?=\S)(?!{NAME}(?<![.!?…]){SP}*\r?$)", re.MULTILINE)
"""A dash (or the ``>>`` of broadcast captions) opening a line, unless a bare name follows it; a
one-word reply ("— Oui.") ends in a stop."""
MIN_DASH_TURNS = 3
"""Fewer dash lines than this read as prose (an aside, a quoted exchange), not as the file's dialogue."""
MIN_DASH_SHARE = 0.2
"""The least share of the region's non-blank lines that dash lines must make (a preamble is a few lines)."""


def find_dash_turns(text: str, start: int, end: int) -> tuple[RawTurn, ...]:
    """Turns opened by dash lines in ``text[start:end]``, text before the first one a note; () if too few.

    >>> t = "Intro.\\n— Ça va ?\\n— Oui.\\n– Bien.\\n"
    >>> [(x.kind, t[x.start:x.end]) for x in find_dash_turns(t, 0, len(t))]
    [('note', 'Intro.'), ('speech', 'Ça va ?'), ('speech', 'Oui.'), ('speech', 'Bien.')]
    """
    opens = [(m.start(), m.end()) for m in _DASH_LINE.finditer(text, start, end)]
    if len(opens) < MIN_DASH_TURNS:
        return ()
    lines = sum(1 for line in text[start:end].splitlines() if line.strip())
    if len(opens) < MIN_DASH_SHARE * lines:
        return ()
    turns: list[RawTurn] = []
    pre_s, pre_e = strip_span(text, start, opens[0][0])
    if pre_e > pre_s:
        turns.append(RawTurn(pre_s, pre_e, None, None, kind="note"))
    for i, (_, body) in enumerate(opens):
        nxt = opens[i + 1][0] if i + 1 < len(opens) else end
        s, e = strip_span(text, body, nxt)
        turns.append(RawTurn(s, max(s, e), None, None))
    return tuple(turns)


_QUESTION_LINE = re.compile(
    rf"^{SP}*(?:#{{2,6}}{SP}+(?P<h>[^\n]*?\?){SP}*#*|(?P<em>\*\*|__|\*|_)(?P<b>[^\n*_]*?\?){SP}*(?P=em)){SP}*\r?$",
    re.MULTILINE,
)
"""A question set as a Markdown heading (``## Why IIIF?``) or as a bold or italic paragraph (``**Why IIIF?**``)."""
_QUOTE_BLOCK = re.compile(rf"(?:^{SP}*>[^\n]*(?:\n|\Z))+", re.MULTILINE)
"""Consecutive lines opened by ``>``: a Markdown block quote."""
_QUOTED_QUESTION = re.compile(r"[^\s>*_].*?\?(?=[\s>*_»\"”]*\Z)", re.DOTALL)
"""A block quote's text from its first letter to a closing ``?``, markup and closing quotes after it."""
MIN_QUESTIONS = 2


def _questions(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """``(line start, question start, question end)`` of each question paragraph, in order.

    Blog and magazine interviews set the interviewer apart by layout alone: a heading, bold or
    italic type, or a block quote (``> Et ensuite ?``) over the answer set as plain paragraphs.
    A block quote is a question only as a whole, when its text ends with ``?``; one that quotes a
    passage inside an answer ends otherwise and stays in the answer.
    """
    found = []
    for m in _QUESTION_LINE.finditer(text, start, end):
        group = "h" if m.group("h") is not None else "b"
        found.append((m.start(), m.start(group), m.end(group)))
    for block in _QUOTE_BLOCK.finditer(text, start, end):
        q = _QUOTED_QUESTION.search(text, block.start(), block.end())
        if q is not None and q.start() == _first_letter(text, block.start(), block.end()):
            found.append((block.start(), q.start(), q.end()))
    return sorted(found)


def _first_letter(text: str, start: int, end: int) -> int:
    """Where the text of a block quote begins, past its ``>`` markers, spaces and emphasis."""
    while start < end and text[start] in " \t\u00a0\u202f\n>*_":
        start += 1
    return start


def find_question_turns(text: str, start: int, end: int) -> tuple[RawTurn, ...]:
    """Blog interviews: each question paragraph is the interviewer's turn, the text under it the answer.

    The turns are labelled ``Q`` and ``A``, the role labels, so metadata naming the interviewer and
    the interviewee names them.  Text before the first question (the writer's introduction) is a note.

    >>> t = "Intro.\\n\\n## Why Omeka?\\n\\nIt was free.\\n\\n**And now?**\\n\\nOmeka S.\\n\\n> Why?\\n\\nWhy not.\\n"
    >>> [(x.label, t[x.start:x.end]) for x in find_question_turns(t, 0, len(t))][1:]
    [('Q', 'Why Omeka?'), ('A', 'It was free.'), ('Q', 'And now?'), ('A', 'Omeka S.'), ('Q', 'Why?'), ('A', 'Why not.')]
    """
    found = _questions(text, start, end)
    if len(found) < MIN_QUESTIONS:
        return ()
    turns: list[RawTurn] = []
    pre_s, pre_e = strip_span(text, start, found[0][0])
    if pre_e > pre_s:
        turns.append(RawTurn(pre_s, pre_e, None, None, kind="note"))
    for i, (_, q_start, q_end) in enumerate(found):
        turns.append(RawTurn(q_start, q_end, "Q"))
        s, e = strip_span(text, _line_end(text, q_end), found[i + 1][0] if i + 1 < len(found) else end)
        if e > s:
            turns.append(RawTurn(s, e, "A"))
    return tuple(turns)


def _line_end(text: str, pos: int) -> int:
    """The end of the line (or block quote) holding ``pos``: the answer starts below the question."""
    end = text.find("\n", pos)
    return len(text) if end < 0 else end
