"""Reads of the audit trail: supervisors and agency administrators, own agency only."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent


def events_visible_to(user: User) -> QuerySet[AuditEvent]:
    if not user.has_cap(Cap.AUDIT_VIEW):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(agency_id=user.agency_key).select_related("actor")


def colleague_get(user: User, user_uuid: uuid.UUID | str) -> User:
    """A user of the same agency, for their activity page; anyone else is 404."""
    try:
        return User.objects.get(uuid=user_uuid, agency_id=user.agency_key)
    except (User.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def may_see_values(user: User) -> bool:
    """Old and new values are personal data: only roles that read persons see them."""
    return user.has_cap(Cap.PERSON_VIEW)
