"""Resolution: group mentions into entities, one node per real-world thing.

Mentions are keyed by what they name: a vocabulary entry, a concept phrase,
or their squashed surface form (so "Style Gan", "style gan" and "StyleGAN"
share a key).  Keys are shared across interviews, so an entity mentioned in
several interviews is one entity, and a participant's full name said in
another interview joins that participant.  Within an interview, first names
and surnames join the full name met there ("Mario" -> "Mario Klingemann"),
for that interview's mentions only (a "Gaëlle" of another interview may be
another Gaëlle); speaker labels join their participant, and acronyms join an expansion
whose initials they spell.  Each entity's type is a weighted vote of its
mentions, and it keeps every surface form as an alternative label.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter
from typing import Literal, NamedTuple

from .extract.vocabulary import Vocabulary
from .model import ENTITY_TYPES, Entity, EntityType, Interview, Mention, MentionRef
from .text import fold, id_slug, squash

TYPE_PREFIX: dict[str, str] = {
    "Person": "person", "Organisation": "org", "Tool": "tool", "Work": "work", "Place": "place", "Concept": "concept",
}
SOURCE_WEIGHT = {"vocab": 3.0, "participant": 5.0, "naming": 2.0, "pattern": 1.0, "acronym": 0.5, "concept": 1.0}
MIN_SCORE = 0.4
"""An entity whose every mention scored below this (lower-case NER guesses) is dropped."""
_PLACE = attrgetter("interview", "mention.start", "mention.end")
"""Where a mention is: the order of an entity's mentions."""
_CONNECT = {"and", "et", "&", "of", "de", "du", "des", "la", "le", "the", "for"}
_UNSPELT = _CONNECT | {"on", "in", "at", "to", "sur", "pour", "en", "au", "aux", "à", "les"}
"""Small words an acronym passes over: "IPCC" is the Intergovernmental Panel on Climate Change, "CNL" the
Centre national du livre."""


@dataclass
class _Cluster:
    """Mentions that share a key, with their type votes and surface forms.

    ``type`` and ``words`` are read thousands of times while linking, so
    they are computed once and forgotten whenever votes or forms change:
    change those only through `vote`, `saw`, `retype` and `add`.
    """

    key: Key
    refs: list[MentionRef] = field(default_factory=list)
    votes: Counter[str] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)
    speaker_of: set[str] = field(default_factory=set)
    participant_name: str | None = None
    vocab_id: str = ""
    _type: EntityType | None = field(default=None, repr=False, compare=False)
    _words: list[str] | None = field(default=None, repr=False, compare=False)
    _form: str | None = field(default=None, repr=False, compare=False)
    _away: frozenset[str] | None = field(default=None, repr=False, compare=False)
    top: float | None = field(default=None, repr=False, compare=False)
    """The highest score of its mentions (None without mentions): kept as they come, not read again from each."""
    in_order: bool = field(default=True, repr=False, compare=False)
    """Whether its mentions are already sorted by interview and place (as `_to_entity` gives them)."""
    _last: tuple[str, int, int] | None = field(default=None, repr=False, compare=False)

    def vote(self, label: str, weight: float) -> None:
        self.votes[label] += weight  # type: ignore[assignment]  # weights are floats: typeshed's Counter counts int
        self._type = None

    def saw(self, form: str, times: int = 1) -> None:
        self.forms[form] += times
        self._words = self._form = None

    def take(self, ref: MentionRef, label: str | None = None) -> None:
        """A mention of this thing: its type vote (weighted by how it was found) and its surface form.

        ``label`` replaces the mention's own type in the vote, where resolution knows better.
        """
        # `vote` and `saw` inlined: this runs once per mention of the corpus, on every rebuild
        m = ref.mention
        self.refs.append(ref)
        self.votes[label or m.label] += SOURCE_WEIGHT.get(m.source, 1.0) * m.score  # type: ignore[assignment]
        self.forms[m.text] += 1
        self._type = self._words = self._form = None
        self._away = None
        # mentions come interview by interview, in the order they are said: most entities need no sort
        place = (ref.interview, m.start, m.end)
        if self._last is not None and place < self._last:
            self.in_order = False
        self._last = place
        if self.top is None or m.score > self.top:
            self.top = m.score

    def is_participant(self, name: str, iv: Interview, role: str) -> None:
        """This cluster is a participant of ``iv``: a person whatever the votes, and a speaker where they speak."""
        self.participant_name = name
        self._type = self._words = None
        self.saw(name, 3)
        if role != "participant" or any(t.speaker == name for t in iv.turns):
            self.speaker_of.add(iv.id)

    def retype(self, type_: str) -> None:
        """All the votes go to ``type_``: the cluster was found to be another name of such a thing."""
        self.votes = Counter({type_: sum(self.votes.values())})
        self._type = None

    def add(self, other: _Cluster) -> None:
        if other.refs:
            first = other.refs[0]
            self.in_order = self.in_order and other.in_order and (
                self._last is None or (first.interview, first.mention.start, first.mention.end) >= self._last)
            self._last = other._last
            if other.top is not None and (self.top is None or other.top > self.top):
                self.top = other.top
        self.refs += other.refs
        self._away = None
        self.votes.update(other.votes)
        self.forms.update(other.forms)
        self.speaker_of |= other.speaker_of
        self.participant_name = self.participant_name or other.participant_name
        self.vocab_id = self.vocab_id or other.vocab_id
        self._type = self._words = self._form = None

    @property
    def type(self) -> EntityType:
        if self.participant_name:
            return "Person"
        if self._type is None:
            best: EntityType = max(ENTITY_TYPES, key=lambda t: (self.votes[t], -ENTITY_TYPES.index(t)))
            self._type = best
            return best
        return self._type

    @property
    def form(self) -> str:
        """The surface form seen most often (the first seen among equals)."""
        if self._form is None:
            self._form = self.forms.most_common(1)[0][0]
        return self._form

    @property
    def words(self) -> list[str]:
        """The folded words of its main form: what first-name, surname and acronym links compare."""
        if self._words is None:
            form = self.participant_name or self.form
            self._words = [w for w in re.split(r"\s+", fold(form)) if w]
        return self._words

    def said_outside(self, iid: str) -> bool:
        """Whether any of its mentions is in another interview than ``iid``.

        Asked for each short name in each interview it is met in: the interviews are gathered once, not
        the mentions scanned each time.
        """
        if self._away is None:
            self._away = frozenset(r.interview for r in self.refs)
        return len(self._away) > 1 or (len(self._away) == 1 and iid not in self._away)


class Key(NamedTuple):
    """What a cluster of mentions names: a participant, a vocabulary entry, a concept phrase or a surface form.

    Keys sort by kind, then name, which fixes the order clusters are linked in (and so the output).
    """

    kind: Literal["concept", "name", "participant", "vocab"]
    name: str


def participant_key(name: str) -> Key:
    return Key("participant", fold(name))


def mention_key(text: str, vocab_key: str) -> Key:
    if vocab_key.startswith("concept:"):
        return Key("concept", vocab_key[len("concept:"):])
    if vocab_key:
        return Key("vocab", vocab_key)
    return Key("name", squash(text))


def resolve(interviews: Iterable[Interview], vocabulary: Vocabulary | None = None) -> tuple[Entity, ...]:
    """Entities for a corpus of extracted interviews, sorted by id.

    Four phases: mentions are gathered into clusters by what they name;
    clusters are linked to the ones they are other names of, interview by
    interview; linked clusters are merged; each merged cluster becomes an entity.
    """
    interviews = list(interviews)
    clusters, per_interview, said_as = _gather(interviews, vocabulary)
    alias = _link(interviews, clusters, per_interview, vocabulary, said_as)
    _type_name_words(interviews, clusters, alias)
    return _entities(_merge(clusters, alias), interviews, vocabulary)


_ALIAS_GAP = (3, 32)
"""The shortest and longest text between two names that `_SAID_AS` may be: most pairs of names are not looked at."""
_SAID_AS = re.compile(r"\s*[,(]?\s*(?:aka|a\.k\.a\.?|alias|(?:also |better )?known as|surnommée?|"
                      r"connue? sous le nom d(?:e|'|’))\s*[:,]?\s*['\"“‘«]?\s*", re.IGNORECASE)
"""What stands between a name and another name for the same one: "Olaoluwa Osuntokun, aka 'Roasbeef'", "Elizabeth
Stark, known as Starkness", "Marcel, surnommé Pépère"."""


def _gather(interviews: list[Interview], vocabulary: Vocabulary | None
            ) -> tuple[dict[Key, _Cluster], dict[str, set[Key]], dict[tuple[Key, str], Key]]:
    """Every participant and every mention in the cluster of its key; the keys met in each interview; and the
    names said as another name's alias (`_SAID_AS`), by interview: (alias key, interview) -> the name's key."""
    clusters: dict[Key, _Cluster] = {}
    per_interview: dict[str, set[Key]] = defaultdict(set)
    said_as: dict[tuple[Key, str], Key] = {}
    # a participant's full name said anywhere in the corpus is that person, whatever the NER typed it as:
    # interviewees speak of each other ("c'est Declan N'Diaye qui m'a montré Pure Data")
    full_names = {squash(p.name): participant_key(p.name) for iv in interviews for p in iv.participants
                  if len(p.name.split()) >= 2 and len(squash(p.name)) >= 6}
    named: dict[tuple[str, str, str], tuple[Key, str | None]] = {}  # `_named`, once per distinct mention
    for iv in interviews:
        iid, keys = iv.id, per_interview[iv.id]
        for p in iv.participants:
            key = participant_key(p.name)
            clusters.setdefault(key, _Cluster(key)).is_participant(p.name, iv, p.role)
            keys.add(key)
        # a participant is also the labels their turns carry ("JD" for Julie Durand, named so in the preamble)
        speaking_as = {squash(x): participant_key(p.name) for p in iv.participants for x in (*p.labels, p.name)}
        for turn in iv.turns:
            for si, sent in enumerate(turn.sentences, start=1):
                after, said, before = -_ALIAS_GAP[1], None, ""  # the end, key and text of the mention before
                for m in sent.mentions:
                    found = named.get((m.text, m.key, m.label))
                    if found is None:
                        found = named[(m.text, m.key, m.label)] = _named(m, vocabulary)
                    key, label = found
                    if key.kind == "name":
                        key = _person_key(key, m, speaking_as, full_names)
                    cluster = clusters.get(key)
                    if cluster is None:  # not setdefault: that would build (and drop) a cluster for every mention
                        cluster = clusters[key] = _Cluster(key)
                    cluster.take(MentionRef(iid, turn.index, si, m), label)
                    if key.kind == "vocab":
                        cluster.vocab_id = key.name
                    keys.add(key)
                    if said is not None and said != key and key.kind == "name" and (
                            _ALIAS_GAP[0] <= m.start - after <= _ALIAS_GAP[1]
                            and _SAID_AS.fullmatch(iv.text, after, m.start)
                            or m.start - after <= 3 and _handle_of(m.text, before, iv.text[after:m.start])):
                        said_as.setdefault((key, iid), said)
                    after, said, before = m.end, key, m.text
    return clusters, per_interview, said_as


def _handle_of(handle: str, name: str, gap: str) -> bool:
    """Whether ``handle``, in brackets right after ``name``, is that one's handle: written with an "@" or holding
    the name's first word and more ("Nico (NicoTupe)", "Olaoluwa Osuntokun (@roasbeef)").  Not any name in
    brackets: "Jane Doe (Mozilla)" gives her employer.

    >>> _handle_of("NicoTupe", "Nico", " ("), _handle_of("@roasbeef", "Olaoluwa Osuntokun", " (")
    (True, True)
    >>> _handle_of("Mozilla", "Jane Doe", " ("), _handle_of("NicoTupe", "Nico", ", ")
    (False, False)
    """
    if gap.strip() != "(" or " " in handle.strip():
        return False
    if handle.startswith("@"):
        return True
    first = fold(name.split()[0]) if name.split() else ""
    return len(first) >= 3 and fold(handle).startswith(first) and len(handle) > len(first) + 1


def _named(m: Mention, vocabulary: Vocabulary | None) -> tuple[Key, str | None]:
    """What a mention names before the corpus' people are asked: its key from its text, vocabulary key and
    label alone (so the same for every mention with those three), and the type it votes for if not its label."""
    key = mention_key(m.text, m.key)
    label = None
    if key.kind == "name" and m.label != "Person" and vocabulary is not None:
        named = vocabulary.lookup_name(m.text)
        # "Max MSP" is the vocabulary's "Max/MSP"; a place only joins an institution ("ETH Zurich",
        # which NER often takes for a place, and votes as one), never a tool named after a place
        if named is not None and named.type != "Concept" and (m.label != "Place" or named.type == "Organisation"):
            key = Key("vocab", named.id)
            label = named.type if m.label == "Place" else None
    return key, label


def _person_key(key: Key, m: Mention, speaking_as: dict[str, Key], full_names: dict[str, Key]) -> Key:
    """A name's key, or the participant it names: one speaking in the interview, or named in full anywhere."""
    if m.label == "Person" and key.name in speaking_as:
        return speaking_as[key.name]
    return full_names.get(key.name, key)


def _link(interviews: list[Interview], clusters: dict[Key, _Cluster], per_interview: dict[str, set[Key]],
          vocabulary: Vocabulary | None, said_as: dict[tuple[Key, str], Key]) -> dict[Key, Key]:
    """Which cluster each cluster is another name of (short names, spellings, slips), interview by interview.

    Each step takes the interview's keys sorted: the order they are tried in decides the links (and the output).
    A name said as another's alias ("aka Roasbeef") is that one in its interview, whatever it was typed as: a
    handle, a nickname, a stage name.
    """
    alias: dict[Key, Key] = {}
    local: dict[tuple[Key, str], Key] = dict(sorted(said_as.items()))
    for iv in interviews:
        keys = sorted(per_interview[iv.id])  # sorted once: each linking step walks them in this order
        _link_name_variants(clusters, keys, alias)
        _link_within(iv, clusters, keys, alias, local)
        if vocabulary is not None:
            _link_misspellings(clusters, keys, alias, vocabulary)
        _link_slips(clusters, keys, alias)
    _split_local_links(clusters, alias, local)
    return alias


def _type_name_words(interviews: list[Interview], clusters: dict[Key, _Cluster], alias: dict[Key, Key]) -> None:
    """A first name or surname of the corpus' participants said where no full name settles it is still a person."""
    name_words = {w for iv in interviews for p in iv.participants for w in fold(p.name).split() if len(w) >= 3}
    for key, c in clusters.items():
        if (key.kind == "name" and key not in alias and c.refs and not c.vocab_id and len(c.words) == 1
                and c.words[0] in name_words and c.type != "Person"):
            c.retype("Person")


def _merge(clusters: dict[Key, _Cluster], alias: dict[Key, Key]) -> dict[Key, _Cluster]:
    """Each linked cluster added into the one its links lead to."""
    merged: dict[Key, _Cluster] = {}
    for key, c in clusters.items():
        root = _root(alias, key)
        if root == key:
            merged.setdefault(key, c)
    for key, c in clusters.items():
        root = _root(alias, key)
        if root != key:
            merged[root].add(c)
    return merged


def _entities(merged: dict[Key, _Cluster], interviews: list[Interview],
              vocabulary: Vocabulary | None) -> tuple[Entity, ...]:
    """One entity per merged cluster worth keeping, sorted by id."""
    langs = Counter(iv.language for iv in interviews if iv.language)
    language = langs.most_common(1)[0][0] if langs else "en"  # labels of vocabulary entries in this language
    entities: dict[str, Entity] = {}
    for c in merged.values():
        top = c.top
        if max(top or 0.0, 1.0 if c.participant_name else 0.0) < MIN_SCORE or (not c.refs and not c.speaker_of):
            continue
        entity = _to_entity(c, vocabulary, language, top)
        if entity.id in entities:  # same type and slug: the same thing reached by two keys
            entity = _union(entities[entity.id], entity)
        entities[entity.id] = entity
    return tuple(sorted(entities.values(), key=lambda e: e.id))


def _root(alias: dict[Key, Key], key: Key) -> Key:
    seen = set()
    while key in alias and key not in seen:
        seen.add(key)
        key = alias[key]
    return key


def _link_within(iv: Interview, clusters: dict[Key, _Cluster], keys: list[Key], alias: dict[Key, Key],
                 local: dict[tuple[Key, str], Key]) -> None:
    """Join short names to full names and acronyms to expansions met in the same interview.

    A first name or surname said in several interviews is linked interview by
    interview (into ``local``): "Gaëlle" is Gaëlle Halvorsen in one and
    Gaëlle Sørensen in another.
    """
    # indexes by first and last word: a linear scan per short name made this quadratic in an interview's names
    people_first: dict[str, list[Key]] = defaultdict(list)
    people_last: dict[str, list[Key]] = defaultdict(list)
    longer_by_word: dict[str, list[Key]] = defaultdict(list)
    org_tails: dict[str, list[Key]] = defaultdict(list)
    org_heads: dict[str, list[Key]] = defaultdict(list)
    heads = _org_heads()
    compound_places: dict[str, list[Key]] = defaultdict(list)
    named_by: dict[tuple[str, ...], list[Key]] = defaultdict(list)  # "compagnie des hautes herbes" by "hautes herbes"
    tool_inside: dict[str, list[Key]] = defaultdict(list)  # "celestron nexstar 8se" by "nexstar"
    for o in keys:
        words = clusters[o].words
        if len(words) == 1 and "-" in words[0] and clusters[o].type == "Place":
            parts = words[0].split("-")  # "Saint-Loup-Lamairé" said "Saint-Loup", "Aix-en-Provence" said "Aix"
            for n in range(1, len(parts)):
                compound_places["-".join(parts[:n])].append(o)
        if len(words) < 2:
            continue
        if clusters[o].type == "Person":
            people_first[words[0]].append(o)
            people_last[words[-1]].append(o)
        longer_by_word[words[0]].append(o)
        if len(words) > 2 and clusters[o].type == "Organisation":
            org_tails[words[-1]].append(o)
        if clusters[o].type == "Organisation":
            for w in set(words) & heads:
                org_heads[w].append(o)
            # its own name after an article ("Théâtre du Soleil", "Compagnie des Hautes Herbes"); after a bare "de"
            # it is the town's ("musée de Lodève")
            if len(words) >= 3 and words[0] in heads and words[1] in {"des", "du"}:
                named_by[tuple(words[2:])].append(o)
            elif len(words) >= 4 and words[0] in heads and words[1] in _OF and words[2] in _ARTICLES:
                named_by[tuple(words[3:])].append(o)
        if words[-1] != words[0] and not set(words) & _CONNECT:
            longer_by_word[words[-1]].append(o)
        if clusters[o].type == "Tool":
            for w in words[1:-1]:
                tool_inside[w].append(o)
    expansions: list[tuple[Key, list[str]]] | None = None
    initials: list[tuple[Key, str]] = []
    spelled: list[tuple[Key, list[str]]] | None = None
    for k in keys:
        c = clusters[k]
        if len(c.words) > 1 and k not in alias and c.type == "Person" and k.kind == "name":
            # "Maria Paz" is the "Maria Paz Canales" named in full: a compound first name said alone
            fuller = {_root(alias, p) for p in people_first[c.words[0]]
                      if len(clusters[p].words) > len(c.words) and clusters[p].words[:len(c.words)] == c.words}
            # "Jean Pierre" for the "Jean-Pierre Lefèvre" named in full: the compound said without its hyphen
            fuller |= {_root(alias, p) for p in people_first["-".join(c.words)] if len(clusters[p].words) >= 2}
            if c.words[0] in _PARTICLES:
                # "Van Gogh" for the "Vincent van Gogh" named in full: the surname with its particle
                fuller |= {_root(alias, p) for p in people_last[c.words[-1]]
                           if clusters[p].words[-len(c.words):] == c.words and len(clusters[p].words) > len(c.words)}
            if len(fuller) == 1 and (found := fuller.pop()) != k:
                alias[k] = found
            elif not fuller:
                _link_eponym(k, c, iv, clusters, longer_by_word[c.words[0]], alias, local)
            continue
        if k not in alias and c.type != "Person" and k.kind == "name" and not c.vocab_id \
                and tuple(c.words) in named_by and not _known_place(c.form):
            # "aux Hautes Herbes" beside the "Compagnie des Hautes Herbes", "le Soleil" beside the "Théâtre du
            # Soleil": the institution said by its own name, without its head; not a town ("Musée de Grenoble")
            if _join_organisation(k, c, iv, named_by[tuple(c.words)], alias, local):
                continue
        if len(c.words) > 1 and k not in alias and c.type in ("Organisation", "Work") and k.kind == "name" \
                and not c.vocab_id:
            # "le Mois du doc" is the "Mois du film documentaire" named in full: words clipped as speech clips them
            clipped = {_root(alias, o) for o in longer_by_word[c.words[0]]
                       if clusters[o].type == c.type and _clipped(c.words, clusters[o].words)}
            if len(clipped) == 1 and (found := clipped.pop()) != k:
                alias[k] = found
                continue
        if len(c.words) > 1 and k not in alias and c.type == "Organisation" and k.kind == "name" and not c.vocab_id:
            # "ministère de l'Europe" and "les Affaires étrangères": the "ministère de l'Europe et des Affaires
            # étrangères" named in full, cut where its remits join or shortened to the last of them
            fuller = {_root(alias, o) for o in longer_by_word[c.words[0]] + org_tails[c.words[-1]]
                      if clusters[o].type == "Organisation" and _part_of_name(c.words, clusters[o].words)}
            if len(fuller) == 1 and (found := fuller.pop()) != k:
                alias[k] = found
            continue
        if len(c.words) != 1 or k in alias:
            continue
        word = c.words[0]
        if k.kind == "participant":
            # a speaker known only as "Léa" or "DUVAL" is the "Léa Duval" named in the text; one known by initials,
            # "VB", the one person named there whose words give them ("Vicki Boykis")
            match = {_root(alias, p) for p in people_first[word] + people_last[word]
                     if not clusters[p].participant_name}
            if not match and c.form.isupper() and c.form.isalpha() and 2 <= len(c.form) <= 3:
                match = {_root(alias, p) for found in people_first.values() for p in found
                         if not clusters[p].participant_name and _initials_of(clusters[p].words) == word}
            if not match and len(word) >= 3 and word.isalpha():
                # "Dan:" and "Segun:" label the turns of the Daniel Mensah and Olusegun Bakare the host introduced
                match = {_root(alias, p) for first, found in people_first.items() if _given(word, first, part=True)
                         for p in found if not clusters[p].participant_name}
            if len(match) == 1 and (found := match.pop()) != k:
                alias[found] = k
            continue
        form = c.form
        acronym = form.isupper() and 2 <= len(form) <= 6
        if not acronym and c.type == "Organisation" and 4 <= len(form) <= 7 and form.istitle() and not c.vocab_id:
            # initials written as a word, as French writes those it says as one ("Inrap", "Unesco"): only a name
            # whose words give exactly those initials
            if expansions is None:
                expansions, initials = _expansions(keys, clusters)
            titled = [o for o, i in initials if o != k and i == form.upper()]
            if len(titled) == 1:
                alias[k] = titled[0]
                continue
        if not acronym and c.type not in ("Person", "Concept") and not c.vocab_id and word in heads:
            # "the College's history" where the interview names the Royal College of Nursing, "le Musée" beside
            # the "Musée Fleury": an organisation's head word said alone is the one organisation it heads here,
            # whatever type its few words earned it alone ("les producteurs de la Confédération" reads as a place);
            # not the head as a topic ("la médiathèque de Saint-Brieuc" beside the "Médiathèque numérique d'Arte")
            if _join_organisation(k, c, iv, org_heads[word], alias, local):
                continue
        if not acronym:
            # spellings of one name already joined (`_link_name_variants`) count as one person
            # not sorted: only a single candidate is ever taken, and these are asked for every short name
            firsts = list({_root(alias, p) for p in people_first[word]})
            lasts = list({_root(alias, p) for p in people_last[word]})
            target = firsts if len(firsts) == 1 else (lasts if len(lasts) == 1 else [])
            nickname = c.type != "Person" and not c.vocab_id and c.form.istitle()
            if not firsts and not lasts and (c.type == "Person" or nickname) and len(word) >= 3:
                # "Gus, Gustavo Pereira", "Fred" and Frédéric Morel, "Bill" and William Hart: a first name cut
                # short or a nickname of it, when one person fits; a nickname NER made a place or a firm ("Pat
                # typed it" after Patricia Dunn) only from the nicknames' table, not cut from any name
                cut = {_root(alias, p) for first, found in people_first.items()
                       if _given(word, first, cut=c.type == "Person") for p in found}
                target = list(cut) if len(cut) == 1 else []
            speaking = [p for p in firsts if clusters[p].participant_name]
            if not target and len(speaking) == 1:
                target = speaking  # "Thank you, Ben." addresses the Ben who takes part in the interview
            if not target and c.type == "Person" and not c.vocab_id:
                # "Fénelon" where the interview names the "lycée Fénelon": the institution, said short
                _link_eponym(k, c, iv, clusters, longer_by_word[word], alias, local)
                if k in alias or (k, iv.id) in local:
                    continue
            if target and (c.type == "Person" or c.votes["Person"] > 0 or clusters[target[0]].participant_name
                           or not c.vocab_id):
                if c.said_outside(iv.id):
                    local[(k, iv.id)] = target[0]  # said elsewhere too: only this interview's mentions are that person
                    continue
                alias[k] = target[0]
                c.retype("Person")  # "Shiffman" is Daniel Shiffman
                continue
            if c.type == "Place" and not c.vocab_id and compound_places.get(word):
                whole = {_root(alias, o) for o in compound_places[word]}
                if len(whole) == 1 and (found := whole.pop()) != k and _short_for(c.form, clusters[found].form):
                    if c.said_outside(iv.id):
                        local[(k, iv.id)] = found
                    else:
                        alias[k] = found
                continue
            if not c.vocab_id:
                # "Écomusée" -> "Écomusée de Saint-Nazaire", "Ableton" -> "Ableton Live"; "chez Bouscayrol", which
                # reads as a place, -> "Tréfileries Bouscayrol" where no gazetteer knows a place of that name
                named = ("Organisation", "Tool", "Work")
                firm = c.type == "Place" and not _known_place(c.form)
                longer = [o for o in longer_by_word[word] if o != k
                          and (clusters[o].type == c.type != "Place" or clusters[o].type in named and c.type in named
                               or firm and clusters[o].type == "Organisation")]
                if any(_model_of(word, clusters[o].words) for o in longer) and not _owned(c, iv):
                    longer = [o for o in longer if not _model_of(word, clusters[o].words)]
                if not longer and c.type == "Tool" and _product_word(c.form):
                    # "the NexStar" beside the "Celestron NexStar 8SE": the product line, its maker and model
                    # number left out
                    longer = list({_root(alias, o) for o in tool_inside[word] if o != k})
                if len(longer) == 1 and firm and clusters[longer[0]].type == "Organisation":
                    if c.said_outside(iv.id):
                        local[(k, iv.id)] = longer[0]  # said elsewhere too: only this interview's mentions are the firm
                    else:
                        alias[k] = longer[0]
                        c.retype("Organisation")
                elif len(longer) == 1:
                    alias[k] = longer[0]
            continue
        if expansions is None:  # the names an acronym may stand for, once per interview
            expansions, initials = _expansions(keys, clusters)
        hits = [o for o, i in initials if o != k and (i == form.rstrip("s") or (len(form) >= 3 and i.startswith(form)))]
        if not hits and len(form) >= 3:  # no name has its initials: one it spells with prefixes ("DINUM")
            if spelled is None:  # the names' words made plain once per interview, not once per acronym
                spelled = [(o, [_plain(w.upper()) for w in spelt])
                           for o, spelt in sorted(expansions, key=lambda x: -len(x[1]))]
            letters = _plain(form.rstrip("s"))
            scored = [(_initials_used(letters, parts), o) for o, parts in spelled if o != k]
            # of the names it spells, the one whose words give it most of their initials alone: "DINUM" is
            # D-I-NUM (Direction Interministérielle du Numérique), not DI-NU-M ("direction du numérique du MEAE")
            hits = [o for score, o in sorted(scored, key=lambda x: -x[0]) if score >= 0]
        if not hits and len(form) >= 4 and c.type == "Organisation":
            # "ICTY" beside an "International Criminal Tribunal" cut before "for the former Yugoslavia": an
            # organisation whose three or more words give all but the acronym's last letter
            hits = [o for o, i in initials if o != k and len(i) == len(form) - 1 and len(i) >= 3
                    and form.startswith(i) and clusters[o].type == "Organisation"]
            hits = hits if len(hits) == 1 else []
        if hits:
            alias[k] = hits[0]


def _join_organisation(k: Key, c: _Cluster, iv: Interview, organisations: list[Key], alias: dict[Key, Key],
                       local: dict[tuple[Key, str], Key]) -> bool:
    """Join ``k`` to the one organisation of ``organisations`` (those of this interview a short form may stand
    for), taking its type; only this interview's mentions where the short form is said elsewhere too."""
    whole = {_root(alias, o) for o in organisations}
    if len(whole) != 1 or (found := whole.pop()) == k:
        return False
    if c.said_outside(iv.id):
        local[(k, iv.id)] = found
    else:
        alias[k] = found
        c.retype("Organisation")
    return True


_EPONYM_HEADS = frozenset({"prize", "award", "medal", "telescope", "lecture", "trophy", "prix", "medaille",
                           "trophee"})
"""Besides an institution's head words, those of things named after a person: "the James Webb Space
Telescope", "the Turing Award"."""


def _link_eponym(k: Key, c: _Cluster, iv: Interview, clusters: dict[Key, _Cluster], longer: list[Key],
                 alias: dict[Key, Key], local: dict[tuple[Key, str], Key]) -> None:
    """A person's name said alone where the interview names an institution after it: "the Hamilton Kerr
    Institute", then "we borrow time at Hamilton Kerr"; "le lycée Fénelon", then "à Fénelon".  The NER reads
    the short form as the person; the speaker means the place they named in full (one only: otherwise it stays
    a person)."""
    n = len(c.words)
    heads = _EPONYM_HEADS | _org_heads()
    named = {_root(alias, o) for o in longer
             if clusters[o].type == "Organisation" and len(words := clusters[o].words) > n and (
                 words[:n] == c.words and any(w in heads for w in words[n:n + 2])
                 or words[-n:] == c.words and words[-n - 1] in heads)}
    if len(named) != 1 or (found := named.pop()) == k:
        return
    if c.said_outside(iv.id):
        local[(k, iv.id)] = found  # said elsewhere too: only this interview's mentions are the institution
        return
    alias[k] = found
    c.retype("Organisation")


def _given(short: str, first: str, *, cut: bool = True, part: bool = False) -> bool:
    """Whether ``short`` is said for the given name ``first`` (both folded): a nickname of it (Bill for William,
    Dan for Daniel, from the nicknames package's English table), or, with ``cut``, the name cut short (Nico for
    Nicolas, Fred for Frédéric; not where both are written in full, as Paul and Pauline Martin are two people).
    With ``part``, for a speaker's label, also a stretch of it of four letters or more: a label
    must be someone, and podcasts label a guest by the short form of their name (Segun for Olusegun).

    >>> _given("bill", "william"), _given("fred", "frederic"), _given("segun", "olusegun", part=True)
    (True, True, True)
    >>> _given("segun", "olusegun"), _given("dan", "dan"), _given("paul", "pauline", cut=False)
    (False, False, False)
    """
    if short == first:
        return False
    if first in _nicknames().get(short, ()):
        return True
    if not cut or len(first) < len(short) + 2:
        return False
    return first.startswith(short) or (part and len(short) >= 4 and short in first)


@cache
def _nicknames() -> dict[str, frozenset[str]]:
    """Each nickname's given names, folded ("bill": william, robert…); read once, and only for an interview that
    asks."""
    from nicknames import NickNamer

    return {fold(nick): frozenset(fold(n) for n in names) for nick, names in NickNamer().canonical_lookup.items()}


def _initials_of(words: Sequence[str]) -> str:
    """A person's initials as a transcript labels their turns: "vicki boykis" gives "vb", "jean-pierre dupont"
    "jpd"."""
    return "".join(part[:1] for w in words for part in w.split("-") if part)


def _known_place(name: str) -> bool:
    from .extract.lexicon import place_population

    return place_population(name) > 0


@cache
def _org_heads() -> frozenset[str]:
    from .extract.lexicon import ORG_HEADS

    return frozenset(fold(w) for w in ORG_HEADS)


def _expansions(keys: Iterable[Key], clusters: dict[Key, _Cluster]) -> tuple[list[tuple[Key, list[str]]],
                                                                                list[tuple[Key, str]]]:
    """The names of an interview an acronym may stand for, with their words less connectors, and their initials."""
    expansions = []
    for other in keys:
        other_cluster = clusters[other]
        if other_cluster.type in ("Organisation", "Tool", "Work", "Concept"):
            spelt = [_unelided(w) for w in other_cluster.form.split() if w.casefold() not in _UNSPELT]
            spelt = [w for w in spelt if w]
            if len(spelt) >= 2:
                expansions.append((other, spelt))
    return expansions, [(o, "".join(w[0] for w in spelt).upper()) for o, spelt in expansions]


def _unelided(word: str) -> str:
    """A word without its elided article: "l'Europe" is spelt from its E."""
    for mark in ("'", "’"):
        head, sep, rest = word.partition(mark)
        if sep and len(head) <= 2 and rest:
            return rest
    return word


def _plain(word: str) -> str:
    """The word's letters without their accents ("É" -> "E"), as an acronym spells them."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


def _initials_used(letters: str, parts: list[str]) -> int:
    """How many words give an acronym their first letter alone, at best, over the ways it spells them; -1 when it
    does not spell them.  It spells them when each word gives it its first letter or its first few, in order, and
    it has no more than two letters a word ("DINUM": Direction Interministérielle du NUMérique).

    >>> _initials_used("DINUM", ["DIRECTION", "INTERMINISTERIELLE", "NUMERIQUE"])
    2
    >>> _initials_used("DINUM", ["DIRECTION", "NUMERIQUE", "MEAE"])
    1
    >>> _initials_used("MEAE", ["MINISTERE", "EUROPE", "AFFAIRES", "ETRANGERES"])
    4
    >>> _initials_used("DINUM", ["DIPLOMATIE", "NUMERIQUE"]), _initials_used("DIN", ["DIRECTION", "X", "Y", "Z"])
    (-1, -1)
    """
    if not letters or not all(parts) or not len(parts) <= len(letters) <= 2 * len(parts) or not _in_turn(
            letters, parts):
        return -1

    @cache
    def best(i: int, w: int) -> int:
        if w == len(parts):
            return 0 if i == len(letters) else -1
        found = -1
        for n in range(1, min(len(parts[w]), len(letters) - i - (len(parts) - w - 1)) + 1):
            if parts[w].startswith(letters[i:i + n]):
                rest = best(i + n, w + 1)
                if rest >= 0:
                    found = max(found, rest + (n == 1))
        return found

    return best(0, 0)


def _in_turn(letters: str, parts: list[str]) -> bool:
    """Whether the words' first letters come in ``letters`` in order, the first first: what every way of spelling
    them needs, checked before the search (an interview asks it of each acronym and name, most of them hopeless)."""
    if letters[0] != parts[0][0]:
        return False
    at = 1
    for part in parts[1:]:
        at = letters.find(part[0], at) + 1
        if not at:
            return False
    return True


def _split_local_links(clusters: dict[Key, _Cluster], alias: dict[Key, Key], local: dict[tuple[Key, str], Key]) -> None:
    """Move each interview-local link's mentions out of their shared cluster into one joined to the full name.

    The person met in the interview wins over a link made for the whole
    corpus (a longer name, a misspelling): the cluster's other mentions keep that one.
    """
    by_key: dict[Key, dict[str, Key]] = defaultdict(dict)
    for (key, iid), target in local.items():
        by_key[key][iid] = target
    for key, targets in sorted(by_key.items()):
        c = clusters[key]
        kept: list[MentionRef] = []
        moved: dict[str, list[MentionRef]] = defaultdict(list)
        for r in c.refs:
            (moved[r.interview] if r.interview in targets else kept).append(r)
        for iid, refs in sorted(moved.items()):
            part = _Cluster(Key(key.kind, f"{key.name}@{iid}"))
            for r in refs:
                part.take(r)
            part.retype(clusters[targets[iid]].type)  # "Shiffman" is Daniel Shiffman, "Hamilton Kerr" the institute
            clusters[part.key] = part
            alias[part.key] = targets[iid]
        fresh = _Cluster(key, vocab_id=c.vocab_id)
        for r in kept:
            fresh.take(r)
        if key in alias:  # joined to a misspelt or longer name: its votes stay that thing's type
            fresh.retype(c.type)
        clusters[key] = fresh


def _link_name_variants(clusters: dict[Key, _Cluster], keys: list[Key], alias: dict[Key, Key]) -> None:
    """Join the spellings of one person's full name within an interview.

    Transcripts misspell names ("Ashley Alvardo" for Ashley Alvarado, "Clélia
    Chateau" for Chateaux), add a possessive ("Alain Bertauds"), drop a
    middle name ("Pau Garcia" for Pau Aleikum Garcia) or shorten the first
    ("Dan Shiffman" for Daniel Shiffman).  Two full names of
    people in one interview with the same first name and a last name within a
    small edit distance, or whose words one contains in order, or the same last
    name and a first name that is a nickname of the other (`_given`), are one person;
    the participant (or the name said most) keeps the mentions.
    """
    from rapidfuzz import fuzz

    people = sorted((k for k in keys
                     if k not in alias and clusters[k].type == "Person" and len(clusters[k].words) >= 2),
                    key=lambda k: (not clusters[k].participant_name, -len(clusters[k].refs), k))
    for i, k in enumerate(people):
        if k in alias:
            continue
        words = clusters[k].words
        for other in people[i + 1:]:
            if other in alias or clusters[other].participant_name:
                continue
            o = clusters[other].words
            if _root(alias, other) == _root(alias, k):
                continue
            if o[0] != words[0]:
                if o[1:] == words[1:] and (_given(o[0], words[0], cut=False) or _given(words[0], o[0], cut=False)):
                    alias[other] = k  # "Dan Shiffman" is the Daniel Shiffman of the same interview
                continue
            close = len(o) == len(words) and o[:-1] == words[:-1] and min(len(o[-1]), len(words[-1])) >= 4 \
                and fuzz.ratio(o[-1], words[-1]) >= 80
            shorter, longer = (o, words) if len(o) < len(words) else (words, o)
            inside = len(shorter) < len(longer) and o[-1] == words[-1] and _in_order(shorter, longer)
            if close or inside:
                alias[other] = k


_PARTICLES = {"van", "von", "de", "du", "des", "da", "di", "del", "della", "der", "den", "le", "la", "ten", "ter"}
"""The particles a surname may open with when said without the given name ("Van Gogh", "de Gaulle")."""
_JOINS = {"et", "and", "&"}
_OF = {"de", "des", "du", "of"}
_ARTICLES = {"la", "le", "les", "l'", "the"}


def _part_of_name(short: list[str], long: list[str]) -> bool:
    """Whether ``short`` is ``long`` cut before a joining word ("X de Y" of "X de Y et Z"), its last remit
    after one ("Z" of "X de Y et des Z"), or ``long`` less a last word that qualifies it ("Arts Council")."""
    n = len(short)
    if n >= 2 and len(long) == n + 1 and long[:n] == short and long[n] not in _CONNECT:
        return True  # with one more word that qualifies it: "Arts Council" of "Arts Council England"
    if n >= 2 and len(long) > n + 1 and long[:n] == short and long[n] in _OF and short[-1] in _org_heads():
        return True  # cut before its complement: "Herschel Museum" of "Herschel Museum of Astronomy"
    if len(long) <= n + 1:
        return False
    if long[:n] == short and long[n] in _JOINS:
        return True
    return long[-n:] == short and long[-n - 1] in _OF and any(w in _JOINS for w in long[:-n - 1])


def _clipped(short: list[str], long: list[str]) -> bool:
    """Whether ``short`` is ``long`` said with a word clipped ("doc" for "documentaire", "expo" for "exposition") and
    maybe others left out, its first word kept: "Mois du doc" of "Mois du film documentaire".  A clipped word is
    required: without one, two names that share words ("Nuit des musées", "Nuit de la lecture") are no evidence."""
    if len(long) <= len(short) or short[0] != long[0]:
        return False
    clipped, k = False, 1
    for w in short[1:]:
        while k < len(long) and not (long[k] == w or len(w) >= 3 and long[k].startswith(w)):
            k += 1
        if k == len(long):
            return False
        clipped = clipped or long[k] != w
        k += 1
    return clipped


def _product_word(form: str) -> bool:
    """A word shaped as a product's name, a capital inside or a digit ("NexStar", "EOS", "Pro3"): not an ordinary
    word that a longer name happens to hold ("Studio", "Live")."""
    return form[1:] != form[1:].lower() or any(ch.isdigit() for ch in form)


def _model_of(brand: str, words: list[str]) -> bool:
    """Whether ``words`` name a model of the ``brand`` they start with, by its number ("Celestron NexStar 8SE",
    "Canon EOS 600D"): the brand said alone is its maker ("Celestron's gone up a lot"), not the model cut short,
    unless it is said as a thing someone has (`_owned`)."""
    return words[0] == brand and any(ch.isdigit() for w in words[1:] for ch in w)


_OWNING = {"my", "your", "his", "her", "our", "their", "a", "an", "mon", "ma", "ton", "ta", "son", "sa", "notre",
           "votre", "leur", "un", "une"}
"""Words before a brand that make it one of its products: "their Garmin", "mon Canon"."""


def _owned(c: _Cluster, iv: Interview) -> bool:
    """Whether a name is said in ``iv`` as a thing someone has ("load it on their Garmin"): the model, not the maker."""
    for ref in c.refs:
        if ref.interview == iv.id:
            before = iv.text[max(0, ref.mention.start - 12):ref.mention.start].split()
            if before and before[-1].lower() in _OWNING:
                return True
    return False


def _short_for(short: str, compound: str) -> bool:
    """Whether the place ``short`` ("Clermont", "Aix") is said for the ``compound`` named in the same interview
    ("Clermont-Ferrand", "Aix-en-Provence"): people shorten a town's name to its first part, but not a city's
    ("Paris" said beside "Paris-Saclay" is still Paris), so the whole must be the larger place, or a village
    the gazetteer does not know said short for a name no larger town bears ("Vernet" for Vernet-la-Combe,
    "Saint-Loup" for Saint-Loup-Lamairé; not "Montreuil" beside Montreuil-Bellay)."""
    from .extract.lexicon import place_population  # the gazetteer loads only for an interview that needs it

    small, whole = place_population(short), place_population(compound)
    return small < whole or (whole == 0 and small < _SMALL_TOWN)


_SMALL_TOWN = 50_000
"""Below this population a town's name said short beside a compound the gazetteer does not know is that compound."""


def _in_order(short: list[str], long: list[str]) -> bool:
    """Whether the words of ``short`` appear in ``long`` in the same order."""
    it = iter(long)
    return all(w in it for w in short)


def _link_misspellings(clusters: dict[Key, _Cluster], keys: list[Key], alias: dict[Key, Key],
                       vocabulary: Vocabulary) -> None:
    """Join a transcription slip to a vocabulary name said in the same interview.

    "Robot Font" next to "RoboFont", "Weka Nator" next to "Wekinator": an
    unknown name within a small edit distance of a known one met in the
    same interview is taken as a mis-hearing of it.
    """
    from rapidfuzz import fuzz

    known = [k for k in keys if clusters[k].vocab_id and clusters[k].type != "Concept"]
    labels: list[tuple[Key, str]] | None = None
    for k in keys:
        c = clusters[k]
        if k in alias or k.kind != "name" or c.type in ("Person", "Place", "Concept"):
            continue
        key = squash(c.form)
        if len(key) < 6:
            continue
        if labels is None:  # the known names' squashed labels, once per interview
            labels = [(v, sq) for v in known for label in vocabulary.labels_of(clusters[v].vocab_id)
                      if len(sq := squash(label)) >= 6]
        close = {v for v, sq in labels if fuzz.ratio(key, sq) >= 88}
        if len(close) == 1:
            target = close.pop()
            alias[k] = target
            c.retype(clusters[target].type)


SLIP_RATIO = 80
"""How alike two names of one interview must be (rapidfuzz's ratio of their squashed forms) to be one name
misheard or misspelt: one letter in six ("Noésia", "Noesya"), a word boundary ("Tidal Lift", "Tidelift")."""
_SLIP_TYPES = frozenset({"Organisation", "Tool", "Work"})


def _link_slips(clusters: dict[Key, _Cluster], keys: list[Key], alias: dict[Key, Key]) -> None:
    """Join two spellings of one organisation, tool or work said in the same interview.

    Transcribers and speech recognition spell an unfamiliar name two ways in
    one interview ("Noésia" and "Noesya", "Stable Division" for Stable
    Diffusion). Two such names that start alike, are close in letters, and
    of which neither extends the other ("Whisper" and "whisper.cpp",
    "Processing" and "Processing.js" are two things) are one; the name said
    most (a vocabulary entry first) keeps the mentions. People and places are
    left alone: "Lens" and "Sens", "Python 2" and "Python 3" differ by as little.
    """
    from rapidfuzz import fuzz

    names = []
    for k in keys:
        c = clusters[k]
        if k in alias or k.kind not in ("name", "vocab") or c.type not in _SLIP_TYPES:
            continue
        sq = squash(c.form)
        if len(sq) >= 6 and not any(ch.isdigit() for ch in sq):
            names.append((k, sq))
    if len(names) < 2:
        return
    names.sort(key=lambda n: (n[0].kind != "vocab", -len(clusters[n[0]].refs), n[0]))
    stronger: dict[str, list[tuple[Key, str]]] = defaultdict(list)  # by first letter: names are compared within
    for k, sq in names:
        earlier = stronger[sq[0]]
        if k.kind != "vocab" and k not in alias:
            words = clusters[k].words
            close = [o for o, osq in earlier
                     if abs(len(osq) - len(sq)) <= 3 and not osq.startswith(sq) and not sq.startswith(osq)
                     and o not in alias
                     and (len(words) == 1 or len(clusters[o].words) == 1 or clusters[o].words[0] == words[0])
                     and fuzz.ratio(osq, sq) >= SLIP_RATIO]
            if len(close) == 1:
                alias[k] = close[0]
                clusters[k].retype(clusters[close[0]].type)
        earlier.append((k, sq))


def _label(c: _Cluster, vocabulary: Vocabulary | None, language: str) -> tuple[str, tuple[str, ...]]:
    said = _one_line(c.forms)
    forms = [f for f, _ in sorted(said.items(), key=lambda x: (-x[1], x[0]))]
    if c.type == "Person":
        pref = max(forms, key=lambda f: (len(f.split()), not f.isupper(), said[f], len(f), f))
    elif c.vocab_id and vocabulary is not None and c.vocab_id in vocabulary.entries:
        pref = vocabulary.entries[c.vocab_id].label_for(language)
    else:
        # prefer the form written most like a name: capitals, then frequency
        pref = max(forms, key=lambda f: (sum(ch.isupper() for ch in f) > 0, said[f], len(f), f))
        if c.type == "Place":  # a town said as "Clermont" is labelled by its whole name, "Clermont-Ferrand"
            pref = next((f for f in forms if "-" in f and f.split("-")[0] == pref), pref)
    alts = tuple(sorted({f for f in forms if f != pref}))
    return pref, alts


def _one_line(forms: Counter[str]) -> Counter[str]:
    """The surface forms with their white space as one space: a name said across a line break ("Daniel" at the
    end of one line, "Shiffman" opening the next) is labelled as written on one line; its mentions keep the
    file's characters."""
    if not any(_SPACED.search(f) for f in forms):
        return forms
    out: Counter[str] = Counter()
    for f, n in forms.items():
        out[" ".join(f.split())] += n
    return out


_SPACED = re.compile(r"\s\s|[^\S ]")
"""White space other than single spaces."""


def safe_slug(name: str) -> str:
    """ASCII slug of ``name``, with a short hash of its key when the slug drops symbols.

    Names that differ only in case, accents, spaces or punctuation that `squash`
    ignores share a slug (they are one entity); names that slugify would merge
    although they differ in other characters ("C", "C++", "C#") get a suffix
    computed from the name alone, so the IRI never depends on the rest of the corpus.

    >>> safe_slug("Élodie Dupré"), safe_slug("C")
    ('elodie-dupre', 'c')
    >>> safe_slug("C++") != safe_slug("C#") != "c"
    True
    """
    key = squash(name)
    slug = id_slug(name)
    if slug and all(ch.isalnum() for ch in key):
        return slug
    return f"{slug or 'x'}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:6]}"


def _to_entity(c: _Cluster, vocabulary: Vocabulary | None, language: str, top: float | None) -> Entity:
    """The entity of a merged cluster, ``top`` its mentions' highest score (None without mentions)."""
    type_ = c.type
    pref, alts = _label(c, vocabulary, language)
    if c.vocab_id:
        slug = c.vocab_id.split("-", 1)[-1]
    elif c.key.kind == "concept":
        slug = id_slug(c.key.name)
    else:
        slug = safe_slug(pref)
    confidence = 1.0 if c.participant_name else min(0.99, (0.5 if top is None else top) + 0.02 * (len(c.refs) - 1))
    same_as: tuple[str, ...] = ()
    if c.vocab_id and vocabulary is not None and c.vocab_id in vocabulary.entries:
        same_as = vocabulary.entries[c.vocab_id].same_as
    refs = tuple(c.refs) if c.in_order else tuple(sorted(c.refs, key=_PLACE))
    return Entity(
        id=f"{TYPE_PREFIX[type_]}/{slug}",
        type=type_,
        label=pref,
        alt_labels=alts,
        mentions=refs,
        confidence=round(confidence, 3),
        same_as=same_as,
        speaker_of=tuple(sorted(c.speaker_of)),
    )


def _union(a: Entity, b: Entity) -> Entity:
    alts = tuple(sorted((set(a.alt_labels) | set(b.alt_labels) | {b.label}) - {a.label}))
    refs = tuple(sorted(set(a.mentions) | set(b.mentions), key=_PLACE))
    return Entity(a.id, a.type, a.label, alts, refs, max(a.confidence, b.confidence), a.same_as or b.same_as,
                  tuple(sorted(set(a.speaker_of) | set(b.speaker_of))))
