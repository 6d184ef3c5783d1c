"""``wayhome backup FILE``: a consistent copy of the whole database (see core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wayhome.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent copy of the whole database (SQLite or PostgreSQL) to FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = backup(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written: {done.path} ({done.engine}, {done.size} bytes)")
