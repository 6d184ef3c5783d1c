"""Imported lists: where each came from, how its columns were read, and what became of
every row. A committed import is an information report's provenance."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wayhome.core.crypto import EncryptedTextField
from wayhome.core.models import AgencyOwned, BaseModel
from wayhome.people.models import Person
from wayhome.tracing.models import InformationReport


class ListSource(AgencyOwned):
    """Who sends lists (a ministry, a prison, another NGO) and how their lists are laid
    out: the next list from the same source starts from the same column mapping."""

    name = models.CharField(_("source"), max_length=200)
    channel = models.CharField(
        _("channel"),
        max_length=20,
        choices=InformationReport.Channel.choices,
        default=InformationReport.Channel.OFFICIAL_LIST,
    )
    reliability = models.CharField(
        _("reliability"),
        max_length=20,
        choices=InformationReport.Reliability.choices,
        default=InformationReport.Reliability.UNKNOWN,
    )
    # {field: column header as written in the list}
    mapping = models.JSONField(default=dict, blank=True)
    encoding = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("list source")
        verbose_name_plural = _("list sources")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="list_source_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ListImport(AgencyOwned):
    class State(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        COMMITTED = "committed", _("Imported")

    source = models.ForeignKey(ListSource, on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    # The file as uploaded, base64, encrypted at rest: it holds the same personal data
    # as the registry, and the commit reads it again rather than trusting the browser.
    content = EncryptedTextField()
    size = models.PositiveIntegerField(default=0)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    header_row = models.PositiveIntegerField(default=0)
    mapping = models.JSONField(default=dict, blank=True)
    list_date = models.DateField(_("date of the list"))
    skip_invalid = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    report = models.OneToOneField(
        InformationReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="list_import",
    )
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    committed_at = models.DateTimeField(null=True, blank=True)
    # {"rows": n, "new": n, "matched": n, "review": n, "unchanged": n, "skipped": n}
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("list import")
        verbose_name_plural = _("list imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same file is imported once per agency: importing it again changes nothing.
            models.UniqueConstraint(
                fields=["agency", "sha256"],
                condition=Q(status="committed"),
                name="list_import_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} · {self.file_name}"


class ImportRow(BaseModel):
    """What one row of a committed list became."""

    class Outcome(models.TextChoices):
        NEW = "new", _("New person")
        MATCHED = "matched", _("Matched a registered person")
        REVIEW = "review", _("New person, possible match to review")
        UNCHANGED = "unchanged", _("Already imported from this source")
        SKIPPED = "skipped", _("Left out (problems)")

    list_import = models.ForeignKey(ListImport, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    key = models.CharField(max_length=200)
    digest = models.CharField(max_length=64)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    score = models.FloatField(null=True, blank=True)
    candidate = models.ForeignKey(
        "review.MatchCandidate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["list_import", "number"]
        constraints = [
            models.UniqueConstraint(fields=["list_import", "number"], name="import_row_unique")
        ]
        indexes = [models.Index(fields=["key", "digest"], name="import_row_key")]

    def __str__(self) -> str:
        return f"{self.list_import_id}:{self.number}"
