"""Reads of legal cases, scoped to the user's agency and role (LEGAL_VIEW)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.accounts.scope import assignment_filter
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.legal.models import Appeal, Hearing, LegalCase
from wayhome.people.models import Person

M = TypeVar("M", bound=Model)


def _one(qs: QuerySet[M], key: uuid.UUID | str) -> M:
    try:
        return qs.get(uuid=key)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def legal_cases_visible_to(user: User) -> QuerySet[LegalCase]:
    """The agency's cases of persons the user may see (need-to-know: the person's team),
    so hearings, appeals and the export built on this answer 404 for another team's."""
    if not user.has_cap(Cap.LEGAL_VIEW):
        return LegalCase.objects.none()
    return LegalCase.objects.filter(
        assignment_filter(user, "person__"),
        agency_id=user.agency_key,
        person__merged_into__isnull=True,
    ).select_related("person", "country", "source")


def legal_case_get(user: User, key: uuid.UUID | str) -> LegalCase:
    return _one(legal_cases_visible_to(user), key)


def legal_case_read(user: User, key: uuid.UUID | str) -> LegalCase:
    """A case whose page is shown: a read of the person's file, audited."""
    case = legal_case_get(user, key)
    audit_record(actor=user, action=AuditEvent.Action.VIEW, obj=case, person_uuid=case.person.uuid)
    return case


def legal_cases_of(user: User, person: Person) -> QuerySet[LegalCase]:
    return legal_cases_visible_to(user).filter(person=person)


def hearing_get(user: User, key: uuid.UUID | str) -> Hearing:
    qs = Hearing.objects.filter(legal_case__in=legal_cases_visible_to(user))
    return _one(qs.select_related("legal_case__person"), key)


def appeal_get(user: User, key: uuid.UUID | str) -> Appeal:
    qs = Appeal.objects.filter(legal_case__in=legal_cases_visible_to(user))
    return _one(qs.select_related("legal_case__person"), key)


def upcoming_hearings(user: User, days: int = 90) -> QuerySet[Hearing]:
    """The agency's hearings from today on (the next ``days`` days), soonest first."""
    today = timezone.localdate()
    return (
        Hearing.objects.filter(
            legal_case__in=legal_cases_visible_to(user),
            date__gte=today,
            date__lte=today + dt.timedelta(days=days),
        )
        .select_related("legal_case__person", "legal_case__country")
        .order_by("date", "id")
    )
