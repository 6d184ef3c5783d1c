"""Forms of the review pages; the services do the checking that needs the database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

SIDES = [("left", _("the left record")), ("right", _("the right record"))]
REASON_MAX = 500

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def _reason(
    required: bool, message: str | _StrPromise = "", label: str | _StrPromise = ""
) -> forms.CharField:
    return forms.CharField(
        label=label or _("Reason"),
        max_length=REASON_MAX,
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": message} if message else None,
    )


class ConfirmForm(forms.Form):
    prefix = "confirm"
    keep = forms.ChoiceField(label=_("Keep"), choices=SIDES)
    reason = _reason(required=False, label=_("Why they are the same person (optional)"))


class RejectForm(forms.Form):
    prefix = "reject"
    reason = _reason(
        required=True,
        message=_("Say why these are not the same person."),
        label=_("Why they are not the same person"),
    )


class FamilyForm(forms.Form):
    prefix = "family"
    keep = forms.ChoiceField(label=_("Keep, for the mother"), choices=SIDES)
    children = forms.MultipleChoiceField(
        label=_("Children confirmed with her"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one pair of children.")},
    )
    reason = _reason(required=False)

    def __init__(self, *args: object, offered: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["children"].choices = offered  # type: ignore[attr-defined]


class UndoForm(forms.Form):
    reason = _reason(required=True, message=_("Say why the merge is undone."))


class ProposeForm(forms.Form):
    other = forms.UUIDField(
        label=_("Other person"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Search for the other person and choose one.")},
    )
    reason = _reason(required=False)
