"""Forms of the relatives' page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wayhome.comms.models import Channel


class StartForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference of your request"),
        max_length=40,
        help_text=_("It is on the letter or message you received from us, e.g. AAA-2019-00012."),
    )
    channel = forms.ChoiceField(
        label=_("Send me a code by"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        initial=Channel.SMS,
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class SendForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=4000
    )
    photo = forms.ImageField(required=False)
