"""The casework API (legal cases, repatriation cases, operations) follows the pages'
rules: capabilities per role, scoped reads (another agency's id is 404), audited reads of
a person's file, and the apps' own services (and refusals) for every write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.api.helpers import api, token_for
from tests.operations import builders
from tests.repatriation.helpers import family, shipped
from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.legal import services as legal_services
from wayhome.legal.models import LegalCase
from wayhome.operations.models import Operation
from wayhome.repatriation import services as rep_services
from wayhome.repatriation.models import RepatriationCase

JSON = "application/json"


def _client(agency: Agency, role: str) -> Client:
    return api(token_for(agency, role))


def _views_of(person_uuid: Any) -> int:
    return AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, person_uuid=person_uuid).count()


# --- legal cases --------------------------------------------------------------------------


def _legal_case(caseworker: User, **kw: Any) -> LegalCase:
    person = factories.person(caseworker)
    actor = factories.user(caseworker.agency, Role.LEGAL_OFFICER)
    case = legal_services.legal_case_create(
        actor=actor, person=person, country=factories.country("IQ", "Iraq"), **kw
    )
    legal_services.hearing_add(
        actor=actor, case=case, date=dt.date(2026, 1, 15), court="Central Criminal Court"
    )
    return case


def test_legal_cases_list_filters_and_retrieve_is_audited(
    caseworker: User, agency_a: Agency
) -> None:
    charged = _legal_case(caseworker, status=LegalCase.Status.AWAITING_TRIAL)
    other = _legal_case(caseworker)
    client = _client(agency_a, Role.LEGAL_OFFICER)

    rows = client.get("/api/v1/legal-cases/").json()["results"]
    assert {r["uuid"] for r in rows} == {str(charged.uuid), str(other.uuid)}
    assert "charges" not in rows[0]
    assert "notes" not in rows[0]
    by_person = client.get(f"/api/v1/legal-cases/?person={charged.person.uuid}").json()
    assert [r["uuid"] for r in by_person["results"]] == [str(charged.uuid)]
    by_status = client.get("/api/v1/legal-cases/?status=awaiting_trial").json()
    assert [r["uuid"] for r in by_status["results"]] == [str(charged.uuid)]
    assert client.get("/api/v1/legal-cases/?status=nonsense").status_code == 400
    assert client.get("/api/v1/legal-cases/?person=not-a-uuid").status_code == 400

    before = _views_of(charged.person.uuid)
    response = client.get(f"/api/v1/legal-cases/{charged.uuid}/")
    assert response.status_code == 200
    assert response["ETag"]
    body = response.json()
    assert body["person"] == str(charged.person.uuid)
    assert body["country"] == "IQ"
    assert [h["court"] for h in body["hearings"]] == ["Central Criminal Court"]
    assert body["appeals"] == []
    assert set(body["sentence"]) >= {"verdict", "kind", "years", "deferred_until"}
    assert _views_of(charged.person.uuid) == before + 1


def test_legal_cases_are_refused_without_legal_view_and_hidden_from_other_agencies(
    caseworker: User, agency_a: Agency, agency_b: Agency
) -> None:
    case = _legal_case(caseworker)
    analyst = _client(agency_a, Role.ANALYST)
    assert analyst.get("/api/v1/legal-cases/").status_code == 403
    assert analyst.get(f"/api/v1/legal-cases/{case.uuid}/").status_code == 403
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DENIED).exists()
    other = _client(agency_b, Role.LEGAL_OFFICER)
    assert other.get(f"/api/v1/legal-cases/{case.uuid}/").status_code == 404
    assert other.get("/api/v1/legal-cases/").json()["results"] == []
    # Writing needs legal.edit, which an analyst lacks.
    assert analyst.post("/api/v1/legal-cases/", {}, "application/json").status_code == 403


# --- repatriation cases -------------------------------------------------------------------


def _open_case(actor: User, children: int = 1) -> RepatriationCase:
    fam = family(actor, children=children)
    return rep_services.case_open(
        actor=actor, rule_set=shipped(), persons=[fam.mother, *fam.children]
    )


def test_repatriation_cases_list_filters_and_retrieve_shows_the_checklist(
    caseworker: User, agency_a: Agency
) -> None:
    case = _open_case(caseworker)
    ready = builders.family(caseworker, "Apitest", 1).case
    client = _client(agency_a, Role.CONSULAR_OFFICER)

    rows = client.get("/api/v1/repatriation-cases/").json()["results"]
    assert {r["uuid"] for r in rows} == {str(case.uuid), str(ready.uuid)}
    staged = client.get("/api/v1/repatriation-cases/?stage=ready").json()["results"]
    assert [r["uuid"] for r in staged] == [str(ready.uuid)]
    principal = case.members.get(is_principal=True).person
    mine = client.get(f"/api/v1/repatriation-cases/?person={principal.uuid}").json()["results"]
    assert [r["uuid"] for r in mine] == [str(case.uuid)]
    assert client.get("/api/v1/repatriation-cases/?stage=nowhere").status_code == 400

    before = _views_of(principal.uuid)
    response = client.get(f"/api/v1/repatriation-cases/{case.uuid}/")
    assert response.status_code == 200
    assert response["ETag"]
    body = response.json()
    assert body["reference"] == case.reference
    assert body["members"][0]["person"] == str(principal.uuid)
    assert body["members"][0]["is_principal"] is True
    checklist = body["members"][1]["checklist"]
    assert checklist
    assert set(checklist[0]) >= {"code", "label", "status", "blocker", "since", "required"}
    # Reading the case reads every member's file, as on the case page.
    assert _views_of(principal.uuid) == before + 1


def test_ready_is_refused_with_the_open_steps_and_writes_nothing(
    caseworker: User, agency_a: Agency
) -> None:
    case = _open_case(caseworker)
    client = _client(agency_a, Role.CASEWORKER)
    response = client.post(f"/api/v1/repatriation-cases/{case.uuid}/ready/", {}, JSON)
    assert response.status_code == 400
    body = response.json()
    assert "still open" in body["non_field_errors"][0]
    assert body["open_steps"]
    assert set(body["open_steps"][0]) == {"person", "code", "label", "status", "blocker", "since"}
    assert {s["status"] for s in body["open_steps"]} <= {"pending", "blocked"}
    # A caseworker may not override, even with a reason.
    response = client.post(
        f"/api/v1/repatriation-cases/{case.uuid}/ready/", {"override_reason": "Urgent"}, JSON
    )
    assert response.status_code == 400
    assert "supervisor" in response.json()["non_field_errors"][0]
    case.refresh_from_db()
    assert case.stage != RepatriationCase.Stage.READY


def test_a_supervisor_overrides_ready_only_with_a_reason(
    caseworker: User, agency_a: Agency
) -> None:
    case = _open_case(caseworker)
    client = _client(agency_a, Role.SUPERVISOR)
    url = f"/api/v1/repatriation-cases/{case.uuid}/ready/"
    assert client.post(url, {}, JSON).status_code == 400
    response = client.post(url, {"override_reason": "Medical evacuation agreed"}, JSON)
    assert response.status_code == 200
    assert response.json()["stage"] == "ready"
    assert response.json()["ready_override_reason"] == "Medical evacuation agreed"
    case.refresh_from_db()
    assert case.stage == RepatriationCase.Stage.READY
    event = AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_uuid=case.uuid
    ).latest("at")
    assert event.reason == "Medical evacuation agreed"


def test_repatriation_cases_roles_and_other_agencies(
    caseworker: User, agency_a: Agency, agency_b: Agency
) -> None:
    case = _open_case(caseworker)
    analyst = _client(agency_a, Role.ANALYST)
    assert analyst.get("/api/v1/repatriation-cases/").status_code == 403
    assert analyst.get(f"/api/v1/repatriation-cases/{case.uuid}/").status_code == 403
    url = f"/api/v1/repatriation-cases/{case.uuid}/ready/"
    assert analyst.post(url, {}, JSON).status_code == 403
    other = _client(agency_b, Role.SUPERVISOR)
    assert other.get(f"/api/v1/repatriation-cases/{case.uuid}/").status_code == 404
    assert other.post(url, {"override_reason": "x"}, JSON).status_code == 404
    assert other.get("/api/v1/repatriation-cases/").json()["results"] == []
    case.refresh_from_db()
    assert case.stage != RepatriationCase.Stage.READY


# --- operations ---------------------------------------------------------------------------


def test_an_operation_shows_its_manifest_and_audits_each_traveller(
    caseworker: User, agency_a: Agency
) -> None:
    fam = builders.family(caseworker, "Manifesto", 2)
    op = builders.flight(caseworker, days_ago=-10)
    supervisor = _client(agency_a, Role.SUPERVISOR)
    added = supervisor.post(
        f"/api/v1/operations/{op.uuid}/cases/", {"case": str(fam.case.uuid)}, JSON
    )
    assert added.status_code == 201, added.json()

    viewer = _client(agency_a, Role.CASEWORKER)
    rows = viewer.get("/api/v1/operations/").json()["results"]
    assert [r["uuid"] for r in rows] == [str(op.uuid)]
    before = _views_of(fam.mother.uuid)
    response = viewer.get(f"/api/v1/operations/{op.uuid}/")
    assert response.status_code == 200
    assert response["ETag"]
    body = response.json()
    assert body["cases"] == [str(fam.case.uuid)]
    manifest = body["manifest"]
    assert manifest["seats"] == 3
    assert manifest["children"] == 2
    assert manifest["can_confirm"] is True
    assert {t["person"] for t in manifest["travellers"]} == {
        str(p.uuid) for p in [fam.mother, *fam.children]
    }
    assert all(t["case"] == str(fam.case.uuid) for t in manifest["travellers"])
    assert _views_of(fam.mother.uuid) == before + 1


def test_confirm_freezes_the_manifest_and_schedules_the_cases(
    caseworker: User, agency_a: Agency
) -> None:
    fam = builders.family(caseworker, "Confirmova", 1)
    op = builders.flight(caseworker, days_ago=-10)
    client = _client(agency_a, Role.CONSULAR_OFFICER)
    assert (
        client.post(
            f"/api/v1/operations/{op.uuid}/cases/", {"case": str(fam.case.uuid)}, JSON
        ).status_code
        == 201
    )
    response = client.post(f"/api/v1/operations/{op.uuid}/confirm/", {}, JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == Operation.State.CONFIRMED
    assert len(body["manifest"]["travellers"]) == 2
    assert body["manifest"]["can_confirm"] is False
    fam.case.refresh_from_db()
    assert fam.case.stage == RepatriationCase.Stage.SCHEDULED


def test_the_manifest_rules_refuse_with_the_reasons(caseworker: User, agency_a: Agency) -> None:
    client = _client(agency_a, Role.SUPERVISOR)
    empty = builders.flight(caseworker, days_ago=-10)
    response = client.post(f"/api/v1/operations/{empty.uuid}/confirm/", {}, JSON)
    assert response.status_code == 400
    assert "ready case" in response.json()["non_field_errors"][0]

    small = builders.flight(caseworker, capacity=2, days_ago=-10)
    big = builders.family(caseworker, "Bigfamilova", 3)
    response = client.post(
        f"/api/v1/operations/{small.uuid}/cases/", {"case": str(big.case.uuid)}, JSON
    )
    assert response.status_code == 400
    assert "Capacity exceeded" in response.json()["case"][0]
    assert not small.case_links.exists()

    not_ready = _open_case(caseworker)
    response = client.post(
        f"/api/v1/operations/{empty.uuid}/cases/", {"case": str(not_ready.uuid)}, JSON
    )
    assert response.status_code == 400
    assert "not ready" in response.json()["case"][0]
    assert not empty.case_links.exists()
    response = client.post(f"/api/v1/operations/{empty.uuid}/cases/", {"case": "nope"}, JSON)
    assert response.status_code == 400


def test_operations_roles_and_other_agencies(
    caseworker: User, agency_a: Agency, agency_b: Agency, other_agency_user: User
) -> None:
    fam = builders.family(caseworker, "Rolova", 1)
    op = builders.flight(caseworker, days_ago=-10)
    # A caseworker reads operations but does not run them.
    worker = _client(agency_a, Role.CASEWORKER)
    assert worker.get(f"/api/v1/operations/{op.uuid}/").status_code == 200
    add = f"/api/v1/operations/{op.uuid}/cases/"
    assert worker.post(add, {"case": str(fam.case.uuid)}, JSON).status_code == 403
    assert worker.post(f"/api/v1/operations/{op.uuid}/confirm/", {}, JSON).status_code == 403
    assert _client(agency_a, Role.ANALYST).get("/api/v1/operations/").status_code == 403
    # Another agency's token: the operation and the case are "does not exist".
    other = _client(agency_b, Role.SUPERVISOR)
    assert other.get(f"/api/v1/operations/{op.uuid}/").status_code == 404
    assert other.post(add, {"case": str(fam.case.uuid)}, JSON).status_code == 404
    own = builders.flight(other_agency_user, days_ago=-10)
    response = other.post(
        f"/api/v1/operations/{own.uuid}/cases/", {"case": str(fam.case.uuid)}, JSON
    )
    assert response.status_code == 400
    assert not own.case_links.exists()
    assert not op.case_links.exists()


@pytest.mark.parametrize("path", ["legal-cases", "repatriation-cases", "operations"])
def test_casework_lists_are_cursor_pages(path: str, agency_a: Agency) -> None:
    body = _client(agency_a, Role.SUPERVISOR).get(f"/api/v1/{path}/?page_size=1").json()
    assert set(body) == {"next", "previous", "results"}
