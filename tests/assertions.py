"""Denial checks every view test uses (after RapidPro's assertRequestDisallowed)."""

from __future__ import annotations

from django.test import Client

from wayhome.accounts.models import User


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
    client = Client()
    client.force_login(user)
    return client
