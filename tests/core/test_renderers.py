"""The form renderer writes drop-down lists in Python: the HTML must be Django's, byte for byte."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import override

from wayhome.core.renderers import Renderer, render_select
from wayhome.people.forms import PersonFactsForm, PersonFilterForm
from wayhome.places.models import Country, Region

CHOICES: list[Any] = [
    ("", "Any"),
    ("a", "Alpha & <b>"),
    (3, 1234567),
    ("Group", [("g1", "First"), ("g2", mark_safe("<i>Safe</i>"))]),
    ('q"uote', "Quote"),
]


class Sample(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    flagged = forms.ChoiceField(
        choices=CHOICES,
        required=False,
        widget=forms.Select(
            attrs={"class": "x<y", "disabled": True, "hidden": False, "data-n": 5, "id": "s"}
        ),
    )


def both(form: forms.Form) -> tuple[list[str], list[str]]:
    """Every field rendered by Django's templates and by the fast renderer."""
    django, fast = DjangoTemplates(), Renderer()
    return (
        [f.as_widget() for f in form.__class__(form.data or None, renderer=django)],
        [f.as_widget() for f in form.__class__(form.data or None, renderer=fast)],
    )


@pytest.mark.parametrize(
    "data",
    [{}, {"one": "a", "many": ["g2", "3"], "flagged": 'q"uote'}, {"one": "3", "many": ["zz"]}],
)
def test_selects_are_written_as_django_writes_them(data: dict[str, Any]) -> None:
    form = Sample(data or None)
    expected, got = both(form)
    assert got == expected
    assert "<option" in got[0]


def test_the_fast_path_is_taken_for_a_select() -> None:
    widget = forms.Select(choices=[("a", "A")]).get_context("x", "a", None)["widget"]
    expected = '<select name="x">\n  <option value="a" selected>A</option>\n\n</select>'
    assert render_select(widget) == expected


def test_options_with_their_own_template_go_to_django() -> None:
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Custom(choices=[("a", "A")]).get_context("x", "a", None)["widget"]
    assert render_select(widget) is None


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_the_person_forms_are_unchanged(language: str) -> None:
    country = Country.objects.create(iso2="ZZ", name="Test & land", name_ru="Тестландия")
    Region.objects.create(country=country, name="North <1>", name_ru="Север")
    with override(language):
        for form in (PersonFilterForm({"status": "detained"}), PersonFactsForm()):
            expected, got = both(form)
            assert got == expected
