"""Flights and convoys, the cases they carry, and the manifest frozen when confirmed.

While an operation is being planned its manifest is computed from its cases (so it always
reflects the cases as they are now); confirming it freezes one line per traveller, and the
arrivals are recorded on those lines.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wayhome.core.models import AgencyOwned, BaseModel


class Operation(AgencyOwned):
    class Kind(models.TextChoices):
        FLIGHT = "flight", _("Flight")
        CONVOY = "convoy", _("Convoy")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONFIRMED = "confirmed", _("Manifest confirmed")
        COMPLETED = "completed", _("Arrivals recorded")
        CANCELLED = "cancelled", _("Cancelled")

    # The states in which an operation holds its cases: a case is on one of these at most.
    ACTIVE = (State.PLANNED, State.CONFIRMED)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FLIGHT)
    label = models.CharField(
        _("label"), max_length=200, help_text=_("e.g. 'Charter flight Baghdad–Grozny, 3rd'")
    )
    planned_on = models.DateField(_("date"))
    from_country = models.ForeignKey(
        "places.Country",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("host country"),
    )
    handover_point = models.CharField(
        _("handover point"),
        max_length=300,
        help_text=_("Where the host authorities hand people over, e.g. 'Baghdad airport'."),
    )
    to_country = models.ForeignKey(
        "places.Country",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("home country"),
    )
    arrival_point = models.CharField(
        _("arrival airport or crossing"), max_length=300, help_text=_("e.g. 'Grozny airport'")
    )
    capacity = models.PositiveIntegerField(
        _("seats for returnees"), help_text=_("Escorts are not counted here.")
    )
    escorts = models.TextField(
        _("escorts"),
        blank=True,
        help_text=_("Who accompanies the returnees: names and roles, one a line."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PLANNED, db_index=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)

    class Meta:
        verbose_name = _("operation")
        verbose_name_plural = _("operations")
        ordering = ["-planned_on", "-id"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_planned(self) -> bool:
        return self.status == self.State.PLANNED


class OperationCase(BaseModel):
    """A ready repatriation case put on an operation; a case is on one active operation."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="case_links")
    case = models.ForeignKey(
        "repatriation.RepatriationCase", on_delete=models.PROTECT, related_name="operation_links"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("case on an operation")
        verbose_name_plural = _("cases on an operation")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "case"], name="operation_case_once")
        ]

    def __str__(self) -> str:
        return f"{self.operation} · {self.case}"


class ManifestLine(BaseModel):
    """One traveller on a confirmed manifest, and what became of them."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet recorded")
        ARRIVED = "arrived", _("Arrived")
        NOT_ARRIVED = "not_arrived", _("Did not arrive")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="lines")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "repatriation.RepatriationCase", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField()
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_reason = models.CharField(_("why not"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("manifest line")
        verbose_name_plural = _("manifest lines")
        ordering = ["operation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "person"], name="manifest_person_once")
        ]

    def __str__(self) -> str:
        return f"{self.operation} #{self.position}"
