"""Forms for aftercare. They read input only; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayhome.accounts.models import User
from wayhome.aftercare.models import AftercareFile, FollowUp, Placement, SupportService
from wayhome.aftercare.services import PlacementData, ReceptionData, ServiceData, VisitData
from wayhome.core.versioning import VersionField
from wayhome.tracing.forms import person_pick_field
from wayhome.tracing.selectors import colleagues_of

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReceptionForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    reception_place = forms.CharField(
        label=_("Place of reception"),
        max_length=300,
        help_text=_("e.g. 'Makhachkala airport', 'regional children's hospital'"),
    )
    medical_check_on = forms.DateField(label=_("Medical check on"), widget=DATE, required=False)
    medical_notes = forms.CharField(
        label=_("Medical findings"),
        widget=forms.Textarea,
        required=False,
        help_text=_("Health data: kept encrypted."),
    )
    documents_issued = forms.CharField(
        label=_("Documents issued"),
        max_length=500,
        required=False,
        help_text=_("e.g. 'birth certificate, internal passport applied for'"),
    )

    def reception_data(self) -> ReceptionData:
        d = self.cleaned_data
        return ReceptionData(
            received_on=d["received_on"],
            reception_place=d["reception_place"],
            medical_check_on=d["medical_check_on"],
            medical_notes=d["medical_notes"],
            documents_issued=d["documents_issued"],
        )

    @staticmethod
    def initial_for(file: AftercareFile) -> dict[str, Any]:
        return {
            "received_on": file.received_on,
            "reception_place": file.reception_place,
            "medical_check_on": file.medical_check_on,
            "medical_notes": file.medical_notes,
            "documents_issued": file.documents_issued,
        }


class FileOpenForm(ReceptionForm):
    field_order = ["person"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = person_pick_field(user, _("Returnee"), required=True)

    def clean_person(self) -> Any:
        chosen = list(self.cleaned_data["person"])
        if len(chosen) != 1:
            raise forms.ValidationError(_("Choose exactly one person."))
        return chosen[0]


class PlacementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Placement"), choices=Placement.Kind.choices)
    start_date = forms.DateField(label=_("From"), widget=DATE)
    institution = forms.CharField(
        label=_("Institution"), max_length=300, required=False, help_text=_("Its name and town.")
    )
    guardian_name = forms.CharField(
        label=_("Guardian's name"),
        max_length=300,
        required=False,
        help_text=_("Who takes the returnee in (grandparent, relative, guardian)."),
    )
    guardian_relationship = forms.CharField(
        label=_("Guardian's relationship to the child"), max_length=100, required=False
    )
    guardian_phone = forms.CharField(label=_("Guardian's phone"), max_length=100, required=False)
    guardian_address = forms.CharField(
        label=_("Guardian's address"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    guardian_consent_on = forms.DateField(
        label=_("Guardian's written consent given on"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty while the guardian has not consented in writing."),
    )
    court_decision = forms.CharField(
        label=_("Custody or guardianship decision"), max_length=300, required=False
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    def placement_data(self) -> PlacementData:
        return PlacementData(**self.cleaned_data)


class ConsentForm(forms.Form):
    consent_on = forms.DateField(
        label=_("Written consent given on"), widget=DATE, initial=timezone.localdate
    )
    court_decision = forms.CharField(
        label=_("Custody or guardianship decision"), max_length=300, required=False
    )


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=SupportService.Kind.choices)
    provider = forms.CharField(label=_("Provider"), max_length=300)
    started_on = forms.DateField(label=_("Started on"), widget=DATE)
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    def service_data(self) -> ServiceData:
        return ServiceData(**self.cleaned_data)


class ServiceEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE, initial=timezone.localdate)


class FollowUpForm(forms.Form):
    due_on = forms.DateField(label=_("Visit due on"), widget=DATE)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = forms.ModelChoiceField(
            queryset=colleagues_of(user),
            to_field_name="uuid",
            label=_("Assigned to"),
            required=False,
        )


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE, initial=timezone.localdate)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowUp.Outcome.choices)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)
    next_due_on = forms.DateField(
        label=_("Next visit due on"),
        widget=DATE,
        required=False,
        help_text=_("Needed when the outcome is urgent."),
    )


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("Why is the file closed?"), max_length=500)


REASON_HELP = _("Kept in the history with your name; say what was wrong.")


class PlacementCorrectForm(PlacementForm):
    """The placement's fields as recorded, to correct, with the version read and why."""

    version = VersionField()
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=500, help_text=REASON_HELP)

    def placement_data(self) -> PlacementData:
        d = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "reason")}
        return PlacementData(**d)

    @staticmethod
    def initial_for(placement: Placement) -> dict[str, Any]:
        keys = list(PlacementForm.base_fields)
        return {**{k: getattr(placement, k) for k in keys}, "version": placement.version}


class VisitCorrectForm(forms.Form):
    version = VersionField()
    due_on = forms.DateField(label=_("Visit due on"), widget=DATE)
    visited_on = forms.DateField(
        label=_("Visited on"),
        widget=DATE,
        required=False,
        help_text=_("Clear it, with the outcome, if the visit did not take place."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *FollowUp.Outcome.choices], required=False
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=500, help_text=REASON_HELP)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = forms.ModelChoiceField(
            queryset=colleagues_of(user),
            to_field_name="uuid",
            label=_("Assigned to"),
            required=False,
        )

    def visit_data(self) -> VisitData:
        d = self.cleaned_data
        return VisitData(
            due_on=d["due_on"],
            assigned_to=d["assigned_to"],
            visited_on=d["visited_on"],
            outcome=d["outcome"],
            notes=d["notes"],
        )

    @staticmethod
    def initial_for(visit: FollowUp) -> dict[str, Any]:
        return {
            "version": visit.version,
            "due_on": visit.due_on,
            "assigned_to": visit.assigned_to.uuid if visit.assigned_to else None,
            "visited_on": visit.visited_on,
            "outcome": visit.outcome,
            "notes": visit.notes,
        }


class RetractForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it retracted?"),
        max_length=500,
        help_text=_(
            "It stays in the history with your name and this reason, but no longer counts."
        ),
    )
