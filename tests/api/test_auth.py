"""Tokens: shown once and stored hashed, scoped to a client and its agency, expiring,
revocable; a client acting as a colleague may do only what both roles allow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories
from tests.api.helpers import admin_of, api, token_for
from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Cap, Role
from wayhome.api import services
from wayhome.api.models import ApiClient, ApiToken
from wayhome.audit.models import AuditEvent


def test_a_token_is_stored_only_as_a_digest(agency_a: Agency) -> None:
    admin = admin_of(agency_a)
    client = services.client_create(actor=admin, name="sync", role=Role.CASEWORKER)
    token, text = services.token_issue(actor=admin, client=client)
    assert text.startswith(f"wh_{token.prefix}_")
    secret = text.split("_", 2)[2]
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in str(stored)
    assert token.digest == services.token_digest(secret)
    assert AuditEvent.objects.filter(object_uuid=token.uuid, action="create").exists()
    assert secret not in str(AuditEvent.objects.filter(object_uuid=token.uuid).values().get())


def test_the_service_account_cannot_log_in(agency_a: Agency) -> None:
    client = services.client_create(actor=admin_of(agency_a), name="sync", role=Role.CASEWORKER)
    assert not client.service_user.has_usable_password()


def test_wrong_expired_revoked_or_switched_off_tokens_are_401(
    agency_a: Agency, caseworker: User
) -> None:
    admin = admin_of(agency_a)
    client = services.client_create(actor=admin, name="sync", role=Role.CASEWORKER)
    token, text = services.token_issue(actor=admin, client=client, days=1)
    assert api(text).get("/api/v1/persons/").status_code == 200
    assert api(text[:-2] + "xx").get("/api/v1/persons/").status_code == 401
    assert api("wh_nothing").get("/api/v1/persons/").status_code == 401

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    assert api(text).get("/api/v1/persons/").status_code == 401

    fresh, text = services.token_issue(actor=admin, client=client)
    services.token_revoke(actor=admin, token=fresh)
    assert api(text).get("/api/v1/persons/").status_code == 401

    _third, text = services.token_issue(actor=admin, client=client)
    services.client_set_active(actor=admin, client=client, active=False)
    response = api(text).get("/api/v1/persons/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_lifetimes_are_bounded(agency_a: Agency) -> None:
    admin = admin_of(agency_a)
    client = services.client_create(actor=admin, name="sync", role=Role.CASEWORKER)
    for days in (0, services.MAX_TOKEN_DAYS + 1):
        with pytest.raises(ValidationError):
            services.token_issue(actor=admin, client=client, days=days)


def test_a_refused_capability_is_403_and_audited(agency_a: Agency) -> None:
    response = api(token_for(agency_a, Role.ANALYST)).get("/api/v1/persons/")
    assert response.status_code == 403
    denied = AuditEvent.objects.get(action="denied")
    assert denied.changes == {"capability": Cap.PERSON_VIEW.value, "path": "/api/v1/persons/"}
    assert denied.actor is not None
    assert denied.actor.username.startswith("api-")


def test_an_acting_user_bounds_the_client_and_is_recorded(
    agency_a: Agency, users: dict[str, User]
) -> None:
    """A caseworker-role client acting as a consular officer may not read tracing
    requests (the officer may not), and its writes are recorded under the officer."""
    officer = users[Role.CONSULAR_OFFICER]
    token = token_for(agency_a, Role.CASEWORKER, acting_user=officer)
    client = api(token)
    assert client.get("/api/v1/tracing-requests/").status_code == 403
    created = client.post(
        "/api/v1/persons/",
        {"names": [{"given": "Safiya", "family": "Synthetic"}]},
        content_type="application/json",
    )
    assert created.status_code == 201
    event = AuditEvent.objects.get(action="create", object_type="people.Person")
    assert event.actor == officer


def test_a_client_cannot_act_as_someone_of_another_agency(
    agency_a: Agency, other_agency_user: User
) -> None:
    with pytest.raises(ValidationError):
        services.client_create(
            actor=admin_of(agency_a),
            name="sync",
            role=Role.CASEWORKER,
            acting_user=other_agency_user,
        )
    assert not ApiClient.objects.exists()


def test_names_are_unique_per_agency(agency_a: Agency) -> None:
    admin = admin_of(agency_a)
    services.client_create(actor=admin, name="sync", role=Role.CASEWORKER)
    with pytest.raises(ValidationError):
        services.client_create(actor=admin, name="sync", role=Role.CASEWORKER)
    assert factories.user(agency_a).username  # the failed attempt left the database usable
