"""Need-to-know inside an agency: which of its records a user may see, as one filter.

The role says what kind of record a user reads (accounts/roles.py); this says which ones.
When the agency has ``need_to_know`` switched on, a user reads the records of their teams,
those assigned to them by name, and those not yet given to any team (so nothing new is
lost before a supervisor assigns it); users with ``records.assign`` (supervisors) read the
whole agency. The filter is a plain condition on two indexed columns of the record's own
table (``team_id``, ``assigned_to_id``), never a per-row check in Python, so lists and
searches over a million persons keep their index plans.
"""

from __future__ import annotations

from django.db.models import Q

from wayhome.accounts.models import Team, User
from wayhome.accounts.roles import Cap

_TEAMS_CACHE = "_wayhome_team_ids"


def sees_whole_agency(user: User) -> bool:
    """True when no team limit applies: the agency does not use it, or the user assigns."""
    if user.has_cap(Cap.RECORDS_ASSIGN):
        return True
    agency = user.agency
    return agency is None or not agency.need_to_know


def team_ids(user: User) -> frozenset[int]:
    """The ids of the user's teams, read once per user object (one request)."""
    cached: frozenset[int] | None = getattr(user, _TEAMS_CACHE, None)
    if cached is None:
        cached = frozenset(
            Team.objects.filter(members=user, agency_id=user.agency_key).values_list(
                "pk", flat=True
            )
        )
        setattr(user, _TEAMS_CACHE, cached)
    return cached


def forget_teams(user: User) -> None:
    """Drop the cached team ids (after the user's memberships changed)."""
    if hasattr(user, _TEAMS_CACHE):
        delattr(user, _TEAMS_CACHE)


def assignment_filter(user: User, prefix: str = "") -> Q:
    """The condition on a record (``prefix`` reaches it from the queried model, e.g.
    ``"person__"``) that the user's assignments allow; empty when they see the agency."""
    if sees_whole_agency(user):
        return Q()
    teams = team_ids(user)
    allowed = Q(**{f"{prefix}team__isnull": True}) | Q(**{f"{prefix}assigned_to": user.pk})
    if teams:
        allowed |= Q(**{f"{prefix}team__in": sorted(teams)})
    return allowed


def may_see_assigned(user: User, team_id: int | None, assigned_to_id: int | None) -> bool:
    """The same rule for one record already loaded (for presenting, not for querying)."""
    if sees_whole_agency(user):
        return True
    return team_id is None or assigned_to_id == user.pk or team_id in team_ids(user)
