"""Correcting and retracting placements and follow-up visits: versions with a reason,
retracted rows kept in the history but out of every count, and who may do it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.assertions import assert_forbidden
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.aftercare import selectors, services
from wayhome.aftercare.models import AftercareFile, FollowUp, Placement
from wayhome.audit.models import AuditEvent
from wayhome.core.versioning import StaleVersion
from wayhome.people.models import Person, Sex

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
TODAY = timezone.localdate()
RECEIVED = TODAY - dt.timedelta(days=90)


@pytest.fixture
def child(caseworker: User) -> Person:
    return factories.person(
        caseworker, given="Yusuf", family="Testov", sex=Sex.MALE, birth=dt.date(2016, 2, 1)
    )


@pytest.fixture
def file(caseworker: User, child: Person) -> AftercareFile:
    return services.file_open(
        actor=caseworker,
        person=child,
        reception=services.ReceptionData(received_on=RECEIVED, reception_place="Grozny airport"),
    )


def _grandmother(start: dt.date, name: str = "Khadizhat Testova") -> services.PlacementData:
    return services.PlacementData(
        kind=Placement.Kind.GRANDPARENTS,
        start_date=start,
        guardian_name=name,
        guardian_relationship="grandmother",
        guardian_phone="+7 900 000 00 01",
    )


def _two_placements(actor: User, file: AftercareFile) -> tuple[Placement, Placement]:
    first = services.placement_add(
        actor=actor,
        file=file,
        data=services.PlacementData(
            kind=Placement.Kind.MOTHER, start_date=RECEIVED + dt.timedelta(days=5)
        ),
    )
    second = services.placement_add(
        actor=actor, file=file, data=_grandmother(RECEIVED + dt.timedelta(days=20))
    )
    first.refresh_from_db()
    return first, second


# --- placements ---------------------------------------------------------------------------


def test_correcting_a_placement_keeps_the_old_values_and_the_reason(
    caseworker: User, file: AftercareFile
) -> None:
    first, second = _two_placements(caseworker, file)
    new_start = RECEIVED + dt.timedelta(days=15)
    services.placement_correct(
        actor=caseworker,
        placement=second,
        data=_grandmother(new_start, name="Khadizhat Testova-Alieva"),
        reason="Date and name misread from the handover sheet",
        expected_version=1,
    )
    second.refresh_from_db()
    assert (second.version, second.guardian_name) == (2, "Khadizhat Testova-Alieva")
    assert second.start_date == new_start
    event = AuditEvent.objects.filter(object_uuid=second.uuid, action="update").latest("id")
    assert event.reason == "Date and name misread from the handover sheet"
    assert event.changes["version"] == [1, 2]
    assert event.changes["start_date"] == [
        (RECEIVED + dt.timedelta(days=20)).isoformat(),
        new_start.isoformat(),
    ]
    # The placement before ended the day this one began: it follows the corrected date.
    first.refresh_from_db()
    assert first.end_date == new_start


def test_a_correction_needs_a_reason_and_the_version_read(
    caseworker: User, file: AftercareFile
) -> None:
    _first, second = _two_placements(caseworker, file)
    with pytest.raises(ValidationError, match="Say why"):
        services.placement_correct(
            actor=caseworker, placement=second, data=_grandmother(RECEIVED), reason="  "
        )
    services.placement_correct(
        actor=caseworker,
        placement=second,
        data=_grandmother(second.start_date, name="A. Testova"),
        reason="spelling",
        expected_version=1,
    )
    stale = Placement.objects.get(pk=second.pk)
    stale.version = 1  # an editor who opened the form before the first correction
    with pytest.raises(StaleVersion):
        services.placement_correct(
            actor=caseworker,
            placement=stale,
            data=_grandmother(second.start_date, name="B. Testova"),
            reason="spelling",
            expected_version=1,
        )
    assert Placement.objects.get(pk=second.pk).guardian_name == "A. Testova"


def test_a_correction_checks_the_dates(caseworker: User, file: AftercareFile) -> None:
    first, second = _two_placements(caseworker, file)
    with pytest.raises(ValidationError, match="before the start of the placement before"):
        services.placement_correct(
            actor=caseworker,
            placement=second,
            data=_grandmother(RECEIVED + dt.timedelta(days=1)),
            reason="x",
        )
    with pytest.raises(ValidationError, match="after it ended"):
        services.placement_correct(
            actor=caseworker,
            placement=first,
            data=services.PlacementData(
                kind=Placement.Kind.MOTHER, start_date=RECEIVED + dt.timedelta(days=25)
            ),
            reason="x",
        )


def test_retracting_the_current_placement_makes_the_one_before_current_again(
    caseworker: User, file: AftercareFile
) -> None:
    first, second = _two_placements(caseworker, file)
    assert selectors.current_placement(file) == second
    services.placement_retract(
        actor=caseworker, placement=second, reason="Entered on the wrong child's file"
    )
    second.refresh_from_db()
    assert second.is_retracted
    assert second.retracted_by == caseworker
    assert second.retraction_reason == "Entered on the wrong child's file"
    assert selectors.current_placement(file) == first
    first.refresh_from_db()
    assert first.end_date is None
    assert list(selectors.placements_of(file)) == [first]
    assert selectors.retracted_of(file) == [second]
    # Kept in the history with its reason, and the placement row itself still exists.
    history = selectors.file_history(file)
    assert history.filter(object_uuid=second.uuid, reason__contains="wrong child").exists()
    with pytest.raises(ValidationError, match="retracted"):
        services.placement_retract(actor=caseworker, placement=second, reason="again")
    with pytest.raises(ValidationError, match="retracted"):
        services.placement_correct(
            actor=caseworker, placement=second, data=_grandmother(RECEIVED), reason="x"
        )


def test_a_new_placement_ignores_a_retracted_one(caseworker: User, file: AftercareFile) -> None:
    _first, second = _two_placements(caseworker, file)
    services.placement_retract(actor=caseworker, placement=second, reason="never happened")
    # Before the retracted one's start: allowed, since only the mother's placement stands.
    third = services.placement_add(
        actor=caseworker, file=file, data=_grandmother(RECEIVED + dt.timedelta(days=10))
    )
    second.refresh_from_db()
    assert second.end_date is None  # a retracted row is never touched again
    assert selectors.current_placement(file) == third


# --- follow-up visits ---------------------------------------------------------------------


def test_a_retracted_overdue_visit_leaves_every_count(
    caseworker: User, users: dict[str, User], file: AftercareFile
) -> None:
    late = services.followup_schedule(
        actor=caseworker, file=file, due_on=TODAY - dt.timedelta(days=10)
    )
    services.followup_schedule(actor=caseworker, file=file, due_on=TODAY - dt.timedelta(days=40))
    assert selectors.overdue_count(caseworker) == 2
    assert selectors.overdue_by_band(users[Role.SUPERVISOR]) == {
        "week": 0,
        "month": 1,
        "longer": 1,
    }
    services.followup_retract(actor=caseworker, visit=late, reason="Planned twice by mistake")
    assert selectors.overdue_count(caseworker) == 1
    assert selectors.overdue_by_band(users[Role.SUPERVISOR]) == {
        "week": 0,
        "month": 0,
        "longer": 1,
    }
    assert late not in selectors.overdue_followups(caseworker)
    listed = selectors.files_listed(caseworker).get(pk=file.pk)
    assert listed.overdue == 1  # type: ignore[attr-defined]
    assert list(selectors.followups_of(file)) == [
        FollowUp.objects.get(file=file, retracted_at__isnull=True)
    ]
    assert FollowUp.objects.filter(pk=late.pk).exists()
    with pytest.raises(ValidationError, match="retracted"):
        services.followup_record(
            actor=caseworker, visit=late, visited_on=TODAY, outcome=FollowUp.Outcome.WELL
        )


def test_correcting_a_recorded_visit(caseworker: User, file: AftercareFile) -> None:
    visit = services.followup_schedule(
        actor=caseworker, file=file, due_on=TODAY - dt.timedelta(days=5)
    )
    services.followup_record(
        actor=caseworker,
        visit=visit,
        visited_on=TODAY - dt.timedelta(days=4),
        outcome=FollowUp.Outcome.WELL,
    )
    assert selectors.overdue_count(caseworker) == 0
    # Recorded on the wrong visit: undo the outcome, so it is planned (and overdue) again.
    services.followup_correct(
        actor=caseworker,
        visit=visit,
        data=services.VisitData(due_on=visit.due_on),
        reason="Outcome belonged to the sister's visit",
        expected_version=1,
    )
    visit.refresh_from_db()
    assert (visit.visited_on, visit.outcome, visit.version) == (None, "", 2)
    assert selectors.overdue_count(caseworker) == 1
    event = AuditEvent.objects.filter(object_uuid=visit.uuid).latest("id")
    assert event.reason == "Outcome belonged to the sister's visit"
    assert event.changes["outcome"] == ["well", ""]
    with pytest.raises(ValidationError, match="or neither"):
        services.followup_correct(
            actor=caseworker,
            visit=visit,
            data=services.VisitData(due_on=visit.due_on, visited_on=TODAY),
            reason="x",
        )
    with pytest.raises(ValidationError, match="future"):
        services.followup_correct(
            actor=caseworker,
            visit=visit,
            data=services.VisitData(
                due_on=visit.due_on,
                visited_on=TODAY + dt.timedelta(days=1),
                outcome=FollowUp.Outcome.WELL,
            ),
            reason="x",
        )
    with pytest.raises(ValidationError, match="of your agency"):
        services.followup_correct(
            actor=caseworker,
            visit=visit,
            data=services.VisitData(
                due_on=visit.due_on,
                assigned_to=factories.user(factories.agency("Other", "OTH"), Role.CASEWORKER),
            ),
            reason="x",
        )


def _visit_with_placement(actor: User, file: AftercareFile) -> tuple[Placement, FollowUp]:
    placement = services.placement_add(actor=actor, file=file, data=_grandmother(RECEIVED))
    visit = services.followup_schedule(actor=actor, file=file, due_on=TODAY)
    return placement, visit


def test_both_corrections_audit_one_new_version_with_the_reason(
    caseworker: User, file: AftercareFile
) -> None:
    """Placements and visits share one correction path: one save, one audit event."""
    placement, visit = _visit_with_placement(caseworker, file)
    services.placement_correct(
        actor=caseworker,
        placement=placement,
        data=replace(_grandmother(RECEIVED), guardian_relationship="aunt"),
        reason="  relationship  ",
        expected_version=1,
    )
    services.followup_correct(
        actor=caseworker,
        visit=visit,
        data=services.VisitData(due_on=TODAY - dt.timedelta(days=1)),
        reason="date",
        expected_version=1,
    )
    expected = [
        (placement.uuid, "guardian_relationship", ["grandmother", "aunt"], "relationship"),
        (
            visit.uuid,
            "due_on",
            [TODAY.isoformat(), (TODAY - dt.timedelta(days=1)).isoformat()],
            "date",
        ),
    ]
    for uuid, field, change, reason in expected:
        event = AuditEvent.objects.get(object_uuid=uuid, action="update")
        assert set(event.changes) == {field, "version"}
        assert event.changes["version"] == [1, 2]
        assert event.changes[field] == change
        assert event.reason == reason
        assert event.person_uuid == file.person.uuid


def test_a_refused_correction_writes_nothing(caseworker: User, file: AftercareFile) -> None:
    """A stale version or a failing check after the version is taken: no save, no event."""
    placement, visit = _visit_with_placement(caseworker, file)
    with pytest.raises(StaleVersion):
        services.followup_correct(
            actor=caseworker,
            visit=visit,
            data=services.VisitData(due_on=TODAY, notes="lost"),
            reason="x",
            expected_version=7,
        )
    with pytest.raises(ValidationError, match="future"):
        services.followup_correct(
            actor=caseworker,
            visit=FollowUp.objects.get(pk=visit.pk),
            data=services.VisitData(
                due_on=TODAY, visited_on=TODAY + dt.timedelta(days=1), outcome="well"
            ),
            reason="x",
            expected_version=1,
        )
    with pytest.raises(ValidationError, match="received"):
        services.placement_correct(
            actor=caseworker,
            placement=Placement.objects.get(pk=placement.pk),
            data=_grandmother(RECEIVED - dt.timedelta(days=1)),
            reason="x",
            expected_version=1,
        )
    assert FollowUp.objects.get(pk=visit.pk).version == 1
    assert FollowUp.objects.get(pk=visit.pk).notes == ""
    assert Placement.objects.get(pk=placement.pk).version == 1
    assert not AuditEvent.objects.filter(
        object_uuid__in=[visit.uuid, placement.uuid], action="update"
    ).exists()


@pytest.mark.parametrize("role", [Role.CONSULAR_OFFICER, Role.ANALYST, Role.AGENCY_ADMIN])
def test_roles_without_aftercare_edit_may_not_correct_or_retract(
    users: dict[str, User], caseworker: User, file: AftercareFile, role: str
) -> None:
    visit = services.followup_schedule(actor=caseworker, file=file, due_on=TODAY)
    placement = services.placement_add(actor=caseworker, file=file, data=_grandmother(RECEIVED))
    actor = users[role]
    with pytest.raises(PermissionDenied):
        services.followup_retract(actor=actor, visit=visit, reason="x")
    with pytest.raises(PermissionDenied):
        services.followup_correct(
            actor=actor, visit=visit, data=services.VisitData(due_on=TODAY), reason="x"
        )
    with pytest.raises(PermissionDenied):
        services.placement_retract(actor=actor, placement=placement, reason="x")
    with pytest.raises(PermissionDenied):
        services.placement_correct(
            actor=actor, placement=placement, data=_grandmother(RECEIVED), reason="x"
        )


def test_another_agency_may_not_retract(
    other_agency_user: User, caseworker: User, file: AftercareFile
) -> None:
    visit = services.followup_schedule(actor=caseworker, file=file, due_on=TODAY)
    with pytest.raises(ValidationError, match="another agency"):
        services.followup_retract(actor=other_agency_user, visit=visit, reason="x")
    visit.refresh_from_db()
    assert not visit.is_retracted


# --- pages --------------------------------------------------------------------------------


def test_caseworker_corrects_and_retracts_from_the_pages(
    caseworker: User, file: AftercareFile, client_for: Login
) -> None:
    _first, second = _two_placements(caseworker, file)
    visit = services.followup_schedule(
        actor=caseworker, file=file, due_on=TODAY - dt.timedelta(days=3)
    )
    client = client_for(caseworker)
    page = client.get(reverse("aftercare:file_detail", args=[file.uuid])).content.decode()
    assert reverse("aftercare:placement_correct", args=[second.uuid]) in page
    assert reverse("aftercare:followup_retract", args=[visit.uuid]) in page

    url = reverse("aftercare:placement_correct", args=[second.uuid])
    form = client.get(url)
    assert form.status_code == 200
    assert b"Khadizhat Testova" in form.content
    response = client.post(
        url,
        {
            "version": "1",
            "kind": Placement.Kind.GRANDPARENTS,
            "start_date": second.start_date.isoformat(),
            "guardian_name": "Khadizhat Alieva",
            "guardian_relationship": "grandmother",
            "guardian_phone": "+7 900 000 00 01",
            "reason": "Married name",
        },
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.guardian_name, second.version) == ("Khadizhat Alieva", 2)
    # The same form sent again carries the old version: refused, nothing written.
    again = client.post(
        url,
        {
            "version": "1",
            "kind": Placement.Kind.GRANDPARENTS,
            "start_date": second.start_date.isoformat(),
            "guardian_name": "Someone Else",
            "guardian_phone": "+7 900 000 00 01",
            "reason": "x",
        },
    )
    assert again.status_code == 200
    assert "Someone else changed this record" in again.content.decode()
    second.refresh_from_db()
    assert second.guardian_name == "Khadizhat Alieva"

    url = reverse("aftercare:followup_retract", args=[visit.uuid])
    assert client.post(url, {"reason": ""}).status_code == 200  # a reason is required
    assert not FollowUp.objects.get(pk=visit.pk).is_retracted
    assert client.post(url, {"reason": "Duplicate visit"}).status_code == 302
    visit.refresh_from_db()
    assert visit.is_retracted
    page = client.get(reverse("aftercare:file_detail", args=[file.uuid])).content.decode()
    assert "Duplicate visit" in page  # shown among the retracted, with the reason

    url = reverse("aftercare:followup_correct", args=[visit.uuid])
    retracted = client.post(url, {"version": "1", "due_on": TODAY.isoformat(), "reason": "x"})
    assert retracted.status_code == 200
    assert "retracted" in retracted.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "aftercare:placement_correct",
        "aftercare:placement_retract",
        "aftercare:followup_correct",
        "aftercare:followup_retract",
    ],
)
def test_pages_refuse_roles_without_aftercare_edit_and_other_agencies(
    name: str,
    users: dict[str, User],
    other_agency_user: User,
    caseworker: User,
    file: AftercareFile,
    client_for: Login,
) -> None:
    placement = services.placement_add(actor=caseworker, file=file, data=_grandmother(RECEIVED))
    visit = services.followup_schedule(actor=caseworker, file=file, due_on=TODAY)
    key = placement.uuid if "placement" in name else visit.uuid
    url = reverse(name, args=[key])
    for role in (Role.CONSULAR_OFFICER, Role.ANALYST, Role.SYSTEM_ADMIN):
        assert_forbidden(client_for(users[role]), url)
    foreign = client_for(other_agency_user)
    assert foreign.get(url).status_code == 404
    assert foreign.post(url, {"reason": "x"}).status_code == 404
    assert client_for(users[Role.SUPERVISOR]).get(url).status_code == 200
    placement.refresh_from_db()
    visit.refresh_from_db()
    assert not placement.is_retracted
    assert not visit.is_retracted
