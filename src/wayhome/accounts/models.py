"""Agencies, teams and users: who may see what starts here."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from wayhome.accounts.roles import Cap, Role, caps_for
from wayhome.core.models import BaseModel, choice_label


class Agency(BaseModel):
    """An organisation using wayhome; its records are invisible to every other agency."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("Non-governmental organisation")
        OMBUDSPERSON = "ombudsperson", _("Ombudsperson's office")
        CONSULAR = "consular", _("Consular service")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NGO)
    country = models.ForeignKey(
        "places.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=8,
        help_text=_("Letters that start this agency's tracing references, e.g. NGO."),
    )
    # Off: every caseworker of the agency sees all its records (the role still limits
    # what kind). On: they see their teams' records, those assigned to them and those
    # not yet given to any team; supervisors still see everything (accounts/scope.py).
    need_to_know = models.BooleanField(
        _("need-to-know by team"),
        default=False,
        help_text=_("Limit caseworkers to their teams' records and those assigned to them."),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(BaseModel):
    """A group of staff working the same cases; under need-to-know, records go to teams."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff member of exactly one agency, with one role."""

    # For URLs (activity pages): never the sequential id.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CASEWORKER)
    language = models.CharField(_("language"), max_length=8, default="en")
    # Part of the session hash: raising it ends every session of this account at once.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Sessions die when the password changes or the epoch is raised."""
        return salted_hmac(
            "wayhome.accounts.User.session",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def agency_key(self) -> int:
        """The agency id that scopes this user's reads and writes.

        Selectors check a capability first, and only users with an agency hold
        capabilities that reach records, so reaching here without one is a bug.
        """
        if self.agency_id is None:
            raise PermissionError("This account belongs to no agency.")
        return self.agency_id

    def has_cap(self, cap: Cap) -> bool:
        """Whether this user's role grants the capability (row scope is checked apart)."""
        return self.is_active and self.agency_id is not None and cap in caps_for(self.role)

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        return choice_label(self, field)  # every page's header shows the role


class WebAuthnKey(Device):
    """A security key or platform authenticator (WebAuthn) as a second factor.

    A django-otp device, so a login verified with it counts like one verified with an
    authenticator app; it has no typed code (``verify_token`` stays False): the
    signature check is in ``accounts/webauthn.py``.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    credential_id = models.CharField(max_length=1400, unique=True)  # base64url
    public_key = models.BinaryField()  # COSE key
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("security key")
        verbose_name_plural = _("security keys")
