"""Data-protection pages: the panel on person and request pages, purposes, consent,
disclosures, subject access and erasure.

Reading a person's panel needs ``Cap.PERSON_VIEW``, a request's ``Cap.TRACING_VIEW``;
writing needs the matching edit capability. Deciding on a disclosure, subject access and
erasure need a supervisor (``Cap.AUDIT_VIEW`` on top); views that let data leave are
behind ``reauth_required``. Another agency's record is a 404 (scoped selectors).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wayhome.accounts.models import User
from wayhome.accounts.permissions import cap_required, reauth_required
from wayhome.accounts.roles import Cap
from wayhome.core.forms import apply_service_errors
from wayhome.core.views import GET_POST, acting_user
from wayhome.people import selectors as people_sel
from wayhome.people.models import Person
from wayhome.protection import selectors as sel
from wayhome.protection import services
from wayhome.protection.forms import (
    ConsentForm,
    DecisionForm,
    DisclosureForm,
    ExportForm,
    ProcessingForm,
    ReasonForm,
    SentForm,
)
from wayhome.protection.models import Disclosure
from wayhome.protection.subject import document_numbers_visible, person_dossier
from wayhome.tracing import selectors as tracing_sel
from wayhome.tracing.models import TracingRequest


def _is_supervisor(user: User) -> bool:
    return user.has_cap(Cap.AUDIT_VIEW)


def _saved(form: forms.Form, call: Callable[[], object]) -> bool:
    """Run a service; on a ValidationError show it on the form and report failure."""
    try:
        call()
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return False
    return True


def _form_page(
    request: HttpRequest, form: forms.Form, title: str, back: str, **extra: Any
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": title, "back": back, **extra}
    return render(request, "protection/form.html", context, status=status)


# --- the panel --------------------------------------------------------------------------


def _panel(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    template = (
        "protection/_panel_body.html"
        if request.headers.get("HX-Request")
        else "protection/panel.html"
    )
    return render(request, template, context)


@require_GET
@cap_required(Cap.PERSON_VIEW)
def person_panel(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    p = people_sel.person_get(user, person)
    return _panel(
        request,
        {
            "person": p,
            "record": sel.processing_of(person=p),
            "consents": sel.consents_now(person=p),
            "history": sel.consent_history(person=p),
            "disclosures": sel.disclosures_of(user, p),
            "can_edit": user.has_cap(Cap.PERSON_EDIT),
            "is_supervisor": _is_supervisor(user),
        },
    )


@require_GET
@cap_required(Cap.TRACING_VIEW)
def request_panel(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    obj = tracing_sel.request_get(user, key)
    return _panel(
        request,
        {
            "obj": obj,
            "record": sel.processing_of(request=obj),
            "consents": sel.consents_now(inquirer=obj.inquirer),
            "history": sel.consent_history(inquirer=obj.inquirer),
            "can_edit": user.has_cap(Cap.TRACING_EDIT),
        },
    )


# --- purpose and legal basis, consent ------------------------------------------------------


def _processing(
    request: HttpRequest,
    back: str,
    *,
    person: Person | None = None,
    obj: TracingRequest | None = None,
) -> HttpResponse:
    record = sel.processing_of(person=person, request=obj)
    initial = (
        {"purpose": record.purpose, "legal_basis": record.legal_basis, "notes": record.notes}
        if record
        else {}
    )
    form = ProcessingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = lambda: services.processing_record_set(  # noqa: E731
            actor=acting_user(request), person=person, request=obj, **data
        )
        if _saved(form, call):
            messages.success(request, _("Purpose and legal basis recorded."))
            return redirect(back)
    return _form_page(request, form, _("Purpose and legal basis"), back, subject=person or obj)


def _consent(
    request: HttpRequest,
    back: str,
    *,
    person: Person | None = None,
    obj: TracingRequest | None = None,
) -> HttpResponse:
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = lambda: services.consent_record(  # noqa: E731
            actor=acting_user(request),
            person=person,
            inquirer=obj.inquirer if obj is not None else None,
            scope=data["scope"],
            given=data["decision"],
            method=data["method"],
            on=data["on"],
            notes=data["notes"],
        )
        if _saved(form, call):
            messages.success(request, _("Consent decision recorded."))
            return redirect(back)
    return _form_page(request, form, _("Record a consent decision"), back, subject=person or obj)


def _person_back(p: Person) -> str:
    return reverse("people:detail", args=[p.uuid]) + "#protection"


def _request_back(obj: TracingRequest) -> str:
    return reverse("tracing:request_detail", args=[obj.uuid]) + "#protection"


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def person_processing(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    p = people_sel.person_get(acting_user(request), person)
    return _processing(request, _person_back(p), person=p)


@GET_POST
@cap_required(Cap.TRACING_EDIT)
def request_processing(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    obj = tracing_sel.request_get(acting_user(request), key)
    return _processing(request, _request_back(obj), obj=obj)


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def person_consent(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    p = people_sel.person_get(acting_user(request), person)
    return _consent(request, _person_back(p), person=p)


@GET_POST
@cap_required(Cap.TRACING_EDIT)
def request_consent(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    obj = tracing_sel.request_get(acting_user(request), key)
    return _consent(request, _request_back(obj), obj=obj)


# --- disclosures ----------------------------------------------------------------------------


@require_GET
@cap_required(Cap.PERSON_VIEW)
def disclosure_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = sel.disclosures_visible_to(acting_user(request))
    if status in Disclosure.Status.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "protection/disclosure_list.html",
        {"rows": rows[:200], "status": status, "statuses": Disclosure.Status.choices},
    )


def _offered(user: User, request: HttpRequest) -> tuple[list[Person], set[str]]:
    """Persons to show as choices: those already picked, then the search's matches."""
    picked = {str(v) for v in request.POST.getlist("persons") + request.GET.getlist("person")}
    chosen: list[Person] = []
    for key in sorted(picked):
        try:
            chosen.append(people_sel.person_get(user, key))
        except Http404:  # an unknown or foreign id is simply not offered
            continue
    found = people_sel.persons_matching(user, request.GET.get("q", ""))
    seen = {p.pk for p in chosen}
    return chosen + [p for p in found if p.pk not in seen], {str(p.uuid) for p in chosen}


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def disclosure_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = DisclosureForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created: list[Disclosure] = []
        call = lambda: created.append(  # noqa: E731
            services.disclosure_propose(
                actor=user,
                recipient=data["recipient"],
                recipient_kind=data["recipient_kind"],
                legal_basis=data["legal_basis"],
                purpose=data["purpose"],
                persons=list(data["persons"]),
                data_kinds=data["data_kinds"],
            )
        )
        if _saved(form, call):
            messages.success(request, _("Disclosure proposed: a supervisor must approve it."))
            return redirect("protection:disclosure_detail", key=created[0].uuid)
    offered, picked = _offered(user, request)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "protection/disclosure_form.html",
        {"form": form, "offered": offered, "picked": picked, "q": request.GET.get("q", "")},
        status=status,
    )


def _detail(request: HttpRequest, d: Disclosure, **extra: Any) -> dict[str, Any]:
    user = acting_user(request)
    return {
        "d": d,
        "persons": d.persons.order_by("display_name", "id"),
        "blockers": sel.disclosure_blockers(d) if d.is_pending else [],
        "may_decide": _is_supervisor(user)
        and d.status == Disclosure.Status.PROPOSED
        and d.requested_by_id != user.pk,
        "may_send": user.has_cap(Cap.PERSON_EDIT) and d.status == Disclosure.Status.APPROVED,
        **extra,
    }


@require_GET
@cap_required(Cap.PERSON_VIEW)
def disclosure_detail(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    d = sel.disclosure_get(acting_user(request), key)
    return render(request, "protection/disclosure_detail.html", _detail(request, d))


@GET_POST
@cap_required(Cap.PERSON_VIEW)
@cap_required(Cap.AUDIT_VIEW)
@reauth_required
def disclosure_decide(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """Four eyes: a supervisor other than the requester approves or refuses."""
    user = acting_user(request)
    d = sel.disclosure_get(user, key)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        call = (
            (lambda: services.disclosure_approve(actor=user, disclosure=d))
            if approve
            else (
                lambda: services.disclosure_refuse(
                    actor=user, disclosure=d, reason=form.cleaned_data["reason"]
                )
            )
        )
        if _saved(form, call):
            messages.success(
                request, _("Disclosure approved.") if approve else _("Disclosure refused.")
            )
            return redirect("protection:disclosure_detail", key=d.uuid)
        d.refresh_from_db()
    status = 400 if request.method == "POST" else 200
    return render(
        request, "protection/disclosure_decide.html", _detail(request, d, form=form), status=status
    )


@GET_POST
@cap_required(Cap.PERSON_EDIT)
@reauth_required
def disclosure_sent(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """Record that the approved data left (checked again: consent may have changed)."""
    user = acting_user(request)
    d = sel.disclosure_get(user, key)
    form = SentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = lambda: services.disclosure_mark_sent(  # noqa: E731
            actor=user, disclosure=d, on=form.cleaned_data["on"]
        )
        if _saved(form, call):
            messages.success(request, _("Disclosure marked as sent."))
            return redirect("protection:disclosure_detail", key=d.uuid)
        d.refresh_from_db()
    back = reverse("protection:disclosure_detail", kwargs={"key": d.uuid})
    return _form_page(request, form, _("Mark the disclosure as sent"), back, disclosure=d)


# --- subject requests -------------------------------------------------------------------------


@GET_POST
@cap_required(Cap.PERSON_VIEW)
@cap_required(Cap.AUDIT_VIEW)
@reauth_required
def subject_access(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    """Everything held on a person, as a page or JSON, once a reason is given (audited)."""
    user = acting_user(request)
    p = people_sel.person_get(user, person)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["format"]
        call = lambda: services.subject_export_record(  # noqa: E731
            actor=user, person=p, reason=form.cleaned_data["reason"], fmt=fmt
        )
        if _saved(form, call):
            dossier = person_dossier(user, p, reveal_numbers=document_numbers_visible(user))
            if fmt == "json":
                body = json.dumps(dossier, ensure_ascii=False, indent=2)
                response = HttpResponse(body, content_type="application/json; charset=utf-8")
                response["Content-Disposition"] = f'attachment; filename="subject-{p.uuid}.json"'
                return response
            return render(
                request, "protection/subject_access.html", {"person": p, "dossier": dossier}
            )
    back = _person_back(p)
    return _form_page(request, form, _("Everything we hold on this person"), back, subject=p)


@GET_POST
@cap_required(Cap.PERSON_EDIT)
@cap_required(Cap.AUDIT_VIEW)
def person_erase(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    """Erase (anonymise) a person on request, unless an open case or disclosure needs them."""
    user = acting_user(request)
    p = people_sel.person_get(user, person)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = lambda: services.person_erase(  # noqa: E731
            actor=user, person=p, reason=form.cleaned_data["reason"]
        )
        if _saved(form, call):
            messages.success(request, _("The person's identifying data has been erased."))
            return redirect("people:detail", person=p.uuid)
    back = _person_back(p)
    refusals = services.erase_refusals(p)
    return _form_page(
        request, form, _("Erase this person's data"), back, subject=p, refusals=refusals, erase=True
    )
