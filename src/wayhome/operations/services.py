"""Writes for operations: plan, put cases on, confirm the manifest, record arrivals.

Each is atomic and audited; a ``ValidationError`` says what to fix and nothing is written.
Messages name cases by reference and relatives by relation, never a person by name (they
may reach logs). Milestones go out only after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wayhome.accounts.models import User
from wayhome.aftercare import services as aftercare_services
from wayhome.aftercare.models import AftercareFile
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, diff, snapshot
from wayhome.core.signals import Milestone, milestone_reached
from wayhome.operations import manifest as manifests
from wayhome.operations.models import ManifestLine, Operation, OperationCase
from wayhome.people.models import Person, Status
from wayhome.places.models import Country
from wayhome.repatriation import services as repatriation_services
from wayhome.repatriation.models import RepatriationCase
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import InformationReport, TracingRequest

A = AuditEvent.Action
Stage = RepatriationCase.Stage
OP_FIELDS = (
    "kind",
    "label",
    "planned_on",
    "from_country",
    "handover_point",
    "to_country",
    "arrival_point",
    "capacity",
    "escorts",
)


def _today() -> dt.date:
    return timezone.localdate()


def _own(actor: User, obj: Operation | RepatriationCase) -> None:
    if obj.agency_id != actor.agency_key:
        raise ValidationError(_("This record belongs to another agency."))


def _lock(operation: Operation) -> None:
    """Hold the operation's row until the transaction ends and read its state afresh, so
    two users adding cases at once cannot both take the last seats (PostgreSQL; SQLite
    serialises writers already)."""
    fresh = Operation.objects.select_for_update().get(pk=operation.pk)
    operation.status, operation.capacity = fresh.status, fresh.capacity


def _planned(operation: Operation) -> None:
    if operation.status != Operation.State.PLANNED:
        raise ValidationError(
            _("This operation is %(status)s: its cases can no longer change.")
            % {"status": operation.get_status_display().lower()}
        )


@dataclass(frozen=True)
class OperationData:
    kind: str
    label: str
    planned_on: dt.date
    from_country: Country
    handover_point: str
    to_country: Country
    arrival_point: str
    capacity: int
    escorts: str = ""


def _apply(operation: Operation, data: OperationData) -> None:
    if data.kind not in Operation.Kind.values:
        raise ValidationError({"kind": _("Choose a flight or a convoy.")})
    for key in ("label", "handover_point", "arrival_point"):
        if not str(getattr(data, key)).strip():
            raise ValidationError({key: _("This field is required.")})
    if data.capacity < 1:
        raise ValidationError({"capacity": _("An operation needs at least one seat.")})
    if data.from_country.pk == data.to_country.pk:
        raise ValidationError({"to_country": _("The home country must differ from the host.")})
    for key in OP_FIELDS:
        value = getattr(data, key)
        setattr(operation, key, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def operation_create(*, actor: User, data: OperationData) -> Operation:
    """Plan a flight or convoy."""
    operation = Operation(agency_id=actor.agency_key, created_by=actor)
    _apply(operation, data)
    operation.save()
    audit_record(
        actor=actor, action=A.CREATE, obj=operation, changes=snapshot(operation, OP_FIELDS)
    )
    return operation


@transaction.atomic
def operation_update(*, actor: User, operation: Operation, data: OperationData) -> Operation:
    """Change a planned operation; a smaller capacity must still hold its travellers."""
    _own(actor, operation)
    _lock(operation)
    _planned(operation)
    before = snapshot(operation, OP_FIELDS)
    _apply(operation, data)
    seats = manifests.build(operation).seats
    if seats > operation.capacity:
        raise ValidationError(
            {
                "capacity": _("%(seats)d travellers are already on it: keep at least that many.")
                % {"seats": seats}
            }
        )
    operation.save()
    changes = diff(before, snapshot(operation, OP_FIELDS))
    if changes:
        audit_record(actor=actor, action=A.UPDATE, obj=operation, changes=changes)
    return operation


def _set_stage(actor: User, case: RepatriationCase, stage: str) -> None:
    """Move a case forward (scheduled, returned) as a consequence of the operation,
    through the repatriation app's own service."""
    if case.stage != stage:
        repatriation_services.case_set_stage(actor=actor, case=case, stage=stage)


def _ready_again(actor: User, case: RepatriationCase, because: str, on: dt.date) -> None:
    """A scheduled case that did not travel is ready for another operation, through the
    repatriation app's named transition (no re-check of the approved checklist). A case
    closed by hand meanwhile is not reopened by the operation."""
    if case.stage == Stage.SCHEDULED:
        repatriation_services.case_ready_again(actor=actor, case=case, because=because, on=on)


def _split_message(split: manifests.Split) -> str:
    if split.resolvable:
        assert split.joinable_case is not None  # noqa: S101  (narrowing for mypy)
        return _(
            "Case %(case)s: a traveller's %(relation)s is in case %(other)s, which is not "
            "on this operation yet: add it too."
        ) % {
            "case": split.traveller.case.reference,
            "relation": split.relation_label,
            "other": split.joinable_case.reference,
        }
    return _(
        "Case %(case)s: a traveller's %(relation)s cannot travel with them (not in a ready "
        "case, or not travelling), and no case says they may travel separately."
    ) % {"case": split.traveller.case.reference, "relation": split.relation_label}


@transaction.atomic
def operation_case_add(
    *, actor: User, operation: Operation, case: RepatriationCase
) -> OperationCase:
    """Put a ready case on a planned operation, if the seats hold it and no family is
    split that no other ready case could rejoin."""
    _own(actor, operation)
    _lock(operation)
    _own(actor, case)
    _planned(operation)
    case.stage = RepatriationCase.objects.select_for_update().get(pk=case.pk).stage
    if case.stage != Stage.READY:
        raise ValidationError(
            {
                "case": _("Case %(case)s is not ready to travel (it is %(stage)s).")
                % {"case": case.reference, "stage": case.get_stage_display().lower()}
            }
        )
    current = manifests.cases_on(operation)
    if any(c.pk == case.pk for c in current):
        raise ValidationError({"case": _("This case is already on the operation.")})
    if OperationCase.objects.filter(case=case, operation__status__in=Operation.ACTIVE).exists():
        raise ValidationError({"case": _("This case is already on another operation.")})
    proposed = manifests.build(operation, [*current, case])
    own = [t for t in proposed.travellers if t.case.pk == case.pk]
    if not own:
        raise ValidationError({"case": _("Nobody in this case travels.")})
    if proposed.over_capacity:
        raise ValidationError(
            {
                "case": ngettext(
                    "Capacity exceeded: this case needs %(need)d seat; %(free)d of "
                    "%(capacity)d are free.",
                    "Capacity exceeded: this case needs %(need)d seats; %(free)d of "
                    "%(capacity)d are free.",
                    len(own),
                )
                % {
                    "need": len(own),
                    "free": operation.capacity - (proposed.seats - len(own)),
                    "capacity": operation.capacity,
                }
            }
        )
    blocking = [s for s in proposed.splits if not s.resolvable]
    if blocking:
        raise ValidationError({"case": list(dict.fromkeys(_split_message(s) for s in blocking))})
    link = OperationCase.objects.create(operation=operation, case=case, added_by=actor)
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=operation,
        changes={"cases": [None, case.reference], "travellers": [None, len(own)]},
    )
    return link


@transaction.atomic
def operation_case_remove(*, actor: User, operation: Operation, case: RepatriationCase) -> None:
    _own(actor, operation)
    _lock(operation)
    _planned(operation)
    deleted, _rows = OperationCase.objects.filter(operation=operation, case=case).delete()
    if not deleted:
        raise ValidationError(_("This case is not on the operation."))
    audit_record(
        actor=actor, action=A.UPDATE, obj=operation, changes={"cases": [case.reference, None]}
    )


def _send(milestone: str, key: str, person: Person, actor: User) -> None:
    milestone_reached.send(
        sender=Operation, person=person, milestone=milestone, actor=actor, key=key
    )


@transaction.atomic
def operation_confirm(*, actor: User, operation: Operation) -> Operation:
    """Freeze the manifest: one line per traveller, their cases scheduled, relatives told
    (ON_FLIGHT) once this commits. Refused while a family would be split or the seats do
    not hold everyone; unaccompanied children need named escorts."""
    _own(actor, operation)
    _lock(operation)
    _planned(operation)
    m = manifests.build(operation)
    if not m.travellers:
        raise ValidationError(_("Put at least one ready case on the operation first."))
    problems = list(dict.fromkeys(_split_message(s) for s in m.splits))
    if m.over_capacity:
        problems.append(
            _("Capacity exceeded by %(n)d: remove a case or raise the capacity.")
            % {"n": m.over_capacity}
        )
    if m.unaccompanied and not operation.escorts.strip():
        problems.append(
            ngettext(
                "%(n)d child travels without a mother or guardian on board: name the "
                "escorts who accompany them.",
                "%(n)d children travel without a mother or guardian on board: name the "
                "escorts who accompany them.",
                len(m.unaccompanied),
            )
            % {"n": len(m.unaccompanied)}
        )
    if problems:
        raise ValidationError(problems)
    ManifestLine.objects.bulk_create(
        ManifestLine(operation=operation, person=t.person, case=t.case, position=t.position)
        for t in m.travellers
    )
    operation.status = Operation.State.CONFIRMED
    operation.confirmed_at = timezone.now()
    operation.save(update_fields=["status", "confirmed_at", "updated_at"])
    for case in m.cases:
        _set_stage(actor, case, Stage.SCHEDULED)
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=operation,
        changes={
            "status": [Operation.State.PLANNED, Operation.State.CONFIRMED],
            "travellers": sorted(str(t.person.uuid) for t in m.travellers),
            "unaccompanied_children": len(m.unaccompanied),
        },
    )
    for t in m.travellers:
        key = f"on_flight:{operation.uuid}"  # one notice per relative per flight
        transaction.on_commit(partial(_send, Milestone.ON_FLIGHT, key, t.person, actor))
    return operation


@transaction.atomic
def operation_cancel(*, actor: User, operation: Operation, reason: str) -> Operation:
    """Call an operation off; its scheduled cases are ready again for another one."""
    _own(actor, operation)
    _lock(operation)
    if operation.status not in Operation.ACTIVE:
        raise ValidationError(_("Only a planned or confirmed operation can be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the operation is cancelled.")})
    before = operation.status
    operation.status = Operation.State.CANCELLED
    operation.save(update_fields=["status", "updated_at"])
    for case in manifests.cases_on(operation):
        _ready_again(actor, case, RepatriationCase.ReadyAgain.OPERATION_CANCELLED, _today())
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=operation,
        changes={"status": [before, operation.status]},
        reason=reason.strip(),
    )
    return operation


@dataclass(frozen=True)
class Outcome:
    arrived: bool
    reason: str = ""


@dataclass(frozen=True)
class ArrivalSummary:
    arrived: int
    not_arrived: int
    cases_returned: int
    cases_reopened: int
    requests_located: int
    requests_closed: int
    files_opened: int


def _move_requests(actor: User, persons: list[Person], on: dt.date) -> tuple[int, int]:
    """Open or located requests seeking an arrived person move on: closed as reunited
    once every person they seek is home, else located. Returns (located, closed)."""
    located = closed = 0
    requests = (
        TracingRequest.objects.filter(
            agency_id=actor.agency_key,
            sought_links__person__in=persons,
            status__in=[TracingRequest.State.OPEN, TracingRequest.State.LOCATED],
        )
        .distinct()
        .order_by("id")
    )
    for request in requests:
        when = max(on, request.received_on)
        statuses = set(request.sought.values_list("current_status", flat=True))
        if statuses <= {Status.REPATRIATED, Status.DECEASED}:
            tracing_services.request_transition(
                actor=actor,
                request=request,
                to=TracingRequest.State.CLOSED,
                on=when,
                closure_reason=TracingRequest.Closure.REUNITED,
            )
            closed += 1
        elif request.status == TracingRequest.State.OPEN:
            tracing_services.request_transition(
                actor=actor, request=request, to=TracingRequest.State.LOCATED, on=when
            )
            located += 1
    return located, closed


@transaction.atomic
def arrivals_record(
    *,
    actor: User,
    operation: Operation,
    arrived_on: dt.date,
    outcomes: Mapping[int, Outcome],
) -> ArrivalSummary:
    """Record in one step who arrived and who did not (and why), all or nothing.

    For each arrival: a whereabouts entry "repatriated" citing one information report
    (the arrival record), an aftercare file opened at the arrival point, their open
    tracing requests moved on, and ARRIVED sent once this commits. A case all of whose
    travellers arrived is "returned"; one with someone left behind is "ready" again for
    another operation (those home are not put on a manifest again).
    """
    _own(actor, operation)
    _lock(operation)
    if operation.status != Operation.State.CONFIRMED:
        raise ValidationError(_("Arrivals are recorded on a confirmed operation, once."))
    if arrived_on > _today():
        raise ValidationError({"arrived_on": _("This date is in the future.")})
    if arrived_on < operation.planned_on:
        raise ValidationError({"arrived_on": _("This date is before the operation's date.")})
    lines = list(operation.lines.select_related("person", "case").order_by("position"))
    undecided = [ln.position for ln in lines if ln.pk not in outcomes]
    if undecided:
        raise ValidationError(
            _("Say for every traveller whether they arrived (lines %(lines)s).")
            % {"lines": ", ".join(map(str, undecided))}
        )
    no_reason = [
        ln.position
        for ln in lines
        if not outcomes[ln.pk].arrived and not outcomes[ln.pk].reason.strip()
    ]
    if no_reason:
        raise ValidationError(
            _("Say why these travellers did not arrive (lines %(lines)s).")
            % {"lines": ", ".join(map(str, no_reason))}
        )
    arrived = [ln.person for ln in lines if outcomes[ln.pk].arrived]
    report: InformationReport | None = None
    if arrived:
        report = tracing_services.report_create(
            actor=actor,
            received_on=arrived_on,
            channel=InformationReport.Channel.FIELD_VISIT,
            source=_("Arrival record of %(operation)s") % {"operation": operation.label},
            reliability=InformationReport.Reliability.CONFIRMED,
            summary=_("%(n)d of %(total)d travellers arrived at %(place)s on %(date)s.")
            % {
                "n": len(arrived),
                "total": len(lines),
                "place": operation.arrival_point,
                "date": arrived_on.isoformat(),
            },
            persons=arrived,
        )
    entry = tracing_services.EntryData(
        status=Status.REPATRIATED,
        start_date=arrived_on,
        country=operation.to_country,
        location=operation.arrival_point,
    )
    files = 0
    for line in lines:
        outcome = outcomes[line.pk]
        line.outcome = (
            ManifestLine.Outcome.ARRIVED if outcome.arrived else ManifestLine.Outcome.NOT_ARRIVED
        )
        line.outcome_reason = "" if outcome.arrived else outcome.reason.strip()
        line.recorded_by = actor
        line.save(update_fields=["outcome", "outcome_reason", "recorded_by", "updated_at"])
        if not outcome.arrived:
            continue
        assert report is not None  # noqa: S101  (narrowing for mypy)
        tracing_services.whereabouts_add(
            actor=actor, person=line.person, entry=entry, reports=[report]
        )
        if not AftercareFile.objects.filter(person=line.person).exists():
            aftercare_services.file_open(
                actor=actor,
                person=line.person,
                reception=aftercare_services.ReceptionData(
                    received_on=arrived_on, reception_place=operation.arrival_point
                ),
                operation_id=operation.pk,
            )
            files += 1
    returned = reopened = 0
    by_case: dict[int, list[ManifestLine]] = {}
    for line in lines:
        by_case.setdefault(line.case_id, []).append(line)
    for case_lines in by_case.values():
        case = case_lines[0].case
        if all(outcomes[ln.pk].arrived for ln in case_lines):
            _set_stage(actor, case, Stage.RETURNED)
            returned += 1
        else:
            _ready_again(actor, case, RepatriationCase.ReadyAgain.HELD_BACK, arrived_on)
            reopened += 1
    located, closed = _move_requests(actor, arrived, arrived_on)
    operation.status = Operation.State.COMPLETED
    operation.arrived_on = arrived_on
    operation.save(update_fields=["status", "arrived_on", "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=operation,
        changes={
            "status": [Operation.State.CONFIRMED, Operation.State.COMPLETED],
            "arrived_on": [None, arrived_on],
            "arrived": sorted(str(p.uuid) for p in arrived),
            "not_arrived": {
                str(ln.person.uuid): ln.outcome_reason
                for ln in lines
                if not outcomes[ln.pk].arrived
            },
        },
    )
    for person in arrived:
        key = f"arrived:{operation.uuid}"  # one notice per relative per arrival
        transaction.on_commit(partial(_send, Milestone.ARRIVED, key, person, actor))
    return ArrivalSummary(
        arrived=len(arrived),
        not_arrived=len(lines) - len(arrived),
        cases_returned=returned,
        cases_reopened=reopened,
        requests_located=located,
        requests_closed=closed,
        files_opened=files,
    )


@transaction.atomic
def manifest_export_record(
    *, actor: User, operation: Operation, fmt: str, reason: str, persons: list[Person]
) -> AuditEvent:
    """The audit event of a manifest leaving the system: who, why, which persons."""
    _own(actor, operation)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the manifest is exported.")})
    return audit_record(
        actor=actor,
        action=A.EXPORT,
        obj=operation,
        changes={"format": fmt, "persons": sorted(str(p.uuid) for p in persons)},
        reason=reason.strip(),
    )
