"""Legal cases: charges, hearings, lawyers, verdicts, sentences and appeals, per person.

Each fact may cite the information report it rests on (a court list, a lawyer's call, a
letter from prison); the case's history (``LegalEvent``) keeps what was learned when and
from where, so a reader can tell a verdict read in a court record from one heard of.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wayhome.core.models import AgencyOwned, BaseModel


def _source_field() -> Any:
    return models.ForeignKey(
        "tracing.InformationReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source"),
    )


class LegalCase(AgencyOwned):
    class Jurisdiction(models.TextChoices):
        HOST = "host", _("Host country")
        HOME = "home", _("Home country")

    class Status(models.TextChoices):
        INVESTIGATION = "investigation", _("Under investigation")
        AWAITING_TRIAL = "awaiting_trial", _("Awaiting trial")
        ON_TRIAL = "on_trial", _("On trial")
        AWAITING_SENTENCE = "awaiting_sentence", _("Awaiting sentence")
        SENTENCED = "sentenced", _("Sentenced")
        ON_APPEAL = "on_appeal", _("On appeal")
        ACQUITTED = "acquitted", _("Acquitted")
        DISMISSED = "dismissed", _("Dismissed")
        SERVED = "served", _("Sentence served or released")
        CLOSED = "closed", _("Closed")

    class Verdict(models.TextChoices):
        NONE = "", _("No verdict yet")
        GUILTY = "guilty", _("Guilty")
        NOT_GUILTY = "not_guilty", _("Not guilty")
        DISMISSED = "dismissed", _("Dismissed")

    class SentenceKind(models.TextChoices):
        NONE = "", _("No sentence")
        YEARS = "years", _("Prison term")
        LIFE = "life", _("Life imprisonment")
        DEATH = "death", _("Death sentence")
        SUSPENDED = "suspended", _("Suspended sentence")
        FINE = "fine", _("Fine only")

    # Cases in these states keep a person from leaving the host country.
    OPEN = frozenset(
        {
            Status.INVESTIGATION,
            Status.AWAITING_TRIAL,
            Status.ON_TRIAL,
            Status.AWAITING_SENTENCE,
            Status.SENTENCED,
            Status.ON_APPEAL,
        }
    )

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="legal_cases"
    )
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=10, choices=Jurisdiction.choices, default=Jurisdiction.HOST
    )
    country = models.ForeignKey(
        "places.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    court = models.CharField(_("court"), max_length=200, blank=True)
    case_number = models.CharField(_("court case number"), max_length=100, blank=True)
    charges = models.TextField(_("charges"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.INVESTIGATION,
        db_index=True,
    )
    lawyer = models.CharField(_("lawyer"), max_length=200, blank=True)
    lawyer_fee = models.DecimalField(
        _("lawyer's fee"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    lawyer_fee_currency = models.CharField(_("currency"), max_length=3, blank=True)
    verdict = models.CharField(
        _("verdict"), max_length=20, choices=Verdict.choices, blank=True, default=""
    )
    verdict_on = models.DateField(_("verdict on"), null=True, blank=True)
    sentence_kind = models.CharField(
        _("sentence"), max_length=20, choices=SentenceKind.choices, blank=True, default=""
    )
    sentence_years = models.DecimalField(
        _("years"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    # Home-country courts defer some mothers' sentences until their children come of age.
    sentence_deferred_until = models.DateField(_("sentence deferred until"), null=True, blank=True)
    sentence_deferred_reason = models.CharField(
        _("why deferred"),
        max_length=300,
        blank=True,
        help_text=_("e.g. until the children come of age"),
    )
    source = _source_field()
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("legal case")
        verbose_name_plural = _("legal cases")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "status"], name="legalcase_agency_status")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(sentence_kind="years") | models.Q(sentence_years__gt=0),
                name="legalcase_years_need_a_term",
            ),
        ]

    def __str__(self) -> str:
        return self.case_number or self.court or str(self.uuid)[:8]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def sentence_text(self) -> str:
        if self.sentence_kind == self.SentenceKind.YEARS and self.sentence_years:
            return str(
                _("%(years)s years") % {"years": format(self.sentence_years.normalize(), "f")}
            )
        return str(self.get_sentence_kind_display()) if self.sentence_kind else ""


class Hearing(BaseModel):
    legal_case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="hearings")
    date = models.DateField(_("date"), db_index=True)
    court = models.CharField(_("court"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    source = _source_field()

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date}"


class Appeal(BaseModel):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        UPHELD = "upheld", _("Verdict upheld")
        REDUCED = "reduced", _("Sentence reduced")
        OVERTURNED = "overturned", _("Verdict overturned")
        RETRIAL = "retrial", _("Retrial ordered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    legal_case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="appeals")
    filed_on = models.DateField(_("filed on"))
    court = models.CharField(_("court"), max_length=200, blank=True)
    grounds = models.TextField(_("grounds"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    source = _source_field()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.filed_on} {self.get_outcome_display()}"


class DetentionReport(BaseModel):
    """Conditions of detention as reported (overcrowding, health, access to a lawyer)."""

    legal_case = models.ForeignKey(
        LegalCase, on_delete=models.CASCADE, related_name="detention_reports"
    )
    reported_on = models.DateField(_("reported on"))
    conditions = models.TextField(_("conditions reported"))
    source = _source_field()

    class Meta:
        verbose_name = _("detention conditions report")
        verbose_name_plural = _("detention conditions reports")
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reported_on}"


class LegalEvent(BaseModel):
    """One line of a case's history: what happened, when, and the report it rests on."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case recorded")
        UPDATED = "updated", _("Details changed")
        HEARING = "hearing", _("Hearing")
        HEARING_OUTCOME = "hearing_outcome", _("Hearing outcome")
        VERDICT = "verdict", _("Verdict")
        SENTENCE = "sentence", _("Sentence")
        APPEAL = "appeal", _("Appeal")
        APPEAL_DECIDED = "appeal_decided", _("Appeal decided")
        CONDITIONS = "conditions", _("Detention conditions")

    legal_case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    summary = models.CharField(_("summary"), max_length=500)
    source = _source_field()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("legal case event")
        verbose_name_plural = _("legal case events")
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.get_kind_display()}"
