"""Purpose and legal basis, consent events and disclosures: every rule and its audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories
from tests.protection.helpers import DAY, basis, consent, propose, second_supervisor
from tests.tracing.helpers import tracing_request
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.protection import selectors as sel
from wayhome.protection import services
from wayhome.protection.models import (
    ConsentEvent,
    Disclosure,
    LegalBasis,
    ProcessingRecord,
    Purpose,
    RecipientKind,
    Scope,
)
from wayhome.tracing.models import TracingRequest

pytestmark = pytest.mark.django_db


def _events(obj: object, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_uuid=obj.uuid, action=action))  # type: ignore[attr-defined]


# --- purpose and legal basis ------------------------------------------------------------


def test_processing_record_is_created_then_changed_with_audit(caseworker: User) -> None:
    person = factories.person(caseworker)
    record = services.processing_record_set(
        actor=caseworker, person=person, purpose=Purpose.FAMILY_TRACING, legal_basis="consent"
    )
    services.processing_record_set(
        actor=caseworker, person=person, purpose=Purpose.REPATRIATION, legal_basis="consent"
    )
    assert ProcessingRecord.objects.filter(person=person).count() == 1
    record.refresh_from_db()
    assert record.purpose == Purpose.REPATRIATION
    assert _events(record, "create")[0].changes["legal_basis"] == "consent"
    assert _events(record, "update")[0].changes["purpose"] == ["family_tracing", "repatriation"]
    assert _events(record, "update")[0].person_uuid == person.uuid


def test_processing_record_for_a_request(caseworker: User) -> None:
    request = tracing_request(caseworker)
    services.processing_record_set(
        actor=caseworker,
        request=request,
        purpose=Purpose.FAMILY_TRACING,
        legal_basis="vital_interest",
    )
    assert sel.processing_of(request=request) is not None


def test_processing_record_refuses_unknown_choices(caseworker: User) -> None:
    person = factories.person(caseworker)
    with pytest.raises(ValidationError) as exc:
        services.processing_record_set(
            actor=caseworker, person=person, purpose="marketing", legal_basis="consent"
        )
    assert "purpose" in exc.value.error_dict
    with pytest.raises(ValidationError):
        services.processing_record_set(
            actor=caseworker, person=person, purpose="protection", legal_basis="whim"
        )
    assert not ProcessingRecord.objects.exists()


def test_processing_record_of_another_agency_is_a_bug(
    caseworker: User, other_agency_user: User
) -> None:
    person = factories.person(other_agency_user)
    with pytest.raises(PermissionError):
        services.processing_record_set(
            actor=caseworker, person=person, purpose="protection", legal_basis="consent"
        )


# --- consent ----------------------------------------------------------------------------


def test_consent_in_the_future_is_refused_and_nothing_written(caseworker: User) -> None:
    request = tracing_request(caseworker)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        consent(caseworker, inquirer=request.inquirer, on=tomorrow)
    assert "on" in exc.value.error_dict
    assert not ConsentEvent.objects.exists()


def test_latest_consent_event_stands(caseworker: User) -> None:
    person = factories.person(caseworker)
    assert sel.current_consent(Scope.PHOTOGRAPHS, person=person) is None
    consent(caseworker, person=person, scope=Scope.PHOTOGRAPHS, on=DAY)
    consent(
        caseworker,
        person=person,
        scope=Scope.PHOTOGRAPHS,
        given=False,
        on=DAY + dt.timedelta(days=3),
    )
    # A late-recorded, older decision does not override the newer one.
    consent(caseworker, person=person, scope=Scope.PHOTOGRAPHS, on=DAY + dt.timedelta(days=1))
    assert sel.current_consent(Scope.PHOTOGRAPHS, person=person) is False
    now = {c.scope: c.latest for c in sel.consents_now(person=person)}
    photographs = now[Scope.PHOTOGRAPHS]
    assert photographs is not None
    assert not photographs.given
    assert now[Scope.CONTACT] is None


def test_consent_keeps_the_tracing_flags_current_and_audits_them(caseworker: User) -> None:
    request = tracing_request(caseworker)
    inquirer = request.inquirer
    consent(caseworker, inquirer=inquirer, scope=Scope.CONTACT)
    consent(caseworker, inquirer=inquirer, scope=Scope.SHARE_AUTHORITIES)
    inquirer.refresh_from_db()
    request.refresh_from_db()
    assert inquirer.consent_contact
    assert request.consent_share
    consent(
        caseworker,
        inquirer=inquirer,
        scope=Scope.SHARE_AUTHORITIES,
        given=False,
        on=DAY + dt.timedelta(days=1),
    )
    assert not TracingRequest.objects.get(pk=request.pk).consent_share
    flag_events = [e.changes for e in _events(inquirer, "update")]
    assert {"consent_contact": [False, True]} in flag_events
    assert {"consent_share": [True, False], "requests": [str(request.uuid)]} in flag_events
    event = ConsentEvent.objects.filter(inquirer=inquirer).first()
    assert event is not None
    assert _events(event, "create")[0].changes["scope"] == Scope.SHARE_AUTHORITIES


# --- disclosures -------------------------------------------------------------------------


@pytest.fixture
def supervisor(users: dict[str, User]) -> User:
    return users["supervisor"]


def test_propose_refuses_incomplete_requests(caseworker: User) -> None:
    person = factories.person(caseworker)
    base = {
        "actor": caseworker,
        "recipient": "Synthetic Ministry",
        "recipient_kind": RecipientKind.HOST_AUTHORITY,
        "legal_basis": LegalBasis.PUBLIC_INTEREST,
        "purpose": "check",
        "persons": [person],
        "data_kinds": ["identity"],
    }
    for key, bad in [
        ("recipient", " "),
        ("purpose", ""),
        ("persons", []),
        ("data_kinds", ["everything"]),
        ("recipient_kind", "friend"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.disclosure_propose(**{**base, key: bad})  # type: ignore[arg-type]
        assert key in exc.value.error_dict
    assert not Disclosure.objects.exists()


def test_four_eyes_the_requester_cannot_approve(supervisor: User) -> None:
    person = factories.person(supervisor)
    basis(supervisor, person, LegalBasis.VITAL_INTEREST)
    d = propose(supervisor, [person])
    with pytest.raises(ValidationError, match="another supervisor"):
        services.disclosure_approve(actor=supervisor, disclosure=d)
    d.refresh_from_db()
    assert d.status == Disclosure.Status.PROPOSED
    services.disclosure_approve(actor=second_supervisor(supervisor), disclosure=d)
    assert d.status == Disclosure.Status.APPROVED
    assert _events(d, "update")[0].changes["status"] == ["proposed", "approved"]


def test_a_caseworker_cannot_approve(caseworker: User, supervisor: User) -> None:
    person = factories.person(supervisor)
    basis(supervisor, person, LegalBasis.VITAL_INTEREST)
    d = propose(supervisor, [person])
    with pytest.raises(ValidationError, match="Only a supervisor"):
        services.disclosure_approve(actor=caseworker, disclosure=d)


def test_withdrawn_consent_blocks_disclosure_to_an_authority(
    caseworker: User, supervisor: User
) -> None:
    person = factories.person(caseworker, given="Madina", family="Synthetova")
    request = tracing_request(caseworker, sought=[person])
    basis(caseworker, person)
    consent(caseworker, inquirer=request.inquirer)
    consent(caseworker, inquirer=request.inquirer, given=False, on=DAY + dt.timedelta(days=2))
    d = propose(caseworker, [person])
    with pytest.raises(ValidationError) as exc:
        services.disclosure_approve(actor=supervisor, disclosure=d)
    assert "Madina" in exc.value.messages[0]
    assert "withdrawn" in exc.value.messages[0]
    d.refresh_from_db()
    assert d.status == Disclosure.Status.PROPOSED
    assert d.decided_by is None
    assert not _events(d, "update")


def test_absent_consent_blocks_and_given_consent_allows(caseworker: User, supervisor: User) -> None:
    person = factories.person(caseworker)
    request = tracing_request(caseworker, sought=[person])
    basis(caseworker, person)
    d = propose(caseworker, [person])
    with pytest.raises(ValidationError, match="never given"):
        services.disclosure_approve(actor=supervisor, disclosure=d)
    consent(caseworker, inquirer=request.inquirer)
    services.disclosure_approve(actor=supervisor, disclosure=d)
    assert d.status == Disclosure.Status.APPROVED
    assert d.decided_by == supervisor


def test_the_persons_own_decision_comes_first(caseworker: User, supervisor: User) -> None:
    person = factories.person(caseworker)
    request = tracing_request(caseworker, sought=[person])
    basis(caseworker, person)
    consent(caseworker, inquirer=request.inquirer)
    consent(caseworker, person=person, given=False)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.disclosure_approve(actor=supervisor, disclosure=propose(caseworker, [person]))


def test_partners_need_sharing_with_partners_consent(caseworker: User, supervisor: User) -> None:
    person = factories.person(caseworker)
    basis(caseworker, person)
    consent(caseworker, person=person, scope=Scope.SHARE_AUTHORITIES)
    d = propose(caseworker, [person], kind=RecipientKind.ICRC)
    with pytest.raises(ValidationError, match="partner"):
        services.disclosure_approve(actor=supervisor, disclosure=d)


def test_no_recorded_basis_blocks_approval(caseworker: User, supervisor: User) -> None:
    person = factories.person(caseworker)
    d = propose(caseworker, [person])
    with pytest.raises(ValidationError, match="no purpose and legal basis"):
        services.disclosure_approve(actor=supervisor, disclosure=d)


def test_refusal_needs_a_reason_and_is_final(caseworker: User, supervisor: User) -> None:
    d = propose(caseworker, [factories.person(caseworker)])
    with pytest.raises(ValidationError) as exc:
        services.disclosure_refuse(actor=supervisor, disclosure=d, reason=" ")
    assert "reason" in exc.value.error_dict
    services.disclosure_refuse(actor=supervisor, disclosure=d, reason="not needed for the return")
    assert d.status == Disclosure.Status.REFUSED
    assert _events(d, "update")[0].reason == "not needed for the return"
    with pytest.raises(ValidationError, match="already been decided"):
        services.disclosure_approve(actor=second_supervisor(supervisor), disclosure=d)


def _approved(caseworker: User, supervisor: User) -> tuple[Disclosure, TracingRequest]:
    person = factories.person(caseworker)
    request = tracing_request(caseworker, sought=[person])
    basis(caseworker, person)
    consent(caseworker, inquirer=request.inquirer)
    d = propose(caseworker, [person])
    return services.disclosure_approve(actor=supervisor, disclosure=d), request


def test_sending_is_checked_again_and_audited_as_an_export(
    caseworker: User, supervisor: User
) -> None:
    d, request = _approved(caseworker, supervisor)
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.disclosure_mark_sent(
            actor=caseworker, disclosure=d, on=today + dt.timedelta(days=1)
        )
    consent(caseworker, inquirer=request.inquirer, given=False, on=today)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.disclosure_mark_sent(actor=caseworker, disclosure=d, on=today)
    consent(caseworker, inquirer=request.inquirer, on=today)
    services.disclosure_mark_sent(actor=caseworker, disclosure=d, on=today)
    assert d.status == Disclosure.Status.SENT
    export = _events(d, "export")[0]
    assert export.changes["persons"] == [str(p.uuid) for p in d.persons.all()]


def test_disclosure_covers_only_its_persons_while_approved(
    caseworker: User, supervisor: User
) -> None:
    d, request = _approved(caseworker, supervisor)
    named = list(d.persons.all())
    stranger = factories.person(caseworker, given="Other")
    assert sel.disclosure_covers(d, named)
    assert not sel.disclosure_covers(d, [*named, stranger])
    assert not sel.disclosure_covers(d, [])
    consent(caseworker, inquirer=request.inquirer, given=False, on=timezone.localdate())
    assert not sel.disclosure_covers(d, named)
    proposed = propose(caseworker, named)
    assert not sel.disclosure_covers(proposed, named)
