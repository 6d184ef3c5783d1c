"""``wayhome matching reindex``: key persons for candidate search;
``wayhome matching fit-default``: refit the shipped default weights (see matching.weights)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wayhome.accounts.models import Agency


class Command(BaseCommand):
    help = "Candidate search upkeep: rebuild the blocking index, refit the default weights."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser(
            "reindex",
            help="key persons that have no keys yet (resumable); --all rekeys everyone",
        )
        reindex.add_argument("--agency", default="", help="agency name (default: every agency)")
        reindex.add_argument("--all", action="store_true", help="rebuild every person's keys")
        reindex.add_argument("--batch-size", type=int, default=5000, help="persons per batch")
        fit = sub.add_parser("fit-default", help="refit data/default_model.json by EM")
        fit.add_argument(
            "--lists", default="../shared/data/linkage-dev/ru", help="folder of left/right.csv"
        )
        fit.add_argument("--out", default="", help="where to write (default: the shipped file)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "fit-default":
            from wayhome.matching.scoring import DEFAULT_MODEL_PATH
            from wayhome.matching.weights import fit_default, write_default

            out = Path(opts["out"]) if opts["out"] else DEFAULT_MODEL_PATH
            write_default(fit_default(Path(opts["lists"])), out)
            self.stdout.write(f"default weights written to {out}")
            return
        self._reindex(opts)

    def _reindex(self, opts: dict[str, Any]) -> None:
        from wayhome.matching.reindex import reindex

        if opts["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more.")
        agency_id = None
        if opts["agency"]:
            agency = Agency.objects.filter(name=opts["agency"]).first()
            if agency is None:
                raise CommandError(f"No agency is called {opts['agency']!r}.")
            agency_id = agency.pk
        written = reindex(
            agency_id=agency_id,
            rebuild=opts["all"],
            batch_size=opts["batch_size"],
            progress=self._progress,
        )
        self.stdout.write(f"{written} name keys written.")

    def _progress(self, done: int, total: int, seconds: float) -> None:
        rate = done / seconds if seconds else 0.0
        line = f"  keyed {done:,}/{total:,} persons in {seconds:,.0f} s ({rate:,.0f}/s)"
        self.stderr.write(line, style_func=str)
        self.stderr.flush()
