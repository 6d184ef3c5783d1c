"""Reads of persons, always scoped to what the user may see.

Views never query Person directly: they call these, and a row of another agency is simply
not there (404), never "forbidden" (which would confirm it exists).
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.people.models import FamilyGroup, Person, Relationship


def persons_visible_to(user: User) -> QuerySet[Person]:
    """Every person the user may read: their agency's, if their role reads persons."""
    if not user.has_cap(Cap.PERSON_VIEW):
        return Person.objects.none()
    return Person.objects.filter(agency_id=user.agency_key)


def person_get(user: User, person_uuid: uuid.UUID | str) -> Person:
    """One visible person, or 404."""
    try:
        return (
            persons_visible_to(user)
            .select_related("home_region", "birth_country", "current_facility")
            .get(uuid=person_uuid)
        )
    except (Person.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def relationships_of(person: Person) -> QuerySet[Relationship]:
    """Links in either direction, with both ends loaded."""
    return (
        Relationship.objects.filter(agency_id=person.agency_id)
        .filter(from_person=person)
        .union(Relationship.objects.filter(agency_id=person.agency_id, to_person=person))
    )


def family_groups_visible_to(user: User) -> QuerySet[FamilyGroup]:
    if not user.has_cap(Cap.PERSON_VIEW):
        return FamilyGroup.objects.none()
    return FamilyGroup.objects.filter(agency_id=user.agency_key)


def family_group_get(user: User, group_uuid: uuid.UUID | str) -> FamilyGroup:
    try:
        return family_groups_visible_to(user).get(uuid=group_uuid)
    except (FamilyGroup.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
