"""Exporting legal cases: a row per case, through the exports' rules (a fresh login, a
reason, the role's field sensitivity, an optional password, an audit event)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
import pyzipper  # type: ignore[import-untyped]
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.assertions import assert_forbidden, assert_login_required
from wayhome.accounts.models import User
from wayhome.accounts.permissions import AUTH_AT
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.legal import services
from wayhome.legal.models import LegalCase

ClientFor = Callable[[User], Client]
URL = reverse("legal:case_export")
COLUMNS = ["person", "country", "court", "status", "next_hearing", "notes"]


@pytest.fixture
def cases(users: dict[str, User]) -> list[LegalCase]:
    officer = users[Role.LEGAL_OFFICER]
    iraq = factories.country("IQ", "Iraq")
    on_trial = services.legal_case_create(
        actor=officer,
        person=factories.person(officer, "Madina", "Testova"),
        country=iraq,
        court="Karkh court (synthetic)",
        status=LegalCase.Status.ON_TRIAL,
        notes="mother asks for a lawyer",
    )
    services.hearing_add(
        actor=officer, case=on_trial, date=timezone.localdate() + dt.timedelta(days=9)
    )
    waiting = services.legal_case_create(
        actor=officer,
        person=factories.person(officer, "Zarema", "Testova"),
        country=iraq,
        court="Rusafa court (synthetic)",
        status=LegalCase.Status.AWAITING_TRIAL,
    )
    return [on_trial, waiting]


def _export(client: Client, query: str = "", **extra: Any) -> Any:
    return client.post(
        URL + query, {"columns": COLUMNS, "fmt": "csv", "reason": "lawyers' meeting", **extra}
    )


def _lines(response: Any) -> list[str]:
    text: str = response.content.decode("utf-8-sig")
    return text.splitlines()


def test_legal_cases_export_a_row_per_case_audited(
    users: dict[str, User], cases: list[LegalCase], client_for: ClientFor
) -> None:
    client = client_for(users[Role.LEGAL_OFFICER])
    page = client.get(URL)
    assert page.status_code == 200
    assert "Next hearing" in page.content.decode()
    response = _export(client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="wayhome-legal_cases-')
    lines = _lines(response)
    assert lines[0] == "Person,Country,Court,Status,Next hearing,Notes"
    in_nine_days = (timezone.localdate() + dt.timedelta(days=9)).isoformat()
    assert lines[1:] == [
        f"Madina Testova,Iraq,Karkh court (synthetic),On trial,{in_nine_days},"
        "mother asks for a lawyer",
        "Zarema Testova,Iraq,Rusafa court (synthetic),Awaiting trial,,",
    ]
    event = AuditEvent.objects.get(action="export")
    assert event.changes == {
        "kind": "legal_cases",
        "rows": 2,
        "fields": COLUMNS,
        "format": "csv",
        "encrypted": False,
    }
    assert event.reason == "lawyers' meeting"
    assert "Madina" not in str(event.changes)


def test_the_list_pages_filter_is_carried_over(
    users: dict[str, User], cases: list[LegalCase], client_for: ClientFor
) -> None:
    client = client_for(users[Role.LEGAL_OFFICER])
    listed = client.get(reverse("legal:case_list") + "?status=on_trial&jurisdiction=")
    assert f"{URL}?status=on_trial&amp;jurisdiction=" in listed.content.decode()
    query = "?status=on_trial&jurisdiction="
    assert "On trial" in client.get(URL + query).content.decode()
    lines = _lines(_export(client, query))
    assert len(lines) == 2
    assert lines[1].startswith("Madina Testova,")
    assert len(_lines(_export(client, "?status=closed"))) == 1  # the headings only


def test_legal_cases_export_encrypted_with_a_password(
    users: dict[str, User], cases: list[LegalCase], client_for: ClientFor
) -> None:
    response = _export(
        client_for(users[Role.SUPERVISOR]), fmt="xlsx", password="correct horse battery"
    )
    assert response["Content-Disposition"].endswith('.xlsx.zip"')
    with pyzipper.AESZipFile(io.BytesIO(response.content)) as aes:
        aes.setpassword(b"correct horse battery")
        assert aes.read(aes.namelist()[0]).startswith(b"PK")  # the XLSX inside
    assert AuditEvent.objects.get(action="export").changes["encrypted"] is True


def test_legal_cases_export_needs_a_reason_and_a_fresh_login(
    users: dict[str, User], cases: list[LegalCase], client_for: ClientFor
) -> None:
    client = client_for(users[Role.CASEWORKER])
    refused = _export(client, reason=" ")
    assert refused.status_code == 200
    assert "attachment" not in refused.get("Content-Disposition", "")
    session = client.session
    session[AUTH_AT] = 0
    session.save()
    stale = _export(client)
    assert stale.status_code == 302
    assert reverse("accounts:reauth") in stale["Location"]
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_consular_officer_may_not_export_the_notes(
    users: dict[str, User], cases: list[LegalCase], client_for: ClientFor
) -> None:
    """Consular officers see notes masked (free text), so the notes never leave with them."""
    client = client_for(users[Role.CONSULAR_OFFICER])
    refused = _export(client)
    assert refused.status_code == 200
    assert "may not export: notes" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()
    allowed = _export(client, columns=["person", "court", "sentence"])
    assert _lines(allowed)[0] == "Person,Court,Sentence"
    assert AuditEvent.objects.get(action="export").changes["rows"] == 2


def test_who_may_not_export_legal_cases(
    users: dict[str, User], cases: list[LegalCase], client_for: ClientFor, other_agency_user: User
) -> None:
    for role in (Role.ANALYST, Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN):
        assert_forbidden(client_for(users[role]), URL, "post")
    assert_login_required(URL)
    # Another agency's user exports their own (no) cases, never these.
    lines = _lines(_export(client_for(other_agency_user)))
    assert lines == ["Person,Country,Court,Status,Next hearing,Notes"]


def test_the_export_reads_as_many_queries_for_many_cases_as_for_few(
    users: dict[str, User], cases: list[LegalCase]
) -> None:
    """Persons, countries and next hearings come with the cases, never one query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wayhome.legal.selectors import legal_cases_visible_to
    from wayhome.lists.exporting import LEGAL_CASE_COLUMNS, export_legal_cases

    officer = users[Role.LEGAL_OFFICER]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export_legal_cases(
                actor=officer,
                cases=legal_cases_visible_to(officer),
                columns=list(LEGAL_CASE_COLUMNS),
                reason="count",
                fmt="csv",
            )
        return len(captured.captured_queries)

    few = queries()
    for i in range(6):
        case = services.legal_case_create(
            actor=officer,
            person=factories.person(officer, f"Aisha{i}", "Testova"),
            country=factories.country("SY", "Syria"),
        )
        services.hearing_add(actor=officer, case=case, date=timezone.localdate())
    assert queries() == few
    assert AuditEvent.objects.filter(action="export").latest("id").changes["rows"] == 8
