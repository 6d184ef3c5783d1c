"""Information reports, whereabouts timelines and tracing requests.

Every fact about where a person is cites the reports it rests on. Whereabouts are a
timeline: an entry is never edited into another, only retracted with a reason, so the
history of what was believed, and why, survives.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wayhome.core.crypto import EncryptedTextField
from wayhome.core.models import AgencyOwned, BaseModel
from wayhome.people.models import Person, PrecisionChoice, Status


class InformationReport(AgencyOwned):
    class Channel(models.TextChoices):
        OFFICIAL_LIST = "official_list", _("Official list")
        RELATIVE_CALL = "relative_call", _("Call or visit from a relative")
        PRISON_LETTER = "prison_letter", _("Letter from prison")
        UNKNOWN_NUMBER = "unknown_number", _("Message from an unknown number")
        MESSENGER = "messenger", _("Messenger or voice call")
        VIDEO = "video", _("Video or photograph")
        MEDIA = "media", _("Media report")
        OTHER_NGO = "other_ngo", _("Another organisation")
        FIELD_VISIT = "field_visit", _("Field or facility visit")
        OTHER = "other", _("Other")

    class Reliability(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed by an official source or in person")
        PROBABLE = "probable", _("Probably true")
        POSSIBLE = "possible", _("Possibly true")
        DOUBTFUL = "doubtful", _("Doubtful")
        UNKNOWN = "unknown", _("Cannot be judged")

    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Who or what it came from, e.g. 'Ministry list of 12 March', 'the mother'."),
    )
    reliability = models.CharField(
        _("reliability"), max_length=20, choices=Reliability.choices, default=Reliability.UNKNOWN
    )
    summary = EncryptedTextField(_("summary"))
    persons = models.ManyToManyField(
        Person, related_name="reports", blank=True, verbose_name=_("persons concerned")
    )

    class Meta:
        verbose_name = _("information report")
        verbose_name_plural = _("information reports")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.received_on} {self.get_channel_display()}"


class Whereabouts(AgencyOwned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="whereabouts")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    facility = models.ForeignKey(
        "places.Facility",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="whereabouts",
        verbose_name=_("facility"),
    )
    country = models.ForeignKey(
        "places.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    location = models.CharField(
        _("place as reported"), max_length=300, blank=True, help_text=_("e.g. 'near Tal Afar'")
    )
    start_date = models.DateField(_("from"))
    start_precision = models.CharField(
        _("precision"), max_length=10, choices=PrecisionChoice.choices, default="exact"
    )
    end_date = models.DateField(_("until"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    reports = models.ManyToManyField(
        InformationReport, related_name="whereabouts", verbose_name=_("sources")
    )
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retraction_reason = models.CharField(_("reason for retraction"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("whereabouts entry")
        verbose_name_plural = _("whereabouts")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["person", "-start_date"], name="whereabouts_timeline")]

    def __str__(self) -> str:
        return f"{self.start_date} {self.get_status_display()}"

    @property
    def is_retracted(self) -> bool:
        return self.retracted_at is not None


class Inquirer(AgencyOwned):
    """A relative who asks for help. Contact details are shared only with consent."""

    name = models.CharField(_("name"), max_length=200)
    relationship = models.CharField(
        _("relationship to the sought"), max_length=100, blank=True, help_text=_("e.g. mother")
    )
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("email"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    region = models.ForeignKey(
        "places.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[
            ("ru", "Русский"),
            ("tg", "Тоҷикӣ"),
            ("kk", "Қазақша"),
            ("en", "English"),
            ("ar", "العربية"),
        ],
        default="ru",
    )
    consent_contact = models.BooleanField(_("consents to be contacted"), default=False)

    class Meta:
        verbose_name = _("inquirer")
        verbose_name_plural = _("inquirers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TracingRequest(AgencyOwned):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        LOCATED = "located", _("Located")
        CLOSED = "closed", _("Closed")

    class Closure(models.TextChoices):
        REUNITED = "reunited", _("Reunited")
        DECEASED = "deceased", _("Deceased")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    reference = models.CharField(_("reference"), max_length=30)
    inquirer = models.ForeignKey(
        Inquirer, on_delete=models.PROTECT, related_name="requests", verbose_name=_("inquirer")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    closure_reason = models.CharField(
        _("closure reason"), max_length=10, choices=Closure.choices, blank=True
    )
    received_on = models.DateField(_("received on"))
    located_on = models.DateField(_("located on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    consent_share = models.BooleanField(
        _("consents to sharing with authorities and partners"), default=False
    )
    last_known = models.TextField(_("what was last known"), blank=True)
    last_known_place = models.CharField(_("last known place"), max_length=300, blank=True)
    last_known_date = models.DateField(_("last known on"), null=True, blank=True)
    last_known_precision = models.CharField(
        max_length=10, choices=PrecisionChoice.choices, default="unknown"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
        verbose_name=_("assigned to"),
    )
    # Need-to-know (accounts/scope.py): the team working the request; its sought persons
    # follow it when it is assigned. No team: visible agency-wide.
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    # Raised by every change of the request (core.versioning): lost-update protection.
    version = models.PositiveIntegerField(default=1, editable=False)
    sought: models.ManyToManyField[Person, SoughtPerson] = models.ManyToManyField(
        Person, through="SoughtPerson", related_name="tracing_requests", blank=True
    )

    class Meta:
        verbose_name = _("tracing request")
        verbose_name_plural = _("tracing requests")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "reference"], name="tracing_unique_ref")
        ]
        indexes = [
            models.Index(fields=["agency", "team"], name="request_agency_team"),
            # The request list's order: its first page without sorting every request of
            # the agency (151,000 at a million persons: 300 ms), and its count from the
            # index alone.
            models.Index(fields=["agency", "-received_on", "-id"], name="request_agency_received"),
            # The API's cursor pages go by creation time (api.views.Cursor).
            models.Index(fields=["agency", "created_at"], name="request_agency_created"),
        ]

    def __str__(self) -> str:
        return self.reference


class SoughtPerson(BaseModel):
    request = models.ForeignKey(
        TracingRequest, on_delete=models.CASCADE, related_name="sought_links"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="sought_in")
    relation_to_inquirer = models.CharField(
        _("relation to the inquirer"), max_length=100, blank=True, help_text=_("e.g. son")
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "person"], name="sought_unique")]

    def __str__(self) -> str:
        return f"{self.request} → {self.person}"
