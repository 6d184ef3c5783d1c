"""``wayhome audit verify``: prove the audit chain intact or name its first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wayhome.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit trail tools. 'verify' recomputes the hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = audit_verify()
        if not verdict.intact:
            raise CommandError(
                f"Audit chain BROKEN at event {verdict.first_broken_id}: {verdict.problem}. "
                f"{verdict.checked} events before it are intact."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {verdict.checked} events."))
