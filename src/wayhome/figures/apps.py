from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "wayhome.figures"
    label = "figures"
