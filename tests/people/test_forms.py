"""The birth-date input: any precision in, a FuzzyDate or a clear error out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.people.forms import NameForm, PersonFactsForm, PersonFilterForm


def facts(**birth: Any) -> PersonFactsForm:
    return PersonFactsForm({"sex": "F", **birth})


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"birth_precision": "unknown", "birth_year": "2010"}, FuzzyDate()),
        (
            {
                "birth_precision": "exact",
                "birth_year": "2015",
                "birth_month": "3",
                "birth_day": "12",
            },
            FuzzyDate(Precision.EXACT, 2015, 3, 12),
        ),
        (
            {
                "birth_precision": "month",
                "birth_year": "2015",
                "birth_month": "3",
                "birth_day": "9",
            },
            FuzzyDate(Precision.MONTH, 2015, 3),
        ),
        ({"birth_precision": "year", "birth_year": "2015"}, FuzzyDate(Precision.YEAR, 2015)),
        (
            {
                "birth_precision": "age",
                "birth_age_years": "4",
                "birth_age_as_of": "2019-04-01",
                "birth_year": "1999",
            },
            FuzzyDate.about_age(4, dt.date(2019, 4, 1)),
        ),
    ],
    ids=["unknown ignores leftovers", "exact", "month ignores the day", "year", "age"],
)
def test_birth_at_every_precision(data: dict[str, str], expected: FuzzyDate) -> None:
    form = facts(**data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["birth"] == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"birth_precision": "exact", "birth_year": "2015", "birth_month": "2"}, "needs a year"),
        (
            {
                "birth_precision": "exact",
                "birth_year": "2015",
                "birth_month": "2",
                "birth_day": "30",
            },
            "does not exist",
        ),
        (
            {"birth_precision": "month", "birth_year": "2015", "birth_month": "13"},
            "between 1 and 12",
        ),
        ({"birth_precision": "year"}, "A year is needed"),
        ({"birth_precision": "age", "birth_age_years": "4"}, "needs the number of years"),
    ],
)
def test_birth_errors_are_shown_on_the_precision_field(data: dict[str, str], message: str) -> None:
    form = facts(**data)
    assert not form.is_valid()
    assert message in str(form.errors["birth_precision"])


def test_name_form_needs_one_part() -> None:
    assert not NameForm({"kind": "legal"}).is_valid()
    form = NameForm({"kind": "kunya", "full": "Umm Adam"})
    assert form.is_valid()
    assert form.name_data().full == "Umm Adam"


def test_filter_form_refuses_an_upside_down_age_range_but_keeps_the_other_filters() -> None:
    form = PersonFilterForm({"q": "ами", "min_age": "9", "max_age": "3", "sex": "F"})
    assert not form.is_valid()
    f = form.filters()
    assert (f.q, f.sex, f.min_age, f.max_age) == ("ами", "F", 9, None)
