"""Real-shaped synthetic families for the repatriation tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tests import factories
from wayhome.accounts.models import User
from wayhome.people import services as people_services
from wayhome.people.models import Citizenship, Person, Relationship, Sex
from wayhome.repatriation.models import RuleSet


def years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


def shipped(slug: str = "iraq") -> RuleSet:
    return RuleSet.objects.get(slug=slug, agency__isnull=True, status=RuleSet.Status.ACTIVE)


@dataclass
class Family:
    mother: Person
    children: list[Person]


def family(
    actor: User, children: int = 3, citizenship: str = "RU", mother_given: str = "Zarema"
) -> Family:
    """A mother (about 30) and her children (4 to 10), citizens of one country."""
    country = factories.country(citizenship, {"RU": "Russia", "TJ": "Tajikistan"}[citizenship])
    mother = factories.person(actor, mother_given, "Testova", Sex.FEMALE, years_ago(30))
    people_services.citizenship_add(
        actor=actor, person=mother, country=country, status=Citizenship.Status.VERIFIED
    )
    kids = []
    for i in range(children):
        child = factories.person(actor, f"Child{i}", "Testov", Sex.MALE, years_ago(4 + 3 * i))
        people_services.citizenship_add(actor=actor, person=child, country=country)
        people_services.relationship_create(
            actor=actor, from_person=mother, to_person=child, kind=Relationship.Kind.PARENT
        )
        kids.append(child)
    return Family(mother=mother, children=kids)
