"""The relatives' page: one-time-code sessions, and what relatives send in.

A relative has no account. They give their request's reference, receive a code on a
channel they consented to, and get a short session of their own: a random token in a
cookie limited to the portal's path, stored here only as a hash. It is not a Django
login, so it can never open a staff page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wayhome.core.models import AgencyOwned, BaseModel
from wayhome.tracing.models import InformationReport, TracingRequest


class PortalAccess(BaseModel):
    """One attempt to reach a request, from asking for a code to the end of the session.

    ``request`` is empty when the reference matched nothing usable: the row exists all
    the same, so that the visitor's path (and the throttles) look the same either way.
    """

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    request = models.ForeignKey(
        TracingRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    reference_hash = models.CharField(max_length=64, db_index=True)
    client_hash = models.CharField(max_length=64, db_index=True)
    channel = models.CharField(max_length=10)
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["client_hash", "created_at"], name="portal_client_time")]

    def __str__(self) -> str:
        return f"portal access {self.uuid}"


def _photo_path(instance: PortalSubmission, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else "bin"
    return f"portal/{instance.uuid.hex}.{suffix}"


class PortalSubmission(AgencyOwned):
    """News a relative sent through the portal: an information report awaiting review."""

    request = models.ForeignKey(
        TracingRequest, on_delete=models.CASCADE, related_name="portal_submissions"
    )
    report = models.OneToOneField(
        InformationReport, on_delete=models.CASCADE, related_name="portal_submission"
    )
    photo = models.ImageField(_("photograph"), upload_to=_photo_path, blank=True)
    photo_type = models.CharField(max_length=30, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("information from a relative")
        verbose_name_plural = _("information from relatives")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"portal submission {self.uuid}"
