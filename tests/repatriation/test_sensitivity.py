"""A repatriation case's page follows the sensitivity table: notes and reasons are
``free_text`` (masked for consular officers), the case's progress ``case``."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.repatriation.helpers import family, shipped
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.repatriation import services
from wayhome.repatriation.models import RepatriationCase

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
NOTE = "Synthetic confidential remark 2290"


@pytest.fixture
def case(caseworker: User) -> RepatriationCase:
    fam = family(caseworker, children=1)
    return services.case_open(
        actor=caseworker, rule_set=shipped(), persons=[fam.mother, *fam.children], notes=NOTE
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
    case: RepatriationCase,
    users: dict[str, User],
    client_for: ClientFor,
    role: str,
    sees_note: bool,
) -> None:
    response = client_for(users[role]).get(reverse("repatriation:case_detail", args=[case.uuid]))
    html = response.content.decode()
    assert response.status_code == 200
    assert case.reference in html
    assert (NOTE in html) is sees_note
    assert ("restricted" in html) is not sees_note
    case.refresh_from_db()
    assert case.notes == NOTE
