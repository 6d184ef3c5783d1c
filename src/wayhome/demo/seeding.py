"""Loads a reproducible synthetic population for one agency.

Why not the services: a million persons through ``person_create`` would write a million
audit events and take hours. The seed is one system operation on synthetic data, so it
writes rows in bulk (one transaction per batch, see writer.py) and records ONE audit event,
``system``, with the seed and the row counts: enough to say who loaded what and when, and
to reproduce it, without flooding the trail that exists to show access to real people.

Running it twice is safe: it adds a second population. Every row gets a fresh random
uuid and references continue after the agency's last one, so nothing collides; the same
``persons`` and ``seed`` give the same people (names, dates, statuses) each time. A run
that is interrupted keeps the batches already committed, and the audit event is written
only when the run completes.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable

from django.db import connection, transaction

from wayhome.accounts.models import Agency
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.demo.families import FamilyBuilder
from wayhome.demo.plans import FamilyPlan
from wayhome.demo.reference import ensure_reference
from wayhome.demo.writer import BatchWriter
from wayhome.figures import history as figures_history
from wayhome.figures.models import Span
from wayhome.people.models import Person, PersonName
from wayhome.tracing.models import SoughtPerson, TracingRequest, Whereabouts

Progress = Callable[[int, int, float], None]  # (done, total, seconds so far)


def planned_families(persons: int, seed: int) -> list[FamilyPlan]:
    """Every family a seed gives, without writing them (the tests compare these)."""
    builder = FamilyBuilder(random.Random(seed))  # noqa: S311 (synthetic data, not secrets)
    families: list[FamilyPlan] = []
    made = 0
    while made < persons:
        families.append(builder.family(persons - made))
        made += len(families[-1].persons)
    return families


def _analyse() -> None:
    """Refresh PostgreSQL's statistics of the tables a load grows. Each batch's figures
    refresh joins them; planned on the statistics of near-empty tables it scans them whole,
    so every batch got slower than the one before (the server's autovacuum may be off, and
    lags a bulk load even when on). Doubling the rows between two ANALYZEs keeps their cost
    a fraction of the load's."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Person, PersonName, Whereabouts, TracingRequest, SoughtPerson, Span):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def seed_population(
    *,
    agency: Agency,
    persons: int,
    seed: int,
    batch_size: int = 5000,
    extra: list[FamilyPlan] | None = None,
    progress: Progress | None = None,
) -> Counter[str]:
    """Write ``persons`` synthetic persons (plus ``extra`` hand-written families) for the
    agency, in batches of about ``batch_size`` persons; return rows written per model."""
    if persons < 0 or batch_size < 1:
        raise ValueError("persons must be >= 0 and batch_size >= 1")
    started = time.monotonic()
    with transaction.atomic():
        writer = BatchWriter(agency, ensure_reference())
    builder = FamilyBuilder(random.Random(seed))  # noqa: S311 (synthetic data, not secrets)
    totals: Counter[str] = Counter()
    pending = list(extra or [])
    made = 0
    analysed = 0
    while made < persons or pending:
        batch, pending = pending, []
        size = sum(len(f.persons) for f in batch)
        while made < persons and size < batch_size:
            family = builder.family(persons - made)
            batch.append(family)
            made += len(family.persons)
            size += len(family.persons)
        with transaction.atomic():
            totals.update(writer.write(batch))
            # The COPY path bypasses the services: the figures follow in the same commit.
            figures_history.persons_refresh(p.db_id for f in batch for p in f.persons)
        if made >= 2 * analysed + batch_size:
            _analyse()
            analysed = made
        if progress is not None:
            progress(made, persons, time.monotonic() - started)
    _analyse()
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditEvent.Action.SYSTEM,
            obj=agency,
            agency=agency,
            changes={"operation": "seed", "seed": seed, "persons": persons, "rows": dict(totals)},
            reason="Synthetic population loaded by `wayhome seed` (no real person).",
        )
    return totals
