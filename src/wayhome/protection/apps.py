from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "wayhome.protection"
    label = "protection"
