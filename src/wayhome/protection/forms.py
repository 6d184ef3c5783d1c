"""Forms of the data-protection pages. Rules live in the services; these only read input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayhome.accounts.models import Agency, User
from wayhome.people.models import Person
from wayhome.people.selectors import persons_visible_to
from wayhome.protection.models import (
    ConsentEvent,
    DataKind,
    LegalBasis,
    Purpose,
    RecipientKind,
    Referral,
    Scope,
)

DATE = forms.DateInput(attrs={"type": "date"})


class ProcessingForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("About"), choices=Scope.choices)
    decision = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("given", _("Given")), ("withdrawn", _("Withdrawn"))],
        coerce=lambda v: v == "given",
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(label=_("How"), choices=ConsentEvent.Method.choices)
    on = forms.DateField(label=_("When"), widget=DATE, initial=timezone.localdate)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DisclosureForm(forms.Form):
    recipient = forms.CharField(label=_("Recipient"), max_length=200)
    recipient_kind = forms.ChoiceField(label=_("Kind of recipient"), choices=RecipientKind.choices)
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    data_kinds = forms.MultipleChoiceField(
        label=_("What is shared"), choices=DataKind.choices, widget=forms.CheckboxSelectMultiple
    )
    persons = forms.ModelMultipleChoiceField(
        label=_("Persons"), queryset=Person.objects.none(), to_field_name="uuid"
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only persons the user may see can be chosen: another agency's id is invalid.
        field = self.fields["persons"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101  (narrowing)
        field.queryset = persons_visible_to(user)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for refusal"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SentForm(forms.Form):
    on = forms.DateField(label=_("Sent on"), widget=DATE, initial=timezone.localdate)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ExportForm(ReasonForm):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("html", _("Readable page")), ("json", _("JSON download"))],
        widget=forms.RadioSelect,
        initial="html",
    )


class ReferralForm(forms.Form):
    """Share a tracing request with another agency: with whom, why, which parts."""

    to_agency = forms.ModelChoiceField(label=_("Share with"), queryset=Agency.objects.none())
    reason = forms.CharField(
        label=_("Why"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    parts = forms.MultipleChoiceField(
        label=_("Which parts"),
        choices=Referral.Part.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_agency"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Agency.objects.exclude(pk=user.agency_key).order_by("name")
