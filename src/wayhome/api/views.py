"""The REST API, version 1: one set of rules with the pages.

Each action declares its capability (``action_caps``, checked and audited by
``permissions.HasCapability`` from the same ``Cap`` table); rows come from the same
scoped selectors, so another agency's id is 404; writes go through the same services, so
validation, consent and audit are identical; reading a person's record is audited like
opening their page. Updates need ``If-Match`` with the ETag last read (428 without it,
412 when someone else changed the record since), checked under a row lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from django.core.validators import ProhibitNullCharactersValidator
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.accounts.scope import assignment_filter
from wayhome.api import serializers as ser
from wayhome.api.errors import PreconditionFailed, PreconditionRequired
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.core.forms import error_text
from wayhome.core.fuzzydate import FuzzyDate, FuzzyDateError, Precision
from wayhome.core.middleware import holding_nul
from wayhome.people import selectors as people_sel
from wayhome.people import services as people_services
from wayhome.people.forms import BirthFieldsMixin
from wayhome.people.models import Person, PersonName, Relationship, Status
from wayhome.places.models import Facility, Region
from wayhome.tracing import selectors as tracing_sel
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import InformationReport, TracingRequest, Whereabouts

M = TypeVar("M", bound=models.Model)


class Cursor(CursorPagination):
    """Cursor pages: stable under inserts and cheap at any depth over a million rows.
    The cursor is opaque and positions by creation time, never by a sequential id."""

    ordering = ("created_at",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request: Request) -> Any:
        """A cursor that is not one of ours is the caller's mistake (400), not a
        missing page (DRF answers 404)."""
        try:
            return super().decode_cursor(request)
        except NotFound as exc:
            raise serializers.ValidationError({"cursor": [_("This cursor is not valid.")]}) from exc


# --- ETags and If-Match ---------------------------------------------------------------------


def etag_of(obj: models.Model) -> str:
    """The record's version as an ETag: its ``version`` when it has one, else its last
    change time (records without a version change rarely and only through services)."""
    version = getattr(obj, "version", None)
    if version is not None:
        return f'"{version}"'
    updated = cast(Any, obj).updated_at
    return f'"t{int(updated.timestamp() * 1_000_000):x}"'


def _tags(header: str) -> list[str]:
    return [t.strip().removeprefix("W/") for t in header.split(",") if t.strip()]


def check_if_match(request: Request, obj: M) -> M:
    """Lock the record's row for the rest of the transaction and compare it with the
    request's If-Match; return the locked, fresh row. Views use ``ScopedViewSet.if_match``,
    which opens the transaction this needs."""
    header = request.headers.get("If-Match", "")
    if not header.strip():
        raise PreconditionRequired
    fresh: M = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    tags = _tags(header)
    if "*" not in tags and etag_of(fresh) not in tags:
        raise PreconditionFailed
    return fresh


def _with_etag(response: Response, obj: models.Model) -> Response:
    response["ETag"] = etag_of(obj)
    return response


def _expected_version(request: Request) -> int | None:
    """The version an If-Match names, for services that check it themselves too."""
    tags = _tags(request.headers.get("If-Match", ""))
    for tag in tags:
        digits = tag.strip('"')
        if digits.isdigit():
            return int(digits)
    return None


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the record as last read; 428 without it, 412 if it is stale.",
)


def _uuid_param(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, uuid.UUID, OpenApiParameter.QUERY, description=description)


def _optional_uuid(request: Request, name: str) -> uuid.UUID | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise serializers.ValidationError({name: [_("Not a valid UUID.")]}) from exc


def _choice_param(request: Request, name: str, choices: list[str]) -> str:
    value = request.query_params.get(name, "").strip()
    if value and value not in choices:
        raise serializers.ValidationError({name: [_("Not one of the allowed values.")]})
    return value


def _birth(data: dict[str, Any]) -> FuzzyDate:
    """The birth date the request's flat fields describe, at its precision."""
    precision = Precision(data.get("birth_precision") or Precision.UNKNOWN.value)
    parts = {arg: data.get(name) for arg, name in BirthFieldsMixin.BIRTH_PARTS[precision].items()}
    try:
        return FuzzyDate(precision, **parts)
    except FuzzyDateError as exc:
        raise serializers.ValidationError({"birth_precision": [error_text(exc)]}) from exc


def _read_person(user: User, person: Person) -> None:
    """Reading a person's data through the API is audited like opening their page."""
    audit_record(actor=user, action=AuditEvent.Action.VIEW, obj=person, person_uuid=person.uuid)


# --- the base -----------------------------------------------------------------------------


class ScopedViewSet(viewsets.GenericViewSet[Any]):
    """Capabilities per action, uuids in URLs, selectors for rows."""

    action_caps: dict[str, Cap] = {}
    lookup_field = "uuid"
    lookup_value_converter = "str"
    pagination_class = Cursor

    @property
    def user(self) -> User:
        return cast(User, self.request.user)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """DRF's checks (authentication, capabilities, throttles), then the query: a
        parameter holding a NUL character is refused with a 400 naming it, as a body
        field holding one is (DRF's CharField). PostgreSQL cannot compare text holding
        NUL, so a search for one reached the database and answered 500 (schemathesis
        found it on the tracing requests' ``q``)."""
        super().initial(request, *args, **kwargs)
        if refused := holding_nul(request.query_params):
            message = str(ProhibitNullCharactersValidator.message)
            raise serializers.ValidationError({name: [message] for name in refused})

    def validated(self, serializer_class: type[Any], partial: bool = False, **kw: Any) -> Any:
        s = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context(), **kw
        )
        s.is_valid(raise_exception=True)
        return s.validated_data

    def page(self, qs: QuerySet[Any], serializer_class: type[Any]) -> Response:
        rows = self.paginate_queryset(qs)
        data = serializer_class(rows, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @contextmanager
    def if_match(self, obj: M) -> Iterator[M]:
        """The one way an update meets If-Match: a transaction whose first step locks
        ``obj``'s row and compares it with the request's If-Match (428 without one, 412
        when stale); the block gets the locked, fresh row and writes in the same
        transaction, so a save racing in between is refused rather than overwritten."""
        with transaction.atomic():
            yield check_if_match(self.request, obj)

    def show(
        self,
        obj: models.Model,
        code: int = status.HTTP_200_OK,
        serializer: type[Any] | None = None,
        **kw: Any,
    ) -> Response:
        """The record with its ETag, through the view's serializer or ``serializer``."""
        if serializer is not None:
            kw.setdefault("context", self.get_serializer_context())
            data = serializer(obj, **kw).data
        else:
            data = self.get_serializer(obj, **kw).data
        return _with_etag(Response(data, status=code), obj)


# --- persons ------------------------------------------------------------------------------


PERSON_FILTERS = [
    OpenApiParameter("q", str, description="Name search, any script (3+ letters: anywhere)."),
    OpenApiParameter("status", str, enum=Status.values, description="Current status."),
    _uuid_param("facility", "Current facility."),
    _uuid_param("region", "Home region."),
    OpenApiParameter("sex", str, enum=["F", "M", "U"]),
]


class PersonViewSet(ScopedViewSet):
    """Persons of the client's agency. Reading one is recorded in the audit trail; a
    record merged into another answers with the surviving one."""

    queryset = Person.objects.none()  # for the schema only: rows come from selectors
    action_caps = {
        "list": Cap.PERSON_VIEW,
        "retrieve": Cap.PERSON_VIEW,
        "create": Cap.PERSON_EDIT,
        "update": Cap.PERSON_EDIT,
        "partial_update": Cap.PERSON_EDIT,
        "names.get": Cap.PERSON_VIEW,
        "names.post": Cap.PERSON_EDIT,
    }
    serializer_class = ser.PersonSerializer

    def get_serializer_class(self) -> type[Any]:
        if self.action == "list":
            return ser.PersonListSerializer
        if self.action == "names":
            return ser.NameSerializer
        return ser.PersonSerializer

    @extend_schema(parameters=PERSON_FILTERS, responses=ser.PersonListSerializer(many=True))
    def list(self, request: Request) -> Response:
        facility = _optional_uuid(request, "facility")
        region = _optional_uuid(request, "region")
        filters = people_sel.PersonFilters(
            q=request.query_params.get("q", "")[:200],
            status=_choice_param(request, "status", Status.values),
            sex=_choice_param(request, "sex", ["F", "M", "U"]),
            facility=Facility.objects.filter(uuid=facility).first() if facility else None,
            home_region=Region.objects.filter(uuid=region).first() if region else None,
        )
        if (facility and filters.facility is None) or (region and filters.home_region is None):
            qs: QuerySet[Person] = Person.objects.none()
        else:
            qs = people_sel.persons_filtered(self.user, filters)
        qs = qs.select_related("current_facility", "home_region", "birth_country")
        return self.page(qs.prefetch_related("names"), ser.PersonListSerializer)

    def retrieve(self, request: Request, uuid: str) -> Response:
        person = people_sel.person_read(self.user, uuid)
        return self.show(person)

    def create(self, request: Request) -> Response:
        data = self.validated(ser.PersonSerializer)
        names = data.get("names") or []
        if not names:
            raise serializers.ValidationError({"names": [_("A person needs at least one name.")]})
        person = people_services.person_create(
            actor=self.user,
            names=[people_services.NameData(**n) for n in names],
            sex=data["sex"],
            birth=_birth(data),
            birth_place=data.get("birth_place", ""),
            birth_country=data.get("birth_country"),
            home_region=data.get("home_region"),
            notes=data.get("notes", ""),
        )
        return self.show(Person.objects.get(pk=person.pk), status.HTTP_201_CREATED)

    @extend_schema(parameters=[IF_MATCH])
    def update(self, request: Request, uuid: str, partial: bool = False) -> Response:
        person = people_sel.person_get(self.user, uuid)
        data = self.validated(ser.PersonSerializer, partial=partial)
        if "names" in data:
            raise serializers.ValidationError(
                {"names": [_("Change names through /api/v1/names/ and /persons/{uuid}/names/.")]}
            )
        with self.if_match(person) as person:
            merged = {
                "sex": person.sex,
                "birth_precision": person.birth_precision,
                "birth_year": person.birth_year,
                "birth_month": person.birth_month,
                "birth_day": person.birth_day,
                "birth_age_years": person.birth_age_years,
                "birth_age_as_of": person.birth_age_as_of,
                "birth_place": person.birth_place,
                "birth_country": person.birth_country,
                "home_region": person.home_region,
                "notes": person.notes,
                **data,
            }
            person = people_services.person_update(
                actor=self.user,
                person=person,
                sex=merged["sex"],
                birth=_birth(merged),
                birth_place=merged["birth_place"],
                birth_country=merged["birth_country"],
                home_region=merged["home_region"],
                notes=merged["notes"],
                expected_version=_expected_version(request),
            )
        return self.show(Person.objects.get(pk=person.pk))

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request: Request, uuid: str) -> Response:
        return self.update(request, uuid, partial=True)

    @extend_schema(methods=["GET"], responses=ser.NameSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ser.NameSerializer, responses={201: ser.NameSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def names(self, request: Request, uuid: str) -> Response:
        """A person's names (GET, an audited read of the person), or add one (POST)."""
        person = people_sel.person_get(self.user, uuid)
        if request.method == "GET":
            _read_person(self.user, person)
            return Response(
                ser.NameSerializer(
                    person.names.all(), many=True, context=self.get_serializer_context()
                ).data
            )
        data = self.validated(ser.NameSerializer)
        name = people_services.name_add(
            actor=self.user, person=person, data=people_services.NameData(**data)
        )
        return self.show(name, status.HTTP_201_CREATED)


class NameViewSet(ScopedViewSet):
    """One name of a person, in any script; reading it is a read of the person."""

    queryset = PersonName.objects.none()
    action_caps = {
        "retrieve": Cap.PERSON_VIEW,
        "update": Cap.PERSON_EDIT,
        "partial_update": Cap.PERSON_EDIT,
        "destroy": Cap.PERSON_EDIT,
    }
    serializer_class = ser.NameSerializer

    def retrieve(self, request: Request, uuid: str) -> Response:
        name = people_sel.name_get(self.user, uuid)
        _read_person(self.user, name.person)
        return self.show(name)

    @extend_schema(parameters=[IF_MATCH])
    def update(self, request: Request, uuid: str, partial: bool = False) -> Response:
        name = people_sel.name_get(self.user, uuid)
        data = self.validated(ser.NameSerializer, partial=partial)
        with self.if_match(name) as name:
            current = {f: getattr(name, f) for f in people_services.NAME_FIELDS}
            name = people_services.name_update(
                actor=self.user,
                name=name,
                data=people_services.NameData(**{**current, **data}),
            )
        return self.show(name)

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request: Request, uuid: str) -> Response:
        return self.update(request, uuid, partial=True)

    @extend_schema(parameters=[IF_MATCH], responses={204: None})
    def destroy(self, request: Request, uuid: str) -> Response:
        name = people_sel.name_get(self.user, uuid)
        with self.if_match(name) as name:
            people_services.name_remove(actor=self.user, name=name)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- relationships ------------------------------------------------------------------------


class RelationshipViewSet(ScopedViewSet):
    """Directed family links: from_person is the <kind> of to_person."""

    queryset = Relationship.objects.none()
    action_caps = {
        "list": Cap.PERSON_VIEW,
        "retrieve": Cap.PERSON_VIEW,
        "create": Cap.PERSON_EDIT,
        "destroy": Cap.PERSON_EDIT,
    }
    serializer_class = ser.RelationshipSerializer

    @extend_schema(parameters=[_uuid_param("person", "Links from or to this person.")])
    def list(self, request: Request) -> Response:
        if not self.user.has_cap(Cap.PERSON_VIEW):  # pragma: no cover (the gate refused)
            raise Http404
        qs = Relationship.objects.filter(
            assignment_filter(self.user, "from_person__"),
            assignment_filter(self.user, "to_person__"),
            agency_id=self.user.agency_key,
        )  # both ends visible, as relationship_get (need-to-know by team)
        person = _optional_uuid(request, "person")
        if person is not None:
            qs = qs.filter(models.Q(from_person__uuid=person) | models.Q(to_person__uuid=person))
        return self.page(qs.select_related("from_person", "to_person"), ser.RelationshipSerializer)

    def retrieve(self, request: Request, uuid: str) -> Response:
        rel = people_sel.relationship_get(self.user, uuid)
        _read_person(self.user, rel.from_person)
        return self.show(rel)

    def create(self, request: Request) -> Response:
        data = self.validated(ser.RelationshipSerializer)
        rel = people_services.relationship_create(
            actor=self.user,
            from_person=data["from_person"],
            to_person=data["to_person"],
            kind=data["kind"],
            is_current=data.get("is_current", True),
            notes=data.get("notes", ""),
        )
        return self.show(rel, status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, uuid: str) -> Response:
        rel = people_sel.relationship_get(self.user, uuid)
        people_services.relationship_remove(actor=self.user, relationship=rel)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- information reports --------------------------------------------------------------------


class ReportViewSet(ScopedViewSet):
    """Information reports: the sources every whereabouts entry cites."""

    queryset = InformationReport.objects.none()
    action_caps = {
        "list": Cap.PERSON_VIEW,
        "retrieve": Cap.PERSON_VIEW,
        "create": Cap.PERSON_EDIT,
        "update": Cap.PERSON_EDIT,
        "partial_update": Cap.PERSON_EDIT,
    }
    serializer_class = ser.ReportSerializer

    @extend_schema(
        parameters=[
            _uuid_param("person", "Reports concerning this person."),
            OpenApiParameter("channel", str, enum=InformationReport.Channel.values),
        ]
    )
    def list(self, request: Request) -> Response:
        qs = tracing_sel.reports_visible_to(self.user)
        person = _optional_uuid(request, "person")
        if person is not None:
            qs = qs.filter(persons__uuid=person)
        channel = _choice_param(request, "channel", InformationReport.Channel.values)
        if channel:
            qs = qs.filter(channel=channel)
        return self.page(qs.prefetch_related("persons"), ser.ReportSerializer)

    def retrieve(self, request: Request, uuid: str) -> Response:
        return self.show(tracing_sel.report_get(self.user, uuid))

    def create(self, request: Request) -> Response:
        data = self.validated(ser.ReportSerializer)
        report = tracing_services.report_create(
            actor=self.user,
            received_on=data["received_on"],
            channel=data["channel"],
            source=data["source"],
            summary=data["summary"],
            reliability=data.get("reliability", InformationReport.Reliability.UNKNOWN),
            persons=data.get("persons", []),
        )
        return self.show(report, status.HTTP_201_CREATED)

    @extend_schema(parameters=[IF_MATCH])
    def update(self, request: Request, uuid: str, partial: bool = False) -> Response:
        report = tracing_sel.report_get(self.user, uuid)
        data = self.validated(ser.ReportSerializer, partial=partial)
        with self.if_match(report) as report:
            current: dict[str, Any] = {
                f: getattr(report, f)
                for f in ("received_on", "channel", "source", "summary", "reliability")
            }
            current["persons"] = list(report.persons.all())
            merged = {**current, **data}
            report = tracing_services.report_update(actor=self.user, report=report, **merged)
        return self.show(InformationReport.objects.get(pk=report.pk))

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request: Request, uuid: str) -> Response:
        return self.update(request, uuid, partial=True)


# --- whereabouts ------------------------------------------------------------------------------


class WhereaboutsViewSet(ScopedViewSet):
    """Whereabouts timelines: entries are added or retracted with a reason, never edited."""

    queryset = Whereabouts.objects.none()
    action_caps = {
        "list": Cap.PERSON_VIEW,
        "retrieve": Cap.PERSON_VIEW,
        "create": Cap.PERSON_EDIT,
        "retract": Cap.PERSON_EDIT,
    }
    serializer_class = ser.WhereaboutsSerializer

    @extend_schema(
        parameters=[
            _uuid_param("person", "One person's timeline."),
            OpenApiParameter("status", str, enum=Status.values),
            _uuid_param("facility", "Entries at this facility."),
            OpenApiParameter("retracted", bool, description="Include retracted entries."),
        ]
    )
    def list(self, request: Request) -> Response:
        qs = tracing_sel.whereabouts_visible_to(self.user)
        person = _optional_uuid(request, "person")
        if person is not None:
            qs = qs.filter(person__uuid=person)
        facility = _optional_uuid(request, "facility")
        if facility is not None:
            qs = qs.filter(facility__uuid=facility)
        wanted = _choice_param(request, "status", Status.values)
        if wanted:
            qs = qs.filter(status=wanted)
        if request.query_params.get("retracted", "").lower() not in ("1", "true", "yes"):
            qs = qs.filter(retracted_at__isnull=True)
        qs = qs.select_related("person", "facility", "country").prefetch_related("reports")
        return self.page(qs, ser.WhereaboutsSerializer)

    def retrieve(self, request: Request, uuid: str) -> Response:
        entry = tracing_sel.entry_get(self.user, uuid)
        _read_person(self.user, entry.person)
        return self.show(entry)

    def create(self, request: Request) -> Response:
        data = self.validated(ser.WhereaboutsSerializer)
        entry = tracing_services.whereabouts_add(
            actor=self.user,
            person=data["person"],
            entry=tracing_services.EntryData(
                status=data["status"],
                start_date=data["start_date"],
                start_precision=data.get("start_precision", "exact"),
                end_date=data.get("end_date"),
                facility=data.get("facility"),
                country=data.get("country"),
                location=data.get("location", ""),
                notes=data.get("notes", ""),
            ),
            reports=data["reports"],
        )
        return self.show(entry, status.HTTP_201_CREATED)

    @extend_schema(request=ser.RetractSerializer, responses=ser.WhereaboutsSerializer)
    @action(detail=True, methods=["post"])
    def retract(self, request: Request, uuid: str) -> Response:
        """Mark an entry as wrong, with a reason; it stays in the history."""
        entry = tracing_sel.entry_get(self.user, uuid)
        data = self.validated(ser.RetractSerializer)
        entry = tracing_services.whereabouts_retract(
            actor=self.user, entry=entry, reason=data["reason"]
        )
        return self.show(entry)


# --- tracing requests ----------------------------------------------------------------------


class TracingRequestViewSet(ScopedViewSet):
    """Tracing requests, their inquirer and the persons sought (tracing.view and
    tracing.edit). Reading one is audited: it holds a relative's contact details."""

    queryset = TracingRequest.objects.none()
    action_caps = {
        "list": Cap.TRACING_VIEW,
        "retrieve": Cap.TRACING_VIEW,
        "create": Cap.TRACING_EDIT,
        "update": Cap.TRACING_EDIT,
        "partial_update": Cap.TRACING_EDIT,
        "transition": Cap.TRACING_EDIT,
    }
    serializer_class = ser.TracingRequestSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=TracingRequest.State.values),
            OpenApiParameter("q", str, description="Reference or inquirer's name."),
        ],
        responses=ser.TracingRequestListSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        qs = tracing_sel.requests_filtered(
            self.user,
            status=_choice_param(request, "status", TracingRequest.State.values),
            q=request.query_params.get("q", "")[:200],
        )
        return self.page(
            qs.prefetch_related("sought_links__person"), ser.TracingRequestListSerializer
        )

    def retrieve(self, request: Request, uuid: str) -> Response:
        obj = tracing_sel.request_get(self.user, uuid)
        # It names the persons sought and a relative's contact details: audited.
        audit_record(actor=self.user, action=AuditEvent.Action.VIEW, obj=obj)
        return self.show(obj)

    def _data(self, data: dict[str, Any]) -> tracing_services.RequestData:
        return tracing_services.RequestData(
            received_on=data["received_on"],
            consent_share=data.get("consent_share", False),
            consent_method="other",
            last_known=data.get("last_known", ""),
            last_known_place=data.get("last_known_place", ""),
            last_known_date=data.get("last_known_date"),
            last_known_precision=data.get("last_known_precision", "unknown"),
            assigned_to=data.get("assigned_to"),
        )

    @staticmethod
    def _sought(data: dict[str, Any]) -> dict[str, Any]:
        return {
            "sought": [
                tracing_services.SoughtLink(person=s["person"], relation=s.get("relation", ""))
                for s in data.get("sought_links", [])
            ],
            "new_sought": [tracing_services.NewSought(**s) for s in data.get("new_sought", [])],
        }

    def create(self, request: Request) -> Response:
        data = self.validated(ser.TracingRequestSerializer)
        new = data.get("new_inquirer")
        obj = tracing_services.request_create(
            actor=self.user,
            data=self._data(data),
            inquirer=data.get("inquirer_uuid"),
            new_inquirer=tracing_services.InquirerData(**new) if new else None,
            **self._sought(data),
        )
        return self.show(obj, status.HTTP_201_CREATED)

    @extend_schema(parameters=[IF_MATCH])
    def update(self, request: Request, uuid: str, partial: bool = False) -> Response:
        obj = tracing_sel.request_get(self.user, uuid)
        data = self.validated(ser.TracingRequestSerializer, partial=partial)
        if data.get("inquirer_uuid") or data.get("new_inquirer"):
            raise serializers.ValidationError(
                {"inquirer_uuid": [_("The inquirer of a request cannot be changed.")]}
            )
        with self.if_match(obj) as obj:
            current: dict[str, Any] = {f: getattr(obj, f) for f in tracing_services.REQUEST_FIELDS}
            current["sought_links"] = [
                {"person": link.person, "relation": link.relation_to_inquirer}
                for link in obj.sought_links.select_related("person")
            ]
            merged = {**current, **data}
            obj = tracing_services.request_update(
                actor=self.user,
                request=obj,
                data=self._data(merged),
                expected_version=_expected_version(request),
                **self._sought(merged),
            )
        return self.show(obj)

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request: Request, uuid: str) -> Response:
        return self.update(request, uuid, partial=True)

    @extend_schema(
        request=ser.TransitionSerializer,
        responses=ser.TracingRequestSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, uuid: str) -> Response:
        """Move the request open → located → closed, or back to open with a reason."""
        obj = tracing_sel.request_get(self.user, uuid)
        data = self.validated(ser.TransitionSerializer)
        with self.if_match(obj) as obj:
            obj = tracing_services.request_transition(
                actor=self.user,
                request=obj,
                to=data["to"],
                on=data.get("on"),
                closure_reason=data.get("closure_reason", ""),
                reason=data.get("reason", ""),
            )
        return self.show(obj)
