"""Real-shaped families and ready repatriation cases for the operations tests.

Persons and family links go through the people services; the repatriation rows are
written directly (the repatriation app's own services are its business), shaped as a
case worker leaves them: a rule set for the route, a case, its members.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.utils import timezone

from tests import factories
from wayhome.accounts.models import User
from wayhome.operations import services
from wayhome.operations.models import Operation
from wayhome.people import services as people_services
from wayhome.people.models import Person, Relationship, Sex, Status
from wayhome.repatriation.models import CaseMember, RepatriationCase, RuleSet
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import InformationReport

_refs = itertools.count(1)
GIVEN_F = ["Aminat", "Patimat", "Zarema", "Madina", "Khadizhat", "Saida", "Luiza", "Fatima"]
GIVEN_M = ["Magomed", "Ibragim", "Adam", "Umar", "Said", "Ali", "Yusuf", "Khamzat"]


def rule_set() -> RuleSet:
    iraq = factories.country("IQ", "Iraq")
    found = RuleSet.objects.filter(slug="iraq-test").first()
    if found is not None:
        return found
    return RuleSet.objects.create(
        slug="iraq-test",
        name="Iraq (test)",
        host_country=iraq,
        version=1,
        status=RuleSet.Status.ACTIVE,
    )


@dataclass
class Family:
    mother: Person
    children: list[Person]
    case: RepatriationCase

    @property
    def persons(self) -> list[Person]:
        return [self.mother, *self.children]


def person(actor: User, given: str, family: str, sex: str, born: dt.date) -> Person:
    return factories.person(actor, given=given, family=family, sex=sex, birth=born)


def link_mother(actor: User, mother: Person, child: Person) -> None:
    people_services.relationship_create(
        actor=actor, from_person=mother, to_person=child, kind=Relationship.Kind.PARENT
    )


def case_for(
    actor: User,
    persons: list[Person],
    *,
    stage: str = RepatriationCase.Stage.READY,
    staying: tuple[Person, ...] = (),
    apart: tuple[Person, ...] = (),
) -> RepatriationCase:
    case = RepatriationCase.objects.create(
        agency_id=actor.agency_key,
        created_by=actor,
        reference=f"RC-{next(_refs):04d}",
        rule_set=rule_set(),
        stage=stage,
    )
    for i, p in enumerate(persons):
        CaseMember.objects.create(
            case=case,
            person=p,
            is_principal=i == 0,
            travels=p not in staying,
            may_travel_separately=p in apart,
            separation_reason="Mother sentenced to life; consents in writing" if p in apart else "",
        )
    return case


def family(
    actor: User,
    surname: str,
    n_children: int,
    *,
    stage: str = RepatriationCase.Stage.READY,
) -> Family:
    """A mother born 1992 and her children born from 2014 on, linked, in one case."""
    mother = person(actor, GIVEN_F[len(surname) % 8], surname, Sex.FEMALE, dt.date(1992, 3, 1))
    children = []
    for i in range(n_children):
        sex = Sex.MALE if i % 2 == 0 else Sex.FEMALE
        given = (GIVEN_M if sex == Sex.MALE else GIVEN_F)[i % 8]
        child = person(actor, given, surname, sex, dt.date(2014 + i, 5, 1 + i))
        link_mother(actor, mother, child)
        children.append(child)
    return Family(mother, children, case_for(actor, [mother, *children], stage=stage))


def flight(actor: User, capacity: int = 98, days_ago: int = 1, escorts: str = "") -> Operation:
    return services.operation_create(
        actor=actor,
        data=services.OperationData(
            kind=Operation.Kind.FLIGHT,
            label="Charter flight Baghdad-Grozny (test)",
            planned_on=timezone.localdate() - dt.timedelta(days=days_ago),
            from_country=factories.country("IQ", "Iraq"),
            handover_point="Baghdad airport",
            to_country=factories.country("RU", "Russia"),
            arrival_point="Grozny airport",
            capacity=capacity,
            escorts=escorts,
        ),
    )


def record_death(actor: User, p: Person) -> None:
    tracing_services.whereabouts_add(
        actor=actor,
        person=p,
        entry=tracing_services.EntryData(status=Status.DECEASED, start_date=dt.date(2019, 3, 1)),
        new_report=tracing_services.ReportData(
            received_on=dt.date(2019, 4, 1),
            channel=InformationReport.Channel.RELATIVE_CALL,
            source="the grandmother",
            summary="Died in al-Hol camp (synthetic).",
        ),
    )
