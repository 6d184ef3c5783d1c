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


# Fewer than this many people in a cell could identify them to a reader who knows the
# region or the facility: roles that see aggregates only get "<5" instead.
SMALL_COUNT = 5

Figure = int | str


def suppress_small(n: int) -> Figure:
    """A count safe to show to someone who may not see names: 1 to 4 become "<5"."""
    return f"<{SMALL_COUNT}" if 0 < n < SMALL_COUNT else n


def _exact(n: int) -> Figure:
    return n


@dataclass(frozen=True)
class Breakdown:
    label: str
    total: Figure
    by_status: list[Figure]
    # For a link to the matching persons; None for "no region recorded".
    key: str | None = None


@dataclass(frozen=True)
class Dashboard:
    total: Figure
    sought: Figure
    located: Figure
    by_status: dict[str, Figure]
    by_region: list[Breakdown]
    by_facility: list[Breakdown]


def _status_counts() -> dict[str, Count]:
    return {s.value: Count("id", filter=Q(current_status=s)) for s in BREAKDOWN_STATUSES}


def dashboard_for(user: User, top: int = 15) -> Dashboard:
    """The agency's figures; an empty dashboard for a role without statistics."""
    if not user.has_cap(Cap.STATS_VIEW):
        return Dashboard(0, 0, 0, {}, [], [])
    # Merged records are the same person counted under the record that absorbed them.
    persons = Person.objects.filter(agency_id=user.agency_key, merged_into__isnull=True)
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
    # Aggregates-only roles (no names) get small counts suppressed; readers of persons
    # can see the persons anyway.
    f = _exact if user.has_cap(Cap.PERSON_VIEW) else suppress_small
    return Dashboard(
        total=f(sum(by_status.values())),
        sought=f(sought),
        located=f(located),
        by_status={k: f(v) for k, v in by_status.items()},
        by_region=[
            Breakdown(
                r["home_region__name"] or "—",
                f(r["total"]),
                [f(r[s.value]) for s in BREAKDOWN_STATUSES],
                str(r["home_region__uuid"]) if r["home_region__uuid"] else None,
            )
            for r in regions
        ],
        by_facility=[
            Breakdown(
                r["current_facility__name"],
                f(r["total"]),
                [f(r[s.value]) for s in BREAKDOWN_STATUSES],
                str(r["current_facility__uuid"]),
            )
            for r in facilities
        ],
    )
