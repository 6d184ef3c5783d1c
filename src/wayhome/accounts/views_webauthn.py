"""Security keys (WebAuthn): manage them, and use one instead of a code at login.

Adding a key needs a login proved in the last ten minutes (as for exports); the login
endpoints are open before the second factor, like the code page. Each endpoint is a
small JSON exchange with ``static/wayhome/webauthn.js``.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login

from wayhome.accounts import webauthn
from wayhome.accounts.models import WebAuthnKey
from wayhome.accounts.permissions import (
    AUTH_AT,
    AuthedRequest,
    mark_authenticated,
    reauth_required,
    staff_required,
)
from wayhome.accounts.views import _next_url
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record


def _error(exc: ValidationError, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": " ".join(exc.messages)}, status=status)


def _fresh(request: AuthedRequest) -> bool:
    return time.time() - int(request.session.get(AUTH_AT, 0)) <= settings.REAUTH_SECONDS


@staff_required
@require_GET
@reauth_required
def keys(request: AuthedRequest) -> HttpResponse:
    """The user's security keys, a button to add one, and removal."""
    return render(request, "accounts/webauthn_keys.html", {"keys": webauthn.keys_of(request.user)})


@staff_required
@require_POST
def register_begin(request: AuthedRequest) -> HttpResponse:
    if not _fresh(request):
        return JsonResponse({"error": _("Log in again before adding a key.")}, status=401)
    return HttpResponse(
        webauthn.registration_begin(request, request.user), content_type="application/json"
    )


@staff_required
@require_POST
def register_finish(request: AuthedRequest) -> HttpResponse:
    if not _fresh(request):
        return JsonResponse({"error": _("Log in again before adding a key.")}, status=401)
    try:
        credential, name = webauthn.parse_credential(request.body)
        webauthn.registration_finish(request, request.user, credential, name)
    except ValidationError as exc:
        return _error(exc)
    messages.success(request, _("Security key added."))
    return JsonResponse({"redirect": reverse("accounts:webauthn_keys")})


@staff_required
@require_POST
def key_remove(request: AuthedRequest, key: uuid.UUID) -> HttpResponse:
    found = WebAuthnKey.objects.filter(uuid=key, user=request.user).first()
    if found is None:
        raise Http404
    webauthn.key_remove(actor=request.user, key=found)
    messages.success(request, _("Security key removed."))
    return redirect("accounts:webauthn_keys")


@staff_required
@require_POST
def login_begin(request: AuthedRequest) -> HttpResponse:
    try:
        options = webauthn.authentication_begin(request, request.user)
    except ValidationError as exc:
        return _error(exc)
    return HttpResponse(options, content_type="application/json")


@staff_required
@require_POST
def login_finish(request: AuthedRequest) -> HttpResponse:
    """The second factor passed with a key: the same as a right code."""
    try:
        credential, _name = webauthn.parse_credential(request.body)
        key = webauthn.authentication_finish(request, request.user, credential)
    except ValidationError as exc:
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.LOGIN_FAILED,
            changes={"step": "mfa", "factor": "webauthn"},
        )
        return _error(exc)
    otp_login(request, key)
    mark_authenticated(request)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.LOGIN,
        changes={"step": "mfa", "factor": "webauthn", "key": str(key.uuid)},
    )
    return JsonResponse({"redirect": _next_url(request)})
