"""Exporting repatriation cases: a row per member, through the exports' rules."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
import pyzipper  # type: ignore[import-untyped]
from django.test import Client
from django.urls import reverse

from tests.assertions import assert_forbidden, assert_login_required
from tests.repatriation.helpers import family, shipped
from wayhome.accounts.models import User
from wayhome.accounts.permissions import AUTH_AT
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.repatriation import services
from wayhome.repatriation.models import CaseStep, RepatriationCase

ClientFor = Callable[[User], Client]
URL = reverse("repatriation:case_export")


@pytest.fixture
def case(caseworker: User) -> RepatriationCase:
    fam = family(caseworker, children=1)
    case = services.case_open(
        actor=caseworker, rule_set=shipped(), persons=[fam.mother, *fam.children]
    )
    step = CaseStep.objects.filter(member__case=case, required=True).order_by("sort", "id").first()
    assert step is not None
    services.step_update(
        actor=caseworker, step=step, status=CaseStep.Status.BLOCKED, blocker="no exit visa yet"
    )
    return case


def _export(client: Client, query: str = "", **extra: object) -> object:
    return client.post(
        URL + query,
        {
            "columns": [
                "reference",
                "stage",
                "host_country",
                "member",
                "blocked_steps",
                "operation",
            ],
            "fmt": "csv",
            "reason": "embassy list",
            **extra,
        },
    )


def test_cases_export_a_row_per_member_with_blocked_steps_audited(
    caseworker: User, case: RepatriationCase, client_for: ClientFor
) -> None:
    client = client_for(caseworker)
    assert client.get(URL).status_code == 200
    response = _export(client)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "no-store" in response["Cache-Control"]  # type: ignore[index]
    lines = response.content.decode("utf-8-sig").splitlines()  # type: ignore[attr-defined]
    assert lines[0] == "Case reference,Stage,Host country,Member,Blocked steps,Operation"
    assert len(lines) == 3  # the mother and her child
    assert all(line.startswith(case.reference + ",") for line in lines[1:])
    assert "Iraq" in lines[1]
    assert any("no exit visa yet" in line for line in lines[1:])
    assert any("Zarema Testova" in line for line in lines[1:])
    event = AuditEvent.objects.get(action="export")
    assert event.changes["kind"] == "cases"
    assert event.changes["rows"] == 2
    assert event.reason == "embassy list"
    assert "Zarema" not in str(event.changes)


def test_the_list_pages_filter_is_carried_over(
    caseworker: User, case: RepatriationCase, client_for: ClientFor
) -> None:
    case.refresh_from_db()
    other = RepatriationCase.Stage.CLOSED
    assert case.stage != other
    text = _export(client_for(caseworker), f"?stage={other}").content.decode("utf-8-sig")  # type: ignore[attr-defined]
    assert len(text.splitlines()) == 1  # the headings only
    same = _export(client_for(caseworker), f"?stage={case.stage}").content.decode("utf-8-sig")  # type: ignore[attr-defined]
    assert len(same.splitlines()) == 3


def test_cases_export_encrypted_with_a_password(
    caseworker: User, case: RepatriationCase, client_for: ClientFor
) -> None:
    response = _export(client_for(caseworker), fmt="pdf", password="correct horse battery")
    assert response["Content-Disposition"].endswith('.pdf.zip"')  # type: ignore[index]
    with pyzipper.AESZipFile(io.BytesIO(response.content)) as aes:  # type: ignore[attr-defined]
        aes.setpassword(b"correct horse battery")
        assert aes.read(aes.namelist()[0]).startswith(b"%PDF")


def test_cases_export_needs_a_reason_and_a_fresh_login(
    caseworker: User, case: RepatriationCase, client_for: ClientFor
) -> None:
    client = client_for(caseworker)
    assert _export(client, reason=" ").status_code == 200  # type: ignore[attr-defined]
    session = client.session
    session[AUTH_AT] = 0
    session.save()
    stale = _export(client)
    assert stale.status_code == 302  # type: ignore[attr-defined]
    assert reverse("accounts:reauth") in stale["Location"]  # type: ignore[index]
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_role_exports_only_the_fields_it_sees_in_full(
    users: dict[str, User],
    case: RepatriationCase,
    client_for: ClientFor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wayhome.accounts import sensitivity

    consular = users[Role.CONSULAR_OFFICER]
    table = dict(sensitivity.ROLE_VISIBILITY[Role.CONSULAR_OFFICER])
    table[sensitivity.FieldClass.IDENTIFYING] = sensitivity.Visibility.MASK
    monkeypatch.setitem(sensitivity.ROLE_VISIBILITY, Role.CONSULAR_OFFICER, table)
    refused = _export(client_for(consular))
    assert refused.status_code == 200  # type: ignore[attr-defined]
    assert "member" in refused.content.decode()  # type: ignore[attr-defined]
    assert not AuditEvent.objects.filter(action="export").exists()
    allowed = _export(client_for(consular), columns=["reference", "stage"])
    assert allowed.content.decode("utf-8-sig").splitlines()[1].startswith(case.reference)  # type: ignore[attr-defined]


def test_who_may_not_export_cases(
    users: dict[str, User], case: RepatriationCase, client_for: ClientFor, other_agency_user: User
) -> None:
    for role in (Role.ANALYST, Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN):
        assert_forbidden(client_for(users[role]), URL, "post")
    assert_login_required(URL)
    # Another agency's user exports their own (no) cases, never this one.
    text = _export(client_for(other_agency_user)).content.decode("utf-8-sig")  # type: ignore[attr-defined]
    assert case.reference not in text
    assert len(text.splitlines()) == 1
