from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "wayhome.people"
    label = "people"
