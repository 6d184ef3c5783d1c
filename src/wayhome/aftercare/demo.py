"""Demo aftercare: files for some of the demo NGO's returnees, with placements, services
and follow-up visits, a few of them overdue. Synthetic and deterministic."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.core.exceptions import ValidationError
from django.utils import timezone

from wayhome.accounts.models import User
from wayhome.aftercare import services
from wayhome.aftercare.models import AftercareFile, FollowUp, Placement, SupportService
from wayhome.people.models import Person, Status

FILES = 12
PROVIDERS = {
    SupportService.Kind.PSYCHOLOGICAL: "Regional centre for psychological support (demo)",
    SupportService.Kind.SCHOOLING: "School No. 3 (demo)",
    SupportService.Kind.REHABILITATION: "Reintegration programme of the ombudsperson (demo)",
}


def _returnees(actor: User) -> list[Person]:
    """The demo NGO's repatriated persons without a file (released ones if none are)."""
    base = Person.objects.filter(agency_id=actor.agency_key, merged_into__isnull=True).exclude(
        aftercare_files__isnull=False
    )
    found = list(base.filter(current_status=Status.REPATRIATED).order_by("id")[:FILES])
    return found or list(base.filter(current_status=Status.RELEASED).order_by("id")[:FILES])


def _fill(actor: User, person: Person, i: int, today: dt.date) -> None:
    received = max(person.current_since or today, today - dt.timedelta(days=200 - 10 * i))
    received = min(received, today)
    file = services.file_open(
        actor=actor,
        person=person,
        reception=services.ReceptionData(
            received_on=received,
            reception_place=("Grozny airport", "Makhachkala airport")[i % 2],
            medical_check_on=received if i % 3 else None,
            documents_issued="birth certificate" if i % 2 else "",
        ),
    )
    kind = (Placement.Kind.MOTHER, Placement.Kind.GRANDPARENTS, Placement.Kind.GUARDIAN)[i % 3]
    carer = kind != Placement.Kind.MOTHER
    services.placement_add(
        actor=actor,
        file=file,
        data=services.PlacementData(
            kind=kind,
            start_date=received,
            guardian_name=f"Demo guardian {i + 1}" if carer else "",
            guardian_relationship="grandmother" if kind == Placement.Kind.GRANDPARENTS else "",
            guardian_phone=f"+7 900 000-{i:02d}-00" if carer else "",
            guardian_consent_on=received if carer and i % 2 else None,
        ),
    )
    service_kind = list(PROVIDERS)[i % len(PROVIDERS)]
    services.service_add(
        actor=actor,
        file=file,
        data=services.ServiceData(
            kind=service_kind, provider=PROVIDERS[service_kind], started_on=received
        ),
    )
    # Every third file has a visit overdue; the others have one coming up.
    due = today - dt.timedelta(days=3 + i) if i % 3 == 0 else today + dt.timedelta(days=7 + i)
    services.followup_schedule(actor=actor, file=file, due_on=max(due, received))
    if i % 4 == 1:
        visit = services.followup_schedule(actor=actor, file=file, due_on=received)
        services.followup_record(
            actor=actor, visit=visit, visited_on=received, outcome=FollowUp.Outcome.WELL
        )


def load_demo(stdout: TextIO) -> None:
    actor = User.objects.filter(username="ngo-caseworker").first()
    if actor is None or AftercareFile.objects.exists():
        return
    today = timezone.localdate()
    opened = 0
    for i, person in enumerate(_returnees(actor)):
        try:
            _fill(actor, person, i, today)
        except ValidationError:
            continue  # a synthetic record whose dates do not allow it: skip it
        opened += 1
    stdout.write(f"{opened} aftercare files opened for returnees.")
