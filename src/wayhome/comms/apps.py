from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "wayhome.comms"
    label = "comms"
