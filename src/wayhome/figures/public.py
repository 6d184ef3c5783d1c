"""The public figures: tables for publication, small counts suppressed, definitions stated.

Built from the same snapshot as the dashboards, then every table goes through
``suppression.protect`` (primary and secondary suppression), so what leaves the system
never holds a count of 1 to 4, nor one that its totals would give back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from wayhome.accounts.models import User
from wayhome.figures.selectors import HELD, Filters, status_snapshot
from wayhome.figures.suppression import THRESHOLD, Protected, protect
from wayhome.people.models import Sex, Status
from wayhome.places.models import Country, Region


@dataclass(frozen=True)
class PublicTable:
    key: str
    title: str
    first: str
    columns: list[str]  # the last one is the total
    labels: list[str]  # the last one is the total
    protected: Protected

    def rows(self) -> list[tuple[str, list[int | str]]]:
        return list(zip(self.labels, self.protected.grid(), strict=True))

    @property
    def suppressed(self) -> int:
        return len(self.protected.hidden)


@dataclass(frozen=True)
class PublicReport:
    as_of: dt.date
    produced_on: dt.date
    tables: list[PublicTable]
    definitions: list[tuple[str, str]]


_GROUPS = ("women", "men", "children", "unknown")
_STATUS_ROWS = [
    Status.MISSING,
    Status.DETAINED,
    Status.IN_CAMP,
    Status.ON_TRIAL,
    Status.SENTENCED,
    Status.RELEASED,
    Status.REPATRIATED,
    Status.DECEASED,
]
_HELD = {s.value for s in HELD}
_REGION_COLUMNS = ("missing", "held", "released", "repatriated", "deceased")


def _group(sex: str, age: str) -> str:
    if age == "child":
        return "children"
    if age == "adult" and sex == Sex.FEMALE:
        return "women"
    if age == "adult" and sex == Sex.MALE:
        return "men"
    return "unknown"


def _region_column(status: str) -> str | None:
    if status in _HELD:
        return "held"
    return status if status in _REGION_COLUMNS else None


def _table(
    key: str,
    title: str,
    first: str,
    columns: list[str],
    rows: list[tuple[str, list[int]]],
) -> PublicTable:
    rows = [(label, cells) for label, cells in rows if any(cells)]
    cells = [c for _label, c in rows] or [[0] * len(columns)]
    labels = [label for label, _c in rows] or [_("None recorded")]
    return PublicTable(
        key, title, first, [*columns, _("Total")], [*labels, _("Total")], protect(cells)
    )


def _pivot(
    counts: dict[tuple[Any, ...], int],
    row_of: Callable[[tuple[Any, ...]], Any],
    col_of: Callable[[tuple[Any, ...]], Any],
    row_keys: list[Any],
    col_keys: list[Any],
) -> list[list[int]]:
    grid = {r: dict.fromkeys(col_keys, 0) for r in row_keys}
    for key, n in counts.items():
        r, c = row_of(key), col_of(key)
        if r in grid and c in grid[r]:
            grid[r][c] += n
    return [[grid[r][c] for c in col_keys] for r in row_keys]


def public_report(
    user: User, as_of: dt.date, today: dt.date, *, scratch: bool = False
) -> PublicReport:
    """The agency's figures on ``as_of`` for publication: no names, no small counts.
    ``scratch`` counts from the timelines instead of the kept spans (tests, benchmark)."""
    f = Filters(start=as_of, end=as_of)
    counts = status_snapshot(
        user, f, ["status", "sex", "age", "country", "region"], scratch=scratch
    )

    status_keys = [s.value for s in _STATUS_ROWS]
    by_group = _pivot(
        counts, lambda k: k[0], lambda k: _group(k[1], k[2]), status_keys, list(_GROUPS)
    )
    t1 = _table(
        "status",
        _("Persons by status"),
        _("Status"),
        [_("Women"), _("Men"), _("Children"), _("Not known")],
        [(str(s.label), row) for s, row in zip(_STATUS_ROWS, by_group, strict=True)],
    )

    held = {k: n for k, n in counts.items() if k[0] in _HELD}
    country_ids = sorted({k[3] for k in held}, key=lambda x: (x is None, x or 0))
    names = {c.pk: str(c) for c in Country.objects.filter(pk__in=[i for i in country_ids if i])}
    held_statuses = [s.value for s in HELD]
    by_country = _pivot(held, lambda k: k[3], lambda k: k[0], country_ids, held_statuses)
    t2 = _table(
        "country",
        _("Persons held, by host country"),
        _("Host country"),
        [str(s.label) for s in HELD],
        sorted(
            [
                (names.get(i, _("Not recorded")), row)
                for i, row in zip(country_ids, by_country, strict=True)
            ],
            key=lambda r: (-sum(r[1]), r[0]),
        ),
    )

    region_ids = sorted({k[4] for k in counts}, key=lambda x: (x is None, x or 0))
    regions = {r.pk: str(r) for r in Region.objects.filter(pk__in=[i for i in region_ids if i])}
    by_region = _pivot(
        counts, lambda k: k[4], lambda k: _region_column(k[0]), region_ids, list(_REGION_COLUMNS)
    )
    t3 = _table(
        "region",
        _("Persons by home region"),
        _("Home region"),
        [_("Missing"), _("Held"), _("Released"), _("Repatriated"), _("Deceased")],
        sorted(
            [
                (regions.get(i, _("Not recorded")), row)
                for i, row in zip(region_ids, by_region, strict=True)
            ],
            key=lambda r: (-sum(r[1]), r[0]),
        ),
    )
    return PublicReport(as_of, today, [t1, t2, t3], definitions(as_of))


def definitions(as_of: dt.date) -> list[tuple[str, str]]:
    """What every figure of the report means, printed with it."""
    day = as_of.isoformat()
    return [
        (
            _("Persons counted"),
            _(
                "Persons in this organisation's registry, each counted once (records found "
                "to be the same person are merged), whose whereabouts are recorded."
            ),
        ),
        (
            _("Status"),
            _(
                "The status of the latest whereabouts entry that started on or before "
                "%(day)s and has not been retracted. Held means detained, in a camp, on "
                "trial or sentenced."
            )
            % {"day": day},
        ),
        (
            _("Women, men, children"),
            _(
                "Age on %(day)s, counted from the earliest date the person may have been "
                "born; children are under 18. Not known: the birth date or the sex is not "
                "recorded."
            )
            % {"day": day},
        ),
        (
            _("Host country"),
            _("The country of the whereabouts entry: where the person is held."),
        ),
        (
            _("Home region"),
            _("The region the person comes from, as recorded in the registry."),
        ),
        (
            _("Suppressed counts"),
            _(
                "Counts from 1 to %(n)s are shown as <%(t)s, and so are some larger counts, "
                "chosen so that no hidden count can be worked out from the totals."
            )
            % {"n": THRESHOLD - 1, "t": THRESHOLD},
        ),
        (
            _("What the figures are not"),
            _(
                "They count the persons this organisation knows of, not everyone concerned: "
                "published estimates by others may be larger or smaller."
            ),
        ),
    ]
