"""The API for casework: legal cases, repatriation cases and operations (issue 7).

Same rules as the pages and as ``api.views``: every action declares its capability, rows
come from the apps' scoped selectors (another agency's id is 404), reads of a person's file
are audited exactly as the pages audit them, and every write is the apps' own service, so
validation, refusals and audit events are identical to the pages'.

A write that changes fields someone else may have changed (a case's details, a verdict,
a hearing's outcome, an appeal's decision, a checklist step, a case's stage, an
operation's plan) needs If-Match with the record's ETag, checked under a row lock in the
service's transaction, as every other update. ``ready``, adding or removing a case on an
operation, confirming and cancelling it are commands, not edits of fields: the services
check the current state under a row lock in their own transaction (open steps, seats,
families kept together), so there is nothing an If-Match could protect that they do not
already refuse. Adding a hearing or an appeal creates a record and overwrites nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.api.errors import service_errors
from wayhome.api.serializers import Masked, ScopedUUIDField, SlugReference
from wayhome.api.views import (
    IF_MATCH,
    ScopedViewSet,
    _choice_param,
    _optional_uuid,
    _read_person,
    _uuid_param,
)
from wayhome.legal import selectors as legal_sel
from wayhome.legal import services as legal_services
from wayhome.legal.models import Appeal, Hearing, LegalCase
from wayhome.operations import selectors as ops_sel
from wayhome.operations import services as ops_services
from wayhome.operations.models import Operation
from wayhome.people.models import Person
from wayhome.places.models import Country
from wayhome.repatriation import selectors as rep_sel
from wayhome.repatriation import services as rep_services
from wayhome.repatriation.models import CaseMember, CaseStep, RepatriationCase

# --- legal cases --------------------------------------------------------------------------


class HearingSerializer(serializers.ModelSerializer[Hearing]):
    class Meta:
        model = Hearing
        fields = ["uuid", "date", "court", "purpose", "outcome"]


class AppealSerializer(serializers.ModelSerializer[Appeal]):
    class Meta:
        model = Appeal
        fields = ["uuid", "filed_on", "court", "grounds", "outcome", "decided_on"]


class HearingDetailSerializer(Masked, HearingSerializer):
    """One hearing on its own, with the case it belongs to (its ETag guards its outcome)."""

    legal_case: serializers.SlugRelatedField[Any] = SlugReference(slug_field="uuid", read_only=True)

    class Meta(HearingSerializer.Meta):
        fields = ["uuid", "legal_case", "date", "court", "purpose", "outcome", "updated_at"]
        read_only_fields = fields


class AppealDetailSerializer(Masked, AppealSerializer):
    """One appeal on its own, with the case it belongs to (its ETag guards its decision)."""

    legal_case: serializers.SlugRelatedField[Any] = SlugReference(slug_field="uuid", read_only=True)

    class Meta(AppealSerializer.Meta):
        fields = [
            "uuid",
            "legal_case",
            "filed_on",
            "court",
            "grounds",
            "outcome",
            "decided_on",
            "updated_at",
        ]
        read_only_fields = fields


def _source() -> Any:
    return ScopedUUIDField(
        "reports",
        required=False,
        allow_null=True,
        default=None,
        help_text="The information report this rests on (a uuid of /api/v1/reports/).",
    )


class LegalCaseWriteSerializer(serializers.ModelSerializer[LegalCase]):
    """Open a case, or change its details; the verdict has its own command."""

    person = ScopedUUIDField("persons", help_text="The person the case is against.")
    country: serializers.SlugRelatedField[Any] = SlugReference(
        slug_field="iso2", queryset=Country.objects.all(), help_text="ISO code."
    )
    source = _source()

    class Meta:
        model = LegalCase
        # The fields the legal services write, so the API and the pages' form agree.
        fields = ["person", *legal_services.CASE_FIELDS]


_DEFERRAL_REASON = 300  # LegalCase.sentence_deferred_reason's max_length


class VerdictSerializer(serializers.Serializer[Any]):
    verdict = serializers.ChoiceField(choices=[c for c in LegalCase.Verdict.choices if c[0]])
    verdict_on = serializers.DateField()
    sentence_kind = serializers.ChoiceField(
        choices=LegalCase.SentenceKind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Only with a guilty verdict, and then required.",
    )
    sentence_years = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, allow_null=True, default=None
    )
    sentence_deferred_until = serializers.DateField(required=False, allow_null=True, default=None)
    sentence_deferred_reason = serializers.CharField(
        max_length=_DEFERRAL_REASON, required=False, allow_blank=True, default=""
    )
    source = _source()


class HearingWriteSerializer(serializers.ModelSerializer[Hearing]):
    source = _source()

    class Meta:
        model = Hearing
        fields = ["date", "court", "purpose", "outcome", "source"]


class HearingOutcomeSerializer(serializers.Serializer[Any]):
    outcome = serializers.CharField(max_length=2000)
    source = _source()


class AppealWriteSerializer(serializers.ModelSerializer[Appeal]):
    source = _source()

    class Meta:
        model = Appeal
        fields = ["filed_on", "court", "grounds", "source"]


# An appeal is decided with any outcome but "pending".
APPEAL_DECISIONS = [c for c in Appeal.Outcome.choices if c[0] != Appeal.Outcome.PENDING]


class AppealDecisionSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=APPEAL_DECISIONS)
    decided_on = serializers.DateField()
    source = _source()


class SentenceSerializer(serializers.Serializer[LegalCase]):
    """The verdict and sentence, recorded together on the pages' own form."""

    verdict = serializers.CharField(read_only=True)
    verdict_on = serializers.DateField(read_only=True, allow_null=True)
    kind = serializers.CharField(source="sentence_kind", read_only=True)
    years = serializers.DecimalField(
        source="sentence_years", max_digits=4, decimal_places=1, read_only=True, allow_null=True
    )
    deferred_until = serializers.DateField(
        source="sentence_deferred_until", read_only=True, allow_null=True
    )
    deferred_reason = serializers.CharField(source="sentence_deferred_reason", read_only=True)


class LegalCaseListSerializer(Masked, serializers.ModelSerializer[LegalCase]):
    """A list row: who, where, how far; no charges, lawyer or notes (as the list page)."""

    person: serializers.SlugRelatedField[Any] = SlugReference(slug_field="uuid", read_only=True)
    country: serializers.SlugRelatedField[Any] = SlugReference(slug_field="iso2", read_only=True)

    class Meta:
        model = LegalCase
        fields = [
            "uuid",
            "person",
            "jurisdiction",
            "country",
            "court",
            "case_number",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class LegalCaseSerializer(LegalCaseListSerializer):
    """One case with its hearings, sentence and appeals; reading it is audited."""

    sentence = SentenceSerializer(source="*", read_only=True)
    hearings = HearingSerializer(many=True, read_only=True)
    appeals = AppealSerializer(many=True, read_only=True)

    class Meta(LegalCaseListSerializer.Meta):
        fields = [
            *LegalCaseListSerializer.Meta.fields,
            "charges",
            "lawyer",
            "lawyer_fee",
            "lawyer_fee_currency",
            "notes",
            "sentence",
            "hearings",
            "appeals",
        ]
        read_only_fields = fields


class LegalCaseViewSet(ScopedViewSet):
    """Legal cases of the client's agency (legal.view); opening one, changing its
    details, recording a verdict and sentence, a hearing or an appeal (legal.edit) go
    through the legal services, as the pages' forms do."""

    queryset = LegalCase.objects.none()
    action_caps = {
        "list": Cap.LEGAL_VIEW,
        "retrieve": Cap.LEGAL_VIEW,
        "create": Cap.LEGAL_EDIT,
        "update": Cap.LEGAL_EDIT,
        "partial_update": Cap.LEGAL_EDIT,
        "verdict": Cap.LEGAL_EDIT,
        "hearings": Cap.LEGAL_EDIT,
        "appeals": Cap.LEGAL_EDIT,
    }
    serializer_class = LegalCaseSerializer

    def _case(self, case: LegalCase, code: int = status.HTTP_200_OK) -> Response:
        return self.show(legal_sel.legal_case_get(self.user, case.uuid), code)

    @extend_schema(request=LegalCaseWriteSerializer, responses={201: LegalCaseSerializer})
    def create(self, request: Request) -> Response:
        """Open a case; a verdict is recorded afterwards with ``verdict``."""
        data = self.validated(LegalCaseWriteSerializer)
        case = legal_services.legal_case_create(actor=self.user, **data)
        return self._case(case, status.HTTP_201_CREATED)

    @extend_schema(request=LegalCaseWriteSerializer, parameters=[IF_MATCH])
    def update(self, request: Request, uuid: str, partial: bool = False) -> Response:
        """Change the court, charges, status, lawyer or notes; not the person, and not
        the verdict (``verdict``)."""
        case = legal_sel.legal_case_get(self.user, uuid)
        data = self.validated(LegalCaseWriteSerializer, partial=partial)
        person = data.pop("person", None)
        if person is not None and person.pk != case.person_id:
            raise serializers.ValidationError(
                {"person": [_("The person of a legal case cannot be changed.")]}
            )
        with self.if_match(case) as case:
            case = legal_services.legal_case_update(actor=self.user, case=case, **data)
        return self._case(case)

    @extend_schema(request=LegalCaseWriteSerializer, parameters=[IF_MATCH])
    def partial_update(self, request: Request, uuid: str) -> Response:
        return self.update(request, uuid, partial=True)

    @extend_schema(request=VerdictSerializer, responses=LegalCaseSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def verdict(self, request: Request, uuid: str) -> Response:
        """Record the verdict and, when guilty, the sentence (relatives who asked are
        told of a sentence). Replaces an earlier verdict, hence If-Match."""
        case = legal_sel.legal_case_get(self.user, uuid)
        data = self.validated(VerdictSerializer)
        with self.if_match(case) as case:
            case = legal_services.verdict_record(actor=self.user, case=case, **data)
        return self._case(case)

    @extend_schema(request=HearingWriteSerializer, responses={201: HearingDetailSerializer})
    @action(detail=True, methods=["post"])
    def hearings(self, request: Request, uuid: str) -> Response:
        """Add a hearing (its outcome now, if it took place, or later on /hearings/)."""
        case = legal_sel.legal_case_get(self.user, uuid)
        data = self.validated(HearingWriteSerializer)
        hearing = legal_services.hearing_add(actor=self.user, case=case, **data)
        return self.show(hearing, status.HTTP_201_CREATED, serializer=HearingDetailSerializer)

    @extend_schema(request=AppealWriteSerializer, responses={201: AppealDetailSerializer})
    @action(detail=True, methods=["post"])
    def appeals(self, request: Request, uuid: str) -> Response:
        """File an appeal against the verdict; the case is then on appeal."""
        case = legal_sel.legal_case_get(self.user, uuid)
        data = self.validated(AppealWriteSerializer)
        appeal = legal_services.appeal_add(actor=self.user, case=case, **data)
        return self.show(appeal, status.HTTP_201_CREATED, serializer=AppealDetailSerializer)

    @extend_schema(
        parameters=[
            _uuid_param("person", "The person the case is against."),
            OpenApiParameter("status", str, enum=LegalCase.Status.values),
        ],
        responses=LegalCaseListSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        person = _optional_uuid(request, "person")
        qs: QuerySet[LegalCase] = legal_sel.legal_cases_visible_to(self.user)
        if person is not None:
            qs = qs.filter(person__uuid=person)
        state = _choice_param(request, "status", LegalCase.Status.values)
        if state:
            qs = qs.filter(status=state)
        return self.page(qs, LegalCaseListSerializer)

    def retrieve(self, request: Request, uuid: str) -> Response:
        case = legal_sel.legal_case_read(self.user, uuid)
        return self.show(case)


class HearingViewSet(ScopedViewSet):
    """One hearing of a visible legal case (legal.view); reading it is a read of the
    person's file. Its outcome is recorded once it took place (legal.edit, If-Match)."""

    queryset = Hearing.objects.none()
    action_caps = {"retrieve": Cap.LEGAL_VIEW, "outcome": Cap.LEGAL_EDIT}
    serializer_class = HearingDetailSerializer

    def retrieve(self, request: Request, uuid: str) -> Response:
        hearing = legal_sel.hearing_get(self.user, uuid)
        _read_person(self.user, hearing.legal_case.person)
        return self.show(hearing)

    @extend_schema(
        request=HearingOutcomeSerializer, responses=HearingDetailSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, uuid: str) -> Response:
        hearing = legal_sel.hearing_get(self.user, uuid)
        data = self.validated(HearingOutcomeSerializer)
        with self.if_match(hearing) as hearing:
            hearing = legal_services.hearing_outcome(actor=self.user, hearing=hearing, **data)
        return self.show(legal_sel.hearing_get(self.user, hearing.uuid))


class AppealViewSet(ScopedViewSet):
    """One appeal of a visible legal case (legal.view); reading it is a read of the
    person's file. Its decision is recorded with ``decide`` (legal.edit, If-Match)."""

    queryset = Appeal.objects.none()
    action_caps = {"retrieve": Cap.LEGAL_VIEW, "decide": Cap.LEGAL_EDIT}
    serializer_class = AppealDetailSerializer

    def retrieve(self, request: Request, uuid: str) -> Response:
        appeal = legal_sel.appeal_get(self.user, uuid)
        _read_person(self.user, appeal.legal_case.person)
        return self.show(appeal)

    @extend_schema(
        request=AppealDecisionSerializer, responses=AppealDetailSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, uuid: str) -> Response:
        """The appeal's outcome; a changed sentence is then recorded with ``verdict``."""
        appeal = legal_sel.appeal_get(self.user, uuid)
        data = self.validated(AppealDecisionSerializer)
        with self.if_match(appeal) as appeal:
            appeal = legal_services.appeal_decide(actor=self.user, appeal=appeal, **data)
        return self.show(legal_sel.appeal_get(self.user, appeal.uuid))


# --- repatriation cases -------------------------------------------------------------------


class StepSerializer(serializers.ModelSerializer[CaseStep]):
    class Meta:
        model = CaseStep
        fields = ["uuid", "code", "label", "required", "status", "blocker", "since", "note"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer[CaseMember]):
    person: serializers.SlugRelatedField[Any] = SlugReference(slug_field="uuid", read_only=True)
    checklist = StepSerializer(source="steps", many=True, read_only=True)

    class Meta:
        model = CaseMember
        fields = [
            "uuid",
            "person",
            "is_principal",
            "travels",
            "may_travel_separately",
            "separation_reason",
            "checklist",
        ]
        read_only_fields = fields


class RepatriationCaseListSerializer(Masked, serializers.ModelSerializer[RepatriationCase]):
    family_group: serializers.SlugRelatedField[Any] = SlugReference(
        slug_field="uuid", read_only=True, allow_null=True
    )
    closure_reason = serializers.ChoiceField(
        choices=RepatriationCase.Closure.choices, allow_blank=True, read_only=True
    )
    rule_set = serializers.SerializerMethodField()

    class Meta:
        model = RepatriationCase
        fields = [
            "uuid",
            "reference",
            "stage",
            "stage_since",
            "closure_reason",
            "rule_set",
            "family_group",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_rule_set(self, obj: RepatriationCase) -> str:
        """The rule set and version the checklist was built from ("iraq v3")."""
        return f"{obj.rule_set.slug} v{obj.rule_set.version}"


class RepatriationCaseSerializer(RepatriationCaseListSerializer):
    """One case: its members, principal first, each with their checklist."""

    members = serializers.SerializerMethodField()

    class Meta(RepatriationCaseListSerializer.Meta):
        fields = [
            *RepatriationCaseListSerializer.Meta.fields,
            "ready_override_reason",
            "notes",
            "members",
        ]
        read_only_fields = fields

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, obj: RepatriationCase) -> Any:
        return MemberSerializer(rep_sel.members_with_steps(obj), many=True).data


class ReadySerializer(serializers.Serializer[Any]):
    override_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Only a supervisor (case.approve) may mark a case ready with required "
        "steps open, and only with a reason.",
    )


class OpenStepSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField()
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the step's label, not the field's
    status = serializers.CharField()
    blocker = serializers.CharField()
    since = serializers.DateField(allow_null=True)


class ReadyRefusalSerializer(serializers.Serializer[Any]):
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
    open_steps = OpenStepSerializer(many=True, required=False)


def _open_steps(case: RepatriationCase) -> list[dict[str, Any]]:
    """The required steps of travelling members still pending or blocked."""
    steps = (
        CaseStep.objects.filter(
            member__case=case, member__travels=True, required=True, status__in=CaseStep.OPEN
        )
        .select_related("member__person")
        .order_by("-member__is_principal", "member_id", "sort", "id")
    )
    return [
        {
            "person": str(s.member.person.uuid),
            "code": s.code,
            "label": s.label,
            "status": s.status,
            "blocker": s.blocker,
            "since": s.since.isoformat() if s.since else None,
        }
        for s in steps
    ]


class CaseOpenSerializer(serializers.Serializer[Any]):
    rule_set = ScopedUUIDField(
        "rule_sets", help_text="An active rule set (the route's rules) the agency may use."
    )
    persons = ScopedUUIDField(
        "persons", many=True, help_text="The person, or the family members, to bring home."
    )
    principal = ScopedUUIDField(
        "persons",
        required=False,
        allow_null=True,
        default=None,
        help_text="One of the persons; the first one when left out.",
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


# The stages a case is moved to by hand, as on the case's page: ``ready`` checks the
# checklist (its own command); scheduled and returned follow an operation.
MANUAL_STAGES = [
    (RepatriationCase.Stage.IN_PROGRESS.value, RepatriationCase.Stage.IN_PROGRESS.label),
    (RepatriationCase.Stage.CLOSED.value, RepatriationCase.Stage.CLOSED.label),
]


class StageSerializer(serializers.Serializer[Any]):
    stage = serializers.ChoiceField(choices=MANUAL_STAGES)
    closure_reason = serializers.ChoiceField(
        choices=RepatriationCase.Closure.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the case is closed.",
    )


class RepatriationCaseViewSet(ScopedViewSet):
    """Repatriation cases (case.view); opening one, marking it ready and moving its
    stage by hand (case.edit) go through the repatriation services."""

    queryset = RepatriationCase.objects.none()
    action_caps = {
        "list": Cap.CASE_VIEW,
        "retrieve": Cap.CASE_VIEW,
        "create": Cap.CASE_EDIT,
        "ready": Cap.CASE_EDIT,
        "stage": Cap.CASE_EDIT,
    }
    serializer_class = RepatriationCaseSerializer

    @extend_schema(request=CaseOpenSerializer, responses={201: RepatriationCaseSerializer})
    def create(self, request: Request) -> Response:
        """Open a case for one person or a family and build every member's checklist
        from the rule set."""
        data = self.validated(CaseOpenSerializer)
        case = rep_services.case_open(
            actor=self.user,
            rule_set=data["rule_set"],
            persons=data["persons"],
            principal=data["principal"],
            notes=data["notes"],
        )
        return self.show(rep_sel.case_get(self.user, case.uuid), status.HTTP_201_CREATED)

    @extend_schema(
        request=StageSerializer, responses=RepatriationCaseSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def stage(self, request: Request, uuid: str) -> Response:
        """Move the case back to in progress, or close it with a reason."""
        case = rep_sel.case_get(self.user, uuid)
        data = self.validated(StageSerializer)
        with self.if_match(case) as case:
            case = rep_services.case_set_stage(actor=self.user, case=case, **data)
        return self.show(rep_sel.case_get(self.user, case.uuid))

    @extend_schema(
        parameters=[
            OpenApiParameter("stage", str, enum=RepatriationCase.Stage.values),
            _uuid_param("person", "A member of the case."),
        ],
        responses=RepatriationCaseListSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        qs: QuerySet[RepatriationCase] = rep_sel.cases_visible_to(self.user)
        stage = _choice_param(request, "stage", RepatriationCase.Stage.values)
        if stage:
            qs = qs.filter(stage=stage)
        person = _optional_uuid(request, "person")
        if person is not None:
            qs = qs.filter(members__person__uuid=person).distinct()
        return self.page(qs, RepatriationCaseListSerializer)

    def retrieve(self, request: Request, uuid: str) -> Response:
        # case_read audits a read of the case and of every member, as the case page does.
        return self.show(rep_sel.case_read(self.user, uuid))

    @extend_schema(
        request=ReadySerializer,
        responses={
            200: RepatriationCaseSerializer,
            400: OpenApiResponse(
                ReadyRefusalSerializer, description="Refused: the reasons and the open steps."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def ready(self, request: Request, uuid: str) -> Response:
        """Mark the case ready to travel. Refused (400, with the open steps) while a
        travelling member's required step is open, unless a supervisor gives a reason."""
        case = rep_sel.case_get(self.user, uuid)
        data = self.validated(ReadySerializer)
        try:
            case = rep_services.case_mark_ready(
                actor=self.user, case=case, override_reason=data["override_reason"]
            )
        except DjangoValidationError as exc:
            body: dict[str, Any] = service_errors(exc)
            open_steps = _open_steps(case)
            if open_steps:
                body["open_steps"] = open_steps
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return self.show(rep_sel.case_get(self.user, case.uuid))


class StepDetailSerializer(Masked, serializers.ModelSerializer[CaseStep]):
    """One checklist step, with the member it belongs to (its ETag guards its update)."""

    member: serializers.SlugRelatedField[Any] = SlugReference(slug_field="uuid", read_only=True)

    class Meta:
        model = CaseStep
        fields = [
            "uuid",
            "member",
            "code",
            "label",
            "required",
            "status",
            "blocker",
            "since",
            "note",
            "waived_reason",
            "updated_at",
        ]
        read_only_fields = fields


# The statuses a caseworker records, as on the step's form; waiving is a supervisor's.
STEP_STATUSES = [
    (s.value, s.label)
    for s in (CaseStep.Status.PENDING, CaseStep.Status.DONE, CaseStep.Status.BLOCKED)
]


class StepUpdateSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=STEP_STATUSES)
    blocker = serializers.CharField(
        max_length=500,  # CaseStep.blocker's, as on the step's form
        required=False,
        allow_blank=True,
        default="",
        help_text="What blocks the step; required when blocked.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    since = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Today when left out."
    )


class WaiveSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500)


class CaseStepViewSet(ScopedViewSet):
    """One step of a case's checklist (case.view; reading it reads the member's file).
    Progress is recorded with ``update`` (case.edit), a waiver by a supervisor
    (case.approve); both need If-Match with the step's ETag."""

    queryset = CaseStep.objects.none()
    action_caps = {
        "retrieve": Cap.CASE_VIEW,
        "progress": Cap.CASE_EDIT,
        "waive": Cap.CASE_APPROVE,
    }
    serializer_class = StepDetailSerializer

    def retrieve(self, request: Request, uuid: str) -> Response:
        step = rep_sel.step_get(self.user, uuid)
        _read_person(self.user, step.member.person)
        return self.show(step)

    @extend_schema(
        request=StepUpdateSerializer, responses=StepDetailSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, uuid: str) -> Response:
        """Done, pending, or blocked (and by what). A consent step follows the consent
        decisions and is refused here, as on the pages."""
        step = rep_sel.step_get(self.user, uuid)
        data = self.validated(StepUpdateSerializer)
        with self.if_match(step) as step:
            step = rep_services.step_update(actor=self.user, step=step, **data)
        return self.show(rep_sel.step_get(self.user, step.uuid))

    @extend_schema(request=WaiveSerializer, responses=StepDetailSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def waive(self, request: Request, uuid: str) -> Response:
        """A supervisor's decision that the step is not needed, with a reason."""
        step = rep_sel.step_get(self.user, uuid)
        data = self.validated(WaiveSerializer)
        with self.if_match(step) as step:
            step = rep_services.step_waive(actor=self.user, step=step, reason=data["reason"])
        return self.show(rep_sel.step_get(self.user, step.uuid))


# --- operations ---------------------------------------------------------------------------


class TravellerSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField()
    person = serializers.UUIDField()
    case = serializers.UUIDField()
    case_reference = serializers.CharField()
    minor = serializers.BooleanField()
    unaccompanied = serializers.BooleanField(
        help_text="A child with no mother or guardian on board."
    )
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Required steps still open, with blockers."
    )
    outcome = serializers.CharField(help_text="Once arrived: boarded, held back, ...")


class SplitSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField(help_text="The traveller.")
    relative = serializers.UUIDField(help_text="The relative left behind.")
    relation = serializers.CharField()
    joinable_case = serializers.UUIDField(
        allow_null=True, help_text="A ready case of the relative's that would close the split."
    )


class ManifestSerializer(serializers.Serializer[Any]):
    seats = serializers.IntegerField()
    over_capacity = serializers.IntegerField()
    women = serializers.IntegerField()
    children = serializers.IntegerField()
    with_missing_items = serializers.IntegerField()
    can_confirm = serializers.BooleanField()
    travellers = TravellerSerializer(many=True)
    splits = SplitSerializer(many=True)
    withheld = serializers.IntegerField(
        help_text="Travellers another team of the agency holds (need-to-know): counted in"
        " the seats, not listed; a supervisor reads them."
    )
    whole = serializers.BooleanField(
        help_text="Nothing is withheld: the reader may change and export the operation."
    )


def manifest_of(user: User, operation: Operation) -> tuple[dict[str, Any], list[Person]]:
    """The manifest as the operation's page shows it to this reader: the frozen lines once
    confirmed (with today's flags), else the travellers computed from its cases; what
    another team holds is counted, not listed (``ops_sel.manifest_seen_by``)."""
    m = ops_sel.manifest_seen_by(user, operation)
    flags = {t.person.pk: t for t in m.travellers}
    lines, lines_withheld = ops_sel.lines_seen_by(user, operation)
    frozen = bool(lines or lines_withheld)
    travellers: list[dict[str, Any]] = []
    if frozen:
        for line in lines:
            t = flags.get(line.person_id)
            travellers.append(
                {
                    "position": line.position,
                    "person": line.person.uuid,
                    "case": line.case.uuid,
                    "case_reference": line.case.reference,
                    "minor": t.minor if t else False,
                    "unaccompanied": t.unaccompanied if t else False,
                    "missing": t.missing if t else [],
                    "outcome": line.outcome,
                }
            )
    else:
        for t in m.travellers:
            travellers.append(
                {
                    "position": t.position,
                    "person": t.person.uuid,
                    "case": t.case.uuid,
                    "case_reference": t.case.reference,
                    "minor": t.minor,
                    "unaccompanied": t.unaccompanied,
                    "missing": t.missing,
                    "outcome": "",
                }
            )
    data = {
        "seats": m.seats,
        "over_capacity": m.over_capacity,
        "women": m.women,
        "children": m.children,
        "with_missing_items": m.with_missing_items,
        "can_confirm": m.can_confirm and operation.is_planned,
        "withheld": lines_withheld if frozen else len(m.withheld),
        "whole": m.whole and not lines_withheld,
        "cases": [c.uuid for c in m.cases],
        "travellers": travellers,
        "splits": [
            {
                "person": s.traveller.person.uuid,
                "relative": s.relative.uuid,
                "relation": s.relation,
                "joinable_case": s.joinable_case.uuid if s.joinable_case else None,
            }
            for s in m.splits
        ],
    }
    return data, [line.person for line in lines] or [t.person for t in m.travellers]


class OperationListSerializer(Masked, serializers.ModelSerializer[Operation]):
    from_country: serializers.SlugRelatedField[Any] = SlugReference(
        slug_field="iso2", read_only=True
    )
    to_country: serializers.SlugRelatedField[Any] = SlugReference(slug_field="iso2", read_only=True)

    class Meta:
        model = Operation
        fields = [
            "uuid",
            "kind",
            "label",
            "planned_on",
            "from_country",
            "handover_point",
            "to_country",
            "arrival_point",
            "capacity",
            "status",
            "confirmed_at",
            "arrived_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OperationSerializer(OperationListSerializer):
    """One operation with its cases and manifest; reading it reads every traveller."""

    cases = serializers.SerializerMethodField()
    manifest = serializers.SerializerMethodField()

    class Meta(OperationListSerializer.Meta):
        fields = [*OperationListSerializer.Meta.fields, "escorts", "cases", "manifest"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_cases(self, obj: Operation) -> list[str]:
        """The cases on the operation that the reader may see (``manifest_of``)."""
        return [str(uuid) for uuid in self.context["manifest"]["cases"]]

    @extend_schema_field(ManifestSerializer)
    def get_manifest(self, obj: Operation) -> Any:
        return ManifestSerializer(self.context["manifest"]).data


class AddCaseSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField(help_text="A ready case of the agency on no other operation.")


class RemoveCaseSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField(help_text="A case on this planned operation.")


class CancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500, help_text="Why the operation is called off.")


class OperationWriteSerializer(serializers.ModelSerializer[Operation]):
    """Plan an operation, or change a planned one; its cases have their own commands."""

    from_country: serializers.SlugRelatedField[Any] = SlugReference(
        slug_field="iso2", queryset=Country.objects.all(), help_text="The host country (ISO)."
    )
    to_country: serializers.SlugRelatedField[Any] = SlugReference(
        slug_field="iso2", queryset=Country.objects.all(), help_text="The home country (ISO)."
    )
    capacity = serializers.IntegerField(
        min_value=1, max_value=2000, help_text="Seats for returnees; escorts are not counted."
    )

    class Meta:
        model = Operation
        fields = list(ops_services.OP_FIELDS)


class OperationViewSet(ScopedViewSet):
    """Flights and convoys (operation.view); adding a ready case and confirming the
    manifest (operation.edit) go through the operations services and their rules."""

    queryset = Operation.objects.none()
    action_caps = {
        "list": Cap.OPERATION_VIEW,
        "retrieve": Cap.OPERATION_VIEW,
        "create": Cap.OPERATION_EDIT,
        "update": Cap.OPERATION_EDIT,
        "partial_update": Cap.OPERATION_EDIT,
        "add_case": Cap.OPERATION_EDIT,
        "remove_case": Cap.OPERATION_EDIT,
        "confirm": Cap.OPERATION_EDIT,
        "cancel": Cap.OPERATION_EDIT,
    }
    serializer_class = OperationSerializer

    @extend_schema(request=OperationWriteSerializer, responses={201: OperationSerializer})
    def create(self, request: Request) -> Response:
        """Plan a flight or convoy; cases are put on it with ``cases``."""
        data = self.validated(OperationWriteSerializer)
        op = ops_services.operation_create(actor=self.user, data=ops_services.OperationData(**data))
        return self._shown(ops_sel.operation_get(self.user, op.uuid), status.HTTP_201_CREATED)

    @extend_schema(request=OperationWriteSerializer, parameters=[IF_MATCH])
    def update(self, request: Request, uuid: str, partial: bool = False) -> Response:
        """Change a planned operation; a smaller capacity must still hold its travellers."""
        op = ops_sel.operation_whole(self.user, uuid)
        data = self.validated(OperationWriteSerializer, partial=partial)
        with self.if_match(op) as op:
            current = {f: getattr(op, f) for f in ops_services.OP_FIELDS}
            op = ops_services.operation_update(
                actor=self.user,
                operation=op,
                data=ops_services.OperationData(**{**current, **data}),
            )
        return self._shown(ops_sel.operation_get(self.user, op.uuid))

    @extend_schema(request=OperationWriteSerializer, parameters=[IF_MATCH])
    def partial_update(self, request: Request, uuid: str) -> Response:
        return self.update(request, uuid, partial=True)

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=Operation.State.values)],
        responses=OperationListSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        state = _choice_param(request, "status", Operation.State.values)
        return self.page(ops_sel.operations_listed(self.user, state), OperationListSerializer)

    def _shown(self, op: Operation, code: int = status.HTTP_200_OK) -> Response:
        """The operation with its manifest; every traveller's read is audited, as on
        the operation's page."""
        manifest, persons = manifest_of(self.user, op)
        ops_sel.persons_read(self.user, op, persons)
        return self.show(op, code, context={**self.get_serializer_context(), "manifest": manifest})

    def retrieve(self, request: Request, uuid: str) -> Response:
        return self._shown(ops_sel.operation_get(self.user, uuid))

    @extend_schema(
        request=AddCaseSerializer,
        responses={201: OperationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="cases", url_name="cases")
    def add_case(self, request: Request, uuid: str) -> Response:
        """Put a ready case on the planned operation; refused (400, with the reasons) when
        the seats do not hold it or a family would be split."""
        op = ops_sel.operation_whole(self.user, uuid)
        data = self.validated(AddCaseSerializer)
        try:
            case = ops_sel.case_for_operation(self.user, data["case"])
        except Http404 as exc:
            raise serializers.ValidationError({"case": [_("No such case.")]}) from exc
        ops_services.operation_case_add(actor=self.user, operation=op, case=case)
        return self._shown(ops_sel.operation_get(self.user, uuid), status.HTTP_201_CREATED)

    @extend_schema(request=RemoveCaseSerializer, responses=OperationSerializer)
    @action(detail=True, methods=["post"], url_path="remove-case", url_name="remove_case")
    def remove_case(self, request: Request, uuid: str) -> Response:
        """Take a case off the planned operation; it stays ready for another one."""
        op = ops_sel.operation_whole(self.user, uuid)
        data = self.validated(RemoveCaseSerializer)
        try:
            case = rep_sel.case_get(self.user, data["case"])
        except Http404 as exc:
            raise serializers.ValidationError({"case": [_("No such case.")]}) from exc
        ops_services.operation_case_remove(actor=self.user, operation=op, case=case)
        return self._shown(ops_sel.operation_get(self.user, uuid))

    @extend_schema(request=CancelSerializer, responses=OperationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, uuid: str) -> Response:
        """Call the operation off; its scheduled cases are ready again for another one."""
        op = ops_sel.operation_whole(self.user, uuid)
        data = self.validated(CancelSerializer)
        ops_services.operation_cancel(actor=self.user, operation=op, reason=data["reason"])
        return self._shown(ops_sel.operation_get(self.user, uuid))

    @extend_schema(request=None, responses=OperationSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, uuid: str) -> Response:
        """Freeze the manifest; refused (400, every reason) while a family would be split,
        the seats do not hold everyone, or unaccompanied children have no named escorts."""
        op = ops_sel.operation_whole(self.user, uuid)
        ops_services.operation_confirm(actor=self.user, operation=op)
        return self._shown(ops_sel.operation_get(self.user, uuid))
