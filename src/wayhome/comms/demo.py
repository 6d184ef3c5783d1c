"""Demo records for talking with families: log entries, notifications, and one demo
inquirer who can use the relatives' page (the code page shows the code in the demo)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wayhome.accounts.models import User
from wayhome.comms import services
from wayhome.comms.models import CommEntry
from wayhome.protection.services import consent_record
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import TracingRequest

DEMO_EMAIL = "demo.relative@example.org"
DEMO_PHONE = "+7 900 000 00 01"
SUMMARIES = [
    ("call", "in", "The mother called: a woman released from the camp saw the children in spring."),
    (
        "letter",
        "in",
        "A letter from prison arrived through the Red Crescent; copy attached to file.",
    ),
    ("call", "out", "Told the family we are checking the new list; no news to give yet."),
    ("visit", "out", "Home visit: explained the consent forms the court will need."),
]


def load_demo(stdout: Any) -> None:
    actor = User.objects.filter(username="ngo-caseworker").first()
    if actor is None:
        return
    requests = list(
        TracingRequest.objects.filter(agency_id=actor.agency_key)
        .select_related("inquirer")
        .order_by("id")[:12]
    )
    if not requests:
        return
    today = timezone.localdate()
    with transaction.atomic():
        for number, req in enumerate(requests):
            medium, direction, summary = SUMMARIES[number % len(SUMMARIES)]
            services.comm_entry_create(
                actor=actor,
                request=req,
                occurred_on=today - dt.timedelta(days=3 * number + 1),
                medium=medium,
                direction=direction,
                summary=summary,
            )
        demo = requests[0]
        inquirer = demo.inquirer
        tracing_services.inquirer_update(
            actor=actor,
            inquirer=inquirer,
            data=tracing_services.InquirerData(
                name=inquirer.name,
                relationship=inquirer.relationship,
                phone=DEMO_PHONE,
                email=DEMO_EMAIL,
                address=inquirer.address,
                region=inquirer.region,
                language="ru",
                consent_contact=True,
                consent_method="in_person",
            ),
        )
        for scope in ("notify_email", "notify_sms"):
            consent_record(
                actor=actor,
                inquirer=inquirer,
                scope=scope,
                given=True,
                method="in_person",
                on=today,
            )
        for req in requests[1:4]:  # a few others agreed to SMS (failing without a gateway)
            if req.inquirer_id != inquirer.pk and req.inquirer.phone:
                consent_record(
                    actor=actor,
                    inquirer=req.inquirer,
                    scope="notify_sms",
                    given=True,
                    method="phone",
                    on=today,
                )
        queued = 0
        for req in requests[:4]:
            link = req.sought_links.select_related("person").first()
            if link is None:
                continue
            queued += len(
                services.notifications_queue(
                    actor=actor,
                    person=link.person,
                    milestone="located" if req is demo else "consent_needed",
                    key=f"demo:{req.uuid}",
                    request=req,
                )
            )
    entries = CommEntry.objects.filter(agency_id=actor.agency_key).count()
    stdout.write(
        f"Talking with families: {entries} log entries, {queued} notifications queued. "
        f"Relatives' page: /relatives/ with reference {demo.reference} (e-mail or SMS; "
        "in the demo the code page shows the code)."
    )
