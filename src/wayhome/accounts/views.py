"""The second factor: set up an authenticator, then verify a code at every login."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from wayhome.accounts.models import WebAuthnKey
from wayhome.accounts.permissions import AuthedRequest, mark_authenticated, staff_required
from wayhome.accounts.services import totp_confirm, totp_pending_device
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@staff_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: AuthedRequest) -> HttpResponse:
    """First login: scan the code into an authenticator app, confirm with one code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:mfa_verify")
    device = totp_pending_device(user=request.user)
    error = ""
    if request.method == "POST":
        codes = totp_confirm(
            user=request.user, device=device, token=request.POST.get("token", "").strip()
        )
        if codes is not None:
            otp_login(request, device)
            mark_authenticated(request)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        error = _("That code is not right. Check the time on your phone and try the newest code.")
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
            "secret": _spaced(device.config_url.split("secret=")[1].split("&")[0]),
            "error": error,
            "next": _next_url(request),
        },
    )


def _spaced(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@staff_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request: AuthedRequest) -> HttpResponse:
    """Every login: a code from the authenticator, or one recovery code."""
    user = request.user
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        return redirect("accounts:mfa_setup")
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").replace(" ", "").strip()
        candidates = [*devices, *StaticDevice.objects.filter(user=user, confirmed=True)]
        device = next((d for d in candidates if verify_token(user, d.persistent_id, token)), None)
        if device is not None:
            otp_login(request, device)
            mark_authenticated(request)
            kind = "recovery_code" if isinstance(device, StaticDevice) else "totp"
            audit_record(
                actor=user, action=AuditEvent.Action.LOGIN, changes={"step": "mfa", "factor": kind}
            )
            if kind == "recovery_code":
                messages.warning(request, _("You used a recovery code; it will not work again."))
            return redirect(_next_url(request))
        audit_record(actor=user, action=AuditEvent.Action.LOGIN_FAILED, changes={"step": "mfa"})
        error = _(
            "That code is not right, or too many tries were made: "
            "wait a little and use the newest code."
        )
    demo_code, demo_wait = _demo_hint(devices[0]) if settings.DEMO_MODE else ("", 0)
    return render(
        request,
        "accounts/mfa_verify.html",
        {
            "error": error,
            "next": _next_url(request),
            "demo_code": demo_code,
            "demo_wait": demo_wait,
            "has_keys": WebAuthnKey.objects.filter(user=user, confirmed=True).exists(),
        },
    )


def _demo_hint(device: TOTPDevice) -> tuple[str, int]:
    """The demo's current code, or the seconds to wait when it was just used.

    A code works once (replay protection), so a second demo login in the same
    30-second window must wait for the next one.
    """
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        return "", int(device.step - (totp.time - device.t0) % device.step) + 1
    return f"{totp.token():0{device.digits}d}", 0


@staff_required
@require_http_methods(["GET", "POST"])
def reauth(request: AuthedRequest) -> HttpResponse:
    """Prove it is still you (password and code) before an export or a disclosure."""
    error = ""
    if request.method == "POST":
        user = authenticate(
            request, username=request.user.get_username(), password=request.POST.get("password", "")
        )
        token = request.POST.get("token", "").replace(" ", "").strip()
        devices = [*TOTPDevice.objects.filter(user=request.user, confirmed=True)]
        device = next(
            (d for d in devices if verify_token(request.user, d.persistent_id, token)), None
        )
        if user is not None and user.pk == request.user.pk and device is not None:
            mark_authenticated(request)
            audit_record(
                actor=request.user, action=AuditEvent.Action.LOGIN, changes={"step": "reauth"}
            )
            return redirect(_next_url(request))
        audit_record(
            actor=request.user, action=AuditEvent.Action.LOGIN_FAILED, changes={"step": "reauth"}
        )
        error = _("The password or the code is not right.")
    return render(request, "accounts/reauth.html", {"error": error, "next": _next_url(request)})
