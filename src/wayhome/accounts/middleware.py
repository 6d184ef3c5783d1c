"""Session rules: idle timeout, and a second factor before anything but the way in."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

LAST_SEEN = "wayhome_last_seen"
# Touching the session on every request would write it every request; a minute is
# precise enough for a thirty-minute idle limit.
_TOUCH_EVERY = 60

# Paths a logged-in user may reach before the second factor.
_MFA_OPEN = (
    "accounts:login",
    "accounts:logout",
    "accounts:mfa_setup",
    "accounts:mfa_verify",
    "accounts:webauthn_login_begin",
    "accounts:webauthn_login_finish",
    "set_language",
    "web:health",
)
# Whole areas outside the staff login: the relatives' page has its own one-time-code
# session (portal app) and never reads request.user, so a staff login half-way through
# its second factor neither helps nor hinders there.
_MFA_OPEN_PREFIXES = ("portal:start",)


class SessionLimitsMiddleware:
    """Log out a session idle for longer than SESSION_IDLE_SECONDS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN, now)
            if now - int(last) > settings.SESSION_IDLE_SECONDS:
                logout(request)
                return redirect(f"{reverse('accounts:login')}?expired=1")
            if now - int(last) >= _TOUCH_EVERY or LAST_SEEN not in request.session:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def _is_verified(request: HttpRequest) -> bool:
    """Whether OTPMiddleware found a verified second factor in this session."""
    check = getattr(request.user, "is_verified", None)
    return bool(check()) if callable(check) else False


class MFARequiredMiddleware:
    """A logged-in user who has not passed the second factor reaches only the way in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open: tuple[str, ...] | None = None

    def _open_paths(self) -> tuple[str, ...]:
        if self._open is None:
            self._open = tuple(reverse(name) for name in _MFA_OPEN)
        return self._open

    def _open_prefixes(self) -> tuple[str, ...]:
        return tuple(reverse(name) for name in _MFA_OPEN_PREFIXES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.MFA_REQUIRED
            and user.is_authenticated
            and not _is_verified(request)
            and not request.path.startswith(settings.STATIC_URL)
            and request.path not in self._open_paths()
            and not request.path.startswith(self._open_prefixes())
        ):
            from wayhome.accounts.services import has_confirmed_device

            target = "accounts:mfa_verify" if has_confirmed_device(user) else "accounts:mfa_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
