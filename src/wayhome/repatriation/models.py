"""Repatriation: rule sets kept as data, cases for a person or a family, and their steps.

A route's rules (who consents, court orders, fines, proofs, travel documents) change with
negotiations and court practice, so they are data an administrator edits, in versions: a
case keeps the version it was opened under, and moves to a newer one only when someone
migrates it on purpose. The operations app (flights, manifests) reads ``RepatriationCase``,
``CaseMember`` and ``repatriation.selectors.missing_items``: add fields, never rename.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wayhome.core.models import AgencyOwned, BaseModel


class FacilityKind(models.TextChoices):
    """The kinds of place a route covers; "any" when the rules do not depend on it."""

    ANY = "", _("Any")
    PRISON = "prison", _("Prison")
    CAMP = "camp", _("Camp")
    DETENTION = "detention", _("Other detention site")
    ORPHANAGE = "orphanage", _("Orphanage")


class RuleSet(BaseModel):
    """One version of the rules of a route (host country, facility kind, home country).

    Shipped rule sets (``repatriation/rulesets/*.yaml``) belong to no agency and every
    agency reads them; a version an agency's administrator writes belongs to that agency
    only, so one organisation's reading of the law never changes another's cases. Versions
    are never edited once saved: a change is a new version (``previous`` points back).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The route's stable key across versions, e.g. "iraq", "north-east-syria".
    slug = models.SlugField(_("route key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    host_country = models.ForeignKey(
        "places.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("host country")
    )
    facility_kind = models.CharField(
        _("facility kind"), max_length=20, choices=FacilityKind.choices, blank=True
    )
    home_country = models.ForeignKey(
        "places.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home country"),
        help_text=_("Empty when the rules apply whatever the home country."),
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    to_be_confirmed = models.BooleanField(
        _("to be confirmed by counsel"),
        default=True,
        help_text=_("Set while the rules rest on public reports, not on a lawyer's advice."),
    )
    # The validated rules (see repatriation.rules.validate_rules) and the text as written.
    rules = models.JSONField(_("rules"), default=dict)
    source_text = models.TextField(_("rules as written (YAML)"), blank=True)
    change_note = models.CharField(_("what changed"), max_length=500, blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_versions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="ruleset_unique_version"),
            # One active version per route for the shipped rules, and one per agency.
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(status="active", agency__isnull=True),
                name="ruleset_one_active_shipped",
            ),
            models.UniqueConstraint(
                fields=["slug", "agency"],
                condition=models.Q(status="active", agency__isnull=False),
                name="ruleset_one_active_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class RepatriationCase(AgencyOwned):
    """Bringing one person, or a family group, home under one rule set version."""

    class Stage(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        READY = "ready", _("Ready to travel")
        SCHEDULED = "scheduled", _("Scheduled")
        RETURNED = "returned", _("Returned")
        CLOSED = "closed", _("Closed")

    class ReadyAgain(models.TextChoices):
        """Why a scheduled case is ready to travel again (the only way back to ready
        that does not re-check the checklist: it was approved before it was scheduled)."""

        OPERATION_CANCELLED = "operation_cancelled", _("The operation was called off")
        HELD_BACK = "held_back", _("A member was held back and did not arrive")

    class Closure(models.TextChoices):
        RETURNED = "returned", _("Returned home")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECEASED = "deceased", _("Deceased")
        TRANSFERRED = "transferred", _("Handed to another organisation")
        REFUSED = "refused", _("Refused by the authorities")

    reference = models.CharField(_("reference"), max_length=30)
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="cases", verbose_name=_("rule set")
    )
    family_group = models.ForeignKey(
        "people.FamilyGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repatriation_cases",
        verbose_name=_("family group"),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.OPEN, db_index=True
    )
    stage_since = models.DateField(_("in this stage since"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=Closure.choices, blank=True
    )
    # Set when a supervisor approved "ready" although a required step was still open.
    ready_override_reason = models.CharField(_("override reason"), max_length=500, blank=True)
    ready_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("repatriation case")
        verbose_name_plural = _("repatriation cases")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "reference"], name="repcase_unique_ref")
        ]
        indexes = [models.Index(fields=["agency", "stage"], name="repcase_agency_stage")]

    def __str__(self) -> str:
        return self.reference


class CaseMember(BaseModel):
    """A person in a case; whether they travel and whether they may travel apart.

    The flight manifest keeps a case's travelling members together (mothers with their
    children, siblings with each other) unless ``may_travel_separately`` says otherwise.
    """

    case = models.ForeignKey(RepatriationCase, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="case_memberships"
    )
    is_principal = models.BooleanField(_("principal"), default=False)
    travels = models.BooleanField(
        _("travels"), default=True, help_text=_("Clear for a mother who stays (e.g. sentenced).")
    )
    may_travel_separately = models.BooleanField(_("may travel separately"), default=False)
    separation_reason = models.CharField(_("why apart"), max_length=500, blank=True)
    # The engine's view of the person when the checklist was last built (adult/minor,
    # citizenship), shown beside the checklist so a reader sees what it rests on.
    assessed_as = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case member")
        verbose_name_plural = _("case members")
        ordering = ["-is_principal", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="casemember_unique"),
            models.CheckConstraint(
                condition=models.Q(may_travel_separately=False) | ~models.Q(separation_reason=""),
                name="casemember_separation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.person}"


def _document_path(instance: CaseDocument, filename: str) -> str:
    # Random names: a stored file name must never carry a person's name.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"case-documents/{instance.uuid.hex}.{suffix[:8]}"


class CaseStep(BaseModel):
    """One item of a member's checklist, from the rule set's step ``code``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked")
        WAIVED = "waived", _("Waived")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    OPEN = frozenset({Status.PENDING, Status.BLOCKED})

    member = models.ForeignKey(CaseMember, on_delete=models.CASCADE, related_name="steps")
    code = models.SlugField(_("step"), max_length=60)
    label = models.CharField(_("label"), max_length=300)
    required = models.BooleanField(_("required"), default=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    blocker = models.CharField(_("blocked by"), max_length=500, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    # Rule details the engine resolved for this member: who consents, fine and currency,
    # accepted proofs, handover point.
    detail = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Waiving a required step is a supervisor's decision with a reason.
    waived_reason = models.CharField(_("reason for waiving"), max_length=500, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["member_id", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "code"], name="casestep_unique_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def localized_label(self) -> str:
        """The label in the page's language when the rule set gives one."""
        lang = (get_language() or "en")[:2]
        return str(self.detail.get(f"label_{lang}") or self.label)

    @property
    def badge_class(self) -> str:
        """The stylesheet's badge colour for the status (green, red, amber, grey)."""
        return {
            self.Status.DONE: "approved",
            self.Status.BLOCKED: "refused",
            self.Status.PENDING: "pending",
            self.Status.WAIVED: "proposed",
        }.get(self.Status(self.status), "")


class CaseDocument(BaseModel):
    """A file attached to a case (and optionally a step), served only by a scoped view."""

    class Kind(models.TextChoices):
        CONSENT = "consent", _("Consent")
        COURT_ORDER = "court_order", _("Court order")
        IDENTITY = "identity", _("Identity document")
        KINSHIP = "kinship", _("Proof of kinship")
        DNA = "dna", _("DNA test result")
        TESTIMONY = "testimony", _("Testimony")
        TRAVEL = "travel", _("Travel document")
        FINE_RECEIPT = "fine_receipt", _("Fine receipt")
        EXIT_PERMIT = "exit_permit", _("Exit permission")
        GENERATED = "generated", _("Generated by wayhome")
        OTHER = "other", _("Other")

    case = models.ForeignKey(RepatriationCase, on_delete=models.CASCADE, related_name="documents")
    step = models.ForeignKey(
        CaseStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DocumentTemplate(BaseModel):
    """A document wayhome generates (consent form, court order request, envoy summary).

    Django template text, rendered with autoescape and a restricted context. Versions are
    kept: an edit is a new version, the previous one stays for the record. Shipped
    templates (``repatriation/doc_templates/``) belong to no agency.
    """

    class Kind(models.TextChoices):
        CONSENT_FORM = "consent_form", _("Consent form for a parent")
        COURT_ORDER_REQUEST = "court_order_request", _("Request for a court order")
        ENVOY_SUMMARY = "envoy_summary", _("Case summary for an envoy")

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(default=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("template"))
    change_note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "agency", "version"], name="doctemplate_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language}) v{self.version}"


class ConsentDecision(BaseModel):
    """A decision about a child leaving: a parent's, a guardian's or a court's.

    A history, never overwritten: a mother who consents and later withdraws leaves two
    rows; the latest decision of each giver counts.
    """

    class Decision(models.TextChoices):
        GIVEN = "given", _("Given")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Giver(models.TextChoices):
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Guardian")
        COURT = "court", _("Court")

    child = models.ForeignKey(CaseMember, on_delete=models.CASCADE, related_name="consents")
    giver_kind = models.CharField(_("given by"), max_length=10, choices=Giver.choices)
    given_by = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents_given",
        verbose_name=_("person"),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    decided_on = models.DateField(_("decided on"))
    written = models.BooleanField(_("in writing"), default=True)
    document = models.ForeignKey(
        CaseDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consent decision")
        verbose_name_plural = _("consent decisions")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(giver_kind="court") | models.Q(given_by__isnull=False),
                name="consent_parent_or_guardian_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_giver_kind_display()}: {self.get_decision_display()}"
