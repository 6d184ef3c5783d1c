"""The web dashboard reads counts kept per agency and recounts them in the background
once they are older than DASHBOARD_MAX_AGE (counting a million persons takes seconds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from wayhome.accounts.models import User
from wayhome.figures.models import DashboardSnapshot
from wayhome.jobs import runner
from wayhome.web import selectors
from wayhome.web.selectors import current_counts, dashboard_for


@pytest.fixture
def kept(settings: Any) -> Any:
    settings.DASHBOARD_MAX_AGE = 120
    settings.JOBS_INLINE = True
    return settings


def _age(agency_id: int, seconds: int) -> None:
    DashboardSnapshot.objects.filter(agency_id=agency_id).update(
        computed_at=timezone.now() - dt.timedelta(seconds=seconds)
    )


def test_the_first_view_counts_and_keeps_the_counts(
    kept: Any, caseworker: User, client_for: Callable[[User], Client]
) -> None:
    factories.person(caseworker)
    response = client_for(caseworker).get(reverse("web:dashboard"))
    assert response.context["d"].total == 1
    snap = DashboardSnapshot.objects.get(agency_id=caseworker.agency_key)
    assert sum(snap.counts["by_status"].values()) == 1
    assert "Counted at" in response.content.decode()


def test_fresh_counts_are_shown_as_they_were_kept(kept: Any, caseworker: User) -> None:
    factories.person(caseworker)
    assert dashboard_for(caseworker).total == 1
    factories.person(caseworker, given="Second")
    # Within the age: the kept counts, and nobody asked for a recount.
    assert dashboard_for(caseworker).total == 1
    snap = DashboardSnapshot.objects.get(agency_id=caseworker.agency_key)
    assert snap.refreshing_since is None


def test_stale_counts_are_shown_once_more_while_one_recount_is_asked_for(
    kept: Any,
    caseworker: User,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    factories.person(caseworker)
    dashboard_for(caseworker)
    factories.person(caseworker, given="Second")
    _age(caseworker.agency_key, 600)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[attr-defined]
        assert dashboard_for(caseworker).total == 1  # the last counts, at once
        assert dashboard_for(caseworker).total == 1  # a second reader claims nothing
    assert len(callbacks) == 1
    callbacks[0]()  # the recount (JOBS_INLINE: in this thread)
    snap = DashboardSnapshot.objects.get(agency_id=caseworker.agency_key)
    assert snap.refreshing_since is None
    assert dashboard_for(caseworker).total == 2


def test_a_recount_claimed_long_ago_that_never_finished_is_asked_for_again(
    kept: Any,
    caseworker: User,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    dashboard_for(caseworker)
    _age(caseworker.agency_key, 600)
    DashboardSnapshot.objects.filter(agency_id=caseworker.agency_key).update(
        refreshing_since=timezone.now() - dt.timedelta(seconds=600)
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[attr-defined]
        current_counts(caseworker.agency_key)
    assert len(callbacks) == 1


def test_a_failed_background_recount_keeps_the_last_counts(
    kept: Any, caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.person(caseworker)
    before = dashboard_for(caseworker)

    def broken(agency_id: int, top: int = 15) -> dict[str, object]:
        raise RuntimeError("database went away")

    monkeypatch.setattr(selectors, "agency_counts", broken)
    monkeypatch.setattr("wayhome.jobs.runner.connection.close", lambda: None)
    runner._upkeep(selectors.snapshot_refresh, (caseworker.agency_key,))
    monkeypatch.undo()
    assert dashboard_for(caseworker).total == before.total


def test_counts_are_kept_per_agency_and_suppressed_per_reader(
    kept: Any, caseworker: User, analyst: User, other_agency_user: User
) -> None:
    factories.person(caseworker)
    factories.person(other_agency_user, given="Other")
    factories.person(other_agency_user, given="Third")
    assert dashboard_for(caseworker).total == 1
    assert dashboard_for(analyst).total == "<5"  # the same kept counts, shown for the role
    assert dashboard_for(other_agency_user).total == 2
    assert DashboardSnapshot.objects.count() == 2


def test_with_no_age_every_view_counts_and_nothing_is_kept(settings: Any, caseworker: User) -> None:
    settings.DASHBOARD_MAX_AGE = 0
    factories.person(caseworker)
    assert dashboard_for(caseworker).total == 1
    factories.person(caseworker, given="Second")
    assert dashboard_for(caseworker).total == 2
    assert not DashboardSnapshot.objects.exists()
    assert dashboard_for(caseworker).counted_at is None


def test_while_someone_counts_for_the_first_time_others_see_being_counted(
    kept: Any, caseworker: User, client_for: Callable[[User], Client]
) -> None:
    factories.person(caseworker)
    now = timezone.now()
    DashboardSnapshot.objects.create(
        agency_id=caseworker.agency_key, counts={}, computed_at=now, refreshing_since=now
    )
    response = client_for(caseworker).get(reverse("web:dashboard"))
    assert response.status_code == 200
    d = response.context["d"]
    assert d.counting
    assert d.total == 0
    assert "being counted for the first time" in response.content.decode()
