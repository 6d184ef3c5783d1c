"""``wayhome figures import-estimates FILE.csv --user NAME``: load published figures into
the user's agency's ledger, all or nothing; rows already there are left alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.figures.services import estimates_import, read_estimates_csv


class Command(BaseCommand):
    help = (
        "Figures tools. 'import-estimates FILE.csv' adds published figures (columns figure, "
        "unit, what_it_counts, stated_by, as_of, published_in, published_on; optional "
        "source_url, definition) to the ledger of the user's agency, audited as that user."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import-estimates"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="who imports (may edit estimates)")
        parser.add_argument(
            "--offices-only",
            action="store_true",
            help="keep only the office of a 'Person Name, office' source (for demos)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
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
