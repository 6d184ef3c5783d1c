"""Forms for the people pages. They read and check input; the services do the writing.

Choices that point at reference data (countries, regions, facilities) and at persons
travel as UUIDs, never as integer ids.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from wayhome.core.forms import ReferenceChoiceField, error_text
from wayhome.core.fuzzydate import FuzzyDate, FuzzyDateError, Precision
from wayhome.core.versioning import VersionField
from wayhome.people import models as people_models
from wayhome.people.kinship import KinWord
from wayhome.people.models import (
    Citizenship,
    IdentityDocument,
    Person,
    PersonName,
    PrecisionChoice,
    Sex,
    Status,
)
from wayhome.people.selectors import PersonFilters
from wayhome.people.services import NameData
from wayhome.places.models import Country, Facility, Region

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE = forms.DateInput(attrs={"type": "date"})


def _country_field(label: StrOrPromise, required: bool = False) -> forms.ModelChoiceField[Country]:
    return ReferenceChoiceField(
        Country.objects.all(), to_field_name="uuid", required=required, label=label
    )


def _region_field() -> forms.ModelChoiceField[Region]:
    return ReferenceChoiceField(
        Region.objects.select_related("country"),
        to_field_name="uuid",
        required=False,
        label=_("Home region"),
    )


class BirthFieldsMixin(forms.Form):
    """A birth date at any precision; ``clean`` builds ``cleaned_data["birth"]``.

    Only the fields the chosen precision needs are read, so a year left over from an
    earlier choice does not make an "about 4 years old" date fail.
    """

    birth_precision = forms.ChoiceField(
        label=_("How precise is the birth date?"),
        choices=PrecisionChoice.choices,
        initial=PrecisionChoice.UNKNOWN,
    )
    birth_year = forms.IntegerField(label=_("Year"), required=False)
    birth_month = forms.IntegerField(label=_("Month"), required=False)
    birth_day = forms.IntegerField(label=_("Day"), required=False)
    birth_age_years = forms.IntegerField(label=_("Age in years"), required=False)
    birth_age_as_of = forms.DateField(
        label=_("Age given on"), required=False, widget=DATE, help_text=_("Date the age was told.")
    )

    # FuzzyDate argument ← form field, for each precision.
    BIRTH_PARTS: dict[Precision, dict[str, str]] = {
        Precision.UNKNOWN: {},
        Precision.EXACT: {"year": "birth_year", "month": "birth_month", "day": "birth_day"},
        Precision.MONTH: {"year": "birth_year", "month": "birth_month"},
        Precision.YEAR: {"year": "birth_year"},
        Precision.AGE: {"age_years": "birth_age_years", "as_of": "birth_age_as_of"},
    }
    BIRTH_FIELDS = people_models.BIRTH_PARTS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "birth_precision" not in data:
            return data
        precision = Precision(data["birth_precision"])
        parts = {arg: data.get(name) for arg, name in self.BIRTH_PARTS[precision].items()}
        try:
            data["birth"] = FuzzyDate(precision, **parts)
        except FuzzyDateError as exc:
            self.add_error("birth_precision", error_text(exc))
        return data

    def birth_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.BIRTH_FIELDS]


def birth_initial(person: Person) -> dict[str, Any]:
    return {
        "birth_precision": person.birth_precision,
        "birth_year": person.birth_year,
        "birth_month": person.birth_month,
        "birth_day": person.birth_day,
        "birth_age_years": person.birth_age_years,
        "birth_age_as_of": person.birth_age_as_of,
    }


class PersonFactsForm(BirthFieldsMixin):
    """A person's own facts: what ``person_create`` and ``person_update`` take."""

    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_place = forms.CharField(label=_("Place of birth"), max_length=200, required=False)
    birth_country = _country_field(_("Country of birth"))
    home_region = _region_field()
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)
    # The version the editor opened (editing only): a later save by someone else is
    # refused instead of silently overwritten (core.versioning).
    version = VersionField()

    FACT_FIELDS = ("sex", "birth_place", "birth_country", "home_region", "notes")

    def fact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FACT_FIELDS if name in self.fields]

    def facts(self) -> dict[str, Any]:
        """Keyword arguments for the person services."""
        return {k: self.cleaned_data[k] for k in (*self.FACT_FIELDS, "birth")}


def facts_initial(person: Person) -> dict[str, Any]:
    return {
        **birth_initial(person),
        "sex": person.sex,
        "birth_place": person.birth_place,
        "birth_country": person.birth_country.uuid if person.birth_country else None,
        "home_region": person.home_region.uuid if person.home_region else None,
        "notes": person.notes,
        "version": person.version,
    }


class NameForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PersonName.Kind.choices, initial=PersonName.Kind.LEGAL
    )
    given = forms.CharField(label=_("Given name"), max_length=100, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    family = forms.CharField(label=_("Family name"), max_length=100, required=False)
    full = forms.CharField(
        label=_("Name as written"),
        max_length=300,
        required=False,
        help_text=_("When the parts are not known, e.g. a kunya or a name from a list."),
    )
    is_primary = forms.BooleanField(label=_("Primary name"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any((data.get(k) or "").strip() for k in ("given", "patronymic", "family", "full")):
            raise forms.ValidationError(_("Enter at least one part or the name as written."))
        return data

    def name_data(self) -> NameData:
        d = self.cleaned_data
        return NameData(
            kind=d["kind"],
            given=d["given"],
            patronymic=d["patronymic"],
            family=d["family"],
            full=d["full"],
            is_primary=d["is_primary"],
        )


def name_initial(name: PersonName) -> dict[str, Any]:
    return {k: getattr(name, k) for k in ("kind", "given", "patronymic", "family", "full")} | {
        "is_primary": name.is_primary
    }


NameFormSet = formset_factory(NameForm, extra=2, min_num=1, validate_min=True, max_num=20)


class CitizenshipForm(forms.Form):
    country = _country_field(_("Country"), required=True)
    status = forms.ChoiceField(label=_("Status"), choices=Citizenship.Status.choices)
    basis = forms.CharField(
        label=_("Basis"),
        max_length=300,
        required=False,
        help_text=_("What the claim or verification rests on."),
    )


class CitizenshipEditForm(CitizenshipForm):
    """The country is what the citizenship is: to change it, remove and add."""

    country = None  # type: ignore[assignment]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IdentityDocument.Kind.choices)
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    issuing_country = _country_field(_("Issuing country"))
    status = forms.ChoiceField(
        label=_("Status"),
        choices=IdentityDocument.Status.choices,
        initial=IdentityDocument.Status.UNKNOWN,
    )
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE)
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)


def document_initial(doc: IdentityDocument) -> dict[str, Any]:
    fields = ("kind", "number", "status", "issued_on", "expires_on", "notes")
    return {k: getattr(doc, k) for k in fields} | {
        "issuing_country": doc.issuing_country.uuid if doc.issuing_country else None
    }


class PhotoForm(forms.Form):
    image = forms.ImageField(
        label=_("Photograph"), help_text=_("JPEG, PNG, GIF or WebP, 5 MB at most.")
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    taken_on = forms.DateField(label=_("Taken on"), required=False, widget=DATE)


class PersonSearchForm(forms.Form):
    """The picker's search box: a name in any script."""

    q = forms.CharField(label=_("Search the other person by name"), max_length=200, required=False)


class RelationshipForm(forms.Form):
    word = forms.ChoiceField(label=_("This person"), choices=KinWord.choices)
    other = forms.UUIDField(
        label=_("Other person"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Search for the other person and choose one.")},
    )
    is_current = forms.BooleanField(
        label=_("Current"),
        required=False,
        initial=True,
        help_text=_("Clear for a former spouse or guardian."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)


class UUIDListField(forms.Field):
    """Several UUIDs from checkboxes with one name; the view resolves them in scope."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[uuid.UUID]:
        try:
            return [uuid.UUID(str(v)) for v in value or ()]
        except ValueError as exc:
            raise forms.ValidationError(_("Choose persons from the list.")) from exc


class FamilyGroupForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=200,
        help_text=_("For example: the mother's name and “and children”."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)


class FamilyGroupCreateForm(FamilyGroupForm):
    members = UUIDListField(label=_("Members"), required=False)


class PersonFilterForm(forms.Form):
    """The person list's search and filters; every field may be left empty."""

    q = forms.CharField(
        label=_("Name"), max_length=200, required=False, widget=forms.TextInput({"type": "search"})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Status.choices], required=False
    )
    region = ReferenceChoiceField(
        Region.objects.all(),
        to_field_name="uuid",
        required=False,
        label=_("Home region"),
        empty_label=_("Any"),
    )
    facility = ReferenceChoiceField(
        Facility.objects.all(),
        to_field_name="uuid",
        required=False,
        label=_("Facility"),
        empty_label=_("Any"),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("Any")), *Sex.choices], required=False)
    min_age = forms.IntegerField(label=_("Age from"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("Age to"), min_value=0, max_value=120, required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lo, hi = data.get("min_age"), data.get("max_age")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("max_age", _("The upper age is below the lower one."))
        return data

    def filters(self) -> PersonFilters:
        d = self.cleaned_data
        return PersonFilters(
            q=d.get("q") or "",
            status=d.get("status") or "",
            home_region=d.get("region"),
            facility=d.get("facility"),
            sex=d.get("sex") or "",
            min_age=d.get("min_age"),
            max_age=d.get("max_age"),
        )
