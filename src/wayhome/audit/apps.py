from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "wayhome.audit"
    label = "audit"

    def ready(self) -> None:
        from wayhome.audit import signals  # noqa: F401  (login/logout/failure events)
