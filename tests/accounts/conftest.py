"""The accounts tests' shared world: an agency with two teams and need-to-know switched on."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests import factories
from tests.matching.helpers import person
from tests.tracing import helpers as tracing
from wayhome.accounts import assignment
from wayhome.accounts.models import Team, User
from wayhome.accounts.roles import Role
from wayhome.people.models import Person
from wayhome.tracing.models import TracingRequest


@dataclass
class World:
    supervisor: User
    north_worker: User  # a caseworker of team North
    south_worker: User  # a caseworker of team South
    north: Team
    south: Team
    north_person: Person
    south_person: Person
    loose_person: Person  # no team yet
    south_request: TracingRequest


@pytest.fixture
def world(users: dict[str, User]) -> World:
    sup = users[Role.SUPERVISOR]
    agency = sup.agency
    assert agency is not None
    north_worker = users[Role.CASEWORKER]
    south_worker = factories.user(agency, Role.CASEWORKER, "a-south")
    north = assignment.team_create(actor=sup, name="North")
    south = assignment.team_create(actor=sup, name="South")
    assignment.team_members_set(actor=sup, team=north, members=[north_worker])
    assignment.team_members_set(actor=sup, team=south, members=[south_worker])
    north_person = person(sup, "Madina Nordova", born=1991)
    south_person = person(sup, "Aminat Aliyeva", born=1990)
    loose = person(sup, "Kheda Svobodova", born=1985)
    assignment.person_assign(actor=sup, person=north_person, team=north, assigned_to=None)
    south_request = tracing.tracing_request(sup, [south_person])
    assignment.request_assign(actor=sup, request=south_request, team=south, assigned_to=None)
    assignment.need_to_know_set(actor=sup, enabled=True)
    for u in (north_worker, south_worker, sup):
        u.refresh_from_db()
    return World(
        sup, north_worker, south_worker, north, south, north_person, south_person, loose,
        south_request,
    )  # fmt: skip
