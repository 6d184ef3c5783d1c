"""Arrivals recorded in one step: whereabouts, cases, tracing requests, aftercare files
and milestones, all or nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.operations import builders as b
from wayhome.accounts.models import User
from wayhome.aftercare.models import AftercareFile
from wayhome.audit.models import AuditEvent
from wayhome.core.signals import Milestone, milestone_reached
from wayhome.operations import services
from wayhome.operations.models import ManifestLine, Operation
from wayhome.people.models import Person, Status
from wayhome.repatriation.models import RepatriationCase
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import InformationReport, TracingRequest, Whereabouts

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(users: dict[str, User]) -> User:
    return users["supervisor"]


def _request(actor: User, sought: list[Person]) -> TracingRequest:
    return tracing_services.request_create(
        actor=actor,
        data=tracing_services.RequestData(received_on=dt.date(2019, 5, 1)),
        new_inquirer=tracing_services.InquirerData(name="Grandmother (synthetic)"),
        sought=[tracing_services.SoughtLink(person=p) for p in sought],
    )


def _confirmed(actor: User, *cases: RepatriationCase) -> Operation:
    op = b.flight(actor, days_ago=2)
    for case in cases:
        services.operation_case_add(actor=actor, operation=op, case=case)
    services.operation_confirm(actor=actor, operation=op)
    op.refresh_from_db()
    return op


def _lines(op: Operation) -> dict[int, ManifestLine]:
    return {ln.person_id: ln for ln in op.lines.all()}


def test_arrival_updates_everything_in_one_step(
    supervisor: User, django_capture_on_commit_callbacks: Any
) -> None:
    home = b.family(supervisor, "Testova", 2)
    partly = b.family(supervisor, "Primerova", 1)
    whole = _request(supervisor, home.persons)  # everyone sought comes home: reunited
    half = _request(supervisor, [home.mother, partly.mother])  # one stays: located
    op = _confirmed(supervisor, home.case, partly.case)
    lines = _lines(op)
    held = partly.mother
    outcomes = {
        ln.pk: services.Outcome(
            arrived=pid != held.pk, reason="" if pid != held.pk else "Held at the airport"
        )
        for pid, ln in lines.items()
    }
    heard: list[tuple[str, int]] = []

    def receiver(sender: Any, person: Person, milestone: str, **kw: Any) -> None:
        heard.append((milestone, person.pk))

    milestone_reached.connect(receiver, weak=False, dispatch_uid="arrivals-test")
    try:
        arrived_on = timezone.localdate() - dt.timedelta(days=1)
        with django_capture_on_commit_callbacks(execute=True):
            summary = services.arrivals_record(
                actor=supervisor, operation=op, arrived_on=arrived_on, outcomes=outcomes
            )
    finally:
        milestone_reached.disconnect(dispatch_uid="arrivals-test")

    assert (summary.arrived, summary.not_arrived) == (4, 1)
    assert (summary.cases_returned, summary.cases_reopened) == (1, 1)
    arrived = [*home.persons, *partly.children]
    for p in arrived:
        p.refresh_from_db()
        assert p.current_status == Status.REPATRIATED
        entry = Whereabouts.objects.get(person=p, status=Status.REPATRIATED)
        assert entry.start_date == arrived_on
        assert entry.location == "Grozny airport"
        report = entry.reports.get()
        assert report.reliability == InformationReport.Reliability.CONFIRMED
        assert AftercareFile.objects.get(person=p).operation_id == op.pk
    held.refresh_from_db()
    assert held.current_status != Status.REPATRIATED
    assert not AftercareFile.objects.filter(person=held).exists()
    home.case.refresh_from_db()
    partly.case.refresh_from_db()
    assert home.case.stage == RepatriationCase.Stage.RETURNED
    assert partly.case.stage == RepatriationCase.Stage.READY  # ready for another flight
    reopened = AuditEvent.objects.filter(object_uuid=partly.case.uuid).latest("id")
    assert reopened.reason == str(RepatriationCase.ReadyAgain.HELD_BACK.label)
    whole.refresh_from_db()
    half.refresh_from_db()
    assert (whole.status, whole.closure_reason) == ("closed", "reunited")
    assert half.status == TracingRequest.State.LOCATED
    line = ManifestLine.objects.get(operation=op, person=held)
    assert (line.outcome, line.outcome_reason) == ("not_arrived", "Held at the airport")
    event = AuditEvent.objects.filter(object_uuid=op.uuid, action="update").latest("id")
    assert event.changes["not_arrived"] == {str(held.uuid): "Held at the airport"}
    op.refresh_from_db()
    assert (op.status, op.arrived_on) == (Operation.State.COMPLETED, arrived_on)
    assert sorted(h for h in heard if h[0] == Milestone.ARRIVED) == sorted(
        (Milestone.ARRIVED, p.pk) for p in arrived
    )
    # Open requests moved to located tell their relatives too (tracing sends that one).
    assert {m for m, _ in heard} == {Milestone.ARRIVED, Milestone.LOCATED}

    # The one held back goes on the next flight alone with her case; the others are home.
    nxt = b.flight(supervisor)
    services.operation_case_add(actor=supervisor, operation=nxt, case=partly.case)
    from wayhome.operations import manifest

    assert [t.person for t in manifest.build(nxt).travellers] == [held]


def test_arrivals_are_all_or_nothing(supervisor: User) -> None:
    fam = b.family(supervisor, "Testova", 2)
    op = _confirmed(supervisor, fam.case)
    lines = list(op.lines.order_by("position"))
    before = Whereabouts.objects.count()
    # One did not arrive and nobody said why: nothing at all is written.
    outcomes = {ln.pk: services.Outcome(arrived=i != 1) for i, ln in enumerate(lines)}
    with pytest.raises(ValidationError, match="Say why"):
        services.arrivals_record(
            actor=supervisor, operation=op, arrived_on=timezone.localdate(), outcomes=outcomes
        )
    # A traveller left out of the form: refused too.
    with pytest.raises(ValidationError, match="every traveller"):
        services.arrivals_record(
            actor=supervisor,
            operation=op,
            arrived_on=timezone.localdate(),
            outcomes={lines[0].pk: services.Outcome(arrived=True)},
        )
    # A date in the future: refused.
    with pytest.raises(ValidationError, match="future"):
        services.arrivals_record(
            actor=supervisor,
            operation=op,
            arrived_on=timezone.localdate() + dt.timedelta(days=3),
            outcomes={ln.pk: services.Outcome(arrived=True) for ln in lines},
        )
    assert Whereabouts.objects.count() == before
    assert AftercareFile.objects.count() == 0
    fam.case.refresh_from_db()
    op.refresh_from_db()
    assert fam.case.stage == RepatriationCase.Stage.SCHEDULED
    assert op.status == Operation.State.CONFIRMED
    assert set(op.lines.values_list("outcome", flat=True)) == {ManifestLine.Outcome.PENDING}


def test_a_failure_midway_leaves_nothing_behind(supervisor: User) -> None:
    """The last traveller is recorded as deceased after the arrival date: whereabouts
    refuses them, and the whereabouts already written for the others are undone."""
    fam = b.family(supervisor, "Testova", 2)
    op = _confirmed(supervisor, fam.case)
    last = op.lines.order_by("position").last()
    assert last is not None
    tracing_services.whereabouts_add(
        actor=supervisor,
        person=last.person,
        entry=tracing_services.EntryData(
            status=Status.DECEASED, start_date=op.planned_on - dt.timedelta(days=30)
        ),
        new_report=tracing_services.ReportData(
            received_on=op.planned_on,
            channel=InformationReport.Channel.OTHER_NGO,
            source="camp clinic",
            summary="Death reported (synthetic).",
        ),
    )
    before = Whereabouts.objects.count()
    outcomes = {ln.pk: services.Outcome(arrived=True) for ln in op.lines.all()}
    with pytest.raises(ValidationError):
        services.arrivals_record(
            actor=supervisor, operation=op, arrived_on=timezone.localdate(), outcomes=outcomes
        )
    assert Whereabouts.objects.count() == before
    assert InformationReport.objects.filter(source__startswith="Arrival record").count() == 0
    assert not Person.objects.filter(current_status=Status.REPATRIATED).exists()
