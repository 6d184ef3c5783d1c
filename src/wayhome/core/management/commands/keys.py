"""``wayhome keys generate`` and ``wayhome keys rotate [--dry-run]``: field encryption keys."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wayhome.core.crypto import FieldKeyError, generate_key
from wayhome.core.keyrotation import BATCH_SIZE, NoKeyError, keys_rotate


class Command(BaseCommand):
    help = (
        "Field encryption keys. 'generate' prints a new key (put it first in "
        "WAYHOME_FIELD_KEYS or WAYHOME_FIELD_KEYS_FILE). 'rotate' re-encrypts every "
        "encrypted field with the first key, so older keys can then be removed, and "
        "encrypts plain values; --dry-run counts without changing anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["generate", "rotate"])
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "generate":
            self.stdout.write(generate_key())
            return
        try:
            report = keys_rotate(dry_run=options["dry_run"], batch_size=options["batch_size"])
        except (NoKeyError, FieldKeyError) as exc:
            raise CommandError(str(exc)) from None
        for line in report.lines():
            self.stdout.write(line)
        done = (
            "Dry run: nothing changed."
            if report.dry_run
            else "Rotation recorded in the audit trail."
        )
        self.stdout.write(self.style.SUCCESS(done))
