"""Candidate search over a registry of 1,000,000 synthetic persons in PostgreSQL.

``python -m bench candidates [--database-url postgres://.../bench_wayhome_1000000]
[--queries 200] [--requests 100] [--reindex]``

The database must hold the blocking index (``wayhome matching reindex``; ``--reindex``
runs it first, so point it at a copy: ``CREATE DATABASE x TEMPLATE bench_wayhome_1000000``).
Logged in as ``ngo-caseworker`` it times, each beside baselines measured in the same run
(a ``SELECT 1`` round trip and the person list page):

- ``candidates_for`` for a noisy report of a registered person: another of their names
  (another script, when they have one) with one letter changed in the family name, the
  birth cut to the year, a fresh random person each time (so the first pass is cold for
  every name); how often that person is among the ten returned is printed as "found";
- the same queries again (warm caches);
- a tracing request's ranking (``ranking_refresh``: every sought person searched, scored,
  the family evidence added, stored), which a write that could change it sets off;
- reading a request's stored candidates (``request_candidates``, what opening the request
  does): first with the names' caches emptied (their spellings are computed again), then
  again (warm);
- reading a request whose ranking a write has just made stale (ranked again, then read);
- what marking the rankings a person's write may change adds to that write.

Medians and 95th percentiles are in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from typing import TYPE_CHECKING

from bench.pages import p95, setup_django, timed

if TYPE_CHECKING:
    from wayhome.tracing.models import TracingRequest

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_wayhome_1000000"
LETTERS = "abdeghiklmnorstuyz"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench candidates", description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--queries", type=int, default=200, help="persons searched for")
    parser.add_argument(
        "--requests", type=int, default=100, help="tracing requests ranked (and as many made stale)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reindex", action="store_true", help="build the blocking index first")
    return parser.parse_args(argv)


def typo(text: str, rng: random.Random) -> str:
    """One letter replaced, as a hurried list writer would."""
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    return text[:i] + rng.choice(LETTERS) + text[i + 1 :]


def sample_ids(agency_id: int, count: int, rng: random.Random) -> list[int]:
    from wayhome.people.models import Person

    bounds = Person.objects.filter(agency_id=agency_id).order_by("pk").values_list("pk", flat=True)
    low, high = bounds.first() or 0, bounds.last() or 0
    return rng.sample(range(low, high + 1), min(count, high - low + 1))


def queries(agency_id: int, count: int, rng: random.Random) -> list[tuple[int, object]]:
    """(person id, keyword arguments of ``candidates_for``) for ``count`` random persons."""
    from wayhome.core.fuzzydate import FuzzyDate, Precision
    from wayhome.people.models import Person, PersonName
    from wayhome.people.services import NameData

    out: list[tuple[int, object]] = []
    ids = sample_ids(agency_id, count * 2, rng)
    persons = Person.objects.filter(pk__in=ids).in_bulk()
    names: dict[int, list[PersonName]] = {}
    for n in PersonName.objects.filter(person_id__in=persons).order_by("is_primary", "id"):
        names.setdefault(n.person_id, []).append(n)
    for pk in ids:
        if pk not in persons or pk not in names or len(out) >= count:
            continue
        p, name = persons[pk], names[pk][0]  # a non-primary name when there is one
        birth = FuzzyDate(Precision.YEAR, p.birth_year) if p.birth_year else FuzzyDate()
        data = NameData(given=name.given, family=typo(name.family, rng), full=name.full)
        out.append((pk, {"names": [data], "sex": p.sex, "birth": birth}))
    return out


def measure(args: argparse.Namespace) -> list[tuple[str, list[float]]]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from wayhome.accounts.models import User
    from wayhome.matching.requests import ranking_refresh, request_candidates
    from wayhome.matching.selectors import candidates_for
    from wayhome.matching.services import rankings_refreshed_by_caller, rankings_stale
    from wayhome.tracing.models import TracingRequest

    rng = random.Random(args.seed)
    user = User.objects.get(username="ngo-caseworker")
    assert user.agency_key is not None
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    def select_one() -> object:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()

    def person_list() -> object:
        return client.get(reverse("people:list"))

    work = queries(user.agency_key, args.queries, rng)
    found = 0

    def search_all() -> list[float]:
        nonlocal found
        found, out = 0, []
        for pk, kwargs in work:
            start = time.perf_counter()
            result = candidates_for(user, **kwargs)  # type: ignore[arg-type]
            out.append((time.perf_counter() - start) * 1000)
            found += any(c.person.pk == pk for c in result)
        return out

    cold = search_all()
    warm = search_all()
    requests = list(
        TracingRequest.objects.filter(agency_id=user.agency_key).order_by("?")[: 2 * args.requests]
    )
    ranked, stale = requests[: args.requests], requests[args.requests :]

    def rank_all() -> list[float]:
        out = []
        for r in ranked:
            start = time.perf_counter()
            ranking_refresh(r)
            out.append((time.perf_counter() - start) * 1000)
        return out

    def read(which: list[TracingRequest]) -> list[float]:
        out = []
        for r in which:
            start = time.perf_counter()
            request_candidates(user, r)
            out.append((time.perf_counter() - start) * 1000)
        return out

    ranking = rank_all()
    forget_names()
    first_read = read(ranked)
    rows = [
        ("SELECT 1 (baseline)", timed(select_one, 30)),
        ("person list page (baseline)", timed(person_list, 30)),
        (f"candidates_for, first pass (found {found}/{len(work)})", cold),
        ("candidates_for, same queries again", warm),
        (f"request ranked and stored ({len(ranked)} requests)", ranking),
        ("request candidates, stored (names' caches emptied)", first_read),
        ("request candidates, stored, again", read(ranked)),
    ]
    # A reader who comes before the write's own refresh after commit has run (or where
    # it is turned off): marked only, so each read ranks again.
    with rankings_refreshed_by_caller():
        for r in stale:
            rankings_stale(r.agency_id, requests=[r.pk])
    rows.append((f"request candidates after a write (ranked again, {len(stale)})", read(stale)))
    rows.append(("marking rankings after a person's write", marking(user.agency_key, work)))
    return rows


def marking(agency_id: int, work: list[tuple[int, object]]) -> list[float]:
    """What a write to a person adds to mark the rankings it may change (rolled back)."""
    from django.db import transaction

    from wayhome.matching.services import rankings_stale

    out = []
    for pk, _ in work:
        with transaction.atomic():
            start = time.perf_counter()
            rankings_stale(agency_id, persons=[pk])
            out.append((time.perf_counter() - start) * 1000)
            transaction.set_rollback(True)
    return out


def forget_names() -> None:
    """Empty the caches of names already seen (features, spellings, token scores), as a
    server process meets names it has not yet: the loaded models stay, as they would."""
    from wayhome.matching import keys, token_scores
    from wayhome.names import normalise, romanise, similarity, structure

    for cached in (
        normalise.normalise_token, structure._own_role, romanise.latin_key,
        romanise.consonant_skeleton, romanise._beam, romanise._token_keys,
        similarity.token_features, similarity._token_match,
    ):  # fmt: skip
        cached.cache_clear()
    keys._PARTS.clear()
    token_scores._SCORES.clear()


def report(rows: list[tuple[str, list[float]]], total: int, keys: int) -> None:
    print(f"\n== candidates over {total:,} persons, {keys:,} name keys")
    print(f"{'what':52} {'median ms':>10} {'p95 ms':>10}")
    for label, samples in rows:
        print(f"{label:52} {statistics.median(samples):10.2f} {p95(samples):10.2f}")


def prepare(reindex: bool) -> tuple[int, int]:
    """Persons and keys in the database; with ``reindex``, migrate and key it first (a
    write: give it a copy). Without, the database is only read."""
    from django.core.management import call_command
    from django.db import connection

    from wayhome.matching.models import NameKey
    from wayhome.people.models import Person

    if reindex:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("matching", "reindex", batch_size=10_000)
        if connection.vendor == "postgresql":
            # The whole copy, not only the key table the reindex vacuums: the shortlist
            # reads birth years from an index on the persons, an index-only scan only
            # once their visibility map is set (autovacuum may be late or off).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
    if NameKey._meta.db_table not in connection.introspection.table_names():
        raise SystemExit("no blocking index here: run with --reindex on a copy of the database")
    keys = NameKey.objects.count()
    if not keys:
        raise SystemExit("no name keys: run `wayhome matching reindex` on this database first")
    tables = (NameKey._meta.db_table, Person._meta.db_table)
    for table in tables if connection.vendor == "postgresql" else ():
        if not vacuumed(table):
            print(
                f"note: {table} was never vacuumed (autovacuum off or late): the search's"
                " index-only scans fetch a table page per row read, so the figures are"
                f" slower than a served database's; VACUUM (ANALYZE) {table} first",
                file=sys.stderr,
            )
    return Person.objects.count(), keys


def vacuumed(table: str) -> bool:
    """Whether PostgreSQL has vacuumed the table since its statistics began."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(last_vacuum, last_autovacuum) IS NOT NULL"
            " FROM pg_stat_user_tables WHERE relname = %s",
            [table],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def main(argv: list[str]) -> int:
    args = parse(argv)
    setup_django(args.database_url)
    total, keys = prepare(args.reindex)
    report(measure(args), total, keys)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
