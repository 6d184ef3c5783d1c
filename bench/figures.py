"""Figures over a seeded registry on PostgreSQL: how long the dashboards take to draw.

``python -m bench figures --database-url postgres://postgres@127.0.0.1:5432/bench_figures_1000000``

Run it on a copy of the 1M bench database (``createdb -T bench_wayhome_1000000
bench_figures_1000000``): the exports write audit events, and the database is migrated
first (the figures app adds one table). It times, for the first demo agency, each query
of the figures dashboard (24 monthly status counts from the whereabouts timelines, the
sought/located series, the breakdown snapshot), the public report (with its secondary
suppression), a ledger definition, the panels other apps add (repatriation pipeline, overdue
aftercare visits), and the pages themselves through the Django test
client (dashboard, one CSV export, public report), next to two baselines of the same run:
a ``SELECT 1`` round trip and the current-status breakdown of the web dashboard (one
indexed GROUP BY on the persons table). Medians and 95th percentiles in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import statistics
import time
from collections.abc import Callable

from bench.pages import p95, setup_django


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds per call after one untimed warm-up (the from-scratch queries take
    tens of seconds at a million persons: bench.pages' two warm-ups would double that)."""
    call()
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_figures_1000000"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench figures", description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_FIGURES_URL", DEFAULT_URL))
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    parser.add_argument("--as-of", default="", help="the period's last day (default: today)")
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="only the queries, in a read-only session, no migration and no pages: for a "
        "database that must not be written (e.g. one still being seeded by someone else)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from wayhome.accounts.models import Agency, User
    from wayhome.demo.accounts import DEMO_AGENCIES
    from wayhome.figures.definitions import DEFINITIONS
    from wayhome.figures.models import MonthlyCount, Span
    from wayhome.figures.panels import panel_tables
    from wayhome.figures.public import public_report
    from wayhome.figures.selectors import (
        Filters,
        add_months,
        month_end,
        series_and_places,
        status_series,
        status_snapshot,
        tracing_series,
    )
    from wayhome.people.models import Person
    from wayhome.web.selectors import agency_counts

    if args.read_only:
        with connection.cursor() as cursor:
            cursor.execute("SET default_transaction_read_only = on")
    else:
        call_command("migrate", interactive=False, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics after seeding or copying
    agency = Agency.objects.get(name=DEMO_AGENCIES[0].name)
    user = User.objects.get(username="ngo-supervisor")
    persons = Person.objects.filter(agency=agency).count()
    end = dt.date.fromisoformat(args.as_of) if args.as_of else month_end(timezone.localdate())
    f = Filters(start=add_months(end.replace(day=1), -23), end=end)

    def select_one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    client = Client(HTTP_HOST="127.0.0.1")
    if not args.read_only:
        client.force_login(user)  # writes a session

    def page(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    query = f"?start={f.start:%Y-%m}&end={f.end:%Y-%m}"
    women = Filters(**{**f.__dict__, "sex": "F"})
    children = Filters(**{**f.__dict__, "age_band": "child"})
    places = ["region", "country", "facility", "status"]
    definition = DEFINITIONS["held_women_ru_iq"]
    export = reverse("figures:export", args=["monthly", "csv"]) + query

    def dashboard(scratch: bool) -> None:
        """The queries of /figures/: the series and snapshot, then sought and located."""
        series_and_places(user, f, scratch=scratch)
        tracing_series(user, f, scratch=scratch)

    # (what, the old from-scratch query or None, the kept tables' path)
    pairs = [
        (
            "status series, 24 months",
            lambda: status_series(user, f, scratch=True),
            lambda: status_series(user, f),
        ),
        (
            "status series, women only",
            lambda: status_series(user, women, scratch=True),
            lambda: status_series(user, women),
        ),
        (
            "status series, children (spans)",
            lambda: status_series(user, children, scratch=True),
            lambda: status_series(user, children),
        ),
        (
            "sought/located series",
            lambda: tracing_series(user, f, scratch=True),
            lambda: tracing_series(user, f),
        ),
        (
            "snapshot by region/country/facility",
            lambda: status_snapshot(user, f, places, scratch=True),
            lambda: status_snapshot(user, f, places),
        ),
        (
            "dashboard queries (series, snapshot, sought)",
            lambda: dashboard(True),
            lambda: dashboard(False),
        ),
        (
            "public report (3 tables, suppressed)",
            lambda: public_report(user, end, end, scratch=True),
            lambda: public_report(user, end, end),
        ),
        (
            "ledger definition (women RU held IQ)",
            lambda: definition.count(user, end, scratch=True),
            lambda: definition.count(user, end),
        ),
        ("panels: cases by stage/blocker, overdue", None, lambda: panel_tables(user, f)),
        ("page: figures dashboard", None, lambda: page(reverse("figures:dashboard") + query)),
        ("page: monthly CSV export", None, lambda: page(export)),
        ("page: public report", None, lambda: page(reverse("figures:public"))),
    ]
    if args.read_only:
        pairs = [r for r in pairs if not r[0].startswith("page:")]
    print(f"== figures: {persons:,} persons in the agency, period {f.start} to {f.end}")
    print(
        f"   kept tables: {Span.objects.count():,} spans,"
        f" {MonthlyCount.objects.count():,} monthly counts"
    )
    for name, call in [
        ("baseline: SELECT 1", select_one),
        ("baseline: web dashboard counts", lambda: agency_counts(user.agency_key)),
    ]:
        samples = timed(call, args.repeat)
        print(
            f"{name:<46} median {statistics.median(samples):>8.0f} ms  p95 {p95(samples):>8.0f} ms"
        )
    print(
        f"{'what':<46} {'old med':>8} {'old p95':>8} {'new med':>8} {'new p95':>8} {'old/new':>8}"
    )
    for name, old, new in pairs:
        fresh = timed(new, args.repeat)
        med, high = statistics.median(fresh), p95(fresh)
        if old is None:
            print(f"{name:<46} {'-':>8} {'-':>8} {med:>8.0f} {high:>8.0f} {'-':>8}")
            continue
        base = timed(old, args.repeat)
        bmed = statistics.median(base)
        ratio = bmed / med if med else float("inf")
        print(f"{name:<46} {bmed:>8.0f} {p95(base):>8.0f} {med:>8.0f} {high:>8.0f} {ratio:>7.1f}x")
    if not args.read_only:
        # What the writers pay: one person's refresh (as after a whereabouts entry), and a
        # seeding batch's (5,000 persons), each rolled back.
        from django.db import transaction

        from wayhome.figures.history import persons_refresh

        ids = list(
            Person.objects.filter(agency=agency, whereabouts__isnull=False)
            .order_by("id")
            .values_list("id", flat=True)
            .distinct()[:5000]
        )

        def refresh(chosen: list[int]) -> None:
            with transaction.atomic():
                persons_refresh(chosen)
                transaction.set_rollback(True)

        for name, chosen in [("refresh: one person", ids[:1]), ("refresh: 5,000 persons", ids)]:
            samples = timed(functools.partial(refresh, chosen), args.repeat)
            print(
                f"{name:<46} median {statistics.median(samples):>8.0f} ms"
                f"  p95 {p95(samples):>8.0f} ms"
            )


if __name__ == "__main__":
    main()
