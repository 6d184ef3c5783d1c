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


class Span(models.Model):
    """One span of a person's figures history, derived and kept by ``figures.history``:
    a whereabouts status from its entry's start to the start of the next live entry, or
    a time sought or located in tracing requests (a person's overlapping requests merged).

    The person's home region, sex and earliest birth date are copied in so that a figure
    is a scan of this narrow table, without a join to the persons. Plain integer columns,
    not foreign keys: the table is rebuilt from the source rows and must never block or
    cascade a write to them."""

    person_id = models.BigIntegerField()
    agency_id = models.BigIntegerField()
    # A people.Status value, or "sought" / "located".
    status = models.CharField(max_length=20)
    start_date = models.DateField()
    # The first day no longer in the span; null while it lasts.
    end_date = models.DateField(null=True)
    country_id = models.BigIntegerField(null=True)
    facility_id = models.BigIntegerField(null=True)
    home_region_id = models.BigIntegerField(null=True)
    sex = models.CharField(max_length=1)
    birth_earliest = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["person_id"], name="figspan_person"),
            models.Index(fields=["agency_id", "start_date"], name="figspan_agency_start"),
            models.Index(fields=["agency_id", "end_date"], name="figspan_agency_end"),
        ]

    def __str__(self) -> str:
        return f"{self.status} {self.start_date}-{self.end_date or ''}"


class MonthlyCount(models.Model):
    """How many spans start (+) minus how many end (-) in a month, per agency, status and
    the dashboard's dimensions: a month's figure is the running sum up to it, so a ten-year
    series is a scan of a few thousand rows instead of the timelines of a million persons.
    Unknown dimensions are 0 (or "" for sex), not null, so that the key is unique."""

    agency_id = models.BigIntegerField()
    month = models.DateField()  # the first day of the month
    status = models.CharField(max_length=20)
    home_region_id = models.BigIntegerField()
    country_id = models.BigIntegerField()
    facility_id = models.BigIntegerField()
    sex = models.CharField(max_length=1)
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "agency_id",
                    "month",
                    "status",
                    "home_region_id",
                    "country_id",
                    "facility_id",
                    "sex",
                ],
                name="figmonth_key",
            )
        ]
        # Counts that fell to zero are deleted after each refresh through this index.
        indexes = [
            models.Index(fields=["agency_id"], condition=models.Q(n=0), name="figmonth_zero")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.status} {self.n:+d}"


class DashboardSnapshot(models.Model):
    """The web dashboard's counts for one agency, as last computed (``web.selectors``).

    Counting a million persons by status, region and facility takes seconds, too long for
    a page many colleagues open all day; the page shows these counts with their time and
    asks for a fresh count in the background once they are older than
    ``DASHBOARD_MAX_AGE``. Raw counts only, no name: small counts are suppressed when
    shown, for the reader's role."""

    agency_id = models.BigIntegerField(unique=True)
    counts = models.JSONField()
    computed_at = models.DateTimeField()
    # Set while one process recounts, so that many readers of a stale snapshot ask once.
    refreshing_since = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"dashboard of agency {self.agency_id} at {self.computed_at:%Y-%m-%d %H:%M}"
