"""Birth dates as lists write them."""

from __future__ import annotations

import datetime as dt

import pytest

from wayhome.core.fuzzydate import FuzzyDate, FuzzyDateError, Precision
from wayhome.lists.dates import parse_written_date

ON = dt.date(2019, 5, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.03.2015", FuzzyDate(Precision.EXACT, 2015, 3, 12)),
        ("12/03/2015", FuzzyDate(Precision.EXACT, 2015, 3, 12)),
        ("2015-03-12", FuzzyDate(Precision.EXACT, 2015, 3, 12)),
        ("03/2015", FuzzyDate(Precision.MONTH, 2015, 3)),
        ("03.2015", FuzzyDate(Precision.MONTH, 2015, 3)),
        ("2015", FuzzyDate(Precision.YEAR, 2015)),
        ("2015 г.", FuzzyDate(Precision.YEAR, 2015)),
        ("١٢/٠٣/٢٠١٥", FuzzyDate(Precision.EXACT, 2015, 3, 12)),
        ("۲۰۱۵", FuzzyDate(Precision.YEAR, 2015)),
        ("42075", FuzzyDate(Precision.EXACT, 2015, 3, 12)),  # Excel's serial for that day
        ("about 4", FuzzyDate.about_age(4, ON)),
        ("около 4 лет", FuzzyDate.about_age(4, ON)),
        ("4 года", FuzzyDate.about_age(4, ON)),
        ("حوالي ٤ سنوات", FuzzyDate.about_age(4, ON)),
        ("~7", FuzzyDate.about_age(7, ON)),
        ("4", FuzzyDate.about_age(4, ON)),
        ("", FuzzyDate()),
    ],
)
def test_reads_dates_as_people_write_them(text: str, expected: FuzzyDate) -> None:
    assert parse_written_date(text, ON) == expected


def test_an_age_column_never_reads_a_year() -> None:
    assert parse_written_date("12", ON, age_only=True) == FuzzyDate.about_age(12, ON)


@pytest.mark.parametrize("text", ["31.02.2015", "soon", "12.03.15", "13/2015", "99999", "500"])
def test_refuses_what_cannot_be_a_date(text: str) -> None:
    with pytest.raises(FuzzyDateError):
        parse_written_date(text, ON)
