import datetime as dt

import pytest

from wayhome.core.fuzzydate import FuzzyDate, FuzzyDateError, Precision


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "shown"),
    [
        ("2015-03-12", dt.date(2015, 3, 12), dt.date(2015, 3, 12), "2015-03-12"),
        ("12.03.2015", dt.date(2015, 3, 12), dt.date(2015, 3, 12), "2015-03-12"),
        ("2016-02", dt.date(2016, 2, 1), dt.date(2016, 2, 29), "2016-02"),
        ("03.2015", dt.date(2015, 3, 1), dt.date(2015, 3, 31), "2015-03"),
        ("1995", dt.date(1995, 1, 1), dt.date(1995, 12, 31), "1995"),
        ("", None, None, ""),
    ],
)
def test_parse_gives_interval(text: str, earliest: dt.date, latest: dt.date, shown: str) -> None:
    value = FuzzyDate.parse(text)
    assert (value.earliest, value.latest, str(value)) == (earliest, latest, shown)


@pytest.mark.parametrize(
    "text", ["2015-13-01", "2015-02-30", "31.02.2015", "yesterday", "12/2015/03"]
)
def test_parse_refuses_impossible_or_unreadable_dates(text: str) -> None:
    with pytest.raises(FuzzyDateError):
        FuzzyDate.parse(text)


def test_about_four_in_january_2019_spans_plausible_births() -> None:
    value = FuzzyDate.about_age(4, dt.date(2019, 1, 15))
    assert value.precision is Precision.AGE
    assert value.earliest == dt.date(2013, 1, 16)
    assert value.latest == dt.date(2016, 1, 15)
    assert str(value) == "~4 y on 2019-01-15"


def test_age_needs_its_date() -> None:
    with pytest.raises(FuzzyDateError):
        FuzzyDate(Precision.AGE, age_years=4)


def test_certainly_before_only_when_intervals_prove_it() -> None:
    mother = FuzzyDate.parse("1995")
    assert FuzzyDate.parse("1994-06").certainly_before(mother)
    assert not FuzzyDate.parse("1995-06-01").certainly_before(mother)
    assert not FuzzyDate().certainly_before(mother)


def test_future_is_refused() -> None:
    today = dt.date(2026, 1, 1)
    with pytest.raises(FuzzyDateError, match="future"):
        FuzzyDate.parse("2026-02").check_not_future(today)
    FuzzyDate.parse("2026").check_not_future(today)  # may still be today: allowed
    with pytest.raises(FuzzyDateError, match="future"):
        FuzzyDate.about_age(3, dt.date(2026, 5, 1)).check_not_future(today)


def test_29_february_age_arithmetic() -> None:
    value = FuzzyDate.about_age(1, dt.date(2020, 2, 29))
    assert value.latest == dt.date(2020, 2, 29)
    assert value.earliest == dt.date(2017, 3, 1)
