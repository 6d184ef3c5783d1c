"""``wayhome matching reindex``: key persons for candidate search;
``wayhome matching rerank``: rank the candidates of requests whose ranking is stale;
``wayhome matching fit-default``: refit the shipped default weights (see matching.weights)."""

from __future__ import annotations

import time
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
        rerank = sub.add_parser(
            "rerank",
            help="rank the candidates of every request not ranked since the registry changed"
            " (run after an import or a reindex, or from cron; opening a request does it too)",
        )
        rerank.add_argument("--agency", default="", help="agency name (default: every agency)")
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
        if opts["action"] == "rerank":
            self._rerank(self._agency(opts))
            return
        self._reindex(opts)

    def _agency(self, opts: dict[str, Any]) -> int | None:
        if not opts["agency"]:
            return None
        agency = Agency.objects.filter(name=opts["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency is called {opts['agency']!r}.")
        return agency.pk

    def _rerank(self, agency_id: int | None) -> None:
        from wayhome.matching.requests import rankings_refresh

        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if done % 100 == 0 or done == total:
                seconds = time.monotonic() - started
                line = f"  ranked {done:,}/{total:,} requests in {seconds:,.0f} s"
                self.stderr.write(line, style_func=str)

        ranked, later = rankings_refresh(agency_id, progress)
        self.stdout.write(f"{ranked} requests ranked.")
        if later:
            self.stdout.write(
                f"{later} left for later: the registry was being written (run again)."
            )

    def _reindex(self, opts: dict[str, Any]) -> None:
        from wayhome.matching.reindex import reindex

        if opts["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more.")
        agency_id = self._agency(opts)
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
