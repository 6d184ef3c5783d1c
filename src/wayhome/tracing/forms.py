"""Forms for reports, whereabouts and tracing requests.

Choices travel as uuids and every queryset is a scoped selector's, so a form can neither
offer nor accept another agency's record. Forms only read input; services write.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wayhome.accounts.models import User
from wayhome.core.versioning import VersionField
from wayhome.people.models import Person, PrecisionChoice, Sex, Status
from wayhome.people.selectors import persons_visible_to
from wayhome.places.models import Country, Facility, Region
from wayhome.protection.models import ConsentEvent
from wayhome.tracing import selectors
from wayhome.tracing.models import InformationReport, Inquirer, TracingRequest
from wayhome.tracing.services import (
    ENTRY_PRECISIONS,
    EntryData,
    InquirerData,
    NewSought,
    ReportData,
    RequestData,
    SoughtLink,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ENTRY_STATUSES = [(v, label) for v, label in Status.choices if v != Status.UNKNOWN]
PRECISIONS = [(v, label) for v, label in PrecisionChoice.choices if v in ENTRY_PRECISIONS]


def _pick(
    queryset: QuerySet[Any], label: str | _StrPromise, required: bool = False
) -> forms.ModelChoiceField[Any]:
    return forms.ModelChoiceField(
        queryset=queryset, to_field_name="uuid", label=label, required=required
    )


class PersonPicker(forms.CheckboxSelectMultiple):
    """Checkboxes for the chosen persons only, and a search box that adds more (htmx).

    Offering every person of the agency as a checkbox would not scale; the search answers
    with a few more checkboxes of the same name (``tracing:person_picker``).
    """

    template_name = "tracing/widgets/person_picker.html"
    with_relation = False
    relations: Mapping[str, str] = {}

    def optgroups(
        self, name: str, value: list[Any], attrs: dict[str, Any] | None = None
    ) -> list[Any]:
        wanted = [str(v) for v in value if v]
        chosen = self.choices.queryset.filter(uuid__in=wanted) if wanted else []  # type: ignore[attr-defined]
        options = []
        for i, person in enumerate(chosen):
            option = self.create_option(
                name, str(person.uuid), person.display_name, True, i, attrs=attrs
            )
            option["relation"] = self.relations.get(str(person.uuid), "")
            options.append(option)
        return [(None, options, 0)]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(with_relation=self.with_relation, relations=self.relations)
        return context


def person_pick_field(
    user: User, label: str | _StrPromise, required: bool = False
) -> forms.ModelMultipleChoiceField[Person]:
    return forms.ModelMultipleChoiceField(
        queryset=persons_visible_to(user),
        to_field_name="uuid",
        label=label,
        required=required,
        widget=PersonPicker,
    )


class ReportFieldsForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=InformationReport.Channel.choices)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Who or what it came from, e.g. 'the mother', 'Ministry list of 12 March'."),
    )
    reliability = forms.ChoiceField(
        label=_("Reliability"),
        choices=InformationReport.Reliability.choices,
        initial=InformationReport.Reliability.UNKNOWN,
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea)

    def report_data(self) -> ReportData:
        d = self.cleaned_data
        return ReportData(
            received_on=d["received_on"],
            channel=d["channel"],
            source=d["source"],
            summary=d["summary"],
            reliability=d["reliability"],
        )


class ReportForm(ReportFieldsForm):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["persons"] = person_pick_field(user, _("Persons concerned"))

    @staticmethod
    def initial_for(report: InformationReport) -> dict[str, Any]:
        return {
            "received_on": report.received_on,
            "channel": report.channel,
            "source": report.source,
            "reliability": report.reliability,
            "summary": report.summary,
            "persons": [str(u) for u in report.persons.values_list("uuid", flat=True)],
        }


class NewReportForm(ReportFieldsForm):
    """A report entered together with a whereabouts entry; used only when ticked."""

    use = forms.BooleanField(label=_("Enter a new report for this entry"), required=False)
    field_order = ["use"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        if not (self.data.get(self.add_prefix("use")) if self.is_bound else False):
            for field in self.fields.values():
                field.required = False

    def wanted(self) -> ReportData | None:
        return self.report_data() if self.cleaned_data.get("use") else None


class ReportChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Reports offered as sources, labelled so a caseworker can tell them apart."""

    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.received_on:%Y-%m-%d} · {obj.get_channel_display()} · {obj.source} "
            f"({obj.get_reliability_display()})"
        )


class WhereaboutsForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ENTRY_STATUSES)
    facility = _pick(Facility.objects.select_related("country"), _("Facility"))
    country = _pick(Country.objects.all(), _("Country"))
    location = forms.CharField(
        label=_("Place as reported"),
        max_length=300,
        required=False,
        help_text=_("e.g. 'near Tal Afar'"),
    )
    start_date = forms.DateField(label=_("From"), widget=DATE)
    start_precision = forms.ChoiceField(
        label=_("How precise is this date"), choices=PRECISIONS, initial="exact"
    )
    end_date = forms.DateField(label=_("Until"), widget=DATE, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, reports: QuerySet[InformationReport], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reports"] = ReportChoiceField(
            queryset=reports,
            to_field_name="uuid",
            required=False,
            label=_("Sources: existing reports"),
            widget=forms.CheckboxSelectMultiple,
        )

    def entry_data(self) -> EntryData:
        d = self.cleaned_data
        return EntryData(
            status=d["status"],
            start_date=d["start_date"],
            start_precision=d["start_precision"],
            end_date=d["end_date"],
            facility=d["facility"],
            country=d["country"],
            location=d["location"],
            notes=d["notes"],
        )


class RetractForm(forms.Form):
    reason = forms.CharField(label=_("Why is this entry wrong?"), max_length=500)


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *TracingRequest.State.choices], required=False
    )
    q = forms.CharField(
        label=_("Reference or inquirer"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class InquirerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    relationship = forms.CharField(
        label=_("Relationship to the sought"),
        max_length=100,
        required=False,
        help_text=_("e.g. mother"),
    )
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea, required=False)
    region = _pick(Region.objects.select_related("country"), _("Region"))
    language = forms.ChoiceField(
        label=_("Preferred language"), choices=Inquirer._meta.get_field("language").choices or []
    )
    consent_contact = forms.BooleanField(label=_("Consents to be contacted"), required=False)
    consent_method = forms.ChoiceField(
        label=_("How consent was given or withdrawn"),
        choices=ConsentEvent.Method.choices,
        initial=ConsentEvent.Method.PHONE,
        required=False,
        help_text=_("Changes to consent are kept in the person's consent history."),
    )

    def clean_consent_method(self) -> str:
        return str(self.cleaned_data.get("consent_method") or ConsentEvent.Method.OTHER)

    def __init__(self, *args: Any, optional: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "inq")
        super().__init__(*args, **kwargs)
        if optional:
            self.fields["name"].required = False

    def inquirer_data(self) -> InquirerData | None:
        d = self.cleaned_data
        if not d.get("name"):
            return None
        return InquirerData(**{k: d[k] for k in InquirerData.__dataclass_fields__})

    @staticmethod
    def initial_for(inquirer: Inquirer) -> dict[str, Any]:
        fields = set(InquirerData.__dataclass_fields__) - {"consent_method"}
        return {k: getattr(inquirer, k) for k in fields}


class RequestForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    consent_share = forms.BooleanField(
        label=_("Consents to sharing with authorities and partners"), required=False
    )
    consent_method = forms.ChoiceField(
        label=_("How consent to share was given or withdrawn"),
        choices=ConsentEvent.Method.choices,
        initial=ConsentEvent.Method.PHONE,
        required=False,
    )

    def clean_consent_method(self) -> str:
        return str(self.cleaned_data.get("consent_method") or ConsentEvent.Method.OTHER)

    last_known = forms.CharField(
        label=_("What was last known"), widget=forms.Textarea, required=False
    )
    last_known_place = forms.CharField(label=_("Last known place"), max_length=300, required=False)
    last_known_date = forms.DateField(label=_("Last known on"), widget=DATE, required=False)
    last_known_precision = forms.ChoiceField(
        label=_("How precise is this date"), choices=PRECISIONS, initial="exact"
    )
    # The version the editor opened (editing only), see core.versioning.
    version = VersionField()

    def __init__(
        self, *args: Any, user: User, relations: Mapping[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = forms.ModelChoiceField(
            queryset=selectors.colleagues_of(user), label=_("Assigned caseworker"), required=False
        )
        sought = person_pick_field(user, _("Sought persons already registered"))
        picker = sought.widget
        assert isinstance(picker, PersonPicker)  # noqa: S101
        picker.with_relation = True
        picker.relations = self._relations(relations)
        self.fields["sought"] = sought

    def _relations(self, initial: Mapping[str, str] | None) -> Mapping[str, str]:
        if not self.is_bound:
            return initial or {}
        return {
            k.removeprefix("relation-"): str(v)
            for k, v in self.data.items()
            if k.startswith("relation-")
        }

    def request_data(self) -> RequestData:
        d = self.cleaned_data
        return RequestData(**{k: d[k] for k in RequestData.__dataclass_fields__})

    def sought_links(self) -> list[SoughtLink]:
        relations = self.fields["sought"].widget.relations
        return [
            SoughtLink(person=p, relation=relations.get(str(p.uuid), ""))
            for p in self.cleaned_data["sought"]
        ]

    @staticmethod
    def initial_for(request: TracingRequest, links: Iterable[Any]) -> dict[str, Any]:
        fields = set(RequestData.__dataclass_fields__) - {"consent_method"}
        initial: dict[str, Any] = {k: getattr(request, k) for k in fields}
        initial["sought"] = [str(link.person.uuid) for link in links]
        initial["version"] = request.version
        return initial


class NewSoughtForm(forms.Form):
    given = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family = forms.CharField(label=_("Family name"), max_length=100, required=False)
    sex = forms.ChoiceField(
        label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN, required=False
    )
    birth_year = forms.IntegerField(
        label=_("Birth year"), min_value=1900, max_value=2100, required=False
    )
    relation = forms.CharField(
        label=_("Relation to the inquirer"), max_length=100, required=False, help_text=_("e.g. son")
    )
    child_of_first = forms.BooleanField(
        label=_("A child of the person in the first row"),
        required=False,
        help_text=_("Records the family, so the mother and her children are matched together."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = data.get("given") or data.get("family")
        if not named and (data.get("birth_year") or data.get("relation")):
            raise forms.ValidationError(_("A new sought person needs a given or a family name."))
        return data

    def new_sought(self) -> NewSought | None:
        d = self.cleaned_data
        if not (d.get("given") or d.get("family")):
            return None
        return NewSought(
            given=d["given"],
            family=d["family"],
            relation=d["relation"],
            sex=d["sex"] or Sex.UNKNOWN,
            birth_year=d["birth_year"],
            child_of_first=bool(d.get("child_of_first")),
        )


NewSoughtFormSet = forms.formset_factory(NewSoughtForm, extra=3)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=TracingRequest.State.choices)
    on = forms.DateField(
        label=_("On"), widget=DATE, required=False, help_text=_("Today if left empty.")
    )
    closure_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", "—"), *TracingRequest.Closure.choices],
        required=False,
    )
    reason = forms.CharField(label=_("Why (needed to reopen)"), max_length=500, required=False)
