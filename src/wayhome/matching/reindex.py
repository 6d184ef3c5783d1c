"""Rebuilding the blocking index for persons written without it (``wayhome seed``, an
import, a change of keys): batches in id order, each its own transaction, so an
interrupted run keeps what it wrote and the next run carries on where it stopped."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from wayhome.demo.writer import Table
from wayhome.matching.keys import stored_keys
from wayhome.matching.models import CommonKey, NameKey
from wayhome.matching.services import NAME_PARTS, name_row_features, rankings_stale_all
from wayhome.people.models import Person, PersonName

Progress = Callable[[int, int, float], None]  # (persons done, persons to do, seconds)


def persons_to_index(agency_id: int | None, *, rebuild: bool, after: int = 0) -> QuerySet[Person]:
    """Every person (rebuild), or only those without any key yet (resume); with ``after``,
    those whose id is greater.

    The key lookup repeats the bound: planned as a merge anti-join (as PostgreSQL does on
    the statistics of a key table still small when last analysed, after a bulk load), it
    otherwise read the key index from its start for every batch. At a million persons a
    batch's query took 4.9 s instead of 1.4 s for the last 200,000 ids, and the reindex
    slowed as it went.
    """
    qs = Person.objects.all() if agency_id is None else Person.objects.filter(agency_id=agency_id)
    if after:
        qs = qs.filter(pk__gt=after)
    if not rebuild:
        keys = NameKey.objects.filter(person_id=OuterRef("pk"))
        qs = qs.filter(~Exists(keys.filter(person_id__gt=after) if after else keys))
    return qs


def _write_batch(ids: list[int], agencies: dict[int, int], table: Table, rebuild: bool) -> int:
    names: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
    for person_id, *parts in PersonName.objects.filter(person_id__in=ids).values_list(
        "person_id", *NAME_PARTS
    ):
        names[person_id].append((parts[0], parts[1], parts[2], parts[3]))
    if rebuild:
        NameKey.objects.filter(person_id__in=ids).delete()
    now = timezone.now()
    for person_id in ids:
        for key in sorted(stored_keys(name_row_features(names[person_id]))):
            table.add({"agency_id": agencies[person_id], "person_id": person_id, "key": key}, now)
    return table.flush()


def reindex(
    *,
    agency_id: int | None = None,
    rebuild: bool = False,
    batch_size: int = 5000,
    progress: Progress | None = None,
) -> int:
    """Key every person still without keys (or every person, ``rebuild``); return the
    number of key rows written."""
    total = persons_to_index(agency_id, rebuild=rebuild).count()
    table = Table(NameKey, with_id=False)
    started, done, written, after = time.monotonic(), 0, 0, 0
    while True:
        todo = persons_to_index(agency_id, rebuild=rebuild, after=after)
        rows = list(todo.order_by("pk").values_list("pk", "agency_id")[:batch_size])
        if not rows:
            break
        with transaction.atomic():
            written += _write_batch([r[0] for r in rows], dict(rows), table, rebuild)
        after, done = rows[-1][0], done + len(rows)
        if progress is not None:
            progress(done, total, time.monotonic() - started)
    common_keys_recount(agency_id)
    rankings_stale_all(agency_id)  # which keys are common changed: every search may
    vacuum_keys()
    return written


def vacuum_keys() -> bool:
    """VACUUM (ANALYZE) the key table after a bulk write, on PostgreSQL: whether it ran.

    A search reads person ids from the (agency, key, person) index alone only where the
    visibility map says the table's pages are all visible; until a vacuum sets it (after
    millions of fresh rows, autovacuum may be late or off), every key row read fetches its
    table page too: for a request at 100,000 persons 4,260 pages instead of 481, scattered
    over a table that at 1,000,000 persons is far bigger than memory. Skipped inside a
    transaction (VACUUM cannot run in one) and on other databases.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(NameKey._meta.db_table)}")
    return True


@transaction.atomic
def common_keys_recount(agency_id: int | None = None) -> int:
    """Count again which keys are too common to search by (one pass over the index)."""
    from wayhome.matching.selectors import KEY_CAP, TOKEN_KEY_CAP

    scope = {} if agency_id is None else {"agency_id": agency_id}
    CommonKey.objects.filter(**scope).delete()
    counts = (
        NameKey.objects.filter(**scope)
        .values("agency_id", "key")
        .annotate(persons=Count("id"))
        .filter(persons__gt=min(KEY_CAP, TOKEN_KEY_CAP))
    )
    rows = CommonKey.objects.bulk_create(CommonKey(**c) for c in counts.iterator())
    return len(rows)
