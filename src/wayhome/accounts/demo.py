"""Demo: the ombudsperson's office works by teams, so need-to-know can be tried.

Two teams ("Iraq desk", "Syria desk"), each with a caseworker; the office's open
tracing requests are shared out between them (their sought persons follow), and
need-to-know is switched on. Log in as ``omb-caseworker`` and ``omb-caseworker-syria``
to see two different halves of the office, and as ``omb-supervisor`` to see all of it.
"""

from __future__ import annotations

from typing import TextIO

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from wayhome.accounts import assignment
from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role
from wayhome.demo.accounts import DEMO_AGENCIES, DEMO_PASSWORD
from wayhome.tracing.models import TracingRequest

TEAMS = ("Iraq desk", "Syria desk")
SECOND_WORKER = "omb-caseworker-syria"


@transaction.atomic
def load_demo(stdout: TextIO) -> None:
    agency = Agency.objects.filter(name=DEMO_AGENCIES[1].name).first()
    supervisor = User.objects.filter(username="omb-supervisor").first()
    first = User.objects.filter(username="omb-caseworker").first()
    if agency is None or supervisor is None or first is None:
        return
    second = User.objects.filter(username=SECOND_WORKER).first()
    if second is None:
        second = User(username=SECOND_WORKER, agency=agency, role=Role.CASEWORKER)
        second.set_password(DEMO_PASSWORD)
        second.save()
        TOTPDevice.objects.create(user=second, name="demo authenticator", confirmed=True)
    teams = [assignment.team_create(actor=supervisor, name=name) for name in TEAMS]
    for team, member in zip(teams, (first, second), strict=True):
        assignment.team_members_set(actor=supervisor, team=team, members=[member])
    requests = TracingRequest.objects.filter(
        agency=agency, status=TracingRequest.State.OPEN
    ).order_by("id")
    for n, request in enumerate(requests):
        assignment.request_assign(
            actor=supervisor, request=request, team=teams[n % 2], assigned_to=None,
            reason="demo: shared out between the desks",
        )  # fmt: skip
    assignment.need_to_know_set(actor=supervisor, enabled=True)
    stdout.write(
        f"Need-to-know: {agency.name} works in two teams; {SECOND_WORKER} "
        "(caseworker, Syria desk) sees the other half of its open requests."
    )
