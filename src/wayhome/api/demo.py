"""The demo's API client: a read-and-write client of the first agency, acting as a
caseworker, with a token printed so that the API can be tried with curl at once.

Deterministic: the client is created once (by name); each ``make demo`` issues a fresh
token, because a token is never stored in a readable form and cannot be shown again.
"""

from __future__ import annotations

from typing import Any

from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.api import services
from wayhome.api.models import ApiClient

CLIENT_NAME = "Demo partner system (synthetic)"


def load_demo(stdout: Any) -> None:
    admin = User.objects.filter(username="ngo-agency-admin").first()
    if admin is None or admin.agency_id is None:
        return
    client = ApiClient.objects.filter(agency_id=admin.agency_id, name=CLIENT_NAME).first()
    if client is None:
        client = services.client_create(
            actor=admin,
            name=CLIENT_NAME,
            role=Role.CASEWORKER,
            notes="Created by the demo so that the API can be tried.",
        )
    _token, text = services.token_issue(actor=admin, client=client, days=30, label="demo")
    stdout.write(
        f"API (demo): curl -H 'Authorization: Bearer {text}' "
        "http://127.0.0.1:8000/api/v1/persons/  (schema: /api/schema/, docs/api.md)"
    )
