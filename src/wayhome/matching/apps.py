from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "wayhome.matching"
    label = "matching"
