"""Counts over time and by place, drawn from the whereabouts timelines: never a name.

A person's status on a day is the status of their latest whereabouts entry that started on
or before that day and is not retracted: the same rule ``tracing.services`` uses for the
current status, applied to any day, so the last month of a series agrees with the
dashboard. The counts are read from the tables ``figures.history`` keeps (spans, and
monthly counts per status and dimension) when the filters allow, else from the spans;
``scratch=True`` computes them from the timelines instead, in one pass (a window function
gives each entry the start of the next one, which turns the timeline into intervals; a
month's count is entries started minus entries superseded up to its end): the reference
the tests and the benchmark compare the kept tables with.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.figures.history import LOCATED, SOUGHT, STOP, TRACING_KINDS
from wayhome.figures.models import MonthlyCount, Span
from wayhome.people.models import Citizenship, Person, Status
from wayhome.places.models import Country, Facility, Region
from wayhome.tracing.models import SoughtPerson, TracingRequest, Whereabouts
from wayhome.web.selectors import BREAKDOWN_STATUSES, Figure, suppress_small

# Held abroad, in the sense the public figures use: in a prison, a camp or a court's hands.
HELD = (Status.DETAINED, Status.IN_CAMP, Status.ON_TRIAL, Status.SENTENCED)
MAX_MONTHS = 120
ADULT_AGE = 18

# Age bands: (youngest age in the band, first age past it); None = no upper bound.
AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "child": (0, ADULT_AGE),
    "adult": (ADULT_AGE, None),
    "0-4": (0, 5),
    "5-11": (5, 12),
    "12-17": (12, ADULT_AGE),
}
AGE_BAND_CHOICES = [
    ("child", gettext_lazy("Children (under 18)")),
    ("adult", gettext_lazy("Adults (18 and over)")),
    ("0-4", gettext_lazy("Aged 0-4")),
    ("5-11", gettext_lazy("Aged 5-11")),
    ("12-17", gettext_lazy("Aged 12-17")),
    ("unknown", gettext_lazy("Age unknown")),
]
SCOPE_AGENCY, SCOPE_TEAM = "agency", "team"


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, n: int) -> dt.date:
    """The first day of the month ``n`` months after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every month end from ``start``'s month to ``end``'s, at most MAX_MONTHS."""
    out: list[dt.date] = []
    first = start.replace(day=1)
    while len(out) < MAX_MONTHS:
        m = month_end(add_months(first, len(out)))
        if m > month_end(end):
            break
        out.append(m)
    return out


@dataclass(frozen=True)
class Filters:
    """What a dashboard, a report or a ledger definition counts. ``end`` is the as-of day
    of snapshots (by region, country, facility) and of the age bands."""

    start: dt.date
    end: dt.date
    host_country: Country | None = None
    home_region: Region | None = None
    sex: str = ""
    age_band: str = ""
    scope: str = SCOPE_AGENCY
    citizenship: Country | None = None
    statuses: tuple[str, ...] = ()

    def describe(self) -> dict[str, str]:
        """The filters as plain values, for the audit trail and file names."""
        out = {"from": self.start.isoformat(), "to": self.end.isoformat(), "scope": self.scope}
        if self.host_country:
            out["host_country"] = self.host_country.iso2
        if self.home_region:
            out["home_region"] = str(self.home_region.uuid)
        if self.sex:
            out["sex"] = self.sex
        if self.age_band:
            out["age_band"] = self.age_band
        if self.citizenship:
            out["citizenship"] = self.citizenship.iso2
        if self.statuses:
            out["statuses"] = ",".join(self.statuses)
        return out


DEFAULT_MONTHS = 120


def default_filters(today: dt.date) -> Filters:
    """Ten years up to the end of this month: detentions and returns span years, and the
    cost of a series hardly depends on its length (one pass over the timelines)."""
    start = add_months(today.replace(day=1), 1 - DEFAULT_MONTHS)
    return Filters(start=start, end=month_end(today))


def formatter_for(user: User) -> Callable[[int], Figure]:
    """Exact counts for readers of persons; "<5" for 1-4 for aggregate-only roles, as on
    the dashboard (docs/security.md, Aggregates)."""
    if user.has_cap(Cap.PERSON_VIEW):
        return lambda n: n
    return suppress_small


# --- SQL ---------------------------------------------------------------------------


def _t(model: Any) -> str:
    return str(model._meta.db_table)


def _team_user_ids(user: User) -> list[int]:
    ids = set(User.objects.filter(teams__in=user.teams.all()).values_list("id", flat=True))
    return sorted(ids | {user.pk})


def _person_conditions(
    user: User, f: Filters, *, spans: bool = False
) -> tuple[list[str], list[Any]]:
    """WHERE conditions on ``p`` for the person-level filters: people_person, or with
    ``spans`` the figures' spans (which hold no merged person, and the person's id as
    ``person_id``)."""
    pid = "p.person_id" if spans else "p.id"
    conds = ["p.agency_id = %s"] if spans else ["p.agency_id = %s", "p.merged_into_id IS NULL"]
    params: list[Any] = [user.agency_key]
    if f.home_region is not None:
        conds.append("p.home_region_id = %s")
        params.append(f.home_region.pk)
    if f.sex:
        conds.append("p.sex = %s")
        params.append(f.sex)
    if f.age_band == "unknown":
        conds.append("p.birth_earliest IS NULL")
    elif f.age_band in AGE_BANDS:
        youngest, past = AGE_BANDS[f.age_band]
        # Age on the as-of day, counted from the earliest day the person may have been born.
        conds.append("p.birth_earliest <= %s")
        params.append(years_before(f.end, youngest))
        if past is not None:
            conds.append("p.birth_earliest > %s")
            params.append(years_before(f.end, past))
    if f.citizenship is not None:
        conds.append(
            f"EXISTS (SELECT 1 FROM {_t(Citizenship)} c WHERE c.person_id = {pid}"  # noqa: S608 - our table names, %s placeholders
            " AND c.country_id = %s)"
        )
        params.append(f.citizenship.pk)
    if f.scope == SCOPE_TEAM:
        ids = _team_user_ids(user)
        marks = ", ".join(["%s"] * len(ids))
        conds.append(
            f"{pid} IN (SELECT sp.person_id FROM {_t(SoughtPerson)} sp"  # noqa: S608 - our table names, %s placeholders
            f" JOIN {_t(TracingRequest)} r ON r.id = sp.request_id"
            f" WHERE r.agency_id = %s AND r.assigned_to_id IN ({marks}))"
        )
        params.extend([user.agency_key, *ids])
    return conds, params


def _live_cte(user: User, f: Filters, scratch: bool = False) -> tuple[str, list[Any]]:
    """Each live whereabouts entry of the filtered persons with the start of the next one:
    read from the kept spans, or with ``scratch`` computed from the timelines (the old
    way, kept as the reference the tests and the benchmark compare with)."""
    if not scratch:
        conds, params = _person_conditions(user, f, spans=True)
        sql = (
            "WITH live AS (SELECT p.status, p.country_id, p.facility_id, p.start_date,"  # noqa: S608 - our table names, %s placeholders
            " p.home_region_id, p.sex, p.birth_earliest, p.end_date AS next_start"
            f" FROM {_t(Span)} p WHERE p.status NOT IN (%s, %s) AND {' AND '.join(conds)})"
        )
        return sql, [*TRACING_KINDS, *params]
    conds, params = _person_conditions(user, f)
    sql = (
        "WITH live AS (SELECT w.status, w.country_id, w.facility_id, w.start_date,"  # noqa: S608 - our table names, %s placeholders
        " p.home_region_id, p.sex, p.birth_earliest,"
        " LEAD(w.start_date) OVER (PARTITION BY w.person_id ORDER BY w.start_date, w.id)"
        " AS next_start"
        f" FROM {_t(Whereabouts)} w JOIN {_t(Person)} p ON p.id = w.person_id"
        # The person's agency scopes the entries (an entry belongs to its person's agency).
        f" WHERE w.retracted_at IS NULL AND {' AND '.join(conds)})"
    )
    return sql, params


def _entry_conditions(f: Filters) -> tuple[str, list[Any]]:
    """Conditions on the entry itself (applied after the window, which needs them all)."""
    conds: list[str] = []
    params: list[Any] = []
    if f.host_country is not None:
        conds.append("country_id = %s")
        params.append(f.host_country.pk)
    if f.statuses:
        conds.append(f"status IN ({', '.join(['%s'] * len(f.statuses))})")
        params.extend(f.statuses)
    return "".join(f" AND {c}" for c in conds), params


def _day(value: Any) -> dt.date:
    """A date column as a date (SQLite answers raw queries with text)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


def _series_sql(f: Filters, last: dt.date) -> tuple[str, list[Any]]:
    """Entries started (+1) and superseded (-1) per status and day, up to ``last``; the
    same seven columns as the dashboard's snapshot rows so the two can share one pass."""
    extra, extra_params = _entry_conditions(f)
    sql = (
        "SELECT 1 AS k, status, start_date AS d, CAST(NULL AS bigint) AS r,"  # noqa: S608
        " CAST(NULL AS bigint) AS c, CAST(NULL AS bigint) AS fa, COUNT(*)"
        f" FROM live WHERE start_date <= %s{extra} GROUP BY status, start_date"
        " UNION ALL SELECT -1, status, next_start, NULL, NULL, NULL, COUNT(*) FROM live"
        f" WHERE next_start IS NOT NULL AND next_start <= %s{extra} GROUP BY status, next_start"
    )
    return sql, [last, *extra_params, last, *extra_params]


def _series_from(rows: Iterable[Sequence[Any]], months: list[dt.date]) -> dict[str, list[int]]:
    """Running sums of the +1/-1 rows, bucketed by month (earlier days in the first)."""
    first_month = months[0].year * 12 + months[0].month
    deltas: dict[str, list[int]] = {}
    for sign, status, day, *_rest, n in rows:
        d = _day(day)
        index = max(0, d.year * 12 + d.month - first_month)
        deltas.setdefault(status, [0] * len(months))[index] += int(sign) * int(n)
    series: dict[str, list[int]] = {}
    for status, steps in deltas.items():
        running, out = 0, []
        for step in steps:
            running += step
            out.append(running)
        series[status] = out
    return series


def _monthly(f: Filters) -> bool:
    """Whether the monthly counts can answer: they hold the whole agency by home region,
    sex, host country and facility; not by age, citizenship or who a request is assigned
    to (those are counted from the spans)."""
    return f.scope == SCOPE_AGENCY and not f.age_band and f.citizenship is None


def _monthly_conditions(user: User, f: Filters, *, tracing: bool) -> tuple[str, list[Any]]:
    """WHERE on figures_monthlycount: the statuses, or the sought and located rows, and
    the filters. Host country and statuses do not apply to requests (nor did they)."""
    marks = ", ".join(["%s"] * len(TRACING_KINDS))
    conds = ["agency_id = %s", f"status {'IN' if tracing else 'NOT IN'} ({marks})"]
    params: list[Any] = [user.agency_key, *TRACING_KINDS]
    if f.home_region is not None:
        conds.append("home_region_id = %s")
        params.append(f.home_region.pk)
    if f.sex:
        conds.append("sex = %s")
        params.append(f.sex)
    if not tracing and f.host_country is not None:
        conds.append("country_id = %s")
        params.append(f.host_country.pk)
    if not tracing and f.statuses:
        conds.append(f"status IN ({', '.join(['%s'] * len(f.statuses))})")
        params.extend(f.statuses)
    return " AND ".join(conds), params


def _monthly_series(user: User, f: Filters, months: list[dt.date]) -> dict[str, list[int]]:
    """The status series from the monthly counts: a scan of (month, status) sums."""
    where, params = _monthly_conditions(user, f, tracing=False)
    rows = _fetch(
        "SELECT 1, status, month, NULL, NULL, NULL, SUM(n)"  # noqa: S608 - our table names, %s placeholders
        f" FROM {_t(MonthlyCount)} WHERE {where} AND month <= %s GROUP BY status, month"
        " HAVING SUM(n) <> 0",
        [*params, months[-1]],
    )
    return _series_from(rows, months)


def _monthly_snapshot(
    user: User, f: Filters, dims: Sequence[str], on: dt.date
) -> dict[tuple[Any, ...], int]:
    """Persons by the given dimensions at the end of ``on``'s month, from the counts."""
    exprs = {
        "status": "status",
        "country": "NULLIF(country_id, 0)",
        "facility": "NULLIF(facility_id, 0)",
        "region": "NULLIF(home_region_id, 0)",
        "sex": "sex",
    }
    where, params = _monthly_conditions(user, f, tracing=False)
    select = ", ".join(f"{exprs[d]} AS d{i}" for i, d in enumerate(dims))
    group = ", ".join(f"d{i}" for i in range(len(dims)))
    rows = _fetch(
        f"SELECT {select}, SUM(n) FROM {_t(MonthlyCount)}"  # noqa: S608 - our table names, %s placeholders
        f" WHERE {where} AND month <= %s GROUP BY {group} HAVING SUM(n) <> 0",
        [*params, on],
    )
    return {tuple(r[:-1]): int(r[-1]) for r in rows}


def status_series(
    user: User, f: Filters, *, scratch: bool = False
) -> tuple[list[dt.date], dict[str, list[int]]]:
    """For each month end of the period, how many persons had each status then."""
    months = month_ends(f.start, f.end)
    if not months:
        return [], {}
    if not scratch and _monthly(f):
        return months, _monthly_series(user, f, months)
    cte, params = _live_cte(user, f, scratch)
    part, part_params = _series_sql(f, months[-1])
    rows = _fetch(f"{cte} {part}", [*params, *part_params])
    return months, _series_from(rows, months)


def series_and_places(
    user: User, f: Filters, *, scratch: bool = False
) -> tuple[list[dt.date], dict[str, list[int]], dict[tuple[Any, ...], int]]:
    """The dashboard's monthly series and its (region, country, facility, status)
    snapshot at the period's end: from the monthly counts when the filters allow, else
    in one pass over the spans (or, with ``scratch``, over the timelines)."""
    months = month_ends(f.start, f.end)
    if not months:
        return [], {}, {}
    if not scratch and _monthly(f):
        places = status_snapshot(user, f, ["region", "country", "facility", "status"])
        return months, _monthly_series(user, f, months), places
    cte, params = _live_cte(user, f, scratch)
    part, part_params = _series_sql(f, months[-1])
    extra, extra_params = _entry_conditions(f)
    snap = (
        "SELECT 0, status, CAST(NULL AS date), home_region_id, country_id, facility_id,"  # noqa: S608
        " COUNT(*) FROM live"
        f" WHERE start_date <= %s AND (next_start IS NULL OR next_start > %s){extra}"
        " GROUP BY status, home_region_id, country_id, facility_id"
    )
    rows = _fetch(
        f"{cte} {part} UNION ALL {snap}",
        [*params, *part_params, f.end, f.end, *extra_params],
    )
    series = _series_from([r for r in rows if r[0] != 0], months)
    places = {(r[3], r[4], r[5], r[1]): int(r[6]) for r in rows if r[0] == 0}
    return months, series, places


def tracing_series(user: User, f: Filters, *, scratch: bool = False) -> tuple[list[int], list[int]]:
    """Distinct persons sought (in a request open) and located (in a request located and
    not yet closed) at each month end of the period."""
    return tracing_counts(user, f, month_ends(f.start, f.end), scratch=scratch)


FAR = dt.date(9999, 12, 31)


def _span_events(user: User, f: Filters, kind: str) -> list[tuple[int, dt.date, int]]:
    """(+1 or -1, day, persons) for the days on which persons start or stop being sought
    (or located), from the kept spans (each person's requests already merged)."""
    conds, params = _person_conditions(user, f, spans=True)
    where = " AND ".join(["p.status = %s", *conds])
    sql = (
        f"SELECT 1, p.start_date, COUNT(*) FROM {_t(Span)} p WHERE {where}"  # noqa: S608 - our table names, %s placeholders
        f" GROUP BY p.start_date UNION ALL SELECT -1, p.end_date, COUNT(*) FROM {_t(Span)} p"
        f" WHERE p.end_date IS NOT NULL AND {where} GROUP BY p.end_date"
    )
    rows = _fetch(sql, [kind, *params, kind, *params])
    return [(int(sign), _day(day), int(n)) for sign, day, n in rows]


def _interval_events(
    user: User, f: Filters, start: str, end: str, only: str
) -> list[tuple[int, dt.date, int]]:
    """(+1 or -1, day, persons) for the days on which persons start or stop being in one
    of their requests' intervals [start, end); a person's overlapping intervals (two
    requests for the same person) are merged first, so each person counts once. One pass
    in SQL (gaps and islands) over the requests: the reference computation."""
    conds, params = _person_conditions(user, f)
    sql = (
        "WITH iv AS (SELECT sp.person_id AS pid,"  # noqa: S608 - our names and expressions
        f" {start} AS s, COALESCE({end}, %s) AS e"
        f" FROM {_t(SoughtPerson)} sp JOIN {_t(TracingRequest)} r ON r.id = sp.request_id"
        f" JOIN {_t(Person)} p ON p.id = sp.person_id"
        f" WHERE r.agency_id = %s AND {only} AND {' AND '.join(conds)}),"
        " marked AS (SELECT pid, s, e, CASE WHEN s <= MAX(e) OVER (PARTITION BY pid"
        " ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END"
        " AS fresh FROM iv),"
        " islands AS (SELECT pid, s, e, SUM(fresh) OVER (PARTITION BY pid ORDER BY s, e"
        " ROWS UNBOUNDED PRECEDING) AS island FROM marked),"
        " spans AS (SELECT MIN(s) AS s, MAX(e) AS e FROM islands GROUP BY pid, island)"
        " SELECT 1, s, COUNT(*) FROM spans GROUP BY s"
        " UNION ALL SELECT -1, e, COUNT(*) FROM spans WHERE e < %s GROUP BY e"
    )
    rows = _fetch(sql, [FAR, user.agency_key, *params, FAR])
    return [(int(sign), _day(day), int(n)) for sign, day, n in rows]


def _counts_on(events: list[tuple[int, dt.date, int]], days: Sequence[dt.date]) -> list[int]:
    """How many intervals are open at the end of each day."""
    events = sorted(events, key=lambda e: e[1])
    out, running, i = [], 0, 0
    for day in sorted(days):
        while i < len(events) and events[i][1] <= day:
            running += events[i][0] * events[i][2]
            i += 1
        out.append(running)
    by_day = dict(zip(sorted(days), out, strict=True))
    return [by_day[d] for d in days]


def tracing_counts(
    user: User, f: Filters, days: Sequence[dt.date], *, scratch: bool = False
) -> tuple[list[int], list[int]]:
    """Distinct persons sought (a request received and neither located nor closed yet)
    and located (located and not yet closed) at the end of each of the given days."""
    if not days:
        return [], []
    if not scratch:
        if _monthly(f) and all(d == month_end(d) for d in days):
            where, params = _monthly_conditions(user, f, tracing=True)
            rows = _fetch(
                f"SELECT status, month, SUM(n) FROM {_t(MonthlyCount)}"  # noqa: S608 - our table names, %s placeholders
                f" WHERE {where} AND month <= %s GROUP BY status, month",
                [*params, max(days)],
            )
            events: dict[str, list[tuple[int, dt.date, int]]] = {k: [] for k in TRACING_KINDS}
            for status, month, n in rows:
                events[status].append((1, _day(month), int(n)))
            return _counts_on(events[SOUGHT], days), _counts_on(events[LOCATED], days)
        return (
            _counts_on(_span_events(user, f, SOUGHT), days),
            _counts_on(_span_events(user, f, LOCATED), days),
        )
    sought = _interval_events(user, f, "r.received_on", STOP, "1 = 1")
    located = _interval_events(user, f, "r.located_on", "r.closed_on", "r.located_on IS NOT NULL")
    return _counts_on(sought, days), _counts_on(located, days)


DIMENSIONS = ("status", "country", "facility", "region", "sex", "age")


def status_snapshot(
    user: User,
    f: Filters,
    dims: Sequence[str],
    on: dt.date | None = None,
    *,
    scratch: bool = False,
) -> dict[tuple[Any, ...], int]:
    """Persons by the given dimensions as of ``on`` (default the period's end): the
    status, host country and facility of the entry in force then, and the person's home
    region, sex and age group (child or adult) on that day. From the monthly counts on a
    month's last day when they hold what is asked, else from the spans."""
    on = on or f.end
    if not scratch and _monthly(f) and "age" not in dims and on == month_end(on):
        return _monthly_snapshot(user, f, dims, on)
    cte, params = _live_cte(user, f, scratch)
    extra, extra_params = _entry_conditions(f)
    exprs = {
        "status": ("status", []),
        "country": ("country_id", []),
        "facility": ("facility_id", []),
        "region": ("home_region_id", []),
        "sex": ("sex", []),
        "age": (
            "CASE WHEN birth_earliest IS NULL THEN 'unknown'"
            " WHEN birth_earliest > %s THEN 'child' ELSE 'adult' END",
            [years_before(on, ADULT_AGE)],
        ),
    }
    cols = [exprs[d][0] for d in dims]
    col_params = [p for d in dims for p in exprs[d][1]]
    select = ", ".join(f"{c} AS d{i}" for i, c in enumerate(cols))
    group = ", ".join(f"d{i}" for i in range(len(cols)))
    sql = (
        f"{cte} SELECT {select}, COUNT(*) FROM live"  # noqa: S608 - our table names, %s placeholders
        f" WHERE start_date <= %s AND (next_start IS NULL OR next_start > %s){extra}"
        f" GROUP BY {group}"
    )
    rows = _fetch(sql, [*params, *col_params, on, on, *extra_params])
    return {tuple(r[:-1]): int(r[-1]) for r in rows}


# --- tables ------------------------------------------------------------------------


@dataclass
class Table:
    """A table of counts, as shown, charted and exported: labels and figures only."""

    key: str
    title: str
    first: str
    columns: list[str]
    rows: list[tuple[str, list[Figure]]] = field(default_factory=list)
    # Machine names of the columns where a chart or a test needs them.
    column_keys: list[str] = field(default_factory=list)
    # The same cells as numbers for the chart, None where a count is suppressed.
    raw: list[list[int | None]] = field(default_factory=list)
    note: str = ""
    # A page listing what the table counts, for roles that may open it ("" for none).
    link: str = ""
    link_label: str = ""

    def add(self, label: str, values: Sequence[int], fmt: Callable[[int], Figure]) -> None:
        shown = [fmt(v) for v in values]
        self.rows.append((label, shown))
        self.raw.append(
            [v if isinstance(s, int) else None for v, s in zip(values, shown, strict=True)]
        )


def _labels(model: Any, ids: Iterable[Any]) -> dict[Any, str]:
    keys = {i for i in ids if i is not None}
    return {o.pk: str(o) for o in model.objects.filter(pk__in=keys)}


def _series_columns() -> list[str]:
    return [_("Sought"), _("Located"), *[str(s.label) for s in BREAKDOWN_STATUSES]]


def series_table(
    user: User, f: Filters, computed: tuple[list[dt.date], dict[str, list[int]]] | None = None
) -> Table:
    months, series = computed or status_series(user, f)
    fmt = formatter_for(user)
    with_tracing = f.host_country is None and not f.statuses
    table = Table(
        "monthly",
        _("Persons by status at each month end"),
        _("Month end"),
        _series_columns() if with_tracing else [str(s.label) for s in BREAKDOWN_STATUSES],
    )
    table.column_keys = [s.value for s in BREAKDOWN_STATUSES]
    if with_tracing:
        table.column_keys = ["sought", "located", *table.column_keys]
        sought, located = tracing_series(user, f)
    else:
        table.note = _("Sought and located are counted by tracing request, not by host country.")
    for i, m in enumerate(months):
        values = [series.get(s.value, [0] * len(months))[i] for s in BREAKDOWN_STATUSES]
        if with_tracing:
            values = [sought[i], located[i], *values]
        table.add(m.isoformat(), values, fmt)
    return table


def breakdown_tables(
    user: User, f: Filters, computed: dict[tuple[Any, ...], int] | None = None
) -> list[Table]:
    """By home region, host country and facility, as of the period's end (one query)."""
    if computed is None:
        computed = status_snapshot(user, f, ["region", "country", "facility", "status"])
    counts = computed
    fmt = formatter_for(user)
    statuses = [s.value for s in BREAKDOWN_STATUSES]
    columns = [_("Total"), *[str(s.label) for s in BREAKDOWN_STATUSES]]
    specs = [
        ("region", _("By home region"), _("Home region"), 0, Region),
        ("country", _("By host country"), _("Host country"), 1, Country),
        ("facility", _("By facility"), _("Facility"), 2, Facility),
    ]
    tables = []
    for key, title, first, pos, model in specs:
        grouped: dict[Any, dict[str, int]] = {}
        for k, n in counts.items():
            if k[3] not in statuses:
                continue
            cell = grouped.setdefault(k[pos], {})
            cell[k[3]] = cell.get(k[3], 0) + n
        names = _labels(model, grouped)
        table = Table(key, title, first, columns)
        ordered = sorted(grouped.items(), key=lambda kv: (-sum(kv[1].values()), str(kv[0])))
        for ident, cells in ordered:
            if key == "facility" and ident is None:
                continue
            values = [cells.get(s, 0) for s in statuses]
            table.add(names.get(ident, _("Not recorded")), [sum(values), *values], fmt)
        tables.append(table)
    return tables


def dashboard_tables(user: User, f: Filters) -> list[Table]:
    """Every table of the figures dashboard, in the order shown."""
    months, series, places = series_and_places(user, f)
    return [series_table(user, f, (months, series)), *breakdown_tables(user, f, places)]


def count_matching(user: User, f: Filters, on: dt.date, *, scratch: bool = False) -> int:
    """How many persons matched ``f`` on the day ``on`` (for the ledger's definitions)."""
    return sum(status_snapshot(user, f, ["status"], on=on, scratch=scratch).values())


def sought_on(user: User, f: Filters, on: dt.date, *, scratch: bool = False) -> int:
    """Distinct persons sought in a request open on ``on``."""
    sought, _located = tracing_counts(user, f, [on], scratch=scratch)
    return sought[0]
