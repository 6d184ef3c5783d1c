"""Repatriation pages: cases and their checklists, consents, documents, rule sets.

Every view: the capability gate, a scoped selector (another agency's case is a 404), a
form, a service; a service's ValidationError goes back onto the form, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wayhome.accounts.models import User
from wayhome.accounts.permissions import cap_required, reauth_required
from wayhome.accounts.roles import Cap
from wayhome.accounts.sensitivity import redact, redact_all
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.core.views import GET_POST, acting_user, attachment, form_page
from wayhome.legal.models import LegalCase
from wayhome.legal.selectors import legal_cases_visible_to
from wayhome.lists import exporting
from wayhome.lists.forms import ExportForm
from wayhome.people.models import Person
from wayhome.people.selectors import family_group_get, group_members, person_get
from wayhome.repatriation import selectors, services
from wayhome.repatriation.forms import (
    CaseCreateForm,
    CaseFilterForm,
    ConsentForm,
    GenerateForm,
    MemberAddForm,
    MemberForm,
    MigrateForm,
    ReadyForm,
    ReasonForm,
    RuleSetForm,
    StageForm,
    StepForm,
    TemplateForm,
    UploadForm,
)
from wayhome.repatriation.models import RepatriationCase, RuleSet
from wayhome.repatriation.rules import RulesError


def _case_url(case: RepatriationCase) -> str:
    return reverse("repatriation:case_detail", args=[case.uuid])


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[], Any],
    *,
    title: str,
    back: str,
    success: str,
    done: Callable[[Any], str] | None = None,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show a form; on a valid POST run the service and go on (to ``done(result)`` or back)."""
    return form_page(
        request,
        form,
        save,
        template="repatriation/form.html",
        done=done or back,
        success=success,
        context={"title": title, "back": back, **(context or {})},
    )


# --- cases --------------------------------------------------------------------------------


@require_GET
@cap_required(Cap.CASE_VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    f = CaseFilterForm(request.GET or None)
    cases = selectors.cases_visible_to(user).prefetch_related("members__person")
    if f.is_valid() and f.cleaned_data["stage"]:
        cases = cases.filter(stage=f.cleaned_data["stage"])
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    counts = selectors.case_counts(user).by_stage
    stage_counts = [(RepatriationCase.Stage(k).label, n) for k, n in counts.items()]
    return render(
        request,
        "repatriation/case_list.html",
        {"page": page, "filters": f, "stage_counts": stage_counts},
    )


@GET_POST
@cap_required(Cap.CASE_VIEW)
@cap_required(Cap.EXPORT_RUN)
@reauth_required
def case_export(request: HttpRequest) -> HttpResponse:
    """The cases the list page shows (its filter carried over), a row per member, as
    CSV, XLSX or PDF, through the exports' rules: a fresh login, a reason, the role's
    field sensitivity, an optional password; audited (lists.exporting)."""
    user = acting_user(request)
    f = CaseFilterForm(request.GET or None)
    cases = selectors.cases_visible_to(user)
    stage = f.cleaned_data["stage"] if f.is_valid() else ""
    if stage:
        cases = cases.filter(stage=stage)
    form = ExportForm(
        request.POST or None,
        columns=exporting.CASE_COLUMNS,
        initial_columns=list(exporting.CASE_COLUMNS),
    )

    def export() -> tuple[str, bytes, str]:
        return exporting.export_cases(actor=user, cases=cases, **form.options())

    stage_label = RepatriationCase.Stage(stage).label if stage else ""
    return form_page(
        request,
        form,
        export,
        template="repatriation/case_export.html",
        done=attachment,
        context={"stage_label": stage_label},
    )


def _principal(persons: list[Person]) -> Person:
    """The oldest person (an adult woman, usually the mother) leads the case."""
    dated = [p for p in persons if p.birth_latest is not None]
    return min(dated, key=lambda p: p.birth_latest) if dated else persons[0]  # type: ignore[arg-type,return-value]


def _route_for(user: User, person_uuids: list[str]) -> RuleSet | None:
    """The usable rule set whose host country is where the first person is held, if any."""
    if not person_uuids:
        return None
    person = person_get(user, person_uuids[0])
    facility = person.current_facility
    if facility is None:
        return None
    for rs in selectors.rule_sets_usable_by(user):
        if rs.host_country_id == facility.country_id and rs.facility_kind in ("", facility.kind):
            return rs
    return None


@GET_POST
@cap_required(Cap.CASE_EDIT)
def case_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    group = family_group_get(user, request.GET["family"]) if request.GET.get("family") else None
    initial: dict[str, Any] = {}
    if group is not None:
        initial["persons"] = [str(p.uuid) for p in group_members(group)]
    elif request.GET.get("person"):
        initial["persons"] = [str(person_get(user, request.GET["person"]).uuid)]
    route = _route_for(user, initial.get("persons", []))
    if route is not None:
        initial["rule_set"] = str(route.uuid)
    form = CaseCreateForm(
        request.POST or None, user=user, with_family=group is not None, initial=initial
    )

    def save() -> RepatriationCase:
        persons = list(form.cleaned_data["persons"])
        return services.case_open(
            actor=user,
            rule_set=form.cleaned_data["rule_set"],
            persons=persons,
            principal=_principal(persons) if persons else None,
            family_group=group,
            notes=form.cleaned_data["notes"],
        )

    return _form_page(
        request,
        form,
        save,
        title=_("New repatriation case"),
        back=reverse("repatriation:case_list"),
        success=_("Case opened; its checklist is built from the rule set."),
        done=_case_url,
        context={"group": group},
    )


@require_GET
@cap_required(Cap.CASE_VIEW)
def case_detail(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_read(user, case_uuid)
    members = selectors.members_with_steps(case)
    consents = {
        m.pk: list(m.consents.select_related("given_by").order_by("-decided_on", "-id"))
        for m in members
    }
    legal: dict[int, list[LegalCase]] = {}
    for lc in legal_cases_visible_to(user).filter(person__in=[m.person for m in members]):
        legal.setdefault(lc.person_id, []).append(lc)
    open_required = selectors.case_has_open_required_steps(case)
    # Notes, reasons and step notes are free text (masked for consular officers): every
    # record on the page goes through the sensitivity table before the template.
    for m in members:
        redact(user, m)
        redact_all(user, m.steps.all())
        redact_all(user, consents[m.pk])
    redact_all(user, [lc for cases in legal.values() for lc in cases])
    return render(
        request,
        "repatriation/case_detail.html",
        {
            "case": redact(user, case),
            "members": [(m, consents[m.pk], legal.get(m.person_id, [])) for m in members],
            "documents": redact_all(user, case.documents.select_related("step", "uploaded_by")),
            "open_required": open_required,
            "rules": case.rule_set,
        },
    )


@GET_POST
@cap_required(Cap.CASE_EDIT)
def case_ready(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get(user, case_uuid)
    form = ReadyForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda: services.case_mark_ready(
            actor=user, case=case, override_reason=form.cleaned_data["override_reason"]
        ),
        title=_("Mark the case ready to travel"),
        back=_case_url(case),
        success=_("The case is ready to travel."),
        context={
            "case": case,
            "missing": selectors.missing_items(case),
            "can_override": user.has_cap(Cap.CASE_APPROVE),
        },
    )


@GET_POST
@cap_required(Cap.CASE_EDIT)
def case_stage(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get(user, case_uuid)
    form = StageForm(request.POST or None, initial={"stage": case.stage})
    return _form_page(
        request,
        form,
        lambda: services.case_set_stage(actor=user, case=case, **form.cleaned_data),
        title=_("Change the stage"),
        back=_case_url(case),
        success=_("Stage changed."),
        context={"case": case},
    )


@require_POST
@cap_required(Cap.CASE_EDIT)
def case_refresh(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get(user, case_uuid)
    services.checklist_refresh(actor=user, case=case)
    messages.success(request, _("The checklist is rebuilt from the current facts."))
    return redirect(_case_url(case))


@GET_POST
@cap_required(Cap.CASE_EDIT)
def case_migrate(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get(user, case_uuid)
    form = MigrateForm(request.POST or None, user=user, case=case)
    return _form_page(
        request,
        form,
        lambda: services.case_migrate_rule_set(
            actor=user, case=case, rule_set=form.cleaned_data["rule_set"]
        ),
        title=_("Move the case to another version of its rules"),
        back=_case_url(case),
        success=_("The case follows the new version; its checklist is rebuilt."),
        context={"case": case},
    )


@GET_POST
@cap_required(Cap.CASE_EDIT)
def member_add(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get(user, case_uuid)
    form = MemberAddForm(request.POST or None, user=user)

    def save() -> None:
        for person in form.cleaned_data["persons"]:
            services.member_add(actor=user, case=case, person=person)

    return _form_page(
        request,
        form,
        save,
        title=_("Add a person to the case"),
        back=_case_url(case),
        success=_("Added; the checklist is built for them."),
        context={"case": case},
    )


@GET_POST
@cap_required(Cap.CASE_EDIT)
def member_edit(request: HttpRequest, member_uuid: str) -> HttpResponse:
    user = acting_user(request)
    member = selectors.member_get(user, member_uuid)
    form = MemberForm(
        request.POST or None,
        initial={
            "travels": member.travels,
            "may_travel_separately": member.may_travel_separately,
            "separation_reason": member.separation_reason,
        },
    )
    return _form_page(
        request,
        form,
        lambda: services.member_update(actor=user, member=member, **form.cleaned_data),
        title=_("Travel of %(name)s") % {"name": member.person.display_name},
        back=_case_url(member.case),
        success=_("Saved."),
        context={"case": member.case},
    )


@require_POST
@cap_required(Cap.CASE_EDIT)
def member_remove(request: HttpRequest, member_uuid: str) -> HttpResponse:
    user = acting_user(request)
    member = selectors.member_get(user, member_uuid)
    case = member.case
    try:
        services.member_remove(actor=user, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Taken out of the case."))
    return redirect(_case_url(case))


@GET_POST
@cap_required(Cap.CASE_EDIT)
def step_edit(request: HttpRequest, step_uuid: str) -> HttpResponse:
    user = acting_user(request)
    step = selectors.step_get(user, step_uuid)
    form = StepForm(
        request.POST or None,
        initial={"status": step.status, "blocker": step.blocker, "note": step.note},
    )
    return _form_page(
        request,
        form,
        lambda: services.step_update(actor=user, step=step, **form.cleaned_data),
        title=f"{step.member.person.display_name}: {step.label}",
        back=_case_url(step.member.case),
        success=_("Step saved."),
        context={"case": step.member.case, "step": step},
    )


@GET_POST
@cap_required(Cap.CASE_APPROVE)
def step_waive(request: HttpRequest, step_uuid: str) -> HttpResponse:
    user = acting_user(request)
    step = selectors.step_get(user, step_uuid)
    form = ReasonForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda: services.step_waive(actor=user, step=step, reason=form.cleaned_data["reason"]),
        title=_("Waive: %(step)s") % {"step": step.label},
        back=_case_url(step.member.case),
        success=_("Step waived."),
        context={"case": step.member.case, "step": step},
    )


@GET_POST
@cap_required(Cap.CASE_EDIT)
def consent_add(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get(user, case_uuid)
    form = ConsentForm(request.POST or None, case=case)
    return _form_page(
        request,
        form,
        lambda: services.consent_record(actor=user, case=case, **form.service_kwargs()),
        title=_("Record a consent decision"),
        back=_case_url(case),
        success=_("Decision recorded; the checklist follows it."),
        context={"case": case},
    )


# --- documents ----------------------------------------------------------------------------


@GET_POST
@cap_required(Cap.CASE_EDIT)
def document_upload(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get(user, case_uuid)
    form = UploadForm(request.POST or None, request.FILES or None, case=case)
    return _form_page(
        request,
        form,
        lambda: services.document_attach(
            actor=user,
            case=case,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            step=form.cleaned_data["step"],
        ),
        title=_("Attach a document"),
        back=_case_url(case),
        success=_("Document attached."),
        context={"case": case, "multipart": True},
    )


@GET_POST
@cap_required(Cap.CASE_EDIT)
def document_generate(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get(user, case_uuid)
    form = GenerateForm(request.POST or None, user=user, case=case)
    return _form_page(
        request,
        form,
        lambda: services.document_generate(actor=user, case=case, **form.service_kwargs()),
        title=_("Generate a document"),
        back=_case_url(case),
        success=_("Document generated; it is kept with the case's files."),
        context={"case": case},
    )


@require_GET
@cap_required(Cap.CASE_VIEW)
def document_file(request: HttpRequest, document_uuid: str) -> HttpResponse:
    """A case document's bytes, only for a reader of the case; never cached; audited."""
    user = acting_user(request)
    doc = selectors.document_get(user, document_uuid)
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        obj=doc,
        person_uuid=doc.step.member.person.uuid if doc.step else None,
        agency=doc.case.agency,
    )
    with doc.file.open("rb") as f:  # at most 20 MB, checked on upload
        content = f.read()
    response = HttpResponse(content, content_type=doc.content_type or "application/octet-stream")
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    # A neutral file name: the document's title may carry a person's name.
    suffix = doc.file.name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f'inline; filename="document-{doc.uuid.hex[:8]}.{suffix}"'
    return response


# --- rule sets and templates (administrators) ---------------------------------------------


@require_GET
@cap_required(Cap.RULES_ADMIN)
def rule_set_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "repatriation/rule_set_list.html",
        {
            "rule_sets": selectors.rule_sets_visible_to(user),
            "templates": selectors.templates_visible_to(user).filter(is_current=True),
        },
    )


@require_GET
@cap_required(Cap.RULES_ADMIN)
def rule_set_detail(request: HttpRequest, rule_set_uuid: str) -> HttpResponse:
    user = acting_user(request)
    rs = selectors.rule_set_get(user, rule_set_uuid)
    return render(
        request,
        "repatriation/rule_set_detail.html",
        {
            "rs": rs,
            "own": rs.agency_id == user.agency_key,
            "in_use": selectors.cases_using(user, rs),
        },
    )


@GET_POST
@cap_required(Cap.RULES_ADMIN)
def rule_set_edit(request: HttpRequest, rule_set_uuid: str) -> HttpResponse:
    """A new version from an existing one: never an in-place edit."""
    user = acting_user(request)
    base = selectors.rule_set_get(user, rule_set_uuid)
    form = RuleSetForm(request.POST or None, initial={"source_text": base.source_text})
    return _form_page(
        request,
        form,
        lambda: services.rule_set_new_version(actor=user, base=base, **form.cleaned_data),
        title=_("New version of %(name)s") % {"name": base.name},
        back=reverse("repatriation:rule_set_detail", args=[base.uuid]),
        success=_("Saved as a draft version; activate it when it is checked."),
        done=lambda rs: reverse("repatriation:rule_set_detail", args=[rs.uuid]),
        context={"rules_help": True},
    )


@require_POST
@cap_required(Cap.RULES_ADMIN)
def rule_set_status(request: HttpRequest, rule_set_uuid: str) -> HttpResponse:
    user = acting_user(request)
    rs = selectors.rule_set_get(user, rule_set_uuid)
    try:
        services.rule_set_set_status(actor=user, rule_set=rs, status=request.POST.get("status", ""))
    except (ValidationError, RulesError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Status changed."))
    return redirect("repatriation:rule_set_detail", rule_set_uuid=rs.uuid)


@GET_POST
@cap_required(Cap.RULES_ADMIN)
def template_edit(request: HttpRequest, template_uuid: str) -> HttpResponse:
    user = acting_user(request)
    base = selectors.template_get(user, template_uuid)
    form = TemplateForm(request.POST or None, initial={"body": base.body})
    return _form_page(
        request,
        form,
        lambda: services.template_new_version(actor=user, base=base, **form.cleaned_data),
        title=_("New version of the template: %(title)s (%(language)s)")
        % {"title": base.title, "language": base.language},
        back=reverse("repatriation:rule_set_list"),
        success=_("Saved; new documents use this version."),
        context={"template_help": True, "base": base},
    )
