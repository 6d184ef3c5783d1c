from django.apps import AppConfig


class RepatriationConfig(AppConfig):
    name = "wayhome.repatriation"
    label = "repatriation"
