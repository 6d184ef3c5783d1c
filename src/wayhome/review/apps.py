from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "wayhome.review"
    label = "review"
