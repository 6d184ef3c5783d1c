"""``wayhome demo``: migrate, load synthetic data once, explain how to log in, serve."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from wayhome.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
from wayhome.people.models import Person


class Command(BaseCommand):
    help = "Set up and serve the demo on 127.0.0.1 with synthetic people only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--persons", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=2019)
        parser.add_argument("--no-serve", action="store_true", help="set up, then stop")

    def _load_app_demos(self) -> None:
        """Let each domain app add its own synthetic demo records: an app with a module
        ``wayhome.<app>.demo`` defining ``load_demo(stdout)`` is called once, in app order,
        after the persons exist. Apps stay independent of one another and of this command."""
        for app in apps.get_app_configs():
            if not app.name.startswith("wayhome."):
                continue
            try:
                module = importlib.import_module(f"{app.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app.name}.demo":
                    raise
                continue
            loader = getattr(module, "load_demo", None)
            if callable(loader):
                loader(self.stdout)

    def _queue_open_requests(self, limit: int = 25) -> None:
        """Give the demo's review queue what a working day would: the likely matches of
        the first agency's open requests, proposed as opening a request proposes them."""
        from wayhome.accounts.models import User
        from wayhome.review.services import candidates_queue_for_request
        from wayhome.tracing.models import TracingRequest

        actor = User.objects.get(username="ngo-caseworker")
        open_requests = TracingRequest.objects.filter(
            agency_id=actor.agency_key, status=TracingRequest.State.OPEN
        ).order_by("id")[:limit]
        queued = sum(
            len(candidates_queue_for_request(actor=actor, request=r)) for r in open_requests
        )
        self.stdout.write(f"{queued} possible matches wait in the review queue.")

    def handle(self, *args: Any, **opts: Any) -> None:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        rows = ensure_demo_accounts()
        if not Person.objects.exists():
            self.stdout.write(f"Loading {opts['persons']} synthetic persons (first run only)...")
            call_command("seed", persons=opts["persons"], seed=opts["seed"], demo=True)
            call_command("matching", "reindex")  # the seed writes no blocking keys
            self._queue_open_requests()
            self._load_app_demos()
        url = f"http://127.0.0.1:{opts['port']}/"
        self.stdout.write(self.style.SUCCESS(f"\nwayhome demo at {url}  (synthetic people only)"))
        self.stdout.write(f"Password for every demo user: {DEMO_PASSWORD}")
        self.stdout.write(
            "Second factor: the demo users are enrolled already; in the demo only, the code "
            "page shows the current code."
        )
        self.stdout.write("Users (username — role — agency):")
        for username, role, agency in rows:
            self.stdout.write(f"  {username:28} {role:24} {agency}")
        if opts["no_serve"]:
            return
        call_command("runserver", f"127.0.0.1:{opts['port']}", use_reloader=False)
