"""Forms of the communication log and the message templates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayhome.comms.models import CommEntry


class EntryForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    medium = forms.ChoiceField(label=_("Channel"), choices=CommEntry.Medium.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=CommEntry.Direction.choices)
    relative = forms.CharField(
        label=_("Who in the family"),
        max_length=200,
        required=False,
        help_text=_("Leave empty when it was the inquirer; e.g. 'the grandmother'."),
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(
        label=_("Attachment"), required=False, help_text=_("A PDF or an image, up to 10 MB.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"occurred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("E-mail subject"), max_length=150, required=False)
    body = forms.CharField(
        label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"})
    )
