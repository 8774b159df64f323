"""Which Person entity each participant and speaker of a graph is: one rule for every writer.

Resolution joins a participant to the person their name folds to, so the
entity's label may be written otherwise than the transcript wrote the
speaker ("Henri Verdier" for a speaker label "Henri VERDIER").  The RDF,
the page built from the model and the page rebuilt from the RDF must all make
the same person of that speaker, or ``kg html`` loses participants the build
showed; they all ask `people`.
"""

from __future__ import annotations

from .model import Entity, KnowledgeGraph
from .text import fold


def people(kg: KnowledgeGraph) -> dict[str, Entity]:
    """Each name a participant or turn speaker goes by -> the Person entity that is them.

    A Person entity's own label always names it; a participant's or speaker's
    name that is no entity's label names the Person whose label, else one of
    whose alternative labels, folds (case and accents ignored) as it does.
    The first entity in the graph's order wins a tie, so the answer is stable.

    >>> from kg.model import Interview, KnowledgeGraph, Participant
    >>> iv = Interview("a", "", (), participants=(Participant("Henri VERDIER", "interviewee"),))
    >>> kg = KnowledgeGraph((iv,), (Entity("person/henri-verdier", "Person", "Henri Verdier"),))
    >>> {name: e.id for name, e in people(kg).items()}
    {'Henri Verdier': 'person/henri-verdier', 'Henri VERDIER': 'person/henri-verdier'}
    """
    persons = [e for e in kg.entities if e.type == "Person"]
    out: dict[str, Entity] = {}
    for e in persons:
        out.setdefault(e.label, e)
    by_fold: dict[str, Entity] = {}
    for e in persons:
        by_fold.setdefault(fold(e.label), e)
    for e in persons:
        for alt in e.alt_labels:
            by_fold.setdefault(fold(alt), e)
    for iv in kg.interviews:
        names = [p.name for p in iv.participants] + [t.speaker for t in iv.turns if t.speaker]
        for name in names:
            if name not in out and (found := by_fold.get(fold(name))) is not None:
                out[name] = found
    return out
