"""The second factor: nobody reaches data on a password alone."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.assertions import login_password_only
from wayhome.accounts.models import User
from wayhome.accounts.services import RECOVERY_CODES, totp_pending_device
from wayhome.audit.models import AuditEvent


def code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def test_password_alone_leads_only_to_setup(caseworker: User) -> None:
    client = login_password_only(caseworker)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa_setup") + "?" + urlencode(
        {"next": reverse("web:dashboard")}
    )


def test_setup_shows_a_qr_code_then_gives_recovery_codes(caseworker: User) -> None:
    client = login_password_only(caseworker)
    page = client.get(reverse("accounts:mfa_setup"))
    assert page.status_code == 200
    assert page.context["qr"].startswith("data:image/svg+xml")
    device = totp_pending_device(user=caseworker)
    wrong = client.post(reverse("accounts:mfa_setup"), {"token": "000000"})
    assert "not right" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # the next try waits: brute force is slowed
    device.throttle_reset()
    done = client.post(
        reverse("accounts:mfa_setup"), {"token": code_for(device), "next": "/dashboard/"}
    )
    assert len(done.context["codes"]) == RECOVERY_CODES
    assert client.get(reverse("web:dashboard")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


@pytest.fixture
def enrolled(caseworker: User) -> TOTPDevice:
    device: TOTPDevice = TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    return device


def test_login_with_an_enrolled_device_asks_for_the_code(
    caseworker: User, enrolled: TOTPDevice
) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"username": caseworker.username, "password": "correct-horse-battery-staple"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:mfa_verify"))
    bad = client.post(reverse("accounts:mfa_verify"), {"token": "123 456"})
    assert bad.status_code == 200
    assert AuditEvent.objects.filter(action="login_failed", changes__step="mfa").count() == 1
    enrolled.refresh_from_db()
    enrolled.throttle_reset()
    good = client.post(
        reverse("accounts:mfa_verify"), {"token": code_for(enrolled), "next": "/persons/"}
    )
    assert good["Location"] == "/persons/"
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_a_recovery_code_works_once(caseworker: User, enrolled: TOTPDevice) -> None:
    from wayhome.accounts.services import recovery_codes_reset

    code = recovery_codes_reset(user=caseworker)[0]
    first = login_password_only(caseworker)
    assert first.post(reverse("accounts:mfa_verify"), {"token": code})["Location"] == "/dashboard/"
    assert not StaticToken.objects.filter(token=code).exists()
    second = login_password_only(caseworker)
    assert second.post(reverse("accounts:mfa_verify"), {"token": code}).status_code == 200


def test_next_never_leaves_the_site(caseworker: User, enrolled: TOTPDevice) -> None:
    client = login_password_only(caseworker)
    response = client.post(
        reverse("accounts:mfa_verify"),
        {"token": code_for(enrolled), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/dashboard/"


def test_demo_mode_shows_the_current_code(
    caseworker: User, enrolled: TOTPDevice, settings: object
) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    page = login_password_only(caseworker).get(reverse("accounts:mfa_verify"))
    assert page.context["demo_code"] == code_for(enrolled)


def test_no_demo_code_outside_demo_mode(caseworker: User, enrolled: TOTPDevice) -> None:
    page = login_password_only(caseworker).get(reverse("accounts:mfa_verify"))
    assert page.context["demo_code"] == ""


def test_demo_mode_asks_to_wait_when_the_code_was_just_used(
    caseworker: User, enrolled: TOTPDevice, settings: object
) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    first = login_password_only(caseworker)
    first.post(reverse("accounts:mfa_verify"), {"token": code_for(enrolled)})
    page = login_password_only(caseworker).get(reverse("accounts:mfa_verify"))
    assert page.context["demo_code"] == ""
    assert 1 <= page.context["demo_wait"] <= 31


def test_no_menu_before_the_second_factor(caseworker: User) -> None:
    page = login_password_only(caseworker).get(reverse("accounts:mfa_setup"))
    assert 'aria-label="Main"' not in page.content.decode()
