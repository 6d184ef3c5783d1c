"""API clients and tokens for tests, made through the services like every test record."""

from __future__ import annotations

import uuid
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
    return Client(headers={"Authorization": f"Bearer {token}"} if token else {})


def record_uuids(actor: User) -> dict[str, uuid.UUID]:
    """One record of every kind the API serves, of the actor's agency, by route basename."""
    from tests.tracing import helpers as tracing_helpers
    from wayhome.people import services as people_services
    from wayhome.people.models import Relationship

    mother = factories.person(actor, given="Madina", family="Synthetic")
    child = factories.person(actor, given="Yusuf", family="Synthetic", sex="M")
    rel = people_services.relationship_create(
        actor=actor, from_person=mother, to_person=child, kind=Relationship.Kind.PARENT
    )
    report = tracing_helpers.report(actor, [mother])
    entry = tracing_helpers.entry(actor, mother, reports=[report])
    request = tracing_helpers.tracing_request(actor, [child])
    return {
        "person": mother.uuid,
        "name": mother.names.get().uuid,
        "relationship": rel.uuid,
        "report": report.uuid,
        "whereabouts": entry.uuid,
        "tracing-request": request.uuid,
    }
