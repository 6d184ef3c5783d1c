from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wayhome.accounts"
    label = "accounts"
