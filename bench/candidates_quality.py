"""Candidate search quality on lists with real name diversity (linkage-dev).

``python -m bench candidates_quality [--data ../shared/data/linkage-dev] [--sets ru,ar]
[--database-url postgres://postgres@127.0.0.1:5432/bench_wayhome]``

For each set it registers right.csv (20,000 persons in Cyrillic or Arabic script) in a
scratch database (the URL's name plus ``_candidates_<set>``, created, then dropped)
through the services, as caseworkers would, so the blocking index is written by the
same hook; then searches each left.csv row (a Latin-script report) with
``candidates_for`` at its defaults and reads truth.csv only to count: the share of the
2,000 queries with a partner that find it among the ten candidates and first, and the
time per search. Nothing is tuned on these answers.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.pages import ensure_database, p95, setup_django, use_database
from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.linkage.io import read_person_list

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "linkage-dev"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_wayhome"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench candidates_quality", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sets", default="ru,ar")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    return parser.parse_args(argv)


def scratch_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_candidates_{name}"))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        name = sql.Identifier(parts.path.lstrip("/"))
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def fuzzy(birth: tuple[int, int | None, int | None] | None) -> FuzzyDate:
    if birth is None:
        return FuzzyDate()
    year, month, day = birth
    if day is not None and month is not None:
        return FuzzyDate(Precision.EXACT, year, month, day)
    if month is not None:
        return FuzzyDate(Precision.MONTH, year, month)
    return FuzzyDate(Precision.YEAR, year)


def run_set(folder: Path) -> str:
    from django.core.management import call_command

    from wayhome.accounts.models import Agency, User
    from wayhome.accounts.roles import Role
    from wayhome.matching.selectors import candidates_for
    from wayhome.people.services import NameData, person_create

    call_command("migrate", interactive=False, verbosity=0)
    agency = Agency.objects.create(name="Quality check (synthetic)", reference_prefix="QQQ")
    user = User.objects.create_user(username="quality-check", agency=agency, role=Role.CASEWORKER)
    ids: dict[int, str] = {}
    started = time.monotonic()
    for row in read_person_list(folder / "right.csv"):
        person = person_create(
            actor=user,
            names=[NameData(given=row.given_name, family=row.family_name, full=row.full_name)],
            sex=row.sex or "U",
            birth=fuzzy(row.birth),
        )
        ids[person.pk] = row.id
    loaded = time.monotonic() - started
    with (folder / "truth.csv").open(encoding="utf-8") as handle:
        truth = {r["left_id"]: r["right_id"] for r in csv.DictReader(handle)}
    top10 = top1 = 0
    times: list[float] = []
    for row in read_person_list(folder / "left.csv"):
        name = NameData(given=row.given_name, family=row.family_name, full=row.full_name)
        start = time.perf_counter()
        found = candidates_for(user, names=[name], sex=row.sex, birth=fuzzy(row.birth))
        times.append((time.perf_counter() - start) * 1000)
        partner = truth.get(row.id)
        if partner is not None:
            ranked = [ids[c.person.pk] for c in found]
            top10 += partner in ranked
            top1 += ranked[:1] == [partner]
    n = len(truth)
    return (
        f"registered {len(ids):,} in {loaded:,.0f} s; of {n:,} queries with a partner: "
        f"among the 10 candidates {top10 / n:.1%}, first {top1 / n:.1%}; "
        f"search median {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms"
    )


def main(argv: list[str]) -> int:
    args = parse(argv)
    names = [s.strip() for s in args.sets.split(",") if s.strip()]
    urls = {name: scratch_url(args.database_url, name) for name in names}
    for url in urls.values():
        drop_database(url)
        ensure_database(url)
    setup_django(next(iter(urls.values())))
    try:
        for name, url in urls.items():
            use_database(url)
            print(f"{name}: {run_set(args.data / name)}", flush=True)
    finally:
        from django.db import connection

        connection.close()
        for url in urls.values():
            drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
