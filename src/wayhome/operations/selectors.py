"""Scoped reads of operations and the ready cases that can go on them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.accounts.scope import assignment_filter, sees_whole_agency
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.operations import manifest as manifests
from wayhome.operations.manifest import Manifest
from wayhome.operations.models import ManifestLine, Operation, OperationCase
from wayhome.people.models import Person
from wayhome.people.selectors import persons_visible_to
from wayhome.repatriation.models import CaseMember, RepatriationCase
from wayhome.repatriation.selectors import cases_visible_to


def operations_visible_to(user: User) -> QuerySet[Operation]:
    """The agency's operations, for readers of operations.

    Under need-to-know every reader still sees every operation (its date, route, seats
    and counts are no one's personal data), but its manifest only as ``manifest_seen_by``
    cuts it: the travellers, splits and cases of persons another team holds are counted,
    not named. Changing an operation or exporting its manifest acts on every traveller,
    so it needs ``operation_whole`` (every traveller visible).
    """
    if not user.has_cap(Cap.OPERATION_VIEW):
        return Operation.objects.none()
    return Operation.objects.filter(agency_id=user.agency_key).select_related(
        "from_country", "to_country"
    )


def operations_whole_to(user: User) -> QuerySet[Operation]:
    """The agency's operations whose every traveller the user may see: those they may
    change or export. An operation carrying a person another team holds (on one of its
    cases, or on its confirmed manifest) is left to supervisors, like a case of two teams.
    """
    qs = operations_visible_to(user)
    if not sees_whole_agency(user):
        hidden = ~assignment_filter(user, "person__")
        on_cases = CaseMember.objects.filter(case__operation_links__operation=OuterRef("pk"))
        on_lines = ManifestLine.objects.filter(operation=OuterRef("pk"))
        qs = qs.filter(~Exists(on_cases.filter(hidden)), ~Exists(on_lines.filter(hidden)))
    return qs


def _one(qs: QuerySet[Operation], key: uuid.UUID | str) -> Operation:
    try:
        return qs.get(uuid=key)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def operation_get(user: User, key: uuid.UUID | str) -> Operation:
    """An operation to read (its manifest through ``manifest_seen_by``), or 404."""
    return _one(operations_visible_to(user), key)


def operation_whole(user: User, key: uuid.UUID | str) -> Operation:
    """An operation to change or export: one whose every traveller the user may see.
    Another team's traveller on it answers 404, as another agency's operation does."""
    return _one(operations_whole_to(user), key)


def manifest_seen_by(
    user: User, operation: Operation, cases: Sequence[RepatriationCase] | None = None
) -> Manifest:
    """The operation's manifest as this reader may see it (``Manifest.seen_by``): whole
    for supervisors and where need-to-know is off."""
    m = manifests.build(operation, cases)
    if sees_whole_agency(user):
        return m
    ids = {t.person.pk for t in m.travellers} | {s.relative.pk for s in m.splits}
    persons = set(persons_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    own = set(
        cases_visible_to(user).filter(pk__in=[c.pk for c in m.cases]).values_list("pk", flat=True)
    )
    return m.seen_by(persons, own)


def lines_seen_by(user: User, operation: Operation) -> tuple[list[ManifestLine], int]:
    """The confirmed manifest's lines of the travellers this reader may see, and how many
    lines name a person another team holds (counted, never shown)."""
    lines = list(lines_of(operation))
    if sees_whole_agency(user):
        return lines, 0
    ids = [line.person_id for line in lines]
    seen = set(persons_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    shown = [line for line in lines if line.person_id in seen]
    return shown, len(lines) - len(shown)


def operations_listed(user: User, status: str = "") -> QuerySet[Operation]:
    qs = operations_visible_to(user).annotate(
        n_cases=Count("case_links", distinct=True), n_lines=Count("lines", distinct=True)
    )
    if status in Operation.State.values:
        qs = qs.filter(status=status)
    return qs.order_by("-planned_on", "-id")


def ready_cases_free(user: User) -> QuerySet[RepatriationCase]:
    """Ready cases of the agency on no active operation: what can be added to a flight.

    Needs both reading cases and reading operations (the add form is on the operation)."""
    if not user.has_cap(Cap.OPERATION_VIEW):
        return RepatriationCase.objects.none()
    busy = OperationCase.objects.filter(operation__status__in=Operation.ACTIVE).values("case_id")
    return (
        cases_visible_to(user)
        .filter(stage=RepatriationCase.Stage.READY)
        .exclude(pk__in=busy)
        .order_by("reference")
    )


def case_for_operation(user: User, key: uuid.UUID | str) -> RepatriationCase:
    """A case named on an operation form: one the user may read, or 404."""
    if not user.has_cap(Cap.OPERATION_VIEW):
        raise Http404
    try:
        return cases_visible_to(user).get(uuid=key)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def lines_of(operation: Operation) -> QuerySet[ManifestLine]:
    return operation.lines.select_related("person", "case", "recorded_by").order_by("position")


def persons_read(user: User, operation: Operation, persons: Sequence[Person]) -> None:
    """Showing a manifest reads every traveller's record: one audit event per person."""
    for person in persons:
        audit_record(
            actor=user, action=AuditEvent.Action.VIEW, obj=operation, person_uuid=person.uuid
        )


def operation_history(operation: Operation) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        agency_id=operation.agency_id,
        object_uuid=operation.uuid,
        action__in=[AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE, AuditEvent.Action.EXPORT],
    ).order_by("at", "id")
