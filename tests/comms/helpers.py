"""Builders for comms and portal tests: an inquirer with contact details and consents."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from tests.tracing import helpers as tracing_helpers
from wayhome.accounts.models import User
from wayhome.people.models import Person
from wayhome.protection.services import consent_record
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import Inquirer, TracingRequest

EMAIL = "zarema.synthetic@example.org"
PHONE = "+7 900 000 00 00"


def consent(actor: User, inquirer: Inquirer, scope: str, given: bool = True) -> None:
    consent_record(
        actor=actor,
        inquirer=inquirer,
        scope=scope,
        given=given,
        method="in_person",
        on=timezone.localdate(),
    )


def request_with_contact(
    actor: User,
    sought: Sequence[Person] = (),
    *,
    language: str = "ru",
    email: bool = True,
    sms: bool = True,
) -> TracingRequest:
    """A request whose inquirer has an e-mail and a phone, consenting as asked."""
    req = tracing_helpers.tracing_request(actor, sought)
    inquirer = req.inquirer
    tracing_services.inquirer_update(
        actor=actor,
        inquirer=inquirer,
        data=tracing_services.InquirerData(
            name=inquirer.name,
            relationship="mother",
            phone=PHONE,
            email=EMAIL,
            language=language,
            consent_contact=True,
        ),
    )
    if email:
        consent(actor, inquirer, "notify_email")
    if sms:
        consent(actor, inquirer, "notify_sms")
    req.refresh_from_db()
    return req
