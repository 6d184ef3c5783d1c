"""What the API reads and writes. Serializers only shape data: reads come from the scoped
selectors, writes go to the same services as the pages (views.py), so validation, audit
and consent are the pages' own.

Every record reference is a uuid resolved through a selector of the requesting user, so
another agency's id is "does not exist", exactly like an id that exists nowhere.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wayhome.accounts.models import User
from wayhome.api.sensitivity import mask
from wayhome.people import selectors as people_sel
from wayhome.people.models import (
    BIRTH_COLUMNS,
    Person,
    PersonName,
    PrecisionChoice,
    Relationship,
    Sex,
    Status,
)
from wayhome.places.models import Country, Facility, Region
from wayhome.tracing import selectors as tracing_sel
from wayhome.tracing.models import InformationReport, Inquirer, TracingRequest, Whereabouts
from wayhome.tracing.services import ENTRY_PRECISIONS

# Choice sets with their own names in the schema (settings.SPECTACULAR_SETTINGS).
ENTRY_STATUSES = [c for c in Status.choices if c[0] != Status.UNKNOWN]
ENTRY_PRECISION_CHOICES = [c for c in PrecisionChoice.choices if c[0] in ENTRY_PRECISIONS]
LAST_KNOWN_PRECISIONS = [
    c for c in PrecisionChoice.choices if c[0] in ENTRY_PRECISIONS or c[0] == "unknown"
]


def _user(
    serializer: serializers.Field[Any, Any, Any, Any] | serializers.BaseSerializer[Any],
) -> User:
    user: User = serializer.context["request"].user
    return user


class SlugReference(serializers.SlugRelatedField[Any]):
    """A reference by a slug (a uuid, a country code) that refuses a NUL character as an
    invalid value before the lookup: PostgreSQL cannot take one in a query (a 500
    schemathesis found), while DRF's CharField already refuses them."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.UUID)
class ScopedUUIDField(SlugReference):
    """A reference by uuid, looked up only among the rows the user may read."""

    def __init__(self, scope: str, **kwargs: Any) -> None:
        self.scope = scope
        kwargs.setdefault("slug_field", "uuid")
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        user = _user(self)
        qs: QuerySet[Any]
        if self.scope == "persons":
            qs = people_sel.persons_visible_to(user)
        elif self.scope == "reports":
            qs = tracing_sel.reports_visible_to(user)
        elif self.scope == "inquirers":
            qs = tracing_sel.inquirers_visible_to(user)
        elif self.scope == "rule_sets":
            from wayhome.repatriation.selectors import rule_sets_visible_to

            qs = rule_sets_visible_to(user)
        else:
            qs = tracing_sel.colleagues_of(user)
        return qs

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except (TypeError, ValueError, serializers.ValidationError):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:64])

    def to_representation(self, obj: Any) -> Any:
        return str(obj.uuid)


def _reference(model: type[Any], slug: str = "uuid", **kwargs: Any) -> Any:
    """A reference to shared reference data (places): everyone may name them."""
    return SlugReference(
        slug_field=slug, queryset=model.objects.all(), allow_null=True, required=False, **kwargs
    )


class Masked(serializers.Serializer[Any]):
    """A record as the client may read it: fields its role (and the user it acts as) may
    never see are left out; masked text reads "restricted", other masked values null."""

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        return mask(_user(self), type(instance), data, self.fields)


# --- persons and names ----------------------------------------------------------------


class NameSerializer(Masked, serializers.ModelSerializer[PersonName]):
    script = serializers.ChoiceField(
        choices=PersonName._meta.get_field("script").choices,  # type: ignore[arg-type]
        required=False,
        allow_blank=True,
        help_text="Detected from the text when left blank.",
    )

    class Meta:
        model = PersonName
        fields = ("uuid", "kind", "script", "given", "patronymic", "family", "full", "is_primary")
        read_only_fields = ("uuid",)


class PersonSerializer(Masked, serializers.ModelSerializer[Person]):
    birth_country = _reference(Country, "iso2")
    home_region = _reference(Region)
    current_facility: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True, allow_null=True
    )
    names = NameSerializer(many=True, required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    birth_precision = serializers.ChoiceField(
        choices=PrecisionChoice.choices, default=PrecisionChoice.UNKNOWN
    )
    birth_year = serializers.IntegerField(
        min_value=1, max_value=9999, allow_null=True, required=False
    )
    birth_month = serializers.IntegerField(
        min_value=1, max_value=12, allow_null=True, required=False
    )
    birth_day = serializers.IntegerField(min_value=1, max_value=31, allow_null=True, required=False)
    birth_age_years = serializers.IntegerField(
        min_value=0, max_value=150, allow_null=True, required=False
    )

    class Meta:
        model = Person
        fields: tuple[str, ...] = (
            "uuid",
            "display_name",
            "names",
            "sex",
            *BIRTH_COLUMNS,
            "birth_place",
            "birth_country",
            "home_region",
            "notes",
            "current_status",
            "current_facility",
            "current_since",
            "version",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "uuid",
            "display_name",
            "birth_earliest",
            "birth_latest",
            "current_status",
            "current_since",
            "version",
            "created_at",
            "updated_at",
        )
        extra_kwargs = {"notes": {"required": False}, "birth_place": {"required": False}}


class PersonListSerializer(PersonSerializer):
    """A list row: no free-text notes (as the list page), names included."""

    class Meta(PersonSerializer.Meta):
        fields = tuple(f for f in PersonSerializer.Meta.fields if f != "notes")


# --- relationships --------------------------------------------------------------------


class RelationshipSerializer(Masked, serializers.ModelSerializer[Relationship]):
    from_person = ScopedUUIDField("persons", help_text="The elder: PARENT of, GUARDIAN of ...")
    to_person = ScopedUUIDField("persons")

    class Meta:
        model = Relationship
        fields = ("uuid", "from_person", "to_person", "kind", "is_current", "notes", "created_at")
        read_only_fields = ("uuid", "created_at")
        extra_kwargs = {"notes": {"required": False}, "is_current": {"required": False}}


# --- information reports and whereabouts ------------------------------------------------


class ReportSerializer(Masked, serializers.ModelSerializer[InformationReport]):
    persons = ScopedUUIDField("persons", many=True, required=False)

    class Meta:
        model = InformationReport
        fields = (
            "uuid",
            "received_on",
            "channel",
            "source",
            "reliability",
            "summary",
            "persons",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("uuid", "created_at", "updated_at")


class WhereaboutsSerializer(Masked, serializers.ModelSerializer[Whereabouts]):
    person = ScopedUUIDField("persons")
    facility = _reference(Facility)
    country = _reference(Country, "iso2")
    reports = ScopedUUIDField(
        "reports", many=True, help_text="The information reports this entry rests on (one or more)."
    )
    status = serializers.ChoiceField(choices=ENTRY_STATUSES)
    start_precision = serializers.ChoiceField(choices=ENTRY_PRECISION_CHOICES, default="exact")

    class Meta:
        model = Whereabouts
        fields = (
            "uuid",
            "person",
            "status",
            "facility",
            "country",
            "location",
            "start_date",
            "start_precision",
            "end_date",
            "notes",
            "reports",
            "retracted_at",
            "retraction_reason",
            "created_at",
        )
        read_only_fields = ("uuid", "retracted_at", "retraction_reason", "created_at")
        extra_kwargs = {"notes": {"required": False}, "location": {"required": False}}


class RetractSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500)


# --- tracing requests -------------------------------------------------------------------


class InquirerSerializer(Masked, serializers.ModelSerializer[Inquirer]):
    """A relative's details: only for readers of tracing requests (tracing.view)."""

    region = _reference(Region)

    class Meta:
        model = Inquirer
        fields = (
            "uuid",
            "name",
            "relationship",
            "phone",
            "email",
            "address",
            "region",
            "language",
            "consent_contact",
        )
        read_only_fields = ("uuid", "consent_contact")
        extra_kwargs = {
            "relationship": {"required": False},
            "phone": {"required": False},
            "email": {"required": False},
            "address": {"required": False},
        }


class SoughtSerializer(serializers.Serializer[Any]):
    person = ScopedUUIDField("persons")
    relation = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class NewSoughtSerializer(serializers.Serializer[Any]):
    given = serializers.CharField(max_length=100, allow_blank=True, default="")
    family = serializers.CharField(max_length=100, allow_blank=True, default="")
    relation = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True
    )


class TracingRequestSerializer(Masked, serializers.ModelSerializer[TracingRequest]):
    inquirer = InquirerSerializer(read_only=True)
    inquirer_uuid = ScopedUUIDField(
        "inquirers",
        write_only=True,
        required=False,
        allow_null=True,
        help_text="An inquirer already registered; or give new_inquirer.",
    )
    new_inquirer = InquirerSerializer(write_only=True, required=False, allow_null=True)
    sought = serializers.SerializerMethodField()
    sought_links = SoughtSerializer(many=True, write_only=True, required=False)
    new_sought = NewSoughtSerializer(many=True, write_only=True, required=False)
    assigned_to = ScopedUUIDField("colleagues", required=False, allow_null=True)
    closure_reason = serializers.ChoiceField(
        choices=TracingRequest.Closure.choices, read_only=True, allow_blank=True
    )
    last_known_precision = serializers.ChoiceField(choices=LAST_KNOWN_PRECISIONS, default="unknown")

    class Meta:
        model = TracingRequest
        fields = (
            "uuid",
            "reference",
            "status",
            "closure_reason",
            "received_on",
            "located_on",
            "closed_on",
            "consent_share",
            "last_known",
            "last_known_place",
            "last_known_date",
            "last_known_precision",
            "assigned_to",
            "inquirer",
            "inquirer_uuid",
            "new_inquirer",
            "sought",
            "sought_links",
            "new_sought",
            "version",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "uuid",
            "reference",
            "status",
            "closure_reason",
            "located_on",
            "closed_on",
            "version",
            "created_at",
            "updated_at",
        )
        extra_kwargs = {
            "last_known": {"required": False},
            "last_known_place": {"required": False},
            "consent_share": {"required": False},
        }

    @extend_schema_field(SoughtSerializer(many=True))
    def get_sought(self, obj: TracingRequest) -> list[dict[str, str]]:
        # A list prefetches the links with their persons (a query in each row of a page
        # was 50 queries a page); one request reads its own.
        if "sought_links" in getattr(obj, "_prefetched_objects_cache", {}):
            links = sorted(obj.sought_links.all(), key=lambda link: link.pk)
        else:
            links = list(obj.sought_links.select_related("person").order_by("id"))
        return [
            {"person": str(link.person.uuid), "relation": link.relation_to_inquirer}
            for link in links
        ]


class TracingRequestListSerializer(TracingRequestSerializer):
    """A list row: the inquirer by uuid only, never their contact details (as the list page)."""

    inquirer = serializers.SlugRelatedField(slug_field="uuid", read_only=True)  # type: ignore[assignment,var-annotated]


class TransitionSerializer(serializers.Serializer[Any]):
    to = serializers.ChoiceField(choices=TracingRequest.State.choices)
    on = serializers.DateField(required=False, allow_null=True)
    closure_reason = serializers.ChoiceField(
        choices=TracingRequest.Closure.choices, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
