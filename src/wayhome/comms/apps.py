from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "wayhome.comms"
    label = "comms"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from wayhome.comms.receivers import on_anonymised, on_milestone
        from wayhome.core.signals import milestone_reached

        milestone_reached.connect(on_milestone, dispatch_uid="comms.on_milestone")
        post_save.connect(
            on_anonymised, sender="protection.Anonymisation", dispatch_uid="comms.on_anonymised"
        )
