"""The person search's statements at a million persons, read-only: EXPLAIN ANALYZE.

``python -m bench search_plans --database-url postgres://.../bench_wayhome_1000000
[--queries Алиева Magomedov] [--runs 5]``

For a database nobody may write to (the seeded one others measure on), where ``python
-m bench pages`` cannot run (it migrates, logs in, analyzes). The session is read-only
(``default_transaction_read_only``). For each name it runs, as the ORM builds them for
``ngo-caseworker``, the statements of the page as it was (the count stopping at
COUNT_CAP + 1, the first page sorted by name) and as it is past SORT_MAX matches (the
count stopping at SORT_MAX + 1, the first and the last browsable page newest first),
beside a ``SELECT 1``; each ``runs`` times, printing the first (coldest) and the median
execution time PostgreSQL reports, and the scan each plan starts from.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
from typing import Any

from bench.pages import setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_wayhome_1000000"
EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench search_plans", description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--queries", nargs="+", default=["Алиева", "Magomedov", "Исаев"])
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args(argv)


def statements(q: str) -> list[tuple[str, str, tuple[Any, ...]]]:
    """(label, SQL, params) of the page's statements for a name search."""
    from django.db.models import QuerySet

    from wayhome.accounts.models import User
    from wayhome.people import selectors as sel

    user = User.objects.get(username="ngo-caseworker")
    f = sel.PersonFilters(q=q)
    related = ("current_facility", "home_region")
    page = sel.PAGE_SIZE + 1
    last = (sel.WALK_PAGES - 1) * sel.PAGE_SIZE
    sets: list[tuple[str, QuerySet[Any]]] = [
        ("before: count to COUNT_CAP", sel.persons_filtered(user, f).order_by().values("pk")),
        (
            "before: page 1 by name",
            sel.persons_filtered(user, f)
            .order_by("display_name", "id")
            .select_related(*related)[:page],
        ),
        ("now: count to SORT_MAX", sel.persons_filtered(user, f).order_by().values("pk")),
        (
            "now: page 1 newest first",
            sel.persons_filtered(user, f, walk=True)
            .order_by("-id")
            .select_related(*related)[:page],
        ),
        (
            f"now: page {sel.WALK_PAGES} newest first",
            sel.persons_filtered(user, f, walk=True)
            .order_by("-id")
            .select_related(*related)[last : last + page],
        ),
    ]
    caps = {0: sel.COUNT_CAP + 1, 2: sel.SORT_MAX + 1}
    out: list[tuple[str, str, tuple[Any, ...]]] = []
    for i, (label, qs) in enumerate(sets):
        if i in caps:
            qs = qs[: caps[i]]
        sql, params = qs.query.sql_with_params()
        if i in caps:
            sql = f"SELECT count(*) FROM ({sql}) AS matches"  # noqa: S608 (ORM SQL)
        out.append((label, sql, params))
    return out


def explain(sql: str, params: tuple[Any, ...] | None, runs: int) -> tuple[list[float], str]:
    """Execution times (ms) over ``runs`` runs, and the plan's first scan."""
    from django.db import connection

    times, scan = [], ""
    with connection.cursor() as cursor:
        for _ in range(runs):
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            lines = [r[0] for r in cursor.fetchall()]
            found = next((EXECUTION.search(line) for line in lines if "Execution" in line), None)
            times.append(float(found.group(1)) if found else float("nan"))
            scan = scan or next((line.strip() for line in lines if "Scan" in line), "")
    return times, scan


def main(argv: list[str]) -> int:
    args = parse(argv)
    setup_django(args.database_url)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET default_transaction_read_only = on")
        cursor.execute("SELECT count(*) FROM people_person")
        (persons,) = cursor.fetchone()
    print(f"\n== search plans over {persons:,} persons (read-only, {args.runs} runs each)")
    print(f"{'query':12} {'statement':32} {'first ms':>9} {'median ms':>10}  scan")
    base, _ = explain("SELECT 1", None, args.runs)
    print(f"{'':12} {'SELECT 1 (baseline)':32} {base[0]:9.2f} {statistics.median(base):10.2f}")
    for q in args.queries:
        found = statements(q)
        with connection.cursor() as cursor:
            cursor.execute(found[0][1], found[0][2])
            (matches,) = cursor.fetchone()
        print(f"{q:12} {'matches (count to COUNT_CAP)':32} {matches:>9,}")
        for label, sql, params in found:
            times, scan = explain(sql, params, args.runs)
            scan = re.sub(r"\s*\(cost=.*", "", scan).removeprefix("->  ")
            print(f"{q:12} {label:32} {times[0]:9.1f} {statistics.median(times):10.1f}  {scan}")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
