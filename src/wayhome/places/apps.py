from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "wayhome.places"
    label = "places"
