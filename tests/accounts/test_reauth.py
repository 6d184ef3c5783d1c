"""Re-authentication before exports and disclosures."""

import time

from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.assertions import login
from wayhome.accounts.models import User
from wayhome.accounts.permissions import AUTH_AT, reauth_required
from wayhome.audit.models import AuditEvent


@reauth_required
def _export(request: HttpRequest) -> HttpResponse:
    return HttpResponse("the list")


def _request(age_seconds: int | None) -> HttpRequest:
    request = RequestFactory().get("/export/?what=all")
    request.session = SessionStore()
    if age_seconds is not None:
        request.session[AUTH_AT] = int(time.time()) - age_seconds
    return request


def test_recent_proof_lets_the_action_through() -> None:
    assert _export(_request(60)).content == b"the list"


def test_old_or_missing_proof_sends_to_reauth_and_back() -> None:
    for age in (11 * 60, None):
        response = _export(_request(age))
        assert response.status_code == 302
        assert (
            response["Location"] == reverse("accounts:reauth") + "?next=%2Fexport%2F%3Fwhat%3Dall"
        )


def test_reauth_page_needs_password_and_code(caseworker: User) -> None:
    client = login(caseworker)
    device = TOTPDevice.objects.get(user=caseworker)
    wrong = client.post(
        reverse("accounts:reauth"),
        {"password": "not-the-password", "token": "000000", "next": "/persons/"},
    )
    assert wrong.status_code == 200
    assert "not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # the wrong code slowed further tries down, as it should
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"
    session = client.session
    session[AUTH_AT] = 0
    session.save()
    right = client.post(
        reverse("accounts:reauth"),
        {"password": "correct-horse-battery-staple", "token": code, "next": "/persons/"},
    )
    assert right["Location"] == "/persons/"
    assert client.session[AUTH_AT] > time.time() - 5
    steps = list(AuditEvent.objects.filter(actor=caseworker).values_list("action", "changes__step"))
    assert ("login_failed", "reauth") in steps
    assert ("login", "reauth") in steps
