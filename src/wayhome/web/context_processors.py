from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from wayhome.accounts.roles import Cap, caps_for


def site(request: HttpRequest) -> dict[str, object]:
    """What every page needs: the demo banner and the user's capabilities for the menu."""
    user = getattr(request, "user", None)
    caps: set[str] = set()
    if user is not None and user.is_authenticated and user.is_active:
        caps = {c.value for c in caps_for(getattr(user, "role", ""))}
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "caps": caps,
        "Cap": {c.name: c.value for c in Cap},
    }
