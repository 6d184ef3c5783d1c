"""Aftercare writes: reception, placements (guardian's details encrypted, consent),
services, follow-up visits and the overdue list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests import factories
from wayhome.accounts.models import User
from wayhome.aftercare import selectors, services
from wayhome.aftercare.models import AftercareFile, FollowUp, Placement, SupportService
from wayhome.audit.models import AuditEvent
from wayhome.core import crypto
from wayhome.people.models import Person, Sex

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
RECEIVED = TODAY - dt.timedelta(days=60)


@pytest.fixture
def child(caseworker: User) -> Person:
    return factories.person(
        caseworker, given="Adam", family="Testov", sex=Sex.MALE, birth=dt.date(2015, 4, 1)
    )


@pytest.fixture
def file(caseworker: User, child: Person) -> AftercareFile:
    return services.file_open(
        actor=caseworker,
        person=child,
        reception=services.ReceptionData(
            received_on=RECEIVED, reception_place="Grozny airport", medical_check_on=RECEIVED
        ),
    )


def test_a_file_per_returnee_with_its_reception(
    caseworker: User, child: Person, file: AftercareFile
) -> None:
    assert file.reception_place == "Grozny airport"
    event = AuditEvent.objects.get(object_uuid=file.uuid, action="create")
    assert event.person_uuid == child.uuid
    with pytest.raises(ValidationError, match="already has"):
        services.file_open(
            actor=caseworker,
            person=child,
            reception=services.ReceptionData(received_on=TODAY, reception_place="x"),
        )


def test_reception_refuses_bad_dates(caseworker: User, child: Person) -> None:
    for data in (
        services.ReceptionData(received_on=TODAY + dt.timedelta(days=1), reception_place="x"),
        services.ReceptionData(received_on=TODAY, reception_place="  "),
        services.ReceptionData(
            received_on=TODAY, reception_place="x", medical_check_on=TODAY - dt.timedelta(1)
        ),
    ):
        with pytest.raises(ValidationError):
            services.file_open(actor=caseworker, person=child, reception=data)
    assert not AftercareFile.objects.exists()


def test_another_agencys_person_is_refused(other_agency_user: User, child: Person) -> None:
    with pytest.raises(ValidationError):
        services.file_open(
            actor=other_agency_user,
            person=child,
            reception=services.ReceptionData(received_on=TODAY, reception_place="x"),
        )


def test_placement_with_grandparents_needs_their_details_and_keeps_history(
    caseworker: User, file: AftercareFile
) -> None:
    with pytest.raises(ValidationError, match="Name the person"):
        services.placement_add(
            actor=caseworker,
            file=file,
            data=services.PlacementData(kind=Placement.Kind.GRANDPARENTS, start_date=RECEIVED),
        )
    first = services.placement_add(
        actor=caseworker,
        file=file,
        data=services.PlacementData(
            kind=Placement.Kind.INSTITUTION,
            start_date=RECEIVED,
            institution="Regional children's centre",
        ),
    )
    later = RECEIVED + dt.timedelta(days=20)
    second = services.placement_add(
        actor=caseworker,
        file=file,
        data=services.PlacementData(
            kind=Placement.Kind.GRANDPARENTS,
            start_date=later,
            guardian_name="Patimat Testova (synthetic)",
            guardian_relationship="grandmother",
            guardian_phone="+7 900 000-00-00",
        ),
    )
    first.refresh_from_db()
    assert first.end_date == later
    assert selectors.current_placement(file) == second
    assert second.needs_consent
    with pytest.raises(ValidationError, match="before the current one"):
        services.placement_add(
            actor=caseworker,
            file=file,
            data=services.PlacementData(
                kind=Placement.Kind.INSTITUTION, start_date=RECEIVED, institution="x"
            ),
        )
    services.placement_consent(
        actor=caseworker, placement=second, consent_on=later, court_decision="Order No. 14"
    )
    consented = Placement.objects.get(pk=second.pk)
    assert not consented.needs_consent
    assert consented.court_decision == "Order No. 14"


def test_guardian_details_are_encrypted_at_rest_and_never_in_the_audit_trail(
    caseworker: User, file: AftercareFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(crypto.ENV_KEYS, crypto.generate_key())
    placement = services.placement_add(
        actor=caseworker,
        file=file,
        data=services.PlacementData(
            kind=Placement.Kind.GUARDIAN,
            start_date=RECEIVED,
            guardian_name="Luiza Testova (synthetic)",
            guardian_phone="+7 900 111-22-33",
            guardian_address="Makhachkala, synthetic street 1",
            guardian_consent_on=RECEIVED,
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT guardian_name, guardian_phone, guardian_address FROM aftercare_placement "
            "WHERE id = %s",
            [placement.pk],
        )
        row = cursor.fetchone()
    assert row is not None
    assert all(crypto.is_encrypted(value) for value in row)
    assert Placement.objects.get(pk=placement.pk).guardian_phone == "+7 900 111-22-33"
    event = AuditEvent.objects.get(object_uuid=placement.uuid, action="create")
    assert "111-22-33" not in str(event.changes)


def test_services_with_providers(caseworker: User, file: AftercareFile) -> None:
    service = services.service_add(
        actor=caseworker,
        file=file,
        data=services.ServiceData(
            kind=SupportService.Kind.PSYCHOLOGICAL,
            provider="Regional psychological centre",
            started_on=RECEIVED,
        ),
    )
    with pytest.raises(ValidationError):
        services.service_add(
            actor=caseworker,
            file=file,
            data=services.ServiceData(kind="schooling", provider=" ", started_on=RECEIVED),
        )
    with pytest.raises(ValidationError, match="before the returnee was received"):
        services.service_add(
            actor=caseworker,
            file=file,
            data=services.ServiceData(
                kind="schooling", provider="School No. 3", started_on=RECEIVED - dt.timedelta(1)
            ),
        )
    services.service_end(actor=caseworker, service=service, ended_on=TODAY)
    with pytest.raises(ValidationError, match="already ended"):
        services.service_end(actor=caseworker, service=service, ended_on=TODAY)


def test_overdue_follow_ups(
    caseworker: User, file: AftercareFile, other_agency_user: User, analyst: User
) -> None:
    late = services.followup_schedule(
        actor=caseworker, file=file, due_on=TODAY - dt.timedelta(days=3), assigned_to=caseworker
    )
    services.followup_schedule(actor=caseworker, file=file, due_on=TODAY + dt.timedelta(days=30))
    assert list(selectors.overdue_followups(caseworker)) == [late]
    assert selectors.overdue_count(caseworker) == 1
    assert selectors.overdue_count(other_agency_user) == 0
    assert selectors.overdue_count(analyst) == 0  # no aftercare reading: nothing to count
    with pytest.raises(ValidationError, match="urgent"):
        services.followup_record(
            actor=caseworker, visit=late, visited_on=TODAY, outcome=FollowUp.Outcome.URGENT
        )
    services.followup_record(
        actor=caseworker,
        visit=late,
        visited_on=TODAY,
        outcome=FollowUp.Outcome.CONCERNS,
        notes="Not yet enrolled in school.",
        next_due_on=TODAY + dt.timedelta(days=14),
    )
    assert selectors.overdue_count(caseworker) == 0
    nxt = FollowUp.objects.filter(file=file, visited_on__isnull=True).order_by("due_on").first()
    assert nxt is not None
    assert nxt.due_on == TODAY + dt.timedelta(days=14)
    assert nxt.assigned_to == caseworker
    with pytest.raises(ValidationError, match="already recorded"):
        services.followup_record(
            actor=caseworker, visit=late, visited_on=TODAY, outcome=FollowUp.Outcome.WELL
        )


def test_assigning_a_visit_to_another_agency_is_refused(
    caseworker: User, file: AftercareFile, other_agency_user: User
) -> None:
    with pytest.raises(ValidationError):
        services.followup_schedule(
            actor=caseworker, file=file, due_on=TODAY, assigned_to=other_agency_user
        )
    assert not FollowUp.objects.exists()


def test_closing_a_file_stops_its_visits_counting_as_overdue(
    caseworker: User, file: AftercareFile
) -> None:
    services.followup_schedule(actor=caseworker, file=file, due_on=RECEIVED)
    assert selectors.overdue_count(caseworker) == 1
    with pytest.raises(ValidationError):
        services.file_close(actor=caseworker, file=file, closed_on=TODAY, reason=" ")
    services.file_close(
        actor=caseworker, file=file, closed_on=TODAY, reason="Settled with grandparents"
    )
    assert selectors.overdue_count(caseworker) == 0
    with pytest.raises(ValidationError, match="already closed"):
        services.file_close(actor=caseworker, file=file, closed_on=TODAY, reason="again")
