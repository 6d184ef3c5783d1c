"""Forms for operations. They read input only; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayhome.operations.models import ManifestLine, Operation
from wayhome.operations.services import OperationData
from wayhome.places.models import Country

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OperationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Operation.Kind.choices)
    label = forms.CharField(
        label=_("Label"),
        max_length=200,
        help_text=_("e.g. 'Charter flight Baghdad–Grozny, 3rd'"),
    )
    planned_on = forms.DateField(label=_("Date"), widget=DATE)
    from_country = forms.ModelChoiceField(
        queryset=Country.objects.all(), to_field_name="uuid", label=_("Host country")
    )
    handover_point = forms.CharField(
        label=_("Handover point"),
        max_length=300,
        help_text=_("Where the host authorities hand people over, e.g. 'Baghdad airport'."),
    )
    to_country = forms.ModelChoiceField(
        queryset=Country.objects.all(), to_field_name="uuid", label=_("Home country")
    )
    arrival_point = forms.CharField(
        label=_("Arrival airport or crossing"),
        max_length=300,
        help_text=_("e.g. 'Grozny airport'"),
    )
    capacity = forms.IntegerField(
        label=_("Seats for returnees"),
        min_value=1,
        max_value=2000,
        help_text=_("Escorts are not counted here."),
    )
    escorts = forms.CharField(
        label=_("Escorts"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Who accompanies the returnees: names and roles, one a line."),
    )

    def operation_data(self) -> OperationData:
        return OperationData(**self.cleaned_data)

    @staticmethod
    def initial_for(op: Operation) -> dict[str, Any]:
        return {
            "kind": op.kind,
            "label": op.label,
            "planned_on": op.planned_on,
            "from_country": op.from_country.uuid,
            "handover_point": op.handover_point,
            "to_country": op.to_country.uuid,
            "arrival_point": op.arrival_point,
            "capacity": op.capacity,
            "escorts": op.escorts,
        }


class CaseChoiceForm(forms.Form):
    case = forms.UUIDField(label=_("Ready case"))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), max_length=500)


class ExportForm(forms.Form):
    FORMATS = [("pdf", "PDF"), ("xlsx", _("Spreadsheet (XLSX)"))]
    fmt = forms.ChoiceField(label=_("Format"), choices=FORMATS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why is the manifest leaving wayhome, and for whom?"),
        max_length=500,
        help_text=_("e.g. 'for the airline and the host ministry, flight of 12 May'"),
    )


class ArrivalForm(forms.Form):
    """One date, then for every line: arrived or not, and why not."""

    arrived_on = forms.DateField(label=_("Arrived on"), widget=DATE)

    def __init__(self, *args: Any, lines: list[ManifestLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.fields["arrived_on"].initial = timezone.localdate()
        for line in lines:
            self.fields[f"arrived_{line.uuid}"] = forms.BooleanField(
                label=_("Arrived"), required=False, initial=True
            )
            self.fields[f"reason_{line.uuid}"] = forms.CharField(
                label=_("Why not"), max_length=500, required=False
            )

    def rows(self) -> list[tuple[ManifestLine, forms.BoundField, forms.BoundField]]:
        return [
            (line, self[f"arrived_{line.uuid}"], self[f"reason_{line.uuid}"]) for line in self.lines
        ]
