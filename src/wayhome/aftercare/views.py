"""Aftercare pages: the file of each returnee, placements, services, follow-up visits.

Every view: the capability gate, then a scoped selector (another agency's file is a 404),
then a form, then a service whose ValidationError goes back onto the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wayhome.accounts.permissions import cap_required
from wayhome.accounts.roles import Cap
from wayhome.accounts.sensitivity import redact, redact_all, withhold
from wayhome.aftercare import selectors, services
from wayhome.aftercare.forms import (
    CloseForm,
    ConsentForm,
    FileOpenForm,
    FollowUpForm,
    PlacementCorrectForm,
    PlacementForm,
    ReceptionForm,
    RetractForm,
    ServiceEndForm,
    ServiceForm,
    VisitCorrectForm,
    VisitForm,
)
from wayhome.aftercare.links import legal_cases_at_home
from wayhome.aftercare.models import AftercareFile
from wayhome.core.views import GET_POST, acting_user, attempt, form_page, uuids_in_query


def _to_file(file: AftercareFile) -> HttpResponse:
    return redirect("aftercare:file_detail", key=file.uuid)


def _form_page(
    request: HttpRequest, form: forms.Form, title: str, file: AftercareFile | None
) -> HttpResponse:
    return render(request, "aftercare/form.html", {"form": form, "title": title, "file": file})


@require_GET
@cap_required(Cap.AFTERCARE_VIEW)
def file_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    q = request.GET.get("q", "")
    page = Paginator(selectors.files_listed(user, q=q), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "aftercare/file_list.html",
        {"page": page, "q": q, "overdue": selectors.overdue_count(user)},
    )


@require_GET
@cap_required(Cap.AFTERCARE_VIEW)
def overdue_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    page = Paginator(selectors.overdue_followups(user), 50).get_page(request.GET.get("page"))
    return render(request, "aftercare/overdue.html", {"page": page, "today": timezone.localdate()})


@GET_POST
@cap_required(Cap.AFTERCARE_EDIT)
def file_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    initial: dict[str, Any] = {
        "person": uuids_in_query(request, "person"),
        "received_on": timezone.localdate(),
    }
    form = FileOpenForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        file = attempt(
            form,
            lambda: services.file_open(
                actor=user, person=form.cleaned_data["person"], reception=form.reception_data()
            ),
        )
        if file is not None:
            messages.success(request, _("Aftercare file opened."))
            return _to_file(file)
    return _form_page(request, form, _("Open an aftercare file"), None)


@require_GET
@cap_required(Cap.AFTERCARE_VIEW)
def file_detail(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    file = selectors.file_read(user, key)
    today = timezone.localdate()
    can_edit = user.has_cap(Cap.AFTERCARE_EDIT)
    # Medical findings and service notes (health), a guardian's phone and address
    # (contact): replaced on the server for a role that may not read them.
    history = selectors.file_history(file)
    return render(
        request,
        "aftercare/file_detail.html",
        {
            "file": redact(user, file),
            "person": file.person,
            "current": redact(user, selectors.current_placement(file)),
            "placements": redact_all(user, selectors.placements_of(file)),
            "services": redact_all(user, file.services.order_by("ended_on", "-started_on")),
            "followups": redact_all(user, selectors.followups_of(file)),
            "retracted": redact_all(user, selectors.retracted_of(file)),
            "legal_cases": legal_cases_at_home(user, file.person),
            "history": history,
            "today": today,
            "can_edit": can_edit,
            "consent_form": ConsentForm() if can_edit else None,
            "end_form": ServiceEndForm() if can_edit else None,
            "close_form": CloseForm() if can_edit and file.closed_on is None else None,
        },
    )


@GET_POST
@cap_required(Cap.AFTERCARE_EDIT)
def reception_edit(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    file = selectors.file_get(user, key)
    form = ReceptionForm(request.POST or None, initial=ReceptionForm.initial_for(file))
    # A role that may not read the medical findings neither sees nor overwrites them.
    withhold(user, form, file, {"medical_notes": "medical_notes"})
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: services.reception_update(
                actor=user, file=file, reception=form.reception_data()
            ),
        )
        if saved is not None:
            messages.success(request, _("Reception saved."))
            return _to_file(file)
    return _form_page(request, form, _("Reception"), file)


@GET_POST
@cap_required(Cap.AFTERCARE_EDIT)
def placement_add(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    file = selectors.file_get(user, key)
    form = PlacementForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: services.placement_add(actor=user, file=file, data=form.placement_data()),
        )
        if saved is not None:
            messages.success(request, _("Placement recorded."))
            return _to_file(file)
    return _form_page(request, form, _("New placement"), file)


@require_POST
@cap_required(Cap.AFTERCARE_EDIT)
def placement_consent(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    placement = selectors.placement_get(user, key)
    form = ConsentForm(request.POST)
    if form.is_valid():
        saved = attempt(
            form,
            lambda: services.placement_consent(
                actor=user,
                placement=placement,
                consent_on=form.cleaned_data["consent_on"],
                court_decision=form.cleaned_data["court_decision"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Consent recorded."))
            return _to_file(placement.file)
    return _form_page(request, form, _("Guardian's consent"), placement.file)


@GET_POST
@cap_required(Cap.AFTERCARE_EDIT)
def service_add(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    file = selectors.file_get(user, key)
    form = ServiceForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form, lambda: services.service_add(actor=user, file=file, data=form.service_data())
        )
        if saved is not None:
            messages.success(request, _("Service recorded."))
            return _to_file(file)
    return _form_page(request, form, _("New support service"), file)


@require_POST
@cap_required(Cap.AFTERCARE_EDIT)
def service_end(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    service = selectors.service_get(user, key)
    form = ServiceEndForm(request.POST)
    if form.is_valid():
        saved = attempt(
            form,
            lambda: services.service_end(
                actor=user, service=service, ended_on=form.cleaned_data["ended_on"]
            ),
        )
        if saved is not None:
            messages.success(request, _("Service ended."))
            return _to_file(service.file)
    return _form_page(request, form, _("End the service"), service.file)


@GET_POST
@cap_required(Cap.AFTERCARE_EDIT)
def followup_add(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    file = selectors.file_get(user, key)
    form = FollowUpForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = attempt(
            form,
            lambda: services.followup_schedule(
                actor=user, file=file, due_on=d["due_on"], assigned_to=d["assigned_to"]
            ),
        )
        if saved is not None:
            messages.success(request, _("Follow-up visit planned."))
            return _to_file(file)
    return _form_page(request, form, _("Plan a follow-up visit"), file)


@GET_POST
@cap_required(Cap.AFTERCARE_EDIT)
def visit_record(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    visit = selectors.followup_get(user, key)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = attempt(
            form,
            lambda: services.followup_record(
                actor=user,
                visit=visit,
                visited_on=d["visited_on"],
                outcome=d["outcome"],
                notes=d["notes"],
                next_due_on=d["next_due_on"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Visit recorded."))
            return _to_file(visit.file)
    return _form_page(request, form, _("Record the visit"), visit.file)


@require_POST
@cap_required(Cap.AFTERCARE_EDIT)
def file_close(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    file = selectors.file_get(user, key)
    form = CloseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        saved = attempt(
            form,
            lambda: services.file_close(
                actor=user, file=file, closed_on=d["closed_on"], reason=d["reason"]
            ),
        )
        if saved is not None:
            messages.success(request, _("File closed."))
            return _to_file(file)
    return _form_page(request, form, _("Close the file"), file)


# --- corrections and retractions ----------------------------------------------------------

# Form field -> model field of what a role may not read: left out of the form, kept stored.
_PLACEMENT_WITHHELD = {
    "guardian_name": "guardian_name",
    "guardian_relationship": "guardian_relationship",
    "guardian_phone": "guardian_phone",
    "guardian_address": "guardian_address",
    "court_decision": "court_decision",
    "notes": "notes",
}


def _correction_page(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[], Any],
    *,
    title: str,
    success: str,
    file: AftercareFile,
) -> HttpResponse:
    """The correct and retract pages: run the service on a valid POST, back to the file."""
    return form_page(
        request,
        form,
        save,
        template="aftercare/form.html",
        done=lambda _saved: _to_file(file),
        success=success,
        context={"title": title, "file": file},
    )


@GET_POST
@cap_required(Cap.AFTERCARE_EDIT)
def placement_correct(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    placement = selectors.placement_get(user, key)
    form = PlacementCorrectForm(
        request.POST or None, initial=PlacementCorrectForm.initial_for(placement)
    )
    withhold(user, form, placement, _PLACEMENT_WITHHELD)
    return _correction_page(
        request,
        form,
        lambda: services.placement_correct(
            actor=user,
            placement=placement,
            data=form.placement_data(),
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
        title=_("Correct the placement"),
        success=_("Placement corrected; the old version is in the history."),
        file=placement.file,
    )


@GET_POST
@cap_required(Cap.AFTERCARE_EDIT)
def placement_retract(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    placement = selectors.placement_get(user, key)
    form = RetractForm(request.POST or None)
    return _correction_page(
        request,
        form,
        lambda: services.placement_retract(
            actor=user, placement=placement, reason=form.cleaned_data["reason"]
        ),
        title=_("Retract the placement"),
        success=_("Placement retracted; it stays in the history."),
        file=placement.file,
    )


@GET_POST
@cap_required(Cap.AFTERCARE_EDIT)
def followup_correct(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    visit = selectors.followup_get(user, key)
    form = VisitCorrectForm(
        request.POST or None, user=user, initial=VisitCorrectForm.initial_for(visit)
    )
    withhold(user, form, visit, {"notes": "notes"})
    return _correction_page(
        request,
        form,
        lambda: services.followup_correct(
            actor=user,
            visit=visit,
            data=form.visit_data(),
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
        title=_("Correct the visit"),
        success=_("Visit corrected; the old version is in the history."),
        file=visit.file,
    )


@GET_POST
@cap_required(Cap.AFTERCARE_EDIT)
def followup_retract(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    visit = selectors.followup_get(user, key)
    form = RetractForm(request.POST or None)
    return _correction_page(
        request,
        form,
        lambda: services.followup_retract(
            actor=user, visit=visit, reason=form.cleaned_data["reason"]
        ),
        title=_("Retract the visit"),
        success=_("Visit retracted; it stays in the history."),
        file=visit.file,
    )
