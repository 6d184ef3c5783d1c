"""The form renderer writes drop-down lists in Python: the HTML must be Django's, byte for byte."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import override

from wayhome.core.html import shown
from wayhome.core.renderers import INPUTS, LABEL, OPTION, SELECT, Renderer, render_select
from wayhome.people.forms import PersonFactsForm, PersonFilterForm
from wayhome.places.models import Country, Region

# Digests of the Django templates this renderer copies, as it copies them.
COPIED_TEMPLATES = (
    SELECT,
    OPTION,
    LABEL,
    "django/forms/widgets/input.html",
    "django/forms/widgets/attrs.html",
    "django/forms/attrs.html",
)
COPIED = [
    "54eeafbca273",
    "a50975a23bf4",
    "654aa5854bbf",
    "f7eef6d9d891",
    "f729483efe44",
    "5053e00975c2",
]
CHOICES: list[Any] = [
    ("", "Any"),
    ("a", "Alpha & <b>"),
    (3, 1234567),
    ("Group", [("g1", "First"), ("g2", mark_safe("<i>Safe</i>"))]),
    ('q"uote', "Quote"),
]


class Sample(forms.Form):
    text = forms.CharField(label="Name & <b>", required=False)
    search = forms.CharField(required=True, widget=forms.TextInput({"type": "search"}))
    number = forms.IntegerField(label="Age from", min_value=0, max_value=120, required=False)
    hidden = forms.IntegerField(required=False, widget=forms.HiddenInput)
    day = forms.DateField(required=False, widget=forms.DateInput({"type": "date"}))
    agree = forms.BooleanField(required=False, label=mark_safe("I <em>agree</em>"))
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    flagged = forms.ChoiceField(
        choices=CHOICES,
        required=False,
        widget=forms.Select(
            attrs={"class": "x<y", "disabled": True, "hidden": False, "data-n": 5, "id": "s"}
        ),
    )


def rendered(form: forms.Form) -> list[str]:
    """Every field's widget, its label with and without the tag, and the whole form."""
    out = []
    for f in form:
        out += [f.as_widget(), f.label_tag(), f.label_tag(attrs={"class": "x"}), f.legend_tag()]
        out.append(f.label_tag(contents=" padded ", label_suffix=""))
    unlabelled = form.__class__(form.data or None, renderer=form.renderer, auto_id=False)
    out += [f.label_tag() for f in unlabelled]
    return [*out, str(form)]


def both(form: forms.Form) -> tuple[list[str], list[str]]:
    """Everything rendered by Django's templates and by the fast renderer."""
    django, fast = DjangoTemplates(), Renderer()
    return (
        rendered(form.__class__(form.data or None, renderer=django)),
        rendered(form.__class__(form.data or None, renderer=fast)),
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"one": "a", "many": ["g2", "3"], "flagged": 'q"uote', "text": '<x> & "y"'},
        {"one": "3", "many": ["zz"], "number": "7", "hidden": "2", "agree": "on", "day": "x"},
    ],
)
def test_fields_are_written_as_django_writes_them(data: dict[str, Any]) -> None:
    form = Sample(data or None)
    expected, got = both(form)
    assert got == expected
    assert any("<option" in html for html in got)


def test_the_fast_path_is_taken_for_a_select() -> None:
    widget = forms.Select(choices=[("a", "A")]).get_context("x", "a", None)["widget"]
    expected = '<select name="x">\n  <option value="a" selected>A</option>\n\n</select>'
    assert render_select(widget) == expected


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_the_inputs_written_here_are_still_djangos_plain_input(name: str) -> None:
    """A Django upgrade that gives one of these widgets its own markup fails here."""
    source = DjangoTemplates().get_template(name).template.source
    assert source.strip() == '{% include "django/forms/widgets/input.html" %}'


def test_the_templates_copied_here_are_unchanged() -> None:
    engine = DjangoTemplates()
    sources = [engine.get_template(t).template.source.strip() for t in COPIED_TEMPLATES]
    assert [hashlib.sha256(s.encode()).hexdigest()[:12] for s in sources] == COPIED


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


@pytest.mark.parametrize(
    "value",
    ["plain", "<b>&\"'", mark_safe("<i>kept</i>"), 1234567, 2.5, None, dt.date(2019, 3, 1), ""],
)
def test_shown_is_what_a_template_variable_shows(value: object) -> None:
    template = engines["django"].from_string("{{ value }}")
    for language in ("en", "ru", "ar"):
        with override(language):
            assert shown(value) == template.render({"value": value})
