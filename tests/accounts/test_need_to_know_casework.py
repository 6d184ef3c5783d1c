"""Need-to-know by team on the casework built on persons: legal cases (and their hearings),
repatriation cases (every member must be visible), aftercare files, a request's
communication log, the API's relationships, and the exports of those lists."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.accounts.conftest import World
from tests.api.helpers import api, token_for
from tests.operations import builders as b
from tests.repatriation.helpers import shipped
from wayhome.accounts import assignment
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.aftercare import selectors as aftercare_sel
from wayhome.aftercare import services as aftercare_services
from wayhome.aftercare.models import AftercareFile
from wayhome.comms import selectors as comms_sel
from wayhome.comms import services as comms_services
from wayhome.comms.models import CommEntry
from wayhome.legal import selectors as legal_sel
from wayhome.legal import services as legal_services
from wayhome.legal.models import Hearing, LegalCase
from wayhome.lists.exporting import export_cases, export_legal_cases
from wayhome.operations import selectors as ops_sel
from wayhome.operations import services as ops_services
from wayhome.operations.models import Operation
from wayhome.people import services as people_services
from wayhome.people.models import Person, Relationship
from wayhome.repatriation import selectors as rep_sel
from wayhome.repatriation import services as rep_services
from wayhome.repatriation.models import RepatriationCase

ClientFor = Callable[[User], Client]


@dataclass
class Casework:
    legal: dict[str, LegalCase]  # by team: "north", "south", "loose"
    south_hearing: Hearing
    repatriation: dict[str, RepatriationCase]  # "north", "south", "mixed" (both teams)
    aftercare: dict[str, AftercareFile]  # "north", "south", "loose"


@pytest.fixture
def work(world: World) -> Casework:
    sup = world.supervisor
    persons = {"north": world.north_person, "south": world.south_person}
    persons["loose"] = world.loose_person
    iraq = factories.country("IQ", "Iraq")
    legal = {
        key: legal_services.legal_case_create(
            actor=sup, person=p, country=iraq, court="court (synthetic)"
        )
        for key, p in persons.items()
    }
    hearing = legal_services.hearing_add(
        actor=sup, case=legal["south"], date=timezone.localdate() + dt.timedelta(days=9)
    )
    rules = shipped()
    repatriation = {
        key: rep_services.case_open(actor=sup, rule_set=rules, persons=[persons[key]])
        for key in ("north", "south")
    }
    repatriation["mixed"] = rep_services.case_open(
        actor=sup, rule_set=rules, persons=[_person(world, "North"), _person(world, "South")]
    )
    received = aftercare_services.ReceptionData(
        received_on=timezone.localdate(), reception_place="airport (synthetic)"
    )
    files = {
        key: aftercare_services.file_open(actor=sup, person=p, reception=received)
        for key, p in persons.items()
    }
    return Casework(legal, hearing, repatriation, files)


def _person(world: World, team: str) -> Person:
    """A further person held by team ``team`` (for a case of two teams' members)."""
    sup = world.supervisor
    p = factories.person(sup, f"Member{team}", "Testova")
    held = world.north if team == "North" else world.south
    assignment.person_assign(actor=sup, person=p, team=held, assigned_to=None)
    return p


def _switch_off(world: World) -> None:
    assignment.need_to_know_set(actor=world.supervisor, enabled=False)
    world.north_worker.refresh_from_db()


def test_legal_cases_and_hearings_follow_the_persons_team(world: World, work: Casework) -> None:
    w, legal = world, work.legal
    assert set(legal_sel.legal_cases_visible_to(w.north_worker)) == {
        legal["north"],
        legal["loose"],
    }
    assert set(legal_sel.legal_cases_visible_to(w.supervisor)) == set(legal.values())
    with pytest.raises(Http404):
        legal_sel.legal_case_get(w.north_worker, legal["south"].uuid)
    with pytest.raises(Http404):
        legal_sel.hearing_get(w.north_worker, work.south_hearing.uuid)
    assert not legal_sel.upcoming_hearings(w.north_worker).exists()
    assert list(legal_sel.upcoming_hearings(w.south_worker)) == [work.south_hearing]
    _switch_off(w)
    assert set(legal_sel.legal_cases_visible_to(w.north_worker)) == set(legal.values())


def test_legal_case_pages_and_api_answer_404_for_another_team(
    world: World, work: Casework, client_for: ClientFor
) -> None:
    w, legal = world, work.legal
    client = client_for(w.north_worker)

    def page(key: str) -> int:
        url = reverse("legal:case_detail", kwargs={"case_uuid": legal[key].uuid})
        return int(client.get(url).status_code)

    assert (page("south"), page("north"), page("loose")) == (404, 200, 200)
    listing = client.get(reverse("legal:case_list")).content.decode()
    assert "Aliyeva" not in listing
    assert "Nordova" in listing
    agency = w.north_worker.agency
    assert agency is not None
    token = api(token_for(agency, Role.CASEWORKER, acting_user=w.north_worker))
    rows = token.get("/api/v1/legal-cases/").json()["results"]
    assert {r["uuid"] for r in rows} == {str(legal["north"].uuid), str(legal["loose"].uuid)}
    assert token.get(f"/api/v1/legal-cases/{legal['south'].uuid}/").status_code == 404
    assert token.get(f"/api/v1/hearings/{work.south_hearing.uuid}/").status_code == 404


def _names(content: bytes) -> str:
    return "\n".join(",".join(row) for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_legal_cases_export_holds_the_list_the_user_sees(world: World, work: Casework) -> None:
    w = world
    for user, hidden, shown in (
        (w.north_worker, "Aliyeva", "Nordova"),
        (w.supervisor, None, "Aliyeva"),
    ):
        _name, content, _type = export_legal_cases(
            actor=user,
            cases=legal_sel.legal_cases_visible_to(user),
            columns=["person"],
            reason="team meeting",
            fmt="csv",
        )
        text = _names(content)
        assert shown in text
        assert "Svobodova" in text
        assert hidden is None or hidden not in text


def test_a_repatriation_case_needs_every_member_visible(world: World, work: Casework) -> None:
    w, cases = world, work.repatriation
    assert set(rep_sel.cases_visible_to(w.north_worker)) == {cases["north"]}
    assert set(rep_sel.cases_visible_to(w.south_worker)) == {cases["south"]}
    assert set(rep_sel.cases_visible_to(w.supervisor)) == set(cases.values())
    for key in ("south", "mixed"):
        with pytest.raises(Http404):
            rep_sel.case_get(w.north_worker, cases[key].uuid)
        member = cases[key].members.first()
        assert member is not None
        with pytest.raises(Http404):
            rep_sel.member_get(w.north_worker, member.uuid)
        step = member.steps.first()
        assert step is not None
        with pytest.raises(Http404):
            rep_sel.step_get(w.north_worker, step.uuid)
    _switch_off(w)
    assert set(rep_sel.cases_visible_to(w.north_worker)) == set(cases.values())


def test_an_unassigned_persons_case_is_visible(world: World) -> None:
    w = world
    case = rep_services.case_open(actor=w.supervisor, rule_set=shipped(), persons=[w.loose_person])
    assert case in rep_sel.cases_visible_to(w.north_worker)
    assert case in rep_sel.cases_visible_to(w.south_worker)


def test_repatriation_pages_api_and_export_answer_for_the_team(
    world: World, work: Casework, client_for: ClientFor
) -> None:
    w, cases = world, work.repatriation
    client = client_for(w.north_worker)

    def page(key: str) -> int:
        url = reverse("repatriation:case_detail", kwargs={"case_uuid": cases[key].uuid})
        return int(client.get(url).status_code)

    assert (page("north"), page("south"), page("mixed")) == (200, 404, 404)
    agency = w.north_worker.agency
    assert agency is not None
    token = api(token_for(agency, Role.CASEWORKER, acting_user=w.north_worker))
    rows = token.get("/api/v1/repatriation-cases/").json()["results"]
    assert {r["uuid"] for r in rows} == {str(cases["north"].uuid)}
    assert token.get(f"/api/v1/repatriation-cases/{cases['mixed'].uuid}/").status_code == 404
    _name, content, _type = export_cases(
        actor=w.north_worker,
        cases=rep_sel.cases_visible_to(w.north_worker),
        columns=["reference", "member"],
        reason="team meeting",
        fmt="csv",
    )
    text = _names(content)
    assert cases["north"].reference in text
    assert "Nordova" in text
    assert cases["mixed"].reference not in text
    assert "MemberNorth" not in text


def test_aftercare_files_follow_the_persons_team(
    world: World, work: Casework, client_for: ClientFor
) -> None:
    w, files = world, work.aftercare
    assert set(aftercare_sel.files_visible_to(w.north_worker)) == {files["north"], files["loose"]}
    assert set(aftercare_sel.files_visible_to(w.supervisor)) == set(files.values())
    client = client_for(w.north_worker)

    def page(key: str) -> int:
        return int(client.get(reverse("aftercare:file_detail", args=[files[key].uuid])).status_code)

    assert (page("south"), page("north"), page("loose")) == (404, 200, 200)
    assert "Aliyeva" not in client.get(reverse("aftercare:file_list")).content.decode()
    _switch_off(w)
    assert set(aftercare_sel.files_visible_to(w.north_worker)) == set(files.values())


def test_a_requests_communication_log_follows_the_request(
    world: World, client_for: ClientFor
) -> None:
    w = world
    with pytest.raises(Http404):
        comms_sel.request_get(w.north_worker, w.south_request.uuid)
    assert comms_sel.request_get(w.south_worker, w.south_request.uuid) == w.south_request
    assert comms_sel.request_get(w.supervisor, w.south_request.uuid) == w.south_request
    entry = comms_services.comm_entry_create(
        actor=w.supervisor,
        occurred_on=timezone.localdate(),
        medium=CommEntry.Medium.CALL,
        direction=CommEntry.Direction.IN,
        summary="the sister called (synthetic)",
        request=w.south_request,
    )
    with pytest.raises(Http404):
        comms_sel.entry_get(w.north_worker, entry.uuid)
    assert comms_sel.entry_get(w.south_worker, entry.uuid) == entry
    url = reverse("comms:request_log", args=[w.south_request.uuid])
    assert client_for(w.north_worker).get(url).status_code == 404
    assert client_for(w.south_worker).get(url).status_code == 200
    _switch_off(w)
    assert comms_sel.request_get(w.north_worker, w.south_request.uuid) == w.south_request


def test_a_family_groups_log_needs_every_member_visible(
    world: World, client_for: ClientFor
) -> None:
    w = world
    group = people_services.family_group_create(
        actor=w.supervisor, label="Synthetic family", members=[w.north_person, w.loose_person]
    )
    entry = comms_services.comm_entry_create(
        actor=w.supervisor,
        occurred_on=timezone.localdate(),
        medium=CommEntry.Medium.VISIT,
        direction=CommEntry.Direction.OUT,
        summary="home visit to the grandmother (synthetic)",
        family=group,
    )
    assert comms_sel.family_get(w.north_worker, group.uuid) == group
    assert comms_sel.entry_get(w.north_worker, entry.uuid) == entry
    assert comms_sel.family_get(w.supervisor, group.uuid) == group
    with pytest.raises(Http404):
        comms_sel.family_get(w.south_worker, group.uuid)  # North holds one of its members
    with pytest.raises(Http404):
        comms_sel.entry_get(w.south_worker, entry.uuid)
    url = reverse("comms:family_log", args=[group.uuid])
    add = reverse("comms:family_log_add", args=[group.uuid])
    assert client_for(w.north_worker).get(url).status_code == 200
    assert client_for(w.south_worker).get(url).status_code == 404
    assert client_for(w.south_worker).get(add).status_code == 404
    page = reverse("people:family_detail", args=[group.uuid])  # linked only where it opens
    assert url in client_for(w.north_worker).get(page).content.decode()
    assert url not in client_for(w.south_worker).get(page).content.decode()
    _switch_off(w)
    w.south_worker.refresh_from_db()
    assert comms_sel.family_get(w.south_worker, group.uuid) == group


def test_the_api_lists_relationships_of_visible_persons_only(world: World) -> None:
    w = world
    sup = w.supervisor
    across = people_services.relationship_create(
        actor=sup,
        from_person=w.north_person,
        to_person=w.south_person,
        kind=Relationship.Kind.SIBLING,
    )
    own = people_services.relationship_create(
        actor=sup,
        from_person=w.north_person,
        to_person=w.loose_person,
        kind=Relationship.Kind.SIBLING,
    )
    agency = w.north_worker.agency
    assert agency is not None
    for user, role, expected in (
        (w.north_worker, Role.CASEWORKER, {own}),
        (sup, Role.SUPERVISOR, {own, across}),
    ):
        token = api(token_for(agency, role, acting_user=user))
        rows = token.get("/api/v1/relationships/").json()["results"]
        assert {r["uuid"] for r in rows} == {str(r.uuid) for r in expected}


@pytest.fixture
def flights(world: World) -> dict[str, Operation]:
    """Planned flights: "own" carries a North family, "mixed" a North and a South family
    (two cases), "loose" an unassigned person."""
    w, sup = world, world.supervisor
    own, mixed, loose = b.flight(sup), b.flight(sup), b.flight(sup)
    ops_services.operation_case_add(
        actor=sup, operation=own, case=b.case_for(sup, [w.north_person])
    )
    for person in (_person(w, "North"), w.south_person):
        ops_services.operation_case_add(actor=sup, operation=mixed, case=b.case_for(sup, [person]))
    ops_services.operation_case_add(
        actor=sup, operation=loose, case=b.case_for(sup, [w.loose_person])
    )
    return {"own": own, "mixed": mixed, "loose": loose}


def test_every_operation_is_listed_but_changed_only_by_who_sees_every_traveller(
    world: World, flights: dict[str, Operation]
) -> None:
    w = world
    assert set(ops_sel.operations_visible_to(w.north_worker)) == set(flights.values())
    assert set(ops_sel.operations_whole_to(w.north_worker)) == {flights["own"], flights["loose"]}
    assert set(ops_sel.operations_whole_to(w.supervisor)) == set(flights.values())
    with pytest.raises(Http404):
        ops_sel.operation_whole(w.north_worker, flights["mixed"].uuid)
    _switch_off(w)
    assert flights["mixed"] in ops_sel.operations_whole_to(w.north_worker)


def test_a_mixed_operations_page_names_only_the_readers_travellers(
    world: World, flights: dict[str, Operation], client_for: ClientFor
) -> None:
    w = world
    mixed = flights["mixed"]
    north = ops_sel.manifest_seen_by(w.supervisor, mixed).travellers[0].person
    page = client_for(w.north_worker).get(reverse("operations:detail", args=[mixed.uuid]))
    assert page.status_code == 200
    text = page.content.decode()
    assert north.display_name in text
    assert w.south_person.display_name not in text
    assert "1 traveller on this operation is held by another team" in text
    assert page.context["manifest"].seats == 2  # the seats count everyone on board
    assert not page.context["can_edit"]
    assert not page.context["can_export"]
    assert reverse("operations:export", args=[mixed.uuid]) not in text
    whole = client_for(w.supervisor).get(reverse("operations:detail", args=[mixed.uuid]))
    assert w.south_person.display_name in whole.content.decode()
    assert whole.context["can_edit"]
    assert "held by another team" not in whole.content.decode()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("operations:edit", "get"),
        ("operations:case_add", "post"),
        ("operations:confirm", "post"),
        ("operations:cancel", "post"),
        ("operations:arrivals", "get"),
        ("operations:export", "get"),
    ],
)
def test_a_mixed_operation_cannot_be_changed_or_exported_by_one_team(
    world: World, flights: dict[str, Operation], client_for: ClientFor, name: str, method: str
) -> None:
    w = world
    # A consular officer plans flights (operation.edit, export.run) but, unlike a
    # supervisor, sees only their team's records.
    w.north_worker.role = Role.CONSULAR_OFFICER
    w.north_worker.save()
    client = client_for(w.north_worker)
    url = reverse(name, args=[flights["mixed"].uuid])
    assert getattr(client, method)(url).status_code == 404
    own = reverse(name, args=[flights["own"].uuid])
    assert getattr(client, method)(own).status_code != 404


def test_the_api_shows_a_mixed_manifest_in_part_and_refuses_its_changes(
    world: World, flights: dict[str, Operation]
) -> None:
    w = world
    agency = w.north_worker.agency
    assert agency is not None
    token = api(token_for(agency, Role.CASEWORKER, acting_user=w.north_worker))
    listed = token.get("/api/v1/operations/").json()["results"]
    assert {r["uuid"] for r in listed} == {str(op.uuid) for op in flights.values()}
    body = token.get(f"/api/v1/operations/{flights['mixed'].uuid}/").json()
    manifest = body["manifest"]
    assert (manifest["seats"], manifest["withheld"], manifest["whole"]) == (2, 1, False)
    assert len(manifest["travellers"]) == 1
    assert len(body["cases"]) == 1
    assert str(w.south_person.uuid) not in str(body)
    w.north_worker.role = Role.CONSULAR_OFFICER  # operation.edit, without records.assign
    w.north_worker.save()
    officer = api(token_for(agency, Role.CONSULAR_OFFICER, acting_user=w.north_worker))
    confirm = f"/api/v1/operations/{flights['mixed'].uuid}/confirm/"
    assert officer.post(confirm).status_code == 404
    whole = token.get(f"/api/v1/operations/{flights['own'].uuid}/").json()["manifest"]
    assert (whole["withheld"], whole["whole"]) == (0, True)
