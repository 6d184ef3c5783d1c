"""Aggregate figures for the dashboard: counts only, never a name, scoped to the agency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.figures.models import DashboardSnapshot
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
    counted_at: dt.datetime | None = None
    counting: bool = False


def _status_counts() -> dict[str, Count]:
    return {s.value: Count("id", filter=Q(current_status=s)) for s in BREAKDOWN_STATUSES}


def agency_counts(agency_id: int, top: int = 15) -> dict[str, Any]:
    """Count the agency's persons by status, home region and facility (seconds at a
    million persons: read through ``current_counts``, never per page view)."""
    # Merged records are the same person counted under the record that absorbed them.
    persons = Person.objects.filter(agency_id=agency_id, merged_into__isnull=True)
    status_rows = persons.values("current_status").annotate(n=Count("id")).order_by()
    sought_links = SoughtPerson.objects.filter(request__agency_id=agency_id)

    def distinct_sought(state: str) -> int:
        return sought_links.filter(request__status=state).values("person_id").distinct().count()

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

    def rows(items: Any, name: str, key: str) -> list[dict[str, Any]]:
        return [
            {
                "label": r[name],
                "key": str(r[key]) if r[key] else None,
                "total": r["total"],
                "by_status": [r[st.value] for st in BREAKDOWN_STATUSES],
            }
            for r in items
        ]

    return {
        "by_status": {row["current_status"]: row["n"] for row in status_rows},
        "sought": distinct_sought(TracingRequest.State.OPEN),
        "located": distinct_sought(TracingRequest.State.LOCATED),
        "by_region": rows(regions, "home_region__name", "home_region__uuid"),
        "by_facility": rows(facilities, "current_facility__name", "current_facility__uuid"),
    }


def snapshot_refresh(agency_id: int) -> DashboardSnapshot:
    """Count again and keep the result (the background refresh, and the first view)."""
    counts = agency_counts(agency_id)
    snap, _ = DashboardSnapshot.objects.update_or_create(
        agency_id=agency_id,
        defaults={"counts": counts, "computed_at": timezone.now(), "refreshing_since": None},
    )
    return snap


def _dispatch_refresh(agency_id: int) -> None:
    """Recount after this request's commit, off the request (``run_off_request``); a
    failed count leaves the old one shown and is tried again later."""
    from wayhome.jobs.runner import run_off_request

    run_off_request(snapshot_refresh, agency_id, name="dashboard-recount")


def current_counts(agency_id: int) -> DashboardSnapshot:
    """The agency's last counts; when older than ``DASHBOARD_MAX_AGE``, one reader (the
    first to claim the row) asks for a recount and everyone goes on seeing the last ones."""
    now = timezone.now()
    if settings.DASHBOARD_MAX_AGE <= 0:
        return DashboardSnapshot(
            agency_id=agency_id, counts=agency_counts(agency_id), computed_at=now
        )
    snap = DashboardSnapshot.objects.filter(agency_id=agency_id).first()
    if snap is None:
        # One reader counts the first time; the others wait on the row's key or see
        # "being counted" instead of all counting a million persons at once.
        snap, created = DashboardSnapshot.objects.get_or_create(
            agency_id=agency_id,
            defaults={"counts": {}, "computed_at": now, "refreshing_since": now},
        )
        if created:
            return snapshot_refresh(agency_id)
    max_age = dt.timedelta(seconds=settings.DASHBOARD_MAX_AGE)
    if now - snap.computed_at > max_age:
        claimed = (
            DashboardSnapshot.objects.filter(pk=snap.pk)
            .filter(Q(refreshing_since__isnull=True) | Q(refreshing_since__lt=now - max_age))
            .update(refreshing_since=now)
        )
        if claimed:
            transaction.on_commit(lambda: _dispatch_refresh(agency_id))
    return snap


def dashboard_for(user: User) -> Dashboard:
    """The agency's figures as last counted; an empty dashboard for a role without
    statistics."""
    if not user.has_cap(Cap.STATS_VIEW):
        return Dashboard(0, 0, 0, {}, [], [])
    snap = current_counts(user.agency_key)
    if not snap.counts:  # someone else is counting for the first time
        return Dashboard(0, 0, 0, {}, [], [], counted_at=None, counting=True)
    c = snap.counts
    # Aggregates-only roles (no names) get small counts suppressed; readers of persons
    # can see the persons anyway.
    f = _exact if user.has_cap(Cap.PERSON_VIEW) else suppress_small

    def breakdowns(rows: list[dict[str, Any]]) -> list[Breakdown]:
        return [
            Breakdown(r["label"] or "—", f(r["total"]), [f(n) for n in r["by_status"]], r["key"])
            for r in rows
        ]

    return Dashboard(
        total=f(sum(c["by_status"].values())),
        sought=f(c["sought"]),
        located=f(c["located"]),
        by_status={k: f(v) for k, v in c["by_status"].items()},
        by_region=breakdowns(c["by_region"]),
        by_facility=breakdowns(c["by_facility"]),
        counted_at=snap.computed_at if settings.DASHBOARD_MAX_AGE > 0 else None,
    )
