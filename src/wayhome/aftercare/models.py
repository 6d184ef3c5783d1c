"""After return: one aftercare file per returnee, with its placements, services and visits.

A file is opened when a person comes home (by hand, or when an operation's arrivals are
recorded). Placements are a history: a new one ends the one before, so the record shows
where a child lived and with whom, and who agreed. A guardian's details are contact data
and are encrypted at rest like an inquirer's.
"""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wayhome.core.crypto import EncryptedTextField
from wayhome.core.models import AgencyOwned


class AftercareFile(AgencyOwned):
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="aftercare_files"
    )
    received_on = models.DateField(_("received on"))
    reception_place = models.CharField(
        _("place of reception"),
        max_length=300,
        help_text=_("e.g. 'Makhachkala airport', 'regional children's hospital'"),
    )
    medical_check_on = models.DateField(_("medical check on"), null=True, blank=True)
    medical_notes = EncryptedTextField(
        _("medical findings"), blank=True, help_text=_("Health data: kept encrypted.")
    )
    documents_issued = models.CharField(
        _("documents issued"),
        max_length=500,
        blank=True,
        help_text=_("e.g. 'birth certificate, internal passport applied for'"),
    )
    # Where the returnee came home from, when it was recorded by an operation.
    operation = models.ForeignKey(
        "operations.Operation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aftercare_files",
        verbose_name=_("operation"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("aftercare file")
        verbose_name_plural = _("aftercare files")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], name="aftercare_one_file_per_person")
        ]

    def __str__(self) -> str:
        return str(self.uuid)[:8]


_M = TypeVar("_M", bound=models.Model)


class LiveQuerySet(models.QuerySet[_M]):
    def live(self) -> LiveQuerySet[_M]:
        """Rows not retracted: what counts, lists and dashboards use."""
        return self.filter(retracted_at__isnull=True)


class Correctable(AgencyOwned):
    """A row that is corrected (a new version, the old values in the audit event with the
    reason) or retracted (kept, with who and why, but left out of every count), never
    deleted: the history of a child's care must stay whole."""

    version = models.PositiveIntegerField(default=1, editable=False)
    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retracted by"),
    )
    retraction_reason = models.CharField(_("why it was retracted"), max_length=500, blank=True)

    objects = LiveQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_retracted(self) -> bool:
        return self.retracted_at is not None


class Placement(Correctable):
    class Kind(models.TextChoices):
        MOTHER = "mother", _("With the mother")
        GRANDPARENTS = "grandparents", _("With grandparents")
        RELATIVE = "relative", _("With another relative")
        GUARDIAN = "guardian", _("With a guardian")
        INSTITUTION = "institution", _("In an institution")
        INDEPENDENT = "independent", _("Lives independently (adult)")

    # Kinds where someone other than the mother takes the child in: their details and
    # their consent are needed.
    CARER_KINDS = frozenset({Kind.GRANDPARENTS, Kind.RELATIVE, Kind.GUARDIAN})

    file = models.ForeignKey(AftercareFile, on_delete=models.CASCADE, related_name="placements")
    kind = models.CharField(_("placement"), max_length=20, choices=Kind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    institution = models.CharField(
        _("institution"), max_length=300, blank=True, help_text=_("Its name and town.")
    )
    guardian_name = EncryptedTextField(_("guardian's name"), blank=True)
    guardian_relationship = models.CharField(
        _("guardian's relationship to the child"),
        max_length=100,
        blank=True,
        help_text=_("e.g. grandmother, aunt"),
    )
    guardian_phone = EncryptedTextField(_("guardian's phone"), blank=True)
    guardian_address = EncryptedTextField(_("guardian's address"), blank=True)
    guardian_consent_on = models.DateField(
        _("guardian's consent given on"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the guardian has not consented in writing."),
    )
    court_decision = models.CharField(
        _("custody or guardianship decision"),
        max_length=300,
        blank=True,
        help_text=_("e.g. 'guardianship authority order No. 14 of 3 May'"),
    )
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    @property
    def needs_consent(self) -> bool:
        return self.kind in self.CARER_KINDS and self.guardian_consent_on is None


class SupportService(AgencyOwned):
    class Kind(models.TextChoices):
        PSYCHOLOGICAL = "psychological", _("Psychological support")
        SCHOOLING = "schooling", _("Schooling")
        REHABILITATION = "rehabilitation", _("Rehabilitation programme")
        REINTEGRATION = "reintegration", _("Reintegration programme")
        MEDICAL = "medical", _("Medical treatment")
        LEGAL_AID = "legal_aid", _("Legal aid")
        OTHER = "other", _("Other")

    file = models.ForeignKey(AftercareFile, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("service"), max_length=20, choices=Kind.choices)
    provider = models.CharField(
        _("provider"), max_length=300, help_text=_("Who provides it: a school, a clinic, an NGO.")
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("support service")
        verbose_name_plural = _("support services")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class FollowUp(Correctable):
    class Outcome(models.TextChoices):
        WELL = "well", _("Doing well")
        CONCERNS = "concerns", _("Concerns noted")
        URGENT = "urgent", _("Urgent: action needed")
        NOT_REACHED = "not_reached", _("Could not be reached")

    file = models.ForeignKey(AftercareFile, on_delete=models.CASCADE, related_name="followups")
    due_on = models.DateField(_("due on"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["agency", "visited_on", "due_on"], name="followup_due")]

    def __str__(self) -> str:
        return str(self.due_on)

    @property
    def is_done(self) -> bool:
        return self.visited_on is not None
