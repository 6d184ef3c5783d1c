"""Writes of repatriation: cases, checklists, consents, documents, rule set versions.

Every function is keyword-only, atomic, checks the actor's capability and agency, and
records its audit event in the same transaction. A user's mistake is a ValidationError
with a message to show; nothing is written then.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, diff, snapshot
from wayhome.core.signals import FactChange, Milestone, milestone_reached
from wayhome.legal.models import LegalCase
from wayhome.people.models import Citizenship, FamilyGroup, IdentityDocument, Person, Relationship
from wayhome.people.models import Status as PersonStatus
from wayhome.repatriation import documents, rules
from wayhome.repatriation.models import (
    CaseDocument,
    CaseMember,
    CaseStep,
    ConsentDecision,
    DocumentTemplate,
    RepatriationCase,
    RuleSet,
)
from wayhome.repatriation.shipped import parse_rule_set

logger = logging.getLogger(__name__)

REFERENCE_TRIES = 5
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_UPLOADS = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
_MAGIC = {
    "application/pdf": (b"%PDF",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
CLOSED_STAGES = frozenset({RepatriationCase.Stage.RETURNED, RepatriationCase.Stage.CLOSED})


def _today() -> dt.date:
    return timezone.localdate()


def _require(actor: User, cap: Cap) -> None:
    if not actor.has_cap(cap):
        raise PermissionDenied


def _same_agency(actor: User, *objs: Any) -> None:
    for obj in objs:
        if getattr(obj, "agency_id", actor.agency_key) != actor.agency_key:
            raise PermissionDenied


def _agency(actor: User) -> Agency:
    return actor.agency or Agency.objects.get(pk=actor.agency_key)


def _milestone(person: Person, milestone: Milestone, actor: User | None, key: str) -> None:
    transaction.on_commit(
        lambda: milestone_reached.send(
            sender=RepatriationCase, person=person, milestone=milestone, actor=actor, key=key
        )
    )


# --- the facts the rules engine reads -------------------------------------------------------


_PARENT_ROLE = {"F": "mother", "M": "father"}


def _latest_decisions(member: CaseMember) -> dict[tuple[str, int | None], ConsentDecision]:
    latest: dict[tuple[str, int | None], ConsentDecision] = {}
    for c in member.consents.order_by("decided_on", "id"):
        latest[(c.giver_kind, c.given_by_id)] = c
    return latest


def _is_sentenced(person: Person) -> bool:
    if person.current_status == PersonStatus.SENTENCED:
        return True
    return LegalCase.objects.filter(
        person=person,
        jurisdiction=LegalCase.Jurisdiction.HOST,
        status__in=[LegalCase.Status.SENTENCED, LegalCase.Status.ON_APPEAL],
    ).exists()


def member_facts(member: CaseMember) -> rules.MemberFacts:
    """What the registry knows about a member, as the rules engine needs it."""
    person = member.person
    decisions = _latest_decisions(member)

    def keeper(link_person: Person, role: str, kind: str) -> rules.ParentFacts:
        decision = decisions.get((kind, link_person.pk))
        return rules.ParentFacts(
            role=role,
            alive=link_person.current_status != PersonStatus.DECEASED,
            sentenced=_is_sentenced(link_person),
            decision=rules.Decision(decision.decision) if decision else None,
            decided_on=decision.decided_on if decision else None,
        )

    links = Relationship.objects.filter(to_person=person, is_current=True).select_related(
        "from_person"
    )
    parents = tuple(
        keeper(r.from_person, _PARENT_ROLE.get(r.from_person.sex, "parent"), "parent")
        for r in links
        if r.kind == Relationship.Kind.PARENT
    )
    guardians = tuple(
        keeper(r.from_person, "guardian", "guardian")
        for r in links
        if r.kind == Relationship.Kind.GUARDIAN
    )
    court = decisions.get(("court", None))
    citizenships = tuple(
        c.country.iso2
        for c in Citizenship.objects.filter(person=person)
        .select_related("country")
        .order_by("-status", "id")  # "verified" sorts before "claimed"
    )
    held = IdentityDocument.objects.filter(
        person=person,
        status__in=[IdentityDocument.Status.HELD, IdentityDocument.Status.COPY_ONLY],
    )
    return rules.MemberFacts(
        birth_earliest=person.birth_earliest,
        birth_latest=person.birth_latest,
        citizenships=citizenships,
        has_identity_document=held.exclude(kind=IdentityDocument.Kind.OTHER).exists(),
        has_birth_certificate=held.filter(kind=IdentityDocument.Kind.BIRTH_CERTIFICATE).exists(),
        has_legal_case=LegalCase.objects.filter(
            person=person,
            jurisdiction=LegalCase.Jurisdiction.HOST,
            status__in=LegalCase.OPEN,
        ).exists(),
        sentenced=_is_sentenced(person),
        parents=parents,
        guardians=guardians,
        court_consent=rules.Decision(court.decision) if court else None,
    )


# --- checklists ---------------------------------------------------------------------------


def _sync_member_steps(actor: User | None, member: CaseMember, rule_set: RuleSet) -> None:
    """Bring a member's steps in line with the rules and the facts.

    New steps take the engine's state. Existing steps keep what a person recorded, except
    consent steps, which always follow the consent decisions (unless waived). A step the
    rules no longer ask for is marked not applicable if nobody worked on it.
    """
    facts = member_facts(member)
    checklist = rules.build_checklist(rule_set.rules, facts, _today())
    assessed = {
        "age": checklist.age.value,
        "citizenships": list(facts.citizenships),
        "sentenced": facts.sentenced,
        "notes": checklist.notes,
    }
    # Only what changed is written: a rebuild after every fact change must stay cheap.
    if member.assessed_as != assessed:
        member.assessed_as = assessed
        member.save(update_fields=["assessed_as", "updated_at"])
    existing = {s.code: s for s in member.steps.all()}
    planned_codes = set()
    for order, planned in enumerate(checklist.steps):
        planned_codes.add(planned.code)
        step = existing.get(planned.code)
        state = planned.state.value
        if step is None:
            step = CaseStep.objects.create(
                member=member,
                code=planned.code,
                label=planned.label,
                required=planned.required,
                status=state,
                blocker=planned.blocker,
                since=planned.since or _today(),
                detail=planned.detail,
                sort=order,
                updated_by=actor,
            )
            if planned.kind == rules.Kind.CONSENT and state == CaseStep.Status.PENDING:
                _milestone(member.person, Milestone.CONSENT_NEEDED, actor, f"consent:{step.uuid}")
            continue
        before = snapshot(step, ["status", "blocker", "label", "required", "sort"])
        stored = (step.label, step.required, step.detail, step.sort, step.since)
        step.label, step.required, step.detail, step.sort = (
            planned.label,
            planned.required,
            planned.detail,
            order,
        )
        if step.status == CaseStep.Status.NOT_APPLICABLE:
            step.status = state
            step.blocker = planned.blocker
        elif planned.kind == rules.Kind.CONSENT and step.status != CaseStep.Status.WAIVED:
            if step.status != state or step.blocker != planned.blocker:
                step.status, step.blocker = state, planned.blocker
                step.since = planned.since or _today()
                if state == CaseStep.Status.PENDING:
                    _milestone(
                        member.person,
                        Milestone.CONSENT_NEEDED,
                        actor,
                        f"consent:{step.uuid}:{_today()}",
                    )
        elif (
            planned.kind == rules.Kind.EXIT_PERMISSION
            and planned.state is rules.StepState.BLOCKED
            and step.status == CaseStep.Status.PENDING
        ):
            step.status, step.blocker, step.since = state, planned.blocker, _today()
        elif (
            planned.kind == rules.Kind.EXIT_PERMISSION
            and planned.state is rules.StepState.PENDING
            and step.status == CaseStep.Status.BLOCKED
            and step.blocker == rules.SERVING_SENTENCE
        ):
            # The engine's own blocker goes when the sentence does (acquitted on appeal);
            # a blocker a user wrote stays.
            step.status, step.blocker, step.since = state, "", _today()
        changes = diff(before, snapshot(step, ["status", "blocker", "label", "required", "sort"]))
        if not changes and stored == (
            step.label,
            step.required,
            step.detail,
            step.sort,
            step.since,
        ):
            continue
        step.save()
        if changes.keys() & {"status", "blocker"}:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                obj=step,
                person_uuid=member.person.uuid,
                changes=changes,
                agency=member.case.agency,
            )
    unplanned = [
        step
        for code, step in existing.items()
        if code not in planned_codes and step.status == CaseStep.Status.PENDING
    ]
    # A pending step with a document attached was worked on: it keeps its state.
    with_documents = set(
        CaseDocument.objects.filter(step__in=unplanned).values_list("step_id", flat=True)
    )
    for step in unplanned:
        if step.pk not in with_documents:
            step.status = CaseStep.Status.NOT_APPLICABLE
            step.save(update_fields=["status", "updated_at"])


def _sync_checklist(actor: User | None, case: RepatriationCase) -> None:
    for member in case.members.select_related("person"):
        _sync_member_steps(actor, member, case.rule_set)
    _fall_back_from_ready(actor, case)


def _fall_back_from_ready(actor: User | None, case: RepatriationCase) -> None:
    """A ready case whose required step reopened is no longer ready, unless a supervisor
    approved it as ready despite open steps."""
    from wayhome.repatriation.selectors import case_has_open_required_steps

    if (
        case.stage == RepatriationCase.Stage.READY
        and not case.ready_override_reason
        and case_has_open_required_steps(case)
    ):
        case.stage = RepatriationCase.Stage.IN_PROGRESS
        case.stage_since = _today()
        case.save(update_fields=["stage", "stage_since", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=case,
            changes={"stage": ["ready", "in_progress"]},
            reason="a required step reopened",
        )


@transaction.atomic
def checklist_refresh(*, actor: User, case: RepatriationCase) -> None:
    """Rebuild the checklist from the current facts (a new citizenship, a consent, a death)."""
    _require(actor, Cap.CASE_EDIT)
    _same_agency(actor, case)
    _sync_checklist(actor, case)
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=case, reason="checklist refreshed"
    )


def _english(text: Any) -> str:
    """Audit reasons are stored once, in English, whatever the page's language."""
    with translation.override("en"):
        return str(text)


def _open_cases_of_family(person_ids: set[int]) -> list[int]:
    """The open cases of these persons and of everyone one family link away, in one query:
    a child's checklist reads its parents' and guardians' facts, so a change to the mother
    concerns the child's case."""
    linked_to = Relationship.objects.filter(from_person_id__in=person_ids).values("to_person_id")
    linked_from = Relationship.objects.filter(to_person_id__in=person_ids).values("from_person_id")
    return list(
        CaseMember.objects.filter(
            Q(person_id__in=person_ids) | Q(person_id__in=linked_to) | Q(person_id__in=linked_from)
        )
        .exclude(case__stage__in=CLOSED_STAGES)
        .order_by()  # DISTINCT on the case id alone, not the model's ordering too
        .values_list("case_id", flat=True)
        .distinct()
    )


def checklists_rebuild_for_facts(
    *, persons: Sequence[Person], cause: FactChange, actor: User | None = None
) -> list[RepatriationCase]:
    """Rebuild the open cases of these persons and their family after a fact changed.

    Called (through ``core.signals.facts_changed``) inside the transaction of the write
    that changed the fact, so no user capability is checked here: that write was already
    allowed. Most such writes concern nobody in a case: one query answers that, and only
    a rebuild opens its own (nested) atomic block. Steps keep what users recorded (see
    ``_sync_member_steps``); returned and closed cases are history and are not touched.
    Each rebuilt case gets one audit event without an actor, naming the cause and whose
    change it followed.
    """
    ids = {p.pk for p in persons if p.pk is not None}
    case_ids = _open_cases_of_family(ids) if ids else []
    if not case_ids:
        return []
    return _rebuild_cases(case_ids, cause, actor)


@transaction.atomic
def _rebuild_cases(
    case_ids: list[int], cause: FactChange, actor: User | None
) -> list[RepatriationCase]:
    cases = list(
        RepatriationCase.objects.filter(pk__in=case_ids)
        .select_related("rule_set", "agency")
        .order_by("id")
    )
    for case in cases:
        if rules.validate_rules(case.rule_set.rules):
            # Never make another app's write fail over a rule set the engine cannot read
            # (only rows made outside the services can be such); a person rebuilds later.
            logger.warning("checklist rebuild skipped: rule set unusable (case %s)", case.uuid)
            continue
        _sync_checklist(None, case)
        audit_record(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            obj=case,
            changes={
                "rebuild": "system",
                "cause": str(cause),
                "after_change_by": actor.get_username() if actor is not None else None,
            },
            reason=f"checklist rebuilt by the system: {_english(FactChange(cause).label)}",
            agency=case.agency,
        )
    return cases


# --- cases --------------------------------------------------------------------------------


def _next_reference(agency: Agency, year: int) -> str:
    prefix = f"{agency.reference_prefix}-R{year}-"
    last = (
        RepatriationCase.objects.filter(agency=agency, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) if last and last[len(prefix) :].isdigit() else 0
    return f"{prefix}{number + 1:04d}"


def _save_with_reference(case: RepatriationCase, agency: Agency) -> None:
    for _attempt in range(REFERENCE_TRIES):
        case.reference = _next_reference(agency, _today().year)
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError:
            continue
        return
    raise RuntimeError("Could not allocate a repatriation case reference; try again.")


def _rule_set_usable(actor: User, rule_set: RuleSet) -> None:
    if rule_set.agency_id not in (None, actor.agency_key):
        raise PermissionDenied
    if rule_set.status != RuleSet.Status.ACTIVE:
        raise ValidationError({"rule_set": _("Only an active rule set can be used for a case.")})


@transaction.atomic
def case_open(
    *,
    actor: User,
    rule_set: RuleSet,
    persons: Sequence[Person],
    principal: Person | None = None,
    family_group: FamilyGroup | None = None,
    notes: str = "",
) -> RepatriationCase:
    """Open a case for one person or a family group and build every member's checklist.

    A member serving a sentence in the host country is recorded as not travelling (she
    can still consent for her children); the others travel together by default.
    """
    _require(actor, Cap.CASE_EDIT)
    _same_agency(actor, *persons, *([family_group] if family_group else []))
    _rule_set_usable(actor, rule_set)
    members = list(dict.fromkeys(persons))
    if family_group is not None and not members:
        members = list(family_group.members.filter(merged_into__isnull=True))
    if not members:
        raise ValidationError({"persons": _("A case needs at least one person.")})
    if any(p.merged_into_id is not None for p in members):
        raise ValidationError(
            {"persons": _("A merged record cannot join a case; use the kept one.")}
        )
    busy = CaseMember.objects.filter(person__in=members).exclude(case__stage__in=CLOSED_STAGES)
    if busy.exists():
        raise ValidationError(
            {"persons": _("Someone here is already in an open repatriation case.")}
        )
    if principal is None:
        principal = members[0]
    elif principal not in members:
        raise ValidationError({"principal": _("The principal must be one of the case's persons.")})
    case = RepatriationCase(
        agency=_agency(actor),
        created_by=actor,
        rule_set=rule_set,
        family_group=family_group,
        stage=RepatriationCase.Stage.OPEN,
        stage_since=_today(),
        notes=notes,
    )
    _save_with_reference(case, case.agency)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=case,
        changes={"reference": [None, case.reference], "rule_set": [None, str(rule_set.uuid)]},
    )
    for person in members:
        member = CaseMember.objects.create(
            case=case, person=person, is_principal=person == principal
        )
        if _is_sentenced(person):
            member.travels = False
            member.separation_reason = _("Serving a sentence in the host country.")
            member.save(update_fields=["travels", "separation_reason", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=member,
            person_uuid=person.uuid,
            changes={"case": [None, case.reference], "travels": [None, member.travels]},
            agency=case.agency,
        )
    _sync_checklist(actor, case)
    return case


@transaction.atomic
def member_add(*, actor: User, case: RepatriationCase, person: Person) -> CaseMember:
    _require(actor, Cap.CASE_EDIT)
    _same_agency(actor, case, person)
    if case.stage in CLOSED_STAGES:
        raise ValidationError(_("This case is closed."))
    if CaseMember.objects.filter(person=person).exclude(case__stage__in=CLOSED_STAGES).exists():
        raise ValidationError({"person": _("This person is already in an open repatriation case.")})
    member = CaseMember.objects.create(case=case, person=person)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=member,
        person_uuid=person.uuid,
        changes={"case": [None, case.reference]},
        agency=case.agency,
    )
    _sync_member_steps(actor, member, case.rule_set)
    _fall_back_from_ready(actor, case)
    return member


@transaction.atomic
def member_update(
    *,
    actor: User,
    member: CaseMember,
    travels: bool,
    may_travel_separately: bool,
    separation_reason: str,
) -> CaseMember:
    """Who travels, and who may be put on another flight than the rest of the case."""
    _require(actor, Cap.CASE_EDIT)
    _same_agency(actor, member.case)
    reason = separation_reason.strip()
    if (may_travel_separately or not travels) and not reason:
        raise ValidationError(
            {"separation_reason": _("Say why this person stays or travels apart from the family.")}
        )
    fields = ["travels", "may_travel_separately", "separation_reason"]
    before = snapshot(member, fields)
    member.travels, member.may_travel_separately = travels, may_travel_separately
    member.separation_reason = reason if (may_travel_separately or not travels) else ""
    member.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=member,
        person_uuid=member.person.uuid,
        changes=diff(before, snapshot(member, fields)),
        agency=member.case.agency,
    )
    _fall_back_from_ready(actor, member.case)
    return member


@transaction.atomic
def member_remove(*, actor: User, member: CaseMember) -> None:
    """Take a person added by mistake out of a case. Refused once decisions or documents
    hang on them (that history must stay), and for the case's last person."""
    _require(actor, Cap.CASE_EDIT)
    case = member.case
    _same_agency(actor, case)
    if case.stage in CLOSED_STAGES:
        raise ValidationError(_("This case is closed."))
    if case.members.count() <= 1:
        raise ValidationError(_("A case needs at least one person; close the case instead."))
    if member.consents.exists() or CaseDocument.objects.filter(step__member=member).exists():
        raise ValidationError(
            _("Consent decisions or documents are recorded for this person; they stay.")
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=member,
        person_uuid=member.person.uuid,
        changes={"case": [case.reference, None]},
        agency=case.agency,
    )
    was_principal = member.is_principal
    member.delete()
    if was_principal:
        successor = case.members.order_by("id").first()
        if successor is not None:
            successor.is_principal = True
            successor.save(update_fields=["is_principal", "updated_at"])
    _fall_back_from_ready(actor, case)


_STEP_FIELDS = ["status", "blocker", "since", "note", "waived_reason"]


@transaction.atomic
def step_update(
    *,
    actor: User,
    step: CaseStep,
    status: str,
    blocker: str = "",
    note: str = "",
    since: dt.date | None = None,
) -> CaseStep:
    """Record progress on a step: done, pending, or blocked (and by what)."""
    _require(actor, Cap.CASE_EDIT)
    case = step.member.case
    _same_agency(actor, case)
    if case.stage in CLOSED_STAGES:
        raise ValidationError(_("This case is closed."))
    allowed = {CaseStep.Status.PENDING, CaseStep.Status.DONE, CaseStep.Status.BLOCKED}
    if status not in allowed:
        raise ValidationError(
            {"status": _("Choose done, pending or blocked; waiving needs a supervisor.")}
        )
    if step.detail.get("kind") == rules.Kind.CONSENT:
        raise ValidationError(
            _("A consent step follows the consent decisions: record the decision instead.")
        )
    blocker = blocker.strip()
    if status == CaseStep.Status.BLOCKED and not blocker:
        raise ValidationError({"blocker": _("Say what blocks this step.")})
    if since is not None and since > _today():
        raise ValidationError({"since": _("The date cannot be in the future.")})
    before = snapshot(step, _STEP_FIELDS)
    if status != step.status or blocker != step.blocker:
        step.since = since or _today()
    elif since is not None:
        step.since = since
    step.status = status
    step.blocker = blocker if status == CaseStep.Status.BLOCKED else ""
    step.note = note.strip()
    step.waived_reason = ""
    step.updated_by = actor
    step.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=step,
        person_uuid=step.member.person.uuid,
        changes=diff(before, snapshot(step, _STEP_FIELDS)),
        agency=case.agency,
    )
    _advance_from_open(case)
    _fall_back_from_ready(actor, case)
    return step


def _advance_from_open(case: RepatriationCase) -> None:
    if case.stage == RepatriationCase.Stage.OPEN:
        case.stage, case.stage_since = RepatriationCase.Stage.IN_PROGRESS, _today()
        case.save(update_fields=["stage", "stage_since", "updated_at"])


@transaction.atomic
def step_waive(*, actor: User, step: CaseStep, reason: str) -> CaseStep:
    """A supervisor's decision that a step is not needed for this person, with a reason."""
    _require(actor, Cap.CASE_APPROVE)
    _same_agency(actor, step.member.case)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Waiving a step needs a reason.")})
    before = snapshot(step, _STEP_FIELDS)
    step.status, step.waived_reason, step.blocker = CaseStep.Status.WAIVED, reason, ""
    step.since, step.updated_by = _today(), actor
    step.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=step,
        person_uuid=step.member.person.uuid,
        changes=diff(before, snapshot(step, _STEP_FIELDS)),
        reason=reason,
        agency=step.member.case.agency,
    )
    return step


@transaction.atomic
def consent_record(
    *,
    actor: User,
    case: RepatriationCase,
    children: Sequence[CaseMember],
    giver_kind: str,
    decision: str,
    decided_on: dt.date,
    given_by: Person | None = None,
    written: bool = True,
    note: str = "",
    document: CaseDocument | None = None,
) -> list[ConsentDecision]:
    """Record one decision (a mother consenting for her three children, a court's order
    standing in for parents) for each child it covers, then rebuild their checklists."""
    _require(actor, Cap.CASE_EDIT)
    _same_agency(actor, case, *([given_by] if given_by else []))
    if not children:
        raise ValidationError({"children": _("Choose the children this decision is for.")})
    if any(c.case_id != case.pk for c in children):
        raise PermissionDenied
    if giver_kind not in ConsentDecision.Giver.values:
        raise ValidationError({"giver_kind": _("Choose who decided.")})
    if decision not in ConsentDecision.Decision.values:
        raise ValidationError({"decision": _("Choose the decision.")})
    if decided_on > _today():
        raise ValidationError({"decided_on": _("The date cannot be in the future.")})
    if document is not None and document.case_id != case.pk:
        raise PermissionDenied
    if giver_kind == ConsentDecision.Giver.COURT:
        given_by = None
    elif given_by is None:
        raise ValidationError({"given_by": _("Choose the parent or guardian who decided.")})
    else:
        kind = (
            Relationship.Kind.PARENT
            if giver_kind == ConsentDecision.Giver.PARENT
            else Relationship.Kind.GUARDIAN
        )
        for child in children:
            linked = Relationship.objects.filter(
                from_person=given_by, to_person=child.person, kind=kind, is_current=True
            ).exists()
            if not linked:
                raise ValidationError(
                    {
                        "given_by": _(
                            "The registry does not record this person as the %(kind)s of every "
                            "child chosen; record the family link first."
                        )
                        % {"kind": Relationship.Kind(kind).label}
                    }
                )
    rows = []
    for child in children:
        row = ConsentDecision.objects.create(
            child=child,
            giver_kind=giver_kind,
            given_by=given_by,
            decision=decision,
            decided_on=decided_on,
            written=written,
            note=note.strip(),
            document=document,
            recorded_by=actor,
        )
        rows.append(row)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=row,
            person_uuid=child.person.uuid,
            changes={
                "decision": [None, decision],
                "giver_kind": [None, giver_kind],
                "given_by": [None, str(given_by.uuid) if given_by else None],
            },
            agency=case.agency,
        )
        _sync_member_steps(actor, child, case.rule_set)
    _advance_from_open(case)
    _fall_back_from_ready(actor, case)
    return rows


@transaction.atomic
def case_mark_ready(
    *, actor: User, case: RepatriationCase, override_reason: str = ""
) -> RepatriationCase:
    """Mark a case ready to travel. While a travelling member's required step is open,
    only a supervisor (CASE_APPROVE) may, and only with a reason; both are audited."""
    from wayhome.repatriation.selectors import case_has_open_required_steps

    _require(actor, Cap.CASE_EDIT)
    _same_agency(actor, case)
    if case.stage not in (RepatriationCase.Stage.OPEN, RepatriationCase.Stage.IN_PROGRESS):
        raise ValidationError(_("Only an open case in progress can be marked ready."))
    if not case.members.filter(travels=True).exists():
        raise ValidationError(_("Nobody in this case travels."))
    reason = override_reason.strip()
    if case_has_open_required_steps(case):
        if not reason:
            raise ValidationError(
                _("Required steps are still open; a supervisor may override with a reason.")
            )
        if not actor.has_cap(Cap.CASE_APPROVE):
            raise ValidationError(_("Only a supervisor may mark a case ready with steps open."))
    else:
        reason = ""
    before = snapshot(case, ["stage", "ready_override_reason", "ready_override_by"])
    case.stage, case.stage_since = RepatriationCase.Stage.READY, _today()
    case.ready_override_reason, case.ready_override_by = reason, (actor if reason else None)
    case.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=case,
        changes=diff(
            before, snapshot(case, ["stage", "ready_override_reason", "ready_override_by"])
        ),
        reason=reason,
    )
    return case


@transaction.atomic
def case_set_stage(
    *, actor: User, case: RepatriationCase, stage: str, closure_reason: str = ""
) -> RepatriationCase:
    """Move a case to another stage than ready (see case_mark_ready): back to in
    progress, scheduled or returned (operations), or closed with a reason."""
    _require(actor, Cap.CASE_EDIT)
    _same_agency(actor, case)
    if stage == RepatriationCase.Stage.READY:
        # Forward through case_mark_ready (the checklist), back from scheduled through
        # case_ready_again (the operation that did not take the case).
        raise ValidationError(_("Use 'mark ready', which checks the checklist."))
    if stage not in RepatriationCase.Stage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    if (
        stage == RepatriationCase.Stage.CLOSED
        and closure_reason not in RepatriationCase.Closure.values
    ):
        raise ValidationError({"closure_reason": _("Say why the case is closed.")})
    fields = ["stage", "closure_reason", "ready_override_reason"]
    before = snapshot(case, fields)
    case.stage, case.stage_since = stage, _today()
    case.closure_reason = closure_reason if stage == RepatriationCase.Stage.CLOSED else ""
    if stage in (RepatriationCase.Stage.OPEN, RepatriationCase.Stage.IN_PROGRESS):
        case.ready_override_reason, case.ready_override_by = "", None
    case.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=case,
        changes=diff(before, snapshot(case, fields)),
    )
    return case


@transaction.atomic
def case_ready_again(
    *, actor: User, case: RepatriationCase, because: str, on: dt.date | None = None
) -> RepatriationCase:
    """Scheduled → ready: the case did not travel (its operation was called off, or a
    member was held back), so it waits for another operation. The one move back to ready
    that does not go through ``case_mark_ready``: the checklist (or a supervisor's
    override, which stays) was approved before the case was scheduled."""
    _require(actor, Cap.CASE_EDIT)
    _same_agency(actor, case)
    if because not in RepatriationCase.ReadyAgain.values:
        raise ValidationError({"because": _("Say why the case is ready again.")})
    if case.stage != RepatriationCase.Stage.SCHEDULED:
        raise ValidationError(_("Only a scheduled case can be ready to travel again."))
    case.stage, case.stage_since = RepatriationCase.Stage.READY, on or _today()
    case.save(update_fields=["stage", "stage_since", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=case,
        changes={"stage": [RepatriationCase.Stage.SCHEDULED, RepatriationCase.Stage.READY]},
        reason=str(RepatriationCase.ReadyAgain(because).label),
    )
    return case


@transaction.atomic
def case_migrate_rule_set(
    *, actor: User, case: RepatriationCase, rule_set: RuleSet
) -> RepatriationCase:
    """Move a case to another version of its route's rules, on purpose, and rebuild."""
    _require(actor, Cap.CASE_EDIT)
    _same_agency(actor, case)
    _rule_set_usable(actor, rule_set)
    if rule_set.slug != case.rule_set.slug:
        raise ValidationError({"rule_set": _("A case moves only to another version of its route.")})
    if case.stage in CLOSED_STAGES:
        raise ValidationError(_("This case is closed."))
    old = case.rule_set
    case.rule_set = rule_set
    case.save(update_fields=["rule_set", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=case,
        changes={
            "rule_set": [f"{old.slug} v{old.version}", f"{rule_set.slug} v{rule_set.version}"]
        },
    )
    _sync_checklist(actor, case)
    return case


# --- documents ----------------------------------------------------------------------------


def _check_upload(upload: UploadedFile) -> tuple[str, str]:
    name = upload.name or ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = ALLOWED_UPLOADS.get(suffix)
    if content_type is None:
        raise ValidationError({"file": _("Attach a PDF, JPEG or PNG file.")})
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in _MAGIC[content_type]):
        raise ValidationError({"file": _("The file's content does not match its type.")})
    return suffix, content_type


@transaction.atomic
def document_attach(
    *,
    actor: User,
    case: RepatriationCase,
    upload: UploadedFile,
    title: str,
    kind: str,
    step: CaseStep | None = None,
) -> CaseDocument:
    """Attach a scanned or photographed document; stored under a random name."""
    _require(actor, Cap.CASE_EDIT)
    _same_agency(actor, case)
    if step is not None and step.member.case_id != case.pk:
        raise PermissionDenied
    if kind not in CaseDocument.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    suffix, content_type = _check_upload(upload)
    doc = CaseDocument(
        case=case,
        step=step,
        kind=kind,
        title=title.strip(),
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    doc.file.save(f"upload.{suffix}", upload, save=False)
    doc.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=doc,
        person_uuid=step.member.person.uuid if step else None,
        changes={"title": [None, doc.title], "kind": [None, kind], "case": [None, case.reference]},
        agency=case.agency,
    )
    return doc


def _person_line(person: Person) -> dict[str, str]:
    citizenship = (
        Citizenship.objects.filter(person=person)
        .select_related("country")
        .order_by("-status")
        .first()
    )
    return {
        "name": person.display_name,
        "birth": str(person.birth),
        "birth_place": person.birth_place,
        "citizenship": str(citizenship.country) if citizenship else "",
    }


def document_context(
    *,
    case: RepatriationCase,
    kind: str,
    parent: Person | None = None,
    children: Sequence[CaseMember] = (),
    court: str = "",
) -> dict[str, Any]:
    """The restricted context a document template sees: plain strings and lists only."""
    from wayhome.repatriation.selectors import members_with_steps

    rs = case.rule_set
    home = rs.home_country
    ctx: dict[str, Any] = {
        "today": documents.today_text(),
        "agency": case.agency.name,
        "court": court,
        "case": {
            "reference": case.reference,
            "route": str(rs),
            "stage": str(RepatriationCase.Stage(case.stage).label),
            "host_country": str(rs.host_country),
            "home_country": str(home) if home else "",
            "handover_point": str(rs.rules.get("handover_point", "")),
            "receiver": "",
            "to_be_confirmed": rs.to_be_confirmed,
        },
    }
    if kind == DocumentTemplate.Kind.ENVOY_SUMMARY:
        members = []
        fines = []
        for m in members_with_steps(case):
            open_items = [
                f"{s.localized_label}: {_(s.blocker)}" if s.blocker else s.localized_label
                for s in m.steps.all()
                if s.required and s.is_open
            ]
            members.append(
                {
                    **_person_line(m.person),
                    "principal": m.is_principal,
                    "travels": m.travels,
                    "separation_reason": m.separation_reason,
                    "open_items": open_items,
                }
            )
            for s in m.steps.all():
                fine = s.detail.get("fine")
                if fine and s.status != CaseStep.Status.NOT_APPLICABLE:
                    fines.append(
                        f"{m.person.display_name}: {fine['amount']} {fine['currency']} "
                        f"({CaseStep.Status(s.status).label})"
                    )
        ctx["members"], ctx["fines"] = members, fines
        return ctx
    kids = list(children) or [
        m for m in case.members.select_related("person") if not m.is_principal
    ]
    ctx["children"] = [_person_line(m.person) for m in kids]
    ctx["parent"] = {"name": "", "birth": "", "citizenship": "", "relation": "", "status": ""}
    if parent is not None:
        line = _person_line(parent)
        ctx["parent"] = {
            **line,
            "relation": _PARENT_ROLE.get(parent.sex, "parent"),
            "status": str(PersonStatus(parent.current_status).label),
        }
    ctx["documents"] = [d.title for d in case.documents.exclude(kind=CaseDocument.Kind.GENERATED)]
    ctx["grounds"] = []
    return ctx


@transaction.atomic
def document_generate(
    *,
    actor: User,
    case: RepatriationCase,
    template: DocumentTemplate,
    parent: Person | None = None,
    children: Sequence[CaseMember] = (),
    court: str = "",
) -> CaseDocument:
    """Render a document template for a case as PDF and keep it with the case's files."""
    _require(actor, Cap.CASE_EDIT)
    _same_agency(actor, case, *([parent] if parent else []))
    if template.agency_id not in (None, actor.agency_key):
        raise PermissionDenied
    if any(c.case_id != case.pk for c in children):
        raise PermissionDenied
    if template.kind == DocumentTemplate.Kind.CONSENT_FORM and parent is None:
        raise ValidationError({"parent": _("Choose the parent who is to sign.")})
    # The labels the context carries (stage, status, steps) in the document's language.
    with translation.override(template.language):
        context = document_context(
            case=case, kind=template.kind, parent=parent, children=children, court=court
        )
    try:
        html = documents.render_html(
            template.body, context, language=template.language, title=template.title
        )
    except documents.TemplateProblem as exc:
        raise ValidationError(_("The template cannot be used: %(why)s") % {"why": exc}) from exc
    pdf = documents.html_to_pdf(html)
    doc = CaseDocument(
        case=case,
        kind=CaseDocument.Kind.GENERATED,
        title=f"{template.title} ({template.language}, v{template.version})",
        content_type="application/pdf",
        size=len(pdf),
        uploaded_by=actor,
    )
    doc.file.save("generated.pdf", ContentFile(pdf), save=False)
    doc.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=doc,
        person_uuid=parent.uuid if parent else None,
        changes={"template": [None, str(template.uuid)], "case": [None, case.reference]},
        agency=case.agency,
    )
    return doc


# --- rule sets and templates (administrators) -------------------------------------------------


@transaction.atomic
def rule_set_new_version(
    *, actor: User, source_text: str, change_note: str, base: RuleSet | None = None
) -> RuleSet:
    """Save an edited rule set as a new draft version of the agency's own.

    Never an in-place edit: cases keep the version they were opened under.
    """
    _require(actor, Cap.RULES_ADMIN)
    if base is not None and base.agency_id not in (None, actor.agency_key):
        raise PermissionDenied
    try:
        data = parse_rule_set(source_text)
    except rules.RulesError as exc:
        raise ValidationError({"source_text": exc.problems}) from exc
    if base is not None and data["slug"] != base.slug:
        raise ValidationError(
            {"source_text": _("The route key (slug) cannot change in a new version.")}
        )
    if not change_note.strip():
        raise ValidationError({"change_note": _("Say what changed and why.")})
    from wayhome.places.models import Country

    def country(iso2: str | None, field: str) -> Country | None:
        if not iso2:
            return None
        found = Country.objects.filter(iso2=str(iso2).upper()).first()
        if found is None:
            raise ValidationError(
                {"source_text": _("%(field)s: unknown country code.") % {"field": field}}
            )
        return found

    host = country(data["host_country"], "host_country")
    if host is None:
        raise ValidationError({"source_text": _("host_country: required.")})
    top = RuleSet.objects.filter(slug=data["slug"]).aggregate(v=Max("version"))["v"] or 0
    rs = RuleSet.objects.create(
        agency=_agency(actor),
        slug=data["slug"],
        name=data["name"],
        host_country=host,
        facility_kind=data["facility_kind"],
        home_country=country(data.get("home_country"), "home_country"),
        version=top + 1,
        status=RuleSet.Status.DRAFT,
        to_be_confirmed=bool(data.get("to_be_confirmed", True)),
        rules=data["rules"],
        source_text=source_text,
        change_note=change_note.strip(),
        previous=base,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=rs,
        changes={"slug": [None, rs.slug], "version": [None, rs.version]},
        reason=rs.change_note,
    )
    return rs


@transaction.atomic
def rule_set_set_status(*, actor: User, rule_set: RuleSet, status: str) -> RuleSet:
    """Activate a draft (retiring the agency's active version of the route) or retire one.

    Shipped rule sets are not the agency's to change: it activates its own version.
    """
    _require(actor, Cap.RULES_ADMIN)
    if rule_set.agency_id != actor.agency_key:
        raise ValidationError(_("A shipped rule set cannot be changed; save your own version."))
    if status not in (RuleSet.Status.ACTIVE, RuleSet.Status.RETIRED):
        raise ValidationError({"status": _("Choose active or retired.")})
    old = rule_set.status
    if status == RuleSet.Status.ACTIVE:
        RuleSet.objects.filter(
            slug=rule_set.slug, agency_id=actor.agency_key, status=RuleSet.Status.ACTIVE
        ).exclude(pk=rule_set.pk).update(status=RuleSet.Status.RETIRED)
    rule_set.status = status
    rule_set.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=rule_set,
        changes={"status": [old, status]},
    )
    return rule_set


@transaction.atomic
def template_new_version(
    *, actor: User, base: DocumentTemplate, body: str, change_note: str
) -> DocumentTemplate:
    """Save an edited document template as the agency's new current version."""
    _require(actor, Cap.RULES_ADMIN)
    if base.agency_id not in (None, actor.agency_key):
        raise PermissionDenied
    try:
        documents.check_template(body)
    except documents.TemplateProblem as exc:
        raise ValidationError({"body": str(exc)}) from exc
    if not change_note.strip():
        raise ValidationError({"change_note": _("Say what changed and why.")})
    own = DocumentTemplate.objects.filter(
        kind=base.kind, language=base.language, agency_id=actor.agency_key
    )
    top = own.aggregate(v=Max("version"))["v"] or 0
    own.update(is_current=False)
    tpl = DocumentTemplate.objects.create(
        agency=_agency(actor),
        kind=base.kind,
        language=base.language,
        version=max(top, base.version) + 1,
        is_current=True,
        title=base.title,
        body=body,
        change_note=change_note.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=tpl,
        changes={
            "kind": [None, tpl.kind],
            "language": [None, tpl.language],
            "version": [None, tpl.version],
        },
        reason=tpl.change_note,
    )
    return tpl
