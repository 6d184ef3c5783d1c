"""Need-to-know by team: who sees which of the agency's records, and the matcher's hint."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.accounts.conftest import World
from tests.matching.helpers import person
from tests.review.helpers import candidate
from tests.tracing import helpers as tracing
from wayhome.accounts import assignment
from wayhome.accounts.models import Agency, Team, User
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.matching.models import RequestRanking
from wayhome.matching.requests import request_candidates
from wayhome.matching.selectors import candidate_search
from wayhome.people import selectors as people_sel
from wayhome.people.models import Person
from wayhome.review import selectors as review_sel
from wayhome.tracing import selectors as tracing_sel
from wayhome.web.selectors import dashboard_for


def _visible(user: User) -> set[Person]:
    return set(people_sel.persons_visible_to(user))


def test_each_team_sees_its_own_the_unassigned_and_supervisors_everything(world: World) -> None:
    w = world
    assert _visible(w.north_worker) == {w.north_person, w.loose_person}
    assert _visible(w.south_worker) == {w.south_person, w.loose_person}
    assert _visible(w.supervisor) == {w.north_person, w.south_person, w.loose_person}


def test_switched_off_everyone_sees_the_agency(world: World) -> None:
    assignment.need_to_know_set(actor=world.supervisor, enabled=False)
    world.north_worker.refresh_from_db()
    assert world.south_person in _visible(world.north_worker)


def test_assigned_by_name_is_visible_without_the_team(world: World) -> None:
    w = world
    assignment.person_assign(
        actor=w.supervisor, person=w.south_person, team=w.south, assigned_to=w.north_worker
    )
    assert w.south_person in _visible(w.north_worker)


def test_sought_persons_follow_their_request_and_requests_inquirers_are_scoped(
    world: World,
) -> None:
    w = world
    w.south_person.refresh_from_db()
    assert w.south_person.team == w.south
    assert set(tracing_sel.requests_visible_to(w.south_worker)) == {w.south_request}
    assert not tracing_sel.requests_visible_to(w.north_worker).exists()
    assert w.south_request.inquirer in tracing_sel.inquirers_visible_to(w.south_worker)
    assert w.south_request.inquirer not in tracing_sel.inquirers_visible_to(w.north_worker)


def test_a_person_another_team_holds_does_not_follow_a_request(world: World) -> None:
    w = world
    request = tracing.tracing_request(w.supervisor, [w.north_person])
    moved = assignment.request_assign(
        actor=w.supervisor, request=request, team=w.south, assigned_to=None
    )
    assert moved == []
    w.north_person.refresh_from_db()
    assert w.north_person.team == w.north


def test_reports_and_whereabouts_follow_the_persons(world: World) -> None:
    w = world
    south_entry = tracing.entry(w.supervisor, w.south_person)
    shared = tracing.report(w.supervisor, [w.south_person, w.north_person])
    assert south_entry not in tracing_sel.whereabouts_visible_to(w.north_worker)
    assert south_entry in tracing_sel.whereabouts_visible_to(w.south_worker)
    assert shared in tracing_sel.reports_visible_to(w.north_worker)
    assert list(tracing_sel.report_persons(w.north_worker, shared)) == [w.north_person]
    south_only = south_entry.reports.get()
    assert south_only not in tracing_sel.reports_visible_to(w.north_worker)


def test_review_pairs_need_both_records(world: World) -> None:
    w = world
    pair = candidate(w.supervisor, w.south_person, w.loose_person)
    assert pair not in review_sel.candidates_visible_to(w.north_worker)
    assert pair in review_sel.candidates_visible_to(w.south_worker)


def test_the_matcher_tells_of_a_match_another_team_holds_without_showing_it(
    world: World,
) -> None:
    w = world
    found = candidate_search(w.north_worker, names=["Aminat Aliyeva"], sex="F")
    assert found.candidates == []
    assert found.held_elsewhere == 1
    mine = candidate_search(w.south_worker, names=["Aminat Aliyeva"], sex="F")
    assert [c.person for c in mine.candidates] == [w.south_person]
    assert mine.held_elsewhere == 0


def test_request_candidates_count_the_hidden_match(world: World) -> None:
    w = world
    request = tracing.tracing_request(
        w.supervisor, [person(w.supervisor, "Aminat Alieva", born=1990)]
    )
    assignment.request_assign(actor=w.supervisor, request=request, team=w.north, assigned_to=None)
    w.north_worker.refresh_from_db()
    groups = request_candidates(w.north_worker, request)
    assert [c.person for g in groups for c in g.candidates] == []
    assert [g.held_elsewhere for g in groups] == [1]
    # The ranking stored for the agency is cut to each reader: the supervisor reads the
    # same one (not ranked again) and sees the match.
    ranked_at = RequestRanking.objects.get(pk=request.pk).ranked_at
    whole = request_candidates(w.supervisor, request)
    assert [c.person for g in whole for c in g.candidates] == [w.south_person]
    assert [g.held_elsewhere for g in whole] == [0]
    assert RequestRanking.objects.get(pk=request.pk).ranked_at == ranked_at


def test_dashboard_counts_stay_agency_wide(world: World) -> None:
    north = dashboard_for(world.north_worker)
    supervisor = dashboard_for(world.supervisor)
    assert north == supervisor


def test_assignment_is_audited_and_only_supervisors_assign(world: World) -> None:
    w = world
    event = (
        AuditEvent.objects.filter(object_uuid=w.north_person.uuid, action="update")
        .order_by("id")
        .last()
    )
    assert event is not None
    assert event.changes["team"] == [None, str(w.north.uuid)]
    with pytest.raises(PermissionDenied):
        assignment.person_assign(
            actor=w.north_worker, person=w.loose_person, team=w.north, assigned_to=None
        )


def test_refusals_write_nothing(world: World, other_agency_user: User) -> None:
    w = world
    assert other_agency_user.agency is not None
    foreign_team = Team.objects.create(agency=other_agency_user.agency, name="Elsewhere")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        assignment.person_assign(
            actor=w.supervisor, person=w.loose_person, team=foreign_team, assigned_to=None
        )
    with pytest.raises(ValidationError):
        assignment.person_assign(
            actor=w.supervisor, person=w.loose_person, team=None, assigned_to=other_agency_user
        )
    with pytest.raises(ValidationError):
        assignment.team_create(actor=w.supervisor, name="north")
    assert AuditEvent.objects.count() == before
    w.loose_person.refresh_from_db()
    assert w.loose_person.team is None


# --- pages ---------------------------------------------------------------------------------


def test_another_teams_person_and_request_answer_404(
    world: World, client_for: Callable[[User], Client]
) -> None:
    w = world
    client = client_for(w.north_worker)
    assert client.get(reverse("people:detail", args=[w.south_person.uuid])).status_code == 404
    url = reverse("tracing:request_detail", kwargs={"request_uuid": w.south_request.uuid})
    assert client.get(url).status_code == 404
    assert client.get(reverse("people:detail", args=[w.north_person.uuid])).status_code == 200
    listing = client.get(reverse("people:list")).content.decode()
    assert "Nordova" in listing
    assert "Aliyeva" not in listing


def test_supervisor_assigns_from_the_page(
    world: World, client_for: Callable[[User], Client]
) -> None:
    w = world
    client = client_for(w.supervisor)
    url = reverse("accounts:person_assign", args=[w.loose_person.uuid])
    assert client.get(url).status_code == 200
    response = client.post(url, {"team": w.south.pk, "assigned_to": "", "reason": "case moved"})
    assert response.status_code == 302
    w.loose_person.refresh_from_db()
    assert w.loose_person.team == w.south
    event = AuditEvent.objects.filter(object_uuid=w.loose_person.uuid).order_by("id").last()
    assert event is not None
    assert event.reason == "case moved"
    url = reverse("accounts:request_assign", kwargs={"request_uuid": w.south_request.uuid})
    response = client.post(url, {"team": w.north.pk, "assigned_to": w.north_worker.pk})
    assert response.status_code == 302
    w.south_person.refresh_from_db()
    assert (w.south_person.team, w.south_person.assigned_to) == (w.north, w.north_worker)


def test_supervisor_manages_teams_and_the_switch(
    world: World, client_for: Callable[[User], Client]
) -> None:
    w = world
    client = client_for(w.supervisor)
    page = client.get(reverse("accounts:team_list"))
    assert page.status_code == 200
    assert "North" in page.content.decode()
    assert client.post(reverse("accounts:team_list"), {"name": "East"}).status_code == 302
    assert client.post(reverse("accounts:team_list"), {"name": "east"}).status_code == 400
    east = Team.objects.get(name="East")
    url = reverse("accounts:team_members", args=[east.uuid])
    assert client.post(url, {"members": [w.north_worker.pk]}).status_code == 302
    assert list(east.members.all()) == [w.north_worker]
    assert client.post(reverse("accounts:need_to_know"), {}).status_code == 302
    assert w.supervisor.agency is not None
    w.supervisor.agency.refresh_from_db()
    assert not w.supervisor.agency.need_to_know


def test_caseworkers_may_not_assign(world: World, client_for: Callable[[User], Client]) -> None:
    client = client_for(world.north_worker)
    for url in (
        reverse("accounts:team_list"),
        reverse("accounts:person_assign", args=[world.north_person.uuid]),
    ):
        assert client.get(url).status_code == 403


def test_another_agencys_supervisor_gets_404(
    world: World, agency_b: Agency, client_for: Callable[[User], Client]
) -> None:
    theirs = factories.user(agency_b, Role.SUPERVISOR, "b-sup")
    client = client_for(theirs)
    for url in (
        reverse("accounts:person_assign", args=[world.north_person.uuid]),
        reverse("accounts:team_members", args=[world.north.uuid]),
        reverse("accounts:request_assign", kwargs={"request_uuid": world.south_request.uuid}),
    ):
        assert client.get(url).status_code == 404
