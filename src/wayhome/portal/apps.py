from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "wayhome.portal"
    label = "portal"
