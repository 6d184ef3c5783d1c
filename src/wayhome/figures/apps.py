"""Figures people can trust: staff dashboards, public figures, a ledger of published estimates."""

from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "wayhome.figures"
    label = "figures"

    def ready(self) -> None:
        # Each app's ``panels`` module registers its dashboard panels (figures.panels).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("panels")
