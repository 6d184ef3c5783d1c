from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "wayhome.comms"
    label = "comms"

    def ready(self) -> None:
        from wayhome.comms.receivers import on_milestone
        from wayhome.core.signals import milestone_reached

        milestone_reached.connect(on_milestone, dispatch_uid="comms.on_milestone")
