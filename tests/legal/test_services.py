"""Legal cases through their services: history with sources, sentences, appeals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from tests import factories
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.core.signals import Milestone, milestone_reached
from wayhome.legal import selectors, services
from wayhome.legal.models import Appeal, LegalCase, LegalEvent
from wayhome.people.models import Person
from wayhome.tracing.models import InformationReport


@pytest.fixture
def officer(users: dict[str, User]) -> User:
    return users[Role.LEGAL_OFFICER]


@pytest.fixture
def person(officer: User) -> Person:
    return factories.person(officer, "Madina", "Testova")


@pytest.fixture
def report(officer: User, person: Person) -> InformationReport:
    r = InformationReport.objects.create(
        agency_id=officer.agency_key,
        received_on=dt.date(2026, 1, 10),
        channel=InformationReport.Channel.OFFICIAL_LIST,
        source="Court list (synthetic)",
        summary="Hearing set",
    )
    r.persons.add(person)
    return r


@pytest.fixture
def case(officer: User, person: Person, report: InformationReport) -> LegalCase:
    return services.legal_case_create(
        actor=officer,
        person=person,
        country=factories.country("IQ", "Iraq"),
        court="Central Criminal Court (synthetic)",
        charges="Membership (synthetic charge)",
        lawyer="Appointed lawyer",
        lawyer_fee=Decimal("23000"),
        lawyer_fee_currency="usd",
        source=report,
    )


def test_create_writes_history_and_audit(case: LegalCase, report: InformationReport) -> None:
    assert case.lawyer_fee_currency == "USD"
    event = case.events.get()
    assert event.kind == LegalEvent.Kind.OPENED
    assert event.source == report
    assert AuditEvent.objects.filter(object_uuid=case.uuid, action="create").exists()


def test_only_legal_editors_write(caseworker: User, person: Person) -> None:
    with pytest.raises(PermissionDenied):
        services.legal_case_create(
            actor=caseworker, person=person, country=factories.country("IQ", "Iraq")
        )


def test_other_agency_cannot_touch(other_agency_user: User, case: LegalCase) -> None:
    with pytest.raises(Http404):
        selectors.legal_case_get(other_agency_user, case.uuid)
    with pytest.raises(PermissionDenied):
        services.hearing_add(actor=other_agency_user, case=case, date=timezone.localdate())


def test_sentence_sends_milestone_on_commit(
    officer: User, case: LegalCase, django_capture_on_commit_callbacks: Any
) -> None:
    received: list[dict[str, Any]] = []

    def listener(**kwargs: Any) -> None:
        received.append(kwargs)

    milestone_reached.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.verdict_record(
                actor=officer,
                case=case,
                verdict=LegalCase.Verdict.GUILTY,
                verdict_on=dt.date(2026, 2, 1),
                sentence_kind=LegalCase.SentenceKind.LIFE,
            )
    finally:
        milestone_reached.disconnect(listener)
    assert [r["milestone"] for r in received] == [Milestone.SENTENCED]
    assert received[0]["person"] == case.person
    case.refresh_from_db()
    assert case.status == LegalCase.Status.SENTENCED
    kinds = list(case.events.values_list("kind", flat=True))
    assert LegalEvent.Kind.SENTENCE in kinds


def test_verdict_rules(officer: User, case: LegalCase) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.verdict_record(actor=officer, case=case, verdict="guilty", verdict_on=today)
    with pytest.raises(ValidationError):
        services.verdict_record(
            actor=officer, case=case, verdict="guilty", verdict_on=today, sentence_kind="years"
        )
    with pytest.raises(ValidationError):
        services.verdict_record(
            actor=officer,
            case=case,
            verdict="not_guilty",
            verdict_on=today,
            sentence_kind="life",
        )
    with pytest.raises(ValidationError):
        services.verdict_record(
            actor=officer,
            case=case,
            verdict="guilty",
            verdict_on=today + dt.timedelta(days=1),
            sentence_kind="death",
        )
    with pytest.raises(ValidationError):
        services.verdict_record(
            actor=officer,
            case=case,
            verdict="guilty",
            verdict_on=today,
            sentence_kind="years",
            sentence_years=Decimal(5),
            sentence_deferred_until=today + dt.timedelta(days=3000),
        )
    services.verdict_record(
        actor=officer,
        case=case,
        verdict="guilty",
        verdict_on=today,
        sentence_kind="years",
        sentence_years=Decimal(5),
        sentence_deferred_until=today + dt.timedelta(days=3000),
        sentence_deferred_reason="until the youngest child comes of age",
    )
    case.refresh_from_db()
    assert case.sentence_text == "5 years"
    assert case.sentence_deferred_reason


def test_hearings_and_upcoming_list(officer: User, case: LegalCase) -> None:
    today = timezone.localdate()
    past = services.hearing_add(actor=officer, case=case, date=today - dt.timedelta(days=3))
    services.hearing_add(
        actor=officer, case=case, date=today + dt.timedelta(days=10), purpose="Sentencing"
    )
    upcoming = list(selectors.upcoming_hearings(officer))
    assert [h.purpose for h in upcoming] == ["Sentencing"]
    assert upcoming[0].court == case.court
    with pytest.raises(ValidationError):
        services.hearing_outcome(actor=officer, hearing=upcoming[0], outcome="x")
    services.hearing_outcome(actor=officer, hearing=past, outcome="Adjourned")
    past.refresh_from_db()
    assert past.outcome == "Adjourned"


def test_appeal_needs_a_verdict_and_moves_the_status(officer: User, case: LegalCase) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.appeal_add(actor=officer, case=case, filed_on=today)
    services.verdict_record(
        actor=officer, case=case, verdict="guilty", verdict_on=today, sentence_kind="death"
    )
    appeal = services.appeal_add(actor=officer, case=case, filed_on=today, grounds="No lawyer")
    case.refresh_from_db()
    assert case.status == LegalCase.Status.ON_APPEAL
    with pytest.raises(ValidationError):
        services.appeal_decide(
            actor=officer, appeal=appeal, outcome=Appeal.Outcome.PENDING, decided_on=today
        )
    services.appeal_decide(actor=officer, appeal=appeal, outcome="reduced", decided_on=today)
    case.refresh_from_db()
    assert case.status == LegalCase.Status.SENTENCED


def test_conditions_report(officer: User, case: LegalCase) -> None:
    with pytest.raises(ValidationError):
        services.conditions_report(
            actor=officer, case=case, reported_on=timezone.localdate(), conditions=" "
        )
    services.conditions_report(
        actor=officer,
        case=case,
        reported_on=timezone.localdate(),
        conditions="100 to a cell (synthetic)",
    )
    assert case.detention_reports.count() == 1
    assert case.events.filter(kind=LegalEvent.Kind.CONDITIONS).exists()


def test_update_records_what_changed(officer: User, case: LegalCase) -> None:
    services.legal_case_update(actor=officer, case=case, court="Another court", status="on_trial")
    case.refresh_from_db()
    assert case.status == LegalCase.Status.ON_TRIAL
    update = case.events.get(kind=LegalEvent.Kind.UPDATED)
    assert "court" in update.summary
    with pytest.raises(ValidationError):
        services.legal_case_update(actor=officer, case=case, status="sentenced")
