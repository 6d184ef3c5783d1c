"""The review page's reading of a pair: when two birth dates are a generation apart."""

from __future__ import annotations

import datetime as dt

import pytest

from wayhome.core.fuzzydate import FuzzyDate
from wayhome.linkage.model import GENERATION_YEARS
from wayhome.review.selectors import generations_apart

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
