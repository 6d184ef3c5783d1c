"""Writes of legal cases. Each writes its audit event and a line of the case's history
(``LegalEvent``) citing the report it rests on, in one transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, diff, snapshot
from wayhome.core.signals import FactChange, Milestone, announce_facts_changed, milestone_reached
from wayhome.legal.models import Appeal, DetentionReport, Hearing, LegalCase, LegalEvent
from wayhome.people.models import Person
from wayhome.places.models import Country
from wayhome.tracing.models import InformationReport

CASE_FIELDS = [
    "jurisdiction",
    "country",
    "court",
    "case_number",
    "charges",
    "status",
    "lawyer",
    "lawyer_fee",
    "lawyer_fee_currency",
    "source",
    "notes",
]
VERDICT_FIELDS = [
    "verdict",
    "verdict_on",
    "sentence_kind",
    "sentence_years",
    "sentence_deferred_until",
    "sentence_deferred_reason",
    "status",
]


def _today() -> dt.date:
    return timezone.localdate()


def _check(actor: User, *objs: Any) -> None:
    if not actor.has_cap(Cap.LEGAL_EDIT):
        raise PermissionDenied
    for obj in objs:
        if obj is not None and getattr(obj, "agency_id", actor.agency_key) != actor.agency_key:
            raise PermissionDenied


def _facts_changed(actor: User, case: LegalCase) -> None:
    """Open repatriation cases follow a new case, a status or a sentence (same transaction)."""
    announce_facts_changed(
        sender=LegalCase, persons=(case.person,), cause=FactChange.LEGAL_CASE, actor=actor
    )


def _not_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > _today():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _event(
    actor: User,
    case: LegalCase,
    kind: str,
    summary: str,
    on: dt.date | None = None,
    source: InformationReport | None = None,
) -> LegalEvent:
    return LegalEvent.objects.create(
        legal_case=case,
        kind=kind,
        happened_on=on or _today(),
        summary=summary[:500],
        source=source,
        recorded_by=actor,
    )


def _check_fee(fee: Decimal | None, currency: str) -> str:
    currency = currency.strip().upper()
    if fee is not None:
        if fee < 0:
            raise ValidationError({"lawyer_fee": _("A fee cannot be negative.")})
        if not (len(currency) == 3 and currency.isalpha()):
            raise ValidationError(
                {"lawyer_fee_currency": _("Give the currency as three letters, e.g. USD.")}
            )
    return currency if fee is not None else ""


@transaction.atomic
def legal_case_create(
    *,
    actor: User,
    person: Person,
    country: Country,
    jurisdiction: str = LegalCase.Jurisdiction.HOST,
    court: str = "",
    case_number: str = "",
    charges: str = "",
    status: str = LegalCase.Status.INVESTIGATION,
    lawyer: str = "",
    lawyer_fee: Decimal | None = None,
    lawyer_fee_currency: str = "",
    source: InformationReport | None = None,
    notes: str = "",
) -> LegalCase:
    _check(actor, person, source)
    if person.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another one; use the kept record."))
    if status in (LegalCase.Status.SENTENCED,):
        raise ValidationError({"status": _("Record the verdict and sentence with their own form.")})
    case = LegalCase(
        agency_id=actor.agency_key,
        created_by=actor,
        person=person,
        country=country,
        jurisdiction=jurisdiction,
        court=court.strip(),
        case_number=case_number.strip(),
        charges=charges.strip(),
        status=status,
        lawyer=lawyer.strip(),
        lawyer_fee=lawyer_fee,
        lawyer_fee_currency=_check_fee(lawyer_fee, lawyer_fee_currency),
        source=source,
        notes=notes,
    )
    case.full_clean(exclude=["agency", "created_by"])
    case.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=case,
        person_uuid=person.uuid,
        changes={k: [None, v] for k, v in snapshot(case, CASE_FIELDS).items()},
    )
    _event(actor, case, LegalEvent.Kind.OPENED, charges or court or "", source=source)
    _facts_changed(actor, case)
    return case


@transaction.atomic
def legal_case_update(*, actor: User, case: LegalCase, **fields: Any) -> LegalCase:
    """Change the case's details (court, charges, status, lawyer); not the verdict."""
    _check(actor, case, fields.get("source"))
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    if fields.get("status") == LegalCase.Status.SENTENCED and not case.sentence_kind:
        raise ValidationError({"status": _("Record the verdict and sentence with their own form.")})
    before = snapshot(case, CASE_FIELDS)
    for key, value in fields.items():
        setattr(case, key, value.strip() if isinstance(value, str) and key != "notes" else value)
    case.lawyer_fee_currency = _check_fee(case.lawyer_fee, case.lawyer_fee_currency)
    case.full_clean(exclude=["agency", "created_by"])
    case.save()
    changes = diff(before, snapshot(case, CASE_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=case,
            person_uuid=case.person.uuid,
            changes=changes,
        )
        labels = ", ".join(
            str(getattr(LegalCase._meta.get_field(k), "verbose_name", k)) for k in changes
        )
        _event(actor, case, LegalEvent.Kind.UPDATED, labels, source=fields.get("source"))
        if changes.keys() & {"status", "jurisdiction"}:
            _facts_changed(actor, case)
    return case


@transaction.atomic
def verdict_record(
    *,
    actor: User,
    case: LegalCase,
    verdict: str,
    verdict_on: dt.date,
    sentence_kind: str = "",
    sentence_years: Decimal | None = None,
    sentence_deferred_until: dt.date | None = None,
    sentence_deferred_reason: str = "",
    source: InformationReport | None = None,
) -> LegalCase:
    """A verdict and, when guilty, the sentence. A sentence tells the relatives who asked
    (Milestone.SENTENCED, sent when the transaction commits)."""
    _check(actor, case, source)
    _not_future(verdict_on, "verdict_on")
    if verdict not in LegalCase.Verdict.values or not verdict:
        raise ValidationError({"verdict": _("Choose the verdict.")})
    if verdict != LegalCase.Verdict.GUILTY and sentence_kind:
        raise ValidationError({"sentence_kind": _("Only a guilty verdict carries a sentence.")})
    if verdict == LegalCase.Verdict.GUILTY and not sentence_kind:
        raise ValidationError({"sentence_kind": _("Choose the sentence.")})
    if sentence_kind == LegalCase.SentenceKind.YEARS:
        if sentence_years is None or sentence_years <= 0:
            raise ValidationError({"sentence_years": _("Give the term in years.")})
    else:
        sentence_years = None
    if sentence_deferred_until is not None:
        if sentence_deferred_until <= verdict_on:
            raise ValidationError(
                {"sentence_deferred_until": _("A deferral ends after the verdict.")}
            )
        if not sentence_deferred_reason.strip():
            raise ValidationError({"sentence_deferred_reason": _("Say why it is deferred.")})
    before = snapshot(case, VERDICT_FIELDS)
    case.verdict, case.verdict_on = verdict, verdict_on
    case.sentence_kind, case.sentence_years = sentence_kind, sentence_years
    case.sentence_deferred_until = sentence_deferred_until
    case.sentence_deferred_reason = (
        sentence_deferred_reason.strip() if sentence_deferred_until else ""
    )
    case.status = {
        LegalCase.Verdict.GUILTY: LegalCase.Status.SENTENCED,
        LegalCase.Verdict.NOT_GUILTY: LegalCase.Status.ACQUITTED,
        LegalCase.Verdict.DISMISSED: LegalCase.Status.DISMISSED,
    }[LegalCase.Verdict(verdict)]
    case.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=case,
        person_uuid=case.person.uuid,
        changes=diff(before, snapshot(case, VERDICT_FIELDS)),
    )
    _event(
        actor,
        case,
        LegalEvent.Kind.VERDICT,
        str(LegalCase.Verdict(verdict).label),
        verdict_on,
        source,
    )
    if sentence_kind:
        summary = case.sentence_text
        if sentence_deferred_until:
            summary += f" ({_('deferred until')} {sentence_deferred_until.isoformat()})"
        _event(actor, case, LegalEvent.Kind.SENTENCE, summary, verdict_on, source)
        person, key = case.person, f"sentenced:{case.uuid}:{verdict_on.isoformat()}"
        transaction.on_commit(
            lambda: milestone_reached.send(
                sender=LegalCase,
                person=person,
                milestone=Milestone.SENTENCED,
                actor=actor,
                key=key,
            )
        )
    _facts_changed(actor, case)
    return case


@transaction.atomic
def hearing_add(
    *,
    actor: User,
    case: LegalCase,
    date: dt.date,
    court: str = "",
    purpose: str = "",
    outcome: str = "",
    source: InformationReport | None = None,
) -> Hearing:
    _check(actor, case, source)
    if outcome.strip():
        _not_future(date, "date")
    hearing = Hearing.objects.create(
        legal_case=case,
        date=date,
        court=court.strip() or case.court,
        purpose=purpose.strip(),
        outcome=outcome.strip(),
        source=source,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=hearing,
        person_uuid=case.person.uuid,
        changes={"date": [None, date], "court": [None, hearing.court]},
        agency=case.agency,
    )
    _event(actor, case, LegalEvent.Kind.HEARING, purpose or hearing.court, date, source)
    return hearing


@transaction.atomic
def hearing_outcome(
    *, actor: User, hearing: Hearing, outcome: str, source: InformationReport | None = None
) -> Hearing:
    case = hearing.legal_case
    _check(actor, case, source)
    if hearing.date > _today():
        raise ValidationError({"outcome": _("This hearing has not taken place yet.")})
    if not outcome.strip():
        raise ValidationError({"outcome": _("Describe the outcome.")})
    before = snapshot(hearing, ["outcome", "source"])
    hearing.outcome, hearing.source = outcome.strip(), source or hearing.source
    hearing.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=hearing,
        person_uuid=case.person.uuid,
        changes=diff(before, snapshot(hearing, ["outcome", "source"])),
        agency=case.agency,
    )
    _event(actor, case, LegalEvent.Kind.HEARING_OUTCOME, outcome, hearing.date, source)
    return hearing


@transaction.atomic
def appeal_add(
    *,
    actor: User,
    case: LegalCase,
    filed_on: dt.date,
    court: str = "",
    grounds: str = "",
    source: InformationReport | None = None,
) -> Appeal:
    _check(actor, case, source)
    _not_future(filed_on, "filed_on")
    if not case.verdict:
        raise ValidationError(_("There is no verdict to appeal yet."))
    appeal = Appeal.objects.create(
        legal_case=case,
        filed_on=filed_on,
        court=court.strip(),
        grounds=grounds.strip(),
        source=source,
    )
    old = case.status
    case.status = LegalCase.Status.ON_APPEAL
    case.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=appeal,
        person_uuid=case.person.uuid,
        changes={"filed_on": [None, filed_on], "case_status": [old, case.status]},
        agency=case.agency,
    )
    _event(actor, case, LegalEvent.Kind.APPEAL, grounds or court, filed_on, source)
    if old != case.status:
        _facts_changed(actor, case)
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    actor: User,
    appeal: Appeal,
    outcome: str,
    decided_on: dt.date,
    source: InformationReport | None = None,
) -> Appeal:
    """The appeal's outcome. A changed sentence is recorded with verdict_record after."""
    case = appeal.legal_case
    _check(actor, case, source)
    _not_future(decided_on, "decided_on")
    if outcome not in Appeal.Outcome.values or outcome == Appeal.Outcome.PENDING:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if decided_on < appeal.filed_on:
        raise ValidationError({"decided_on": _("The decision cannot precede the appeal.")})
    before = snapshot(appeal, ["outcome", "decided_on"])
    appeal.outcome, appeal.decided_on = outcome, decided_on
    appeal.source = source or appeal.source
    appeal.save()
    case.status = {
        Appeal.Outcome.OVERTURNED: LegalCase.Status.ACQUITTED,
        Appeal.Outcome.RETRIAL: LegalCase.Status.AWAITING_TRIAL,
    }.get(
        Appeal.Outcome(outcome), LegalCase.Status.SENTENCED if case.sentence_kind else case.status
    )
    case.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=appeal,
        person_uuid=case.person.uuid,
        changes=diff(before, snapshot(appeal, ["outcome", "decided_on"])),
        agency=case.agency,
    )
    _event(
        actor,
        case,
        LegalEvent.Kind.APPEAL_DECIDED,
        str(Appeal.Outcome(outcome).label),
        decided_on,
        source,
    )
    _facts_changed(actor, case)
    return appeal


@transaction.atomic
def conditions_report(
    *,
    actor: User,
    case: LegalCase,
    reported_on: dt.date,
    conditions: str,
    source: InformationReport | None = None,
) -> DetentionReport:
    _check(actor, case, source)
    _not_future(reported_on, "reported_on")
    if not conditions.strip():
        raise ValidationError({"conditions": _("Describe the conditions reported.")})
    report = DetentionReport.objects.create(
        legal_case=case, reported_on=reported_on, conditions=conditions.strip(), source=source
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=report,
        person_uuid=case.person.uuid,
        changes={"reported_on": [None, reported_on]},
        agency=case.agency,
    )
    _event(actor, case, LegalEvent.Kind.CONDITIONS, conditions, reported_on, source)
    return report
