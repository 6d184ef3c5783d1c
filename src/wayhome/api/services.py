"""Writes to API clients and tokens: atomic, audited, for agency administrators."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.api.models import ApiClient, ApiToken
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, snapshot

A = AuditEvent.Action
TOKEN_PREFIX = "wh_"  # noqa: S105  (a marker that says what the text is, not a secret)
MAX_TOKEN_DAYS = 366
DEFAULT_TOKEN_DAYS = 90
CLIENT_FIELDS = ("name", "role", "acting_user", "is_active", "notes")


def token_digest(secret: str) -> str:
    """What is stored of a token: its SHA-256 (a 256-bit random secret needs no slow hash)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_client(actor: User, name: str, role: str, acting_user: User | None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the client a name.")})
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if acting_user is not None and (
        acting_user.agency_id != actor.agency_key or not acting_user.is_active
    ):
        raise ValidationError({"acting_user": _("Choose an active colleague of your agency.")})
    if acting_user is not None and hasattr(acting_user, "api_client"):
        raise ValidationError({"acting_user": _("A client cannot act as another client.")})
    return name


@transaction.atomic
def client_create(
    *,
    actor: User,
    name: str,
    role: str,
    acting_user: User | None = None,
    notes: str = "",
) -> ApiClient:
    """Register another system; it gets its own service account, which cannot log in."""
    name = _check_client(actor, name, role, acting_user)
    service_user = User(
        username=f"api-{uuid.uuid4().hex[:16]}",
        agency_id=actor.agency_key,
        role=role,
        first_name=name[:150],
    )
    service_user.set_unusable_password()
    service_user.save()
    try:
        with transaction.atomic():
            client = ApiClient.objects.create(
                agency_id=actor.agency_key,
                created_by=actor,
                name=name,
                role=role,
                acting_user=acting_user,
                service_user=service_user,
                notes=notes.strip(),
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"name": _("Your agency already has a client of that name.")}
        ) from exc
    audit_record(actor=actor, action=A.CREATE, obj=client, changes=snapshot(client, CLIENT_FIELDS))
    return client


@transaction.atomic
def client_set_active(*, actor: User, client: ApiClient, active: bool) -> ApiClient:
    """Switch a client off (every token stops working at once) or on again."""
    if client.agency_id != actor.agency_key:
        raise PermissionError("Record belongs to another agency.")
    if client.is_active == active:
        return client
    client.is_active = active
    client.save(update_fields=["is_active", "updated_at"])
    User.objects.filter(pk=client.service_user_id).update(is_active=active)
    audit_record(
        actor=actor, action=A.UPDATE, obj=client, changes={"is_active": [not active, active]}
    )
    return client


@transaction.atomic
def token_issue(
    *, actor: User, client: ApiClient, days: int = DEFAULT_TOKEN_DAYS, label: str = ""
) -> tuple[ApiToken, str]:
    """A new token for the client, and its text: shown once, never stored."""
    if client.agency_id != actor.agency_key:
        raise PermissionError("Record belongs to another agency.")
    if not client.is_active:
        raise ValidationError(_("This client is switched off: switch it on first."))
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {"days": _("A token lasts from 1 to %(max)d days.") % {"max": MAX_TOKEN_DAYS}}
        )
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        client=client,
        label=label.strip()[:200],
        prefix=prefix,
        digest=token_digest(secret),
        expires_at=timezone.now() + dt.timedelta(days=days),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=token,
        agency=client.agency,
        changes={"client": str(client.uuid), "prefix": prefix, "expires_at": token.expires_at},
    )
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Stop a token for good (effective on its next request)."""
    if token.client.agency_id != actor.agency_key:
        raise PermissionError("Record belongs to another agency.")
    if token.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."))
    token.revoked_at, token.revoked_by = timezone.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=token,
        agency=token.client.agency,
        changes={"revoked_at": [None, token.revoked_at]},
    )
    return token


def token_touch(token: ApiToken) -> None:
    """Note when a token was last used, at most once a minute (not audited: every API
    request's own reads and writes are)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
