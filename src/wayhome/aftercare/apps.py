from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "wayhome.aftercare"
    label = "aftercare"
