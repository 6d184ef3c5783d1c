"""Forms for place reference data; choices travel as uuids, never integer ids."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wayhome.places.models import Authority, Country, Facility, Region

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def _choice(
    queryset: Any, label: str | _StrPromise, required: bool = True
) -> forms.ModelChoiceField[Any]:
    return forms.ModelChoiceField(
        queryset=queryset,
        to_field_name="uuid",
        label=label,
        required=required,
        empty_label=_("Any") if not required else "---------",
    )


class FacilityFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any")), *Facility.Kind.choices], required=False
    )
    country = _choice(Country.objects.all(), _("Country"), required=False)
    authority = _choice(Authority.objects.all(), _("Controlling authority"), required=False)


class FacilityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_local = forms.CharField(label=_("Local name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Facility.Kind.choices)
    country = _choice(Country.objects.all(), _("Country"))
    region = _choice(Region.objects.select_related("country"), _("Region"), required=False)
    locality = forms.CharField(label=_("Town or city"), max_length=200, required=False)
    authority = _choice(Authority.objects.all(), _("Controlling authority"), required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    @classmethod
    def initial_for(cls, facility: Facility) -> dict[str, Any]:
        return {
            "name": facility.name,
            "name_local": facility.name_local,
            "kind": facility.kind,
            "country": facility.country,
            "region": facility.region,
            "locality": facility.locality,
            "authority": facility.authority,
            "notes": facility.notes,
        }


class RegionForm(forms.Form):
    country = _choice(Country.objects.all(), _("Country"))
    name = forms.CharField(label=_("Name"), max_length=100)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=100, required=False)


class AuthorityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Authority.Kind.choices)
    country = _choice(Country.objects.all(), _("Country"), required=False)
