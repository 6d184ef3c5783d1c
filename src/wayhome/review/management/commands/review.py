"""``wayhome review refit --user NAME``: refit the matching model on confirmed pairs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wayhome.accounts.models import User
from wayhome.review.services import model_refit_from_confirmed
from wayhome.review.views import is_supervisor


class Command(BaseCommand):
    help = (
        "Review queue tools. 'refit' refits the matching model of the user's agency on its "
        "confirmed pairs, audited as that user (a supervisor)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["refit"])
        parser.add_argument("--user", required=True, help="the supervisor who refits")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None or not is_supervisor(user):
            raise CommandError("Refitting needs an active supervisor's user name (--user).")
        try:
            result = model_refit_from_confirmed(actor=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Refitted: {result}"))
