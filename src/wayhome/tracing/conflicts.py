"""Finding where the sources disagree about a person's whereabouts. Pure: no database.

Each entry covers an interval: from the earliest day its start may mean (a start known
only to the month may be any day of it) to its end date, or, when it has none, to the last
day its start may mean. An open entry is a sighting "as of" its start, not a claim about
every day after it; otherwise every ordinary timeline (detained, later in camp) would
contradict itself.

Two live entries disagree when their intervals overlap and they differ in status or in
facility (an unknown facility contradicts nothing). A death contradicts any other status
reported for a later time.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

DECEASED = "deceased"


class EntryLike(Protocol):
    """What the finder reads of a whereabouts entry (the model satisfies it)."""

    status: str
    facility_id: int | None
    start_date: dt.date
    start_precision: str
    end_date: dt.date | None

    @property
    def is_retracted(self) -> bool: ...


@dataclass(frozen=True)
class Conflict:
    """Two entries that cannot both be true; ``newer`` starts no earlier than ``older``."""

    newer: EntryLike
    older: EntryLike


def start_bounds(start: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """The first and last day a start date may mean at its precision."""
    if precision == "month":
        last = calendar.monthrange(start.year, start.month)[1]
        return start.replace(day=1), start.replace(day=last)
    if precision == "year":
        return dt.date(start.year, 1, 1), dt.date(start.year, 12, 31)
    return start, start


def span(entry: EntryLike) -> tuple[dt.date, dt.date]:
    """The interval an entry speaks for (see the module docstring)."""
    first, last = start_bounds(entry.start_date, entry.start_precision)
    if entry.end_date is not None:
        last = max(last, entry.end_date)
    return first, last


def _differ(a: EntryLike, b: EntryLike) -> bool:
    if a.status != b.status:
        return True
    return (
        a.facility_id is not None and b.facility_id is not None and a.facility_id != b.facility_id
    )


def _overlap(a: EntryLike, b: EntryLike) -> bool:
    (a1, a2), (b1, b2) = span(a), span(b)
    return a1 <= b2 and b1 <= a2


def _alive_after_death(death: EntryLike, other: EntryLike) -> bool:
    return death.status == DECEASED and other.status != DECEASED and span(other)[0] > span(death)[1]


def contradict(a: EntryLike, b: EntryLike) -> bool:
    """Whether two entries cannot both be true."""
    if _alive_after_death(a, b) or _alive_after_death(b, a):
        return True
    return _overlap(a, b) and _differ(a, b)


def find_conflicts(entries: Sequence[EntryLike]) -> list[Conflict]:
    """Every pair of live (not retracted) entries that contradict, newest pair first."""
    live = sorted((e for e in entries if not e.is_retracted), key=lambda e: span(e), reverse=True)
    return [
        Conflict(newer=a, older=b)
        for i, a in enumerate(live)
        for b in live[i + 1 :]
        if contradict(a, b)
    ]
