"""Counts over time from the whereabouts timelines, by place, with every filter."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from tests.figures.helpers import D, child, entry, woman
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.figures.selectors import (
    SCOPE_TEAM,
    Filters,
    breakdown_tables,
    series_table,
    status_series,
    status_snapshot,
    tracing_series,
)
from wayhome.people.models import Person, Status
from wayhome.tracing import services as tracing
from wayhome.tracing.models import TracingRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def timeline(caseworker: User) -> dict[str, Person]:
    """Three synthetic persons whose statuses change over the first half of 2020."""
    rasafa = factories.facility("Prison One", "prison", "IQ")
    camp = factories.facility("Camp One", "camp", "SY")
    ru = factories.country("RU", "Russia")
    a = woman(caseworker, "Alpha", home_region=factories.region("Dagestan"))
    b = woman(caseworker, "Beta", home_region=factories.region("Chechnya"))
    c = child(caseworker, "Gamma")
    entry(caseworker, a, Status.MISSING, D(2019, 11, 5))
    entry(caseworker, a, Status.DETAINED, D(2020, 2, 10), facility=rasafa)
    entry(caseworker, a, Status.SENTENCED, D(2020, 4, 1), facility=rasafa)
    entry(caseworker, b, Status.IN_CAMP, D(2020, 1, 31), facility=camp)
    entry(caseworker, b, Status.REPATRIATED, D(2020, 5, 20), country=ru)
    entry(caseworker, c, Status.IN_CAMP, D(2020, 3, 3), facility=camp)
    return {"a": a, "b": b, "c": c}


def _f(**kwargs: object) -> Filters:
    values: dict[str, object] = {"start": D(2020, 1, 1), "end": D(2020, 6, 30), **kwargs}
    return Filters(**values)  # type: ignore[arg-type]


def test_each_month_counts_the_status_in_force_at_its_end(
    caseworker: User, timeline: dict[str, Person]
) -> None:
    months, series = status_series(caseworker, _f())
    assert [m.isoformat() for m in months] == [
        "2020-01-31",
        "2020-02-29",
        "2020-03-31",
        "2020-04-30",
        "2020-05-31",
        "2020-06-30",
    ]
    # Alpha: missing since 2019 (counted from the first month), detained in February,
    # sentenced in April. Beta: in camp from 31 January, home in May. Gamma: camp, March.
    assert series["missing"] == [1, 0, 0, 0, 0, 0]
    assert series["detained"] == [0, 1, 1, 0, 0, 0]
    assert series["sentenced"] == [0, 0, 0, 1, 1, 1]
    assert series["in_camp"] == [1, 1, 2, 2, 1, 1]
    assert series["repatriated"] == [0, 0, 0, 0, 1, 1]


def test_the_last_month_agrees_with_the_current_status(
    caseworker: User, timeline: dict[str, Person]
) -> None:
    _months, series = status_series(caseworker, _f())
    last = {k: v[-1] for k, v in series.items() if v[-1]}
    current: dict[str, int] = {}
    for p in Person.objects.filter(agency_id=caseworker.agency_key):
        current[p.current_status] = current.get(p.current_status, 0) + 1
    assert last == current


def test_a_retracted_entry_no_longer_counts(caseworker: User, timeline: dict[str, Person]) -> None:
    wrong = timeline["a"].whereabouts.get(status=Status.SENTENCED)
    tracing.whereabouts_retract(actor=caseworker, entry=wrong, reason="wrong list")
    _months, series = status_series(caseworker, _f())
    assert "sentenced" not in series
    assert series["detained"] == [0, 1, 1, 1, 1, 1]


def test_same_day_entries_count_the_later_one_only(caseworker: User) -> None:
    p = woman(caseworker)
    entry(caseworker, p, Status.DETAINED, D(2020, 3, 1))
    entry(caseworker, p, Status.ON_TRIAL, D(2020, 3, 1))
    _m, series = status_series(caseworker, _f())
    assert series.get("detained", [0] * 6) == [0] * 6  # never in force at a month end
    assert series["on_trial"] == [0, 0, 1, 1, 1, 1]


def test_host_country_counts_only_the_time_spent_there(
    caseworker: User, timeline: dict[str, Person]
) -> None:
    syria = factories.country("SY", "Syria")
    _m, series = status_series(caseworker, _f(host_country=syria))
    assert series["in_camp"] == [1, 1, 2, 2, 1, 1]
    assert sum(series.get("repatriated", [0])) == 0
    assert sum(series.get("detained", [0])) == 0


def test_person_filters_sex_age_region(caseworker: User, timeline: dict[str, Person]) -> None:
    _m, children = status_series(caseworker, _f(age_band="child"))
    assert children["in_camp"] == [0, 0, 1, 1, 1, 1]
    assert "sentenced" not in children
    _m, band = status_series(caseworker, _f(age_band="5-11"))
    assert band["in_camp"][-1] == 1  # born March 2014: six in June 2020
    _m, infants = status_series(caseworker, _f(age_band="0-4"))
    assert infants == {}
    _m, men = status_series(caseworker, _f(sex="M"))
    assert set(men) == {"in_camp"}
    region = timeline["b"].home_region
    _m, chechnya = status_series(caseworker, _f(home_region=region))
    assert chechnya["repatriated"][-1] == 1
    assert "sentenced" not in chechnya
    unknown = woman(caseworker, "Delta")
    Person.objects.filter(pk=unknown.pk).update(birth_earliest=None)
    entry(caseworker, unknown, Status.MISSING, D(2020, 1, 2))
    _m, no_age = status_series(caseworker, _f(age_band="unknown"))
    assert no_age == {"missing": [1] * 6}


def test_another_agency_is_never_counted(
    caseworker: User, other_agency_user: User, timeline: dict[str, Person]
) -> None:
    _m, theirs = status_series(other_agency_user, _f())
    assert theirs == {}
    assert status_snapshot(other_agency_user, _f(), ["status"]) == {}


def test_breakdowns_by_region_country_and_facility(
    caseworker: User, timeline: dict[str, Person]
) -> None:
    by_region, by_country, by_facility = breakdown_tables(caseworker, _f(end=D(2020, 3, 31)))
    assert by_region.columns[0] == "Total"
    regions = {label: cells[0] for label, cells in by_region.rows}
    assert regions == {"Dagestan": 1, "Chechnya": 1, "Not recorded": 1}
    countries = {label: cells[0] for label, cells in by_country.rows}
    assert countries == {"Syria": 2, "Iraq": 1}
    facilities = {label: cells[0] for label, cells in by_facility.rows}
    assert facilities == {"Camp One": 2, "Prison One": 1}


def test_aggregate_only_roles_see_small_counts_suppressed(
    users: dict[str, User], timeline: dict[str, Person]
) -> None:
    analyst = users[Role.ANALYST]
    table = series_table(analyst, _f())
    cells = [c for _label, row in table.rows for c in row]
    assert "<5" in cells
    assert not any(c in (1, 2, 3, 4) for c in cells)
    # The chart's numbers hide the same cells.
    assert all(v is None or v == 0 or v >= 5 for row in table.raw for v in row)
    exact = series_table(users[Role.CASEWORKER], _f())
    assert 2 in [c for _label, row in exact.rows for c in row]


def _request(
    actor: User, persons: list[Person], received: dt.date, **kwargs: object
) -> TracingRequest:
    return tracing.request_create(
        actor=actor,
        data=tracing.RequestData(received_on=received, **kwargs),  # type: ignore[arg-type]
        new_inquirer=tracing.InquirerData(name="Synthetic Inquirer"),
        sought=[tracing.SoughtLink(person=p) for p in persons],
    )


def test_sought_and_located_over_time(caseworker: User, timeline: dict[str, Person]) -> None:
    r1 = _request(caseworker, [timeline["a"], timeline["c"]], D(2020, 1, 15))
    _request(caseworker, [timeline["a"]], D(2020, 2, 1))  # the same person twice: once
    tracing.request_transition(actor=caseworker, request=r1, to="located", on=D(2020, 3, 10))
    tracing.request_transition(
        actor=caseworker, request=r1, to="closed", on=D(2020, 5, 2), closure_reason="reunited"
    )
    sought, located = tracing_series(caseworker, _f())
    assert sought == [2, 2, 1, 1, 1, 1]
    assert located == [0, 0, 2, 2, 0, 0]
    table = series_table(caseworker, _f())
    assert table.column_keys[:2] == ["sought", "located"]
    assert table.rows[2][1][:2] == [1, 2]


def test_team_scope_counts_the_persons_of_my_teams_requests(
    caseworker: User, users: dict[str, User], timeline: dict[str, Person]
) -> None:
    from wayhome.accounts.models import Team

    team = Team.objects.create(agency_id=caseworker.agency_key, name="North")
    colleague = users[Role.LEGAL_OFFICER]
    team.members.add(caseworker, colleague)
    _request(caseworker, [timeline["b"]], D(2020, 1, 2), assigned_to=colleague)
    _m, mine = status_series(caseworker, _f(scope=SCOPE_TEAM))
    assert mine == {"in_camp": [1, 1, 1, 1, 0, 0], "repatriated": [0, 0, 0, 0, 1, 1]}
    outsider = users[Role.SUPERVISOR]
    _m, theirs = status_series(outsider, _f(scope=SCOPE_TEAM))
    assert theirs == {}


@pytest.mark.postgres
def test_the_same_figures_on_postgresql(caseworker: User, timeline: dict[str, Person]) -> None:
    """The raw SQL is written for both engines; this run proves PostgreSQL agrees."""
    _m, series = status_series(caseworker, _f())
    assert series["in_camp"] == [1, 1, 2, 2, 1, 1]
    sought, _located = tracing_series(caseworker, _f())
    assert sought == [0] * 6


def test_the_one_pass_query_agrees_with_the_separate_ones(
    caseworker: User, timeline: dict[str, Person]
) -> None:
    from wayhome.figures.selectors import series_and_places

    syria = factories.country("SY", "Syria")
    for f in (_f(), _f(host_country=syria), _f(end=D(2020, 3, 31))):
        months, series, places = series_and_places(caseworker, f)
        assert (months, series) == status_series(caseworker, f)
        assert places == status_snapshot(caseworker, f, ["region", "country", "facility", "status"])


def test_a_person_sought_twice_apart_counts_in_both_spells(caseworker: User) -> None:
    p = woman(caseworker)
    first = _request(caseworker, [p], D(2020, 1, 10))
    tracing.request_transition(
        actor=caseworker, request=first, to="closed", on=D(2020, 2, 15), closure_reason="withdrawn"
    )
    _request(caseworker, [p], D(2020, 4, 1))
    overlapping = _request(caseworker, [p], D(2020, 4, 20))
    tracing.request_transition(
        actor=caseworker, request=overlapping, to="located", on=D(2020, 5, 5)
    )
    sought, located = tracing_series(caseworker, _f())
    assert sought == [1, 0, 0, 1, 1, 1]
    assert located == [0, 0, 0, 0, 1, 1]
