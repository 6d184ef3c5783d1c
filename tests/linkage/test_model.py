"""Fellegi–Sunter levels and EM: evidence points the right way without labels."""

from __future__ import annotations

from wayhome.linkage.model import MISSING, FellegiSunter, birth_level, sex_level


def test_birth_levels_respect_precision() -> None:
    assert birth_level((1995, 6, 1), (1995, 6, 1)) == 5
    assert birth_level((1995, None, None), (1995, 6, 1)) == 3
    assert birth_level((1994, None, None), (1995, 6, 1)) == 1
    assert birth_level((1980, 1, 1), (1995, 6, 1)) == 0
    assert birth_level(None, (1995, 6, 1)) == MISSING


def test_sex_level_ignores_blanks() -> None:
    assert sex_level("F", "F") == 1
    assert sex_level("F", "M") == 0
    assert sex_level("", "M") == MISSING


def test_em_learns_that_agreement_is_evidence() -> None:
    matches = [(7, 5, 1)] * 50
    others = [(0, 0, 0), (1, 0, 1), (3, 0, 1), (0, 1, 0)] * 250
    model = FellegiSunter().fit(matches + others)
    assert model.probability((7, 5, 1)) > 0.99
    assert model.probability((0, 0, 0)) < 0.01
    assert model.weight((7, MISSING, MISSING)) > 0
    assert "name:" in model.describe()


def test_confirmed_pairs_pull_their_pattern_up() -> None:
    vectors = [(3, 3, 1)] * 10 + [(0, 0, 0)] * 500
    plain = FellegiSunter().fit(vectors).probability((3, 3, 1))
    taught = FellegiSunter().fit(vectors, confirmed=range(10)).probability((3, 3, 1))
    assert taught >= plain
    assert taught > 0.9
