"""Open cases' checklists follow facts changed through other apps' services.

Each trigger (birth date, citizenship, family link, death, sentence, identity document)
is made through its own app's service, never through repatriation, and the case's
checklist must have moved in the same transaction, with what users recorded kept.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tests import factories
from tests.repatriation.helpers import Family, family, shipped, years_ago
from tests.tracing.helpers import entry
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.core.fuzzydate import FuzzyDate
from wayhome.core.signals import FactChange, facts_changed
from wayhome.legal import services as legal_services
from wayhome.legal.models import Appeal, LegalCase
from wayhome.people import services as people_services
from wayhome.people.models import Citizenship, IdentityDocument, Relationship, Sex
from wayhome.repatriation import services
from wayhome.repatriation.models import CaseStep, RepatriationCase

S = CaseStep.Status


@pytest.fixture
def supervisor(users: dict[str, User]) -> User:
    return users[Role.SUPERVISOR]


@pytest.fixture
def lawyer(users: dict[str, User]) -> User:
    return users[Role.LEGAL_OFFICER]


def _step(case: RepatriationCase, person: Any, code: str) -> CaseStep:
    return CaseStep.objects.get(member__case=case, member__person=person, code=code)


def _open(actor: User, fam: Family, with_mother: bool = True) -> RepatriationCase:
    persons = [fam.mother, *fam.children] if with_mother else fam.children
    return services.case_open(actor=actor, rule_set=shipped(), persons=persons)


def _system_rebuilds(case: RepatriationCase) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_uuid=case.uuid, changes__rebuild="system").order_by("id")
    )


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("order.pdf", b"%PDF-1.4 synthetic", content_type="application/pdf")


def test_birth_date_correction_turns_a_minor_into_an_adult(
    caseworker: User, supervisor: User
) -> None:
    fam = family(caseworker, children=1)
    case = _open(caseworker, fam)
    child = fam.children[0]
    assert _step(case, child, "court_order").status == S.PENDING
    # What users recorded before the correction: a blocked step with its document, a
    # waived step with its reason, a done step.
    court = _step(case, child, "court_order")
    services.step_update(
        actor=caseworker,
        step=_step(case, child, "travel_document"),
        status=S.BLOCKED,
        blocker="embassy closed since 1 March",
    )
    services.step_update(actor=caseworker, step=_step(case, child, "fine"), status=S.DONE)
    services.step_waive(
        actor=supervisor, step=_step(case, child, "handover"), reason="Escorted by ICRC"
    )
    doc = services.document_attach(
        actor=caseworker,
        case=case,
        upload=_pdf(),
        title="Hearing notice",
        kind="court_order",
        step=court,
    )

    people_services.person_update(
        actor=caseworker,
        person=child,
        sex=child.sex,
        birth=FuzzyDate.exact(years_ago(19)),
    )

    member = case.members.get(person=child)
    assert member.assessed_as["age"] == "adult"
    # The minors' steps nobody worked on go; the court order, with a document attached,
    # was worked on and keeps its state for a person to settle.
    assert _step(case, child, "kinship").status == S.NOT_APPLICABLE
    assert _step(case, child, "parent_consent").status == S.NOT_APPLICABLE
    assert _step(case, child, "court_order").status == S.PENDING
    travel = _step(case, child, "travel_document")
    assert (travel.status, travel.blocker) == (S.BLOCKED, "embassy closed since 1 March")
    assert _step(case, child, "fine").status == S.DONE
    handover = _step(case, child, "handover")
    assert (handover.status, handover.waived_reason) == (S.WAIVED, "Escorted by ICRC")
    doc.refresh_from_db()
    assert doc.step_id == court.pk
    [event] = _system_rebuilds(case)
    assert event.actor is None
    assert event.changes["cause"] == FactChange.BIRTH
    assert event.changes["after_change_by"] == caseworker.username
    assert "birth date changed" in event.reason


def test_a_change_of_notes_alone_does_not_rebuild(caseworker: User) -> None:
    fam = family(caseworker, children=1)
    case = _open(caseworker, fam)
    child = fam.children[0]
    people_services.person_update(
        actor=caseworker, person=child, sex=child.sex, birth=child.birth, notes="Speaks Avar."
    )
    assert _system_rebuilds(case) == []


def test_a_verified_tajik_citizenship_changes_the_fine(caseworker: User) -> None:
    fam = family(caseworker, children=1)
    case = _open(caseworker, fam)
    child = fam.children[0]
    assert _step(case, child, "fine").detail["fine"]["amount"] == "2500"
    people_services.citizenship_add(
        actor=caseworker,
        person=child,
        country=factories.country("TJ", "Tajikistan"),
        status=Citizenship.Status.VERIFIED,
    )
    fine = _step(case, child, "fine")
    assert fine.detail["fine"] == {
        "amount": "400",
        "currency": "USD",
        "basis": "TJ",
        "note": "negotiated for Tajik citizens",
    }
    assert fine.status == S.PENDING
    people_services.citizenship_remove(
        actor=caseworker, citizenship=child.citizenships.get(country__iso2="TJ")
    )
    assert _step(case, child, "fine").detail["fine"]["amount"] == "2500"
    assert [e.changes["cause"] for e in _system_rebuilds(case)] == ["citizenship"] * 2


def test_a_newly_recorded_mother_replaces_the_court(caseworker: User) -> None:
    country = factories.country("RU", "Russia")
    child = factories.person(caseworker, "Amir", "Testov", Sex.MALE, years_ago(6))
    people_services.citizenship_add(actor=caseworker, person=child, country=country)
    mother = factories.person(caseworker, "Madina", "Testova", Sex.FEMALE, years_ago(31))
    case = services.case_open(actor=caseworker, rule_set=shipped(), persons=[child])
    assert _step(case, child, "parent_consent").detail["from"] == ["court"]
    # The mother is in no case herself: the link reaches the child's case.
    rel = people_services.relationship_create(
        actor=caseworker, from_person=mother, to_person=child, kind=Relationship.Kind.PARENT
    )
    assert _step(case, child, "parent_consent").detail["from"] == ["mother"]
    people_services.relationship_remove(actor=caseworker, relationship=rel)
    assert _step(case, child, "parent_consent").detail["from"] == ["court"]
    assert [e.changes["cause"] for e in _system_rebuilds(case)] == ["relationship"] * 2


def test_a_recorded_death_of_the_mother_moves_consent_to_the_court(caseworker: User) -> None:
    fam = family(caseworker, children=2)
    case = _open(caseworker, fam, with_mother=False)
    assert _step(case, fam.children[0], "parent_consent").detail["from"] == ["mother"]
    # A death recorded through tracing's timeline, not through repatriation.
    entry(caseworker, fam.mother, status="deceased", start=dt.date(2026, 2, 1))
    for kid in fam.children:
        assert _step(case, kid, "parent_consent").detail["from"] == ["court"]
    [event] = _system_rebuilds(case)
    assert event.changes["cause"] == FactChange.STATUS


def test_a_move_between_camps_does_not_rebuild(caseworker: User) -> None:
    fam = family(caseworker, children=1)
    case = _open(caseworker, fam)
    entry(caseworker, fam.mother, status="in_camp", start=dt.date(2026, 2, 1))
    assert _system_rebuilds(case) == []


def test_a_sentence_blocks_exit_and_an_acquittal_on_appeal_lifts_it(
    caseworker: User, lawyer: User
) -> None:
    fam = family(caseworker, children=1)
    case = _open(caseworker, fam)
    mother = fam.mother
    assert _step(case, mother, "exit_permission").status == S.PENDING
    legal = legal_services.legal_case_create(
        actor=lawyer,
        person=mother,
        country=factories.country("IQ", "Iraq"),
        status=LegalCase.Status.ON_TRIAL,
    )
    # A case pending in the host country adds the adult's "case closed" step.
    assert _step(case, mother, "legal_case_closed").status == S.PENDING
    legal_services.verdict_record(
        actor=lawyer,
        case=legal,
        verdict=LegalCase.Verdict.GUILTY,
        verdict_on=dt.date(2026, 3, 1),
        sentence_kind=LegalCase.SentenceKind.YEARS,
        sentence_years=Decimal("15"),
    )
    exit_step = _step(case, mother, "exit_permission")
    assert (exit_step.status, exit_step.blocker) == (S.BLOCKED, "serving a sentence")
    appeal = legal_services.appeal_add(actor=lawyer, case=legal, filed_on=dt.date(2026, 3, 5))
    legal_services.appeal_decide(
        actor=lawyer,
        appeal=appeal,
        outcome=Appeal.Outcome.OVERTURNED,
        decided_on=dt.date(2026, 4, 1),
    )
    exit_step = _step(case, mother, "exit_permission")
    assert (exit_step.status, exit_step.blocker) == (S.PENDING, "")
    causes = {e.changes["cause"] for e in _system_rebuilds(case)}
    assert causes == {"legal_case"}


def test_a_blocker_written_by_a_user_survives_an_acquittal(caseworker: User, lawyer: User) -> None:
    fam = family(caseworker, children=1)
    case = _open(caseworker, fam)
    services.step_update(
        actor=caseworker,
        step=_step(case, fam.mother, "exit_permission"),
        status=S.BLOCKED,
        blocker="exit ban pending review",
    )
    legal = legal_services.legal_case_create(
        actor=lawyer, person=fam.mother, country=factories.country("IQ", "Iraq")
    )
    legal_services.verdict_record(
        actor=lawyer,
        case=legal,
        verdict=LegalCase.Verdict.NOT_GUILTY,
        verdict_on=dt.date(2026, 3, 1),
    )
    exit_step = _step(case, fam.mother, "exit_permission")
    assert (exit_step.status, exit_step.blocker) == (S.BLOCKED, "exit ban pending review")


def test_a_birth_certificate_settles_kinship_but_keeps_worked_steps(
    caseworker: User, supervisor: User
) -> None:
    fam = family(caseworker, children=2)
    case = _open(caseworker, fam)
    first, second = fam.children
    assert _step(case, first, "kinship").status == S.PENDING
    services.step_update(
        actor=caseworker,
        step=_step(case, second, "kinship"),
        status=S.BLOCKED,
        blocker="DNA sample awaited",
    )
    for kid in (first, second):
        people_services.document_add(
            actor=caseworker,
            person=kid,
            kind=IdentityDocument.Kind.BIRTH_CERTIFICATE,
            status=IdentityDocument.Status.HELD,
        )
    assert _step(case, first, "kinship").status == S.NOT_APPLICABLE
    # Somebody worked on the second child's step: the rebuild leaves it as they left it.
    kinship = _step(case, second, "kinship")
    assert (kinship.status, kinship.blocker) == (S.BLOCKED, "DNA sample awaited")
    assert [e.changes["cause"] for e in _system_rebuilds(case)] == ["document"] * 2


@pytest.mark.parametrize("stage", [RepatriationCase.Stage.RETURNED, RepatriationCase.Stage.CLOSED])
def test_returned_and_closed_cases_are_never_touched(caseworker: User, stage: str) -> None:
    fam = family(caseworker, children=1)
    case = _open(caseworker, fam)
    services.case_set_stage(
        actor=caseworker,
        case=case,
        stage=stage,
        closure_reason=RepatriationCase.Closure.values[0],
    )
    before = list(CaseStep.objects.filter(member__case=case).values("code", "status", "detail"))
    people_services.citizenship_add(
        actor=caseworker,
        person=fam.children[0],
        country=factories.country("TJ", "Tajikistan"),
        status=Citizenship.Status.VERIFIED,
    )
    after = list(CaseStep.objects.filter(member__case=case).values("code", "status", "detail"))
    assert after == before
    assert _system_rebuilds(case) == []


def test_the_rebuild_belongs_to_the_change_transaction(caseworker: User) -> None:
    """A failing rebuild undoes the change that caused it: nothing half-done is left."""
    fam = family(caseworker, children=1)
    case = _open(caseworker, fam)
    child = fam.children[0]

    def boom(**_: Any) -> None:
        raise RuntimeError("listener failed")

    facts_changed.connect(boom, dispatch_uid="test-boom")
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            people_services.citizenship_add(
                actor=caseworker,
                person=child,
                country=factories.country("TJ", "Tajikistan"),
                status=Citizenship.Status.VERIFIED,
            )
    finally:
        facts_changed.disconnect(dispatch_uid="test-boom")
    assert not child.citizenships.filter(country__iso2="TJ").exists()
    assert _system_rebuilds(case) == []
    assert _step(case, child, "fine").detail["fine"]["amount"] == "2500"


def test_a_ready_case_whose_step_reopens_falls_back(caseworker: User) -> None:
    fam = family(caseworker, children=1)
    case = _open(caseworker, fam, with_mother=False)
    child = fam.children[0]
    services.consent_record(
        actor=caseworker,
        case=case,
        children=list(case.members.all()),
        giver_kind="parent",
        given_by=fam.mother,
        decision="given",
        decided_on=timezone.localdate(),
    )
    for step in CaseStep.objects.filter(member__case=case, status=S.PENDING):
        services.step_update(actor=caseworker, step=step, status=S.DONE)
    services.case_mark_ready(actor=caseworker, case=case)
    # The mother who consented is recorded dead: the consent now needs the court.
    entry(caseworker, fam.mother, status="deceased", start=dt.date(2026, 2, 1))
    case.refresh_from_db()
    assert _step(case, child, "parent_consent").status == S.PENDING
    assert case.stage == RepatriationCase.Stage.IN_PROGRESS


def test_a_case_whose_rule_set_the_engine_cannot_read_is_skipped(caseworker: User) -> None:
    """The fact change still goes through; the unreadable case is left for a person."""
    fam = family(caseworker, children=1)
    case = _open(caseworker, fam)
    broken = shipped()
    type(broken).objects.filter(pk=broken.pk).update(rules={})
    people_services.citizenship_add(
        actor=caseworker,
        person=fam.children[0],
        country=factories.country("TJ", "Tajikistan"),
        status=Citizenship.Status.VERIFIED,
    )
    assert fam.children[0].citizenships.filter(country__iso2="TJ").exists()
    assert _system_rebuilds(case) == []


def test_merging_a_duplicate_that_holds_the_mother_link_and_undoing_it(
    caseworker: User, supervisor: User
) -> None:
    from wayhome.review import services as review_services

    child = factories.person(caseworker, "Amir", "Testov", Sex.MALE, years_ago(6))
    duplicate = factories.person(caseworker, "Amir", "Testov", Sex.MALE, years_ago(6))
    mother = factories.person(caseworker, "Madina", "Testova", Sex.FEMALE, years_ago(31))
    people_services.relationship_create(
        actor=caseworker, from_person=mother, to_person=duplicate, kind=Relationship.Kind.PARENT
    )
    case = services.case_open(actor=caseworker, rule_set=shipped(), persons=[child])
    assert _step(case, child, "parent_consent").detail["from"] == ["court"]
    # The duplicate's family link moves to the kept record: the mother can now consent.
    merge = review_services.persons_merge(
        actor=supervisor, keep=child, absorb=duplicate, reason="same child, two lists"
    )
    assert _step(case, child, "parent_consent").detail["from"] == ["mother"]
    review_services.persons_unmerge(actor=supervisor, merge=merge, reason="two brothers")
    assert _step(case, child, "parent_consent").detail["from"] == ["court"]
    assert [e.changes["cause"] for e in _system_rebuilds(case)] == [FactChange.MERGE] * 2
