"""Possible matches waiting for a person's decision, and the merges that decisions made.

A ``MatchCandidate`` is one pair of person records that may be the same person; a
caseworker confirms it (the two records are merged) or rejects it (the non-match is
remembered, so the pair is never proposed again). A ``PersonMerge`` keeps exactly which
rows moved from the absorbed record to the kept one, so that the merge can be undone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _

from wayhome.core.models import AgencyOwned
from wayhome.people.models import Person


class MatchCandidate(AgencyOwned):
    class Source(models.TextChoices):
        REGISTRATION = "registration", _("Registration")
        TRACING_REQUEST = "tracing_request", _("Tracing request")
        IMPORT = "import", _("Imported list")
        MANUAL = "manual", _("Proposed by a person")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    left = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("score"))
    # {"names": [{"left", "right", "score", "explain"}...], "reasons": [...]}: what the
    # scorer said, shown beside the score on the side-by-side page.
    explanation = models.JSONField(default=dict, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Decision.choices,
        default=Decision.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("match candidate")
        verbose_name_plural = _("match candidates")
        ordering = ["-score", "id"]
        constraints = [
            # One row per pair whichever way round it was proposed: a rejection stays
            # the answer for (a, b) and (b, a) alike.
            models.UniqueConstraint(
                Least("left", "right"), Greatest("left", "right"), name="candidate_pair_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(left=models.F("right")), name="candidate_not_self"
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "-score"], name="candidate_queue")]

    def __str__(self) -> str:
        return f"{self.left} ~ {self.right} ({self.score:.2f})"


class PersonMerge(AgencyOwned):
    """``absorbed`` folded into ``keep``; ``moved`` lists the rows per table (see
    review.merging.Moved) so that ``persons_unmerge`` can put each one back."""

    keep = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    absorbed = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_absorbed")
    candidate = models.ForeignKey(
        MatchCandidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="merges"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    moved = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undo_reason = models.CharField(_("reason for undoing"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("person merge")
        verbose_name_plural = _("person merges")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.absorbed} → {self.keep}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None
