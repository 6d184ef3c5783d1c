"""Talking with families: the communication log, message templates and the outbox.

The log is what staff and relatives said to each other (calls, visits, letters,
messages), per tracing request or per family group. Notifications to inquirers go
through an outbox: one row per inquirer × milestone occurrence × channel, unique, so
a milestone signalled twice, or a send retried, never reaches a relative twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wayhome.core.crypto import EncryptedTextField
from wayhome.core.models import AgencyOwned
from wayhome.core.signals import Milestone
from wayhome.people.models import FamilyGroup
from wayhome.tracing.models import Inquirer, TracingRequest

LANGUAGES = [
    ("ru", "Русский"),
    ("tg", "Тоҷикӣ"),
    ("kk", "Қазақша"),
    ("en", "English"),
    ("ar", "العربية"),
]


class Channel(models.TextChoices):
    """How a notification or a one-time code travels."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Kind(models.TextChoices):
    """What a message template is for: a milestone, or the relative's one-time code."""

    LOCATED = Milestone.LOCATED.value, Milestone.LOCATED.label
    SENTENCED = Milestone.SENTENCED.value, Milestone.SENTENCED.label
    CONSENT_NEEDED = Milestone.CONSENT_NEEDED.value, Milestone.CONSENT_NEEDED.label
    ON_FLIGHT = Milestone.ON_FLIGHT.value, Milestone.ON_FLIGHT.label
    ARRIVED = Milestone.ARRIVED.value, Milestone.ARRIVED.label
    PORTAL_CODE = "portal_code", _("One-time code for the relatives' page")


def _comm_path(instance: CommEntry, filename: str) -> str:
    # The stored name never carries the uploader's file name (it may hold a person's name).
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"comms/{instance.uuid.hex}.{suffix}"


class CommEntry(AgencyOwned):
    """One exchange with a family: a call, a visit, a letter, a message, in or out."""

    class Medium(models.TextChoices):
        CALL = "call", _("Phone call")
        VISIT = "visit", _("Visit")
        LETTER = "letter", _("Letter")
        MESSAGE = "message", _("Text or messenger message")
        EMAIL = "email", _("E-mail")
        PORTAL = "portal", _("Relatives' page")
        OTHER = "other", _("Other")

    class Direction(models.TextChoices):
        IN = "in", _("From the family")
        OUT = "out", _("To the family")

    request = models.ForeignKey(
        TracingRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comm_entries",
    )
    family = models.ForeignKey(
        FamilyGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="comm_entries"
    )
    occurred_on = models.DateField(_("date"))
    medium = models.CharField(_("channel"), max_length=10, choices=Medium.choices)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    inquirer = models.ForeignKey(
        Inquirer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comm_entries",
        verbose_name=_("inquirer"),
    )
    relative = models.CharField(
        _("relative"),
        max_length=200,
        blank=True,
        help_text=_("Who in the family, if not the inquirer: e.g. 'the grandmother'."),
    )
    summary = EncryptedTextField(_("summary"))
    attachment = models.FileField(_("attachment"), upload_to=_comm_path, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("communication")
        verbose_name_plural = _("communications")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(request__isnull=False, family__isnull=True)
                | models.Q(request__isnull=True, family__isnull=False),
                name="comm_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_medium_display()} {self.direction}"


class MessageTemplate(AgencyOwned):
    """An agency's wording for one kind of message, language and channel. Never edited:
    a change is a new version, so what each notification said can always be shown."""

    kind = models.CharField(_("message"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    version = models.PositiveIntegerField(_("version"))
    subject = models.CharField(_("e-mail subject"), max_length=150, blank=True)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["kind", "language", "channel", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "language", "channel", "version"],
                name="message_template_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.language}/{self.channel} v{self.version}"


class Notification(AgencyOwned):
    """One message in the outbox. ``occurrence`` names the event (a milestone of one
    person on one flight, one code request): with the inquirer and the channel it is
    unique, which is what makes sending idempotent."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Not sent (no consent)")

    inquirer = models.ForeignKey(Inquirer, on_delete=models.CASCADE, related_name="notifications")
    request = models.ForeignKey(
        TracingRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("message"), max_length=20, choices=Kind.choices)
    occurrence = models.CharField(max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES)
    template_version = models.PositiveIntegerField(null=True, blank=True)
    subject = models.CharField(max_length=150, blank=True)
    body = EncryptedTextField(blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    gateway_id = models.CharField(_("gateway id"), max_length=200, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inquirer", "occurrence", "channel"], name="notification_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} {self.status}"
