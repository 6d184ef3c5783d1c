"""The REST API: the same rules as the pages, for other systems."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wayhome.api"
    label = "api"

    def ready(self) -> None:
        from wayhome.api import schema  # noqa: F401  (registers the schema extension)
