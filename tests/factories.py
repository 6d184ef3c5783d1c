"""Builders for test data. They go through the services, so test data obeys the same
rules as real data, and every person is synthetic."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role
from wayhome.core.fuzzydate import FuzzyDate
from wayhome.people import services as people_services
from wayhome.people.models import Person, Sex
from wayhome.places.models import Country, Facility, Region

_seq = itertools.count(1)


def agency(name: str, prefix: str) -> Agency:
    return Agency.objects.create(name=name, reference_prefix=prefix)


def user(agency: Agency | None, role: str = Role.CASEWORKER, username: str = "") -> User:
    return User.objects.create_user(
        username=username or f"user{next(_seq)}",
        password="correct-horse-battery-staple",
        agency=agency,
        role=role,
    )


def country(iso2: str = "RU", name: str = "Russia") -> Country:
    return Country.objects.get_or_create(iso2=iso2, defaults={"name": name})[0]


def region(name: str = "Dagestan", iso2: str = "RU") -> Region:
    return Region.objects.get_or_create(country=country(iso2), name=name)[0]


def facility(name: str = "Camp One", kind: str = Facility.Kind.CAMP, iso2: str = "SY") -> Facility:
    return Facility.objects.get_or_create(
        name=name,
        country=country(iso2, {"SY": "Syria", "IQ": "Iraq"}.get(iso2, iso2)),
        defaults={"kind": kind},
    )[0]


def person(
    actor: User,
    given: str = "Aminat",
    family: str = "Testova",
    sex: str = Sex.FEMALE,
    birth: FuzzyDate | dt.date | None = None,
    **kwargs: Any,
) -> Person:
    if isinstance(birth, dt.date):
        birth = FuzzyDate.exact(birth)
    return people_services.person_create(
        actor=actor,
        names=[people_services.NameData(given=given, family=family)],
        sex=sex,
        birth=birth,
        **kwargs,
    )
