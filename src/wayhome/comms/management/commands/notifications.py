"""``wayhome notifications send``: drain the outbox (schedule it every minute or so)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wayhome.comms.delivery import drain


class Command(BaseCommand):
    help = (
        "Notifications to inquirers. 'send' sends every queued notification and retries "
        "failed ones that are due; it prints counts, never addresses or texts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["send"])
        parser.add_argument("--limit", type=int, default=500, help="at most this many rows")

    def handle(self, *args: Any, **options: Any) -> None:
        report = drain(limit=options["limit"])
        counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items())) or "nothing due"
        self.stdout.write(f"Notifications: {counts}.")
        if report.stuck:
            self.stderr.write(
                self.style.WARNING(
                    f"{report.stuck} notification(s) stuck in 'sending' for over 15 minutes: "
                    "the gateway may or may not have sent them; check them before resending."
                )
            )
