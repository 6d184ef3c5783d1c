"""Reads of API clients and tokens (agency administrators), and token look-up."""

from __future__ import annotations

import hmac
import uuid

from django.db.models import QuerySet
from django.http import Http404

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.api.models import ApiClient, ApiToken
from wayhome.api.services import TOKEN_PREFIX, token_digest


def clients_visible_to(user: User) -> QuerySet[ApiClient]:
    if not user.has_cap(Cap.API_ADMIN):
        return ApiClient.objects.none()
    return ApiClient.objects.filter(agency_id=user.agency_key).select_related("acting_user")


def client_get(user: User, key: uuid.UUID | str) -> ApiClient:
    try:
        return clients_visible_to(user).get(uuid=key)
    except (ApiClient.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def token_get(user: User, key: uuid.UUID | str) -> ApiToken:
    try:
        return ApiToken.objects.select_related("client").get(
            uuid=key, client__in=clients_visible_to(user)
        )
    except (ApiToken.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def token_find(raw: str) -> ApiToken | None:
    """The usable token this text is, or None (unknown, wrong secret, expired, revoked,
    or its client switched off). The secret is compared in constant time."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, _sep, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret:
        return None
    token = (
        ApiToken.objects.select_related(
            "client", "client__service_user", "client__acting_user", "client__agency"
        )
        .filter(prefix=prefix)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, token_digest(secret)):
        return None
    if not token.is_usable or not token.client.is_active:
        return None
    return token
