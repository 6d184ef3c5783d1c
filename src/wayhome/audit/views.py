"""Who read or changed what: the trail for supervisors, per record and per user."""

from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wayhome.accounts.permissions import AuthedRequest, cap_required
from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent
from wayhome.audit.selectors import colleague_get, events_visible_to, may_see_values

PAGE_SIZE = 50


def _page(request: AuthedRequest, events: QuerySet[AuditEvent], **context: object) -> HttpResponse:
    page = Paginator(events.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {
            "page": page,
            "show_values": may_see_values(request.user),
            "actions": AuditEvent.Action.choices,
            **context,
        },
    )


@require_GET
@cap_required(Cap.AUDIT_VIEW)
def event_list(request: AuthedRequest) -> HttpResponse:
    """The agency's recent events, filterable by kind of action."""
    events = events_visible_to(request.user)
    action = request.GET.get("action", "")
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    return _page(request, events, action=action)


@require_GET
@cap_required(Cap.AUDIT_VIEW)
def person_access(request: AuthedRequest, person_uuid: uuid.UUID) -> HttpResponse:
    """Everyone who read or changed one person's record, newest first."""
    events = events_visible_to(request.user).filter(person_uuid=person_uuid)
    return _page(request, events, person_uuid=person_uuid)


@require_GET
@cap_required(Cap.AUDIT_VIEW)
def user_activity(request: AuthedRequest, user_uuid: uuid.UUID) -> HttpResponse:
    """Everything one colleague did."""
    colleague = colleague_get(request.user, user_uuid)
    events = events_visible_to(request.user).filter(actor=colleague)
    return _page(request, events, colleague=colleague)
