"""Importing and linking a list of N rows into a registry of R persons (PostgreSQL).

``python -m bench imports [--rows 100000] [--registry 100000] [--database-url URL]``

The registry lives in its own database (the URL's name plus ``_imports``), seeded with
``wayhome seed`` and keyed for candidate search the first time, reused afterwards. The
list is synthetic: a share of its rows (``--known``) are registry persons written as a
list would (the name in one free-text field, a birth date at the precision the registry
has), the others recombine registry names into people who are not there. Each stage is
timed in the same run:

- parse: reading the CSV and every row (``linkage.io.read_table``, ``lists.reading``);
- COPY baseline: the parsed rows copied into an unlogged table, the fastest a database
  takes these rows in at all, with no linking, no audit, no checks;
- import: ``list_import_upload`` and ``list_import_commit`` as the web job runs them
  (linking in batches, ``lists/linking.py``: the index, the shortlisted persons and
  their names read once per batch, scoring in memory, the batch's new persons, names,
  keys and review pairs written in bulk, audit events chained in bulk), in one
  transaction that is rolled back at the end so that the registry is the same for the
  next run.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import time
from collections import Counter

from bench.__main__ import with_suffix
from bench.pages import DEFAULT_URL, analyze, ensure_database, prepare, setup_django


class RolledBack(Exception):
    """Raised to undo the timed import once it is measured."""


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench imports", description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--registry", type=int, default=100_000)
    parser.add_argument("--known", type=float, default=0.2, help="share of rows in the registry")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=2019)
    return parser.parse_args(argv)


def key_registry() -> str:
    from wayhome.matching.reindex import reindex

    start = time.monotonic()
    written = reindex()
    return f"keyed {written:,} name keys in {time.monotonic() - start:,.0f} s"


def synthetic_list(rows: int, known: float, seed: int) -> bytes:
    """CSV of ``rows`` rows: registry persons as a list writes them, and recombinations."""
    from wayhome.people.models import Person, PersonName

    rng = random.Random(seed)
    pool = list(
        Person.objects.filter(merged_into=None)
        .order_by("?")
        .values_list("pk", "sex", "birth_year", "birth_month", "birth_day")[: rows * 2]
    )
    names = dict(
        PersonName.objects.filter(person_id__in=[p[0] for p in pool], is_primary=True).values_list(
            "person_id", "given"
        )
    )
    families = dict(
        PersonName.objects.filter(person_id__in=[p[0] for p in pool], is_primary=True).values_list(
            "person_id", "family"
        )
    )
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["№", "ФИО", "Пол", "Дата рождения"])
    for i in range(rows):
        pk, sex, year, month, day = pool[i % len(pool)]
        if rng.random() < known:
            given, family = names.get(pk, ""), families.get(pk, "")
        else:  # someone not in the registry: a given name and a family name of others
            given = names.get(rng.choice(pool)[0], "")
            family = families.get(rng.choice(pool)[0], "")
            year = (year or 2010) + rng.randint(-3, 3)
            month = day = None
        birth = f"{day:02d}.{month:02d}.{year}" if day and month else (str(year) if year else "")
        writer.writerow(
            [i + 1, f"{family} {given}".strip(), {"M": "м", "F": "ж"}.get(sex, ""), birth]
        )
    return out.getvalue().encode("utf-8")


def time_parse(data: bytes) -> tuple[float, list[list[str]]]:
    import datetime as dt

    from wayhome.linkage.io import read_table
    from wayhome.lists.reading import read_list, suggest_mapping

    start = time.perf_counter()
    table = read_table(data)
    read = read_list(table, suggest_mapping(table.rows[0][1]), dt.date(2019, 5, 1), dt.date.today())  # noqa: DTZ011
    seconds = time.perf_counter() - start
    rows = [[r.key, r.display_name, r.sex, str(r.birth)] for r in read.rows]
    return seconds, rows


def time_copy(rows: list[list[str]]) -> float:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS bench_copy"
            " (key text, name text, sex text, birth text)"
        )
        cursor.execute("TRUNCATE bench_copy")
        start = time.perf_counter()
        with cursor.copy("COPY bench_copy FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        seconds = time.perf_counter() - start
        cursor.execute("DROP TABLE bench_copy")
    return seconds


def select_one_ms(repeat: int = 200) -> float:
    """Median round trip of SELECT 1: how loaded the database and machine are."""
    import statistics

    from django.db import connection

    samples = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            start = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def time_import(data: bytes, rows: int) -> tuple[float, Counter[str]]:
    import datetime as dt

    from django.db import transaction

    from wayhome.accounts.models import User
    from wayhome.lists import services

    user = User.objects.get(username="ngo-caseworker")
    counts: Counter[str] = Counter()
    started = time.perf_counter()

    def progress(done: int, total: int, message: str = "") -> None:
        if done and done % 1000 == 0:
            s = time.perf_counter() - started
            print(
                f"  linked {done:,}/{total:,} ({done / s:,.0f} rows/s)", file=sys.stderr, flush=True
            )

    try:
        with transaction.atomic():
            draft = services.list_import_upload(
                actor=user,
                source_name=f"Bench {time.time_ns()}",
                file_name="bench.csv",
                data=data,
                list_date=dt.date(2019, 5, 1),
            )
            done = services.list_import_commit(actor=user, list_import=draft, progress=progress)
            counts.update(done.counts)
            seconds = time.perf_counter() - started
            raise RolledBack
    except RolledBack:
        pass
    return seconds, counts


def main(argv: list[str]) -> int:
    args = parse(argv)
    url = with_suffix(args.database_url, "_imports")
    ensure_database(url)
    setup_django(url)
    prepared = prepare(args.registry, args.seed, 10_000)
    keyed = key_registry()
    analyze()
    data = synthetic_list(args.rows, args.known, args.seed)
    parse_s, parsed = time_parse(data)
    copy_s = time_copy(parsed)
    before_ms = select_one_ms()
    # Said at once: a long import may be stopped before the table below is printed.
    print(
        f"  parse {parse_s:,.1f} s ({args.rows / parse_s:,.0f} rows/s), COPY baseline"
        f" {copy_s:,.2f} s ({args.rows / copy_s:,.0f} rows/s)",
        file=sys.stderr,
        flush=True,
    )
    import_s, counts = time_import(data, args.rows)
    after_ms = select_one_ms()
    n = args.rows
    print(f"\nregistry: {args.registry:,} persons ({prepared}; {keyed})")
    print(f"list: {n:,} rows, {len(data) / 1e6:.1f} MB, {args.known:.0%} from the registry\n")
    print("| stage | seconds | rows/s |")
    print("|---|---:|---:|")
    for name, s in (
        ("parse (read + every row)", parse_s),
        ("COPY baseline (no linking)", copy_s),
        ("import and link (one transaction)", import_s),
    ):
        print(f"| {name} | {s:,.1f} | {n / s:,.0f} |")
    outcomes = ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
    print(f"\noutcomes: {outcomes}; import / COPY: {import_s / copy_s:,.0f}x")
    print(f"SELECT 1 round trip, median: {before_ms:.2f} ms before, {after_ms:.2f} ms after")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
