"""Capability checks for views. Row scoping is the selectors' job; this is the role gate.

An anonymous user is sent to log in; a logged-in user without the capability gets 403 and
the refusal is audited.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap

V = TypeVar("V", bound=Callable[..., HttpResponse])


class AuthedRequest(HttpRequest):
    """A request whose user is known to be a logged-in wayhome user (for typing)."""

    user: User


def _deny(request: HttpRequest, cap: Cap) -> None:
    from wayhome.audit.models import AuditEvent
    from wayhome.audit.services import audit_record

    audit_record(
        actor=cast(User, request.user),
        action=AuditEvent.Action.DENIED,
        changes={"capability": cap.value, "path": request.path},
    )
    raise PermissionDenied


# Every view declares who may reach it in this attribute: the capabilities it needs, all
# of them (stacked cap_required decorators add up), or none for staff_required views.
# functools.wraps carries it up through require_GET and friends, and
# tests/test_url_matrix.py checks every URL against it.
ACCESS_RULE = "wayhome_access_rule"
LOGGED_IN: frozenset[str] = frozenset()  # any active staff user: reference data, the way in


def cap_required(cap: Cap) -> Callable[[V], V]:
    """Decorate a view so that only users whose role grants ``cap`` reach it."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_cap(cap):
                _deny(request, cap)
            return view(request, *args, **kwargs)

        setattr(wrapped, ACCESS_RULE, frozenset(getattr(view, ACCESS_RULE, ())) | {cap.value})
        return cast(V, wrapped)

    return decorator


def staff_required(view: V) -> V:
    """Any logged-in staff user, whatever the role: for shared reference data only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    setattr(wrapped, ACCESS_RULE, LOGGED_IN)
    return cast(V, wrapped)


class CapRequiredMixin(AccessMixin):
    """Class-based equivalent of ``cap_required``: set ``required_cap``."""

    required_cap: Cap
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_cap(self.required_cap):
            _deny(request, self.required_cap)
        return cast(HttpResponse, super().dispatch(request, *args, **kwargs))  # type: ignore[misc]


AUTH_AT = "wayhome_auth_at"


def mark_authenticated(request: HttpRequest) -> None:
    """Record that the user has just proved who they are (password and second factor)."""
    request.session[AUTH_AT] = int(time.time())


def reauth_required(view: V) -> V:
    """Before exports and disclosures: send the user to prove it is them again unless they
    did so in the last REAUTH_SECONDS. Put it inside ``cap_required``."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        last = int(request.session.get(AUTH_AT, 0))
        if time.time() - last > settings.REAUTH_SECONDS:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:reauth')}?{query}")
        return view(request, *args, **kwargs)

    return cast(V, wrapped)
