"""Across the apps: when a family's case reaches a milestone, the relatives who asked are
told — on the channels they consented to, once, and never after they withdrew."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.utils import timezone

from tests.comms.helpers import consent, request_with_contact
from tests.operations import builders as b
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.comms.models import Kind, Notification
from wayhome.operations import services
from wayhome.tracing import services as tracing_services


def _fly_home(actor: User, family: b.Family, capture: Any) -> None:
    op = b.flight(actor, days_ago=2)
    services.operation_case_add(actor=actor, operation=op, case=family.case)
    with capture(execute=True):
        services.operation_confirm(actor=actor, operation=op)
    op.refresh_from_db()
    outcomes = {ln.pk: services.Outcome(arrived=True) for ln in op.lines.all()}
    with capture(execute=True):
        services.arrivals_record(
            actor=actor,
            operation=op,
            arrived_on=timezone.localdate() - dt.timedelta(days=1),
            outcomes=outcomes,
        )


def test_a_flight_home_tells_the_relative_on_board_and_on_arrival(
    users: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    supervisor = users[Role.SUPERVISOR]
    family = b.family(supervisor, "Testova", 2)
    request = request_with_contact(supervisor, family.persons, sms=False)
    with django_capture_on_commit_callbacks(execute=True):
        tracing_services.request_transition(actor=supervisor, request=request, to="located")
    _fly_home(supervisor, family, django_capture_on_commit_callbacks)

    # One notice per milestone for the relative, not one per mother and child.
    told = Notification.objects.filter(inquirer=request.inquirer)
    kinds = sorted(told.values_list("kind", flat=True))
    assert kinds == sorted([Kind.LOCATED, Kind.ON_FLIGHT, Kind.ARRIVED])
    assert set(told.values_list("channel", flat=True)) == {"email"}
    assert len(mail.outbox) == 3
    assert all(family.mother.display_name not in m.subject for m in mail.outbox)


def test_a_relative_who_withdrew_consent_hears_nothing(
    users: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    supervisor = users[Role.SUPERVISOR]
    family = b.family(supervisor, "Primerova", 1)
    request = request_with_contact(supervisor, family.persons, sms=False)
    consent(supervisor, request.inquirer, "notify_email", given=False)
    _fly_home(supervisor, family, django_capture_on_commit_callbacks)

    assert not Notification.objects.filter(
        inquirer=request.inquirer, status=Notification.Status.SENT
    ).exists()
    assert mail.outbox == []
