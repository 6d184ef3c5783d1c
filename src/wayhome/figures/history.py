"""The figures' own tables, kept in step with the rows they are derived from.

Counting a month from the whereabouts timelines means a window over every entry of the
agency (23 s at a million persons). Instead two derived tables are kept:

- ``Span``: each person's statuses as intervals (an entry's start to the start of the next
  live entry) and their time sought and located in tracing requests (a person's
  overlapping requests merged), with the person's home region, sex and birth copied in;
- ``MonthlyCount``: per agency, month, status and dimension, spans started minus spans
  ended in that month. A month's figure is the running sum up to it.

Every writer of what they are derived from (whereabouts, tracing requests and their
sought persons, a person's sex, birth, home region or merge) calls ``persons_refresh``
in its own transaction with the persons it touched: their spans are recomputed from the
source rows by the same SQL as ``rebuild``, and the monthly counts move by the
difference. So the tables are right after every commit, and ``wayhome figures rebuild``
(idempotent) rebuilds them from scratch for an upgrade or a repair.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, transaction

from wayhome.figures.models import MonthlyCount, Span
from wayhome.people.models import Person
from wayhome.tracing.models import SoughtPerson, TracingRequest, Whereabouts

SOUGHT, LOCATED = "sought", "located"
TRACING_KINDS = (SOUGHT, LOCATED)
FAR = dt.date(9999, 12, 31)
# SQLite allows a limited number of parameters per statement.
_CHUNK = 500

SPAN_COLUMNS = (
    "person_id, agency_id, status, start_date, end_date, country_id, facility_id,"
    " home_region_id, sex, birth_earliest"
)
COUNT_KEY = "agency_id, month, status, home_region_id, country_id, facility_id, sex"

# When a request stops seeking: the day it was located or closed, whichever came first.
STOP = (
    "CASE WHEN r.located_on IS NULL THEN r.closed_on WHEN r.closed_on IS NULL THEN"
    " r.located_on WHEN r.located_on < r.closed_on THEN r.located_on ELSE r.closed_on END"
)


def _t(model: Any) -> str:
    return str(model._meta.db_table)


def month_of(column: str) -> str:
    """SQL for the first day of the month of a date column."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    if connection.vendor == "postgresql":
        yield ids
        return
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _in(column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _execute(sql: str, params: Sequence[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return int(cursor.rowcount or 0)


def span_select(person_cond: str) -> str:
    """A SELECT of every span (in ``SPAN_COLUMNS`` order) of the persons ``person_cond``
    (SQL on ``p``, people_person) picks. Parameters: those of ``person_cond`` three times,
    each followed by the ones the tracing spans need; see ``span_params``."""
    status = (
        f"SELECT {SPAN_COLUMNS} FROM (SELECT w.person_id, p.agency_id, w.status,"  # noqa: S608 - our table names
        " w.start_date, LEAD(w.start_date) OVER (PARTITION BY w.person_id"
        " ORDER BY w.start_date, w.id) AS end_date, w.country_id, w.facility_id,"
        " p.home_region_id, p.sex, p.birth_earliest"
        f" FROM {_t(Whereabouts)} w JOIN {_t(Person)} p ON p.id = w.person_id"
        f" WHERE w.retracted_at IS NULL AND p.merged_into_id IS NULL AND {person_cond}) st"
        # Two entries on one day: the earlier is in force for no day at all.
        " WHERE end_date IS NULL OR end_date > start_date"
    )
    return " UNION ALL ".join(
        [
            status,
            _tracing_select(person_cond, "r.received_on", STOP, "1 = 1"),
            _tracing_select(person_cond, "r.located_on", "r.closed_on", "r.located_on IS NOT NULL"),
        ]
    )


def span_params(person_params: Sequence[Any]) -> list[Any]:
    p = list(person_params)
    return [*p, SOUGHT, FAR, FAR, *p, LOCATED, FAR, FAR, *p]


def _tracing_select(person_cond: str, start: str, end: str, only: str) -> str:
    """A person's intervals [start, end) in their requests, overlapping ones merged into
    one (gaps and islands), so that each person counts once. Parameters: the kind, FAR
    (twice) then ``person_cond``'s."""
    return (
        "SELECT pid, agency_id, %s, s, CASE WHEN e = %s THEN NULL ELSE e END,"  # noqa: S608 - our table names
        " NULL, NULL, home_region_id, sex, birth_earliest FROM ("
        " SELECT pid, agency_id, home_region_id, sex, birth_earliest, MIN(s) AS s, MAX(e) AS e"
        " FROM (SELECT pid, agency_id, home_region_id, sex, birth_earliest, s, e,"
        " SUM(fresh) OVER (PARTITION BY pid ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS island"
        " FROM (SELECT pid, agency_id, home_region_id, sex, birth_earliest, s, e,"
        " CASE WHEN s <= MAX(e) OVER (PARTITION BY pid ORDER BY s, e ROWS BETWEEN"
        " UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS fresh FROM ("
        f" SELECT sp.person_id AS pid, p.agency_id, p.home_region_id, p.sex,"
        f" p.birth_earliest, {start} AS s, COALESCE({end}, %s) AS e"
        f" FROM {_t(SoughtPerson)} sp JOIN {_t(TracingRequest)} r ON r.id = sp.request_id"
        f" JOIN {_t(Person)} p ON p.id = sp.person_id"
        f" WHERE r.agency_id = p.agency_id AND p.merged_into_id IS NULL AND {only}"
        f" AND {person_cond}) iv) marked) islands"
        " GROUP BY pid, agency_id, home_region_id, sex, birth_earliest, island) spans"
        # Located and closed on the day it was received: never open at a day's end.
        " WHERE e <> s"
    )


def count_select(source: str, sign: int = 1) -> str:
    """Spans started (+1) minus spans ended (-1) per month and key, from ``source`` (a
    table or a subquery of spans), times ``sign``; no parameters of its own."""
    dims = (
        "status, COALESCE(home_region_id, 0) AS r, COALESCE(country_id, 0) AS c,"
        " COALESCE(facility_id, 0) AS f, sex"
    )
    return (
        f"SELECT agency_id, m, status, r, c, f, sex, SUM(n) FROM ("  # noqa: S608 - our SQL
        f" SELECT agency_id, {month_of('start_date')} AS m, {dims}, {sign} AS n FROM {source} s1"
        f" UNION ALL SELECT agency_id, {month_of('end_date')} AS m, {dims}, {-sign} AS n"
        f" FROM {source} s2 WHERE end_date IS NOT NULL) x"
        # "WHERE 1 = 1" lets SQLite parse the ON CONFLICT that may follow.
        " WHERE 1 = 1 GROUP BY agency_id, m, status, r, c, f, sex"
    )


def _add_counts(source: str, params: Sequence[Any], sign: int) -> None:
    """Add (or with ``sign`` -1, take away) the counts of the spans ``source`` selects."""
    table = _t(MonthlyCount)
    select = count_select(source, sign)
    _execute(
        f"INSERT INTO {table} ({COUNT_KEY}, n) {select}"
        f" ON CONFLICT ({COUNT_KEY}) DO UPDATE SET n = {table}.n + excluded.n",
        # The source appears twice in count_select.
        [*params, *params],
    )


@transaction.atomic
def persons_refresh(person_ids: Iterable[int | None]) -> None:
    """Recompute the spans of these persons from their rows and move the monthly counts
    by the difference. Call it in the writer's transaction, after its writes, with every
    person whose whereabouts, requests, sex, birth, home region or merge it changed."""
    ids = sorted({int(i) for i in person_ids if i is not None})
    if not ids:
        return
    span = _t(Span)
    for chunk in _chunks(ids):
        cond, params = _in("person_id", chunk)
        # Two writers refreshing one person wait for each other, not mix their spans.
        list(Person.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values("pk"))
        own = f"(SELECT * FROM {span} WHERE {cond})"  # noqa: S608 - our SQL
        _add_counts(own, params, -1)
        _execute(f"DELETE FROM {span} WHERE {cond}", params)  # noqa: S608 - our SQL
        pcond, pparams = _in("p.id", chunk)
        _execute(
            f"INSERT INTO {span} ({SPAN_COLUMNS}) {span_select(pcond)}",
            span_params(pparams),
        )
        _add_counts(own, params, 1)
    _execute(f"DELETE FROM {_t(MonthlyCount)} WHERE n = 0", [])  # noqa: S608 - our SQL


def request_person_ids(request: TracingRequest) -> list[int]:
    return list(SoughtPerson.objects.filter(request=request).values_list("person_id", flat=True))


@transaction.atomic
def rebuild(*, agency_id: int | None = None) -> tuple[int, int]:
    """Rebuild both tables from the source rows (for one agency, or all): idempotent, for
    an upgrade, a bulk load or a repair. Returns (spans, monthly rows)."""
    span, counts = _t(Span), _t(MonthlyCount)
    cond, params = ("agency_id = %s", [agency_id]) if agency_id is not None else ("1 = 1", [])
    if agency_id is None and connection.vendor == "postgresql":
        _execute(f"TRUNCATE {counts}, {span}", [])
    else:
        _execute(f"DELETE FROM {counts} WHERE {cond}", params)  # noqa: S608 - our SQL
        _execute(f"DELETE FROM {span} WHERE {cond}", params)  # noqa: S608 - our SQL
    pcond = "p.agency_id = %s" if agency_id is not None else "1 = 1"
    spans = _execute(
        f"INSERT INTO {span} ({SPAN_COLUMNS}) {span_select(pcond)}",
        span_params(params),
    )
    _add_counts(f"(SELECT * FROM {span} WHERE {cond})", params, 1)  # noqa: S608
    _execute(f"DELETE FROM {counts} WHERE n = 0", [])  # noqa: S608 - our SQL
    if connection.vendor == "postgresql":
        _execute(f"ANALYZE {span}", [])
        _execute(f"ANALYZE {counts}", [])
    return spans, MonthlyCount.objects.filter(**_agency(agency_id)).count()


def _agency(agency_id: int | None) -> dict[str, Any]:
    return {} if agency_id is None else {"agency_id": agency_id}


def drift(*, agency_id: int | None = None) -> int:
    """How many monthly counts differ from those computed afresh from the source rows
    (0 when the kept tables are right): what ``wayhome figures rebuild --check`` reports."""
    pcond, params = ("p.agency_id = %s", [agency_id]) if agency_id is not None else ("1 = 1", [])
    fresh_sql = count_select(f"({span_select(pcond)})")
    with connection.cursor() as cursor:
        cursor.execute(fresh_sql, [*span_params(params), *span_params(params)])
        fresh = {tuple(r[:-1]): int(r[-1]) for r in cursor.fetchall() if int(r[-1])}
    kept = {
        (r[0], _iso(r[1]), *r[2:-1]): int(r[-1])
        for r in MonthlyCount.objects.filter(**_agency(agency_id))
        .exclude(n=0)
        .values_list(
            "agency_id",
            "month",
            "status",
            "home_region_id",
            "country_id",
            "facility_id",
            "sex",
            "n",
        )
    }
    fresh = {(k[0], _iso(k[1]), *k[2:]): n for k, n in fresh.items()}
    return sum(1 for k in fresh.keys() | kept.keys() if fresh.get(k) != kept.get(k))


def _iso(value: Any) -> str:
    return value.isoformat()[:10] if isinstance(value, dt.date) else str(value)[:10]
