"""The manifest rules on real-shaped flights: families kept together, seats, children
without a mother or guardian on board, what is still missing per person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.operations import builders as b
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.core.signals import Milestone, milestone_reached
from wayhome.operations import manifest, services
from wayhome.operations.models import ManifestLine, Operation
from wayhome.people import services as people_services
from wayhome.people.models import Relationship, Sex
from wayhome.repatriation.models import CaseMember, CaseStep, RepatriationCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(users: dict[str, User]) -> User:
    return users["supervisor"]


@pytest.fixture
def heard() -> Any:
    """The milestones sent, as (milestone, person pk, key)."""
    got: list[tuple[str, int, str]] = []

    def receiver(sender: Any, person: Any, milestone: str, key: str, **kw: Any) -> None:
        got.append((milestone, person.pk, key))

    milestone_reached.connect(receiver, weak=False, dispatch_uid="ops-test")
    yield got
    milestone_reached.disconnect(dispatch_uid="ops-test")


def test_a_flight_of_24_women_with_74_children_fits_and_confirms(
    supervisor: User, heard: list[tuple[str, int, str]], django_capture_on_commit_callbacks: Any
) -> None:
    # 22 mothers with 3 children and 2 with 4: 24 women, 74 children, 98 seats.
    families = [b.family(supervisor, f"Testova{i}", 4 if i < 2 else 3) for i in range(24)]
    op = b.flight(supervisor, capacity=98)
    for fam in families:
        services.operation_case_add(actor=supervisor, operation=op, case=fam.case)
    m = manifest.build(op)
    assert (m.seats, m.women, m.children) == (98, 24, 74)
    assert m.splits == []
    assert m.unaccompanied == []
    assert m.over_capacity == 0
    # Each family sits together, mother first.
    first = [t for t in m.travellers if t.case.pk == families[0].case.pk]
    assert [t.person for t in first] == families[0].persons
    with django_capture_on_commit_callbacks(execute=True):
        services.operation_confirm(actor=supervisor, operation=op)
        assert heard == []  # nothing is sent before the transaction commits
    op.refresh_from_db()
    assert op.status == Operation.State.CONFIRMED
    assert ManifestLine.objects.filter(operation=op).count() == 98
    assert {c.stage for c in RepatriationCase.objects.all()} == {RepatriationCase.Stage.SCHEDULED}
    assert len(heard) == 98
    assert {h[0] for h in heard} == {Milestone.ON_FLIGHT}
    assert len({h[1] for h in heard}) == 98  # every traveller's relatives are reached
    # One occurrence for the whole flight: a relative seeking a mother and her children
    # gets one notice, not one per child (tests/test_milestones.py).
    assert {h[2] for h in heard} == {f"on_flight:{op.uuid}"}


def test_ready_children_cannot_leave_a_mother_whose_case_is_not_ready(supervisor: User) -> None:
    mother = b.person(supervisor, "Zarema", "Testova", Sex.FEMALE, dt.date(1990, 1, 1))
    kids = [
        b.person(supervisor, "Adam", "Testov", Sex.MALE, dt.date(2015, 1, 1)),
        b.person(supervisor, "Saida", "Testova", Sex.FEMALE, dt.date(2017, 1, 1)),
    ]
    for kid in kids:
        b.link_mother(supervisor, mother, kid)
    b.case_for(supervisor, [mother], stage=RepatriationCase.Stage.IN_PROGRESS)
    children_case = b.case_for(supervisor, kids)
    op = b.flight(supervisor)
    with pytest.raises(ValidationError) as exc:
        services.operation_case_add(actor=supervisor, operation=op, case=children_case)
    text = " ".join(exc.value.messages)
    assert children_case.reference in text
    assert "mother" in text
    assert "Zarema" not in text  # messages never name the person
    assert op.case_links.count() == 0

    # The case records that they may travel apart (with its reason): now allowed.
    CaseMember.objects.filter(case=children_case).update(
        may_travel_separately=True, separation_reason="Mother on trial; consents in writing"
    )
    services.operation_case_add(actor=supervisor, operation=op, case=children_case)
    assert manifest.build(op).splits == []


def test_a_mother_staying_in_the_same_case_needs_the_case_to_say_so(supervisor: User) -> None:
    fam = b.family(supervisor, "Testova", 2)
    CaseMember.objects.filter(case=fam.case, person=fam.mother).update(travels=False)
    op = b.flight(supervisor)
    with pytest.raises(ValidationError):
        services.operation_case_add(actor=supervisor, operation=op, case=fam.case)
    # Sentenced to life, she consents for her children: her membership says so.
    CaseMember.objects.filter(case=fam.case, person=fam.mother).update(
        may_travel_separately=True, separation_reason="Sentenced to life; consents"
    )
    services.operation_case_add(actor=supervisor, operation=op, case=fam.case)
    m = manifest.build(op)
    assert [t.person for t in m.travellers] == fam.children
    # Two children with no mother or guardian on board are flagged, not refused...
    assert {t.person for t in m.unaccompanied} == set(fam.children)
    # ...but the manifest is confirmed only once escorts are named.
    with pytest.raises(ValidationError, match="escorts"):
        services.operation_confirm(actor=supervisor, operation=op)
    op.escorts = "Ombudsperson's staff member (escort)\nPaediatric nurse"
    op.save()
    services.operation_confirm(actor=supervisor, operation=op)


def test_siblings_in_two_ready_cases_must_fly_together(supervisor: User) -> None:
    fam = b.family(supervisor, "Testova", 3)
    # The mother died; her children were split into two cases by mistake.
    b.record_death(supervisor, fam.mother)
    op = b.flight(supervisor)
    first = b.case_for(supervisor, fam.children[:2])
    second = b.case_for(supervisor, fam.children[2:])
    RepatriationCase.objects.filter(pk=fam.case.pk).update(stage=RepatriationCase.Stage.CLOSED)
    CaseMember.objects.filter(case=first).update(may_travel_separately=False, separation_reason="")
    services.operation_case_add(actor=supervisor, operation=op, case=first)  # resolvable
    m = manifest.build(op)
    assert m.splits
    assert all(s.resolvable for s in m.splits)
    assert {s.joinable_case for s in m.splits} == {second}
    with pytest.raises(ValidationError, match=second.reference):
        services.operation_confirm(actor=supervisor, operation=op)
    services.operation_case_add(actor=supervisor, operation=op, case=second)
    assert manifest.build(op).splits == []


def test_a_reader_sees_their_travellers_and_splits_and_counts_the_rest(
    supervisor: User,
) -> None:
    fam = b.family(supervisor, "Testova", 3)
    b.record_death(supervisor, fam.mother)
    op = b.flight(supervisor)
    first = b.case_for(supervisor, fam.children[:2])
    b.case_for(supervisor, fam.children[2:])  # ready, not on the flight: a resolvable split
    RepatriationCase.objects.filter(pk=fam.case.pk).update(stage=RepatriationCase.Stage.CLOSED)
    CaseMember.objects.filter(case=first).update(may_travel_separately=False, separation_reason="")
    services.operation_case_add(actor=supervisor, operation=op, case=first)
    other = b.family(supervisor, "Primerova", 1)
    services.operation_case_add(actor=supervisor, operation=op, case=other.case)
    whole = manifest.build(op)
    assert whole.whole
    assert whole.seats == 4
    assert len(whole.splits) == 2  # both children on board leave their sibling behind
    one, two = fam.children[:2]
    # A reader who may see the two children and their case, not the sibling left
    # behind nor the other family: the splits name the sibling, so they are withheld.
    seen = whole.seen_by({one.pk, two.pk}, {first.pk})
    assert [t.person for t in seen.travellers] == [one, two]
    assert seen.splits == []
    assert (len(seen.withheld), seen.withheld_splits, seen.withheld_cases) == (2, 2, 1)
    assert not seen.whole
    assert not seen.can_confirm
    assert (seen.seats, seen.children, seen.women) == (whole.seats, whole.children, whole.women)
    sibling = fam.children[2]
    assert len(whole.seen_by({one.pk, two.pk, sibling.pk}, {first.pk}).splits) == 2


def test_capacity_exceeded_is_refused(supervisor: User) -> None:
    small = b.family(supervisor, "Testova", 2)
    big = b.family(supervisor, "Primerova", 3)
    op = b.flight(supervisor, capacity=5)
    services.operation_case_add(actor=supervisor, operation=op, case=small.case)
    with pytest.raises(ValidationError, match="Capacity exceeded: this case needs 4 seats; 2 of 5"):
        services.operation_case_add(actor=supervisor, operation=op, case=big.case)
    assert manifest.build(op).seats == 3
    # Nor can the capacity drop below the travellers already on board.
    data = services.OperationData(
        kind=op.kind,
        label=op.label,
        planned_on=op.planned_on,
        from_country=op.from_country,
        handover_point=op.handover_point,
        to_country=op.to_country,
        arrival_point=op.arrival_point,
        capacity=2,
    )
    with pytest.raises(ValidationError):
        services.operation_update(actor=supervisor, operation=op, data=data)
    op.refresh_from_db()
    assert op.capacity == 5


def test_an_unaccompanied_minor_is_flagged_and_a_guardian_on_board_clears_it(
    supervisor: User,
) -> None:
    # A child with no living parent travelling alone...
    orphan = b.person(supervisor, "Yusuf", "Sirotin", Sex.MALE, dt.date(2016, 2, 2))
    alone = b.case_for(supervisor, [orphan])
    op = b.flight(supervisor)
    services.operation_case_add(actor=supervisor, operation=op, case=alone)
    assert [t.person for t in manifest.build(op).unaccompanied] == [orphan]
    # ...is accompanied once the aunt who is his recorded guardian is on board.
    aunt = b.person(supervisor, "Luiza", "Sirotina", Sex.FEMALE, dt.date(1985, 1, 1))
    people_services.relationship_create(
        actor=supervisor, from_person=aunt, to_person=orphan, kind=Relationship.Kind.GUARDIAN
    )
    services.operation_case_add(actor=supervisor, operation=op, case=b.case_for(supervisor, [aunt]))
    assert manifest.build(op).unaccompanied == []


def test_only_ready_cases_of_ones_agency_on_no_other_operation(
    supervisor: User, other_agency_user: User
) -> None:
    fam = b.family(supervisor, "Testova", 1, stage=RepatriationCase.Stage.IN_PROGRESS)
    op = b.flight(supervisor)
    with pytest.raises(ValidationError, match="not ready"):
        services.operation_case_add(actor=supervisor, operation=op, case=fam.case)
    ready = b.family(supervisor, "Primerova", 1)
    services.operation_case_add(actor=supervisor, operation=op, case=ready.case)
    other_op = b.flight(supervisor)
    with pytest.raises(ValidationError, match="another operation"):
        services.operation_case_add(actor=supervisor, operation=other_op, case=ready.case)
    foreign = b.flight(other_agency_user)
    with pytest.raises(ValidationError):
        services.operation_case_add(actor=supervisor, operation=foreign, case=ready.case)


def test_missing_items_are_listed_per_person(supervisor: User) -> None:
    fam = b.family(supervisor, "Testova", 1)
    child_member = CaseMember.objects.get(case=fam.case, person=fam.children[0])
    CaseStep.objects.create(
        member=child_member,
        code="court-order",
        label="Iraqi court order",
        status=CaseStep.Status.BLOCKED,
        blocker="court order pending since 12 March",
    )
    op = b.flight(supervisor)
    services.operation_case_add(actor=supervisor, operation=op, case=fam.case)
    by_person = {t.person: t.missing for t in manifest.build(op).travellers}
    assert by_person[fam.children[0]] == ["Iraqi court order: court order pending since 12 March"]
    assert by_person[fam.mother] == []


def test_cancelling_makes_scheduled_cases_ready_again(supervisor: User) -> None:
    fam = b.family(supervisor, "Testova", 1)
    op = b.flight(supervisor)
    services.operation_case_add(actor=supervisor, operation=op, case=fam.case)
    services.operation_confirm(actor=supervisor, operation=op)
    with pytest.raises(ValidationError):
        services.operation_cancel(actor=supervisor, operation=op, reason=" ")
    services.operation_cancel(actor=supervisor, operation=op, reason="Airport closed")
    fam.case.refresh_from_db()
    assert fam.case.stage == RepatriationCase.Stage.READY
    # Through the repatriation app's named transition, with its reason.
    event = AuditEvent.objects.filter(object_uuid=fam.case.uuid).latest("id")
    assert event.reason == str(RepatriationCase.ReadyAgain.OPERATION_CANCELLED.label)
    services.operation_case_add(actor=supervisor, operation=b.flight(supervisor), case=fam.case)
