from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories
from tests.tracing import helpers
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.people.models import Person, Status
from wayhome.people.services import family_group_create
from wayhome.tracing import services
from wayhome.tracing.models import InformationReport, Whereabouts

D = dt.date


MARCH = D(2019, 3, 1)


def _entry(status: str = "detained", start: dt.date = MARCH, **kw: object) -> services.EntryData:
    return services.EntryData(status=status, start_date=start, **kw)  # type: ignore[arg-type]


def _add(actor: User, person: Person, entry: services.EntryData) -> Whereabouts:
    return services.whereabouts_add(
        actor=actor, person=person, entry=entry, reports=[helpers.report(actor, [person])]
    )


@pytest.fixture
def person(caseworker: User) -> Person:
    return factories.person(caseworker, birth=D(1995, 5, 1))


def test_add_cites_reports_audits_and_sets_current_status(caseworker: User, person: Person) -> None:
    camp = factories.facility("Camp One")
    source = helpers.report(caseworker)
    row = services.whereabouts_add(
        actor=caseworker,
        person=person,
        entry=_entry("in_camp", D(2019, 4, 2), facility=camp),
        reports=[source],
    )
    assert list(row.reports.all()) == [source]
    assert row.country == camp.country  # taken from the facility
    assert person in source.persons.all()  # a cited report concerns the person
    person.refresh_from_db()
    assert (person.current_status, person.current_facility, person.current_since) == (
        Status.IN_CAMP,
        camp,
        D(2019, 4, 2),
    )
    created = AuditEvent.objects.get(object_uuid=row.uuid, action="create")
    assert created.person_uuid == person.uuid
    assert created.changes["status"] == "in_camp"
    assert created.changes["reports"] == [str(source.uuid)]
    status_change = AuditEvent.objects.get(object_uuid=person.uuid, action="update")
    assert status_change.changes["current_status"] == ["unknown", "in_camp"]


def test_a_new_report_entered_with_the_entry_is_created(caseworker: User, person: Person) -> None:
    new = services.ReportData(
        received_on=D(2019, 5, 1), channel="prison_letter", source="letter", summary="In prison."
    )
    row = services.whereabouts_add(actor=caseworker, person=person, entry=_entry(), new_report=new)
    [report] = row.reports.all()
    assert (report.channel, list(report.persons.all())) == ("prison_letter", [person])


def test_month_precision_is_stored_as_the_first_of_the_month(
    caseworker: User, person: Person
) -> None:
    row = _add(caseworker, person, _entry(start=D(2019, 3, 17), start_precision="month"))
    assert row.start_date == D(2019, 3, 1)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (_entry(start=timezone.localdate() + dt.timedelta(days=2)), "future"),
        (_entry(end_date=timezone.localdate() + dt.timedelta(days=2)), "future"),
        (_entry(start=D(2019, 3, 1), end_date=D(2019, 2, 1)), "before the start"),
        (_entry(start=D(1990, 1, 1)), "before the birth"),
        (_entry("deceased", D(1994, 1, 1)), "death cannot be recorded before the birth"),
        (_entry(start_precision="age"), "exact date, a month or a year"),
    ],
)
def test_refusals_write_nothing(
    caseworker: User, person: Person, entry: services.EntryData, message: str
) -> None:
    source = helpers.report(caseworker)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.whereabouts_add(actor=caseworker, person=person, entry=entry, reports=[source])
    assert not Whereabouts.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_birth_known_to_the_year_only_refuses_only_what_is_certain(caseworker: User) -> None:
    person = factories.person(caseworker, birth=FuzzyDate(Precision.YEAR, 2015))
    _add(caseworker, person, _entry("in_camp", D(2015, 1, 1)))  # may be after the birth
    with pytest.raises(ValidationError, match="before the birth"):
        _add(caseworker, person, _entry("in_camp", D(2014, 12, 1), start_precision="month"))


def test_an_entry_needs_a_source(caseworker: User, person: Person) -> None:
    with pytest.raises(ValidationError, match="at least one report"):
        services.whereabouts_add(actor=caseworker, person=person, entry=_entry())


def test_another_agencys_report_is_refused(
    caseworker: User, other_agency_user: User, person: Person
) -> None:
    foreign = helpers.report(other_agency_user)
    with pytest.raises(ValidationError, match="another agency"):
        services.whereabouts_add(actor=caseworker, person=person, entry=_entry(), reports=[foreign])


def test_nothing_after_a_recorded_death_but_the_death_itself(
    caseworker: User, person: Person
) -> None:
    death = _add(caseworker, person, _entry("deceased", D(2018, 6, 1), start_precision="month"))
    with pytest.raises(ValidationError, match="recorded as deceased"):
        _add(caseworker, person, _entry("detained", D(2019, 1, 1)))
    _add(caseworker, person, _entry("deceased", D(2018, 6, 20)))  # another report of the death
    _add(caseworker, person, _entry("detained", D(2018, 6, 15)))  # not certainly after
    services.whereabouts_retract(actor=caseworker, entry=death, reason="wrong person")
    Whereabouts.objects.filter(status="deceased").exclude(pk=death.pk).update(
        retracted_at=timezone.now()
    )
    _add(caseworker, person, _entry("detained", D(2019, 1, 1)))  # no live death any more


def test_an_earlier_death_may_be_recorded_and_shows_as_a_disagreement(
    caseworker: User, person: Person
) -> None:
    from wayhome.tracing.selectors import timeline_of

    _add(caseworker, person, _entry("detained", D(2019, 1, 1)))
    _add(caseworker, person, _entry("deceased", D(2018, 1, 1)))
    person.refresh_from_db()
    assert person.current_status == Status.DETAINED  # the latest entry, whatever it says
    [conflict] = timeline_of(caseworker, person).conflicts
    assert (conflict.newer.status, conflict.older.status) == ("detained", "deceased")


def test_retract_keeps_the_entry_audits_and_recomputes(caseworker: User, person: Person) -> None:
    first = _add(
        caseworker,
        person,
        _entry("detained", D(2018, 1, 1), facility=factories.facility("Prison A", "prison", "IQ")),
    )
    second = _add(caseworker, person, _entry("in_camp", D(2019, 1, 1)))
    services.whereabouts_retract(actor=caseworker, entry=second, reason="  wrong lead ")
    second.refresh_from_db()
    assert second.is_retracted
    assert second.retraction_reason == "wrong lead"
    assert second.retracted_by == caseworker
    person.refresh_from_db()
    assert (person.current_status, person.current_since) == (Status.DETAINED, D(2018, 1, 1))
    assert person.current_facility == first.facility
    event = AuditEvent.objects.get(object_uuid=second.uuid, action="update")
    assert event.reason == "wrong lead"
    services.whereabouts_retract(actor=caseworker, entry=first, reason="also wrong")
    person.refresh_from_db()
    assert (person.current_status, person.current_facility, person.current_since) == (
        Status.UNKNOWN,
        None,
        None,
    )


def test_retract_refusals(caseworker: User, person: Person) -> None:
    row = _add(caseworker, person, _entry())
    with pytest.raises(ValidationError, match="why"):
        services.whereabouts_retract(actor=caseworker, entry=row, reason=" ")
    services.whereabouts_retract(actor=caseworker, entry=row, reason="duplicate")
    with pytest.raises(ValidationError, match="already retracted"):
        services.whereabouts_retract(actor=caseworker, entry=row, reason="again")


def test_facility_and_country_must_agree(caseworker: User, person: Person) -> None:
    camp = factories.facility("Camp One", iso2="SY")
    with pytest.raises(ValidationError, match="not in this country"):
        _add(caseworker, person, _entry(facility=camp, country=factories.country("IQ", "Iraq")))


def test_group_add_is_all_or_nothing(caseworker: User) -> None:
    mother = factories.person(caseworker, given="Madina", birth=D(1990, 1, 1))
    child = factories.person(caseworker, given="Amina", birth=D(2017, 6, 1))
    group = family_group_create(actor=caseworker, label="Madina and child", members=[mother, child])
    source = helpers.report(caseworker)
    with pytest.raises(ValidationError, match="Amina Testova: this entry starts before the birth"):
        services.group_whereabouts_add(
            actor=caseworker, group=group, entry=_entry(start=D(2016, 1, 1)), reports=[source]
        )
    assert not Whereabouts.objects.exists()
    rows = services.group_whereabouts_add(
        actor=caseworker, group=group, entry=_entry("in_camp", D(2019, 3, 1)), reports=[source]
    )
    assert {r.person for r in rows} == {mother, child}
    assert set(Person.objects.values_list("current_status", flat=True)) == {"in_camp"}
    assert set(source.persons.all()) == {mother, child}


def test_group_add_refuses_an_empty_group(caseworker: User) -> None:
    group = family_group_create(actor=caseworker, label="Empty")
    with pytest.raises(ValidationError, match="no members"):
        services.group_whereabouts_add(
            actor=caseworker, group=group, entry=_entry(), reports=[helpers.report(caseworker)]
        )


def test_reports_create_and_update_are_audited_and_checked(
    caseworker: User, other_agency_user: User, person: Person
) -> None:
    report = helpers.report(caseworker, [person])
    assert AuditEvent.objects.get(object_uuid=report.uuid).changes["persons"] == [str(person.uuid)]
    services.report_update(
        actor=caseworker,
        report=report,
        received_on=D(2019, 3, 11),
        channel=InformationReport.Channel.VIDEO,
        source="a video",
        summary="Seen on a video.",
        reliability="probable",
        persons=[],
    )
    event = AuditEvent.objects.get(object_uuid=report.uuid, action="update")
    assert event.changes["channel"] == ["relative_call", "video"]
    assert event.changes["persons"] == [[str(person.uuid)], []]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        helpers.report(caseworker, received_on=tomorrow)
    with pytest.raises(ValidationError, match="came from"):
        helpers.report(caseworker, source=" ")
    with pytest.raises(ValidationError, match="Summarise"):
        helpers.report(caseworker, summary="")
    foreign = factories.person(other_agency_user)
    with pytest.raises(ValidationError, match="another agency"):
        helpers.report(caseworker, [foreign])
