"""Writes for aftercare: files, placements, support services and follow-up visits.

Each is atomic and audited with the person concerned; a ``ValidationError`` says what to
fix and nothing is written. Messages never name the person (they may reach logs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.aftercare.models import (
    AftercareFile,
    Correctable,
    FollowUp,
    Placement,
    SupportService,
)
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, diff, snapshot
from wayhome.core.versioning import version_take
from wayhome.people.models import Person

A = AuditEvent.Action
FILE_FIELDS = (
    "received_on",
    "reception_place",
    "medical_check_on",
    "medical_notes",
    "documents_issued",
    "closed_on",
)
PLACEMENT_FIELDS = (
    "kind",
    "start_date",
    "end_date",
    "institution",
    "guardian_name",
    "guardian_relationship",
    "guardian_phone",
    "guardian_address",
    "guardian_consent_on",
    "court_decision",
    "notes",
)
SERVICE_FIELDS = ("kind", "provider", "started_on", "ended_on", "notes")
FOLLOWUP_FIELDS = ("due_on", "assigned_to", "visited_on", "outcome", "notes")


def _today() -> dt.date:
    return timezone.localdate()


def _not_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > _today():
        raise ValidationError({field: _("This date is in the future.")})


def _not_before(day: dt.date | None, start: dt.date, field: str) -> None:
    if day is not None and day < start:
        raise ValidationError({field: _("This date is before the returnee was received.")})


def _own(actor: User, obj: AftercareFile | Person) -> None:
    if obj.agency_id != actor.agency_key:
        raise ValidationError(_("This record belongs to another agency."))


def _may_edit(actor: User) -> None:
    if not actor.has_cap(Cap.AFTERCARE_EDIT):
        raise PermissionDenied


def _live(row: Correctable) -> None:
    if row.is_retracted:
        raise ValidationError(_("This record was retracted; it stays only in the history."))


def _reason(reason: str) -> str:
    """A correction or a retraction says why; the reason goes into the audit event."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why: the reason is kept in the history.")})
    return reason[:500]


@dataclass(frozen=True)
class ReceptionData:
    received_on: dt.date
    reception_place: str
    medical_check_on: dt.date | None = None
    medical_notes: str = ""
    documents_issued: str = ""


def _apply_reception(file: AftercareFile, data: ReceptionData) -> None:
    _not_future(data.received_on, "received_on")
    _not_future(data.medical_check_on, "medical_check_on")
    if not data.reception_place.strip():
        raise ValidationError({"reception_place": _("Say where the returnee was received.")})
    if data.medical_check_on is not None and data.medical_check_on < data.received_on:
        raise ValidationError(
            {"medical_check_on": _("The medical check cannot be before the reception.")}
        )
    file.received_on = data.received_on
    file.reception_place = data.reception_place.strip()
    file.medical_check_on = data.medical_check_on
    file.medical_notes = data.medical_notes.strip()
    file.documents_issued = data.documents_issued.strip()


@transaction.atomic
def file_open(
    *, actor: User, person: Person, reception: ReceptionData, operation_id: int | None = None
) -> AftercareFile:
    """Open the aftercare file of a returnee, with their reception."""
    _own(actor, person)
    if AftercareFile.objects.filter(person=person).exists():
        raise ValidationError(_("This person already has an aftercare file."))
    file = AftercareFile(
        agency_id=person.agency_id, created_by=actor, person=person, operation_id=operation_id
    )
    _apply_reception(file, reception)
    file.save()
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=file,
        person_uuid=person.uuid,
        changes=snapshot(file, FILE_FIELDS),
    )
    return file


@transaction.atomic
def reception_update(
    *, actor: User, file: AftercareFile, reception: ReceptionData
) -> AftercareFile:
    """Correct the reception; the audit event keeps the old and new values."""
    _own(actor, file)
    before = snapshot(file, FILE_FIELDS)
    _apply_reception(file, reception)
    first = min(
        [p.start_date for p in Placement.objects.filter(file=file).live()]
        + [s.started_on for s in file.services.all()],
        default=None,
    )
    if first is not None and first < file.received_on:
        raise ValidationError(
            {"received_on": _("A placement or service recorded here starts before this date.")}
        )
    file.save()
    changes = diff(before, snapshot(file, FILE_FIELDS))
    if changes:
        audit_record(
            actor=actor, action=A.UPDATE, obj=file, person_uuid=file.person.uuid, changes=changes
        )
    return file


@dataclass(frozen=True)
class PlacementData:
    kind: str
    start_date: dt.date
    institution: str = ""
    guardian_name: str = ""
    guardian_relationship: str = ""
    guardian_phone: str = ""
    guardian_address: str = ""
    guardian_consent_on: dt.date | None = None
    court_decision: str = ""
    notes: str = ""


def _check_placement_facts(file: AftercareFile, data: PlacementData) -> None:
    if data.kind not in Placement.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of placement.")})
    _not_future(data.start_date, "start_date")
    _not_before(data.start_date, file.received_on, "start_date")
    _not_future(data.guardian_consent_on, "guardian_consent_on")
    if data.kind == Placement.Kind.INSTITUTION and not data.institution.strip():
        raise ValidationError({"institution": _("Name the institution.")})
    if data.kind in Placement.CARER_KINDS:
        if not data.guardian_name.strip():
            raise ValidationError(
                {"guardian_name": _("Name the person who takes the returnee in.")}
            )
        if not (data.guardian_phone.strip() or data.guardian_address.strip()):
            raise ValidationError(
                {"guardian_phone": _("Give a phone number or an address to reach them.")}
            )


def _check_placement(file: AftercareFile, data: PlacementData) -> None:
    _check_placement_facts(file, data)
    current = Placement.objects.filter(file=file, end_date__isnull=True).live().first()
    if current is not None and data.start_date < current.start_date:
        raise ValidationError(
            {"start_date": _("A new placement cannot start before the current one.")}
        )


@transaction.atomic
def placement_add(*, actor: User, file: AftercareFile, data: PlacementData) -> Placement:
    """Place the returnee; the current placement, if any, ends the day the new one starts."""
    _own(actor, file)
    _check_placement(file, data)
    for current in Placement.objects.filter(file=file, end_date__isnull=True).live():
        current.end_date = data.start_date
        current.save(update_fields=["end_date", "updated_at"])
        audit_record(
            actor=actor,
            action=A.UPDATE,
            obj=current,
            person_uuid=file.person.uuid,
            changes={"end_date": [None, current.end_date]},
        )
    placement = Placement(agency_id=file.agency_id, created_by=actor, file=file)
    for key in PLACEMENT_FIELDS:
        if key != "end_date":
            value = getattr(data, key)
            setattr(placement, key, value.strip() if isinstance(value, str) else value)
    placement.save()
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=placement,
        person_uuid=file.person.uuid,
        changes=snapshot(placement, PLACEMENT_FIELDS),
    )
    return placement


@transaction.atomic
def placement_consent(
    *, actor: User, placement: Placement, consent_on: dt.date, court_decision: str = ""
) -> Placement:
    """Record the guardian's written consent (and the custody decision) once given."""
    file = placement.file
    _own(actor, file)
    _live(placement)
    if placement.kind not in Placement.CARER_KINDS:
        raise ValidationError(_("This placement has no guardian whose consent is needed."))
    _not_future(consent_on, "consent_on")
    before = snapshot(placement, PLACEMENT_FIELDS)
    placement.guardian_consent_on = consent_on
    if court_decision.strip():
        placement.court_decision = court_decision.strip()
    placement.save(update_fields=["guardian_consent_on", "court_decision", "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=placement,
        person_uuid=file.person.uuid,
        changes=diff(before, snapshot(placement, PLACEMENT_FIELDS)),
    )
    return placement


@dataclass(frozen=True)
class ServiceData:
    kind: str
    provider: str
    started_on: dt.date
    ended_on: dt.date | None = None
    notes: str = ""


@transaction.atomic
def service_add(*, actor: User, file: AftercareFile, data: ServiceData) -> SupportService:
    """Record a support service the returnee receives and who provides it."""
    _own(actor, file)
    if data.kind not in SupportService.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of service.")})
    if not data.provider.strip():
        raise ValidationError({"provider": _("Name the provider.")})
    _not_future(data.started_on, "started_on")
    _not_before(data.started_on, file.received_on, "started_on")
    _not_future(data.ended_on, "ended_on")
    if data.ended_on is not None and data.ended_on < data.started_on:
        raise ValidationError({"ended_on": _("A service cannot end before it starts.")})
    service = SupportService.objects.create(
        agency_id=file.agency_id,
        created_by=actor,
        file=file,
        kind=data.kind,
        provider=data.provider.strip(),
        started_on=data.started_on,
        ended_on=data.ended_on,
        notes=data.notes.strip(),
    )
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=service,
        person_uuid=file.person.uuid,
        changes=snapshot(service, SERVICE_FIELDS),
    )
    return service


@transaction.atomic
def service_end(*, actor: User, service: SupportService, ended_on: dt.date) -> SupportService:
    _own(actor, service.file)
    if service.ended_on is not None:
        raise ValidationError(_("This service has already ended."))
    _not_future(ended_on, "ended_on")
    if ended_on < service.started_on:
        raise ValidationError({"ended_on": _("A service cannot end before it starts.")})
    service.ended_on = ended_on
    service.save(update_fields=["ended_on", "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=service,
        person_uuid=service.file.person.uuid,
        changes={"ended_on": [None, ended_on]},
    )
    return service


@transaction.atomic
def followup_schedule(
    *, actor: User, file: AftercareFile, due_on: dt.date, assigned_to: User | None = None
) -> FollowUp:
    """Plan a follow-up visit; it shows as overdue once its date has passed unvisited."""
    _own(actor, file)
    _not_before(due_on, file.received_on, "due_on")
    if assigned_to is not None and assigned_to.agency_id != actor.agency_key:
        raise ValidationError({"assigned_to": _("Assign the visit to someone of your agency.")})
    visit = FollowUp.objects.create(
        agency_id=file.agency_id,
        created_by=actor,
        file=file,
        due_on=due_on,
        assigned_to=assigned_to,
    )
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=visit,
        person_uuid=file.person.uuid,
        changes=snapshot(visit, FOLLOWUP_FIELDS),
    )
    return visit


@transaction.atomic
def followup_record(
    *,
    actor: User,
    visit: FollowUp,
    visited_on: dt.date,
    outcome: str,
    notes: str = "",
    next_due_on: dt.date | None = None,
) -> FollowUp:
    """Record a visit's outcome and, when given, schedule the next one in the same step."""
    file = visit.file
    _own(actor, file)
    _live(visit)
    if visit.is_done:
        raise ValidationError(_("This visit is already recorded."))
    if outcome not in FollowUp.Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the visit.")})
    _not_future(visited_on, "visited_on")
    _not_before(visited_on, file.received_on, "visited_on")
    if outcome == FollowUp.Outcome.URGENT and next_due_on is None:
        raise ValidationError(
            {"next_due_on": _("An urgent outcome needs the date of the next visit.")}
        )
    if next_due_on is not None and next_due_on < visited_on:
        raise ValidationError({"next_due_on": _("The next visit must come after this one.")})
    before = snapshot(visit, FOLLOWUP_FIELDS)
    visit.visited_on, visit.outcome, visit.notes = visited_on, outcome, notes.strip()
    visit.save(update_fields=["visited_on", "outcome", "notes", "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=visit,
        person_uuid=file.person.uuid,
        changes=diff(before, snapshot(visit, FOLLOWUP_FIELDS)),
    )
    if next_due_on is not None:
        followup_schedule(actor=actor, file=file, due_on=next_due_on, assigned_to=visit.assigned_to)
    return visit


@transaction.atomic
def file_close(
    *, actor: User, file: AftercareFile, closed_on: dt.date, reason: str
) -> AftercareFile:
    """Close a file when follow-up ends (the returnee is settled, moved away, an adult who
    declined). Its visits still planned stop counting as overdue."""
    _own(actor, file)
    if file.closed_on is not None:
        raise ValidationError(_("This file is already closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the file is closed.")})
    _not_future(closed_on, "closed_on")
    _not_before(closed_on, file.received_on, "closed_on")
    file.closed_on = closed_on
    file.save(update_fields=["closed_on", "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=file,
        person_uuid=file.person.uuid,
        changes={"closed_on": [None, closed_on]},
        reason=reason.strip(),
    )
    return file


# --- corrections and retractions ------------------------------------------------------------


@contextmanager
def _correction(
    *,
    actor: User,
    row: Placement | FollowUp,
    fields: tuple[str, ...],
    reason: str,
    expected_version: int | None,
) -> Iterator[str]:
    """One versioned correction of ``row``: the checks every correction shares, then the
    caller's block (its own checks, then the new values set on ``row``), then one save and
    one audit event with the old values, the new version and the reason.

    Yields the cleaned reason. The version is taken (row locked, a stale
    ``expected_version`` refused) before the caller's checks, so what they read is current;
    anything raised in the block leaves the row unsaved and unaudited. Call it inside the
    service's transaction.
    """
    _may_edit(actor)
    file = row.file
    _own(actor, file)
    _live(row)
    reason = _reason(reason)
    version_take(row, type(row), expected_version)
    before = snapshot(row, fields)
    yield reason
    row.save()
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=row,
        person_uuid=file.person.uuid,
        changes={
            **diff(before, snapshot(row, fields)),
            "version": [row.version - 1, row.version],
        },
        reason=reason,
    )


@transaction.atomic
def placement_correct(
    *,
    actor: User,
    placement: Placement,
    data: PlacementData,
    reason: str,
    expected_version: int | None = None,
) -> Placement:
    """Correct a placement recorded wrongly (a wrong date, a misspelt guardian): a new
    version whose audit event keeps the old values and the reason.

    A corrected start date moves the end of the placement before it, which ended the day
    this one began.
    """
    file = placement.file
    with _correction(
        actor=actor,
        row=placement,
        fields=PLACEMENT_FIELDS,
        reason=reason,
        expected_version=expected_version,
    ) as reason:
        _check_placement_facts(file, data)
        if placement.end_date is not None and data.start_date > placement.end_date:
            raise ValidationError({"start_date": _("A placement cannot start after it ended.")})
        previous = (
            Placement.objects.filter(file=file, end_date=placement.start_date)
            .live()
            .exclude(pk=placement.pk)
            .first()
        )
        if previous is not None and data.start_date < previous.start_date:
            raise ValidationError(
                {"start_date": _("This date is before the start of the placement before it.")}
            )
        for key in PLACEMENT_FIELDS:
            if key != "end_date":
                value = getattr(data, key)
                setattr(placement, key, value.strip() if isinstance(value, str) else value)
    if previous is not None and previous.end_date != placement.start_date:
        _move_end(actor, previous, placement.start_date, reason)
    return placement


def _move_end(actor: User, placement: Placement, end_date: dt.date | None, reason: str) -> None:
    version_take(placement, Placement, None)
    old = placement.end_date
    placement.end_date = end_date
    placement.save(update_fields=["end_date", "version", "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=placement,
        person_uuid=placement.file.person.uuid,
        changes={
            "end_date": [old, end_date],
            "version": [placement.version - 1, placement.version],
        },
        reason=reason,
    )


@transaction.atomic
def placement_retract(*, actor: User, placement: Placement, reason: str) -> Placement:
    """Mark a placement that never happened as retracted: kept with who and why, left out
    of the current placement and every count. The placement before it runs on until the
    next one (or is current again)."""
    _may_edit(actor)
    file = placement.file
    _own(actor, file)
    _live(placement)
    reason = _reason(reason)
    previous = (
        Placement.objects.filter(file=file, end_date=placement.start_date)
        .live()
        .exclude(pk=placement.pk)
        .order_by("-start_date", "-id")
        .first()
    )
    _retract(actor, placement, reason, file)
    if previous is not None:
        _move_end(actor, previous, placement.end_date, reason)
    return placement


def _retract(actor: User, row: Correctable, reason: str, file: AftercareFile) -> None:
    row.retracted_at = timezone.now()
    row.retracted_by = actor
    row.retraction_reason = reason
    row.save(update_fields=["retracted_at", "retracted_by", "retraction_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=row,
        person_uuid=file.person.uuid,
        changes={"retracted_at": [None, row.retracted_at]},
        reason=reason,
    )


@dataclass(frozen=True)
class VisitData:
    """A follow-up visit as corrected: its plan and, once visited, its outcome."""

    due_on: dt.date
    assigned_to: User | None = None
    visited_on: dt.date | None = None
    outcome: str = ""
    notes: str = ""


@transaction.atomic
def followup_correct(
    *,
    actor: User,
    visit: FollowUp,
    data: VisitData,
    reason: str,
    expected_version: int | None = None,
) -> FollowUp:
    """Correct a visit: its due date, who goes, or an outcome recorded wrongly (clearing
    the visit date and outcome puts it back to planned). A new version, audited with the
    old values and the reason."""
    file = visit.file
    with _correction(
        actor=actor,
        row=visit,
        fields=FOLLOWUP_FIELDS,
        reason=reason,
        expected_version=expected_version,
    ):
        _not_before(data.due_on, file.received_on, "due_on")
        if data.assigned_to is not None and data.assigned_to.agency_id != actor.agency_key:
            raise ValidationError({"assigned_to": _("Assign the visit to someone of your agency.")})
        if (data.visited_on is None) != (not data.outcome):
            raise ValidationError(
                {"outcome": _("Give both the date of the visit and its outcome, or neither.")}
            )
        if data.outcome and data.outcome not in FollowUp.Outcome.values:
            raise ValidationError({"outcome": _("Choose the outcome of the visit.")})
        _not_future(data.visited_on, "visited_on")
        _not_before(data.visited_on, file.received_on, "visited_on")
        visit.due_on, visit.assigned_to = data.due_on, data.assigned_to
        visit.visited_on, visit.outcome = data.visited_on, data.outcome
        visit.notes = data.notes.strip()
    return visit


@transaction.atomic
def followup_retract(*, actor: User, visit: FollowUp, reason: str) -> FollowUp:
    """Retract a visit planned or recorded by mistake: it no longer counts as overdue or
    done anywhere, and stays in the history with who retracted it and why."""
    _may_edit(actor)
    file = visit.file
    _own(actor, file)
    _live(visit)
    _retract(actor, visit, _reason(reason), file)
    return visit
