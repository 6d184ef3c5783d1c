"""Retention schedules and the run that anonymises what is past them.

Schedules are read from ``settings.WAYHOME_RETENTION`` (a dict; any key left out keeps
its default below). Audit events are kept whatever the schedule: they are the proof of
what was done. Nothing linked to a tracing request that is still open (or located) is
touched, nor anyone in a disclosure that is proposed or approved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, QuerySet

from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.people.models import Person
from wayhome.protection.anonymise import inquirer_anonymise, person_anonymise, request_anonymise
from wayhome.protection.models import Anonymisation, Disclosure
from wayhome.tracing.models import Inquirer, SoughtPerson, TracingRequest

DEFAULTS: dict[str, int] = {
    # An inquirer's name and contact details, counted from the closing of their last request.
    "inquirer_contact_years": 2,
    # A closed request's free text, and the persons sought only in such requests.
    "closed_request_years": 5,
}

CLOSED = TracingRequest.State.CLOSED


def schedule() -> dict[str, int]:
    return {**DEFAULTS, **getattr(settings, "WAYHOME_RETENTION", {})}


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class RetentionReport:
    requests: int
    persons: int
    inquirers: int
    dry_run: bool

    def lines(self) -> list[str]:
        verb = "would be anonymised" if self.dry_run else "anonymised"
        return [
            f"closed tracing requests {verb}: {self.requests}",
            f"persons sought only in them {verb}: {self.persons}",
            f"inquirers' contact details {verb}: {self.inquirers}",
            "audit events: kept",
        ]


def _done(kind: str) -> QuerySet[Anonymisation]:
    return Anonymisation.objects.filter(kind=kind)


def _unfinished() -> QuerySet[TracingRequest]:
    return TracingRequest.objects.exclude(status=CLOSED)


def _live_sought() -> QuerySet[SoughtPerson]:
    """Links of persons sought in an unfinished request (never NULL, so NOT IN is safe)."""
    return SoughtPerson.objects.exclude(request__status=CLOSED)


def requests_due(today: dt.date) -> QuerySet[TracingRequest]:
    """Closed past the schedule, sharing no sought person and no inquirer with an
    unfinished request."""
    cutoff = years_before(today, schedule()["closed_request_years"])
    live = _unfinished()
    return (
        TracingRequest.objects.filter(status=CLOSED, closed_on__lte=cutoff)
        .exclude(uuid__in=_done(Anonymisation.Kind.REQUEST).values("object_uuid"))
        .exclude(inquirer__in=live.values("inquirer"))
        .exclude(sought_links__person__in=_live_sought().values("person"))
    )


def persons_due(today: dt.date) -> QuerySet[Person]:
    """Sought only in requests closed past the schedule, in no pending disclosure."""
    cutoff = years_before(today, schedule()["closed_request_years"])
    live = _unfinished()
    not_yet = TracingRequest.objects.filter(
        ~Q(status=CLOSED) | Q(closed_on__gt=cutoff) | Q(inquirer__in=live.values("inquirer"))
    )
    pending = Disclosure.objects.filter(
        status__in=[Disclosure.Status.PROPOSED, Disclosure.Status.APPROVED]
    )
    return (
        Person.objects.filter(sought_in__isnull=False)
        .exclude(sought_in__request__in=not_yet)
        .exclude(disclosures__in=pending)
        .exclude(uuid__in=_done(Anonymisation.Kind.PERSON).values("object_uuid"))
        .distinct()
    )


def inquirers_due(today: dt.date) -> QuerySet[Inquirer]:
    """Every request closed, the last one closed past the schedule, and nobody they
    asked about still sought in an unfinished request (the family may be needed)."""
    cutoff = years_before(today, schedule()["inquirer_contact_years"])
    live = _unfinished()
    return (
        Inquirer.objects.exclude(requests__in=live)
        .exclude(requests__sought_links__person__in=_live_sought().values("person"))
        .annotate(last_closed=Max("requests__closed_on"))
        .filter(last_closed__lte=cutoff)
        .exclude(uuid__in=_done(Anonymisation.Kind.INQUIRER).values("object_uuid"))
    )


@transaction.atomic
def retention_run(*, today: dt.date, dry_run: bool = False) -> RetentionReport:
    """Anonymise everything past its schedule and record one system audit event with the
    counts; with ``dry_run``, count only and write nothing."""
    requests = list(requests_due(today))
    persons = list(persons_due(today))
    inquirers = list(inquirers_due(today))
    report = RetentionReport(len(requests), len(persons), len(inquirers), dry_run)
    if dry_run:
        return report
    cause = Anonymisation.Cause.RETENTION
    for request in requests:
        request_anonymise(request, cause=cause, today=today)
    for person in persons:
        person_anonymise(person, cause=cause, today=today)
    for inquirer in inquirers:
        inquirer_anonymise(inquirer, cause=cause, today=today)
    audit_record(
        actor=None,
        action=AuditEvent.Action.SYSTEM,
        changes={"retention_run": {**asdict(report), "today": str(today), "schedule": schedule()}},
    )
    return report
