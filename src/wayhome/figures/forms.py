"""Forms of the figures pages. They read input; services write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayhome.figures.definitions import definition_choices
from wayhome.figures.models import DatePrecision, Estimate
from wayhome.figures.selectors import (
    AGE_BAND_CHOICES,
    MAX_MONTHS,
    SCOPE_AGENCY,
    SCOPE_TEAM,
    Filters,
    add_months,
    default_filters,
    month_end,
)
from wayhome.figures.services import EstimateData
from wayhome.people.models import Sex
from wayhome.places.models import Country, Region

MONTH = forms.TextInput(attrs={"type": "month", "placeholder": "2024-01"})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _month(value: str) -> dt.date:
    try:
        year, month = value.split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise ValidationError(_("Enter a month as YYYY-MM.")) from None


class FilterForm(forms.Form):
    """The dashboard's filters, in the query string so a view can be bookmarked."""

    start = forms.CharField(label=_("From month"), required=False, widget=MONTH)
    end = forms.CharField(label=_("To month"), required=False, widget=MONTH)
    host_country = forms.ModelChoiceField(
        queryset=Country.objects.filter(facilities__isnull=False).distinct(),
        to_field_name="iso2",
        required=False,
        label=_("Host country"),
        empty_label=_("All"),
    )
    home_region = forms.ModelChoiceField(
        queryset=Region.objects.select_related("country"),
        to_field_name="uuid",
        required=False,
        label=_("Home region"),
        empty_label=_("All"),
    )
    sex = forms.ChoiceField(choices=[("", _("All")), *Sex.choices], required=False, label=_("Sex"))
    age_band = forms.ChoiceField(
        choices=[("", _("All")), *AGE_BAND_CHOICES], required=False, label=_("Age")
    )
    scope = forms.ChoiceField(
        choices=[
            (SCOPE_AGENCY, _("Agency-wide")),
            (SCOPE_TEAM, _("Requests of my team")),
        ],
        required=False,
        label=_("Scope"),
    )

    def clean_start(self) -> dt.date | None:
        value = self.cleaned_data["start"]
        return _month(value) if value else None

    def clean_end(self) -> dt.date | None:
        value = self.cleaned_data["end"]
        return _month(value) if value else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise ValidationError(_("The first month is after the last."))
        if start and end and add_months(start, MAX_MONTHS) <= end:
            raise ValidationError(_("Choose at most %(n)s months.") % {"n": MAX_MONTHS})
        return data

    def filters(self, today: dt.date) -> Filters:
        """The filters chosen, or the defaults when the form is empty or invalid."""
        base = default_filters(today)
        if not self.is_valid():
            return base
        d = self.cleaned_data
        end = month_end(d["end"]) if d.get("end") else base.end
        start = d["start"] if d.get("start") else add_months(end.replace(day=1), -23)
        if not d.get("start") and not d.get("end"):
            start = base.start
        return Filters(
            start=start,
            end=end,
            host_country=d.get("host_country"),
            home_region=d.get("home_region"),
            sex=d.get("sex") or "",
            age_band=d.get("age_band") or "",
            scope=d.get("scope") or SCOPE_AGENCY,
        )


class PublicForm(forms.Form):
    as_of = forms.DateField(label=_("Figures as of"), required=False, widget=DATE)

    def clean_as_of(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data["as_of"]
        if day and day > timezone.localdate():
            raise ValidationError(_("The date is in the future."))
        return day


class EstimateForm(forms.Form):
    """A ledger entry; dates are typed at the precision they were published with."""

    figure = forms.IntegerField(label=_("Figure"), min_value=0)
    unit = forms.CharField(
        label=_("Unit"), max_length=30, initial="persons", help_text=_("persons, USD...")
    )
    what_it_counts = forms.CharField(
        label=_("What it counts"),
        max_length=300,
        help_text=_("As stated, e.g. 'Russian women held in Iraqi prisons (more than)'."),
    )
    stated_by = forms.CharField(
        label=_("Stated by"), max_length=300, help_text=_("An office or an organisation.")
    )
    published_in = forms.CharField(label=_("Published in"), max_length=300)
    source_url = forms.URLField(
        label=_("Link to the publication"), required=False, assume_scheme="https"
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    as_of = forms.CharField(
        label=_("As of"), help_text=_("2016, 2016-04 or 2016-04-30, as stated.")
    )
    published_on = forms.CharField(
        label=_("Published on"),
        required=False,
        help_text=_("2018, 2018-05 or 2018-05-30."),
    )
    definition = forms.ChoiceField(
        label=_("Registry count to compare with"), choices=definition_choices, required=False
    )

    def __init__(self, *args: Any, instance: Estimate | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs["initial"] = {
                "figure": instance.figure,
                "unit": instance.unit,
                "what_it_counts": instance.what_it_counts,
                "stated_by": instance.stated_by,
                "as_of": instance.as_of_shown,
                "published_in": instance.published_in,
                "published_on": instance.published_shown,
                "source_url": instance.source_url,
                "definition": instance.definition,
                "notes": instance.notes,
            }
        super().__init__(*args, **kwargs)
        order = ["figure", "unit", "what_it_counts", "stated_by", "as_of", "published_in"]
        self.order_fields(order)

    def _partial(self, name: str) -> tuple[dt.date | None, str]:
        from wayhome.figures.services import parse_partial_date

        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return None, DatePrecision.EXACT.value
        try:
            return parse_partial_date(value)
        except ValueError:
            raise ValidationError(
                {name: _("Enter a year, a month (2016-04) or a date (2016-04-30).")}
            ) from None

    def data_for_service(self) -> EstimateData:
        as_of, as_of_precision = self._partial("as_of")
        published_on, published_precision = self._partial("published_on")
        if as_of is None:  # a required field: the form has said so already
            raise ValidationError({"as_of": _("This field is required.")})
        d = self.cleaned_data
        return EstimateData(
            figure=d["figure"],
            unit=d["unit"],
            what_it_counts=d["what_it_counts"],
            stated_by=d["stated_by"],
            as_of=as_of,
            as_of_precision=as_of_precision,
            published_in=d["published_in"],
            published_on=published_on,
            published_precision=published_precision,
            source_url=d.get("source_url") or "",
            definition=d.get("definition") or "",
            notes=d.get("notes") or "",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                self.service_data = self.data_for_service()
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    self.add_error(field, errs)
        return data


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("Why is this entry removed?"), max_length=500)
