"""A pipeline's attribute rules applied by look-up: the same annotations as spaCy's AttributeRuler, for less.

spaCy's ``attribute_ruler`` turns the tagger's fine tags into parts of speech,
morphology and some lemmas.  It runs a ``Matcher`` over every token and then,
for each of its matches (every token matches at least its tag's rule), makes a
``Span`` and sets the attributes one by one from strings, parsing each
morphology string again.  In English that was about a tenth of the whole
pipeline's time, for a result that depends on a handful of token attributes.

``AttributeRules`` gives the same result from those attributes: a token's
tag, dependency, part of speech and space flag, and its lower-case form where a
rule names it (every other word shares one key), select the rules it matches
once per distinct key, and the attributes those rules set are folded once per
distinct set of rules.  The tokens are read and written as arrays.  Rules this
does not read (operators, other attributes, patterns it cannot key) stay with a
``Matcher`` of their own, and every token's matches are applied in the rules'
order, as the ruler applies them.  `tests/test_attribute_rules.py` checks that
the two annotate real transcripts identically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

FACTORY = "kg_attribute_rules"
_KEYED = ("TAG", "DEP", "POS", "IS_SPACE", "LOWER")
"""Token attributes a rule may test and still be looked up; LOWER last (see `AttributeRules._key`)."""
_OPERATORS = ("IN", "NOT_IN", "REGEX")

_UNNAMED = (-1, frozenset[re.Pattern[str]]())
"""The reduced lower-case form of a word no rule names or matches."""
Test = tuple[str, str, Any]
"""(attribute, operator, values): values a frozenset for IN/NOT_IN, a compiled pattern for REGEX."""


class AttributeRules:
    """An attribute ruler's patterns, applied by look-up (see the module's docstring)."""

    def __init__(self, vocab: Vocab, patterns: Iterable[dict[str, Any]]) -> None:
        from spacy.attrs import IDS
        from spacy.matcher import Matcher

        self.vocab = vocab
        self.attrs: list[dict[str, Any]] = []
        self.index: list[int] = []
        self.keyed: list[list[list[list[Test]]] | None] = []  # rule -> alternatives -> tokens -> tests
        self.matcher = Matcher(vocab)
        for n, rule in enumerate(patterns):
            keyed = self._keyed(rule["patterns"])
            if keyed is None:
                self.matcher.add(str(n), rule["patterns"])
            self.keyed.append(keyed)
            self.attrs.append(dict(rule["attrs"]))
            self.index.append(int(rule.get("index", 0)))
        tested = {test[0] for alts in self.keyed for alt in alts or () for tok in alt for test in tok}
        self.read = [a for a in _KEYED if a in tested]
        self.read_ids: list[int | str] = [IDS[a] for a in self.read]
        self.written = sorted({a for attrs in self.attrs for a in attrs})
        self.written_ids: list[int | str] = [IDS[a] for a in self.written]
        self.named: frozenset[int] = frozenset(
            v for alts in self.keyed for alt in alts or () for tok in alt for a, op, vals in tok
            if a == "LOWER" and op != "REGEX" for v in vals)
        self.patterns_re = [vals for alts in self.keyed for alt in alts or () for tok in alt for a, op, vals in tok
                            if op == "REGEX"]
        self.single = [n for n, alts in enumerate(self.keyed) if alts is not None and all(len(a) == 1 for a in alts)]
        single = set(self.single)
        self.multi = [n for n, alts in enumerate(self.keyed) if alts is not None and n not in single]
        self._lower: dict[int, tuple[int, frozenset[re.Pattern[str]]]] = {}
        self._matched: dict[tuple[Any, ...], tuple[tuple[int, ...], frozenset[tuple[int, int, int]]]] = {}
        self._overrides: dict[tuple[int, ...], list[tuple[int, int]]] = {}

    @classmethod
    def of(cls, ruler: AttributeRuler) -> AttributeRules:
        return cls(ruler.vocab, ruler.patterns)

    def _value(self, attr: str, value: Any) -> int:
        from spacy.parts_of_speech import IDS as POS_IDS

        if attr == "POS":
            return int(POS_IDS[value])
        if attr == "IS_SPACE":
            return int(bool(value))
        if attr == "MORPH":
            return int(self.vocab.morphology.add(value))
        return int(self.vocab.strings.add(value)) if value else 0  # "" is spaCy's unset value, hash 0

    def _keyed(self, patterns: list[list[dict[str, Any]]]) -> list[list[list[Test]]] | None:
        """A rule's patterns as tests on keyed attributes, or None where one needs the Matcher."""
        alternatives = []
        for pattern in patterns:
            tokens = []
            for spec in pattern:
                tests: list[Test] = []
                for attr, want in spec.items():
                    if attr not in _KEYED:
                        return None  # OP, TEXT, LEMMA, ...: the Matcher's business
                    if isinstance(want, dict):
                        if len(want) != 1 or next(iter(want)) not in _OPERATORS:
                            return None
                        op, values = next(iter(want.items()))
                        if op == "REGEX":
                            if attr != "LOWER":
                                return None
                            tests.append((attr, op, re.compile(values)))
                        else:
                            tests.append((attr, op, frozenset(self._value(attr, v) for v in values)))
                    elif isinstance(want, (str, bool)):
                        tests.append((attr, "IN", frozenset([self._value(attr, want)])))
                    else:
                        return None
                tokens.append(tests)
            if not tokens:
                return None
            alternatives.append(tokens)
        return alternatives

    def _key(self, row: list[int]) -> tuple[Any, ...]:
        """A token's keyed attributes, its lower-case form reduced to what the rules can tell of it."""
        if not self.read or self.read[-1] != "LOWER":
            return tuple(row)
        lower = row[-1]
        reduced = self._lower.get(lower)
        if reduced is None:
            text = self.vocab.strings[lower] if lower else ""
            hits = frozenset(rx for rx in self.patterns_re if rx.search(text))
            named = lower in self.named
            # most words are neither named nor matched: they share one key (and one tuple: a corpus has many words)
            reduced = self._lower[lower] = (lower, hits) if named or hits else _UNNAMED
        return (*row[:-1], *reduced)

    def _passes(self, tests: list[Test], key: tuple[Any, ...]) -> bool:
        for attr, op, values in tests:
            if attr == "LOWER":
                got, hits = key[-2], key[-1]
                if op == "REGEX":
                    ok = values in hits
                else:
                    ok = (got in values) == (op == "IN")
            else:
                ok = (key[self.read.index(attr)] in values) == (op == "IN")
            if not ok:
                return False
        return True

    def _match(self, key: tuple[Any, ...]) -> tuple[tuple[int, ...], frozenset[tuple[int, int, int]]]:
        """The one-token rules a key matches, and the (rule, alternative, position) tests of longer ones."""
        got = self._matched.get(key)
        if got is None:
            single = tuple(n for n in self.single if any(self._passes(alt[0], key) for alt in self.keyed[n] or ()))
            parts = frozenset((n, a, p) for n in self.multi for a, alt in enumerate(self.keyed[n] or ())
                              for p, tests in enumerate(alt) if self._passes(tests, key))
            got = self._matched[key] = (single, parts)
        return got

    def _override(self, rules: tuple[int, ...]) -> list[tuple[int, int]]:
        """(column, value) pairs the rules set, later rules winning, as the ruler applies its matches."""
        got = self._overrides.get(rules)
        if got is None:
            final: dict[int, int] = {}
            for n in rules:
                for attr, value in self.attrs[n].items():
                    final[self.written.index(attr)] = self._value(attr, value)
            got = self._overrides[rules] = sorted(final.items())
        return got

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc) or not self.written:
            return doc
        import numpy

        keys = [self._key(row) for row in self._columns(doc, self.read_ids)] if self.read else [()] * len(doc)
        matched = [self._match(key) for key in keys]
        extra: dict[int, set[int]] = {}
        for n, start, end in self._longer(matched):
            extra.setdefault(range(start, end)[self.index[n]], set()).add(n)
        if len(self.matcher):
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                n = int(self.vocab.strings[match_id])
                extra.setdefault(range(start, end)[self.index[n]], set()).add(n)  # IndexError as the ruler's E1001
        rows = self._columns(doc, self.written_ids)
        for i, (single, _) in enumerate(matched):
            rules = tuple(sorted({*single, *extra[i]})) if i in extra else single
            if rules:
                row = rows[i]
                for column, value in self._override(rules):
                    row[column] = value
        doc.from_array(self.written_ids, numpy.asarray(rows, dtype="uint64"))  # type: ignore[arg-type]
        return doc

    @staticmethod
    def _columns(doc: Doc, ids: list[int | str]) -> list[list[int]]:
        """The tokens' values of some attributes, a row per token (spaCy gives one attribute as a flat array)."""
        return doc.to_array(ids).reshape(len(doc), len(ids)).tolist()  # type: ignore[return-value]

    def _longer(self, matched: list[tuple[tuple[int, ...], frozenset[tuple[int, int, int]]]]) \
            -> Iterator[tuple[int, int, int]]:
        """(rule, start, end) of every match of a rule longer than one token."""
        if not self.multi:
            return
        for start, (_, parts) in enumerate(matched):
            for n, a, p in parts:
                if p != 0:
                    continue
                length = len((self.keyed[n] or [])[a])
                end = start + length
                if end <= len(matched) and all((n, a, q) in matched[start + q][1] for q in range(1, length)):
                    yield n, start, end

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def use_attribute_rules(nlp: Language) -> bool:
    """Put `AttributeRules` in place of each attribute ruler of the pipeline; False where it has none."""
    from spacy.pipeline import AttributeRuler

    _register()
    rulers = [(name, component) for name, component in nlp.pipeline if isinstance(component, AttributeRuler)]
    for name, component in rulers:
        rules = AttributeRules.of(component)
        nlp.replace_pipe(name, FACTORY)
        slot = nlp.get_pipe(name)
        assert isinstance(slot, _Slot)
        slot.take(rules)
    return bool(rulers)


class _Slot:
    """What the factory makes: empty until `use_attribute_rules` hands it the rules read from the ruler."""

    def __init__(self) -> None:
        self.rules: AttributeRules | None = None

    def take(self, rules: AttributeRules) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        return self.rules(doc) if self.rules is not None else doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        return self.rules.pipe(docs) if self.rules is not None else iter(docs)


def _slot(nlp: Language, name: str) -> _Slot:
    return _Slot()


def _register() -> None:
    """Register the factory with spaCy, once: spaCy is imported only when a pipeline is loaded."""
    from spacy.language import Language

    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, func=_slot)
