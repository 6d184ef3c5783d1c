"""Countries, regions, authorities and facilities: shared reference data.

Places are public knowledge (a camp's name is in the news), so every agency sees the same
list; what is sensitive is who is there, which lives in tracing.Whereabouts.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wayhome.core.models import BaseModel


def _localised(name: str, name_ru: str = "", name_ar: str = "") -> str:
    """The name in the page's language when it is recorded, else the English one."""
    lang = (get_language() or "en")[:2]
    return {"ru": name_ru, "ar": name_ar}.get(lang) or name


class Country(BaseModel):
    iso2 = models.CharField(_("ISO code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ru = models.CharField(_("name in Russian"), max_length=100, blank=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self) -> str:
        return _localised(self.name, self.name_ru, self.name_ar)


class Region(BaseModel):
    """A first-level division at home (Chechnya, Dagestan) or abroad (Nineveh)."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="regions")
    name = models.CharField(_("name"), max_length=100)
    name_ru = models.CharField(_("name in Russian"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="region_unique_name")
        ]

    def __str__(self) -> str:
        return _localised(self.name, self.name_ru)


class Authority(BaseModel):
    """Who controls a facility: the Iraqi government, Kurdish-led forces, Peshmerga..."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("National government")
        REGIONAL = "regional", _("Regional government")
        NON_STATE = "non_state", _("Non-state armed group or administration")
        INTERNATIONAL = "international", _("International organisation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="authorities"
    )

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Facility(BaseModel):
    class Kind(models.TextChoices):
        PRISON = "prison", _("Prison")
        CAMP = "camp", _("Camp")
        HOSPITAL = "hospital", _("Hospital")
        ORPHANAGE = "orphanage", _("Orphanage")
        BORDER_CROSSING = "border_crossing", _("Border crossing")
        DETENTION = "detention", _("Other detention site")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    name_local = models.CharField(_("local name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="facilities")
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="facilities"
    )
    locality = models.CharField(_("town or city"), max_length=200, blank=True)
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="facilities"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="facility_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
