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
from wayhome.operations.models import ManifestLine, Operation, OperationCase
from wayhome.people.models import Person
from wayhome.repatriation.models import CaseMember, RepatriationCase
from wayhome.repatriation.selectors import cases_visible_to


def operations_visible_to(user: User) -> QuerySet[Operation]:
    """The agency's operations whose every traveller the user may see (need-to-know).

    The page, the API and the exports show the whole manifest (names, counts, splits), so,
    as for a repatriation case, an operation carrying a person another team holds (on a
    case, or on its confirmed manifest) is not shown to that reader (404); supervisors
    read them all.
    """
    if not user.has_cap(Cap.OPERATION_VIEW):
        return Operation.objects.none()
    qs = Operation.objects.filter(agency_id=user.agency_key)
    if not sees_whole_agency(user):
        hidden = ~assignment_filter(user, "person__")
        on_cases = CaseMember.objects.filter(case__operation_links__operation=OuterRef("pk"))
        on_lines = ManifestLine.objects.filter(operation=OuterRef("pk"))
        qs = qs.filter(~Exists(on_cases.filter(hidden)), ~Exists(on_lines.filter(hidden)))
    return qs.select_related("from_country", "to_country")


def operation_get(user: User, key: uuid.UUID | str) -> Operation:
    try:
        return operations_visible_to(user).get(uuid=key)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


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
