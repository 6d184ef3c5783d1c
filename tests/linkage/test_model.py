"""Fellegi–Sunter levels and EM: evidence points the right way without labels."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import numpy as np

from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.linkage.model import (
    FIELD_ERROR,
    MISSING,
    NAME_LEVELS,
    FellegiSunter,
    birth_bounds,
    birth_level,
    generations_apart,
    name_level,
    sex_level,
)
from wayhome.matching.scoring import generations_apart as app_generations_apart


def test_birth_levels_respect_precision() -> None:
    assert birth_level((1995, 6, 1), (1995, 6, 1)) == 6
    assert birth_level((1995, 6, 2), (1995, 6, 1)) == 5
    assert birth_level((1995, None, None), (1995, 6, 1)) == 4
    assert birth_level((1995, 7, None), (1995, 6, 1)) == 3
    assert birth_level((1994, None, None), (1995, 6, 1)) == 2
    assert birth_level(None, (1995, 6, 1)) == MISSING


def test_a_gap_of_two_or_three_years_is_its_own_level() -> None:
    assert birth_level((2014, None, None), (2017, 3, 1)) == 1
    assert birth_level((2019, None, None), (2017, 3, 1)) == 1
    assert birth_level((2013, None, None), (2017, 3, 1)) == 0
    assert birth_level((1980, 1, 1), (1995, 6, 1)) == 0


def test_a_level_never_seen_among_matches_is_rare_not_impossible() -> None:
    matches = [(7, 6, 1)] * 200 + [(7, 2, 1)] * 20
    others = [(0, 0, 0), (1, 1, 1), (3, 0, 1), (0, 2, 0)] * 500
    model = FellegiSunter().fit(matches + others)
    unseen = model.weight((7, 1, 1)) - model.weight((7, MISSING, 1))
    assert math.log2(FIELD_ERROR) - 0.1 < unseen < math.log2(FIELD_ERROR) + 0.5


def test_one_token_aligned_is_one_name_part() -> None:
    """A name of one token (a maiden name alone) agreeing is one part, never both."""
    assert NAME_LEVELS[name_level([1.0])] == "one token same"
    assert NAME_LEVELS[name_level([0.85])] == "one token close"
    assert NAME_LEVELS[name_level([1.0, 1.0])] == "both same"
    assert name_level([]) == 0


def test_two_the_same_and_another_unlike_is_a_level_of_its_own() -> None:
    """Sisters share a patronymic and a family name: the given names tell them apart."""
    assert NAME_LEVELS[name_level([1.0, 1.0, 0.62])] == "two agree, another unlike"
    assert NAME_LEVELS[name_level([1.0, 0.95, 0.9, 0.3])] == "two agree, another unlike"
    assert NAME_LEVELS[name_level([1.0, 0.85, 0.2])] == "two agree, another unlike"  # same, close
    assert NAME_LEVELS[name_level([0.85, 0.7, 0.1])] == "two agree, another unlike"
    assert NAME_LEVELS[name_level([1.0, 1.0, 0.65])] == "both same"  # similar: not unlike
    assert NAME_LEVELS[name_level([1.0, 0.6, 0.1])] == "one token same"  # one part only


def test_a_level_the_fitting_never_saw_carries_no_weight() -> None:
    """The lists the shipped weights come from hold no names of three parts."""
    matches = [(7, 6, 1)] * 200 + [(7, 2, 1)] * 20
    others = [(0, 0, 0), (1, 1, 1), (3, 0, 1), (0, 2, 0)] * 500
    model = FellegiSunter().fit(matches + others)
    assert model.weight((8, MISSING, MISSING)) == 0.0
    assert model.weight((7, MISSING, MISSING)) > 5


def test_sex_level_ignores_blanks() -> None:
    assert sex_level("F", "F") == 1
    assert sex_level("F", "M") == 0
    assert sex_level("", "M") == MISSING


def test_em_learns_that_agreement_is_evidence() -> None:
    matches = [(7, 6, 1)] * 50
    others = [(0, 0, 0), (1, 0, 1), (3, 0, 1), (0, 1, 0)] * 250
    model = FellegiSunter().fit(matches + others)
    assert model.probability((7, 6, 1)) > 0.99
    assert model.probability((0, 0, 0)) < 0.01
    assert model.weight((7, MISSING, MISSING)) > 0
    assert "name:" in model.describe()


def test_confirmed_pairs_pull_their_pattern_up() -> None:
    vectors = [(3, 3, 1)] * 10 + [(0, 0, 0)] * 500
    plain = FellegiSunter().fit(vectors).probability((3, 3, 1))
    taught = FellegiSunter().fit(vectors, confirmed=range(10)).probability((3, 3, 1))
    assert taught >= plain
    assert taught > 0.9


def test_a_level_no_pair_showed_is_no_evidence() -> None:
    matches = [(7, 6, 1)] * 200
    others = [(0, 0, 0), (1, 2, 1), (3, 0, 1)] * 500
    model = FellegiSunter().fit(matches + others)
    assert model.weight((MISSING, 5, MISSING)) == 0.0
    assert model.weight((MISSING, 6, MISSING)) > 5


# Birth rows at every precision the lists hold, around the edges of the rule: a year
# alone, a month (February of a leap year and not), a day at a month's first and last.
_READINGS = ((None, None), (1, None), (2, None), (12, None), (1, 1), (2, 29), (6, 1), (6, 2),
             (12, 31))  # fmt: skip
_BIRTHS = [
    (year, month, day)
    for year in (1988, 1990, 2000, 2002, 2003)
    for month, day in _READINGS
    if (month, day) != (2, 29) or year % 4 == 0
]


def _fuzzy(birth: tuple[int, int | None, int | None]) -> FuzzyDate:
    year, month, day = birth
    if day is not None and month is not None:
        return FuzzyDate.exact(dt.date(year, month, day))
    if month is not None:
        return FuzzyDate(Precision.MONTH, year, month)
    return FuzzyDate(Precision.YEAR, year)


def _rows(births: list[tuple[int, int | None, int | None]]) -> np.ndarray:
    return birth_bounds(
        np.array(
            [(y, MISSING if m is None else m, MISSING if d is None else d) for y, m, d in births],
            dtype=np.int64,
        )
    )


def test_generations_apart_is_the_applications_rule_on_arrays() -> None:
    pairs = list(itertools.product(_BIRTHS, repeat=2))
    got = generations_apart(_rows([a for a, _ in pairs]), _rows([b for _, b in pairs]))
    want = [app_generations_apart(_fuzzy(a), _fuzzy(b)) for a, b in pairs]
    assert got.tolist() == want
    assert 0 < sum(want) < len(want)  # the grid holds both answers


def test_a_year_alone_is_a_generation_apart_only_at_every_reading() -> None:
    rows = _rows([(1990, None, None), (1990, None, None), (1990, 12, None), (1990, None, None)])
    others = _rows([(2002, 6, 1), (2003, 1, 1), (2002, 12, None), (2002, None, None)])
    # 1990-12-31 to 2002-06-01 is eleven whole years, to 2003-01-01 twelve; December
    # 1990 to December 2002 may be the 31st to the 1st: eleven.
    assert generations_apart(rows, others).tolist() == [False, True, False, False]
    unknown = birth_bounds(np.full((2, 3), MISSING))
    known = _rows([(1900, None, None), (2030, 12, 31)])
    assert generations_apart(unknown, known).tolist() == [False, False]
    assert generations_apart(known, unknown).tolist() == [False, False]
