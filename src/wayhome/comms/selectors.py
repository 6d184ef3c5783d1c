"""Scoped reads of the communication log, the outbox, templates and the relatives' inbox.

Everything here needs ``Cap.COMMS_VIEW`` (templates: ``Cap.RULES_ADMIN``) and is limited
to the user's agency; a record of another agency is a 404 like a missing one. What belongs
to a tracing request (its log, notifications, portal submissions) follows the request's
need-to-know by team, and a family group's log needs every member visible: another
team's answers 404 too.
"""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.accounts.scope import assignment_filter, sees_whole_agency
from wayhome.comms.models import CommEntry, MessageTemplate, Notification
from wayhome.people.models import FamilyGroup, Person
from wayhome.portal.models import PortalSubmission
from wayhome.tracing.models import TracingRequest

M = TypeVar("M", bound=Model)


def _scoped(user: User, qs: QuerySet[M], cap: Cap = Cap.COMMS_VIEW) -> QuerySet[M]:
    if not user.has_cap(cap):
        return qs.none()
    return qs.filter(agency_id=user.agency_key)


def _by_request(user: User, qs: QuerySet[M], *, optional: bool = False) -> QuerySet[M]:
    """Rows of a request the user may see (``optional``: or of no request at all)."""
    if sees_whole_agency(user):
        return qs
    allowed = assignment_filter(user, "request__")
    return qs.filter((Q(request__isnull=True) | allowed) if optional else allowed)


def _one(qs: QuerySet[M], key: uuid.UUID | str) -> M:
    try:
        return qs.get(uuid=key)
    except (qs.model.DoesNotExist, ValueError) as exc:  # type: ignore[attr-defined]
        raise Http404 from exc


def request_get(user: User, key: uuid.UUID | str) -> TracingRequest:
    qs = TracingRequest.objects.filter(assignment_filter(user)).select_related("inquirer")
    return _one(_scoped(user, qs), key)


def _by_family(user: User, qs: QuerySet[M], field: str) -> QuerySet[M]:
    """Rows whose family group (reached by ``field``: "pk" for the groups themselves,
    "family_id" for log entries; rows of no group pass) the user may see whole: a group's
    log speaks of all its members, so, as for a repatriation case, a group with a member
    another team holds is seen by supervisors only."""
    if sees_whole_agency(user):
        return qs
    hidden = Person.objects.filter(family_groups=OuterRef(field)).exclude(assignment_filter(user))
    return qs.filter(~Exists(hidden))


def family_get(user: User, key: uuid.UUID | str) -> FamilyGroup:
    return _one(_by_family(user, _scoped(user, FamilyGroup.objects.all()), "pk"), key)


def family_log_visible(user: User, group: FamilyGroup) -> bool:
    """Whether ``family_get`` would give the user this group's log (for linking to it)."""
    qs = _scoped(user, FamilyGroup.objects.filter(pk=group.pk))
    return _by_family(user, qs, "pk").exists()


def entries_of(
    user: User, *, request: TracingRequest | None = None, family: FamilyGroup | None = None
) -> QuerySet[CommEntry]:
    qs = _scoped(user, CommEntry.objects.select_related("staff", "inquirer"))
    return qs.filter(request=request) if request is not None else qs.filter(family=family)


def entry_get(user: User, key: uuid.UUID | str) -> CommEntry:
    qs = _by_request(user, _scoped(user, CommEntry.objects.all()), optional=True)
    return _one(_by_family(user, qs, "family_id"), key)


def notifications_of(user: User, request: TracingRequest) -> QuerySet[Notification]:
    return _scoped(user, Notification.objects.filter(request=request)).order_by(
        "-created_at", "-id"
    )


def notification_get(user: User, key: uuid.UUID | str) -> Notification:
    qs = _scoped(user, Notification.objects.select_related("request"))
    return _one(_by_request(user, qs, optional=True), key)


def templates_of(user: User) -> QuerySet[MessageTemplate]:
    return _scoped(user, MessageTemplate.objects.select_related("created_by"), Cap.RULES_ADMIN)


def submissions_of(user: User, *, reviewed: bool = False) -> QuerySet[PortalSubmission]:
    qs = _scoped(user, PortalSubmission.objects.select_related("request", "report", "reviewed_by"))
    qs = _by_request(user, qs).filter(reviewed_at__isnull=not reviewed)
    return qs.order_by("-reviewed_at" if reviewed else "created_at", "-id")


def submission_get(user: User, key: uuid.UUID | str) -> PortalSubmission:
    qs = _scoped(user, PortalSubmission.objects.select_related("report", "request"))
    return _one(_by_request(user, qs), key)
