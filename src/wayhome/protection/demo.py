"""Demo: one tracing request of the NGO shared with the ombudsperson's office.

The inquirer's consent to sharing with authorities is recorded, a caseworker proposes
the referral and the supervisor approves it, so ``omb-caseworker`` finds it under
Referrals → Shared with us, and ``ngo-supervisor`` can revoke it.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.db import transaction

from wayhome.accounts.models import Agency, User
from wayhome.demo.accounts import DEMO_AGENCIES
from wayhome.protection import referrals, services
from wayhome.protection.models import Referral, Scope
from wayhome.tracing.models import TracingRequest


@transaction.atomic
def load_demo(stdout: TextIO) -> None:
    worker = User.objects.filter(username="ngo-caseworker").first()
    supervisor = User.objects.filter(username="ngo-supervisor").first()
    office = Agency.objects.filter(name=DEMO_AGENCIES[1].name).first()
    if worker is None or supervisor is None or office is None:
        return
    request = (
        TracingRequest.objects.filter(agency_id=worker.agency_key, status="open")
        .order_by("id")
        .first()
    )
    if request is None:
        return
    services.consent_record(
        actor=worker,
        inquirer=request.inquirer,
        person=None,
        scope=Scope.SHARE_AUTHORITIES,
        given=True,
        method="written",
        on=dt.date(2024, 3, 1),
    )
    referral = referrals.referral_propose(
        actor=worker,
        request=request,
        to_agency=office,
        reason="The office is negotiating the return of this family (demo).",
        parts=[Referral.Part.REQUEST, Referral.Part.SOUGHT],
    )
    referrals.referral_approve(actor=supervisor, referral=referral)
    stdout.write(f"Referral: {request.reference} is shared with {office.name} (demo).")
