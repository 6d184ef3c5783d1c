"""Rebuilding the blocking index for persons written without it (``wayhome seed``, an
import, a change of keys): batches in id order, each its own transaction, so an
interrupted run keeps what it wrote and the next run carries on where it stopped."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from wayhome.demo.writer import Table
from wayhome.matching.keys import features_json, features_of, stored_keys
from wayhome.matching.models import CommonKey, NameKey, StoredNameFeatures
from wayhome.matching.services import NAME_PARTS
from wayhome.names.similarity import NameFeatures
from wayhome.people.models import Person, PersonName

Progress = Callable[[int, int, float], None]  # (persons done, persons to do, seconds)
Tables = tuple[Table, Table]  # (name keys, stored name features)


def persons_to_index(agency_id: int | None, *, rebuild: bool) -> QuerySet[Person]:
    """Every person (rebuild), or only those without any key yet or with a name whose
    features are not stored (resume; the latter after the upgrade that stored them)."""
    qs = Person.objects.all() if agency_id is None else Person.objects.filter(agency_id=agency_id)
    if not rebuild:
        unstored = PersonName.objects.filter(
            person_id=OuterRef("pk"), matching_features__isnull=True
        )
        qs = qs.filter(~Exists(NameKey.objects.filter(person_id=OuterRef("pk"))) | Exists(unstored))
    return qs


def _keyed(ids: list[int], rebuild: bool) -> set[int]:
    """Those of ``ids`` whose keys stay as they are (on resume, those who have keys)."""
    if rebuild:
        NameKey.objects.filter(person_id__in=ids).delete()
        return set()
    return set(NameKey.objects.filter(person_id__in=ids).values_list("person_id", flat=True))


def _write_batch(ids: list[int], agencies: dict[int, int], tables: Tables, rebuild: bool) -> int:
    """Stored name features of these persons, and keys of those to key; the number of
    key rows written."""
    keys, stored = tables
    names: dict[int, list[NameFeatures]] = defaultdict(list)
    now = timezone.now()
    for person_id, name_id, *parts in PersonName.objects.filter(person_id__in=ids).values_list(
        "person_id", "pk", *NAME_PARTS
    ):
        features = features_of(*parts)
        names[person_id].append(features)
        stored.add({"name_id": name_id, "tokens": json.dumps(features_json(features))}, now)
    StoredNameFeatures.objects.filter(name__person_id__in=ids).delete()
    stored.flush()
    keyed = _keyed(ids, rebuild)
    for person_id in ids:
        if person_id in keyed:
            continue
        for key in sorted(stored_keys(names[person_id])):
            keys.add({"agency_id": agencies[person_id], "person_id": person_id, "key": key}, now)
    return keys.flush()


def reindex(
    *,
    agency_id: int | None = None,
    rebuild: bool = False,
    batch_size: int = 5000,
    progress: Progress | None = None,
) -> int:
    """Key every person still without keys and store the features of names without
    them (or do both for every person, ``rebuild``); return the number of key rows
    written."""
    todo = persons_to_index(agency_id, rebuild=rebuild)
    total = todo.count()
    tables = (Table(NameKey, with_id=False), Table(StoredNameFeatures, with_id=True))
    started, done, written, after = time.monotonic(), 0, 0, 0
    while True:
        rows = list(
            todo.filter(pk__gt=after).order_by("pk").values_list("pk", "agency_id")[:batch_size]
        )
        if not rows:
            break
        with transaction.atomic():
            written += _write_batch([r[0] for r in rows], dict(rows), tables, rebuild)
        after, done = rows[-1][0], done + len(rows)
        if progress is not None:
            progress(done, total, time.monotonic() - started)
    common_keys_recount(agency_id)
    return written


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
