"""Reads of teams for the need-to-know pages, scoped to the user's agency."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from wayhome.accounts.models import Team, User
from wayhome.accounts.roles import Cap


def teams_visible_to(user: User) -> QuerySet[Team]:
    """The agency's teams, for those who assign records (404 for everyone else)."""
    if not user.has_cap(Cap.RECORDS_ASSIGN):
        return Team.objects.none()
    return Team.objects.filter(agency_id=user.agency_key).order_by("name")


def team_get(user: User, key: uuid.UUID | str) -> Team:
    try:
        return teams_visible_to(user).get(uuid=key)
    except (Team.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def teams_with_members(user: User) -> list[Team]:
    return list(teams_visible_to(user).prefetch_related("members"))
