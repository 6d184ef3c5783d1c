from __future__ import annotations

import datetime as dt

import pytest

from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.linkage.model import (
    BIRTH_LEVELS,
    FIELDS,
    GENERATION_YEARS,
    MISSING,
    NAME_LEVELS,
    TWO_AGREE_ANOTHER_UNLIKE,
)
from wayhome.matching.scoring import (
    FIELD_LABELS,
    agreements,
    birth_of,
    default_params,
    generations_apart,
    model_from,
    probability,
    sex_of,
)


def test_every_linkage_level_has_words() -> None:
    assert [len(labels) for _, labels in FIELD_LABELS] == [len(levels) for _, levels in FIELDS]


def test_the_shipped_model_has_a_probability_for_every_level() -> None:
    params = default_params()
    for k, (_, levels) in enumerate(FIELDS):
        assert len(params["m"][k]) == len(params["u"][k]) == len(levels)
        assert all(0 < x < 1 for x in params["m"][k] + params["u"][k])
    model = model_from(params)
    assert model.weight((7, 6, 1)) > 20 > 0 > model.weight((0, 0, 0))


def test_births_at_every_precision() -> None:
    assert birth_of(FuzzyDate.exact(dt.date(2014, 5, 2))) == (2014, 5, 2)
    assert birth_of(FuzzyDate(Precision.MONTH, 2014, 5)) == (2014, 5, None)
    assert birth_of(FuzzyDate(Precision.YEAR, 2014)) == (2014, None, None)
    about = FuzzyDate(Precision.AGE, age_years=4, as_of=dt.date(2019, 3, 1))
    assert birth_of(about) == (2015, None, None)
    assert birth_of(FuzzyDate()) is None
    assert (sex_of("F"), sex_of("U"), sex_of("")) == ("F", "", "")


def test_agreements_say_each_field_and_its_weight() -> None:
    model = model_from(default_params())
    name, birth, sex = agreements(model, (7, MISSING, 0))
    assert (str(name.agreement), name.direction) == ("two name parts the same", "for")
    assert (birth.weight, birth.direction) == (None, "none")
    assert (str(sex.agreement), sex.direction) == ("different", "against")
    assert 0 < probability(model, 0.0) < probability(model, 10.0) <= 1.0


def test_a_model_stored_before_the_two_or_three_year_level_still_loads() -> None:
    params = default_params()
    old = {
        "m": [row if k != 1 else row[:1] + row[2:] for k, row in enumerate(params["m"])],
        "u": [row if k != 1 else row[:1] + row[2:] for k, row in enumerate(params["u"])],
        "prior": params["prior"],
    }
    model = model_from(old)
    assert len(model.m[1]) == len(model.u[1]) == len(BIRTH_LEVELS)
    assert model.weight((MISSING, 1, MISSING)) == model.weight((MISSING, 0, MISSING))
    assert model.weight((MISSING, 6, MISSING)) == model_from(params).weight((MISSING, 6, MISSING))


def test_a_model_stored_before_the_unlike_part_level_still_loads() -> None:
    """An agency's weights fitted with eight name levels get the ninth as no evidence."""
    params = default_params()
    old = {
        "m": [row if k else row[:-1] for k, row in enumerate(params["m"])],
        "u": [row if k else row[:-1] for k, row in enumerate(params["u"])],
        "prior": params["prior"],
    }
    model = model_from(old)
    assert len(model.m[0]) == len(model.u[0]) == len(NAME_LEVELS)
    assert model.weight((TWO_AGREE_ANOTHER_UNLIKE, MISSING, MISSING)) == 0.0
    assert model.weight((7, 6, 1)) == model_from(params).weight((7, 6, 1))
    name, _, _ = agreements(model, (TWO_AGREE_ANOTHER_UNLIKE, MISSING, MISSING))
    assert (str(name.agreement), name.direction) == (
        "two name parts agree, another unlike",
        "none",
    )


DAY = FuzzyDate.exact(dt.date(1995, 4, 2))


@pytest.mark.parametrize(
    ("other", "apart"),
    [
        (FuzzyDate.exact(dt.date(1995 - GENERATION_YEARS, 4, 2)), True),  # to the day
        (FuzzyDate.exact(dt.date(1995 - GENERATION_YEARS, 4, 3)), False),  # a day short
        (FuzzyDate.exact(dt.date(1995 + GENERATION_YEARS, 4, 2)), True),  # either order
        (FuzzyDate.parse("1962"), True),
        # A year alone reads as any day of it: 1983 may be 1983-12-31, under twelve years.
        (FuzzyDate.parse("1983"), False),
        (FuzzyDate.parse("1982"), True),
        (FuzzyDate.parse("1994"), False),
        # "About 4" in 2023 may be born 2017-2021: at least 22 years after 1995-04-02.
        (FuzzyDate.about_age(4, dt.date(2023, 6, 1)), True),
        (FuzzyDate(), False),  # unknown: nothing to tell
    ],
)
def test_generations_apart_reads_every_precision_at_its_widest(
    other: FuzzyDate, apart: bool
) -> None:
    assert generations_apart(DAY, other) is apart
    assert generations_apart(other, DAY) is apart
