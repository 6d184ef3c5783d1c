"""Writing audit events. Every service calls ``audit_record`` inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from wayhome.accounts.models import Agency, User
from wayhome.audit import chain, context
from wayhome.audit.models import AuditEvent
from wayhome.core.crypto import EncryptedTextField

Changes = dict[str, list[Any]]


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if isinstance(value, models.Model):
        return str(getattr(value, "uuid", value.pk))
    if isinstance(value, dt.date | dt.datetime | uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields``, JSON-safe, for diffing before a change."""
    out: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        value = getattr(instance, attname)
        if isinstance(field, models.ForeignKey) and value is not None:
            related = getattr(instance, name)
            value = related
        if isinstance(field, EncryptedTextField):
            value = _fingerprint(value)
        out[name] = _plain(value)
    return out


def _fingerprint(value: str | None) -> str:
    """What the append-only trail keeps of an encrypted field: never the text (it could
    not be re-encrypted or erased there), a keyed hash that shows whether it changed."""
    if not value:
        return ""
    digest = salted_hmac("wayhome.audit.encrypted-field", value, algorithm="sha256")
    return f"[encrypted text {digest.hexdigest()[:12]}]"


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """``{field: [old, new]}`` for the fields whose values differ."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


# Any constant: the key of the PostgreSQL advisory lock that orders writers of the chain.
_CHAIN_LOCK_KEY = 7_202_611


def _lock_chain() -> None:
    """Hold the chain until this transaction ends, so events link in commit order.

    SQLite serialises writing transactions already (IMMEDIATE mode); PostgreSQL needs
    an advisory lock, released automatically at commit or rollback.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _agency_of(obj: models.Model | None, actor: User | None) -> Agency | None:
    """The record's agency, or else the actor's. A record of the actor's own agency (the
    usual case) takes the actor's, already loaded for the scope check, rather than load
    the same row again."""
    if actor is not None and obj is not None:
        agency_id = getattr(obj, "agency_id", None)
        if agency_id is not None and agency_id == actor.agency_id:
            return actor.agency
    agency = getattr(obj, "agency", None) if obj is not None else None
    if agency is None and actor is not None:
        agency = actor.agency
    return agency


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    person_uuid: uuid.UUID | None = None,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    agency: Agency | None = None,
) -> AuditEvent:
    """Append one audit event, stamped with the current request's origin, to the chain."""
    ctx = context.current()
    if agency is None:
        agency = _agency_of(obj, actor)
    event = AuditEvent(
        at=timezone.now(),
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        agency=agency,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_uuid=getattr(obj, "uuid", None) if obj is not None else None,
        person_uuid=person_uuid,
        changes=json.loads(json.dumps({k: _plain(v) for k, v in (changes or {}).items()})),
        reason=reason[:500],
        ip=chain.canonical_ip(ctx.ip),
        user_agent=ctx.user_agent,
        request_id=ctx.request_id,
    )
    pending = getattr(_deferred, "events", None)
    if pending is not None:
        pending.append(event)
        return event
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.prev_hash = last or chain.GENESIS
        event.hash = chain.event_hash(chained_fields(event), event.prev_hash)
        event.save(force_insert=True)
    return event


_deferred = threading.local()
BULK_BATCH = 1000


@contextmanager
def audit_deferred() -> Iterator[list[AuditEvent]]:
    """Within the block, ``audit_record`` builds each event but holds it; on leaving the
    block normally they are chained in the order recorded and written in bulk (one lock,
    one read of the last hash, an insert per thousand events), instead of three
    statements each. Must run inside the transaction of the writes it records, so that
    the events commit, or roll back, with them; an exception discards them. Nested
    blocks join the outermost one."""
    if getattr(_deferred, "events", None) is not None:
        yield _deferred.events
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_deferred needs the caller's transaction.")
    events: list[AuditEvent] = []
    _deferred.events = events
    try:
        yield events
    finally:
        _deferred.events = None
    audit_bulk_write(events)


def audit_bulk_write(events: list[AuditEvent]) -> None:
    """Chain unsaved events after the last one on record, in list order, and insert them."""
    if not events:
        return
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        prev = last or chain.GENESIS
        for event in events:
            event.prev_hash = prev
            event.hash = prev = chain.event_hash(chained_fields(event), prev)
        for start in range(0, len(events), BULK_BATCH):
            AuditEvent.objects.bulk_create(events[start : start + BULK_BATCH])


def chained_fields(event: AuditEvent) -> dict[str, Any]:
    """The values the chain covers, as stored."""
    return {name: getattr(event, name) for name in chain.CHAINED_FIELDS}


def audit_verify(batch: int = 5000) -> chain.Verdict:
    """Recompute the whole chain in id order, streaming so a long trail fits in memory."""
    rows = (
        (event.id, chained_fields(event), event.prev_hash, event.hash)
        for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch)
    )
    return chain.verify(rows)
