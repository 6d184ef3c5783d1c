"""Every URL in the configuration, checked for every kind of visitor.

A new view that forgets its permission check fails here without anyone writing a test for
it: anonymous visitors must be sent to log in, and a user of another agency must never
get a page (200) for a record of this agency.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from wayhome.accounts.models import User

# Pages anyone may reach without logging in, and why.
PUBLIC = {
    "accounts:login",  # the way in
    "accounts:logout",  # ends a session; harmless when there is none
    "set_language",  # the language switch on the login page
    "web:home",  # redirects to login
    "web:health",  # monitoring; returns no data
}


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", ns: str = ""
) -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            sub_ns = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _walk(p.url_patterns, prefix + str(p.pattern), sub_ns)
        elif p.name:
            yield f"{ns}{p.name}", prefix + str(p.pattern)


def concrete_path(route: str) -> str:
    """The route with every parameter filled with a fresh UUID (a record nobody owns)."""
    return "/" + re.sub(r"<(?:\w+:)?\w+>", lambda _: str(uuid.uuid4()), route)


ROUTES = sorted(set(_walk(get_resolver().url_patterns)))
PROTECTED = [r for r in ROUTES if r[0] not in PUBLIC]
WITH_IDS = [r for r in PROTECTED if "<" in r[1]]


def test_the_matrix_sees_the_whole_configuration() -> None:
    names = {name for name, _ in ROUTES}
    assert {"web:dashboard", "people:list", "tracing:request_list"} <= names
    assert names >= PUBLIC, "a public route was renamed: update PUBLIC"


@pytest.mark.parametrize(("name", "route"), PROTECTED, ids=[r[0] for r in PROTECTED])
@pytest.mark.django_db
def test_anonymous_is_sent_to_login(name: str, route: str) -> None:
    for method in ("get", "post"):
        response = getattr(Client(), method)(concrete_path(route))
        assert response.status_code in (302, 405), f"{method} {name}: {response.status_code}"
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], f"{method} {name}"


@pytest.mark.parametrize(("name", "route"), WITH_IDS, ids=[r[0] for r in WITH_IDS])
def test_unknown_or_foreign_ids_never_give_a_page(
    name: str, route: str, other_agency_user: User, client_for: Callable[[User], Client]
) -> None:
    """With ids that exist nowhere, a logged-in user gets 404 or 403, never a page or a crash."""
    client = client_for(other_agency_user)
    for method in ("get", "post"):
        response = getattr(client, method)(concrete_path(route))
        assert response.status_code in (403, 404, 405), f"{method} {name}: {response.status_code}"
