"""Retention: frozen dates, dry runs that change nothing, open cases never touched."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from tests import factories
from tests.protection.helpers import basis, consent, propose
from tests.tracing.helpers import entry, tracing_request
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.people.models import IdentityDocument, Person, PersonName
from wayhome.protection.anonymise import NO_NAME
from wayhome.protection.models import Anonymisation, ConsentEvent
from wayhome.protection.retention import retention_run
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import Inquirer, TracingRequest

pytestmark = pytest.mark.django_db

CLOSED_ON = dt.date(2019, 6, 1)
# Five years and a day after the closing: due under the default schedule.
LATER = dt.date(2024, 6, 2)


def _close(actor: User, request: TracingRequest, on: dt.date = CLOSED_ON) -> None:
    tracing_services.request_transition(
        actor=actor, request=request, to="closed", on=on, closure_reason="reunited"
    )


@pytest.fixture
def closed_case(caseworker: User) -> TracingRequest:
    """A request closed in 2019 for one person with a document, notes and consent."""
    person = factories.person(caseworker, given="Aisha", family="Retainova", notes="told us a lot")
    IdentityDocument.objects.create(person=person, kind="passport", number="AB1234567")
    entry(caseworker, person, notes="near the river", location="tent 12")
    request = tracing_request(caseworker, sought=[person], last_known="a long story")
    basis(caseworker, person)
    consent(caseworker, inquirer=request.inquirer)
    _close(caseworker, request)
    return request


def _sought(request: TracingRequest) -> Person:
    return Person.objects.get(sought_in__request=request)


def test_dry_run_counts_and_changes_nothing(closed_case: TracingRequest) -> None:
    events = AuditEvent.objects.count()
    report = retention_run(today=LATER, dry_run=True)
    assert (report.requests, report.persons, report.inquirers) == (1, 1, 1)
    assert AuditEvent.objects.count() == events
    assert not Anonymisation.objects.exists()
    person = _sought(closed_case)
    assert person.display_name == "Aisha Retainova"
    assert person.notes == "told us a lot"
    assert Inquirer.objects.get(pk=closed_case.inquirer_id).phone


def test_nothing_is_due_before_the_schedule(closed_case: TracingRequest) -> None:
    report = retention_run(today=dt.date(2024, 5, 31))
    assert (report.requests, report.persons) == (0, 0)
    # The inquirer's two years have passed, though.
    assert report.inquirers == 1


def test_run_anonymises_what_is_due_keeping_what_counts(closed_case: TracingRequest) -> None:
    person = _sought(closed_case)
    report = retention_run(today=LATER)
    assert (report.requests, report.persons, report.inquirers) == (1, 1, 1)
    person.refresh_from_db()
    assert person.display_name == ""
    assert person.search_names == ""
    assert person.notes == ""
    assert not PersonName.objects.filter(person=person).exists()
    assert not IdentityDocument.objects.filter(person=person).exists()
    assert person.sex == "F"
    assert person.whereabouts.get().location == ""
    assert person.whereabouts.get().status == "in_camp"
    inquirer = Inquirer.objects.get(pk=closed_case.inquirer_id)
    assert (inquirer.name, inquirer.phone) == (NO_NAME, "")
    assert ConsentEvent.objects.filter(inquirer=inquirer).count() == 1  # the record stays
    request = TracingRequest.objects.get(pk=closed_case.pk)
    assert request.last_known == ""
    assert request.closed_on == CLOSED_ON
    assert request.closure_reason == "reunited"
    assert request.reference == closed_case.reference
    event = AuditEvent.objects.filter(action="system").get()
    assert event.changes["retention_run"]["persons"] == 1
    assert "Aisha" not in str(event.changes)
    # A second run finds nothing left to do.
    assert retention_run(today=LATER).persons == 0


def test_birth_is_kept_as_a_year(caseworker: User) -> None:
    person = factories.person(caseworker, birth=dt.date(2012, 4, 5))
    _close(caseworker, tracing_request(caseworker, sought=[person]))
    retention_run(today=LATER)
    person.refresh_from_db()
    assert (person.birth_precision, person.birth_year, person.birth_month) == ("year", 2012, None)


def test_never_touches_anything_linked_to_an_open_request(
    caseworker: User, closed_case: TracingRequest
) -> None:
    person = _sought(closed_case)
    # The same person is sought again, by someone else, and that request is open.
    tracing_request(caseworker, sought=[person], received_on=dt.date(2020, 1, 1))
    report = retention_run(today=LATER)
    assert (report.requests, report.persons, report.inquirers) == (0, 0, 0)
    person.refresh_from_db()
    assert person.display_name == "Aisha Retainova"
    assert TracingRequest.objects.get(pk=closed_case.pk).last_known == "a long story"


def test_an_inquirer_with_an_open_request_keeps_their_details(caseworker: User) -> None:
    old = tracing_request(caseworker)
    _close(caseworker, old)
    tracing_services.request_create(
        actor=caseworker,
        data=tracing_services.RequestData(received_on=dt.date(2020, 2, 2)),
        inquirer=old.inquirer,
        new_sought=[tracing_services.NewSought(given="Yusuf", family="Openov")],
    )
    report = retention_run(today=LATER)
    assert (report.requests, report.persons, report.inquirers) == (0, 0, 0)
    assert Inquirer.objects.get(pk=old.inquirer_id).phone


@override_settings(WAYHOME_RETENTION={"closed_request_years": 10})
def test_schedules_come_from_settings(closed_case: TracingRequest) -> None:
    report = retention_run(today=LATER, dry_run=True)
    assert (report.requests, report.persons, report.inquirers) == (0, 0, 1)


def test_the_command_prints_counts_not_names(
    closed_case: TracingRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: LATER)
    out = StringIO()
    call_command("retention", "run", "--dry-run", stdout=out)
    assert "persons sought only in them would be anonymised: 1" in out.getvalue()
    assert _sought(closed_case).display_name == "Aisha Retainova"
    out = StringIO()
    call_command("retention", "run", stdout=out)
    text = out.getvalue()
    assert "closed tracing requests anonymised: 1" in text
    assert "Aisha" not in text
    assert _sought(closed_case).display_name == ""


def test_a_person_in_a_pending_disclosure_is_kept(
    caseworker: User, closed_case: TracingRequest
) -> None:
    propose(caseworker, [_sought(closed_case)])
    report = retention_run(today=LATER)
    assert report.persons == 0
    assert _sought(closed_case).display_name == "Aisha Retainova"
