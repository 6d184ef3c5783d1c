from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from wayhome.accounts.roles import Cap, caps_for


def _mfa_passed(user: object) -> bool:
    check = getattr(user, "is_verified", None)
    return not settings.MFA_REQUIRED or (bool(check()) if callable(check) else False)


def site(request: HttpRequest) -> dict[str, object]:
    """What every page needs: the demo banner and the user's capabilities for the menu."""
    user = getattr(request, "user", None)
    caps: set[str] = set()
    # The menu appears once the second factor is passed; before, there is nothing to reach.
    verified = user is not None and user.is_authenticated and _mfa_passed(user)
    if verified and user is not None and user.is_active:
        caps = {c.value for c in caps_for(getattr(user, "role", ""))}
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "caps": caps,
        "mfa_passed": verified,
        "Cap": {c.name: c.value for c in Cap},
    }
