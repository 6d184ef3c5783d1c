"""Reads of places. Places themselves are public; who is in them is not."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.people.models import Person
from wayhome.people.selectors import persons_visible_to
from wayhome.places.models import Facility


def facilities_filtered(
    *, kind: str = "", country: str = "", authority: str = ""
) -> QuerySet[Facility]:
    """Facilities matching the list filters (country and authority by uuid)."""
    qs = Facility.objects.select_related("country", "authority", "region")
    if kind:
        qs = qs.filter(kind=kind)
    if country:
        qs = qs.filter(country__uuid=country)
    if authority:
        qs = qs.filter(authority__uuid=authority)
    return qs.order_by("name")


def facility_get(facility_uuid: uuid.UUID | str) -> Facility:
    try:
        return Facility.objects.select_related("country", "authority", "region").get(
            uuid=facility_uuid
        )
    except (Facility.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def persons_currently_at(user: User, facility: Facility) -> QuerySet[Person]:
    """The user's agency's persons whose latest whereabouts is this facility (names)."""
    return persons_visible_to(user).filter(current_facility=facility).order_by("display_name")


def count_currently_at(user: User, facility: Facility) -> int | None:
    """How many of the user's agency's persons are there; None without STATS_VIEW."""
    if not user.has_cap(Cap.STATS_VIEW):
        return None
    return Person.objects.filter(
        agency_id=user.agency_key, current_facility=facility, merged_into__isnull=True
    ).count()
