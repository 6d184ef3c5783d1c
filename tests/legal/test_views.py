"""Legal pages for users who may and users who may not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.assertions import assert_forbidden, assert_not_found
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.legal import services
from wayhome.legal.models import LegalCase

ClientFor = Callable[[User], Client]


@pytest.fixture
def officer(users: dict[str, User]) -> User:
    return users[Role.LEGAL_OFFICER]


@pytest.fixture
def case(officer: User) -> LegalCase:
    person = factories.person(officer, "Madina", "Testova")
    return services.legal_case_create(
        actor=officer, person=person, country=factories.country("IQ", "Iraq"), court="Court A"
    )


def test_create_from_a_person(officer: User, client_for: ClientFor) -> None:
    person = factories.person(officer, "Khava", "Testova")
    client = client_for(officer)
    url = reverse("legal:case_create") + f"?person={person.uuid}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "person": [str(person.uuid)],
            "jurisdiction": "host",
            "country": "IQ",
            "status": "awaiting_trial",
            "court": "Juvenile court (synthetic)",
        },
    )
    assert response.status_code == 302
    assert LegalCase.objects.get().person == person


def test_empty_post_shows_errors(officer: User, client_for: ClientFor) -> None:
    response = client_for(officer).post(reverse("legal:case_create"), {})
    assert response.status_code == 200
    assert not LegalCase.objects.exists()


def test_detail_is_an_audited_read(
    case: LegalCase, caseworker: User, client_for: ClientFor
) -> None:
    page = client_for(caseworker).get(reverse("legal:case_detail", args=[case.uuid]))
    assert page.status_code == 200
    assert "Court A" in page.content.decode()
    assert AuditEvent.objects.filter(
        action="view", object_uuid=case.uuid, person_uuid=case.person.uuid
    ).exists()


def test_refusals(
    case: LegalCase, users: dict[str, User], other_agency_user: User, client_for: ClientFor
) -> None:
    detail = reverse("legal:case_detail", args=[case.uuid])
    assert_not_found(client_for(other_agency_user), detail)
    assert_forbidden(client_for(users[Role.ANALYST]), detail)
    assert_forbidden(client_for(users[Role.CASEWORKER]), reverse("legal:verdict", args=[case.uuid]))


def test_verdict_page_and_hearing_list(
    case: LegalCase, officer: User, client_for: ClientFor
) -> None:
    client = client_for(officer)
    response = client.post(
        reverse("legal:verdict", args=[case.uuid]),
        {"verdict": "guilty", "verdict_on": "2026-02-01", "sentence_kind": "life"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.sentence_kind == LegalCase.SentenceKind.LIFE
    soon = timezone.localdate() + dt.timedelta(days=5)
    client.post(
        reverse("legal:hearing_add", args=[case.uuid]),
        {"date": soon.isoformat(), "purpose": "Appeal hearing"},
    )
    listing = client.get(reverse("legal:hearing_list")).content.decode()
    assert "Appeal hearing" in listing
    history = client.get(reverse("legal:case_detail", args=[case.uuid])).content.decode()
    assert "Life imprisonment" in history
    assert client.get(reverse("legal:case_list") + "?status=sentenced").status_code == 200
