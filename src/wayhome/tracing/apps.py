from django.apps import AppConfig


class TracingConfig(AppConfig):
    name = "wayhome.tracing"
    label = "tracing"
