"""Cases, checklists, consents and overrides through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests import factories
from tests.repatriation.helpers import family, shipped
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.core.signals import Milestone, milestone_reached
from wayhome.legal.models import LegalCase
from wayhome.people.models import Status
from wayhome.repatriation import selectors, services
from wayhome.repatriation.models import CaseStep, ConsentDecision, RepatriationCase, RuleSet


@pytest.fixture
def supervisor(users: dict[str, User]) -> User:
    return users[Role.SUPERVISOR]


def _step(case: RepatriationCase, person: Any, code: str) -> CaseStep:
    return CaseStep.objects.get(member__case=case, member__person=person, code=code)


def _finish_all_but_consent(actor: User, case: RepatriationCase) -> None:
    for step in CaseStep.objects.filter(member__case=case, status=CaseStep.Status.PENDING):
        if step.detail.get("kind") != "consent":
            services.step_update(actor=actor, step=step, status=CaseStep.Status.DONE)


def test_shipped_rule_sets_are_loaded_after_migrate(db: None) -> None:
    iraq = shipped("iraq")
    assert iraq.to_be_confirmed
    assert iraq.agency is None
    assert iraq.host_country.iso2 == "IQ"
    assert shipped("north-east-syria").host_country.iso2 == "SY"


def test_open_case_builds_a_checklist_per_member(caseworker: User) -> None:
    fam = family(caseworker)
    case = services.case_open(
        actor=caseworker, rule_set=shipped(), persons=[fam.mother, *fam.children]
    )
    assert case.reference.startswith("AAA-R")
    assert case.stage == RepatriationCase.Stage.OPEN
    assert case.members.get(person=fam.mother).is_principal
    child_steps = set(
        CaseStep.objects.filter(member__person=fam.children[0]).values_list("code", flat=True)
    )
    assert {"parent_consent", "court_order", "kinship", "fine"} <= child_steps
    mother_steps = set(
        CaseStep.objects.filter(member__person=fam.mother).values_list("code", flat=True)
    )
    assert "parent_consent" not in mother_steps
    assert case.members.get(person=fam.children[0]).assessed_as["age"] == "minor"
    missing = selectors.missing_items(case)
    assert "Written consent of a parent for the child to leave" in missing[fam.children[0]]
    assert AuditEvent.objects.filter(object_uuid=case.uuid, action="create").exists()


def test_consent_needed_milestone_on_commit(
    caseworker: User, django_capture_on_commit_callbacks: Any
) -> None:
    fam = family(caseworker, children=2)
    received: list[dict[str, Any]] = []

    def listener(**kwargs: Any) -> None:
        received.append(kwargs)

    milestone_reached.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.case_open(
                actor=caseworker, rule_set=shipped(), persons=[fam.mother, *fam.children]
            )
    finally:
        milestone_reached.disconnect(listener)
    consent = [r for r in received if r["milestone"] == Milestone.CONSENT_NEEDED]
    assert {r["person"] for r in consent} == set(fam.children)
    assert len({r["key"] for r in consent}) == 2


def test_mother_sentenced_to_life_consents_children_ready_mother_stays(
    caseworker: User, supervisor: User
) -> None:
    fam = family(caseworker)
    LegalCase.objects.create(
        agency_id=caseworker.agency_key,
        person=fam.mother,
        country=factories.country("IQ", "Iraq"),
        status=LegalCase.Status.SENTENCED,
        sentence_kind=LegalCase.SentenceKind.LIFE,
    )
    case = services.case_open(
        actor=caseworker, rule_set=shipped(), persons=[fam.mother, *fam.children]
    )
    mother = case.members.get(person=fam.mother)
    assert not mother.travels
    assert mother.separation_reason
    assert _step(case, fam.mother, "exit_permission").status == CaseStep.Status.BLOCKED
    children = list(case.members.filter(is_principal=False))
    services.consent_record(
        actor=caseworker,
        case=case,
        children=children,
        giver_kind=ConsentDecision.Giver.PARENT,
        given_by=fam.mother,
        decision=ConsentDecision.Decision.GIVEN,
        decided_on=timezone.localdate(),
    )
    for kid in fam.children:
        assert _step(case, kid, "parent_consent").status == CaseStep.Status.DONE
    _finish_all_but_consent(caseworker, case)
    # The mother's own steps stay open, but she does not travel: the case can be ready.
    services.case_mark_ready(actor=caseworker, case=case)
    case.refresh_from_db()
    assert case.stage == RepatriationCase.Stage.READY
    assert not case.ready_override_reason


def test_mother_who_refuses_blocks_children_and_ready(caseworker: User) -> None:
    fam = family(caseworker, children=2)
    case = services.case_open(
        actor=caseworker, rule_set=shipped(), persons=[fam.mother, *fam.children]
    )
    services.consent_record(
        actor=caseworker,
        case=case,
        children=list(case.members.filter(is_principal=False)),
        giver_kind=ConsentDecision.Giver.PARENT,
        given_by=fam.mother,
        decision=ConsentDecision.Decision.REFUSED,
        decided_on=dt.date(2026, 3, 12),
    )
    step = _step(case, fam.children[0], "parent_consent")
    assert step.status == CaseStep.Status.BLOCKED
    assert step.blocker == "mother's consent refused"
    assert step.since == dt.date(2026, 3, 12)
    _finish_all_but_consent(caseworker, case)
    with pytest.raises(ValidationError, match="still open"):
        services.case_mark_ready(actor=caseworker, case=case)
    counts = selectors.case_counts(caseworker)
    assert counts.by_blocker == {"parent_consent": 2}
    assert counts.by_stage["in_progress"] == 1


def test_child_with_no_living_parent_consent_from_the_court(caseworker: User) -> None:
    fam = family(caseworker, children=1)
    fam.mother.current_status = Status.DECEASED
    fam.mother.save()
    case = services.case_open(actor=caseworker, rule_set=shipped(), persons=fam.children)
    step = _step(case, fam.children[0], "parent_consent")
    assert step.detail["from"] == ["court"]
    assert step.status == CaseStep.Status.PENDING
    services.consent_record(
        actor=caseworker,
        case=case,
        children=list(case.members.all()),
        giver_kind=ConsentDecision.Giver.COURT,
        decision=ConsentDecision.Decision.GIVEN,
        decided_on=timezone.localdate(),
    )
    step.refresh_from_db()
    assert step.status == CaseStep.Status.DONE


def test_consent_only_from_a_recorded_parent(caseworker: User) -> None:
    fam = family(caseworker, children=1)
    stranger = factories.person(caseworker, "Other", "Woman")
    case = services.case_open(actor=caseworker, rule_set=shipped(), persons=fam.children)
    with pytest.raises(ValidationError, match="family link"):
        services.consent_record(
            actor=caseworker,
            case=case,
            children=list(case.members.all()),
            giver_kind=ConsentDecision.Giver.PARENT,
            given_by=stranger,
            decision=ConsentDecision.Decision.GIVEN,
            decided_on=timezone.localdate(),
        )
    assert not ConsentDecision.objects.exists()


def test_override_needs_a_reason_and_a_supervisor(caseworker: User, supervisor: User) -> None:
    fam = family(caseworker, children=1)
    case = services.case_open(actor=caseworker, rule_set=shipped(), persons=fam.children)
    with pytest.raises(ValidationError, match="supervisor"):
        services.case_mark_ready(actor=caseworker, case=case, override_reason="urgent")
    with pytest.raises(ValidationError, match="still open"):
        services.case_mark_ready(actor=supervisor, case=case)
    services.case_mark_ready(actor=supervisor, case=case, override_reason="Medical evacuation")
    case.refresh_from_db()
    assert case.stage == RepatriationCase.Stage.READY
    assert case.ready_override_by == supervisor
    event = AuditEvent.objects.filter(object_uuid=case.uuid, reason="Medical evacuation")
    assert event.exists()


def test_reopened_step_takes_a_ready_case_back(caseworker: User) -> None:
    fam = family(caseworker, children=1)
    case = services.case_open(actor=caseworker, rule_set=shipped(), persons=fam.children)
    services.consent_record(
        actor=caseworker,
        case=case,
        children=list(case.members.all()),
        giver_kind=ConsentDecision.Giver.PARENT,
        given_by=fam.mother,
        decision=ConsentDecision.Decision.GIVEN,
        decided_on=timezone.localdate(),
    )
    _finish_all_but_consent(caseworker, case)
    services.case_mark_ready(actor=caseworker, case=case)
    services.consent_record(
        actor=caseworker,
        case=case,
        children=list(case.members.all()),
        giver_kind=ConsentDecision.Giver.PARENT,
        given_by=fam.mother,
        decision=ConsentDecision.Decision.WITHDRAWN,
        decided_on=timezone.localdate(),
    )
    case.refresh_from_db()
    assert case.stage == RepatriationCase.Stage.IN_PROGRESS
    assert _step(case, fam.children[0], "parent_consent").blocker == "mother's consent withdrawn"


def test_step_rules(caseworker: User, supervisor: User) -> None:
    fam = family(caseworker, children=1)
    case = services.case_open(actor=caseworker, rule_set=shipped(), persons=fam.children)
    court = _step(case, fam.children[0], "court_order")
    with pytest.raises(ValidationError):
        services.step_update(actor=caseworker, step=court, status=CaseStep.Status.BLOCKED)
    services.step_update(
        actor=caseworker,
        step=court,
        status="blocked",
        blocker="court order pending",
        since=dt.date(2026, 3, 12),
    )
    court.refresh_from_db()
    assert (court.blocker, court.since) == ("court order pending", dt.date(2026, 3, 12))
    with pytest.raises(ValidationError):
        services.step_update(actor=caseworker, step=court, status=CaseStep.Status.WAIVED)
    with pytest.raises(PermissionDenied):
        services.step_waive(actor=caseworker, step=court, reason="x")
    with pytest.raises(ValidationError):
        services.step_waive(actor=supervisor, step=court, reason=" ")
    services.step_waive(actor=supervisor, step=court, reason="Court ruled for the group")
    court.refresh_from_db()
    assert court.status == CaseStep.Status.WAIVED
    consent = _step(case, fam.children[0], "parent_consent")
    with pytest.raises(ValidationError, match="consent decision"):
        services.step_update(actor=caseworker, step=consent, status=CaseStep.Status.DONE)


def test_one_open_case_per_person_and_agency_scope(
    caseworker: User, other_agency_user: User
) -> None:
    fam = family(caseworker, children=1)
    services.case_open(actor=caseworker, rule_set=shipped(), persons=fam.children)
    with pytest.raises(ValidationError, match="already"):
        services.case_open(actor=caseworker, rule_set=shipped(), persons=fam.children)
    with pytest.raises(PermissionDenied):
        services.case_open(actor=other_agency_user, rule_set=shipped(), persons=[fam.mother])
    with pytest.raises(ValidationError):
        services.case_open(actor=caseworker, rule_set=shipped(), persons=[])


def test_member_update_needs_a_reason_to_split(caseworker: User) -> None:
    fam = family(caseworker, children=1)
    case = services.case_open(
        actor=caseworker, rule_set=shipped(), persons=[fam.mother, *fam.children]
    )
    member = case.members.get(person=fam.children[0])
    with pytest.raises(ValidationError):
        services.member_update(
            actor=caseworker,
            member=member,
            travels=True,
            may_travel_separately=True,
            separation_reason="",
        )
    services.member_update(
        actor=caseworker,
        member=member,
        travels=True,
        may_travel_separately=True,
        separation_reason="Travels with the grandmother on an earlier flight",
    )
    member.refresh_from_db()
    assert member.may_travel_separately


def test_document_upload_checks_type_and_content(caseworker: User) -> None:
    fam = family(caseworker, children=1)
    case = services.case_open(actor=caseworker, rule_set=shipped(), persons=fam.children)
    bad = SimpleUploadedFile("scan.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="match"):
        services.document_attach(
            actor=caseworker, case=case, upload=bad, title="Scan", kind="other"
        )
    exe = SimpleUploadedFile("scan.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        services.document_attach(
            actor=caseworker, case=case, upload=exe, title="Scan", kind="other"
        )
    good = SimpleUploadedFile(
        "Zarema consent.pdf", b"%PDF-1.4 test", content_type="application/pdf"
    )
    doc = services.document_attach(
        actor=caseworker, case=case, upload=good, title="Consent", kind="consent"
    )
    assert "Zarema" not in doc.file.name
    assert doc.file.name.endswith(".pdf")


def test_rule_set_versions_are_new_rows_and_cases_keep_theirs(users: dict[str, User]) -> None:
    admin, caseworker = users[Role.AGENCY_ADMIN], users[Role.CASEWORKER]
    fam = family(caseworker, children=1, citizenship="TJ")
    base = shipped()
    case = services.case_open(actor=caseworker, rule_set=base, persons=fam.children)
    text = base.source_text.replace("amount: 400", "amount: 300")
    with pytest.raises(PermissionDenied):
        services.rule_set_new_version(
            actor=caseworker, source_text=text, change_note="x", base=base
        )
    with pytest.raises(ValidationError):
        services.rule_set_new_version(
            actor=admin, source_text="steps: [", change_note="x", base=base
        )
    with pytest.raises(ValidationError):
        services.rule_set_new_version(actor=admin, source_text=text, change_note="", base=base)
    new = services.rule_set_new_version(
        actor=admin, source_text=text, change_note="Fine renegotiated", base=base
    )
    assert new.version == base.version + 1
    assert new.status == RuleSet.Status.DRAFT
    assert new.agency == admin.agency
    services.rule_set_set_status(actor=admin, rule_set=new, status=RuleSet.Status.ACTIVE)
    base.refresh_from_db()
    assert base.status == RuleSet.Status.ACTIVE  # the shipped one is untouched
    with pytest.raises(ValidationError):
        services.rule_set_set_status(actor=admin, rule_set=base, status=RuleSet.Status.RETIRED)
    usable = selectors.rule_sets_usable_by(caseworker)
    assert new in usable
    assert base not in usable
    assert shipped("north-east-syria") in usable
    case.refresh_from_db()
    assert case.rule_set == base
    fine = _step(case, fam.children[0], "fine")
    assert fine.detail["fine"]["amount"] == "400"
    services.case_migrate_rule_set(actor=caseworker, case=case, rule_set=new)
    fine.refresh_from_db()
    assert fine.detail["fine"]["amount"] == "300"


def test_member_remove(caseworker: User) -> None:
    fam = family(caseworker, children=2)
    case = services.case_open(
        actor=caseworker, rule_set=shipped(), persons=[fam.mother, *fam.children]
    )
    mother = case.members.get(person=fam.mother)
    services.member_remove(actor=caseworker, member=mother)
    assert case.members.count() == 2
    assert case.members.filter(is_principal=True).count() == 1
    first, second = list(case.members.order_by("id"))
    services.consent_record(
        actor=caseworker,
        case=case,
        children=[first],
        giver_kind=ConsentDecision.Giver.COURT,
        decision=ConsentDecision.Decision.GIVEN,
        decided_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError, match="stay"):
        services.member_remove(actor=caseworker, member=first)
    services.member_remove(actor=caseworker, member=second)
    with pytest.raises(ValidationError, match="at least one"):
        services.member_remove(actor=caseworker, member=first)
    assert AuditEvent.objects.filter(action="delete", person_uuid=fam.mother.uuid).exists()


def test_a_scheduled_case_is_ready_again_only_by_the_named_transition(
    caseworker: User,
) -> None:
    """Scheduled → ready is its own transition (the operation did not take the case),
    audited with its reason; from any other stage it is refused, as is a made-up reason,
    and case_set_stage still refuses "ready" (the checklist is checked only forward)."""
    fam = family(caseworker, children=1)
    case = services.case_open(actor=caseworker, rule_set=shipped(), persons=[fam.mother])
    why = RepatriationCase.ReadyAgain.OPERATION_CANCELLED
    with pytest.raises(ValidationError, match="scheduled"):
        services.case_ready_again(actor=caseworker, case=case, because=why)
    services.case_set_stage(actor=caseworker, case=case, stage=RepatriationCase.Stage.SCHEDULED)
    with pytest.raises(ValidationError):
        services.case_set_stage(actor=caseworker, case=case, stage=RepatriationCase.Stage.READY)
    with pytest.raises(ValidationError):
        services.case_ready_again(actor=caseworker, case=case, because="bored")
    analyst = factories.user(caseworker.agency, Role.ANALYST)
    with pytest.raises(PermissionDenied):
        services.case_ready_again(actor=analyst, case=case, because=why)
    case.refresh_from_db()
    assert case.stage == RepatriationCase.Stage.SCHEDULED

    on = timezone.localdate() - dt.timedelta(days=2)
    services.case_ready_again(
        actor=caseworker, case=case, because=RepatriationCase.ReadyAgain.HELD_BACK, on=on
    )
    case.refresh_from_db()
    assert (case.stage, case.stage_since) == (RepatriationCase.Stage.READY, on)
    event = AuditEvent.objects.filter(object_uuid=case.uuid).latest("id")
    assert event.changes == {"stage": ["scheduled", "ready"]}
    assert event.reason == str(RepatriationCase.ReadyAgain.HELD_BACK.label)
