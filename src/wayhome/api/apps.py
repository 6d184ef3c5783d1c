from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wayhome.api"
    label = "api"
