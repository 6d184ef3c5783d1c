"""Forms of the need-to-know pages: teams, their members, assigning a record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wayhome.accounts.models import Team, User


def _colleagues(user: User) -> QuerySet[User]:
    return User.objects.filter(agency_id=user.agency_key, is_active=True).order_by("username")


def _teams(user: User) -> QuerySet[Team]:
    return Team.objects.filter(agency_id=user.agency_key).order_by("name")


def _colleague_label(user: User) -> str:
    return f"{user.get_username()} ({user.get_role_display()})"


class ColleagueChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return _colleague_label(obj)


class ColleaguesField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return _colleague_label(obj)


class NeedToKnowForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("Need-to-know by team"),
        required=False,
        help_text=_(
            "Caseworkers, legal and consular officers then see only their teams' records, "
            "those assigned to them and those not yet given to a team."
        ),
    )


class TeamForm(forms.Form):
    name = forms.CharField(label=_("New team"), max_length=200)


class MembersForm(forms.Form):
    members = ColleaguesField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = _colleagues(user)


class AssignForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("No team: visible agency-wide"),
    )
    assigned_to = ColleagueChoiceField(
        label=_("Assigned to"), queryset=User.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        to = self.fields["assigned_to"]
        assert isinstance(team, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(to, forms.ModelChoiceField)  # noqa: S101
        team.queryset = _teams(user)
        to.queryset = _colleagues(user)
