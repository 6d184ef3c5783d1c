"""Scoped reads of the communication log, the outbox, templates and the relatives' inbox.

Everything here needs ``Cap.COMMS_VIEW`` (templates: ``Cap.RULES_ADMIN``) and is limited
to the user's agency; a record of another agency is a 404 like a missing one.
"""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.comms.models import CommEntry, MessageTemplate, Notification
from wayhome.people.models import FamilyGroup
from wayhome.portal.models import PortalSubmission
from wayhome.tracing.models import TracingRequest

M = TypeVar("M", bound=Model)


def _scoped(user: User, qs: QuerySet[M], cap: Cap = Cap.COMMS_VIEW) -> QuerySet[M]:
    if not user.has_cap(cap):
        return qs.none()
    return qs.filter(agency_id=user.agency_key)


def _one(qs: QuerySet[M], key: uuid.UUID | str) -> M:
    try:
        return qs.get(uuid=key)
    except (qs.model.DoesNotExist, ValueError) as exc:  # type: ignore[attr-defined]
        raise Http404 from exc


def request_get(user: User, key: uuid.UUID | str) -> TracingRequest:
    return _one(_scoped(user, TracingRequest.objects.select_related("inquirer")), key)


def family_get(user: User, key: uuid.UUID | str) -> FamilyGroup:
    return _one(_scoped(user, FamilyGroup.objects.all()), key)


def entries_of(
    user: User, *, request: TracingRequest | None = None, family: FamilyGroup | None = None
) -> QuerySet[CommEntry]:
    qs = _scoped(user, CommEntry.objects.select_related("staff", "inquirer"))
    return qs.filter(request=request) if request is not None else qs.filter(family=family)


def entry_get(user: User, key: uuid.UUID | str) -> CommEntry:
    return _one(_scoped(user, CommEntry.objects.all()), key)


def notifications_of(user: User, request: TracingRequest) -> QuerySet[Notification]:
    return _scoped(user, Notification.objects.filter(request=request)).order_by(
        "-created_at", "-id"
    )


def notification_get(user: User, key: uuid.UUID | str) -> Notification:
    return _one(_scoped(user, Notification.objects.select_related("request")), key)


def templates_of(user: User) -> QuerySet[MessageTemplate]:
    return _scoped(user, MessageTemplate.objects.select_related("created_by"), Cap.RULES_ADMIN)


def submissions_of(user: User, *, reviewed: bool = False) -> QuerySet[PortalSubmission]:
    qs = _scoped(
        user, PortalSubmission.objects.select_related("request", "report", "reviewed_by")
    ).filter(reviewed_at__isnull=not reviewed)
    return qs.order_by("-reviewed_at" if reviewed else "created_at", "-id")


def submission_get(user: User, key: uuid.UUID | str) -> PortalSubmission:
    return _one(_scoped(user, PortalSubmission.objects.select_related("report", "request")), key)
