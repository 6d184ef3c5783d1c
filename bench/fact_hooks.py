"""What keeping checklists in step with the facts costs a write in people (PostgreSQL).

``python -m bench fact_hooks [--repeat 200] [--database-url URL]``

A change of citizenship status (``people.services.citizenship_update``) is timed, the
three kinds taking turns in one run and one database (the URL's name plus ``_facts``,
migrated the first time):

- baseline: with the repatriation listener of ``core.signals.facts_changed`` disconnected,
  the write as it was before the hook;
- no case: the listener connected, for a person in no open repatriation case (the common
  write: two indexed queries find nothing to rebuild);
- open case: a child whose family (mother and three children) is in an open case, so the
  whole case's checklist is rebuilt in the write's transaction.

Everything written is rolled back at the end. Each figure is printed with its ratio to the
baseline, which compares across machines better than milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable

from bench.__main__ import with_suffix
from bench.pages import DEFAULT_URL, ensure_database, p95, setup_django


class RolledBack(Exception):
    """Raised to undo what the benchmark wrote."""


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench fact_hooks", description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    return parser.parse_args(argv)


def _years_ago(years: int) -> dt.date:
    from django.utils import timezone

    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def measure(repeat: int) -> list[tuple[str, list[float]]]:
    from wayhome.accounts.models import Agency, User
    from wayhome.accounts.roles import Role
    from wayhome.core.fuzzydate import FuzzyDate
    from wayhome.core.signals import facts_changed
    from wayhome.people import services as people
    from wayhome.people.models import Citizenship, Person, Relationship, Sex
    from wayhome.places.models import Country
    from wayhome.repatriation import services as repatriation
    from wayhome.repatriation.hooks import rebuild_on_facts_changed
    from wayhome.repatriation.models import RuleSet

    agency = Agency.objects.create(name="Bench facts (synthetic)", reference_prefix="BFX")
    actor = User.objects.create_user(
        username="bench-facts", password=None, agency=agency, role=Role.CASEWORKER
    )
    ru = Country.objects.get_or_create(iso2="RU", defaults={"name": "Russia"})[0]

    def person(given: str, sex: str, years: int) -> Person:
        p = people.person_create(
            actor=actor,
            names=[people.NameData(given=given, family="Benchova")],
            sex=sex,
            birth=FuzzyDate.exact(_years_ago(years)),
        )
        people.citizenship_add(actor=actor, person=p, country=ru)
        return p

    mother = person("Madina", Sex.FEMALE, 31)
    children = [person(f"Child{i}", Sex.MALE, 4 + 3 * i) for i in range(3)]
    for child in children:
        people.relationship_create(
            actor=actor, from_person=mother, to_person=child, kind=Relationship.Kind.PARENT
        )
    loner = person("Aminat", Sex.FEMALE, 40)
    rule_set = RuleSet.objects.get(slug="iraq", agency__isnull=True, status=RuleSet.Status.ACTIVE)
    repatriation.case_open(actor=actor, rule_set=rule_set, persons=[mother, *children])

    def toggler(who: Person) -> Callable[[], object]:
        cit = Citizenship.objects.get(person=who)
        states = [Citizenship.Status.VERIFIED, Citizenship.Status.CLAIMED]
        turn = [0]

        def call() -> object:
            turn[0] += 1
            return people.citizenship_update(
                actor=actor, citizenship=cit, status=states[turn[0] % 2], basis=""
            )

        return call

    uid = "repatriation-rebuild-on-facts"

    def unhooked(call: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            facts_changed.disconnect(dispatch_uid=uid)
            try:
                return call()
            finally:
                facts_changed.connect(rebuild_on_facts_changed, dispatch_uid=uid)

        return run

    calls = [
        ("baseline: hook disconnected", unhooked(toggler(loner))),
        ("hooked, person in no case", toggler(loner)),
        ("hooked, child in an open case (4 members)", toggler(children[0])),
    ]
    return interleaved(calls, repeat)


def interleaved(
    calls: list[tuple[str, Callable[[], object]]], repeat: int
) -> list[tuple[str, list[float]]]:
    """Milliseconds per call, the calls taking turns round by round so that a busy moment
    of a shared machine falls on all of them alike (after two untimed rounds)."""
    samples: dict[str, list[float]] = {label: [] for label, _ in calls}
    for round_no in range(repeat + 2):
        for label, call in calls:
            start = time.perf_counter()
            call()
            if round_no >= 2:
                samples[label].append((time.perf_counter() - start) * 1000)
    return [(label, samples[label]) for label, _ in calls]


def report(rows: list[tuple[str, list[float]]]) -> None:
    base = statistics.median(rows[0][1])
    print("\n== fact_hooks: a people write with open checklists kept in step")
    print(f"{'citizenship_update':44} {'median ms':>10} {'p95 ms':>10} {'x baseline':>11}")
    for label, samples in rows:
        median = statistics.median(samples)
        print(f"{label:44} {median:10.2f} {p95(samples):10.2f} {median / base:11.2f}")


def main(argv: list[str]) -> int:
    args = parse(argv)
    url = with_suffix(args.database_url, "_facts")
    ensure_database(url)
    setup_django(url)
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", interactive=False, verbosity=0)
    try:
        with transaction.atomic():
            rows = measure(args.repeat)
            raise RolledBack
    except RolledBack:
        pass
    report(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
