"""The capability gate for API views: the same Cap table and the same audited refusal
as ``cap_required`` on the pages."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record

# A view's capability per action, e.g. {"list": Cap.PERSON_VIEW, "create": ...}.
ACTION_CAPS = "action_caps"


def required_cap(view: Any, method: str) -> Cap | None:
    """The capability an action needs: ``"<action>.<method>"`` for an action that takes
    several methods with different needs, else ``"<action>"`` (None: none declared)."""
    caps: dict[str, Cap] = getattr(view, ACTION_CAPS, {})
    action = getattr(view, "action", None) or ""
    return caps.get(f"{action}.{method.lower()}") or caps.get(action)


class HasCapability(BasePermission):
    """A token whose client (and acting user) lacks the action's capability gets 403,
    and the refusal is audited; a request without a valid token gets 401."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        if getattr(view, "action", "") is None:
            return True  # a method the route does not take: the view answers 405
        cap = required_cap(view, request.method or "")
        if cap is None:  # an undeclared action is refused, never open
            return False
        if user.has_cap(cap):
            return True
        audit_record(
            actor=user,
            action=AuditEvent.Action.DENIED,
            changes={"capability": cap.value, "path": request.path},
        )
        return False
