"""Aftercare pages: who may read and write, another agency's file, audited reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.assertions import assert_forbidden, assert_login_required, assert_not_found
from wayhome.accounts.models import User
from wayhome.aftercare import services
from wayhome.aftercare.models import AftercareFile, FollowUp, Placement
from wayhome.audit.models import AuditEvent
from wayhome.legal.models import LegalCase
from wayhome.people.models import Person

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
TODAY = timezone.localdate()


@pytest.fixture
def child(caseworker: User) -> Person:
    return factories.person(caseworker, given="Saida", family="Testova", birth=dt.date(2016, 1, 1))


@pytest.fixture
def file(caseworker: User, child: Person) -> AftercareFile:
    return services.file_open(
        actor=caseworker,
        person=child,
        reception=services.ReceptionData(
            received_on=TODAY - dt.timedelta(days=30), reception_place="Grozny airport"
        ),
    )


def test_caseworker_opens_a_file_from_the_page(
    caseworker: User, child: Person, client_for: Login
) -> None:
    client = client_for(caseworker)
    assert client.get(reverse("aftercare:file_create") + f"?person={child.uuid}").status_code == 200
    response = client.post(
        reverse("aftercare:file_create"),
        {
            "person": [str(child.uuid)],
            "received_on": TODAY.isoformat(),
            "reception_place": "Makhachkala airport",
            "documents_issued": "birth certificate",
        },
    )
    assert response.status_code == 302
    assert AftercareFile.objects.get(person=child).documents_issued == "birth certificate"


def test_file_page_is_an_audited_read(
    caseworker: User, file: AftercareFile, child: Person, client_for: Login
) -> None:
    response = client_for(caseworker).get(reverse("aftercare:file_detail", args=[file.uuid]))
    assert response.status_code == 200
    assert child.display_name.encode() in response.content
    assert AuditEvent.objects.filter(
        action="view", object_uuid=file.uuid, person_uuid=child.uuid
    ).exists()
    assert_login_required(reverse("aftercare:file_detail", args=[file.uuid]))


def test_consular_officer_reads_but_does_not_write(
    users: dict[str, User], file: AftercareFile, client_for: Login
) -> None:
    client = client_for(users["consular_officer"])
    assert client.get(reverse("aftercare:file_detail", args=[file.uuid])).status_code == 200
    assert_forbidden(client, reverse("aftercare:placement_add", args=[file.uuid]))
    assert_forbidden(client, reverse("aftercare:file_create"))


def test_analyst_and_admin_see_no_aftercare(
    users: dict[str, User], file: AftercareFile, client_for: Login
) -> None:
    for role in ("analyst", "agency_admin"):
        client = client_for(users[role])
        assert_forbidden(client, reverse("aftercare:file_list"))
        assert_forbidden(client, reverse("aftercare:file_detail", args=[file.uuid]))


def test_another_agency_gets_404(
    file: AftercareFile, other_agency_user: User, client_for: Login
) -> None:
    client = client_for(other_agency_user)
    for name in ("file_detail", "reception_edit", "placement_add", "service_add", "followup_add"):
        assert_not_found(client, reverse(f"aftercare:{name}", args=[file.uuid]))
    assert b"Testova" not in client.get(reverse("aftercare:file_list")).content


def test_placement_form_shows_the_services_refusal(
    caseworker: User, file: AftercareFile, client_for: Login
) -> None:
    response = client_for(caseworker).post(
        reverse("aftercare:placement_add", args=[file.uuid]),
        {"kind": Placement.Kind.GUARDIAN, "start_date": TODAY.isoformat()},
    )
    assert response.status_code == 200
    assert b"Name the person who takes the returnee in" in response.content
    assert not Placement.objects.exists()


def test_overdue_page_and_recording_a_visit(
    caseworker: User, file: AftercareFile, client_for: Login
) -> None:
    visit = services.followup_schedule(
        actor=caseworker, file=file, due_on=TODAY - dt.timedelta(days=5)
    )
    client = client_for(caseworker)
    page = client.get(reverse("aftercare:overdue"))
    assert file.person.display_name.encode() in page.content
    response = client.post(
        reverse("aftercare:visit_record", args=[visit.uuid]),
        {"visited_on": TODAY.isoformat(), "outcome": FollowUp.Outcome.WELL},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.outcome == FollowUp.Outcome.WELL
    assert b"No visit is overdue" in client.get(reverse("aftercare:overdue")).content


def test_home_country_legal_case_is_linked(
    caseworker: User, file: AftercareFile, client_for: Login
) -> None:
    home = LegalCase.objects.create(
        agency_id=caseworker.agency_key,
        person=file.person,
        jurisdiction=LegalCase.Jurisdiction.HOME,
        country=factories.country("RU", "Russia"),
        court="Regional court (synthetic)",
    )
    page = client_for(caseworker).get(reverse("aftercare:file_detail", args=[file.uuid]))
    assert reverse("legal:case_detail", args=[home.uuid]).encode() in page.content
