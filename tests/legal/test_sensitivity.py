"""A legal case's page follows the sensitivity table: proceedings are ``legal`` (every
case role reads them), notes ``free_text`` (masked for consular officers)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.legal import services
from wayhome.legal.models import LegalCase

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
NOTE = "Synthetic confidential remark 6618"
CHARGES = "Synthetic charge under article 4"


@pytest.fixture
def case(users: dict[str, User]) -> LegalCase:
    officer = users[Role.LEGAL_OFFICER]
    person = factories.person(officer, "Madina", "Testova")
    return services.legal_case_create(
        actor=officer,
        person=person,
        country=factories.country("IQ", "Iraq"),
        court="Court A",
        charges=CHARGES,
        notes=NOTE,
    )


@pytest.mark.parametrize(
    ("role", "sees_note"),
    [
        (Role.CASEWORKER, True),
        (Role.SUPERVISOR, True),
        (Role.LEGAL_OFFICER, True),
        (Role.CONSULAR_OFFICER, False),
    ],
)
def test_case_page_per_role(
    case: LegalCase, users: dict[str, User], client_for: ClientFor, role: str, sees_note: bool
) -> None:
    response = client_for(users[role]).get(reverse("legal:case_detail", args=[case.uuid]))
    html = response.content.decode()
    assert response.status_code == 200
    assert CHARGES in html
    assert (NOTE in html) is sees_note
    assert ("restricted" in html) is not sees_note
