"""Overdue aftercare visits on the figures dashboards, for every role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap, Role
from wayhome.aftercare import panels, selectors, services
from wayhome.aftercare.models import AftercareFile
from wayhome.figures.selectors import Table, default_filters

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
FILTERS = default_filters(TODAY)


def _open_file(actor: User, given: str) -> AftercareFile:
    child = factories.person(actor, given=given, family="Testova", birth=dt.date(2016, 1, 1))
    return services.file_open(
        actor=actor,
        person=child,
        reception=services.ReceptionData(
            received_on=TODAY - dt.timedelta(days=90), reception_place="Grozny airport"
        ),
    )


@pytest.fixture
def late_visits(caseworker: User) -> AftercareFile:
    """Seven overdue visits (1, 7, 8, 30, 31 and 60 days late, and one more 3 days late
    in a second file), one due today, one recorded, and one in a closed file."""
    first = _open_file(caseworker, "Saida")
    for days in (1, 7, 8, 30, 31, 60):
        services.followup_schedule(
            actor=caseworker, file=first, due_on=TODAY - dt.timedelta(days=days)
        )
    services.followup_schedule(actor=caseworker, file=first, due_on=TODAY)
    second = _open_file(caseworker, "Amina")
    services.followup_schedule(actor=caseworker, file=second, due_on=TODAY - dt.timedelta(days=3))
    done = services.followup_schedule(
        actor=caseworker, file=second, due_on=TODAY - dt.timedelta(days=5)
    )
    services.followup_record(
        actor=caseworker, visit=done, visited_on=TODAY, outcome="well", next_due_on=None
    )
    closed = _open_file(caseworker, "Fatima")
    services.followup_schedule(actor=caseworker, file=closed, due_on=TODAY - dt.timedelta(days=9))
    services.file_close(actor=caseworker, file=closed, closed_on=TODAY, reason="Moved abroad")
    return first


def _rows(table: Table | None) -> dict[str, object]:
    assert table is not None
    return {label: cells[0] for label, cells in table.rows}


def test_bands_agree_with_the_list(caseworker: User, late_visits: AftercareFile) -> None:
    bands = selectors.overdue_by_band(caseworker, TODAY)
    assert bands == {"week": 3, "month": 2, "longer": 2}
    assert sum(bands.values()) == selectors.overdue_count(caseworker, TODAY) == 7


@pytest.mark.parametrize("role", list(Role))
def test_overdue_panel_per_role(
    role: Role, users: dict[str, User], late_visits: AftercareFile
) -> None:
    user = users[role]
    table = panels.overdue_followups(user, FILTERS)
    if not user.has_cap(Cap.STATS_VIEW):
        assert table is None
        return
    rows = _rows(table)
    assert table is not None
    assert rows["All overdue visits"] == 7  # 7 is not a small count: shown to everyone
    if user.has_cap(Cap.PERSON_VIEW):
        assert rows == {
            "All overdue visits": 7,
            "1 to 7 days late": 3,
            "8 to 30 days late": 2,
            "More than 30 days late": 2,
        }
    else:
        # Aggregate-only: the total alone, so no band can be worked out by subtraction.
        assert list(rows) == ["All overdue visits"]
    expected = reverse("aftercare:overdue") if user.has_cap(Cap.AFTERCARE_VIEW) else ""
    assert table.link == expected


def test_small_counts_are_suppressed_for_aggregate_roles(
    caseworker: User, analyst: User, users: dict[str, User]
) -> None:
    file = _open_file(caseworker, "Saida")
    services.followup_schedule(actor=caseworker, file=file, due_on=TODAY - dt.timedelta(days=2))
    assert _rows(panels.overdue_followups(analyst, FILTERS)) == {"All overdue visits": "<5"}
    admin = panels.overdue_followups(users[Role.AGENCY_ADMIN], FILTERS)
    assert _rows(admin) == {"All overdue visits": "<5"}
    assert _rows(panels.overdue_followups(caseworker, FILTERS))["All overdue visits"] == 1


def test_another_agency_counts_none_of_ours(
    other_agency_user: User, late_visits: AftercareFile
) -> None:
    assert selectors.overdue_by_band(other_agency_user, TODAY) == {
        "week": 0,
        "month": 0,
        "longer": 0,
    }
    assert _rows(panels.overdue_followups(other_agency_user, FILTERS))["All overdue visits"] == 0


def test_overdue_on_both_dashboards(
    users: dict[str, User], late_visits: AftercareFile, client_for: Callable[[User], Client]
) -> None:
    for role, linked in ((Role.ANALYST, False), (Role.CASEWORKER, True)):
        client = client_for(users[role])
        for url in (reverse("figures:dashboard"), reverse("web:dashboard")):
            body = client.get(url).content.decode()
            assert "Overdue aftercare follow-up visits" in body
            assert (reverse("aftercare:overdue") in body) is linked
            assert "Saida" not in body
