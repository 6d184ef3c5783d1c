"""CPU per page, Python and PostgreSQL, in one process under the production settings.

``python -m bench pagecpu [--persons 100000] [--database-url postgres://...] [--repeat 20]``

Wall time on a shared 2-core machine mostly measures the neighbours; CPU time does not.
For each page of the load test's mix (bench/_locustfile.py) this sends ``--repeat``
requests with the Django test client, logged in as the load test's caseworker, and
prints per request: the process's own CPU (``time.process_time``), the CPU of the
PostgreSQL backend serving the connection (utime + stime from ``/proc/<pid>/stat``,
so the server must run on this machine; shown as "-" otherwise) and the number of
queries. The last line weighs the pages as the load test's users ask for them.

The database is the one ``python -m bench pages`` seeds (the URL's name with
``_<persons>`` appended; seeded here too if missing). Production settings need the
static files' manifest: they are collected once into a scratch folder. Run the same
command with ``PYTHONPATH=<another checkout>/src`` to measure another version's code
on the same data (the bench itself is imported from the current folder).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.pages import DEFAULT_URL, database_url, ensure_database, prepare

# The load test's tasks and their weights (bench/_locustfile.py; the save is left out:
# it writes).
MIX = {
    "person list": 4,
    "person detail": 3,
    "person search": 3,
    "request list": 2,
    "dashboard": 1,
    "person edit form": 1,
    "health (baseline)": 2,
}
SEARCHES = ("Алиева", "Magomedov", "Иванов", "Hassan", "Петрова")
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench pagecpu", description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--batch-size", type=int, default=10_000)
    return parser.parse_args(argv)


def setup_django(url: str) -> None:
    """Production settings on loopback over plain HTTP, second factor off (as bench/load)."""
    var = Path(tempfile.gettempdir()) / "wayhome-bench-pagecpu"
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="wayhome.config.settings.production",
        WAYHOME_SECRET_KEY=os.environ.get("WAYHOME_SECRET_KEY", "bench-pagecpu-" + "k" * 40),
        WAYHOME_ALLOWED_HOSTS="127.0.0.1",
        WAYHOME_SSL_REDIRECT="0",
        WAYHOME_MFA_REQUIRED="0",
        WAYHOME_VAR_DIR=str(var),
        WAYHOME_LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    if not (var / "static" / "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)


def backend_ticks(pid: int | None) -> int | None:
    """CPU clock ticks the PostgreSQL backend has used so far (None if not readable)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def backend_pid() -> int | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    return int(row[0]) if row else None


@dataclass
class Row:
    page: str
    python_ms: float
    postgres_ms: float | None
    queries: float
    wall_ms: float


def run(page: str, urls: Iterator[str], client: Any, repeat: int) -> Row:
    """``repeat`` GETs after two untimed ones; CPU and queries per request."""
    from django.db import connection

    def get() -> None:
        url = next(urls)
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{page}: {url} answered {response.status_code}")

    for _ in range(2):
        get()
    count = [0]

    def counter(execute: Callable[..., Any], *args: Any) -> Any:
        count[0] += 1
        return execute(*args)

    pid = backend_pid()
    ticks = backend_ticks(pid)
    walls = []
    cpu = time.process_time()
    with connection.execute_wrapper(counter):
        for _ in range(repeat):
            start = time.perf_counter()
            get()
            walls.append((time.perf_counter() - start) * 1000)
    python = (time.process_time() - cpu) * 1000 / repeat
    after = backend_ticks(pid)
    if backend_pid() != pid:
        raise SystemExit(f"{page}: the database connection changed during the run")
    postgres = None if ticks is None or after is None else (after - ticks) * 1000 / TICK / repeat
    return Row(page, python, postgres, count[0] / repeat, statistics.median(walls))


def measure(repeat: int) -> list[Row]:
    from django.test import Client
    from django.urls import reverse

    from wayhome.accounts.models import User
    from wayhome.people.models import Person

    user = User.objects.get(username="ngo-caseworker")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    uuids = list(
        Person.objects.filter(agency=user.agency, merged_into__isnull=True)
        .order_by("uuid")
        .values_list("uuid", flat=True)[: 2 * (repeat + 2)]
    )
    people = reverse("people:list")

    def cycle(items: list[str]) -> Iterator[str]:
        while True:
            yield from items

    pages = {
        "health (baseline)": cycle([reverse("web:health")]),
        "person list": cycle([people]),
        "person search": cycle([f"{people}?{urlencode({'q': q})}" for q in SEARCHES]),
        "person detail": cycle([reverse("people:detail", args=[u]) for u in uuids]),
        "person edit form": cycle([reverse("people:update", args=[u]) for u in uuids[::-1]]),
        "request list": cycle([reverse("tracing:request_list")]),
        "dashboard": cycle([reverse("web:dashboard")]),
    }
    return [run(page, urls, client, repeat) for page, urls in pages.items()]


def report(persons: int, rows: list[Row]) -> None:
    import wayhome

    print(f"\n== CPU per request, {persons:,} persons, code from {Path(wayhome.__file__).parent}")
    print(f"{'page':22} {'python ms':>10} {'postgres ms':>12} {'total ms':>9} {'queries':>8}")
    for r in rows:
        pg = "-" if r.postgres_ms is None else f"{r.postgres_ms:.1f}"
        total = r.python_ms + (r.postgres_ms or 0)
        print(f"{r.page:22} {r.python_ms:10.1f} {pg:>12} {total:9.1f} {r.queries:8.1f}")
    weight = sum(MIX[r.page] for r in rows)
    python = sum(MIX[r.page] * r.python_ms for r in rows) / weight
    postgres = sum(MIX[r.page] * (r.postgres_ms or 0) for r in rows) / weight
    queries = sum(MIX[r.page] * r.queries for r in rows) / weight
    print(
        f"{'load mix (weighted)':22} {python:10.1f} {postgres:12.1f} {python + postgres:9.1f}"
        f" {queries:8.1f}"
    )


def main(argv: list[str]) -> int:
    args = parse(argv)
    url = database_url(args.database_url, args.persons)
    ensure_database(url)
    setup_django(url)
    prepare(args.persons, args.seed, args.batch_size)
    report(args.persons, measure(args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
