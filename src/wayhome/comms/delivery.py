"""Sending what the outbox holds: e-mail through Django's mail backend, SMS through a
generic HTTP gateway, and the bookkeeping that makes retries safe.

A row is *claimed* (queued → sending) in its own committed transaction before anything
leaves, so two workers never send the same row; consent is checked again at that moment,
so a withdrawal recorded after queuing still stops the message. A row left in
``sending`` by a crash is not sent again automatically (the gateway may have accepted
it): ``wayhome notifications send`` reports it for a person to look at. The SMS gateway
receives the notification's UUID as its client reference, so a gateway that
de-duplicates on it makes even a manual resend harmless.

The address is read from the inquirer when the message leaves, never copied into the
outbox: a corrected phone number is used, and erasing or anonymising an inquirer leaves
no stray copy of their contact details here. Logs carry notification UUIDs and
outcomes only, never an address or a text.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.comms.models import Channel, Kind, Notification
from wayhome.comms.services import address_of, channel_allowed

log = logging.getLogger(__name__)
S = Notification.Status
MAX_ATTEMPTS = 5
CODE_ATTEMPTS = 2  # a code is useless after a few minutes: the relative asks again
STUCK_AFTER = dt.timedelta(minutes=15)


class DeliveryError(Exception):
    """A send failed; the message says why without any address or text."""


@dataclass(frozen=True)
class Outcome:
    status: str
    gateway_id: str = ""


def send_email(row: Notification) -> Outcome:
    """Hand the message to Django's mail backend (SMTP in production); the Message-ID
    we set is the id we keep."""
    domain = str(getattr(settings, "WAYHOME_EMAIL_DOMAIN", "wayhome.invalid"))
    message_id = make_msgid(idstring=row.uuid.hex[:12], domain=domain)
    message = EmailMessage(
        subject=row.subject,
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address_of(row.inquirer, row.channel)],
        headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
        connection=get_connection(fail_silently=False),
    )
    try:
        message.send()
    except (OSError, ValueError) as exc:  # smtplib errors are OSErrors
        raise DeliveryError(f"e-mail: {type(exc).__name__}") from exc
    return Outcome(S.SENT, message_id)


def _gateway() -> tuple[str, str]:
    url = str(getattr(settings, "WAYHOME_SMS_GATEWAY_URL", "") or "")
    token = str(getattr(settings, "WAYHOME_SMS_GATEWAY_TOKEN", "") or "")
    if not url:
        raise DeliveryError("sms: no gateway configured (WAYHOME_SMS_GATEWAY_URL)")
    if urlsplit(url).scheme not in ("http", "https"):
        raise DeliveryError("sms: the gateway URL must be http or https")
    return url, token


def send_sms(row: Notification) -> Outcome:
    """POST ``{"to", "text", "sender", "client_ref"}`` as JSON with a bearer token; the
    gateway answers 2xx with ``{"id": ...}`` (or ``message_id``)."""
    url, token = _gateway()
    payload = {
        "to": address_of(row.inquirer, row.channel),
        "text": row.body,
        "sender": str(getattr(settings, "WAYHOME_SMS_SENDER", "") or ""),
        "client_ref": str(row.uuid),
    }
    request = urllib.request.Request(  # noqa: S310  (scheme checked in _gateway)
        url,
        data=json.dumps(payload).encode("utf-8"),
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            **({"Authorization": f"Bearer {token}"} if token else {}),
        },
        method="POST",
    )
    timeout = float(getattr(settings, "WAYHOME_SMS_GATEWAY_TIMEOUT", 10))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            answer = json.loads(response.read(65536) or b"{}")
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"sms: gateway answered {exc.code}") from exc
    except (OSError, ValueError) as exc:
        raise DeliveryError(f"sms: {type(exc).__name__}") from exc
    gateway_id = (
        str(answer.get("id") or answer.get("message_id") or "") if isinstance(answer, dict) else ""
    )
    if not gateway_id:
        raise DeliveryError("sms: the gateway gave no message id")
    return Outcome(S.SENT, gateway_id[:200])


SENDERS = {Channel.EMAIL: send_email, Channel.SMS: send_sms}


def _record(row: Notification, changes: dict[str, object]) -> None:
    audit_record(
        actor=None, action=AuditEvent.Action.SYSTEM, obj=row, agency=row.agency, changes=changes
    )


def _claim(pk: int) -> Notification | None:
    """Move a due row to ``sending`` and commit, or None if it is not ours to send."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update()
            .select_related("inquirer", "agency")
            .filter(pk=pk, status__in=(S.QUEUED, S.FAILED))
            .first()
        )
        if row is None or (row.next_attempt_at is not None and row.next_attempt_at > now):
            return None
        if row.status == S.FAILED and row.next_attempt_at is None:
            return None  # gave up; a person may retry it
        before = row.status
        row.status, row.attempts = S.SENDING, row.attempts + 1
        row.save(update_fields=["status", "attempts", "updated_at"])
        _record(row, {"status": [before, S.SENDING], "attempt": row.attempts})
    return row


def _finish(row: Notification, **values: object) -> None:
    with transaction.atomic():
        for key, value in values.items():
            setattr(row, key, value)
        if row.kind == Kind.PORTAL_CODE and row.status != S.SENDING:
            row.body = ""  # a code is never kept readable once it has left (or cannot)
        row.save()
        _record(
            row,
            {
                "status": [S.SENDING, row.status],
                "gateway_id": row.gateway_id,
                "error": row.last_error,
            },
        )


def deliver(pk: int) -> str | None:
    """Send one outbox row if it is due; return its new status (None: not sent now)."""
    row = _claim(pk)
    if row is None:
        return None
    if not channel_allowed(row.inquirer, row.channel):
        _finish(row, status=S.CANCELLED, last_error="consent withdrawn before sending", body="")
        log.info("notification %s cancelled: no consent on %s", row.uuid, row.channel)
        return row.status
    expired = row.kind == Kind.PORTAL_CODE and timezone.now() - row.created_at > dt.timedelta(
        minutes=30
    )
    if expired:
        _finish(row, status=S.FAILED, last_error="code too old to send", next_attempt_at=None)
        return row.status
    try:
        outcome = SENDERS[Channel(row.channel)](row)
    except DeliveryError as exc:
        limit = CODE_ATTEMPTS if row.kind == Kind.PORTAL_CODE else MAX_ATTEMPTS
        retry = (
            timezone.now() + dt.timedelta(minutes=2**row.attempts) if row.attempts < limit else None
        )
        _finish(row, status=S.FAILED, last_error=str(exc)[:300], next_attempt_at=retry)
        log.warning("notification %s failed (attempt %d): %s", row.uuid, row.attempts, exc)
        return row.status
    _finish(
        row,
        status=outcome.status,
        gateway_id=outcome.gateway_id,
        sent_at=timezone.now(),
        last_error="",
        next_attempt_at=None,
    )
    log.info("notification %s sent by %s", row.uuid, row.channel)
    return row.status


def deliver_ids(ids: Iterable[int]) -> dict[str, int]:
    """Send the given rows (just queued); never raises, so a caller's commit is safe."""
    counts: dict[str, int] = {}
    for pk in ids:
        try:
            status = deliver(pk)
        except Exception:  # a bug must not break the request that queued it
            log.exception("notification id %s: unexpected error while sending", pk)
            status = "error"
        if status is not None:
            counts[status] = counts.get(status, 0) + 1
    return counts


@dataclass(frozen=True)
class DrainReport:
    counts: dict[str, int]
    stuck: int


def drain(limit: int = 500) -> DrainReport:
    """Send every due row (queued, or failed and due for a retry), oldest first."""
    now = timezone.now()
    due = (
        Notification.objects.filter(status=S.QUEUED)
        | Notification.objects.filter(status=S.FAILED, next_attempt_at__lte=now)
    ).order_by("created_at", "id")
    ids = list(due.values_list("pk", flat=True)[:limit])
    stuck = Notification.objects.filter(status=S.SENDING, updated_at__lt=now - STUCK_AFTER).count()
    return DrainReport(deliver_ids(ids), stuck)


@transaction.atomic
def delivery_report(*, gateway_id: str, delivered: bool, error: str = "") -> Notification | None:
    """The gateway says an SMS reached the phone (or never will)."""
    row = (
        Notification.objects.select_for_update()
        .filter(channel=Channel.SMS, gateway_id=gateway_id, status__in=(S.SENT, S.SENDING))
        .first()
    )
    if row is None or not gateway_id:
        return None
    before = row.status
    if delivered:
        row.status, row.delivered_at = S.DELIVERED, timezone.now()
    else:
        row.status, row.last_error, row.next_attempt_at = S.FAILED, error[:300], None
    row.save(
        update_fields=["status", "delivered_at", "last_error", "next_attempt_at", "updated_at"]
    )
    _record(row, {"status": [before, row.status], "gateway_id": gateway_id})
    return row
