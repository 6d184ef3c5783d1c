"""Aftercare pages follow the sensitivity table: medical findings are health, a
guardian's phone and address contact (docs/security.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.aftercare import services
from wayhome.aftercare.models import AftercareFile, Placement

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
TODAY = timezone.localdate()
FINDING = "Synthetic finding 4471"
PHONE = "+7 900 555 0142"
ADDRESS = "Synthetic street 12"


@pytest.fixture
def file(users: dict[str, User]) -> AftercareFile:
    supervisor = users[Role.SUPERVISOR]
    child = factories.person(supervisor, given="Saida", family="Testova", birth=dt.date(2016, 1, 1))
    file = services.file_open(
        actor=supervisor,
        person=child,
        reception=services.ReceptionData(
            received_on=TODAY - dt.timedelta(days=30),
            reception_place="Grozny airport",
            medical_check_on=TODAY - dt.timedelta(days=29),
            medical_notes=FINDING,
        ),
    )
    services.placement_add(
        actor=supervisor,
        file=file,
        data=services.PlacementData(
            kind=Placement.Kind.GRANDPARENTS,
            start_date=TODAY - dt.timedelta(days=20),
            guardian_name="Zarema Testova",
            guardian_relationship="grandmother",
            guardian_phone=PHONE,
            guardian_address=ADDRESS,
        ),
    )
    return file


@pytest.mark.parametrize(
    ("role", "finding", "contact", "restricted"),
    [
        (Role.SUPERVISOR, True, True, False),
        (Role.CASEWORKER, False, True, True),  # health masked
        (Role.LEGAL_OFFICER, False, False, True),  # health and contact masked
        (Role.CONSULAR_OFFICER, False, False, True),  # health masked, contact never
    ],
)
def test_file_page_sends_only_what_the_role_may_read(
    users: dict[str, User],
    client_for: Login,
    file: AftercareFile,
    role: str,
    finding: bool,
    contact: bool,
    restricted: bool,
) -> None:
    html = client_for(users[role]).get(reverse("aftercare:file_detail", args=[file.uuid]))
    text = html.content.decode()
    assert html.status_code == 200
    assert (FINDING in text) is finding
    assert (PHONE in text) is contact
    assert (ADDRESS in text) is contact
    assert ("restricted" in text) is restricted
    assert "Zarema Testova" in text  # a guardian's name is identifying: every case role


def test_consular_officer_is_not_told_a_guardian_phone_exists(
    users: dict[str, User], client_for: Login, file: AftercareFile
) -> None:
    text = client_for(users[Role.CONSULAR_OFFICER]).get(
        reverse("aftercare:file_detail", args=[file.uuid])
    )
    # One "restricted": the medical findings; the phone and address are left out.
    assert text.content.decode().count("restricted") == 1


def test_reception_form_withholds_and_keeps_medical_findings(
    users: dict[str, User], client_for: Login, file: AftercareFile
) -> None:
    client = client_for(users[Role.CASEWORKER])
    url = reverse("aftercare:reception_edit", args=[file.uuid])
    page = client.get(url)
    assert page.status_code == 200
    assert FINDING not in page.content.decode()
    assert 'name="medical_notes"' not in page.content.decode()
    response = client.post(
        url,
        {
            "received_on": file.received_on.isoformat(),
            "reception_place": "Makhachkala airport",
            "medical_check_on": file.medical_check_on.isoformat() if file.medical_check_on else "",
            "documents_issued": "",
        },
    )
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.reception_place == "Makhachkala airport"
    assert file.medical_notes == FINDING


def test_supervisor_edits_medical_findings(
    users: dict[str, User], client_for: Login, file: AftercareFile
) -> None:
    page = client_for(users[Role.SUPERVISOR]).get(
        reverse("aftercare:reception_edit", args=[file.uuid])
    )
    assert FINDING in page.content.decode()
