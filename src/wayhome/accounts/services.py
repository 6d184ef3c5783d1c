"""Writes to accounts: second factors, sessions. Audited like every other write."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record

RECOVERY_CODES = 10


def totp_pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up, created on first call."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm an authenticator with a first code; return fresh recovery codes, or None.

    Confirming replaces any earlier authenticator and recovery codes: one phone at a time.
    """
    if device.user_id != user.pk or not device.verify_token(token):
        audit_record(
            actor=user, action=AuditEvent.Action.LOGIN_FAILED, changes={"step": "mfa_setup"}
        )
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_reset(user=user)
    audit_record(actor=user, action=AuditEvent.Action.UPDATE, obj=None, changes={"mfa": "enrolled"})
    return codes


def recovery_codes_reset(*, user: User) -> list[str]:
    """Replace the user's recovery codes; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def has_confirmed_device(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


@transaction.atomic
def user_end_sessions(*, actor: User, user: User) -> None:
    """End every session of ``user`` now (lost laptop, departure, suspicion)."""
    if actor.agency_id != user.agency_id and not actor.is_superuser:
        raise PermissionError("Account belongs to another agency.")
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, changes={"sessions_ended_for": str(user.uuid)}
    )
