"""Token authentication for the API: ``Authorization: Bearer wh_<prefix>_<secret>``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.api.models import ApiToken
from wayhome.api.selectors import token_find
from wayhome.api.services import token_touch


class ApiActor(User):
    """The user an API request acts as, bounded by its client's capabilities.

    Selectors and services ask ``has_cap`` (which rows, which fields); for a client that
    acts as a colleague, the answer must be what both the client's role and the
    colleague's allow, so it is asked of this proxy everywhere, not only at the gate.
    """

    api_caps: frozenset[Cap] = frozenset()
    # The client's role: fields are read as the stricter of it and the user's own.
    api_role: str | None = None

    class Meta:
        proxy = True

    def has_cap(self, cap: Cap) -> bool:
        return cap in self.api_caps and super().has_cap(cap)


class ApiTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[ApiActor, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the token as: Authorization: Bearer <token>."))
        token = token_find(parts[1].decode("latin-1"))
        if token is None:
            raise AuthenticationFailed(_("This token is unknown, expired or revoked."))
        client = token.client
        user = client.acting_user or client.service_user
        if not user.is_active or user.agency_id != client.agency_id:
            raise AuthenticationFailed(_("This token is unknown, expired or revoked."))
        token_touch(token)
        user.__class__ = ApiActor
        actor: Any = user
        actor.api_caps = client.caps()
        actor.api_role = client.role
        return actor, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="wayhome"'
