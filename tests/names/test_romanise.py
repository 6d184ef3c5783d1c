"""Romanisation: every common scheme's spelling plus the learned ones meet in Latin keys."""

from __future__ import annotations

import pytest

from wayhome.names.romanise import latin_key, token_keys
from wayhome.names.similarity import compare_names
from wayhome.names.tables import romanise_cyrillic_schemes


def _keys(token: str) -> set[str]:
    return {s.key for s in token_keys(token)}


def test_cyrillic_schemes_give_their_own_spellings() -> None:
    schemes = romanise_cyrillic_schemes("щукина")
    assert schemes["bgn_pcgn"] == "shchukina"
    assert schemes["german"] == "schtschukina"
    assert schemes["french"] == "chtchoukina"


@pytest.mark.parametrize(
    ("latin", "other"),
    [
        ("Magomedov", "Магомедов"),
        ("Magomedow", "Магомедов"),
        ("Rahmonzoda", "Раҳмонзода"),
        ("Umar", "Ӏумар"),
        ("Yolkina", "Ёлкина"),
        ("Shchukina", "Щукина"),
        ("Aisha", "عائشة"),
        ("Aysha", "عائشة"),
    ],
)
def test_a_spelling_of_the_foreign_token_has_the_latin_key(latin: str, other: str) -> None:
    assert latin_key(latin.lower()) in _keys(other)


@pytest.mark.parametrize(
    ("left", "right"),
    [("Mahomedov", "Магомедов"), ("Magomedow", "Магомедов"), ("Shishani", "الشيشاني")],
)
def test_spelling_variants_score_high(left: str, right: str) -> None:
    assert compare_names(left, right).score >= 0.9


@pytest.mark.parametrize(
    ("left", "right"), [("Magomedov", "Петров"), ("Aisha", "محمد"), ("Rahmonzoda", "Ivanova")]
)
def test_different_names_score_low(left: str, right: str) -> None:
    assert compare_names(left, right).score < 0.5


def test_latin_key_forgets_what_spellers_disagree_on() -> None:
    assert latin_key("magomedow") == latin_key("magomedov")
    assert latin_key("tschetschenien") == latin_key("chechenien")
    assert latin_key("abdullah") == latin_key("abdulla")
