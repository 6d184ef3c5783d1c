"""Repatriation cases walked through each route's rule set, kept as data."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RepatriationConfig(AppConfig):
    name = "wayhome.repatriation"
    label = "repatriation"

    def ready(self) -> None:
        from wayhome.core.signals import facts_changed
        from wayhome.repatriation.hooks import rebuild_on_facts_changed
        from wayhome.repatriation.shipped import sync_shipped

        # After migrate (and after a test database is flushed), so every database holds
        # the shipped rule sets and document templates without a separate load step.
        post_migrate.connect(sync_shipped, sender=self, dispatch_uid="repatriation-shipped")
        facts_changed.connect(
            rebuild_on_facts_changed, dispatch_uid="repatriation-rebuild-on-facts"
        )
