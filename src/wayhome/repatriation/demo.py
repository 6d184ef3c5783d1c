"""Demo repatriation cases in various states, on the showcase and seeded families:

- the Elmurzaev wife and children (al-Hol): every step done, ready to travel;
- the Bobozoda children (Roj), their mother sentenced in Baghdad: she consents from
  prison, a DNA test is pending, so the case is in progress;
- a seeded mother in Iraq who refuses to let her children go: blocked;
- a seeded child with no known parent: consent must come from an Iraqi court.

Synthetic people only; deterministic.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.db.models import Count
from django.utils import timezone

from wayhome.accounts.models import User
from wayhome.people.models import FamilyGroup, Person, Relationship, Sex, Status
from wayhome.repatriation import services
from wayhome.repatriation.models import CaseMember, CaseStep, ConsentDecision, RepatriationCase
from wayhome.repatriation.selectors import rule_sets_usable_by


def _group(actor: User, label: str) -> FamilyGroup | None:
    return FamilyGroup.objects.filter(agency_id=actor.agency_key, label=label).first()


def _finish(actor: User, case: RepatriationCase, skip: frozenset[str] = frozenset()) -> None:
    steps = CaseStep.objects.filter(member__case=case, status=CaseStep.Status.PENDING)
    for step in steps.order_by("id"):
        if step.detail.get("kind") != "consent" and step.code not in skip:
            services.step_update(actor=actor, step=step, status=CaseStep.Status.DONE)


def _consent(
    actor: User, case: RepatriationCase, parent: Person, decision: str, on: dt.date
) -> None:
    children = [m for m in case.members.all() if m.person_id != parent.pk]
    services.consent_record(
        actor=actor,
        case=case,
        children=children,
        giver_kind=ConsentDecision.Giver.PARENT,
        given_by=parent,
        decision=decision,
        decided_on=on,
    )


def load_demo(stdout: TextIO) -> None:
    actor = User.objects.filter(username="ngo-caseworker").first()
    if actor is None or RepatriationCase.objects.filter(agency_id=actor.agency_key).exists():
        return
    routes = {rs.slug: rs for rs in rule_sets_usable_by(actor)}
    today = timezone.localdate()
    made = 0
    busy = set(CaseMember.objects.values_list("person_id", flat=True))

    elmurzaev = _group(actor, "Elmurzaev family (showcase)")
    if elmurzaev is not None:
        in_camp = [p for p in elmurzaev.members.order_by("id") if p.current_status == "in_camp"]
        if in_camp:
            case = services.case_open(
                actor=actor,
                rule_set=routes["north-east-syria"],
                persons=in_camp,
                principal=min(in_camp, key=lambda p: p.birth_earliest or today),
                family_group=elmurzaev,
            )
            mother = case.members.get(is_principal=True).person
            _consent(actor, case, mother, ConsentDecision.Decision.GIVEN, today)
            _finish(actor, case)
            services.case_mark_ready(actor=actor, case=case)
            busy |= {p.pk for p in in_camp}
            made += 1

    bobozoda = _group(actor, "Bobozoda family (showcase)")
    if bobozoda is not None:
        members = list(bobozoda.members.order_by("birth_earliest", "id"))
        mother, children = members[0], members[1:]
        case = services.case_open(
            actor=actor,
            rule_set=routes["north-east-syria"],
            persons=children,
            principal=children[0],
            family_group=bobozoda,
            notes="The mother is serving a sentence in Baghdad; she consents from prison.",
        )
        _consent(actor, case, mother, ConsentDecision.Decision.GIVEN, dt.date(2019, 9, 12))
        _finish(actor, case, skip=frozenset({"kinship", "travel_document"}))
        for step in CaseStep.objects.filter(member__case=case, code="kinship").order_by("id"):
            services.step_update(
                actor=actor,
                step=step,
                status=CaseStep.Status.BLOCKED,
                blocker="DNA test result pending",
                since=today - dt.timedelta(days=21),
            )
        busy |= {p.pk for p in members}
        made += 1

    # A seeded mother with two or more children, none of them in a case yet: she refuses.
    mothers = (
        Person.objects.filter(agency_id=actor.agency_key, sex=Sex.FEMALE, merged_into__isnull=True)
        .exclude(pk__in=busy)
        .annotate(n=Count("links_out"))
        .filter(n__gte=2, links_out__kind=Relationship.Kind.PARENT)
        .order_by("id")
    )
    for mother in mothers[:10]:
        kids = [
            r.to_person
            for r in mother.links_out.filter(kind=Relationship.Kind.PARENT).order_by("id")
            if r.to_person_id not in busy and r.to_person.merged_into_id is None
        ]
        if len(kids) < 2:
            continue
        case = services.case_open(
            actor=actor, rule_set=routes["iraq"], persons=[mother, *kids], principal=mother
        )
        _consent(
            actor, case, mother, ConsentDecision.Decision.REFUSED, today - dt.timedelta(days=9)
        )
        busy |= {mother.pk, *(k.pk for k in kids)}
        made += 1
        break

    # A seeded child with no parent on record (or none alive): consent from the court.
    with_living_parent = (
        Relationship.objects.filter(kind=Relationship.Kind.PARENT)
        .exclude(from_person__current_status=Status.DECEASED)
        .values("to_person_id")
    )
    orphan = (
        Person.objects.filter(
            agency_id=actor.agency_key,
            merged_into__isnull=True,
            birth_earliest__gte=today.replace(year=today.year - 15),
        )
        .exclude(pk__in=with_living_parent)
        .exclude(pk__in=busy)
        .order_by("id")
        .first()
    )
    if orphan is not None:
        case = services.case_open(actor=actor, rule_set=routes["iraq"], persons=[orphan])
        court = CaseStep.objects.filter(member__case=case, code="court_order").first()
        if court is not None:
            services.step_update(
                actor=actor,
                step=court,
                status=CaseStep.Status.BLOCKED,
                blocker="court order pending",
                since=today - dt.timedelta(days=45),
            )
        made += 1
    stdout.write(f"{made} demo repatriation cases opened.")
