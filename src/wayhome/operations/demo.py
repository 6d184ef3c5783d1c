"""Demo operations: a charter flight planned with the demo NGO's ready cases, when the
repatriation demo made some; otherwise an empty planned flight to show the pages."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.core.exceptions import ValidationError
from django.utils import timezone

from wayhome.accounts.models import User
from wayhome.operations import services
from wayhome.operations.models import Operation
from wayhome.places.models import Country
from wayhome.repatriation.models import RepatriationCase


def load_demo(stdout: TextIO) -> None:
    actor = User.objects.filter(username="ngo-supervisor").first()
    iraq = Country.objects.filter(iso2="IQ").first()
    russia = Country.objects.filter(iso2="RU").first()
    if actor is None or iraq is None or russia is None or Operation.objects.exists():
        return
    op = services.operation_create(
        actor=actor,
        data=services.OperationData(
            kind=Operation.Kind.FLIGHT,
            label="Charter flight Baghdad–Grozny (demo)",
            planned_on=timezone.localdate() + dt.timedelta(days=21),
            from_country=iraq,
            handover_point="Baghdad international airport",
            to_country=russia,
            arrival_point="Grozny airport",
            capacity=98,
            escorts="Ombudsperson's envoy (demo)\nPaediatric nurse (demo)",
        ),
    )
    ready = RepatriationCase.objects.filter(
        agency_id=actor.agency_key, stage=RepatriationCase.Stage.READY
    ).order_by("id")
    added = 0
    for case in ready:
        try:
            services.operation_case_add(actor=actor, operation=op, case=case)
        except ValidationError:
            continue  # would split a family or exceed the seats: left for the caseworker
        added += 1
    stdout.write(f"A charter flight planned with {added} ready cases.")
