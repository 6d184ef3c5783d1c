"""Web pages over 100,000 and 1,000,000 synthetic persons on PostgreSQL.

``python -m bench pages [--persons 100000 1000000] [--database-url postgres://...]``

For each size it uses its own database (the URL's name with ``_<size>`` appended),
created and seeded with ``wayhome seed`` the first time and reused afterwards, so reruns
are cheap. It then times, with the Django test client logged in as a caseworker, the
person list, a Cyrillic and a Latin name search and person detail pages, next to two
baselines measured in the same run: a ``SELECT 1`` round trip and the health endpoint.
Medians and 95th percentiles are in milliseconds; "x health" is the median over the
health endpoint's median, which factors out how fast this machine is today.

The second factor is switched off for the run (WAYHOME_MFA_REQUIRED=0): this measures
pages, not logins.

``--need-to-know`` times every page a second time with the agency working by team
(accounts/scope.py): the caseworker in one of two bench teams, a third of the persons
held by each team and a third by none. It WRITES those teams and assignments (once; a
third of the persons' ``team_id``), so point it at a copy of the seeded database. The
agency's switch is turned on for the second pass only and put back afterwards, so both
passes read the same rows in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_wayhome"
QUERIES = {"search (Cyrillic)": "Алиева", "search (Latin)": "Magomedov"}


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench pages", description=__doc__)
    parser.add_argument("--persons", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument(
        "--need-to-know",
        action="store_true",
        help="also time the pages with need-to-know on (writes teams: use a copy)",
    )
    return parser.parse_args(argv)


def database_url(base: str, persons: int) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{persons}"))


def ensure_database(url: str) -> None:
    """CREATE DATABASE if it does not exist, from the server's maintenance database."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wayhome.config.settings.dev")
    os.environ["WAYHOME_MFA_REQUIRED"] = "0"
    import django

    django.setup()


def use_database(url: str) -> None:
    """Point the default connection at another database of the same server."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = urlsplit(url).path.lstrip("/")


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds per call, after two untimed warm-up calls."""
    for _ in range(2):
        call()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def prepare(persons: int, seed: int, batch_size: int) -> str:
    """Migrate, create the demo accounts, seed up to ``persons``; say what was done."""
    from django.core.management import call_command

    from wayhome.accounts.models import Agency
    from wayhome.demo.accounts import DEMO_AGENCIES, ensure_demo_accounts
    from wayhome.demo.seeding import seed_population
    from wayhome.people.models import Person

    call_command("migrate", interactive=False, verbosity=0)
    ensure_demo_accounts()
    agency = Agency.objects.get(name=DEMO_AGENCIES[0].name)
    have = Person.objects.filter(agency=agency).count()
    if have >= persons:
        analyze()  # a migration may have added an index since; plans need fresh statistics
        return f"reused: {have:,} persons already there"
    missing = persons - have
    start = time.monotonic()
    seed_population(
        agency=agency,
        persons=missing,
        seed=seed + have,
        batch_size=batch_size,
        progress=lambda done, total, s: print(
            f"  seeding {done:,}/{total:,} ({done / max(s, 1e-9):,.0f}/s)",
            file=sys.stderr,
            flush=True,
        ),
    )
    seconds = time.monotonic() - start
    analyze()
    return f"seeded {missing:,} persons in {seconds:,.0f} s ({missing / seconds:,.0f}/s)"


BENCH_TEAMS = ("Bench team A", "Bench team B")


def need_to_know_teams() -> str:
    """Two teams, the caseworker in the first; persons with id % 3 = 0 held by the first,
    = 1 by the second, = 2 by none (left as they are when some team holds any already)."""
    from django.db import connection

    from wayhome.accounts.models import Team, User

    user = User.objects.get(username="ngo-caseworker")
    mine, other = (Team.objects.get_or_create(agency=user.agency, name=n)[0] for n in BENCH_TEAMS)
    user.teams.add(mine)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM people_person WHERE agency_id = %s AND team_id IS NOT NULL LIMIT 1",
            [user.agency_key],
        )
        if cursor.fetchone() is None:
            cursor.execute(
                "UPDATE people_person SET team_id = CASE WHEN id %% 3 = 0 THEN %s ELSE %s END"
                " WHERE agency_id = %s AND id %% 3 < 2",
                [mine.pk, other.pk, user.agency_key],
            )
            cursor.execute("ANALYZE people_person")
        cursor.execute(
            "SELECT count(*) FILTER (WHERE team_id IS NULL OR team_id = %s), count(*)"
            " FROM people_person WHERE agency_id = %s",
            [mine.pk, user.agency_key],
        )
        visible, total = cursor.fetchone()
    return f"need-to-know: the caseworker's teams and unassigned hold {visible:,} of {total:,}"


def set_need_to_know(on: bool) -> bool:
    """Switch the demo agency's need-to-know; return what it was."""
    from wayhome.accounts.models import Agency, User

    agency = User.objects.get(username="ngo-caseworker").agency
    assert agency is not None  # the demo accounts belong to agencies
    was = agency.need_to_know
    Agency.objects.filter(pk=agency.pk).update(need_to_know=on)
    return was


def measure(repeat: int) -> list[tuple[str, list[float]]]:
    from django.db import connection
    from django.db.models import Q
    from django.test import Client
    from django.urls import reverse

    from wayhome.accounts.models import User
    from wayhome.people.models import Person

    user = User.objects.get(username="ngo-caseworker")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    # Persons the caseworker may open with need-to-know on as well (no team or theirs),
    # so that both passes of --need-to-know open the same ones.
    people = list(
        Person.objects.filter(agency=user.agency)
        .filter(Q(team__isnull=True) | Q(team__in=user.teams.all()))
        .order_by("uuid")
        .values_list("uuid", flat=True)[: repeat + 2]
    )

    def get(url: str) -> Callable[[], object]:
        def call() -> object:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            return response

        return call

    def select_one() -> object:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()

    details = iter(people * 2)

    def detail() -> object:
        return get(reverse("people:detail", args=[next(details)]))()

    rows = [
        ("SELECT 1 (baseline)", timed(select_one, repeat)),
        ("/health/ (baseline)", timed(get(reverse("web:health")), repeat)),
        ("person list", timed(get(reverse("people:list")), repeat)),
    ]
    for label, q in QUERIES.items():
        rows.append(
            (
                f"{label} q={q}",
                timed(get(f"{reverse('people:list')}?{urlencode({'q': q})}"), repeat),
            )
        )
    rows.append(("person detail", timed(detail, repeat)))
    edits = iter(people * 2)
    rows.append(
        (
            "person edit form",
            timed(lambda: get(reverse("people:update", args=[next(edits)]))(), repeat),
        )
    )
    # The rest of the load test's mix (bench/_locustfile.py).
    rows.append(("request list", timed(get(reverse("tracing:request_list")), repeat)))
    rows.append(("dashboard", timed(get(reverse("web:dashboard")), repeat)))
    return rows


def report(persons: int, prepared: str, rows: list[tuple[str, list[float]]]) -> None:
    health = statistics.median(rows[1][1])
    print(f"\n== {persons:,} persons ({prepared})")
    print(f"{'page':46} {'median ms':>10} {'p95 ms':>10} {'x health':>9}")
    for label, samples in rows:
        median = statistics.median(samples)
        print(f"{label:46} {median:10.2f} {p95(samples):10.2f} {median / health:9.2f}")


def main(argv: list[str]) -> int:
    args = parse(argv)
    urls = [database_url(args.database_url, n) for n in args.persons]
    for url in urls:
        ensure_database(url)
    setup_django(urls[0])
    for persons, url in zip(args.persons, urls, strict=True):
        use_database(url)
        prepared = prepare(persons, args.seed, args.batch_size)
        if args.need_to_know:
            prepared += "; " + need_to_know_teams()
        rows = measure(args.repeat)
        if args.need_to_know:
            was = set_need_to_know(True)
            try:
                rows += [(f"{label}, need-to-know", s) for label, s in measure(args.repeat)[2:]]
            finally:
                set_need_to_know(was)
        report(persons, prepared, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
