"""The keys names are compared by (`kg.text`): one table per key, and the doctests."""

from __future__ import annotations

import doctest

import pytest

import kg.text
from kg.text import fold, match_key, squash


@pytest.mark.parametrize("a, b", [
    ("Style Gan", "StyleGAN"), ("style-gan", "StyleGAN"), ("Touch-Designer", "TouchDesigner"),
    ("Élodie", "elodie"), ("p5.js", "P5 JS"), ("N'Diaye", "ndiaye"), ("Max/MSP", "max msp"),
])
def test_squash_ignores_case_accents_spaces_hyphens_dots_and_apostrophes(a: str, b: str) -> None:
    assert squash(a) == squash(b)


@pytest.mark.parametrize("a, b", [("Style Gan", "Style Go"), ("Ada", "Adam"), ("Œuvre", "Ouvre")])
def test_squash_keeps_what_differs(a: str, b: str) -> None:
    assert squash(a) != squash(b)


@pytest.mark.parametrize("text, key", [("Élodie  Dupré", "elodie dupre"), ("  Jean-Yves MAHÉ ", "jean-yves mahe"),
                                       ("Mélanie\tRaphaël", "melanie raphael")])
def test_fold_keeps_words_apart(text: str, key: str) -> None:
    assert fold(text) == key


@pytest.mark.parametrize("a, b", [
    ('Alex Cabal and the Standard Ebooks \\"saga\\"', "alex cabal and the standard ebooks saga"),
    ("DiploIA, une IA souveraine", "diploia une ia souveraine"),
])
def test_match_key_is_the_scorers(a: str, b: str) -> None:
    assert match_key(a) == match_key(b)


def test_doctests() -> None:
    assert doctest.testmod(kg.text).failed == 0
