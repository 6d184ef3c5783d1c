"""Humanitarian data protection: why we hold data, who agreed, what left, what was erased.

After the ICRC Restoring Family Links code of conduct and the IASC operational guidance
on data responsibility: every person and request states its purpose and legal basis,
consent is a history of events (never one overwritten flag), every disclosure is a
record approved by a second person, and what is past retention is anonymised.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wayhome.core.crypto import EncryptedTextField
from wayhome.core.models import AgencyOwned, BaseModel
from wayhome.people.models import Person
from wayhome.tracing.models import Inquirer, TracingRequest


class Purpose(models.TextChoices):
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    REPATRIATION = "repatriation", _("Repatriation")
    AFTERCARE = "aftercare", _("Aftercare")
    PROTECTION = "protection", _("Protection")


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Consent")
    VITAL_INTEREST = "vital_interest", _("Vital interest")
    PUBLIC_INTEREST = "public_interest", _("Public interest")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")


def _exactly_one(a: str, b: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{a}__isnull": False, f"{b}__isnull": True})
        | models.Q(**{f"{a}__isnull": True, f"{b}__isnull": False}),
        name=name,
    )


class ProcessingRecord(AgencyOwned):
    """Why the agency holds a person's or a request's data, and on what legal basis."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="processing"
    )
    request = models.OneToOneField(
        TracingRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="processing"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("purpose and legal basis")
        verbose_name_plural = _("purposes and legal bases")
        constraints = [_exactly_one("person", "request", "processing_one_subject")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} / {self.get_legal_basis_display()}"


class Scope(models.TextChoices):
    CONTACT = "contact", _("Being contacted")
    SHARE_AUTHORITIES = "share_authorities", _("Sharing with authorities")
    SHARE_PARTNERS = "share_partners", _("Sharing with partner organisations")
    PHOTOGRAPHS = "photographs", _("Photographs")
    NOTIFY_EMAIL = "notify_email", _("Notifications by e-mail")
    NOTIFY_SMS = "notify_sms", _("Notifications by SMS")


class ConsentEvent(AgencyOwned):
    """One decision of an inquirer or a person on one scope; the latest one stands."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        WRITTEN = "written", _("In writing")
        PHONE = "phone", _("Phone call")
        MESSENGER = "messenger", _("Messenger")
        OTHER = "other", _("Other")

    inquirer = models.ForeignKey(
        Inquirer, on_delete=models.CASCADE, null=True, blank=True, related_name="consent_events"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="consent_events"
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    given = models.BooleanField(_("given"), help_text=_("Clear to record a withdrawal."))
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    on = models.DateField(_("when"))
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["-on", "-id"]
        constraints = [_exactly_one("inquirer", "person", "consent_one_subject")]
        indexes = [
            models.Index(fields=["inquirer", "scope", "-on"], name="consent_inquirer_scope"),
            models.Index(fields=["person", "scope", "-on"], name="consent_person_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_scope_display()} {'+' if self.given else '-'}"


class RecipientKind(models.TextChoices):
    HOST_AUTHORITY = "host_authority", _("Host-country authority")
    HOME_AUTHORITY = "home_authority", _("Home-country authority")
    ICRC = "icrc", _("ICRC")
    UN_AGENCY = "un_agency", _("UN agency")
    NGO = "ngo", _("NGO")
    COURT = "court", _("Court")
    OTHER = "other", _("Other")


# Recipients that are authorities: disclosing to them needs "sharing with authorities"
# consent where consent is the basis; the others need "sharing with partners".
AUTHORITY_KINDS = frozenset(
    {RecipientKind.HOST_AUTHORITY, RecipientKind.HOME_AUTHORITY, RecipientKind.COURT}
)


class DataKind(models.TextChoices):
    IDENTITY = "identity", _("Names, sex and birth")
    CITIZENSHIP = "citizenship", _("Citizenships")
    DOCUMENTS = "documents", _("Identity documents")
    FAMILY = "family", _("Family links")
    WHEREABOUTS = "whereabouts", _("Whereabouts")
    PHOTOGRAPHS = "photographs", _("Photographs")
    INQUIRER_CONTACT = "inquirer_contact", _("Inquirer's contact details")


class Disclosure(AgencyOwned):
    """Data about persons given to someone outside the agency: proposed by one user,
    approved or refused by a supervisor who is not the requester, then sent."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        SENT = "sent", _("Sent")
        REFUSED = "refused", _("Refused")

    recipient = models.CharField(_("recipient"), max_length=200)
    recipient_kind = models.CharField(
        _("kind of recipient"), max_length=20, choices=RecipientKind.choices
    )
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    purpose = models.CharField(_("purpose"), max_length=300)
    persons = models.ManyToManyField(Person, related_name="disclosures", verbose_name=_("persons"))
    data_kinds = models.JSONField(_("kinds of data"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.recipient} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.PROPOSED, self.Status.APPROVED)

    def data_kind_labels(self) -> list[str]:
        labels = dict(DataKind.choices)
        return [str(labels.get(k, k)) for k in self.data_kinds]


class Referral(AgencyOwned):
    """A tracing request shared with another agency (``agency`` is the owner): who asked,
    to whom, why, which parts, on which consent of the inquirer; approved by a second
    person (four eyes) before the other agency sees anything; revocable at any time.

    The receiving agency reads the shared parts read-only on the referral's own page,
    never through its own lists or edit pages.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Shared")
        REFUSED = "refused", _("Refused")
        REVOKED = "revoked", _("Revoked")

    class Part(models.TextChoices):
        REQUEST = "request", _("The request: dates, status and what was last known")
        SOUGHT = "sought", _("The sought persons: names, sex, birth and current whereabouts")
        INQUIRER = "inquirer", _("The inquirer: name, relationship and contact details")

    request = models.ForeignKey(TracingRequest, on_delete=models.PROTECT, related_name="referrals")
    to_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("shared with"),
    )
    reason = models.CharField(_("why"), max_length=500)
    parts = models.JSONField(_("parts shared"), default=list)
    # The inquirer's standing "sharing with partner organisations" consent when it was
    # proposed; the share also stops the moment a later event withdraws it.
    consent = models.ForeignKey(ConsentEvent, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["to_agency", "status"], name="referral_received")]

    def __str__(self) -> str:
        return f"{self.request} → {self.to_agency} ({self.get_status_display()})"

    def part_labels(self) -> list[str]:
        labels = dict(self.Part.choices)
        return [str(labels.get(p, p)) for p in self.parts]


class Anonymisation(BaseModel):
    """That a record was anonymised, when and why (retention or erasure): no names, so
    counts of what was erased survive and a second run skips it."""

    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        INQUIRER = "inquirer", _("inquirer")
        REQUEST = "request", _("tracing request")

    class Cause(models.TextChoices):
        RETENTION = "retention", _("retention schedule")
        ERASURE = "erasure", _("erasure on request")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_uuid = models.UUIDField()
    cause = models.CharField(max_length=10, choices=Cause.choices)
    on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_uuid"], name="anonymised_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_uuid} {self.on}"
