"""``wayhome seed``: a reproducible synthetic population, fast enough for a million persons.

See wayhome.demo.seeding for why it bypasses the per-row services and writes a single
audit event, and for what running it twice does (it adds a second population).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wayhome.accounts.models import Agency
from wayhome.demo.accounts import DEMO_AGENCIES, ensure_demo_accounts
from wayhome.demo.seeding import seed_population
from wayhome.demo.showcase import showcase_families

# The second demo agency gets this share of the first one's population.
SECOND_AGENCY_SHARE = 10


class Command(BaseCommand):
    help = (
        "Load a reproducible synthetic population (same --persons and --seed, same people). "
        "Running it again adds a second population with new uuids."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=1000, help="how many persons")
        parser.add_argument("--seed", type=int, default=2019, help="random seed")
        parser.add_argument(
            "--agency", default="", help="agency name (default: the first demo agency)"
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="persons per batch")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="the demo's data: both demo agencies and the showcase families",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        persons, seed, batch = opts["persons"], opts["seed"], opts["batch_size"]
        if persons < 0 or batch < 1:
            raise CommandError("--persons must be 0 or more and --batch-size 1 or more.")
        if opts["demo"]:
            ensure_demo_accounts()
            first, second = (Agency.objects.get(name=spec.name) for spec in DEMO_AGENCIES[:2])
            self._seed(first, persons, seed, batch, showcase=True)
            self._seed(second, max(persons // SECOND_AGENCY_SHARE, 50), seed + 1, batch)
            return
        self._seed(self._agency(opts["agency"]), persons, seed, batch)

    def _agency(self, name: str) -> Agency:
        if not name:
            spec = DEMO_AGENCIES[0]
            return Agency.objects.get_or_create(
                name=spec.name, defaults={"kind": spec.kind, "reference_prefix": spec.prefix}
            )[0]
        agency = Agency.objects.filter(name=name).first()
        if agency is None:
            raise CommandError(f"No agency is called {name!r}; create it first.")
        return agency

    def _seed(
        self, agency: Agency, persons: int, seed: int, batch: int, *, showcase: bool = False
    ) -> None:
        totals = seed_population(
            agency=agency,
            persons=persons,
            seed=seed,
            batch_size=batch,
            extra=showcase_families() if showcase else None,
            progress=self._progress,
        )
        rows = sum(totals.values())
        self.stdout.write(
            f"{agency.name}: {totals['people.Person']} persons, {rows} rows (seed {seed})."
        )

    def _progress(self, done: int, total: int, seconds: float) -> None:
        rate = done / seconds if seconds else 0.0
        line = f"  seeded {done:,}/{total:,} persons in {seconds:,.0f} s ({rate:,.0f}/s)"
        self.stderr.write(line, style_func=str)  # progress, not an error: no red
        self.stderr.flush()
