"""Scoped reads of tracing requests, inquirers, reports and whereabouts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.accounts.scope import assignment_filter, sees_whole_agency
from wayhome.accounts.sensitivity import redact_all
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
    """The agency's requests, less, under need-to-know, other teams' (accounts/scope.py)."""
    if not user.has_cap(Cap.TRACING_VIEW):
        return TracingRequest.objects.none()
    return TracingRequest.objects.filter(assignment_filter(user), agency_id=user.agency_key)


def request_get(user: User, request_uuid: uuid.UUID | str) -> TracingRequest:
    try:
        return (
            requests_visible_to(user)
            .select_related("inquirer", "assigned_to", "team")
            .get(uuid=request_uuid)
        )
    except (TracingRequest.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def inquirers_visible_to(user: User) -> QuerySet[Inquirer]:
    """The agency's inquirers; under need-to-know, those with a request the user may see
    or with none yet (a relative is as confidential as the request they made)."""
    if not user.has_cap(Cap.TRACING_VIEW):
        return Inquirer.objects.none()
    qs = Inquirer.objects.filter(agency_id=user.agency_key)
    if sees_whole_agency(user):
        return qs
    theirs = TracingRequest.objects.filter(inquirer=OuterRef("pk"))
    return qs.filter(Exists(theirs.filter(assignment_filter(user))) | ~Exists(theirs))


def reports_visible_to(user: User) -> QuerySet[InformationReport]:
    """Reports are read by whoever reads persons: they are the sources of person facts.

    Under need-to-know, a report is visible when it concerns a person the user may see,
    or nobody yet; an official list naming persons of several teams is read by each of
    them, and its page lists only the persons the reader may see (``report_persons``).
    """
    if not user.has_cap(Cap.PERSON_VIEW):
        return InformationReport.objects.none()
    qs = InformationReport.objects.filter(agency_id=user.agency_key)
    if sees_whole_agency(user):
        return qs
    concerned = InformationReport.persons.through.objects.filter(informationreport=OuterRef("pk"))
    return qs.filter(
        Exists(concerned.filter(assignment_filter(user, "person__"))) | ~Exists(concerned)
    )


def reports_listed(user: User) -> QuerySet[InformationReport]:
    """The report list, each report's persons limited to those the user may see."""
    persons = Person.objects.filter(assignment_filter(user), merged_into__isnull=True)
    return reports_visible_to(user).prefetch_related(Prefetch("persons", queryset=persons))


def report_persons(user: User, report: InformationReport) -> QuerySet[Person]:
    """The persons a report concerns that the user may see."""
    return report.persons.filter(assignment_filter(user), merged_into__isnull=True)


def report_get(user: User, report_uuid: uuid.UUID | str) -> InformationReport:
    try:
        return reports_visible_to(user).get(uuid=report_uuid)
    except (InformationReport.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def whereabouts_visible_to(user: User) -> QuerySet[Whereabouts]:
    if not user.has_cap(Cap.PERSON_VIEW):
        return Whereabouts.objects.none()
    return Whereabouts.objects.filter(
        assignment_filter(user, "person__"), agency_id=user.agency_key
    )


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


def entries_citing(report: InformationReport, user: User | None = None) -> QuerySet[Whereabouts]:
    """The whereabouts entries resting on a report (with ``user``: of persons they see)."""
    entries = report.whereabouts.all()
    if user is not None:
        entries = entries.filter(assignment_filter(user, "person__"))
    return entries.select_related("person", "facility", "country").order_by("-start_date", "-id")


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
    conflicts = find_conflicts(entries)
    redact_all(user, entries)  # after the comparison, which reads only dates and places
    return Timeline(entries=entries, conflicts=conflicts)
