"""API clients and their tokens: another system acting for one agency, with one role.

A client acts as its own service account (a user with no password, who cannot log in to
the pages) or, when an acting user is named, as that user: then it may do only what both
the client's role and the user's role allow. Tokens are shown once and stored as a
SHA-256 digest: they are long random secrets, so a slow password hash adds nothing, and a
copy of the database does not give a working token.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayhome.accounts.roles import Cap, Role, caps_for
from wayhome.core.models import AgencyOwned, BaseModel


class ApiClient(AgencyOwned):
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("acts as role"),
        max_length=20,
        choices=Role.choices,
        default=Role.CASEWORKER,
        help_text=_("What the client may do: the capabilities of this role."),
    )
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients_acting",
        verbose_name=_("acting user"),
        help_text=_("Optional: the client then acts as this colleague, within both roles."),
    )
    # The account the client's writes and reads are recorded under when no acting user
    # is named (one per client; no password, so it cannot log in to the pages).
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="apiclient_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def tokens_in_use(self) -> int:
        """Tokens neither revoked nor expired (reads prefetched tokens when there are)."""
        return sum(1 for t in self.tokens.all() if t.is_usable)

    def caps(self) -> frozenset[Cap]:
        """What the client may do: its role's capabilities, within the acting user's."""
        own = caps_for(self.role)
        if self.acting_user is not None:
            return own & caps_for(self.acting_user.role)
        return own


class ApiToken(BaseModel):
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    label = models.CharField(_("label"), max_length=200, blank=True)
    # The token is "wh_<prefix>_<secret>": the prefix finds the row, the digest proves it.
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"wh_{self.prefix}_…"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired
