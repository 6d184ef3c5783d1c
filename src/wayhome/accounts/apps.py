from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wayhome.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Each app may classify its own models' fields in a ``sensitivity`` module
        # (accounts/sensitivity.py: ``register``); import them all now.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("sensitivity")
