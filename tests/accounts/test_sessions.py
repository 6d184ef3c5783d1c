"""Sessions end: when idle, when the account is disabled, when an administrator says so."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from tests.assertions import login
from wayhome.accounts.middleware import LAST_SEEN
from wayhome.accounts.models import User
from wayhome.accounts.services import user_end_sessions


def test_idle_session_is_logged_out(caseworker: User, settings: object) -> None:
    client = login(caseworker)
    assert client.get(reverse("web:dashboard")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("web:dashboard"))
    assert response["Location"] == reverse("accounts:login") + "?expired=1"
    assert client.get(reverse("web:dashboard"))["Location"].startswith(reverse("accounts:login"))


def test_disabled_account_loses_its_session(caseworker: User) -> None:
    client = login(caseworker)
    caseworker.is_active = False
    caseworker.save()
    assert client.get(reverse("web:dashboard"))["Location"].startswith(reverse("accounts:login"))


def test_administrator_ends_every_session(users: dict[str, User]) -> None:
    target = users["caseworker"]
    laptop, phone = login(target), login(target)
    user_end_sessions(actor=users["agency_admin"], user=target)
    for client in (laptop, phone):
        assert client.get(reverse("web:dashboard"))["Location"].startswith(
            reverse("accounts:login")
        )
    target.refresh_from_db()
    assert login(target).get(reverse("web:dashboard")).status_code == 200  # a new login works


def test_ending_another_agencys_sessions_is_refused(
    users: dict[str, User], other_agency_user: User
) -> None:
    with pytest.raises(PermissionError):
        user_end_sessions(actor=users["agency_admin"], user=other_agency_user)


def test_login_rotates_the_session_key(caseworker: User) -> None:
    client = Client()
    client.get(reverse("accounts:login"))
    client.cookies["sessionid"] = "attacker-chosen-session-key"
    client.post(
        reverse("accounts:login"),
        {"username": caseworker.username, "password": "correct-horse-battery-staple"},
    )
    assert client.cookies["sessionid"].value != "attacker-chosen-session-key"
