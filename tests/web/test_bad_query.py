"""A query no page expects gets a clear answer, never a server error.

Pages read parts of their query themselves (searches, filters, a form's prefill). A crawl
of every page with every parameter those views read found four 500s: a NUL character in
a search (PostgreSQL cannot compare text holding one) and an id that is no id in a
prefill. Every page is crawled here with both, for roles that reach different pages, so
that a new page reading its query the same way fails here first.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests import factories
from tests.test_url_matrix import ROUTES
from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role

# Every query parameter a view reads (grep for request.GET), and a few lists filter by.
PARAMS = (
    "q", "persons_q", "status", "source", "action", "outcome", "channel", "page",
    "person", "pick", "family", "field", "target", "reviewed", "relation", "retracted",
    "kind", "region", "facility", "sex",
)  # fmt: skip
NUL = "Aish\x00a"
NOT_AN_ID = "not-a-uuid"
ROLES = (Role.SUPERVISOR, Role.CONSULAR_OFFICER, Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN)


# Every route without a parameter in its path, but logging out and the JSON API (which
# answers in its own JSON: tests/api/test_views.py); the API clients' pages are pages.
PAGES = sorted(
    "/" + route
    for _name, route, _view in ROUTES
    if "<" not in route and not route.startswith("api/v1/") and "logout" not in route
)


@pytest.fixture
def clients(agency_a: Agency, client_for: Callable[[User], Client]) -> dict[str, Client]:
    return {
        role: client_for(factories.user(None if role == Role.SYSTEM_ADMIN else agency_a, role))
        for role in ROLES
    }


def test_the_crawl_reaches_the_pages_that_failed() -> None:
    for path in ("/aftercare/", "/aftercare/new/", "/tracing/reports/new/", "/api/clients/"):
        assert path in PAGES
    assert len(PAGES) > 50


def test_a_nul_character_in_the_query_is_a_400_on_every_page(clients: dict[str, Client]) -> None:
    for role, client in clients.items():
        for path in PAGES:
            response = client.get(path, dict.fromkeys(PARAMS, NUL))
            assert response.status_code == 400, f"{role} {path}: {response.status_code}"
    page = response.content.decode()
    assert "Bad request" in page
    assert "Aish" not in page, "the value is not shown back"


def test_an_anonymous_visitor_gets_the_same_400(client: Client) -> None:
    response = client.get("/persons/", {"q": NUL})
    assert response.status_code == 400
    assert client.get("/persons/", {"q": "Aisha"}).status_code == 302  # to the login


def test_no_page_fails_on_an_id_that_is_no_id(clients: dict[str, Client]) -> None:
    for role, client in clients.items():
        for path in PAGES:
            response = client.get(path, dict.fromkeys(PARAMS, NOT_AN_ID))
            assert response.status_code < 500, f"{role} {path}: {response.status_code}"


@pytest.mark.parametrize("path", ["/tracing/reports/new/", "/aftercare/new/"])
def test_a_prefill_keeps_the_ids_that_are_ids(
    agency_a: Agency, client_for: Callable[[User], Client], path: str
) -> None:
    user = factories.user(agency_a, Role.SUPERVISOR)
    person = factories.person(user, given="Zarema", family="Prefilled")
    client = client_for(user)
    assert str(person.uuid) not in client.get(path).content.decode()  # not without it
    response = client.get(path, {"person": [NOT_AN_ID, str(person.uuid)]})
    assert response.status_code == 200
    assert str(person.uuid) in response.content.decode()
