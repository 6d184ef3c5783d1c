"""Legal pages: the agency's cases, upcoming hearings, one case with its history.

Every view: the capability gate, a scoped selector (another agency's case is a 404), a
form, a service; a service's ValidationError goes back onto the form, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wayhome.accounts.permissions import cap_required, reauth_required
from wayhome.accounts.roles import Cap
from wayhome.accounts.sensitivity import redact, redact_all
from wayhome.core.views import GET_POST, acting_user, attachment, form_page
from wayhome.legal import selectors, services
from wayhome.legal.forms import (
    AppealDecisionForm,
    AppealForm,
    CaseFilterForm,
    ConditionsForm,
    HearingForm,
    LegalCaseForm,
    OutcomeForm,
    VerdictForm,
)
from wayhome.legal.models import LegalCase
from wayhome.lists import exporting
from wayhome.lists.forms import ExportForm
from wayhome.people.selectors import person_get


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[], Any],
    *,
    title: str,
    case: LegalCase | None,
    success: str,
) -> HttpResponse:
    """Show a form; on a valid POST run the service and go back to the case."""
    return form_page(
        request,
        form,
        save,
        template="legal/form.html",
        done=lambda result: reverse(
            "legal:case_detail", kwargs={"case_uuid": (case or result).uuid}
        ),
        success=success,
        context={"title": title, "case": case},
    )


def _listed(request: HttpRequest) -> tuple[CaseFilterForm, QuerySet[LegalCase]]:
    """The cases the list page shows for its filter (the export takes the same)."""
    f = CaseFilterForm(request.GET or None)
    cases = selectors.legal_cases_visible_to(acting_user(request))
    if f.is_valid():
        if f.cleaned_data["status"]:
            cases = cases.filter(status=f.cleaned_data["status"])
        if f.cleaned_data["jurisdiction"]:
            cases = cases.filter(jurisdiction=f.cleaned_data["jurisdiction"])
    return f, cases


@require_GET
@cap_required(Cap.LEGAL_VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    f, cases = _listed(request)
    page = Paginator(cases.order_by("-updated_at"), 50).get_page(request.GET.get("page"))
    return render(request, "legal/case_list.html", {"page": page, "filters": f})


@GET_POST
@cap_required(Cap.LEGAL_VIEW)
@cap_required(Cap.EXPORT_RUN)
@reauth_required
def case_export(request: HttpRequest) -> HttpResponse:
    """The cases the list page shows (its filter carried over), a row per case, as CSV,
    XLSX or PDF, through the exports' rules: a fresh login, a reason, the role's field
    sensitivity, an optional password; audited (lists.exporting)."""
    user = acting_user(request)
    f, cases = _listed(request)
    form = ExportForm(
        request.POST or None,
        columns=exporting.LEGAL_CASE_COLUMNS,
        initial_columns=exporting.LEGAL_CASE_INITIAL,
    )

    def export() -> tuple[str, bytes, str]:
        return exporting.export_legal_cases(actor=user, cases=cases, **form.options())

    return form_page(
        request,
        form,
        export,
        template="legal/case_export.html",
        done=attachment,
        context={"filter_text": _filter_text(f)},
    )


def _filter_text(f: CaseFilterForm) -> str:
    """The list filter carried into the export, as its choices read (never a name)."""
    if not f.is_valid():
        return ""
    d = f.cleaned_data
    chosen = [LegalCase.Status(d["status"]).label] if d["status"] else []
    if d["jurisdiction"]:
        chosen.append(LegalCase.Jurisdiction(d["jurisdiction"]).label)
    return ", ".join(str(c) for c in chosen)


@require_GET
@cap_required(Cap.LEGAL_VIEW)
def hearing_list(request: HttpRequest) -> HttpResponse:
    hearings = selectors.upcoming_hearings(acting_user(request), days=365)
    return render(
        request, "legal/hearing_list.html", {"hearings": hearings, "today": timezone.localdate()}
    )


@GET_POST
@cap_required(Cap.LEGAL_EDIT)
def case_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    initial: dict[str, Any] = {"country": "IQ", "jurisdiction": LegalCase.Jurisdiction.HOST}
    person = None
    if request.GET.get("person"):
        person = person_get(user, request.GET["person"])
        initial["person"] = [str(person.uuid)]
    form = LegalCaseForm(
        request.POST or None, user=user, person=person, with_person=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        # The source list depends on the person: offer the chosen person's reports.
        form.add_source(user, form.cleaned_data["person"])
        form.full_clean()

    def save() -> LegalCase:
        d = dict(form.cleaned_data)
        return services.legal_case_create(actor=user, **d)

    return _form_page(
        request, form, save, title=_("New legal case"), case=None, success=_("Legal case recorded.")
    )


@require_GET
@cap_required(Cap.LEGAL_VIEW)
def case_detail(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.legal_case_read(user, case_uuid)
    # Every value goes through the sensitivity table (legal, free-text notes) first.
    return render(
        request,
        "legal/case_detail.html",
        {
            "case": redact(user, case),
            "hearings": redact_all(user, case.hearings.select_related("source")),
            "appeals": redact_all(user, case.appeals.select_related("source")),
            "conditions": redact_all(user, case.detention_reports.select_related("source")),
            "events": redact_all(user, case.events.select_related("source", "recorded_by")),
            "today": timezone.localdate(),
        },
    )


@GET_POST
@cap_required(Cap.LEGAL_EDIT)
def case_edit(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.legal_case_get(user, case_uuid)
    initial = {
        "jurisdiction": case.jurisdiction,
        "country": case.country.iso2,
        "court": case.court,
        "case_number": case.case_number,
        "charges": case.charges,
        "status": case.status,
        "lawyer": case.lawyer,
        "lawyer_fee": case.lawyer_fee,
        "lawyer_fee_currency": case.lawyer_fee_currency,
        "notes": case.notes,
        "source": case.source.uuid if case.source else None,
    }
    form = LegalCaseForm(
        request.POST or None, user=user, person=case.person, with_person=False, initial=initial
    )
    if case.status == LegalCase.Status.SENTENCED:
        form.fields["status"].choices = LegalCase.Status.choices  # type: ignore[attr-defined]
    return _form_page(
        request,
        form,
        lambda: services.legal_case_update(actor=user, case=case, **form.cleaned_data),
        title=_("Edit legal case"),
        case=case,
        success=_("Legal case changed."),
    )


@GET_POST
@cap_required(Cap.LEGAL_EDIT)
def verdict(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.legal_case_get(user, case_uuid)
    form = VerdictForm(request.POST or None, initial={"verdict_on": timezone.localdate()})
    form.add_source(user, case.person)
    return _form_page(
        request,
        form,
        lambda: services.verdict_record(actor=user, case=case, **form.cleaned_data),
        title=_("Record the verdict and sentence"),
        case=case,
        success=_("Verdict recorded."),
    )


@GET_POST
@cap_required(Cap.LEGAL_EDIT)
def hearing_add(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.legal_case_get(user, case_uuid)
    form = HearingForm(request.POST or None, initial={"court": case.court})
    form.add_source(user, case.person)
    return _form_page(
        request,
        form,
        lambda: services.hearing_add(actor=user, case=case, **form.cleaned_data),
        title=_("Add a hearing"),
        case=case,
        success=_("Hearing recorded."),
    )


@GET_POST
@cap_required(Cap.LEGAL_EDIT)
def hearing_outcome(request: HttpRequest, hearing_uuid: str) -> HttpResponse:
    user = acting_user(request)
    hearing = selectors.hearing_get(user, hearing_uuid)
    form = OutcomeForm(request.POST or None, initial={"outcome": hearing.outcome})
    form.add_source(user, hearing.legal_case.person)
    return _form_page(
        request,
        form,
        lambda: services.hearing_outcome(actor=user, hearing=hearing, **form.cleaned_data),
        title=_("Outcome of the hearing"),
        case=hearing.legal_case,
        success=_("Outcome recorded."),
    )


@GET_POST
@cap_required(Cap.LEGAL_EDIT)
def appeal_add(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.legal_case_get(user, case_uuid)
    form = AppealForm(request.POST or None)
    form.add_source(user, case.person)
    return _form_page(
        request,
        form,
        lambda: services.appeal_add(actor=user, case=case, **form.cleaned_data),
        title=_("Add an appeal"),
        case=case,
        success=_("Appeal recorded."),
    )


@GET_POST
@cap_required(Cap.LEGAL_EDIT)
def appeal_decide(request: HttpRequest, appeal_uuid: str) -> HttpResponse:
    user = acting_user(request)
    appeal = selectors.appeal_get(user, appeal_uuid)
    form = AppealDecisionForm(request.POST or None)
    form.add_source(user, appeal.legal_case.person)
    return _form_page(
        request,
        form,
        lambda: services.appeal_decide(actor=user, appeal=appeal, **form.cleaned_data),
        title=_("Decision on the appeal"),
        case=appeal.legal_case,
        success=_("Decision recorded."),
    )


@GET_POST
@cap_required(Cap.LEGAL_EDIT)
def conditions_add(request: HttpRequest, case_uuid: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.legal_case_get(user, case_uuid)
    form = ConditionsForm(request.POST or None, initial={"reported_on": timezone.localdate()})
    form.add_source(user, case.person)
    return _form_page(
        request,
        form,
        lambda: services.conditions_report(actor=user, case=case, **form.cleaned_data),
        title=_("Detention conditions reported"),
        case=case,
        success=_("Report recorded."),
    )
