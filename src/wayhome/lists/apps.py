from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "wayhome.lists"
    label = "lists"
