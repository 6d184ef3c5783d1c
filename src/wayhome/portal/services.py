"""Writes of the relatives' page: codes, sessions and what relatives send in.

Nothing here answers differently for a reference that exists and one that does not:
both get a ``PortalAccess`` row, a cookie and the same page, and both count against the
same throttles. Codes and session tokens are kept only as keyed hashes; a code works
once, for a few minutes, for a few tries. Every step is an audit event (without an
actor: relatives have no account).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.comms.models import Channel, CommEntry
from wayhome.comms.services import channel_allowed, portal_code_queue
from wayhome.people.models import Person
from wayhome.portal import conf
from wayhome.portal.models import PortalAccess, PortalSubmission
from wayhome.tracing.models import InformationReport, TracingRequest

A = AuditEvent.Action
MAX_MESSAGE = 4000
MAX_PHOTO = 5 * 1024 * 1024
IMAGE_TYPES = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


def _hash(value: str, purpose: str) -> str:
    return salted_hmac(f"wayhome.portal.{purpose}", value, algorithm="sha256").hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def normalise_reference(reference: str) -> str:
    return "".join(reference.split()).upper()[:30]


def _audit(access: PortalAccess, action: str, event: str, **changes: Any) -> None:
    audit_record(
        actor=None,
        action=action,
        obj=access.request if access.request_id else access,
        agency=access.agency,
        changes={"portal": event, "access": str(access.uuid), **changes},
    )


class Throttled(Exception):
    """Too many attempts from this address or for this reference: try later."""


def _find(reference: str) -> TracingRequest | None:
    """The one live request with this reference; None if none, several or withdrawn."""
    rows = list(
        TracingRequest.objects.filter(reference__iexact=reference)
        .exclude(closure_reason=TracingRequest.Closure.WITHDRAWN)
        .select_related("inquirer", "agency")[:2]
    )
    return rows[0] if len(rows) == 1 else None


@dataclass(frozen=True)
class Started:
    token: str
    access: PortalAccess
    demo_code: str = ""  # only with settings.DEMO_MODE: the demo page shows it


@transaction.atomic
def access_start(*, reference: str, channel: str, client: str) -> Started:
    """Ask for a code. The answer never says whether the reference exists; a code goes
    out only to the contact on file, on a channel the inquirer consented to."""
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose SMS or e-mail.")})
    ref = normalise_reference(reference)
    if not ref:
        raise ValidationError({"reference": _("Enter the reference of your request.")})
    now = timezone.now()
    hour = now - dt.timedelta(hours=1)
    # Dead rows (a code lasts minutes, a session twenty) serve only the hourly throttle:
    # the audit trail keeps what happened, so they need not pile up.
    PortalAccess.objects.filter(created_at__lt=now - dt.timedelta(days=1)).delete()
    ref_hash, client_hash = _hash(ref, "reference"), _hash(client, "client")
    by_client = PortalAccess.objects.filter(client_hash=client_hash, created_at__gte=hour).count()
    by_ref = PortalAccess.objects.filter(reference_hash=ref_hash, created_at__gte=hour).count()
    if by_client >= conf.max_starts_per_client() or by_ref >= conf.max_codes_per_reference():
        audit_record(
            actor=None, action=A.DENIED, changes={"portal": "throttled", "client": client_hash[:16]}
        )
        raise Throttled
    request = _find(ref)
    usable = request is not None and channel_allowed(request.inquirer, channel)
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(10**6):06d}"
    access = PortalAccess.objects.create(
        agency=request.agency if usable and request is not None else None,
        request=request if usable else None,
        token_hash=token_hash(token),
        reference_hash=ref_hash,
        client_hash=client_hash,
        channel=channel,
        code_expires_at=now + dt.timedelta(minutes=conf.code_minutes()),
    )
    if usable and request is not None:
        access.code_hash = _hash(f"{access.uuid}:{code}", "code")
        access.save(update_fields=["code_hash", "updated_at"])
        portal_code_queue(
            request=request,
            channel=channel,
            code=code,
            occurrence=f"code:{access.uuid}",
            minutes=conf.code_minutes(),
        )
    _audit(access, A.CREATE, "code_requested", channel=channel, matched=usable)
    demo = code if usable and settings.DEMO_MODE else ""
    return Started(token, access, demo)


def access_for(token: str) -> PortalAccess | None:
    if not token:
        return None
    return (
        PortalAccess.objects.select_related("request", "request__inquirer", "agency")
        .filter(token_hash=token_hash(token), ended_at__isnull=True)
        .first()
    )


@transaction.atomic
def access_verify(*, token: str, code: str) -> str | None:
    """Check the code; on success return a new session token (the old one dies)."""
    found = access_for(token)
    if found is None or found.verified_at is not None:
        return None
    access = PortalAccess.objects.select_for_update().get(pk=found.pk)
    now = timezone.now()
    usable = (
        bool(access.code_hash) and access.code_expires_at > now and access.tries < conf.max_tries()
    )
    given = "".join(code.split())
    right = usable and hmac.compare_digest(
        access.code_hash, _hash(f"{access.uuid}:{given}", "code")
    )
    if not right:
        access.tries += 1
        access.save(update_fields=["tries", "updated_at"])
        _audit(access, A.LOGIN_FAILED, "code_wrong", tries=access.tries)
        return None
    new_token = secrets.token_urlsafe(32)
    access.token_hash = token_hash(new_token)
    access.code_hash = ""  # single use
    access.verified_at = now
    access.expires_at = now + dt.timedelta(minutes=conf.session_minutes())
    access.save()
    _audit(access, A.LOGIN, "code_accepted")
    return new_token


def session_for(token: str) -> PortalAccess | None:
    """The verified, unexpired session this token opens, or None."""
    access = access_for(token)
    if access is None or access.verified_at is None or access.request is None:
        return None
    if access.expires_at is None or access.expires_at <= timezone.now():
        return None
    return access


@transaction.atomic
def access_end(*, token: str) -> None:
    access = access_for(token)
    if access is None:
        return
    access.ended_at = timezone.now()
    access.save(update_fields=["ended_at", "updated_at"])
    _audit(access, A.LOGOUT, "ended")


def access_viewed(access: PortalAccess, page: str, persons: Sequence[Person] = ()) -> None:
    """Record that the relative read their request's page, and each sought person shown
    on it (so "who saw this person" finds portal reads too)."""
    _audit(access, A.VIEW, page)
    for person in persons:
        audit_record(
            actor=None,
            action=A.VIEW,
            obj=person,
            person_uuid=person.uuid,
            agency=access.agency,
            changes={"portal": page, "access": str(access.uuid)},
        )


def _photo(upload: Any) -> tuple[str, str]:
    if upload.size > MAX_PHOTO:
        raise ValidationError({"photo": _("A photograph may be at most 5 MB.")})
    from PIL import Image

    try:
        upload.seek(0)
        with Image.open(upload) as img:
            img.verify()
            fmt = img.format or ""
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError({"photo": _("This file is not a photograph.")}) from exc
    finally:
        upload.seek(0)
    if fmt not in IMAGE_TYPES:
        raise ValidationError({"photo": _("Send a JPEG, PNG or WebP photograph.")})
    return IMAGE_TYPES[fmt]


@transaction.atomic
def submission_create(*, access: PortalAccess, message: str, photo: Any = None) -> PortalSubmission:
    """What a relative sends becomes an information report on their request's sought
    persons, marked for review, and an incoming entry in the communication log."""
    request = access.request
    if request is None or access.verified_at is None:
        raise PermissionError("Not a verified portal session.")
    message = message.strip()
    if not message and not photo:
        raise ValidationError({"message": _("Write a message or choose a photograph.")})
    if len(message) > MAX_MESSAGE:
        raise ValidationError({"message": _("The message is too long.")})
    suffix, content_type = _photo(photo) if photo else ("", "")
    persons = [link.person for link in request.sought_links.select_related("person")]
    report = InformationReport.objects.create(
        agency_id=request.agency_id,
        received_on=timezone.localdate(),
        channel=InformationReport.Channel.OTHER,
        source=f"Relatives' page: the inquirer of {request.reference}",
        reliability=InformationReport.Reliability.UNKNOWN,
        summary=message or "(a photograph, no message)",
    )
    report.persons.set(persons)
    submission = PortalSubmission(
        agency_id=request.agency_id, request=request, report=report, photo_type=content_type
    )
    if photo:
        submission.photo.save(f"p.{suffix}", photo, save=False)
    submission.save()
    entry = CommEntry.objects.create(
        agency_id=request.agency_id,
        request=request,
        occurred_on=timezone.localdate(),
        medium=CommEntry.Medium.PORTAL,
        direction=CommEntry.Direction.IN,
        inquirer=request.inquirer,
        summary=message or "(a photograph)",
    )
    audit_record(
        actor=None,
        action=A.CREATE,
        obj=report,
        agency=request.agency,
        changes={
            "portal": "information_sent",
            "access": str(access.uuid),
            "request": str(request.uuid),
            "photo": bool(photo),
            "submission": str(submission.uuid),
            "comm_entry": str(entry.uuid),
            "persons": sorted(str(p.uuid) for p in persons),
        },
    )
    return submission


@transaction.atomic
def submission_review(*, actor: User, submission: PortalSubmission) -> PortalSubmission:
    """A caseworker has read what the relative sent (and acted on it)."""
    if submission.agency_id != actor.agency_key:
        raise PermissionError("Record belongs to another agency.")
    if submission.reviewed_at is not None:
        raise ValidationError(_("This was already reviewed."))
    submission.reviewed_at, submission.reviewed_by = timezone.now(), actor
    submission.save(update_fields=["reviewed_at", "reviewed_by", "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=submission,
        changes={
            "reviewed_at": [None, submission.reviewed_at],
            "report": str(submission.report.uuid),
        },
    )
    return submission
