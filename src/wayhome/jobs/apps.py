from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "wayhome.jobs"
    label = "jobs"
