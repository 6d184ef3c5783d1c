"""``wayhome restore FILE``: load a backup into a new, empty database, then check the
audit chain (see core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from wayhome.audit.services import audit_verify
from wayhome.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `wayhome backup` into the configured, empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = restore(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored: {done.path} ({done.engine})")
        verdict = audit_verify()
        if not verdict.intact:
            raise CommandError(
                f"Audit chain BROKEN after restore at event {verdict.first_broken_id}: "
                f"{verdict.problem}."
            )
        self.stdout.write(f"audit chain intact: {verdict.checked} events")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.stdout.write(
                f"{len(pending)} migrations of this version are not applied yet: "
                "run `wayhome migrate`."
            )
