"""Aggregate figures for the dashboard: counts only, never a name, scoped to the agency."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.people.models import Person, Status
from wayhome.tracing.models import SoughtPerson, TracingRequest

# Statuses shown as columns in the breakdowns, in the order a reader expects.
BREAKDOWN_STATUSES = [
    Status.MISSING,
    Status.DETAINED,
    Status.IN_CAMP,
    Status.ON_TRIAL,
    Status.SENTENCED,
    Status.RELEASED,
    Status.REPATRIATED,
    Status.DECEASED,
]


@dataclass(frozen=True)
class Breakdown:
    label: str
    total: int
    by_status: list[int]
    # For a link to the matching persons; None for "no region recorded".
    key: str | None = None


@dataclass(frozen=True)
class Dashboard:
    total: int
    sought: int
    located: int
    by_status: dict[str, int]
    by_region: list[Breakdown]
    by_facility: list[Breakdown]


def _status_counts() -> dict[str, Count]:
    return {s.value: Count("id", filter=Q(current_status=s)) for s in BREAKDOWN_STATUSES}


def dashboard_for(user: User, top: int = 15) -> Dashboard:
    """The agency's figures; an empty dashboard for a role without statistics."""
    if not user.has_cap(Cap.STATS_VIEW):
        return Dashboard(0, 0, 0, {}, [], [])
    persons = Person.objects.filter(agency_id=user.agency_key)
    status_rows = persons.values("current_status").annotate(n=Count("id")).order_by()
    by_status = {row["current_status"]: row["n"] for row in status_rows}
    sought_links = SoughtPerson.objects.filter(request__agency_id=user.agency_key)
    sought = (
        sought_links.filter(request__status=TracingRequest.State.OPEN)
        .values("person_id")
        .distinct()
        .count()
    )
    located = (
        sought_links.filter(request__status=TracingRequest.State.LOCATED)
        .values("person_id")
        .distinct()
        .count()
    )
    regions = (
        persons.values("home_region__name", "home_region__uuid")
        .annotate(total=Count("id"), **_status_counts())
        .order_by("-total")[:top]
    )
    facilities = (
        persons.filter(current_facility__isnull=False)
        .values("current_facility__name", "current_facility__uuid")
        .annotate(total=Count("id"), **_status_counts())
        .order_by("-total")[:top]
    )
    return Dashboard(
        total=sum(by_status.values()),
        sought=sought,
        located=located,
        by_status=by_status,
        by_region=[
            Breakdown(
                r["home_region__name"] or "—",
                r["total"],
                [r[s.value] for s in BREAKDOWN_STATUSES],
                str(r["home_region__uuid"]) if r["home_region__uuid"] else None,
            )
            for r in regions
        ],
        by_facility=[
            Breakdown(
                r["current_facility__name"],
                r["total"],
                [r[s.value] for s in BREAKDOWN_STATUSES],
                str(r["current_facility__uuid"]),
            )
            for r in facilities
        ],
    )
