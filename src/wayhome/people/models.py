"""Persons, their names in every script, family links, citizenships, documents, photos."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wayhome.accounts.sensitivity import is_masked, is_redacted
from wayhome.core.crypto import EncryptedTextField
from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.core.models import AgencyOwned, BaseModel

_PRECISIONS = frozenset(p.value for p in Precision)


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "U", _("Unknown")


class Status(models.TextChoices):
    """Where a person stands, as of the latest whereabouts entry that is not retracted."""

    UNKNOWN = "unknown", _("Unknown")
    MISSING = "missing", _("Missing")
    CONFLICT_ZONE = "conflict_zone", _("In conflict zone")
    DETAINED = "detained", _("Detained")
    IN_CAMP = "in_camp", _("In camp")
    ON_TRIAL = "on_trial", _("On trial")
    SENTENCED = "sentenced", _("Sentenced")
    RELEASED = "released", _("Released")
    DECEASED = "deceased", _("Deceased")
    REPATRIATED = "repatriated", _("Repatriated")


class PrecisionChoice(models.TextChoices):
    UNKNOWN = Precision.UNKNOWN.value, _("Unknown")
    EXACT = Precision.EXACT.value, _("Exact date")
    MONTH = Precision.MONTH.value, _("Month and year")
    YEAR = Precision.YEAR.value, _("Year only")
    AGE = Precision.AGE.value, _("Age on a date")


# The columns a person's fuzzy birth is stored in (Person.birth), and with them the
# interval derived from it that filters and rules read (birth_earliest, birth_latest).
BIRTH_PARTS = (
    "birth_precision",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_age_years",
    "birth_age_as_of",
)
BIRTH_COLUMNS = (*BIRTH_PARTS, "birth_earliest", "birth_latest")


class Person(AgencyOwned):
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    # The birth date as told, at its precision; earliest/latest are derived from it so
    # that age filters and "born before the mother" checks work at any precision.
    birth_precision = models.CharField(
        _("birth date precision"),
        max_length=10,
        choices=PrecisionChoice.choices,
        default=PrecisionChoice.UNKNOWN,
    )
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_age_years = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_age_as_of = models.DateField(null=True, blank=True)
    birth_earliest = models.DateField(null=True, blank=True, db_index=True)
    birth_latest = models.DateField(null=True, blank=True)
    birth_place = models.CharField(_("place of birth"), max_length=200, blank=True)
    birth_country = models.ForeignKey(
        "places.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    home_region = models.ForeignKey(
        "places.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
        verbose_name=_("home region"),
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    # Denormalised for lists, search and dashboards over a million rows; written only by
    # people.services (names) and tracing.services (whereabouts), never by hand.
    display_name = models.CharField(max_length=300, blank=True, db_index=True)
    # Every name's search_text, one per line: name search over a million persons is one
    # trigram-indexed column on this table, not a join through the names (see
    # people/migrations/0003); the line breaks keep a match from spanning two names.
    search_names = models.TextField(blank=True, editable=False)
    current_status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.UNKNOWN, db_index=True
    )
    current_facility = models.ForeignKey(
        "places.Facility", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    current_since = models.DateField(null=True, blank=True)
    # Set when a review merged this record into another one (review.services): the row
    # stays, empty and hidden from lists, so that the merge can be undone and old links
    # still lead to the surviving record.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="absorbed"
    )
    # Need-to-know (accounts/scope.py): the team holding the record and, optionally, one
    # caseworker. No team: visible agency-wide. Written only by accounts.assignment.
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_persons",
        verbose_name=_("assigned to"),
    )
    # Raised by every change of the person's own facts (core.versioning): an edit form or
    # an API client that read an older version is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["agency", "current_status"], name="person_agency_status"),
            models.Index(fields=["agency", "display_name"], name="person_agency_name"),
            models.Index(fields=["agency", "team"], name="person_agency_team"),
            # The API's cursor pages go by creation time: without it every page of the
            # persons list sorted the agency's million persons (660 ms).
            models.Index(fields=["agency", "created_at"], name="person_agency_created"),
            # Candidate search orders the persons sharing the most name keys by birth
            # year: from this small index alone (an index-only scan), not from a heap
            # page per person, which at a million persons were most of what it read.
            models.Index(fields=["id", "birth_year"], name="person_id_birth"),
        ]

    def __str__(self) -> str:
        return self.display_name or str(self.uuid)[:8]

    @property
    def birth(self) -> FuzzyDate:
        """The birth date at its precision; unknown on a record redacted for a reader who
        may not see it (``redact`` leaves its precision "restricted" or "")."""
        if self.birth_precision not in _PRECISIONS and is_redacted(self):
            return FuzzyDate()
        return FuzzyDate(
            Precision(self.birth_precision),
            self.birth_year,
            self.birth_month,
            self.birth_day,
            self.birth_age_years,
            self.birth_age_as_of,
        )

    @property
    def birth_restricted(self) -> bool:
        """Whether the birth date was masked for this reader (the page says so)."""
        return is_masked(self, "birth_precision")

    def set_birth(self, value: FuzzyDate) -> None:
        self.birth_precision = value.precision.value
        self.birth_year, self.birth_month, self.birth_day = value.year, value.month, value.day
        self.birth_age_years, self.birth_age_as_of = value.age_years, value.as_of
        self.birth_earliest, self.birth_latest = value.earliest, value.latest


def joined_search_names(texts: Iterable[str]) -> str:
    """``Person.search_names`` from the folded texts of a person's names."""
    return "\n".join(t for t in texts if t)


class Script(models.TextChoices):
    LATIN = "Latn", _("Latin")
    CYRILLIC = "Cyrl", _("Cyrillic")
    ARABIC = "Arab", _("Arabic")
    OTHER = "Zyyy", _("Other or mixed")


class PersonName(BaseModel):
    class Kind(models.TextChoices):
        LEGAL = "legal", _("Legal name")
        ALIAS = "alias", _("Alias")
        KUNYA = "kunya", _("Kunya (Abu / Umm ...)")
        NOM_DE_GUERRE = "nom_de_guerre", _("Nom de guerre")
        NICKNAME = "nickname", _("Nickname")
        MAIDEN = "maiden", _("Maiden name")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LEGAL)
    script = models.CharField(_("script"), max_length=4, choices=Script.choices)
    given = models.CharField(_("given name"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    family = models.CharField(_("family name"), max_length=100, blank=True)
    # Free text when the parts are not known ("Umm Ali", a name as written on a list).
    full = models.CharField(_("name as written"), max_length=300, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    # search_fold() of every part: what exact-or-contains search runs against.
    search_text = models.CharField(max_length=400, blank=True, db_index=True)

    class Meta:
        verbose_name = _("name")
        verbose_name_plural = _("names")
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        parts = " ".join(p for p in (self.given, self.patronymic, self.family) if p)
        return parts or self.full


class Citizenship(BaseModel):
    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Claimed")
        VERIFIED = "verified", _("Verified")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="citizenships")
    country = models.ForeignKey("places.Country", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CLAIMED
    )
    basis = models.CharField(_("basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("citizenship")
        verbose_name_plural = _("citizenships")
        constraints = [
            models.UniqueConstraint(fields=["person", "country"], name="citizenship_unique")
        ]

    def __str__(self) -> str:
        return f"{self.country} ({self.get_status_display()})"


class IdentityDocument(BaseModel):
    class Kind(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        INTERNAL_PASSPORT = "internal_passport", _("Internal passport")
        BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
        ID_CARD = "id_card", _("Identity card")
        TRAVEL_DOCUMENT = "travel_document", _("Travel document")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        HELD = "held", _("Held by the person")
        LOST = "lost", _("Lost")
        CONFISCATED = "confiscated", _("Confiscated")
        COPY_ONLY = "copy_only", _("Copy only")
        EXPIRED = "expired", _("Expired")
        UNKNOWN = "unknown", _("Unknown")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    issuing_country = models.ForeignKey(
        "places.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UNKNOWN
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self) -> str:
        return self.get_kind_display()


def _photo_path(instance: Photo, filename: str) -> str:
    # Random file names: the stored name must not carry the person's name.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"photos/{instance.uuid.hex}.{suffix}"


class Photo(BaseModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("image"), upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)

    class Meta:
        verbose_name = _("photograph")
        verbose_name_plural = _("photographs")

    def __str__(self) -> str:
        return self.caption or str(self.uuid)[:8]


class Relationship(AgencyOwned):
    """A typed, directed link: ``from_person`` is the PARENT/GUARDIAN/... of ``to_person``.

    Spouse and sibling links are symmetric and stored once, in a canonical direction, so
    that a pair cannot be recorded twice.
    """

    class Kind(models.TextChoices):
        PARENT = "parent", _("parent of")
        SPOUSE = "spouse", _("spouse of")
        SIBLING = "sibling", _("sibling of")
        GRANDPARENT = "grandparent", _("grandparent of")
        GUARDIAN = "guardian", _("guardian of")

    SYMMETRIC = frozenset({Kind.SPOUSE, Kind.SIBLING})

    from_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links_out")
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_current = models.BooleanField(
        _("current"), default=True, help_text=_("Clear for a former spouse or guardian.")
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(
                fields=["from_person", "to_person", "kind"], name="relationship_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_person=models.F("to_person")),
                name="relationship_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} {self.get_kind_display()} {self.to_person}"


class FamilyGroup(AgencyOwned):
    """People handled together: a mother and her children, a whole household."""

    label = models.CharField(_("label"), max_length=200)
    members = models.ManyToManyField(Person, related_name="family_groups", blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("family group")
        verbose_name_plural = _("family groups")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label
