from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "wayhome.web"
    label = "web"
