"""Per-interview tallies that the graph publishes so that queries need not count over every quote.

``tools-per-person`` used to COUNT the quotes of each speaker that mention
each tool, and ``co-mentioned-people`` the turns that name an entity and a
person together: both read every quote of the corpus, which took tens of
seconds on a large graph.  The graph now carries the counts, one interview
at a time, and the queries SUM them over interviews:

* a speaker tally, for each (speaker, entity) pair of an interview: how many
  of the speaker's quotes in that interview mention the entity;
* a co-mention tally, for each (entity, person) pair of an interview, the two
  different: how many turns of that interview have a quote mentioning the
  entity and a quote (maybe the same) mentioning the person.  Only persons
  are kept on the second side: that is the question the canned query asks,
  and it keeps the tallies few.

A quote belongs to one turn and a turn to one interview, so summing an
interview's counts over interviews gives the corpus counts.  Everything here
is computed from one interview and the entity nodes its mentions and
speakers resolved to, which is what `Emitter.key` hashes: the counts live in
the interview's own chunk, and an unchanged interview's bytes can be reused.
The pairs come in document order (first quote or turn that has them), so
the output is a function of the model alone.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pyoxigraph as ox

from ..model import Interview

Pair = tuple[ox.NamedNode, ox.NamedNode]


def quote_entities(iv: Interview, linked: Mapping[int, ox.NamedNode]) -> list[tuple[int, list[ox.NamedNode]]]:
    """For each quote (a sentence with a linked mention), its turn's index and its distinct entities in order."""
    out = []
    for turn in iv.turns:
        for sent in turn.sentences:
            entities = list(dict.fromkeys(linked[id(m)] for m in sent.mentions if id(m) in linked))
            if entities:
                out.append((turn.index, entities))
    return out


def speaker_tallies(iv: Interview, quotes: list[tuple[int, list[ox.NamedNode]]],
                    people: Mapping[str, ox.NamedNode]) -> dict[Pair, int]:
    """(speaker node, entity node) -> how many of the speaker's quotes in ``iv`` mention the entity.

    ``quotes`` is `quote_entities` of ``iv``.

    A quote's speaker is its turn's, found as the emitter finds it (the
    Person entity labelled with the turn's speaker name); quotes without
    one (notes, unnamed speakers) have no ``schema:creator`` and count nowhere.
    """
    speakers = {t.index: people.get(t.speaker) if t.speaker else None for t in iv.turns}
    counts: dict[Pair, int] = {}
    for turn_index, entities in quotes:
        speaker = speakers[turn_index]
        if speaker is None:
            continue
        for entity in entities:
            counts[(speaker, entity)] = counts.get((speaker, entity), 0) + 1
    return counts


def co_mention_tallies(quotes: list[tuple[int, list[ox.NamedNode]]],
                       persons: Collection[ox.NamedNode]) -> dict[Pair, int]:
    """(entity node, person node) -> how many turns of an interview (its `quote_entities`) mention both,
    the person a Person and not the entity."""
    per_turn: dict[int, dict[ox.NamedNode, None]] = {}
    for turn_index, entities in quotes:
        per_turn.setdefault(turn_index, {}).update(dict.fromkeys(entities))
    counts: dict[Pair, int] = {}
    for mentioned in per_turn.values():
        named = [p for p in mentioned if p in persons]
        for entity in mentioned:
            for person in named:
                if person != entity:
                    counts[(entity, person)] = counts.get((entity, person), 0) + 1
    return counts
