"""Security keys as a second factor, tested with a software authenticator."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.softkey import SoftKey
from tests.assertions import login, login_password_only
from wayhome.accounts.models import User, WebAuthnKey
from wayhome.accounts.permissions import AUTH_AT
from wayhome.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _post(client: Client, name: str, body: dict[str, Any] | None = None, **query: str) -> Any:
    url = reverse(f"accounts:{name}")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _register(client: Client, key: SoftKey, name: str = "blue key") -> Any:
    options = _post(client, "webauthn_register_begin").json()
    return _post(
        client, "webauthn_register_finish", {"credential": key.create(options), "name": name}
    )


def test_a_key_is_registered_and_audited(caseworker: User) -> None:
    client, key = login(caseworker), SoftKey()
    response = _register(client, key)
    assert response.status_code == 200, response.content
    stored = WebAuthnKey.objects.get(user=caseworker)
    assert (stored.name, stored.credential_id) == ("blue key", key.id)
    event = AuditEvent.objects.filter(actor=caseworker, action="create").order_by("id").last()
    assert event is not None
    assert event.changes["second_factor"] == "webauthn"
    page = client.get(reverse("accounts:webauthn_keys"))
    assert "blue key" in page.content.decode()


def test_the_same_key_twice_or_a_replayed_answer_is_refused(caseworker: User) -> None:
    client, key = login(caseworker), SoftKey()
    options = _post(client, "webauthn_register_begin").json()
    answer = key.create(options)
    assert _post(client, "webauthn_register_finish", {"credential": answer}).status_code == 200
    again = _post(client, "webauthn_register_finish", {"credential": answer})
    assert again.status_code == 400  # the challenge is used once
    assert _register(client, key).status_code == 400  # already registered
    assert WebAuthnKey.objects.filter(user=caseworker).count() == 1


def test_a_wrong_origin_is_refused(caseworker: User) -> None:
    client = login(caseworker)
    options = _post(client, "webauthn_register_begin").json()
    answer = SoftKey().create(options, origin="https://phishing.example")
    response = _post(client, "webauthn_register_finish", {"credential": answer})
    assert response.status_code == 400
    assert not WebAuthnKey.objects.exists()


def test_adding_a_key_needs_a_recent_login(caseworker: User) -> None:
    client = login(caseworker)
    session = client.session
    session[AUTH_AT] = 0
    session.save()
    assert _post(client, "webauthn_register_begin").status_code == 401
    assert client.get(reverse("accounts:webauthn_keys")).status_code == 302


def _enrolled(user: User) -> SoftKey:
    key = SoftKey()
    assert _register(login(user), key).status_code == 200
    return key


def test_a_key_passes_the_second_factor(caseworker: User) -> None:
    key = _enrolled(caseworker)
    client = login_password_only(caseworker)
    assert client.get(reverse("people:list")).status_code == 302  # second factor first
    page = client.get(reverse("accounts:mfa_verify"))
    assert "Use a security key" in page.content.decode()
    options = _post(client, "webauthn_login_begin").json()
    assert [c["id"] for c in options["allowCredentials"]] == [key.id]
    response = _post(
        client, "webauthn_login_finish", {"credential": key.get(options)}, next="/persons/"
    )
    assert response.status_code == 200, response.content
    assert response.json()["redirect"] == "/persons/"
    assert client.get(reverse("people:list")).status_code == 200
    assert WebAuthnKey.objects.get().sign_count == key.counter
    event = AuditEvent.objects.filter(actor=caseworker, action="login").order_by("id").last()
    assert event is not None
    assert event.changes["factor"] == "webauthn"


def test_a_forged_signature_or_another_key_fails_and_is_audited(caseworker: User) -> None:
    key = _enrolled(caseworker)
    client = login_password_only(caseworker)
    options = _post(client, "webauthn_login_begin").json()
    forged = key.get(options)
    forged["response"]["signature"] = SoftKey().get(options | {"allowCredentials": []})["response"][
        "signature"
    ]
    assert _post(client, "webauthn_login_finish", {"credential": forged}).status_code == 400
    assert client.get(reverse("people:list")).status_code == 302
    assert AuditEvent.objects.filter(actor=caseworker, action="login_failed").exists()
    options = _post(client, "webauthn_login_begin").json()
    stranger = SoftKey().get(options | {"allowCredentials": []})
    assert _post(client, "webauthn_login_finish", {"credential": stranger}).status_code == 400


def test_a_cloned_key_is_caught_by_its_counter(caseworker: User) -> None:
    key = _enrolled(caseworker)
    client = login_password_only(caseworker)
    key.counter = 100
    options = _post(client, "webauthn_login_begin").json()
    assert (
        _post(client, "webauthn_login_finish", {"credential": key.get(options)}).status_code == 200
    )
    clone_client = login_password_only(caseworker)
    key.counter = 10  # a copy of the key, behind the original
    options = _post(clone_client, "webauthn_login_begin").json()
    answer = key.get(options)
    assert _post(clone_client, "webauthn_login_finish", {"credential": answer}).status_code == 400


def test_no_key_no_options_and_bad_json_is_a_clear_error(caseworker: User) -> None:
    client = login_password_only(caseworker)
    assert _post(client, "webauthn_login_begin").status_code == 400
    response = client.post(
        reverse("accounts:webauthn_login_finish"), "not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "error" in response.json()


def test_only_the_owner_removes_a_key(
    caseworker: User, other_agency_user: User, client_for: Callable[[User], Client]
) -> None:
    _enrolled(caseworker)
    stored = WebAuthnKey.objects.get()
    url = reverse("accounts:webauthn_key_remove", args=[stored.uuid])
    assert client_for(other_agency_user).post(url).status_code == 404
    assert client_for(caseworker).post(url).status_code == 302
    assert not WebAuthnKey.objects.exists()
