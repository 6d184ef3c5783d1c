"""Scoped reads of tracing requests, inquirers, reports and whereabouts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent
from wayhome.people.models import Person
from wayhome.tracing.conflicts import Conflict, find_conflicts
from wayhome.tracing.models import (
    InformationReport,
    Inquirer,
    SoughtPerson,
    TracingRequest,
    Whereabouts,
)


def requests_visible_to(user: User) -> QuerySet[TracingRequest]:
    if not user.has_cap(Cap.TRACING_VIEW):
        return TracingRequest.objects.none()
    return TracingRequest.objects.filter(agency_id=user.agency_key)


def request_get(user: User, request_uuid: uuid.UUID | str) -> TracingRequest:
    try:
        return (
            requests_visible_to(user)
            .select_related("inquirer", "assigned_to")
            .get(uuid=request_uuid)
        )
    except (TracingRequest.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def inquirers_visible_to(user: User) -> QuerySet[Inquirer]:
    if not user.has_cap(Cap.TRACING_VIEW):
        return Inquirer.objects.none()
    return Inquirer.objects.filter(agency_id=user.agency_key)


def reports_visible_to(user: User) -> QuerySet[InformationReport]:
    """Reports are read by whoever reads persons: they are the sources of person facts."""
    if not user.has_cap(Cap.PERSON_VIEW):
        return InformationReport.objects.none()
    return InformationReport.objects.filter(agency_id=user.agency_key)


def report_get(user: User, report_uuid: uuid.UUID | str) -> InformationReport:
    try:
        return reports_visible_to(user).get(uuid=report_uuid)
    except (InformationReport.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def whereabouts_visible_to(user: User) -> QuerySet[Whereabouts]:
    if not user.has_cap(Cap.PERSON_VIEW):
        return Whereabouts.objects.none()
    return Whereabouts.objects.filter(agency_id=user.agency_key)


def requests_filtered(user: User, *, status: str = "", q: str = "") -> QuerySet[TracingRequest]:
    """The list page: by status, and a search on the reference or the inquirer's name."""
    qs = requests_visible_to(user).select_related("inquirer", "assigned_to")
    if status:
        qs = qs.filter(status=status)
    if q.strip():
        qs = qs.filter(Q(reference__icontains=q.strip()) | Q(inquirer__name__icontains=q.strip()))
    return qs


def sought_of(request: TracingRequest) -> QuerySet[SoughtPerson]:
    return request.sought_links.select_related("person", "person__current_facility").order_by(
        "person__display_name"
    )


def request_history(request: TracingRequest) -> QuerySet[AuditEvent]:
    """The request's audit trail, oldest first: when, who, what changed."""
    return AuditEvent.objects.filter(
        object_uuid=request.uuid, agency_id=request.agency_id
    ).order_by("at", "id")


def colleagues_of(user: User) -> QuerySet[User]:
    """Who a request may be assigned to: active users of the same agency (people, not
    the service accounts of API clients)."""
    return User.objects.filter(
        agency_id=user.agency_key, is_active=True, api_client__isnull=True
    ).order_by("username")


def reports_concerning(user: User, persons: Sequence[Person]) -> QuerySet[InformationReport]:
    """The agency's reports about any of these persons (the sources offered for an entry)."""
    return reports_visible_to(user).filter(persons__in=persons).distinct()


def entries_citing(report: InformationReport) -> QuerySet[Whereabouts]:
    return report.whereabouts.select_related("person", "facility", "country").order_by(
        "-start_date", "-id"
    )


def entry_get(user: User, entry_uuid: uuid.UUID | str) -> Whereabouts:
    try:
        return whereabouts_visible_to(user).select_related("person").get(uuid=entry_uuid)
    except (Whereabouts.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class Timeline:
    """A person's whereabouts newest first, and the pairs of entries that disagree."""

    entries: list[Whereabouts]
    conflicts: list[Conflict]


def timeline_of(user: User, person: Person) -> Timeline:
    entries = list(
        whereabouts_visible_to(user)
        .filter(person=person)
        .select_related("facility", "country", "retracted_by")
        .prefetch_related(
            Prefetch("reports", queryset=InformationReport.objects.order_by("-received_on"))
        )
        .order_by("-start_date", "-id")
    )
    return Timeline(entries=entries, conflicts=find_conflicts(entries))
