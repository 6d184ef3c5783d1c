"""The casework API's writes (issue 7): opening a legal case and recording its hearings,
verdict and appeals; opening a repatriation case, recording checklist progress and
moving its stage; planning an operation and putting cases on and off it. Each goes
through the apps' services (so the same refusals and audit events as the pages), needs
the same capability, answers another agency's id with 404, and an edit of a record
someone else may have changed needs If-Match (428 without it, 412 when stale)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.api.helpers import api, token_for
from tests.operations import builders
from tests.repatriation.helpers import family, shipped
from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.legal import services as legal_services
from wayhome.legal.models import Appeal, Hearing, LegalCase
from wayhome.operations.models import Operation
from wayhome.repatriation.models import CaseStep, RepatriationCase

JSON = "application/json"


def _client(agency: Agency, role: str) -> Client:
    return api(token_for(agency, role))


def _write(client: Client, method: str, url: str, body: Any, etag: str | None = None) -> Any:
    headers = {"If-Match": etag} if etag is not None else {}
    return getattr(client, method)(url, body, JSON, headers=headers)


def _audited(action: str, obj_uuid: Any) -> int:
    return AuditEvent.objects.filter(action=action, object_uuid=obj_uuid).count()


# --- legal cases --------------------------------------------------------------------------


def test_a_legal_officer_opens_a_case_and_edits_it_with_if_match(
    caseworker: User, agency_a: Agency
) -> None:
    person = factories.person(caseworker)
    factories.country("IQ", "Iraq")
    client = _client(agency_a, Role.LEGAL_OFFICER)
    response = _write(
        client,
        "post",
        "/api/v1/legal-cases/",
        {
            "person": str(person.uuid),
            "country": "IQ",
            "court": "Central Criminal Court",
            "charges": "Membership (art. 4)",
            "status": "awaiting_trial",
            "lawyer_fee": "400.00",
            "lawyer_fee_currency": "usd",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    case = LegalCase.objects.get(uuid=body["uuid"])
    assert (case.person, case.status, case.lawyer_fee_currency) == (
        person,
        "awaiting_trial",
        "USD",
    )
    assert _audited(AuditEvent.Action.CREATE, case.uuid) == 1
    url = f"/api/v1/legal-cases/{case.uuid}/"
    etag = response["ETag"]

    assert _write(client, "patch", url, {"court": "Karkh court"}).status_code == 428
    changed = _write(client, "patch", url, {"court": "Karkh court"}, etag)
    assert changed.status_code == 200, changed.json()
    assert changed.json()["court"] == "Karkh court"
    assert changed["ETag"] != etag
    # The first ETag is stale now: nothing is written.
    stale = _write(client, "patch", url, {"court": "Rusafa court"}, etag)
    assert stale.status_code == 412
    case.refresh_from_db()
    assert case.court == "Karkh court"
    other = factories.person(caseworker)
    moved = _write(client, "patch", url, {"person": str(other.uuid)}, changed["ETag"])
    assert moved.status_code == 400
    assert "person" in moved.json()
    # The service's own refusal, as on the pages: a sentence has its own command.
    sentenced = _write(client, "patch", url, {"status": "sentenced"}, changed["ETag"])
    assert sentenced.status_code == 400
    assert "status" in sentenced.json()


def test_verdict_hearings_and_appeals_go_through_the_legal_services(
    caseworker: User, agency_a: Agency
) -> None:
    person = factories.person(caseworker)
    lawyer = factories.user(agency_a, Role.LEGAL_OFFICER)
    case = legal_services.legal_case_create(
        actor=lawyer, person=person, country=factories.country("IQ", "Iraq")
    )
    client = _client(agency_a, Role.LEGAL_OFFICER)
    url = f"/api/v1/legal-cases/{case.uuid}/"
    etag = client.get(url)["ETag"]
    verdict = {
        "verdict": "guilty",
        "verdict_on": "2026-03-01",
        "sentence_kind": "years",
        "sentence_years": "15",
    }
    assert _write(client, "post", url + "verdict/", verdict).status_code == 428
    refused = _write(client, "post", url + "verdict/", {**verdict, "sentence_kind": ""}, etag)
    assert refused.status_code == 400
    assert "sentence_kind" in refused.json()
    recorded = _write(client, "post", url + "verdict/", verdict, etag)
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["status"] == "sentenced"
    assert recorded.json()["sentence"]["years"] == "15.0"

    past = _write(
        client, "post", url + "hearings/", {"date": "2026-01-15", "purpose": "First hearing"}
    )
    assert past.status_code == 201, past.json()
    hearing = Hearing.objects.get(uuid=past.json()["uuid"])
    assert past.json()["legal_case"] == str(case.uuid)
    later = timezone.localdate() + dt.timedelta(days=20)
    future = _write(client, "post", url + "hearings/", {"date": later.isoformat()})
    assert future.status_code == 201
    # A hearing still to come has no outcome yet (the service refuses, 400).
    coming = f"/api/v1/hearings/{future.json()['uuid']}/outcome/"
    not_yet = _write(client, "post", coming, {"outcome": "Adjourned"}, future["ETag"])
    assert not_yet.status_code == 400
    outcome_url = f"/api/v1/hearings/{hearing.uuid}/outcome/"
    assert _write(client, "post", outcome_url, {"outcome": "Adjourned"}).status_code == 428
    done = _write(client, "post", outcome_url, {"outcome": "Adjourned"}, past["ETag"])
    assert done.status_code == 200, done.json()
    hearing.refresh_from_db()
    assert hearing.outcome == "Adjourned"
    stale = _write(client, "post", outcome_url, {"outcome": "Postponed"}, past["ETag"])
    assert stale.status_code == 412

    filed = _write(client, "post", url + "appeals/", {"filed_on": "2026-03-10", "grounds": "x"})
    assert filed.status_code == 201, filed.json()
    case.refresh_from_db()
    assert case.status == LegalCase.Status.ON_APPEAL
    appeal_url = f"/api/v1/appeals/{filed.json()['uuid']}/"
    read = client.get(appeal_url)
    assert read.status_code == 200
    decision = {"outcome": "reduced", "decided_on": "2026-04-01"}
    assert _write(client, "post", appeal_url + "decide/", decision).status_code == 428
    decided = _write(client, "post", appeal_url + "decide/", decision, read["ETag"])
    assert decided.status_code == 200, decided.json()
    appeal = Appeal.objects.get(uuid=filed.json()["uuid"])
    assert appeal.outcome == Appeal.Outcome.REDUCED
    case.refresh_from_db()
    assert case.status == LegalCase.Status.SENTENCED
    assert _audited(AuditEvent.Action.UPDATE, appeal.uuid) == 1


def test_legal_writes_are_refused_without_legal_edit_and_to_other_agencies(
    caseworker: User, agency_a: Agency, agency_b: Agency, other_agency_user: User
) -> None:
    person = factories.person(caseworker)
    lawyer = factories.user(agency_a, Role.LEGAL_OFFICER)
    case = legal_services.legal_case_create(
        actor=lawyer, person=person, country=factories.country("IQ", "Iraq")
    )
    hearing = legal_services.hearing_add(actor=lawyer, case=case, date=dt.date(2026, 1, 15))
    url = f"/api/v1/legal-cases/{case.uuid}/"
    new = {"person": str(person.uuid), "country": "IQ"}
    # A caseworker reads legal cases but does not write them (as on the pages).
    worker = _client(agency_a, Role.CASEWORKER)
    etag = worker.get(url)["ETag"]
    assert _write(worker, "post", "/api/v1/legal-cases/", new).status_code == 403
    assert _write(worker, "patch", url, {"court": "x"}, etag).status_code == 403
    assert _write(worker, "post", url + "hearings/", {"date": "2026-01-01"}).status_code == 403
    hearing_url = f"/api/v1/hearings/{hearing.uuid}/"
    assert worker.get(hearing_url).status_code == 200
    outcome = {"outcome": "Adjourned"}
    assert _write(worker, "post", hearing_url + "outcome/", outcome, "*").status_code == 403
    assert _client(agency_a, Role.ANALYST).get(hearing_url).status_code == 403
    # Another agency: the case and the hearing do not exist; its own person is no one here.
    other = _client(agency_b, Role.SUPERVISOR)
    assert _write(other, "patch", url, {"court": "x"}, "*").status_code == 404
    assert _write(other, "post", url + "verdict/", {}, "*").status_code == 404
    assert _write(other, "post", url + "hearings/", {"date": "2026-01-01"}).status_code == 404
    assert _write(other, "post", hearing_url + "outcome/", outcome, "*").status_code == 404
    refused = _write(other, "post", "/api/v1/legal-cases/", new)
    assert refused.status_code == 400
    assert "person" in refused.json()
    assert LegalCase.objects.filter(agency=agency_b).count() == 0
    case.refresh_from_db()
    hearing.refresh_from_db()
    assert (case.court, hearing.outcome) == ("", "")


# --- repatriation cases -------------------------------------------------------------------


def test_a_caseworker_opens_a_case_records_progress_and_closes_it(
    caseworker: User, agency_a: Agency
) -> None:
    fam = family(caseworker, children=1)
    client = _client(agency_a, Role.CASEWORKER)
    rule_set = shipped()
    opened = _write(
        client,
        "post",
        "/api/v1/repatriation-cases/",
        {
            "rule_set": str(rule_set.uuid),
            "persons": [str(fam.mother.uuid), str(fam.children[0].uuid)],
        },
    )
    assert opened.status_code == 201, opened.json()
    case = RepatriationCase.objects.get(uuid=opened.json()["uuid"])
    assert [m["person"] for m in opened.json()["members"]] == [
        str(fam.mother.uuid),
        str(fam.children[0].uuid),
    ]
    assert _audited(AuditEvent.Action.CREATE, case.uuid) == 1
    # The same persons again: the service's refusal.
    again = _write(
        client,
        "post",
        "/api/v1/repatriation-cases/",
        {"rule_set": str(rule_set.uuid), "persons": [str(fam.mother.uuid)]},
    )
    assert again.status_code == 400
    assert "persons" in again.json()

    step = (
        CaseStep.objects.filter(member__case=case, required=True)
        .exclude(detail__kind="consent")
        .first()
    )
    assert step is not None
    step_url = f"/api/v1/case-steps/{step.uuid}/"
    read = client.get(step_url)
    assert read.status_code == 200
    blocked = {"status": "blocked"}
    assert _write(client, "post", step_url + "progress/", blocked).status_code == 428
    no_reason = _write(client, "post", step_url + "progress/", blocked, read["ETag"])
    assert no_reason.status_code == 400
    assert "blocker" in no_reason.json()
    progress = _write(
        client,
        "post",
        step_url + "progress/",
        {"status": "blocked", "blocker": "embassy has not answered"},
        read["ETag"],
    )
    assert progress.status_code == 200, progress.json()
    step.refresh_from_db()
    assert (step.status, step.blocker) == ("blocked", "embassy has not answered")
    stale = _write(client, "post", step_url + "progress/", {"status": "done"}, read["ETag"])
    assert stale.status_code == 412
    # Waiving is a supervisor's decision.
    waive = {"reason": "Not needed for a child under two"}
    assert _write(client, "post", step_url + "waive/", waive, "*").status_code == 403
    boss = _client(agency_a, Role.SUPERVISOR)
    waived = _write(boss, "post", step_url + "waive/", waive, progress["ETag"])
    assert waived.status_code == 200, waived.json()
    assert waived.json()["status"] == "waived"

    case_url = f"/api/v1/repatriation-cases/{case.uuid}/"
    etag = client.get(case_url)["ETag"]
    assert _write(client, "post", case_url + "stage/", {"stage": "closed"}).status_code == 428
    why = _write(client, "post", case_url + "stage/", {"stage": "closed"}, etag)
    assert why.status_code == 400
    assert "closure_reason" in why.json()
    # "ready" checks the checklist: it is its own command, not a stage to set.
    assert _write(client, "post", case_url + "stage/", {"stage": "ready"}, etag).status_code == 400
    closed = _write(
        client,
        "post",
        case_url + "stage/",
        {"stage": "closed", "closure_reason": "withdrawn"},
        etag,
    )
    assert closed.status_code == 200, closed.json()
    case.refresh_from_db()
    assert (case.stage, case.closure_reason) == ("closed", "withdrawn")


def test_repatriation_writes_are_refused_to_roles_and_agencies_without_them(
    caseworker: User, agency_a: Agency, agency_b: Agency, other_agency_user: User
) -> None:
    fam = family(caseworker, children=1)
    mine = family(other_agency_user, children=0)
    body = {"rule_set": str(shipped().uuid), "persons": [str(fam.mother.uuid)]}
    analyst = _client(agency_a, Role.ANALYST)
    assert _write(analyst, "post", "/api/v1/repatriation-cases/", body).status_code == 403
    other = _client(agency_b, Role.SUPERVISOR)
    # Agency A's person is "does not exist" to agency B's client.
    refused = _write(other, "post", "/api/v1/repatriation-cases/", body)
    assert refused.status_code == 400
    assert "persons" in refused.json()
    assert not RepatriationCase.objects.exists()
    worker = _client(agency_a, Role.CASEWORKER)
    case = _write(worker, "post", "/api/v1/repatriation-cases/", body).json()
    step = CaseStep.objects.filter(member__case__uuid=case["uuid"]).first()
    assert step is not None
    case_url = f"/api/v1/repatriation-cases/{case['uuid']}/"
    stage = {"stage": "closed", "closure_reason": "withdrawn"}
    assert _write(other, "post", case_url + "stage/", stage, "*").status_code == 404
    step_url = f"/api/v1/case-steps/{step.uuid}/"
    assert other.get(step_url).status_code == 404
    progress = {"status": "done"}
    assert _write(other, "post", step_url + "progress/", progress, "*").status_code == 404
    assert _write(other, "post", step_url + "waive/", {"reason": "x"}, "*").status_code == 404
    assert _write(analyst, "post", step_url + "progress/", progress, "*").status_code == 403
    # Agency B's own person with agency A's case: unknown to A.
    joined = _write(
        worker, "post", "/api/v1/repatriation-cases/", {**body, "persons": [str(mine.mother.uuid)]}
    )
    assert joined.status_code == 400
    step.refresh_from_db()
    assert step.status == CaseStep.Status.PENDING
    assert RepatriationCase.objects.get(uuid=case["uuid"]).stage != "closed"


# --- operations ---------------------------------------------------------------------------


def _plan(**kw: Any) -> dict[str, Any]:
    return {
        "kind": "flight",
        "label": "Charter flight (API test)",
        "planned_on": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
        "from_country": "IQ",
        "handover_point": "Baghdad airport",
        "to_country": "RU",
        "arrival_point": "Grozny airport",
        "capacity": 30,
        **kw,
    }


def test_an_operation_is_planned_changed_and_its_cases_put_on_and_off(
    caseworker: User, agency_a: Agency
) -> None:
    factories.country("IQ", "Iraq")
    factories.country("RU", "Russia")
    fam = builders.family(caseworker, "Planova", 2)
    client = _client(agency_a, Role.CONSULAR_OFFICER)
    refused = _write(client, "post", "/api/v1/operations/", _plan(to_country="IQ"))
    assert refused.status_code == 400
    assert "to_country" in refused.json()
    planned = _write(client, "post", "/api/v1/operations/", _plan())
    assert planned.status_code == 201, planned.json()
    op = Operation.objects.get(uuid=planned.json()["uuid"])
    assert op.status == Operation.State.PLANNED
    assert _audited(AuditEvent.Action.CREATE, op.uuid) == 1
    url = f"/api/v1/operations/{op.uuid}/"
    added = _write(client, "post", url + "cases/", {"case": str(fam.case.uuid)})
    assert added.status_code == 201
    # Three travellers are on it: the capacity cannot drop below them.
    etag = client.get(url)["ETag"]
    assert _write(client, "patch", url, {"capacity": 2}).status_code == 428
    small = _write(client, "patch", url, {"capacity": 2}, etag)
    assert small.status_code == 400
    assert "capacity" in small.json()
    renamed = _write(client, "patch", url, {"label": "Charter flight 2 (API test)"}, etag)
    assert renamed.status_code == 200, renamed.json()
    assert renamed.json()["label"] == "Charter flight 2 (API test)"
    assert _write(client, "patch", url, {"capacity": 40}, etag).status_code == 412

    removed = _write(client, "post", url + "remove-case/", {"case": str(fam.case.uuid)})
    assert removed.status_code == 200, removed.json()
    assert removed.json()["cases"] == []
    gone = _write(client, "post", url + "remove-case/", {"case": str(fam.case.uuid)})
    assert gone.status_code == 400
    fam.case.refresh_from_db()
    assert fam.case.stage == RepatriationCase.Stage.READY


def test_cancelling_a_confirmed_operation_makes_its_cases_ready_again(
    caseworker: User, agency_a: Agency
) -> None:
    fam = builders.family(caseworker, "Cancelova", 1)
    op = builders.flight(caseworker, days_ago=-10)
    client = _client(agency_a, Role.SUPERVISOR)
    url = f"/api/v1/operations/{op.uuid}/"
    assert _write(client, "post", url + "cases/", {"case": str(fam.case.uuid)}).status_code == 201
    assert _write(client, "post", url + "confirm/", {}).status_code == 200
    fam.case.refresh_from_db()
    assert fam.case.stage == RepatriationCase.Stage.SCHEDULED
    assert _write(client, "post", url + "cancel/", {}).status_code == 400
    cancelled = _write(client, "post", url + "cancel/", {"reason": "No landing permit"})
    assert cancelled.status_code == 200, cancelled.json()
    assert cancelled.json()["status"] == Operation.State.CANCELLED
    fam.case.refresh_from_db()
    assert fam.case.stage == RepatriationCase.Stage.READY


def test_operation_writes_are_refused_to_roles_and_agencies_without_them(
    caseworker: User, agency_a: Agency, agency_b: Agency
) -> None:
    factories.country("IQ", "Iraq")
    factories.country("RU", "Russia")
    fam = builders.family(caseworker, "Refusova", 1)
    op = builders.flight(caseworker, days_ago=-10)
    url = f"/api/v1/operations/{op.uuid}/"
    worker = _client(agency_a, Role.CASEWORKER)
    assert _write(worker, "post", "/api/v1/operations/", _plan()).status_code == 403
    assert _write(worker, "patch", url, {"capacity": 3}, "*").status_code == 403
    case = {"case": str(fam.case.uuid)}
    assert _write(worker, "post", url + "remove-case/", case).status_code == 403
    assert _write(worker, "post", url + "cancel/", {"reason": "x"}).status_code == 403
    other = _client(agency_b, Role.SUPERVISOR)
    assert _write(other, "patch", url, {"capacity": 3}, "*").status_code == 404
    assert _write(other, "post", url + "remove-case/", case).status_code == 404
    assert _write(other, "post", url + "cancel/", {"reason": "x"}).status_code == 404
    op.refresh_from_db()
    assert (op.capacity, op.status) != (3, Operation.State.CANCELLED)
    assert op.status == Operation.State.PLANNED
    assert Operation.objects.count() == 1


@pytest.mark.parametrize("field", ["to_country", "from_country"])
def test_a_reference_with_a_nul_character_is_a_400_not_a_500(agency_a: Agency, field: str) -> None:
    """PostgreSQL refuses NUL in a query; the reference must refuse it first (schemathesis
    found the 500 on PostgreSQL only)."""
    factories.country("IQ", "Iraq")
    factories.country("RU", "Russia")
    client = _client(agency_a, Role.CONSULAR_OFFICER)
    refused = _write(client, "post", "/api/v1/operations/", _plan(**{field: "R\x00U"}))
    assert refused.status_code == 400
    assert field in refused.json()
    assert not Operation.objects.exists()
