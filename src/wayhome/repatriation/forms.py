"""Forms of the repatriation pages; the services validate again and have the last word."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wayhome.accounts.models import User
from wayhome.people.models import Person, Relationship
from wayhome.repatriation import selectors
from wayhome.repatriation.models import (
    CaseDocument,
    CaseMember,
    CaseStep,
    ConsentDecision,
    DocumentTemplate,
    RepatriationCase,
    RuleSet,
)
from wayhome.tracing.forms import person_pick_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RuleSetChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        rs: RuleSet = obj
        flag = f" · {_('to be confirmed by counsel')}" if rs.to_be_confirmed else ""
        return f"{rs.name} v{rs.version}{flag}"


class CaseCreateForm(forms.Form):
    def __init__(self, *args: Any, user: User, with_family: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        usable = [rs.pk for rs in selectors.rule_sets_usable_by(user)]
        self.fields["rule_set"] = RuleSetChoice(
            queryset=RuleSet.objects.filter(pk__in=usable).order_by("name"),
            to_field_name="uuid",
            label=_("Rule set (route)"),
        )
        self.fields["persons"] = person_pick_field(user, _("Persons"), required=not with_family)
        self.fields["notes"] = forms.CharField(
            label=_("Notes"), widget=forms.Textarea, required=False
        )


class StepForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (CaseStep.Status.PENDING, CaseStep.Status.PENDING.label),
            (CaseStep.Status.DONE, CaseStep.Status.DONE.label),
            (CaseStep.Status.BLOCKED, CaseStep.Status.BLOCKED.label),
        ],
    )
    blocker = forms.CharField(
        label=_("Blocked by"),
        max_length=500,
        required=False,
        help_text=_("e.g. 'court order pending', 'embassy has not answered'"),
    )
    since = forms.DateField(label=_("Since"), widget=DATE, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea)


class ReadyForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for the override"),
        max_length=500,
        required=False,
        widget=forms.Textarea,
        help_text=_("Only when required steps are still open; only a supervisor may."),
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[
            (RepatriationCase.Stage.IN_PROGRESS, RepatriationCase.Stage.IN_PROGRESS.label),
            (RepatriationCase.Stage.CLOSED, RepatriationCase.Stage.CLOSED.label),
        ],
    )
    closure_reason = forms.ChoiceField(
        label=_("Closure reason"),
        choices=[("", "—"), *RepatriationCase.Closure.choices],
        required=False,
    )


class MemberForm(forms.Form):
    travels = forms.BooleanField(label=_("Travels"), required=False)
    may_travel_separately = forms.BooleanField(
        label=_("May travel on another flight than the rest of the case"), required=False
    )
    separation_reason = forms.CharField(
        label=_("Why (stays or travels apart)"), max_length=500, required=False
    )


class MemberAddForm(forms.Form):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["persons"] = person_pick_field(user, _("Person to add"), required=True)


def _members_choice(members: list[CaseMember], label: Any, required: bool) -> forms.Field:
    return forms.TypedMultipleChoiceField(
        label=label,
        choices=[(str(m.uuid), m.person.display_name) for m in members],
        widget=forms.CheckboxSelectMultiple,
        required=required,
    )


def consent_givers(case: RepatriationCase) -> list[tuple[Person, str]]:
    """Parents and guardians the registry links to the case's members, with the kind."""
    persons = [m.person for m in case.members.select_related("person")]
    links = Relationship.objects.filter(
        to_person__in=persons,
        kind__in=[Relationship.Kind.PARENT, Relationship.Kind.GUARDIAN],
        is_current=True,
    ).select_related("from_person")
    seen: dict[int, tuple[Person, str]] = {}
    for link in links:
        seen.setdefault(link.from_person.pk, (link.from_person, link.kind))
    return list(seen.values())


class ConsentForm(forms.Form):
    giver_kind = forms.ChoiceField(label=_("Decided by"), choices=ConsentDecision.Giver.choices)
    decision = forms.ChoiceField(label=_("Decision"), choices=ConsentDecision.Decision.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    written = forms.BooleanField(label=_("In writing"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, case: RepatriationCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = [
            m
            for m in case.members.select_related("person")
            if m.steps.filter(detail__kind="consent").exists()
        ]
        self.members = {str(m.uuid): m for m in members}
        self.fields["children"] = _members_choice(members, _("Children"), True)
        self.givers = {str(p.uuid): p for p, _kind in consent_givers(case)}
        self.fields["given_by"] = forms.ChoiceField(
            label=_("Parent or guardian"),
            choices=[("", _("— (a court)"))]
            + [(u, p.display_name) for u, p in self.givers.items()],
            required=False,
        )
        docs = case.documents.exclude(kind=CaseDocument.Kind.GENERATED)
        self.fields["document"] = forms.ModelChoiceField(
            queryset=docs, to_field_name="uuid", required=False, label=_("Signed document")
        )
        self.order_fields(["children", "giver_kind", "given_by", "decision", "decided_on"])

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "children": [self.members[u] for u in d["children"]],
            "giver_kind": d["giver_kind"],
            "given_by": self.givers.get(d["given_by"]) if d["given_by"] else None,
            "decision": d["decision"],
            "decided_on": d["decided_on"],
            "written": d["written"],
            "note": d["note"],
            "document": d["document"],
        }


class UploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[c for c in CaseDocument.Kind.choices if c[0] != CaseDocument.Kind.GENERATED],
    )
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, at most 20 MB)"))

    def __init__(self, *args: Any, case: RepatriationCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"] = forms.ModelChoiceField(
            queryset=CaseStep.objects.filter(member__case=case).select_related("member__person"),
            to_field_name="uuid",
            required=False,
            label=_("For the step"),
        )
        self.fields["step"].label_from_instance = (  # type: ignore[attr-defined]
            lambda s: f"{s.member.person.display_name}: {s.label}"
        )


class GenerateForm(forms.Form):
    court = forms.CharField(
        label=_("Court (for a court order request)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, user: User, case: RepatriationCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        templates = selectors.templates_visible_to(user).filter(is_current=True)
        own = {(t.kind, t.language) for t in templates if t.agency_id is not None}
        ids = [
            t.pk for t in templates if t.agency_id is not None or (t.kind, t.language) not in own
        ]
        self.fields["template"] = forms.ModelChoiceField(
            queryset=DocumentTemplate.objects.filter(pk__in=ids).order_by("kind", "language"),
            to_field_name="uuid",
            label=_("Document"),
        )
        members = list(case.members.select_related("person"))
        self.members = {str(m.uuid): m for m in members}
        people = {str(m.person.uuid): m.person for m in members}
        for person, _kind in consent_givers(case):
            people.setdefault(str(person.uuid), person)
        self.people = people
        self.fields["parent"] = forms.ChoiceField(
            label=_("Parent who signs (consent form)"),
            choices=[("", "—")] + [(u, p.display_name) for u, p in people.items()],
            required=False,
        )
        self.fields["children"] = _members_choice(members, _("Children concerned"), False)
        self.order_fields(["template", "parent", "children", "court"])

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "template": d["template"],
            "parent": self.people.get(d["parent"]) if d["parent"] else None,
            "children": [self.members[u] for u in d["children"]],
            "court": d["court"],
        }


class MigrateForm(forms.Form):
    def __init__(self, *args: Any, user: User, case: RepatriationCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = (
            selectors.rule_sets_visible_to(user)
            .filter(slug=case.rule_set.slug, status=RuleSet.Status.ACTIVE)
            .exclude(pk=case.rule_set_id)
        )
        self.fields["rule_set"] = RuleSetChoice(
            queryset=qs, to_field_name="uuid", label=_("Move to the version")
        )


class RuleSetForm(forms.Form):
    source_text = forms.CharField(
        label=_("Rules (YAML)"), widget=forms.Textarea(attrs={"rows": 30, "dir": "ltr"})
    )
    change_note = forms.CharField(label=_("What changed and why"), max_length=500)


class TemplateForm(forms.Form):
    body = forms.CharField(
        label=_("Template"), widget=forms.Textarea(attrs={"rows": 30, "dir": "auto"})
    )
    change_note = forms.CharField(label=_("What changed and why"), max_length=500)


class CaseFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[("", _("Any")), *RepatriationCase.Stage.choices],
        required=False,
    )
