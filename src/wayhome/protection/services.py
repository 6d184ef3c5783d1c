"""Writes of purposes, consent, disclosures, subject exports and erasure.

Each is atomic and audited in its transaction; a user error is a ValidationError raised
before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, diff, snapshot
from wayhome.people.models import Person
from wayhome.protection import selectors as sel
from wayhome.protection.anonymise import person_anonymise
from wayhome.protection.models import (
    Anonymisation,
    ConsentEvent,
    DataKind,
    Disclosure,
    LegalBasis,
    ProcessingRecord,
    Purpose,
    RecipientKind,
    Scope,
)
from wayhome.tracing.models import Inquirer, TracingRequest

A = AuditEvent.Action
PROCESSING_FIELDS = ("purpose", "legal_basis", "notes")
CONSENT_FIELDS = ("scope", "given", "method", "on", "notes")
DISCLOSURE_FIELDS = ("recipient", "recipient_kind", "legal_basis", "purpose", "data_kinds")
DECISION_FIELDS = ("status", "decided_by", "decided_at", "refusal_reason", "sent_on")


def _today() -> dt.date:
    return timezone.localdate()


def _check_own(actor: User, *objs: Any) -> None:
    for obj in objs:
        if obj.agency_id != actor.agency_key:
            # The views' selectors 404 first: reaching here is a bug, not a user error.
            raise PermissionError("Record belongs to another agency.")


def _check_choice(value: str, choices: Sequence[str], field: str, message: str) -> None:
    if value not in choices:
        raise ValidationError({field: message})


def _is_supervisor(user: User) -> bool:
    return user.has_cap(Cap.AUDIT_VIEW) and user.has_cap(Cap.PERSON_VIEW)


# --- purpose and legal basis --------------------------------------------------------


@transaction.atomic
def processing_record_set(
    *,
    actor: User,
    purpose: str,
    legal_basis: str,
    notes: str = "",
    person: Person | None = None,
    request: TracingRequest | None = None,
) -> ProcessingRecord:
    """Record or change why a person's or a request's data is held, and on what basis."""
    subject = person if person is not None else request
    if subject is None or (person is not None and request is not None):
        raise TypeError("Give exactly one of person and request.")
    _check_own(actor, subject)
    _check_choice(purpose, Purpose.values, "purpose", _("Choose the purpose."))
    _check_choice(legal_basis, LegalBasis.values, "legal_basis", _("Choose the legal basis."))
    record = sel.processing_of(person=person, request=request) or ProcessingRecord(
        agency_id=actor.agency_key, created_by=actor, person=person, request=request
    )
    created = record.pk is None
    before = {} if created else snapshot(record, PROCESSING_FIELDS)
    record.purpose, record.legal_basis, record.notes = purpose, legal_basis, notes.strip()
    record.recorded_by = actor
    record.save()
    after = snapshot(record, PROCESSING_FIELDS)
    changes: dict[str, Any] = after if created else diff(before, after)
    if changes:
        audit_record(
            actor=actor,
            action=A.CREATE if created else A.UPDATE,
            obj=record,
            person_uuid=person.uuid if person is not None else None,
            changes={"subject": str(subject.uuid), **changes},
        )
    return record


# --- consent --------------------------------------------------------------------------


def _sync_inquirer_flags(actor: User, inquirer: Inquirer, scope: str) -> None:
    """Keep the flags the tracing pages show equal to the standing consent."""
    now = sel.current_consent(scope, inquirer=inquirer) is True
    if scope == Scope.CONTACT:
        rows = Inquirer.objects.filter(pk=inquirer.pk).exclude(consent_contact=now)
        if rows.update(consent_contact=now):
            audit_record(
                actor=actor,
                action=A.UPDATE,
                obj=inquirer,
                changes={"consent_contact": [not now, now]},
            )
    elif scope == Scope.SHARE_AUTHORITIES:
        rows_qs = TracingRequest.objects.filter(inquirer=inquirer).exclude(consent_share=now)
        changed = [str(u) for u in rows_qs.values_list("uuid", flat=True)]
        if rows_qs.update(consent_share=now):
            audit_record(
                actor=actor,
                action=A.UPDATE,
                obj=inquirer,
                changes={"consent_share": [not now, now], "requests": changed},
            )


@transaction.atomic
def consent_record(
    *,
    actor: User,
    scope: str,
    given: bool,
    method: str,
    on: dt.date,
    notes: str = "",
    person: Person | None = None,
    inquirer: Inquirer | None = None,
) -> ConsentEvent:
    """Record that a person or an inquirer gave or withdrew consent on one scope."""
    subject = person if person is not None else inquirer
    if subject is None or (person is not None and inquirer is not None):
        raise TypeError("Give exactly one of person and inquirer.")
    _check_own(actor, subject)
    _check_choice(scope, Scope.values, "scope", _("Choose what the consent is about."))
    _check_choice(method, ConsentEvent.Method.values, "method", _("Say how it was expressed."))
    if on > _today():
        raise ValidationError({"on": _("The date of the consent cannot be in the future.")})
    event = ConsentEvent.objects.create(
        agency_id=actor.agency_key,
        created_by=actor,
        recorded_by=actor,
        person=person,
        inquirer=inquirer,
        scope=scope,
        given=given,
        method=method,
        on=on,
        notes=notes.strip(),
    )
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=event,
        person_uuid=person.uuid if person is not None else None,
        changes={"subject": str(subject.uuid), **snapshot(event, CONSENT_FIELDS)},
    )
    if inquirer is not None:
        _sync_inquirer_flags(actor, inquirer, scope)
    return event


# --- disclosures ----------------------------------------------------------------------


@transaction.atomic
def disclosure_propose(
    *,
    actor: User,
    recipient: str,
    recipient_kind: str,
    legal_basis: str,
    purpose: str,
    persons: Sequence[Person],
    data_kinds: Sequence[str],
) -> Disclosure:
    """Propose giving data on ``persons`` to a recipient; a supervisor decides."""
    _check_own(actor, *persons)
    if not recipient.strip():
        raise ValidationError({"recipient": _("Say who receives the data.")})
    _check_choice(
        recipient_kind, RecipientKind.values, "recipient_kind", _("Choose the kind of recipient.")
    )
    _check_choice(legal_basis, LegalBasis.values, "legal_basis", _("Choose the legal basis."))
    if not purpose.strip():
        raise ValidationError({"purpose": _("Say what the data is shared for.")})
    if not persons:
        raise ValidationError({"persons": _("Choose at least one person.")})
    if not data_kinds or any(k not in DataKind.values for k in data_kinds):
        raise ValidationError({"data_kinds": _("Choose which kinds of data are shared.")})
    disclosure = Disclosure.objects.create(
        agency_id=actor.agency_key,
        created_by=actor,
        requested_by=actor,
        recipient=recipient.strip(),
        recipient_kind=recipient_kind,
        legal_basis=legal_basis,
        purpose=purpose.strip(),
        data_kinds=sorted(set(data_kinds)),
    )
    disclosure.persons.set(persons)
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=disclosure,
        changes={
            **snapshot(disclosure, DISCLOSURE_FIELDS),
            "persons": sorted(str(p.uuid) for p in persons),
        },
    )
    return disclosure


def _check_decider(actor: User, disclosure: Disclosure) -> None:
    _check_own(actor, disclosure)
    if not _is_supervisor(actor):
        raise ValidationError(_("Only a supervisor can approve or refuse a disclosure."))
    if disclosure.requested_by_id == actor.pk:
        raise ValidationError(
            _("You proposed this disclosure: another supervisor must decide on it.")
        )
    if disclosure.status != Disclosure.Status.PROPOSED:
        raise ValidationError(_("This disclosure has already been decided."))


def _decide(actor: User, disclosure: Disclosure, status: str, reason: str = "") -> Disclosure:
    before = snapshot(disclosure, DECISION_FIELDS)
    disclosure.status, disclosure.refusal_reason = status, reason
    disclosure.decided_by, disclosure.decided_at = actor, timezone.now()
    disclosure.save(update_fields=[*DECISION_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=disclosure,
        changes=diff(before, snapshot(disclosure, DECISION_FIELDS)),
        reason=reason,
    )
    return disclosure


@transaction.atomic
def disclosure_approve(*, actor: User, disclosure: Disclosure) -> Disclosure:
    """Four eyes: a supervisor other than the requester approves, if nothing blocks it."""
    _check_decider(actor, disclosure)
    problems = sel.disclosure_blockers(disclosure)
    if problems:
        raise ValidationError(problems)
    return _decide(actor, disclosure, Disclosure.Status.APPROVED)


@transaction.atomic
def disclosure_refuse(*, actor: User, disclosure: Disclosure, reason: str) -> Disclosure:
    _check_decider(actor, disclosure)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the disclosure is refused.")})
    return _decide(actor, disclosure, Disclosure.Status.REFUSED, reason.strip())


@transaction.atomic
def disclosure_mark_sent(*, actor: User, disclosure: Disclosure, on: dt.date) -> Disclosure:
    """Record that the approved data left, checking again that nothing blocks it now."""
    _check_own(actor, disclosure)
    if disclosure.status != Disclosure.Status.APPROVED:
        raise ValidationError(_("Only an approved disclosure can be sent."))
    if on > _today():
        raise ValidationError({"on": _("The date sent cannot be in the future.")})
    if disclosure.decided_at is not None and on < timezone.localdate(disclosure.decided_at):
        raise ValidationError({"on": _("The date sent is before the approval.")})
    problems = sel.disclosure_blockers(disclosure)
    if problems:
        raise ValidationError(problems)
    before = snapshot(disclosure, DECISION_FIELDS)
    disclosure.status, disclosure.sent_on = Disclosure.Status.SENT, on
    disclosure.save(update_fields=["status", "sent_on", "updated_at"])
    audit_record(
        actor=actor,
        action=A.EXPORT,
        obj=disclosure,
        changes={
            **diff(before, snapshot(disclosure, DECISION_FIELDS)),
            "persons": sorted(str(u) for u in disclosure.persons.values_list("uuid", flat=True)),
        },
        reason=disclosure.purpose,
    )
    return disclosure


# --- subject requests -------------------------------------------------------------------


def _check_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    return reason.strip()


@transaction.atomic
def subject_export_record(*, actor: User, person: Person, reason: str, fmt: str) -> None:
    """Audit that everything held on a person is being handed out, and why."""
    _check_own(actor, person)
    audit_record(
        actor=actor,
        action=A.EXPORT,
        obj=person,
        person_uuid=person.uuid,
        changes={"subject_access": fmt},
        reason=_check_reason(reason),
    )


def erase_refusals(person: Person) -> list[str]:
    """Why a person cannot be erased now; empty if they can."""
    problems = [
        _("They are sought in the open tracing request %(ref)s.") % {"ref": r.reference}
        for r in sel.open_requests_seeking(person)
    ]
    problems += [
        _("They are in a disclosure to %(recipient)s that is %(status)s.")
        % {"recipient": d.recipient, "status": d.get_status_display().lower()}
        for d in sel.pending_disclosures_of(person)
    ]
    return problems


@transaction.atomic
def person_erase(*, actor: User, person: Person, reason: str) -> None:
    """Erase a person on request where the rules allow: anonymise as retention does."""
    _check_own(actor, person)
    if not _is_supervisor(actor):
        raise ValidationError(_("Only a supervisor can erase a person."))
    text = _check_reason(reason)
    if Anonymisation.objects.filter(
        kind=Anonymisation.Kind.PERSON, object_uuid=person.uuid
    ).exists():
        raise ValidationError(_("This person has already been erased."))
    problems = erase_refusals(person)
    if problems:
        raise ValidationError([_("This person cannot be erased now."), *problems])
    counts = {
        "names": person.names.count(),
        "documents": person.documents.count(),
        "photos": person.photos.count(),
    }
    person_anonymise(person, cause=Anonymisation.Cause.ERASURE, today=_today())
    audit_record(
        actor=actor,
        action=A.DELETE,
        obj=person,
        person_uuid=person.uuid,
        changes={"erased": counts},
        reason=text,
    )
