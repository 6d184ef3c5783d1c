"""The kept spans and monthly counts equal the figures computed from scratch.

Every figure the dashboards read from ``figures.history``'s tables is compared with the
same figure computed by the reference query over the timelines and requests
(``scratch=True``), after writes through the services: each writer on its own, then
random sequences of them. ``history.drift`` is checked too (the monthly counts against a
fresh computation, whatever the reads use).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import factories
from tests.figures.helpers import D, child, entry, woman
from wayhome.accounts.models import User
from wayhome.core.fuzzydate import FuzzyDate
from wayhome.demo.seeding import seed_population
from wayhome.figures import history
from wayhome.figures.definitions import DEFINITIONS
from wayhome.figures.models import MonthlyCount, Span
from wayhome.figures.public import public_report
from wayhome.figures.selectors import (
    HELD,
    SCOPE_TEAM,
    Filters,
    series_and_places,
    status_series,
    status_snapshot,
    tracing_counts,
    tracing_series,
)
from wayhome.people import services as people
from wayhome.people.models import Person, Sex, Status
from wayhome.review import services as review
from wayhome.review.models import PersonMerge
from wayhome.tracing import services as tracing
from wayhome.tracing.models import TracingRequest

pytestmark = pytest.mark.django_db

START, END = D(2019, 1, 1), D(2021, 12, 31)
DAYS = [D(2019, 6, 15), D(2020, 2, 29), D(2020, 7, 3), D(2021, 12, 31), D(2023, 1, 10)]
SNAPSHOT_DIMS = ["status", "sex", "age", "country", "region", "facility"]


def _nonzero(series: dict[str, list[int]]) -> dict[str, list[int]]:
    """A status never in force at a month end may be listed with zeros or left out."""
    return {k: v for k, v in series.items() if any(v)}


def _filters() -> list[Filters]:
    iq = factories.country("IQ", "Iraq")
    ru = factories.country("RU", "Russia")
    base = Filters(start=START, end=END)
    return [
        base,
        Filters(start=START, end=D(2020, 6, 30), sex=Sex.FEMALE),
        Filters(start=START, end=END, host_country=iq),
        Filters(start=START, end=END, home_region=factories.region("Dagestan")),
        Filters(start=START, end=END, statuses=tuple(s.value for s in HELD)),
        Filters(start=START, end=END, age_band="child"),
        Filters(start=START, end=END, age_band="unknown"),
        Filters(start=START, end=END, citizenship=ru),
        Filters(start=START, end=END, scope=SCOPE_TEAM),
        # A period ending mid-month: the snapshot cannot come from the monthly counts.
        Filters(start=START, end=D(2020, 7, 3)),
    ]


def assert_same_as_scratch(user: User) -> None:
    """Every figure read from the kept tables equals the reference computation."""
    for f in _filters():
        kept = status_series(user, f)
        fresh = status_series(user, f, scratch=True)
        assert kept[0] == fresh[0]
        assert _nonzero(kept[1]) == _nonzero(fresh[1]), f.describe()
        months, series, places = series_and_places(user, f)
        months0, series0, places0 = series_and_places(user, f, scratch=True)
        assert (months, _nonzero(series), places) == (months0, _nonzero(series0), places0)
        assert tracing_series(user, f) == tracing_series(user, f, scratch=True), f.describe()
        assert tracing_counts(user, f, DAYS) == tracing_counts(user, f, DAYS, scratch=True)
        for on in [f.end, *DAYS]:
            for dims in (SNAPSHOT_DIMS, ["region", "country", "facility", "status"]):
                assert status_snapshot(user, f, dims, on=on) == status_snapshot(
                    user, f, dims, on=on, scratch=True
                ), (f.describe(), on, dims)
    for on in DAYS:
        kept_report = public_report(user, on, on)
        fresh_report = public_report(user, on, on, scratch=True)
        assert [t.rows() for t in kept_report.tables] == [t.rows() for t in fresh_report.tables]
        for definition in DEFINITIONS.values():
            assert definition.count(user, on) == definition.count(user, on, scratch=True)
    assert history.drift() == 0


def _report() -> tracing.ReportData:
    return tracing.ReportData(
        received_on=D(2019, 1, 2), channel="official_list", source="synthetic", summary="s"
    )


def _request(actor: User, persons: Sequence[Person], received: dt.date) -> TracingRequest:
    return tracing.request_create(
        actor=actor,
        data=tracing.RequestData(received_on=received),
        new_inquirer=tracing.InquirerData(name="Synthetic Inquirer"),
        sought=[tracing.SoughtLink(person=p) for p in persons],
    )


@pytest.fixture
def world(caseworker: User) -> dict[str, Any]:
    """Places and persons of every kind the filters tell apart."""
    dagestan = factories.region("Dagestan")
    chechnya = factories.region("Chechnya")
    prison = factories.facility("Prison One", "prison", "IQ")
    camp = factories.facility("Camp One", "camp", "SY")
    persons = [
        woman(caseworker, "Alpha", home_region=dagestan),
        woman(caseworker, "Beta", home_region=chechnya),
        child(caseworker, "Gamma"),
        child(caseworker, "Delta", born=D(2003, 8, 20)),  # turns 18 in the period
        factories.person(caseworker, "Umar", "Epsilon", Sex.MALE, None, home_region=dagestan),
        factories.person(caseworker, "Zara", "Zeta", Sex.UNKNOWN, D(1985, 1, 1)),
    ]
    people.citizenship_add(
        actor=caseworker, person=persons[0], country=factories.country("RU", "Russia")
    )
    return {"persons": persons, "prison": prison, "camp": camp, "regions": [dagestan, chechnya]}


# --- one test per writer ---------------------------------------------------------------


def test_whereabouts_added_and_retracted(caseworker: User, world: dict[str, Any]) -> None:
    a, b = world["persons"][:2]
    entry(caseworker, a, Status.MISSING, D(2019, 3, 1))
    entry(caseworker, a, Status.DETAINED, D(2020, 2, 10), facility=world["prison"])
    entry(caseworker, b, Status.IN_CAMP, D(2019, 12, 31), facility=world["camp"])
    assert Span.objects.filter(person_id=a.pk).count() == 2
    assert_same_as_scratch(caseworker)
    wrong = a.whereabouts.get(status=Status.DETAINED)
    tracing.whereabouts_retract(actor=caseworker, entry=wrong, reason="wrong list")
    assert list(Span.objects.filter(person_id=a.pk).values_list("status", "end_date")) == [
        (Status.MISSING, None)
    ]
    assert_same_as_scratch(caseworker)


def test_group_whereabouts(caseworker: User, world: dict[str, Any]) -> None:
    a, b, c = world["persons"][:3]
    group = people.family_group_create(
        actor=caseworker, label="Synthetic family", members=[a, b, c]
    )
    tracing.group_whereabouts_add(
        actor=caseworker,
        group=group,
        entry=tracing.EntryData(
            status=Status.IN_CAMP, start_date=D(2020, 5, 5), facility=world["camp"]
        ),
        new_report=_report(),
    )
    assert Span.objects.filter(status=Status.IN_CAMP).count() == 3
    assert_same_as_scratch(caseworker)


def test_requests_created_edited_and_moved(caseworker: User, world: dict[str, Any]) -> None:
    a, b, c = world["persons"][:3]
    r1 = _request(caseworker, [a, c], D(2019, 2, 1))
    _request(caseworker, [a], D(2019, 5, 1))  # overlaps: a is sought once
    assert Span.objects.filter(person_id=a.pk, status=history.SOUGHT).count() == 1
    assert_same_as_scratch(caseworker)
    tracing.request_transition(actor=caseworker, request=r1, to="located", on=D(2020, 3, 10))
    tracing.request_transition(
        actor=caseworker, request=r1, to="closed", on=D(2020, 5, 2), closure_reason="reunited"
    )
    assert_same_as_scratch(caseworker)
    tracing.request_transition(actor=caseworker, request=r1, to="open", reason="seen again")
    # Edited: c no longer sought in it, b is, and it was received later than first entered.
    tracing.request_update(
        actor=caseworker,
        request=r1,
        data=tracing.RequestData(received_on=D(2019, 9, 9)),
        sought=[tracing.SoughtLink(person=a), tracing.SoughtLink(person=b)],
    )
    assert not Span.objects.filter(person_id=c.pk).exists()
    assert Span.objects.filter(person_id=b.pk, start_date=D(2019, 9, 9)).exists()
    assert_same_as_scratch(caseworker)


def test_person_facts_move_their_counts(caseworker: User, world: dict[str, Any]) -> None:
    a = world["persons"][0]
    entry(caseworker, a, Status.DETAINED, D(2020, 2, 10), facility=world["prison"])
    _request(caseworker, [a], D(2019, 2, 1))
    people.person_update(
        actor=caseworker,
        person=a,
        sex=Sex.MALE,
        birth=FuzzyDate.exact(D(2010, 1, 1)),
        home_region=world["regions"][1],
    )
    assert set(Span.objects.filter(person_id=a.pk).values_list("sex", "home_region_id")) == {
        (Sex.MALE, world["regions"][1].pk)
    }
    assert_same_as_scratch(caseworker)


def test_merge_and_unmerge(caseworker: User, world: dict[str, Any]) -> None:
    a, b = world["persons"][:2]
    entry(caseworker, a, Status.DETAINED, D(2020, 2, 10), facility=world["prison"])
    entry(caseworker, b, Status.SENTENCED, D(2020, 6, 1), facility=world["prison"])
    _request(caseworker, [b], D(2019, 2, 1))
    merge = review.persons_merge(actor=caseworker, keep=a, absorb=b, reason="same woman")
    assert not Span.objects.filter(person_id=b.pk).exists()
    assert Span.objects.filter(person_id=a.pk, status=history.SOUGHT).exists()
    assert_same_as_scratch(caseworker)
    review.persons_unmerge(actor=caseworker, merge=merge, reason="not the same after all")
    assert Span.objects.filter(person_id=b.pk).count() == 2
    assert_same_as_scratch(caseworker)


def test_the_seeders_copy_path(agency_a: Any, caseworker: User) -> None:
    seed_population(agency=agency_a, persons=300, seed=7, batch_size=100)
    assert Span.objects.filter(agency_id=agency_a.pk).count() > 300
    assert_same_as_scratch(caseworker)


def test_a_failed_write_leaves_the_counts_as_they_were(
    caseworker: User, world: dict[str, Any]
) -> None:
    a = world["persons"][0]
    entry(caseworker, a, Status.DECEASED, D(2019, 3, 1))
    before = list(MonthlyCount.objects.values_list("month", "status", "n").order_by("id"))
    with pytest.raises(ValidationError):
        entry(caseworker, a, Status.DETAINED, D(2020, 1, 1))  # after the recorded death
    assert list(MonthlyCount.objects.values_list("month", "status", "n").order_by("id")) == before
    assert_same_as_scratch(caseworker)


# --- random sequences ------------------------------------------------------------------


def _random_day(rng: random.Random) -> dt.date:
    return D(2018, 6, 1) + dt.timedelta(days=rng.randrange(1500))


def _step(rng: random.Random, actor: User, world: dict[str, Any]) -> None:
    persons: list[Person] = [
        Person.objects.get(pk=p.pk) for p in world["persons"] if p.pk is not None
    ]
    live = [p for p in persons if p.merged_into_id is None]
    op = rng.choice(["entry", "entry", "entry", "retract", "request", "move", "facts", "merge"])
    if op == "entry":
        status = rng.choice([s.value for s in Status if s != Status.UNKNOWN])
        place = rng.choice([{}, {"facility": world["prison"]}, {"facility": world["camp"]}])
        entry(actor, rng.choice(live), status, _random_day(rng), **place)
    elif op == "retract":
        entries = [w for p in live for w in p.whereabouts.filter(retracted_at__isnull=True)]
        if entries:
            tracing.whereabouts_retract(actor=actor, entry=rng.choice(entries), reason="wrong")
    elif op == "request":
        _request(actor, rng.sample(live, rng.randint(1, min(3, len(live)))), _random_day(rng))
    elif op == "move":
        requests = list(TracingRequest.objects.filter(agency_id=actor.agency_key))
        if requests:
            request = rng.choice(requests)
            to = {"open": rng.choice(["located", "closed"]), "located": "closed"}.get(
                request.status, "open"
            )
            tracing.request_transition(
                actor=actor,
                request=request,
                to=to,
                on=request.received_on + dt.timedelta(days=rng.randrange(400)),
                closure_reason="reunited",
                reason="new information",
            )
    elif op == "facts":
        p = rng.choice(live)
        people.person_update(
            actor=actor,
            person=p,
            sex=rng.choice([Sex.FEMALE, Sex.MALE, Sex.UNKNOWN]),
            birth=rng.choice([FuzzyDate(), FuzzyDate.exact(D(2005 + rng.randrange(12), 6, 1))]),
            home_region=rng.choice([None, *world["regions"]]),
        )
    else:
        undo = list(PersonMerge.objects.filter(undone_at__isnull=True))
        if undo and rng.random() < 0.5:
            review.persons_unmerge(actor=actor, merge=rng.choice(undo), reason="not the same")
        elif len(live) > 2:
            keep, absorb = rng.sample(live, 2)
            review.persons_merge(actor=actor, keep=keep, absorb=absorb, reason="same")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_writes_through_the_services(
    caseworker: User, world: dict[str, Any], seed: int
) -> None:
    rng = random.Random(seed)
    for i in range(30):
        # Refused writes (a date before a birth...) change nothing; that is checked too.
        with contextlib.suppress(ValidationError):
            _step(rng, caseworker, world)
        if i % 10 == 9:
            assert_same_as_scratch(caseworker)


# --- rebuild ---------------------------------------------------------------------------


def test_rebuild_is_idempotent_and_repairs(caseworker: User, world: dict[str, Any]) -> None:
    a, b = world["persons"][:2]
    entry(caseworker, a, Status.DETAINED, D(2020, 2, 10), facility=world["prison"])
    _request(caseworker, [a, b], D(2019, 2, 1))

    def rows() -> tuple[list[Any], list[Any]]:
        spans = Span.objects.values_list("person_id", "status", "start_date", "end_date")
        counts = MonthlyCount.objects.values_list(
            "agency_id", "month", "status", "home_region_id", "country_id", "facility_id", "n"
        )
        return sorted(spans), sorted(counts)

    kept = rows()
    history.rebuild()
    assert rows() == kept
    history.rebuild(agency_id=caseworker.agency_key)
    assert rows() == kept
    MonthlyCount.objects.filter(status=history.SOUGHT).update(n=7)  # damaged
    assert history.drift() > 0
    with pytest.raises(CommandError, match="differ"):
        call_command("figures", "rebuild", "--check")
    call_command("figures", "rebuild")
    call_command("figures", "rebuild", "--check")
    assert rows() == kept
    assert_same_as_scratch(caseworker)


def test_anonymising_a_person_keeps_only_the_birth_year_in_the_spans(
    caseworker: User, world: dict[str, Any]
) -> None:
    from wayhome.protection.anonymise import person_anonymise

    gamma = world["persons"][2]  # born 1 March 2014
    entry(caseworker, gamma, Status.IN_CAMP, D(2020, 3, 3), facility=world["camp"])
    person_anonymise(Person.objects.get(pk=gamma.pk), cause="retention", today=D(2026, 1, 1))
    assert set(
        Span.objects.filter(person_id=gamma.pk).values_list("birth_earliest", flat=True)
    ) == {D(2014, 1, 1)}
    assert_same_as_scratch(caseworker)
