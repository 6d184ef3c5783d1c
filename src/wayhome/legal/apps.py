from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "wayhome.legal"
    label = "legal"
