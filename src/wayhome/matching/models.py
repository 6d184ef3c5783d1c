"""The blocking index of the registry and the agency's fitted scoring model."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayhome.people.models import Person


class NameKey(models.Model):
    """One blocking key of one person (from any of their names), written by
    ``services.person_keys_refresh``. Candidate search is an index lookup on
    (agency, key): the agency is copied from the person so the lookup never leaves it."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("name key")
        verbose_name_plural = _("name keys")
        # (agency, key, person): the search reads person ids from the index alone;
        # (person): refreshing one person's keys deletes them by person.
        indexes = [models.Index(fields=["agency", "key", "person"], name="namekey_lookup")]

    def __str__(self) -> str:
        return self.key


class CommonKey(models.Model):
    """A key held by too many persons of the agency to tell anyone apart, as counted by
    the last ``wayhome matching reindex``: searches skip it without reading its rows.
    Keys that become common later are found by the search itself (see selectors)."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    persons = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("common name key")
        verbose_name_plural = _("common name keys")
        constraints = [models.UniqueConstraint(fields=["agency", "key"], name="commonkey_unique")]

    def __str__(self) -> str:
        return self.key


class MatchModel(models.Model):
    """An agency's Fellegi–Sunter weights fitted from its confirmed pairs; the newest is
    used, the older ones are the history of what the scores meant when."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    params = models.JSONField(_("parameters"))
    fitted_at = models.DateTimeField(_("fitted at"), default=timezone.now)
    pairs_used = models.PositiveIntegerField(_("confirmed pairs used"))

    class Meta:
        verbose_name = _("match model")
        verbose_name_plural = _("match models")
        ordering = ["-fitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.fitted_at:%Y-%m-%d} ({self.pairs_used})"
