"""The administrators' pages for API clients: register, issue (shown once), revoke."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from tests.api.helpers import api
from tests.assertions import assert_forbidden, assert_login_required, assert_not_found
from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role
from wayhome.api import services
from wayhome.api.models import ApiClient, ApiToken

Login = Callable[[User], Client]


def test_an_administrator_registers_a_client_and_issues_a_token_once(
    users: dict[str, User], client_for: Login
) -> None:
    admin = users[Role.AGENCY_ADMIN]
    browser = client_for(admin)
    assert browser.get(reverse("api:client_list")).status_code == 200
    response = browser.post(
        reverse("api:client_list"), {"name": "Ministry sync", "role": Role.CONSULAR_OFFICER}
    )
    client = ApiClient.objects.get()
    assert response["Location"] == reverse("api:client_detail", args=[client.uuid])
    issued = browser.post(
        reverse("api:token_issue", args=[client.uuid]), {"label": "nightly", "days": "30"}
    )
    secret = issued.context["secret"]
    assert secret.startswith("wh_")
    assert secret in issued.content.decode()
    assert api(secret).get("/api/v1/persons/").status_code == 200
    again = browser.get(reverse("api:client_detail", args=[client.uuid])).content.decode()
    assert secret not in again  # never shown twice
    token = ApiToken.objects.get()
    browser.post(reverse("api:token_revoke", args=[token.uuid]))
    assert api(secret).get("/api/v1/persons/").status_code == 401
    browser.post(reverse("api:client_active", args=[client.uuid]), {"active": "0"})
    client.refresh_from_db()
    assert not client.is_active
    assert not client.service_user.is_active


def test_who_may_not(
    users: dict[str, User], other_agency_user: User, agency_a: Agency, client_for: Login
) -> None:
    admin = users[Role.AGENCY_ADMIN]
    client = services.client_create(actor=admin, name="sync", role=Role.CASEWORKER)
    token, _text = services.token_issue(actor=admin, client=client)
    detail = reverse("api:client_detail", args=[client.uuid])
    assert_login_required(detail)
    assert_forbidden(client_for(users[Role.CASEWORKER]), reverse("api:client_list"))
    assert_forbidden(client_for(users[Role.SUPERVISOR]), detail)
    other_admin = User.objects.create_user(
        "b-admin", password="x" * 16, agency=other_agency_user.agency, role=Role.AGENCY_ADMIN
    )
    assert_not_found(client_for(other_admin), detail)
    assert_not_found(
        client_for(other_admin), reverse("api:token_revoke", args=[token.uuid]), "post"
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_client_is_not_offered_as_a_colleague(users: dict[str, User], client_for: Login) -> None:
    admin = users[Role.AGENCY_ADMIN]
    services.client_create(actor=admin, name="sync", role=Role.CASEWORKER)
    page = client_for(admin).get(reverse("api:client_list"))
    offered = [str(u) for u in page.context["form"].fields["acting_user"].queryset]
    assert offered
    assert not any(u.startswith("api-") for u in offered)
