"""Denial checks every view test uses (after RapidPro's assertRequestDisallowed)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.test import Client

from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.accounts.sensitivity import ROLE_VISIBILITY, FieldClass, Visibility


def assert_login_required(url: str, method: str = "get") -> None:
    response = getattr(Client(), method)(url)
    assert response.status_code == 302, f"{url}: anonymous got {response.status_code}"
    assert "/accounts/login/" in response["Location"]


def assert_forbidden(client: Client, url: str, method: str = "get") -> None:
    response = getattr(client, method)(url)
    assert response.status_code == 403, f"{url}: expected 403, got {response.status_code}"


def assert_not_found(client: Client, url: str, method: str = "get") -> None:
    """Another agency's record must look like no record at all."""
    response = getattr(client, method)(url)
    assert response.status_code == 404, f"{url}: expected 404, got {response.status_code}"


def login(user: User) -> Client:
    """A client logged in as ``user`` who has also passed the second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from wayhome.accounts.permissions import AUTH_AT

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[AUTH_AT] = int(time.time())
    session.save()
    return client


def login_password_only(user: User) -> Client:
    """A client past the password but not yet past the second factor."""
    client = Client()
    client.force_login(user)
    return client


def pages_with_identifying_hidden(
    monkeypatch: pytest.MonkeyPatch, client: Client, url: str
) -> Iterator[tuple[Visibility, str]]:
    """The page at ``url`` (200) for a consular officer's ``client`` with identifying
    fields masked, then never seen: no role is configured so today, and a page must
    still show the rest of the file, never the values."""
    table = ROLE_VISIBILITY[Role.CONSULAR_OFFICER]
    for seen in (Visibility.MASK, Visibility.NEVER):
        hidden = {**table, FieldClass.IDENTIFYING: seen}
        monkeypatch.setitem(ROLE_VISIBILITY, Role.CONSULAR_OFFICER, hidden)
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {seen} got {response.status_code}"
        yield seen, response.content.decode()
