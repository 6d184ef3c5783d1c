"""``wayhome retention run [--dry-run]``: anonymise what is past its retention schedule."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from wayhome.protection.retention import retention_run


class Command(BaseCommand):
    help = (
        "Retention tools. 'run' anonymises closed requests, the persons sought only in them "
        "and inquirers' contact details past their schedule (settings.WAYHOME_RETENTION), "
        "and prints counts (never names). --dry-run counts without changing anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_run(today=timezone.localdate(), dry_run=options["dry_run"])
        for line in report.lines():
            self.stdout.write(line)
        done = (
            "Dry run: nothing changed."
            if report.dry_run
            else "Retention run recorded in the audit trail."
        )
        self.stdout.write(self.style.SUCCESS(done))
