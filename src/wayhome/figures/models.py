"""The ledger of published estimates: what others said, beside what the registry holds."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from wayhome.core.models import AgencyOwned


class DatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact date")
    MONTH = "month", _("Month and year")
    YEAR = "year", _("Year only")


def period_end(day: dt.date, precision: str) -> dt.date:
    """The last day a date of this precision may mean: "as of 2016-04" is 30 April."""
    if precision == DatePrecision.YEAR:
        return dt.date(day.year, 12, 31)
    if precision == DatePrecision.MONTH:
        nxt = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return day


def shown_date(day: dt.date | None, precision: str) -> str:
    """2016, 2016-04 or 2016-04-30: a date no more precise than it was told."""
    if day is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{day.year}"
    if precision == DatePrecision.MONTH:
        return f"{day.year}-{day.month:02d}"
    return day.isoformat()


class Estimate(AgencyOwned):
    """One published figure: a number, its unit, what it counts, who stated it, as of
    when, and where and when it was published. Optionally tied to a defined registry
    query (``figures.definitions``) so the registry's own count is shown beside it."""

    figure = models.PositiveBigIntegerField(_("figure"))
    unit = models.CharField(_("unit"), max_length=30, default="persons")
    what_it_counts = models.CharField(_("what it counts"), max_length=300)
    stated_by = models.CharField(_("stated by"), max_length=300)
    as_of = models.DateField(_("as of"))
    as_of_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.EXACT
    )
    published_in = models.CharField(_("published in"), max_length=300)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.EXACT
    )
    source_url = models.URLField(_("link to the publication"), max_length=500, blank=True)
    definition = models.CharField(_("registry definition"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("published estimate")
        verbose_name_plural = _("published estimates")
        ordering = ["-as_of", "-id"]
        indexes = [models.Index(fields=["agency", "-as_of"], name="estimate_agency_asof")]

    def __str__(self) -> str:
        return f"{self.figure} {self.unit}: {self.what_it_counts}"

    @property
    def as_of_shown(self) -> str:
        return shown_date(self.as_of, self.as_of_precision)

    @property
    def published_shown(self) -> str:
        return shown_date(self.published_on, self.published_precision)

    @property
    def as_of_end(self) -> dt.date:
        return period_end(self.as_of, self.as_of_precision)
