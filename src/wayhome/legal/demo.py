"""Demo legal cases: the Bobozoda mother's sentence in Baghdad, a trial with a hearing
coming up, a home-country sentence deferred until the children come of age.

Synthetic people only (the showcase and seeded persons); deterministic.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TextIO

from django.db.models import Q
from django.utils import timezone

from wayhome.accounts.models import User
from wayhome.legal import services
from wayhome.legal.models import LegalCase
from wayhome.people.models import FamilyGroup, Person, Sex, Status
from wayhome.places.models import Country


def _showcase_mother(actor: User, label: str) -> Person | None:
    group = FamilyGroup.objects.filter(agency_id=actor.agency_key, label=label).first()
    if group is None:
        return None
    return group.members.filter(sex=Sex.FEMALE).order_by("birth_earliest", "id").first()


def load_demo(stdout: TextIO) -> None:
    actor = User.objects.filter(username="ngo-legal-officer").first()
    if actor is None or LegalCase.objects.filter(agency_id=actor.agency_key).exists():
        return
    iraq = Country.objects.get(iso2="IQ")
    today = timezone.localdate()
    made = 0
    mother = _showcase_mother(actor, "Bobozoda family (showcase)")
    if mother is not None:
        source = mother.reports.order_by("received_on").first()
        case = services.legal_case_create(
            actor=actor,
            person=mother,
            country=iraq,
            court="Central Criminal Court of Iraq, Baghdad (synthetic)",
            case_number="DEMO-2018-0113",
            charges="Membership of a terrorist organisation (illegal entry) — synthetic",
            status=LegalCase.Status.ON_TRIAL,
            lawyer="Court-appointed lawyer (met her once at the hearing)",
            source=source,
        )
        services.hearing_add(
            actor=actor,
            case=case,
            date=dt.date(2018, 1, 15),
            purpose="Trial",
            outcome="Heard in one session, about ten minutes; no interpreter.",
            source=source,
        )
        services.verdict_record(
            actor=actor,
            case=case,
            verdict=LegalCase.Verdict.GUILTY,
            verdict_on=dt.date(2018, 1, 15),
            sentence_kind=LegalCase.SentenceKind.YEARS,
            sentence_years=Decimal(20),
            source=source,
        )
        services.conditions_report(
            actor=actor,
            case=case,
            reported_on=dt.date(2018, 9, 3),
            conditions="About 100 women to a cell; children under three with their mothers.",
            source=source,
        )
        made += 1
    # Seeded women held in Iraq: one awaiting sentence with a hearing ahead and a lawyer
    # asking a fee, one with a home-country sentence deferred until the children are grown.
    held = Person.objects.filter(
        Q(current_status=Status.DETAINED) | Q(current_status=Status.ON_TRIAL),
        agency_id=actor.agency_key,
        sex=Sex.FEMALE,
        merged_into__isnull=True,
    ).order_by("id")
    for i, person in enumerate(held[:2]):
        if i == 0:
            case = services.legal_case_create(
                actor=actor,
                person=person,
                country=iraq,
                court="Juvenile and family court, Baghdad (synthetic)",
                charges="Illegal entry — synthetic",
                status=LegalCase.Status.AWAITING_SENTENCE,
                lawyer="Private lawyer (synthetic)",
                lawyer_fee=Decimal(23000),
                lawyer_fee_currency="USD",
            )
            services.hearing_add(
                actor=actor,
                case=case,
                date=today + dt.timedelta(days=18),
                purpose="Sentencing",
            )
        else:
            home = person.citizenships.select_related("country").first()
            case = services.legal_case_create(
                actor=actor,
                person=person,
                country=home.country if home else iraq,
                jurisdiction=LegalCase.Jurisdiction.HOME,
                court="Regional court at home (synthetic)",
                charges="Participation in an armed group abroad — synthetic",
                status=LegalCase.Status.ON_TRIAL,
            )
            services.verdict_record(
                actor=actor,
                case=case,
                verdict=LegalCase.Verdict.GUILTY,
                verdict_on=today - dt.timedelta(days=40),
                sentence_kind=LegalCase.SentenceKind.YEARS,
                sentence_years=Decimal(6),
                sentence_deferred_until=today + dt.timedelta(days=365 * 9),
                sentence_deferred_reason="until the youngest child is 14",
            )
        made += 1
    stdout.write(f"{made} demo legal cases recorded.")
