"""Scoped reads of tracing requests, inquirers, reports and whereabouts."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.tracing.models import InformationReport, Inquirer, TracingRequest, Whereabouts


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
