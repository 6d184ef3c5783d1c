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
import os
import statistics

from bench.pages import p95, setup_django, timed

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
    from wayhome.web.selectors import dashboard_for

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
    places = ["region", "country", "facility", "status"]
    definition = DEFINITIONS["held_women_ru_iq"]
    export = reverse("figures:export", args=["monthly", "csv"]) + query
    runs = [
        ("baseline: SELECT 1", select_one),
        ("baseline: web dashboard counts", lambda: dashboard_for(user)),
        ("status series, 24 months", lambda: status_series(user, f)),
        ("status series, women only", lambda: status_series(user, women)),
        ("sought/located series", lambda: tracing_series(user, f)),
        ("snapshot by region/country/facility", lambda: status_snapshot(user, f, places)),
        ("series and snapshot in one pass", lambda: series_and_places(user, f)),
        ("public report (3 tables, suppressed)", lambda: public_report(user, end, end)),
        ("ledger definition (women RU held IQ)", lambda: definition.count(user, end)),
        ("panels: cases by stage/blocker, overdue", lambda: panel_tables(user, f)),
        ("page: figures dashboard", lambda: page(reverse("figures:dashboard") + query)),
        ("page: monthly CSV export", lambda: page(export)),
        ("page: public report", lambda: page(reverse("figures:public"))),
    ]
    if args.read_only:
        runs = [r for r in runs if not r[0].startswith("page:")]
    print(f"== figures: {persons:,} persons in the agency, period {f.start} to {f.end}")
    print(f"{'what':<40} {'median ms':>10} {'p95 ms':>10}")
    for name, call in runs:
        samples = timed(call, args.repeat)
        print(f"{name:<40} {statistics.median(samples):>10.0f} {p95(samples):>10.0f}")


if __name__ == "__main__":
    main()
