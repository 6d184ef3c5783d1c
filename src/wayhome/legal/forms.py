"""Forms of the legal pages; the services validate again and have the last word."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wayhome.accounts.models import User
from wayhome.legal.models import Appeal, LegalCase
from wayhome.people.models import Person
from wayhome.places.models import Country
from wayhome.tracing.forms import person_pick_field
from wayhome.tracing.selectors import reports_visible_to

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SourceMixin(forms.Form):
    """A ``source`` field offering the reports about the case's person only."""

    def add_source(self, user: User, person: Person | None) -> None:
        reports = reports_visible_to(user)
        reports = reports.filter(persons=person) if person is not None else reports.none()
        self.fields["source"] = forms.ModelChoiceField(
            queryset=reports.order_by("-received_on"),
            to_field_name="uuid",
            required=False,
            label=_("Source"),
            help_text=_("The information report this rests on, when there is one."),
        )


class LegalCaseForm(SourceMixin):
    jurisdiction = forms.ChoiceField(
        label=_("Jurisdiction"), choices=LegalCase.Jurisdiction.choices
    )
    country = forms.ModelChoiceField(
        queryset=Country.objects.all(), to_field_name="iso2", label=_("Country")
    )
    court = forms.CharField(label=_("Court"), max_length=200, required=False)
    case_number = forms.CharField(label=_("Court case number"), max_length=100, required=False)
    charges = forms.CharField(label=_("Charges"), widget=forms.Textarea, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in LegalCase.Status.choices if c[0] != LegalCase.Status.SENTENCED],
    )
    lawyer = forms.CharField(label=_("Lawyer"), max_length=200, required=False)
    lawyer_fee = forms.DecimalField(
        label=_("Lawyer's fee"), max_digits=12, decimal_places=2, required=False, min_value=0
    )
    lawyer_fee_currency = forms.CharField(label=_("Currency"), max_length=3, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    def __init__(
        self, *args: Any, user: User, person: Person | None, with_person: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if with_person:
            self.fields["person"] = person_pick_field(user, _("Person"), required=True)
        self.add_source(user, person)

    def clean_person(self) -> Any:
        persons = self.cleaned_data["person"]
        if len(persons) != 1:
            raise forms.ValidationError(_("Choose exactly one person."))
        return persons[0]


class VerdictForm(SourceMixin):
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=[c for c in LegalCase.Verdict.choices if c[0]]
    )
    verdict_on = forms.DateField(label=_("Verdict on"), widget=DATE)
    sentence_kind = forms.ChoiceField(
        label=_("Sentence"), choices=LegalCase.SentenceKind.choices, required=False
    )
    sentence_years = forms.DecimalField(
        label=_("Years"), max_digits=4, decimal_places=1, required=False, min_value=0
    )
    sentence_deferred_until = forms.DateField(
        label=_("Sentence deferred until"),
        widget=DATE,
        required=False,
        help_text=_("e.g. until the youngest child comes of age"),
    )
    sentence_deferred_reason = forms.CharField(
        label=_("Why deferred"), max_length=300, required=False
    )


class HearingForm(SourceMixin):
    date = forms.DateField(label=_("Date"), widget=DATE)
    court = forms.CharField(label=_("Court"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=300, required=False)
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea,
        required=False,
        help_text=_("Leave empty for a hearing still to come."),
    )


class OutcomeForm(SourceMixin):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea)


class AppealForm(SourceMixin):
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE)
    court = forms.CharField(label=_("Court"), max_length=200, required=False)
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea, required=False)


class AppealDecisionForm(SourceMixin):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in Appeal.Outcome.choices if c[0] != Appeal.Outcome.PENDING],
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)


class ConditionsForm(SourceMixin):
    reported_on = forms.DateField(label=_("Reported on"), widget=DATE)
    conditions = forms.CharField(label=_("Conditions reported"), widget=forms.Textarea)


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *LegalCase.Status.choices], required=False
    )
    jurisdiction = forms.ChoiceField(
        label=_("Jurisdiction"),
        choices=[("", _("Any")), *LegalCase.Jurisdiction.choices],
        required=False,
    )
