"""Repeated wrong passwords lock the account, and the address, for a while."""

from django.test import Client
from django.urls import reverse

from wayhome.accounts.models import User


def _try(client: Client, username: str, password: str, ip: str = "198.51.100.7") -> int:
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )
    return response.status_code


def test_account_locks_at_the_fifth_failure_even_for_the_right_password(caseworker: User) -> None:
    client = Client()
    for _ in range(4):
        assert _try(client, caseworker.username, "wrong-password-x") == 200
    assert _try(client, caseworker.username, "wrong-password-x") == 429
    assert _try(client, caseworker.username, "correct-horse-battery-staple") == 429
    page = client.post(
        reverse("accounts:login"),
        {"username": caseworker.username, "password": "correct-horse-battery-staple"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert page.status_code == 429  # another address does not help: the account is locked
    assert "fifteen minutes" in page.content.decode()


def test_address_locks_after_five_failures_across_accounts(users: dict[str, User]) -> None:
    client = Client()
    for name in ["nobody-1", "nobody-2", "nobody-3", "nobody-4", "nobody-5"]:
        _try(client, name, "guess", ip="192.0.2.50")
    assert (
        _try(client, users["supervisor"].username, "correct-horse-battery-staple", ip="192.0.2.50")
        == 429
    )
    assert (
        _try(client, users["supervisor"].username, "correct-horse-battery-staple", ip="192.0.2.51")
        == 302
    )


def test_success_resets_the_count(caseworker: User) -> None:
    client = Client()
    for _ in range(4):
        _try(client, caseworker.username, "wrong-password-x")
    assert _try(client, caseworker.username, "correct-horse-battery-staple") == 302
    for _ in range(4):
        _try(Client(), caseworker.username, "wrong-password-x")
    assert _try(Client(), caseworker.username, "correct-horse-battery-staple") == 302
