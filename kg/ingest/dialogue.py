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
    rf"^{SP}*(?:#{{2,6}}{SP}+(?P<h>[^\n]*?\?){SP}*#*|(?P<em>\*\*|__)(?P<b>[^\n*_]*?\?){SP}*(?P=em)){SP}*\r?$",
    re.MULTILINE,
)
"""A question set as a Markdown heading (``## Why IIIF?``) or as a bold paragraph (``**Why IIIF?**``)."""
MIN_QUESTIONS = 2


def find_question_turns(text: str, start: int, end: int) -> tuple[RawTurn, ...]:
    """Blog interviews: each question heading is the interviewer's turn, the text under it the answer.

    The turns are labelled ``Q`` and ``A``, the role labels, so metadata naming the interviewer and
    the interviewee names them.  Text before the first question (the writer's introduction) is a note.

    >>> t = "Intro.\\n\\n## Why Omeka?\\n\\nIt was free.\\n\\n**And now?**\\n\\nOmeka S.\\n"
    >>> [(x.label, t[x.start:x.end]) for x in find_question_turns(t, 0, len(t))]
    [(None, 'Intro.'), ('Q', 'Why Omeka?'), ('A', 'It was free.'), ('Q', 'And now?'), ('A', 'Omeka S.')]
    """
    found = list(_QUESTION_LINE.finditer(text, start, end))
    if len(found) < MIN_QUESTIONS:
        return ()
    turns: list[RawTurn] = []
    pre_s, pre_e = strip_span(text, start, found[0].start())
    if pre_e > pre_s:
        turns.append(RawTurn(pre_s, pre_e, None, None, kind="note"))
    for i, m in enumerate(found):
        group = "h" if m.group("h") is not None else "b"
        turns.append(RawTurn(m.start(group), m.end(group), "Q"))
        s, e = strip_span(text, m.end(), found[i + 1].start() if i + 1 < len(found) else end)
        if e > s:
            turns.append(RawTurn(s, e, "A"))
    return tuple(turns)
