"""Builders for tracing test data, through the services like tests/factories.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from wayhome.accounts.models import User
from wayhome.people.models import Person
from wayhome.tracing import services
from wayhome.tracing.models import InformationReport, TracingRequest, Whereabouts

DAY = dt.date(2019, 3, 10)


def report(actor: User, persons: Sequence[Person] = (), **kwargs: Any) -> InformationReport:
    values: dict[str, Any] = {
        "received_on": DAY,
        "channel": InformationReport.Channel.RELATIVE_CALL,
        "source": "the mother (synthetic)",
        "summary": "Seen in a camp.",
    }
    return services.report_create(actor=actor, persons=persons, **{**values, **kwargs})


def entry(
    actor: User,
    person: Person,
    status: str = "in_camp",
    start: dt.date = DAY,
    reports: Sequence[InformationReport] | None = None,
    **kwargs: Any,
) -> Whereabouts:
    return services.whereabouts_add(
        actor=actor,
        person=person,
        entry=services.EntryData(status=status, start_date=start, **kwargs),
        reports=reports if reports is not None else [report(actor, [person])],
    )


def tracing_request(actor: User, sought: Sequence[Person] = (), **kwargs: Any) -> TracingRequest:
    return services.request_create(
        actor=actor,
        data=services.RequestData(received_on=kwargs.pop("received_on", DAY), **kwargs),
        new_inquirer=services.InquirerData(
            name="Zarema Synthetic", relationship="mother", phone="+7 900 000 00 00"
        ),
        sought=[services.SoughtLink(person=p, relation="son") for p in sought],
        new_sought=[] if sought else [services.NewSought(given="Ibragim", family="Testov")],
    )
