"""Synthetic timelines for the figures tests, written through the tracing services."""

from __future__ import annotations

import datetime as dt

from tests import factories
from wayhome.accounts.models import User
from wayhome.people.models import Person, Sex
from wayhome.places.models import Country, Facility
from wayhome.tracing import services as tracing
from wayhome.tracing.models import InformationReport

D = dt.date


def entry(
    actor: User,
    person: Person,
    status: str,
    start: dt.date,
    facility: Facility | None = None,
    country: Country | None = None,
) -> None:
    tracing.whereabouts_add(
        actor=actor,
        person=person,
        entry=tracing.EntryData(
            status=status, start_date=start, facility=facility, country=country
        ),
        new_report=tracing.ReportData(
            received_on=start,
            channel=InformationReport.Channel.OFFICIAL_LIST,
            source="synthetic list",
            summary="synthetic",
        ),
    )


def woman(actor: User, family: str = "Testova", **kwargs: object) -> Person:
    return factories.person(actor, "Aminat", family, Sex.FEMALE, D(1990, 5, 1), **kwargs)


def child(actor: User, family: str = "Testov", born: dt.date | None = None) -> Person:
    return factories.person(actor, "Ali", family, Sex.MALE, born or D(2014, 3, 1))
