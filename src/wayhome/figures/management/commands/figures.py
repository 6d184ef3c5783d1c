"""``wayhome figures import-estimates FILE.csv --user NAME``: load published figures into
the user's agency's ledger, all or nothing; rows already there are left alone.

``wayhome figures rebuild [--agency NAME] [--check]``: rebuild the figures' spans and
monthly counts from the timelines and requests (idempotent: for an upgrade, a bulk load
that bypassed the services, or a repair); ``--check`` only says how many monthly counts
differ from a fresh computation, and fails when any does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Cap
from wayhome.figures import history
from wayhome.figures.services import estimates_import, read_estimates_csv


class Command(BaseCommand):
    help = (
        "Figures tools. 'import-estimates FILE.csv' adds published figures (columns figure, "
        "unit, what_it_counts, stated_by, as_of, published_in, published_on; optional "
        "source_url, definition) to the ledger of the user's agency, audited as that user. "
        "'rebuild' rebuilds the figures' spans and monthly counts (--check: only compare)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import-estimates", "rebuild"])
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument("--user", help="who imports (may edit estimates)")
        parser.add_argument("--agency", help="rebuild: only this agency (by name)")
        parser.add_argument(
            "--check", action="store_true", help="rebuild: compare only, change nothing"
        )
        parser.add_argument(
            "--offices-only",
            action="store_true",
            help="keep only the office of a 'Person Name, office' source (for demos)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild":
            self._rebuild(options)
            return
        if options["file"] is None or not options["user"]:
            raise CommandError("import-estimates needs a FILE and --user.")
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None or not user.has_cap(Cap.ESTIMATE_EDIT):
            raise CommandError("Importing needs an active user who may edit estimates (--user).")
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path.name}: {exc}") from exc
        try:
            rows = read_estimates_csv(text, offices_only=options["offices_only"])
            result = estimates_import(actor=user, rows=rows, source_name=path.name)
        except ValidationError as exc:
            raise CommandError("Nothing imported.\n" + "\n".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.created} estimates; {result.unchanged} were already there."
            )
        )

    def _rebuild(self, options: dict[str, Any]) -> None:
        agency_id = None
        if options["agency"]:
            agency = Agency.objects.filter(name=options["agency"]).first()
            if agency is None:
                raise CommandError("No agency of that name.")
            agency_id = agency.pk
        if options["check"]:
            differ = history.drift(agency_id=agency_id)
            if differ:
                raise CommandError(
                    f"{differ} monthly counts differ from the timelines: run "
                    "'wayhome figures rebuild'."
                )
            self.stdout.write(self.style.SUCCESS("The figures' monthly counts are up to date."))
            return
        spans, counts = history.rebuild(agency_id=agency_id)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {spans} spans and {counts} monthly counts."))
