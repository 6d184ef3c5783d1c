"""`wayhome jobs worker`: run the background worker on the RQ queue (WAYHOME_REDIS_URL)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from wayhome.jobs import runner


class Command(BaseCommand):
    help = "Run the worker that takes jobs (imports, linkage) off the Redis queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["worker"])
        parser.add_argument(
            "--burst", action="store_true", help="stop when the queue is empty (for tests)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.JOBS_REDIS_URL:
            raise CommandError(
                "WAYHOME_REDIS_URL is not set: without a queue, jobs run inside the web "
                "process and no worker is needed."
            )
        from rq import Worker

        queue = runner.queue()
        # Each job runs in a forked child: it must open its own database connection.
        connection.close()
        Worker([queue], connection=queue.connection).work(burst=options["burst"])
