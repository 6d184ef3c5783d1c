"""Every test has two agencies, a user for each role in agency A, and a caseworker of
agency B whose only job is to be refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from tests import factories
from tests.assertions import login
from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: this run uses SQLite (make test runs PostgreSQL too when "
        "127.0.0.1:5432 answers)"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def agency_a(db: None) -> Agency:
    return factories.agency("Agency A (synthetic NGO)", "AAA")


@pytest.fixture
def agency_b(db: None) -> Agency:
    return factories.agency("Agency B (synthetic ombudsperson)", "BBB")


@pytest.fixture
def users(agency_a: Agency) -> dict[str, User]:
    """One user of agency A for every role, keyed by role value."""
    return {role.value: factories.user(agency_a, role, f"a-{role.value}") for role in Role}


@pytest.fixture
def caseworker(users: dict[str, User]) -> User:
    return users[Role.CASEWORKER]


@pytest.fixture
def analyst(users: dict[str, User]) -> User:
    return users[Role.ANALYST]


@pytest.fixture
def other_agency_user(agency_b: Agency) -> User:
    return factories.user(agency_b, Role.CASEWORKER, "b-caseworker")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """A test client logged in as the given user, second factor passed."""
    return login


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Each test starts in English: a request in Arabic must not leak into the next test."""
    translation.activate("en")
    yield
    translation.deactivate()
