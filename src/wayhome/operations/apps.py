from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "wayhome.operations"
    label = "operations"
