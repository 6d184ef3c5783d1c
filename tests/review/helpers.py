"""Test data for the review tests: one synthetic woman registered twice, with her family,
and a full snapshot of a person record to prove that undo puts back exactly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models

from tests import factories
from tests.people.helpers import image_upload, link
from tests.tracing import helpers as tracing
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.people import services as people_services
from wayhome.people.models import (
    Citizenship,
    FamilyGroup,
    IdentityDocument,
    Person,
    PersonName,
    Photo,
    Relationship,
    Sex,
)
from wayhome.review import services
from wayhome.review.models import MatchCandidate
from wayhome.tracing.models import InformationReport, SoughtPerson, TracingRequest, Whereabouts

K = Relationship.Kind


def _rows(qs: models.QuerySet[Any]) -> list[dict[str, Any]]:
    """Every stored column of every row (but ``updated_at``), in id order."""
    return [
        {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
        | {"updated_at": None}
        for row in qs.order_by("pk")
    ]


def person_state(person: Person) -> dict[str, Any]:
    """Everything of one person record, as stored: the snapshot undo must restore."""
    pk = person.pk
    return {
        "person": _rows(Person.objects.filter(pk=pk)),
        "names": _rows(PersonName.objects.filter(person_id=pk)),
        "citizenships": _rows(Citizenship.objects.filter(person_id=pk)),
        "documents": _rows(IdentityDocument.objects.filter(person_id=pk)),
        "photos": _rows(Photo.objects.filter(person_id=pk)),
        "whereabouts": _rows(Whereabouts.objects.filter(person_id=pk)),
        "links_out": _rows(Relationship.objects.filter(from_person_id=pk)),
        "links_in": _rows(Relationship.objects.filter(to_person_id=pk)),
        "reports": sorted(
            InformationReport.objects.filter(persons=pk).values_list("pk", flat=True)
        ),
        "groups": sorted(FamilyGroup.objects.filter(members=pk).values_list("pk", flat=True)),
        "sought": _rows(SoughtPerson.objects.filter(person_id=pk)),
    }


@dataclass
class Twins:
    """Aisha registered from her mother's request (``keep``) and from a prison list
    (``absorb``), with everything a merge must move."""

    keep: Person
    absorb: Person
    grandmother: Person
    child: Person
    husband: Person
    request: TracingRequest
    both_request: TracingRequest
    group: FamilyGroup


def twins(actor: User) -> Twins:
    keep = factories.person(actor, "Aisha", "Naloyeva", Sex.FEMALE, birth=dt.date(1995, 4, 2))
    absorb = people_services.person_create(
        actor=actor,
        names=[
            people_services.NameData(full="عائشة نالوييفا"),
            people_services.NameData(given="Aisha", family="Naloeva", kind=PersonName.Kind.ALIAS),
        ],
        sex=Sex.UNKNOWN,
        birth_place="Khasavyurt (synthetic)",
    )
    grandmother = factories.person(actor, "Patimat", "Naloyeva", Sex.FEMALE)
    child = factories.person(actor, "Amir", "Testov", Sex.MALE, birth=dt.date(2016, 1, 5))
    husband = factories.person(actor, "Ruslan", "Primerov", Sex.MALE)
    ru = factories.country("RU", "Russia")
    people_services.citizenship_add(actor=actor, person=keep, country=ru)
    people_services.citizenship_add(
        actor=actor, person=absorb, country=ru, status=Citizenship.Status.VERIFIED, basis="list"
    )
    people_services.citizenship_add(
        actor=actor, person=absorb, country=factories.country("IQ", "Iraq")
    )
    people_services.document_add(
        actor=actor, person=absorb, kind=IdentityDocument.Kind.PASSPORT, number="SYN-0001"
    )
    people_services.photo_add(actor=actor, person=absorb, image=image_upload())
    link(actor, grandmother, keep, K.PARENT)
    link(actor, grandmother, absorb, K.PARENT)  # a duplicate once merged
    link(actor, absorb, child, K.PARENT)
    link(actor, husband, absorb, K.SPOUSE)
    link(actor, keep, absorb, K.SIBLING)  # a self-link once merged
    request = tracing.tracing_request(actor, sought=[keep])
    both_request = tracing.tracing_request(actor, sought=[keep, absorb])
    prison_list = tracing.report(
        actor, [absorb], channel=InformationReport.Channel.OFFICIAL_LIST, source="prison list"
    )
    tracing.entry(
        actor,
        absorb,
        status="detained",
        facility=factories.facility("Prison One", kind="prison", iso2="IQ"),
        reports=[prison_list],
    )
    tracing.report(actor, [keep, absorb])  # a report concerning both
    group = people_services.family_group_create(
        actor=actor, label="Naloyeva family", members=[absorb, child]
    )
    return Twins(keep, absorb, grandmother, child, husband, request, both_request, group)


def candidate(
    actor: User, left: Person, right: Person, score: float = 0.9, source: str = "import"
) -> MatchCandidate:
    return services.candidate_propose(
        actor=actor,
        left=left,
        right=right,
        score=score,
        explanation={"reasons": ["names agree"]},
        source=source,
    )


def family(actor: User) -> dict[str, Any]:
    """The mother twice, each with the same two children registered once per list."""
    fam: dict[str, Any] = {}
    for side, family_name in (("l", "Naloyeva"), ("r", "Налоева")):
        mother = factories.person(actor, "Aisha", family_name, Sex.FEMALE)
        son = factories.person(actor, "Adam", family_name[:-1], Sex.MALE)
        daughter = factories.person(actor, "Amina", family_name, Sex.FEMALE)
        for child in (son, daughter):
            link(actor, mother, child, K.PARENT)
        fam[side] = (mother, son, daughter)
    fam["mother"] = candidate(actor, fam["l"][0], fam["r"][0])
    fam["son"] = candidate(actor, fam["l"][1], fam["r"][1])
    fam["daughter"] = candidate(actor, fam["r"][2], fam["l"][2])
    return fam


def events(action: str, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("id"))
