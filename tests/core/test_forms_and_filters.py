import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from wayhome.core.forms import apply_service_errors, error_text
from wayhome.core.fuzzydate import FuzzyDate, FuzzyDateError
from wayhome.core.templatetags.wayhome import fuzzydate


class _Form(forms.Form):
    given = forms.CharField(required=False)


def test_service_errors_land_on_their_field_or_above_the_form() -> None:
    form = _Form(data={})
    assert form.is_valid()
    apply_service_errors(
        form, ValidationError({"first_name": "too short", "other": "bad"}), {"first_name": "given"}
    )
    assert form.errors == {"given": ["too short"], "__all__": ["bad"]}
    plain = _Form(data={})
    plain.is_valid()
    apply_service_errors(plain, ValidationError("nope"))
    assert plain.non_field_errors() == ["nope"]


def test_fuzzy_date_error_keeps_its_placeholders_for_translation() -> None:
    with pytest.raises(FuzzyDateError) as caught:
        FuzzyDate.parse("2030").check_not_future(dt.date(2026, 1, 1), "The birth date")
    assert caught.value.template == "%(what)s is in the future."
    assert error_text(caught.value) == "The birth date is in the future."


def test_fuzzydate_filter_says_ages_in_words() -> None:
    about = FuzzyDate.about_age(4, dt.date(2019, 1, 15))
    assert fuzzydate(about) == "about 4 years old on 2019-01-15"
    assert fuzzydate(FuzzyDate.parse("2015-03")) == "2015-03"
    with translation.override("en"):
        assert fuzzydate(FuzzyDate()) == ""
