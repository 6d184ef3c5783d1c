"""Writes of the communication log, message templates and the notification outbox.

Each is atomic and audited in its transaction. Queuing a notification renders it at once
(what was decided is what is sent) and hands it to ``delivery`` after commit, never
inside the transaction: a slow gateway must not hold a row lock or roll back a case.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wayhome.accounts.models import Agency, User
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, snapshot
from wayhome.comms import texts
from wayhome.comms.models import Channel, CommEntry, Kind, MessageTemplate, Notification
from wayhome.people.models import FamilyGroup, Person
from wayhome.protection.models import Scope
from wayhome.protection.selectors import current_consent
from wayhome.tracing.models import Inquirer, TracingRequest

log = logging.getLogger(__name__)
A = AuditEvent.Action
ENTRY_FIELDS = ("occurred_on", "medium", "direction", "staff", "inquirer", "relative", "summary")
MAX_ATTACHMENT = 10 * 1024 * 1024
_SCOPE = {Channel.EMAIL: Scope.NOTIFY_EMAIL, Channel.SMS: Scope.NOTIFY_SMS}


def _today() -> dt.date:
    return timezone.localdate()


def _check_own(actor: User, *objs: Any) -> None:
    for obj in objs:
        if obj is not None and obj.agency_id != actor.agency_key:
            # The views' selectors 404 first: reaching here is a bug, not a user error.
            raise PermissionError("Record belongs to another agency.")


# --- the communication log -----------------------------------------------------------


def _attachment_type(upload: Any) -> str:
    """The attachment's real type, from its content: a PDF or an image, up to 10 MB."""
    if upload.size > MAX_ATTACHMENT:
        raise ValidationError({"attachment": _("An attachment may be at most 10 MB.")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    from PIL import Image

    try:
        with Image.open(upload) as img:
            img.verify()
            fmt = img.format or ""
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            {"attachment": _("Attach a PDF or an image (JPEG, PNG, GIF, WebP).")}
        ) from exc
    finally:
        upload.seek(0)
    types = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
    if fmt not in types:
        raise ValidationError({"attachment": _("Attach a PDF or an image (JPEG, PNG, GIF, WebP).")})
    return types[fmt]


_SUFFIX = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
}


@transaction.atomic
def comm_entry_create(
    *,
    actor: User,
    occurred_on: dt.date,
    medium: str,
    direction: str,
    summary: str,
    request: TracingRequest | None = None,
    family: FamilyGroup | None = None,
    inquirer: Inquirer | None = None,
    relative: str = "",
    attachment: Any = None,
) -> CommEntry:
    """Log one exchange with a family, on a tracing request or on a family group."""
    if (request is None) == (family is None):
        raise TypeError("Give exactly one of request and family.")
    _check_own(actor, request, family, inquirer)
    if occurred_on > _today():
        raise ValidationError({"occurred_on": _("The date is in the future.")})
    if medium not in CommEntry.Medium.values:
        raise ValidationError({"medium": _("Choose how it happened.")})
    if direction not in CommEntry.Direction.values:
        raise ValidationError(
            {"direction": _("Say whether it came from the family or went to it.")}
        )
    if not summary.strip():
        raise ValidationError({"summary": _("Summarise what was said.")})
    if request is not None and inquirer is None and not relative.strip():
        inquirer = request.inquirer
    content_type = _attachment_type(attachment) if attachment else ""
    entry = CommEntry(
        agency_id=actor.agency_key,
        created_by=actor,
        request=request,
        family=family,
        occurred_on=occurred_on,
        medium=medium,
        direction=direction,
        staff=actor,
        inquirer=inquirer,
        relative=relative.strip(),
        summary=summary.strip(),
        attachment_type=content_type,
    )
    if attachment:
        entry.attachment.save(f"a.{_SUFFIX[content_type]}", attachment, save=False)
    entry.save()
    subject = request if request is not None else family
    assert subject is not None  # noqa: S101  (narrowing for mypy)
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=entry,
        changes={
            "subject": str(subject.uuid),
            **snapshot(entry, ENTRY_FIELDS),
            "attachment": bool(attachment),
        },
    )
    return entry


# --- message templates ----------------------------------------------------------------


def template_current(
    agency_id: int, kind: str, language: str, channel: str
) -> MessageTemplate | None:
    """The agency's newest version, or None while the built-in text applies."""
    return (
        MessageTemplate.objects.filter(
            agency_id=agency_id, kind=kind, language=language, channel=channel
        )
        .order_by("-version")
        .first()
    )


def template_text(agency_id: int, kind: str, language: str, channel: str) -> tuple[str, str, int]:
    """(subject, body, version) to send; version 0 is the built-in text."""
    current = template_current(agency_id, kind, language, channel)
    if current is not None:
        return current.subject, current.body, current.version
    lang = language if language in texts.DEFAULTS[kind] else "en"
    subject, body = texts.DEFAULTS[kind][lang]
    return subject, body, 0


@transaction.atomic
def template_save(
    *, actor: User, kind: str, language: str, channel: str, subject: str, body: str
) -> MessageTemplate:
    """Save a new version of an agency's wording; earlier versions stay as they were."""
    if kind not in Kind.values or channel not in Channel.values:
        raise ValidationError(_("Unknown kind of message or channel."))
    if language not in dict(Inquirer._meta.get_field("language").choices or []):
        raise ValidationError({"language": _("Unknown language.")})
    subject, body = subject.strip(), body.strip()
    texts.check_template(kind, channel, subject, body)
    if channel == Channel.SMS:
        subject = ""
    last = MessageTemplate.objects.filter(
        agency_id=actor.agency_key, kind=kind, language=language, channel=channel
    ).aggregate(v=Max("version"))["v"]
    template = MessageTemplate.objects.create(
        agency_id=actor.agency_key,
        created_by=actor,
        kind=kind,
        language=language,
        channel=channel,
        version=(last or 0) + 1,
        subject=subject,
        body=body,
    )
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=template,
        changes={
            "kind": kind,
            "language": language,
            "channel": channel,
            "version": template.version,
            "subject": subject,
            "body": body,
        },
    )
    return template


# --- the outbox -------------------------------------------------------------------------


def address_of(inquirer: Inquirer, channel: str) -> str:
    value: str = inquirer.email if channel == Channel.EMAIL else inquirer.phone
    return value.strip()


def channel_allowed(inquirer: Inquirer, channel: str) -> bool:
    """Whether the inquirer may be sent a message on ``channel`` now: they consented to
    notifications on it (the latest decision stands), have not withdrawn their consent to
    be contacted at all, and an address is on file."""
    if current_consent(Scope.CONTACT, inquirer=inquirer) is False:
        return False
    if current_consent(_SCOPE[Channel(channel)], inquirer=inquirer) is not True:
        return False
    return bool(address_of(inquirer, channel))


def portal_url() -> str:
    base = str(getattr(settings, "WAYHOME_PUBLIC_URL", "")).rstrip("/")
    return f"{base}{reverse('portal:start')}"


def _values(
    agency: Agency, request: TracingRequest | None, extra: dict[str, str]
) -> dict[str, str]:
    return {
        "reference": request.reference if request is not None else "",
        "agency": agency.name,
        "portal_url": portal_url(),
        **extra,
    }


def _enqueue(
    *,
    actor: User | None,
    inquirer: Inquirer,
    request: TracingRequest | None,
    kind: str,
    occurrence: str,
    channel: str,
    extra: dict[str, str] | None = None,
) -> Notification | None:
    """One outbox row, unless this occurrence was already queued on this channel."""
    exists = Notification.objects.filter(
        inquirer=inquirer, occurrence=occurrence, channel=channel
    ).exists()
    if exists:
        return None
    agency = inquirer.agency
    subject, body, version = template_text(agency.pk, kind, inquirer.language, channel)
    values = _values(agency, request, extra or {})
    row = Notification(
        agency=agency,
        created_by=actor,
        inquirer=inquirer,
        request=request,
        kind=kind,
        occurrence=occurrence,
        channel=channel,
        language=inquirer.language,
        template_version=version,
        subject=texts.render(subject, values) if channel == Channel.EMAIL else "",
        body=texts.render(body, values),
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # a concurrent sender queued the same occurrence first
        return None
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=row,
        agency=agency,
        changes={
            "kind": kind,
            "channel": channel,
            "occurrence": occurrence,
            "inquirer": str(inquirer.uuid),
            "request": str(request.uuid) if request is not None else None,
            "template_version": version,
        },
    )
    return row


def _after_commit(rows: list[Notification]) -> None:
    if rows and getattr(settings, "WAYHOME_NOTIFY_ON_COMMIT", True):
        ids = [r.pk for r in rows]

        def send() -> None:
            from wayhome.comms.delivery import deliver_ids

            deliver_ids(ids)

        transaction.on_commit(send, robust=True)


def requests_to_notify(person: Person) -> list[TracingRequest]:
    """The person's agency's requests seeking them that an inquirer still follows."""
    return list(
        TracingRequest.objects.filter(agency_id=person.agency_id, sought_links__person=person)
        .exclude(closure_reason=TracingRequest.Closure.WITHDRAWN)
        .select_related("inquirer", "inquirer__agency")
        .distinct()
        .order_by("id")
    )


@transaction.atomic
def notifications_queue(
    *,
    actor: User | None,
    person: Person,
    milestone: str,
    key: str,
    request: TracingRequest | None = None,
) -> list[Notification]:
    """Queue the news of a milestone for every inquirer seeking ``person`` (or only for
    ``request``'s inquirer), once per inquirer and occurrence, on each consented channel."""
    if milestone not in Kind.values or milestone == Kind.PORTAL_CODE:
        raise ValueError(f"Not a milestone: {milestone}")
    candidates = [request] if request is not None else requests_to_notify(person)
    queued: list[Notification] = []
    seen: set[int] = set()
    for req in candidates:
        inquirer = req.inquirer
        if inquirer.pk in seen or req.agency_id != person.agency_id:
            continue
        seen.add(inquirer.pk)
        for channel in Channel.values:
            if not channel_allowed(inquirer, channel):
                continue
            row = _enqueue(
                actor=actor,
                inquirer=inquirer,
                request=req,
                kind=milestone,
                occurrence=f"{milestone}:{key}",
                channel=channel,
            )
            if row is not None:
                queued.append(row)
    _after_commit(queued)
    return queued


@transaction.atomic
def portal_code_queue(
    *, request: TracingRequest, channel: str, code: str, occurrence: str, minutes: int
) -> Notification | None:
    """Queue a one-time code to the inquirer's contact on file, if the channel is
    consented (the portal checks first; this checks again)."""
    inquirer = request.inquirer
    if not channel_allowed(inquirer, channel):
        return None
    row = _enqueue(
        actor=None,
        inquirer=inquirer,
        request=request,
        kind=Kind.PORTAL_CODE,
        occurrence=occurrence,
        channel=channel,
        extra={"code": code, "minutes": str(minutes)},
    )
    _after_commit([row] if row is not None else [])
    return row


@transaction.atomic
def notification_retry(*, actor: User, notification: Notification) -> Notification:
    """Send a failed notification again (the outbox keeps it the same row)."""
    _check_own(actor, notification)
    if notification.status != Notification.Status.FAILED:
        raise ValidationError(_("Only a failed notification can be sent again."))
    if notification.kind == Kind.PORTAL_CODE:
        raise ValidationError(_("A one-time code is not sent again; the relative asks anew."))
    notification.status = Notification.Status.QUEUED
    notification.next_attempt_at = None
    notification.save(update_fields=["status", "next_attempt_at", "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=notification,
        changes={"status": [Notification.Status.FAILED, Notification.Status.QUEUED]},
    )
    _after_commit([notification])
    return notification
