"""Re-encrypts every encrypted field with the newest key, so an older key can be removed.

Rows are read and written with plain SQL in batches of primary keys: the stored form is
what matters here (plain, encrypted with an older key, or already current), and a
rotation changes no content, so it leaves ``updated_at`` alone. Each batch commits on its
own; a run stopped half-way leaves every value readable with the configured keys, and
the next run carries on. The whole run is one ``system`` audit event with counts only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

from wayhome.core.crypto import EncryptedTextField, is_encrypted, newest_key, reencrypt

BATCH_SIZE = 1000


@dataclass
class RotationReport:
    dry_run: bool
    # "app.Model.field" -> {"encrypted": plain values now encrypted,
    #                      "reencrypted": values moved off an older key,
    #                      "current": values already under the newest key}
    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [
            f"{label}: {c['encrypted']} encrypted, {c['reencrypted']} re-encrypted, "
            f"{c['current']} already current"
            for label, c in sorted(self.counts.items())
        ]


def encrypted_fields() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every model with encrypted fields, and those fields."""
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


def _batch(table: str, columns: list[str], after: int, size: int) -> list[tuple[Any, ...]]:
    q = connection.ops.quote_name
    names = ", ".join(q(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {q('id')}, {names} FROM {q(table)} "  # noqa: S608 (quoted identifiers)
            f"WHERE {q('id')} > %s ORDER BY {q('id')} LIMIT %s",
            [after, size],
        )
        return list(cursor.fetchall())


def _write(table: str, column: str, updates: list[tuple[str, int]]) -> None:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {q(table)} SET {q(column)} = %s WHERE {q('id')} = %s",  # noqa: S608
            updates,
        )


def _rotate_model(
    model: type[models.Model], fields: list[EncryptedTextField], report: RotationReport, size: int
) -> None:
    table, columns = model._meta.db_table, [f.column for f in fields]
    counts = [report.counts.setdefault(f"{model._meta.label}.{f.name}", Counter()) for f in fields]
    after = 0
    while rows := _batch(table, columns, after, size):
        after = int(rows[-1][0])
        with transaction.atomic():
            for i, column in enumerate(columns):
                updates: list[tuple[str, int]] = []
                for row in rows:
                    stored = row[i + 1]
                    if not isinstance(stored, str) or not stored:
                        continue
                    new = reencrypt(stored)
                    kind = "current" if new is None else "reencrypted"
                    counts[i][kind if is_encrypted(stored) else "encrypted"] += 1
                    if new is not None:
                        updates.append((new, int(row[0])))
                if updates and not report.dry_run:
                    _write(table, column, updates)


class NoKeyError(Exception):
    """Rotation needs a key to encrypt with."""


def keys_rotate(*, dry_run: bool = False, batch_size: int = BATCH_SIZE) -> RotationReport:
    """Bring every encrypted field under the newest key (plain values become encrypted);
    a real run is audited once, with counts and never values."""
    from wayhome.audit.models import AuditEvent
    from wayhome.audit.services import audit_record

    if newest_key() is None:
        raise NoKeyError("No key is configured: set WAYHOME_FIELD_KEYS or WAYHOME_FIELD_KEYS_FILE.")
    report = RotationReport(dry_run=dry_run)
    for model, fields in encrypted_fields():
        _rotate_model(model, fields, report, batch_size)
    if not dry_run:
        counts = {label: dict(c) for label, c in sorted(report.counts.items())}
        audit_record(
            actor=None, action=AuditEvent.Action.SYSTEM, changes={"field_keys_rotate": counts}
        )
    return report
