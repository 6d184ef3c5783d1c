"""API clients and tokens for tests, made through the services like every test record."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests import factories
from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role
from wayhome.api import services


def admin_of(agency: Agency) -> User:
    return factories.user(agency, Role.AGENCY_ADMIN)


def token_for(
    agency: Agency, role: str = Role.CASEWORKER, acting_user: User | None = None, **kw: Any
) -> str:
    """A fresh token of a new client of ``agency`` acting as ``role``."""
    admin = admin_of(agency)
    client = services.client_create(
        actor=admin, name=f"client {admin.username}", role=role, acting_user=acting_user
    )
    return services.token_issue(actor=admin, client=client, **kw)[1]


def api(token: str | None) -> Client:
    """A test client that sends the token (none: an anonymous caller)."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client(**headers)
