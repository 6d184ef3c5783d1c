"""Two caseworkers editing one record: the second save is refused, never silently applied.

Each test opens the edit page in two browsers (two clients, two users), saves in the
first, then saves in the second with the version it opened: nothing of the second is
written, the page says someone else changed it and shows what differs, and saving again
(a deliberate choice, with the stored version now in the form) goes through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.tracing import helpers
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.core.versioning import StaleVersion
from wayhome.people import services as people_services
from wayhome.people.models import Person
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import TracingRequest

Login = Callable[[User], Client]


@pytest.fixture
def colleague(users: dict[str, User]) -> User:
    return users[Role.SUPERVISOR]


def _facts(version: object, **overrides: str) -> dict[str, str]:
    return {
        "sex": "F",
        "birth_precision": "year",
        "birth_year": "1990",
        "birth_place": "",
        "notes": "",
        "version": str(version),
        **overrides,
    }


def test_the_second_person_edit_is_refused_and_shows_what_changed(
    caseworker: User, colleague: User, client_for: Login
) -> None:
    person = factories.person(caseworker, birth=dt.date(1990, 5, 1))
    url = reverse("people:update", args=[person.uuid])
    first, second = client_for(caseworker), client_for(colleague)
    opened = first.get(url).context["form"]["version"].value()
    assert second.get(url).context["form"]["version"].value() == opened == person.version

    assert first.post(url, _facts(opened, birth_place="Grozny")).status_code == 302
    refused = second.post(url, _facts(opened, notes="Seen in a camp"))

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Changed by someone else since you opened it" in page
    assert "Last saved by a-caseworker" in page
    rows = {d.label: (d.saved, d.yours) for d in refused.context["conflict"].differences}
    assert rows == {"Place of birth": ("Grozny", "—"), "Notes": ("—", "Seen in a camp")}
    person.refresh_from_db()
    assert (person.birth_place, person.notes, person.version) == ("Grozny", "", opened + 1)
    assert AuditEvent.objects.filter(object_uuid=person.uuid, action="update").count() == 1

    # The form now carries the stored version: saving again is deliberate and succeeds.
    offered = refused.context["form"]["version"].value()
    assert int(offered) == opened + 1
    again = second.post(url, _facts(offered, birth_place="Grozny", notes="Seen in a camp"))
    assert again.status_code == 302
    person.refresh_from_db()
    assert (person.birth_place, person.notes, person.version) == (
        "Grozny",
        "Seen in a camp",
        opened + 2,
    )


def test_a_person_edit_without_its_version_is_refused(caseworker: User, client_for: Login) -> None:
    person = factories.person(caseworker)
    url = reverse("people:update", args=[person.uuid])
    response = client_for(caseworker).post(url, {**_facts(1), "version": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["version"]
    assert Person.objects.get(pk=person.pk).version == 1


def test_the_second_tracing_request_edit_is_refused(
    caseworker: User, colleague: User, client_for: Login
) -> None:
    request = helpers.tracing_request(caseworker)
    sought = [str(link.person.uuid) for link in request.sought_links.all()]
    url = reverse("tracing:request_edit", args=[request.uuid])
    first, second = client_for(caseworker), client_for(colleague)
    opened = first.get(url).context["form"]["version"].value()

    def post(client: Client, version: object, **overrides: str) -> Any:
        data: dict[str, object] = {
            "inq-name": "Zarema Synthetic",
            "inq-relationship": "mother",
            "inq-language": "ru",
            "received_on": "2019-03-10",
            "last_known_precision": "exact",
            "sought": sought,
            "new_sought-TOTAL_FORMS": "0",
            "new_sought-INITIAL_FORMS": "0",
            "version": str(version),
            **overrides,
        }
        return client.post(url, data)

    assert post(first, opened, last_known_place="Roj camp").status_code == 302
    refused = post(second, opened, last_known_place="al-Hol camp")
    assert refused.status_code == 200
    rows = {d.label: (d.saved, d.yours) for d in refused.context["conflict"].differences}
    assert rows["Last known place"] == ("Roj camp", "al-Hol camp")
    request.refresh_from_db()
    assert request.last_known_place == "Roj camp"


def test_services_refuse_a_stale_version_and_bump_on_every_change(caseworker: User) -> None:
    person = factories.person(caseworker)
    assert person.version == 1
    people_services.person_update(
        actor=caseworker, person=person, sex="F", birth=person.birth, expected_version=1
    )
    assert Person.objects.get(pk=person.pk).version == 2
    stale = Person.objects.get(pk=person.pk)
    stale.version = 1
    with pytest.raises(StaleVersion) as refused:
        people_services.person_update(
            actor=caseworker, person=stale, sex="M", birth=person.birth, expected_version=1
        )
    assert (refused.value.current, refused.value.expected) == (2, 1)
    assert Person.objects.get(pk=person.pk).sex == "F"

    request = helpers.tracing_request(caseworker)
    tracing_services.request_transition(actor=caseworker, request=request, to="located")
    assert TracingRequest.objects.get(pk=request.pk).version == 2
    with pytest.raises(StaleVersion):
        tracing_services.request_transition(
            actor=caseworker, request=request, to="open", reason="x", expected_version=1
        )
    assert TracingRequest.objects.get(pk=request.pk).status == "located"
