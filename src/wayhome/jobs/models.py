"""A job: long work done off the request (an import, a linkage run), and how far it got.

The row is what the job page polls. ``message`` and ``error`` are shown to users and kept
in the database: they say what happened in terms of rows and columns, never a name.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wayhome.core.models import AgencyOwned


class Job(AgencyOwned):
    class Kind(models.TextChoices):
        IMPORT = "import", _("List import")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    # What the handler needs to find its work (e.g. {"import": "<uuid>"}): ids only.
    params = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    # {"url": where to see the outcome, "counts": {...}}: ids and numbers only.
    result = models.JSONField(default=dict, blank=True)
    error = models.CharField(_("error"), max_length=1000, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "created_by", "-created_at"], name="job_mine")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.uuid}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
