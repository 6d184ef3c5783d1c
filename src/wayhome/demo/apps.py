from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic data: the seed generator and the one-command demo."""

    name = "wayhome.demo"
    label = "demo"
