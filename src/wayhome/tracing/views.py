"""Tracing pages: information reports, whereabouts timelines, tracing requests.

Every view: the capability gate first, then a scoped selector (another agency's record is
a 404), then forms, then a service; a service's ValidationError goes back onto the form and
nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from wayhome.accounts.models import User
from wayhome.accounts.permissions import cap_required
from wayhome.accounts.roles import Cap
from wayhome.accounts.sensitivity import redact, redact_all, withhold
from wayhome.core.pagination import CappedPaginator
from wayhome.core.versioning import Conflict, StaleVersion, conflict_differences, conflict_for
from wayhome.core.views import GET_POST, acting_user, attempt, uuids_in_query
from wayhome.matching.step import StepQuery, candidate_step, new_sought_query
from wayhome.people.models import Person
from wayhome.people.selectors import family_group_get, person_get, persons_matching
from wayhome.review.services import candidates_queue_for_request
from wayhome.tracing import selectors, services
from wayhome.tracing.forms import (
    InquirerForm,
    NewReportForm,
    NewSoughtFormSet,
    ReportForm,
    RequestFilterForm,
    RequestForm,
    RetractForm,
    TransitionForm,
    WhereaboutsForm,
)
from wayhome.tracing.models import InformationReport, SoughtPerson, TracingRequest

T = TypeVar("T")


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _attempt(form: forms.Form, save: Callable[[], T]) -> T | None:
    """Run a service; on a ValidationError put it on the form and return None (a
    ``StaleVersion`` goes up to the edit view, which shows what changed)."""
    return attempt(form, save, passing=(StaleVersion,))


def _all_valid(*parts: Any) -> bool:
    """Validate every form (so each shows its errors), not just up to the first invalid."""
    results = [part.is_valid() for part in parts]
    return all(results)


def person_url(person: Person) -> str:
    """The person's page, or their timeline while the person page is not there."""
    try:
        return reverse("people:detail", args=[person.uuid])
    except NoReverseMatch:
        return reverse("tracing:person_timeline", args=[person.uuid])


# --- information reports -------------------------------------------------------------


@require_GET
@cap_required(Cap.PERSON_VIEW)
def report_list(request: HttpRequest) -> HttpResponse:
    channel = request.GET.get("channel", "")
    reports = selectors.reports_listed(acting_user(request))
    if channel in InformationReport.Channel.values:
        reports = reports.filter(channel=channel)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    redact_all(acting_user(request), page.object_list)
    return render(
        request,
        "tracing/report_list.html",
        {"page": page, "channel": channel, "channels": InformationReport.Channel.choices},
    )


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def report_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    initial = {"persons": uuids_in_query(request, "person"), "received_on": timezone.localdate()}
    form = ReportForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        report = _attempt(
            form,
            lambda: services.report_create(
                actor=user, persons=list(d["persons"]), **services.shallow(form.report_data())
            ),
        )
        if report is not None:
            messages.success(request, _("Report recorded."))
            return redirect("tracing:report_detail", report_uuid=report.uuid)
    return render(request, "tracing/report_form.html", {"form": form, "report": None})


@require_GET
@cap_required(Cap.PERSON_VIEW)
def report_detail(request: HttpRequest, report_uuid: str) -> HttpResponse:
    user = acting_user(request)
    report = selectors.report_get(user, report_uuid)
    return render(
        request,
        "tracing/report_detail.html",
        {
            "report": redact(user, report),
            "persons": selectors.report_persons(user, report).order_by("display_name"),
            "entries": selectors.entries_citing(report, user),
        },
    )


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def report_edit(request: HttpRequest, report_uuid: str) -> HttpResponse:
    user = acting_user(request)
    report = selectors.report_get(user, report_uuid)
    form = ReportForm(request.POST or None, user=user, initial=ReportForm.initial_for(report))
    withhold(user, form, report, {"summary": "summary"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _attempt(
            form,
            lambda: services.report_update(
                actor=user,
                report=report,
                persons=list(d["persons"]),
                **services.shallow(form.report_data()),
            ),
        )
        if saved is not None:
            messages.success(request, _("Report saved."))
            return redirect("tracing:report_detail", report_uuid=report.uuid)
    return render(request, "tracing/report_form.html", {"form": form, "report": report})


def _element_id(value: str, default: str) -> str:
    """An element id from the query string, or the default if it is anything else."""
    return value if re.fullmatch(r"[\w-]{1,80}", value) else default


@require_GET
@cap_required(Cap.PERSON_VIEW)
def person_picker(request: HttpRequest) -> HttpResponse:
    """The person picker's two answers (htmx): matching persons, or one picked person.

    A pick comes back as a ticked checkbox that is appended to the picked list, so further
    searches never lose what was already chosen.
    """
    user = acting_user(request)
    field = request.GET.get("field", "persons")
    with_relation = request.GET.get("relation") == "1"
    if "pick" in request.GET:
        person = person_get(user, request.GET["pick"])
        context: dict[str, Any] = {
            "field": field,
            "value": str(person.uuid),
            "label": person.display_name,
            "with_relation": with_relation,
        }
        return render(request, "tracing/_picked.html", context)
    q = request.GET.get(f"{field}_q") or request.GET.get("q", "")
    return render(
        request,
        "tracing/_picker_results.html",
        {
            "persons": persons_matching(user, q, limit=15),
            "field": field,
            "target": _element_id(request.GET.get("target", ""), f"id_{field}-picked"),
            "with_relation": with_relation,
        },
    )


# --- whereabouts ---------------------------------------------------------------------


@require_GET
@cap_required(Cap.PERSON_VIEW)
def person_timeline(request: HttpRequest, person_uuid: str) -> HttpResponse:
    """The timeline: just the fragment for htmx (the person page loads it), else a page."""
    user = acting_user(request)
    person = person_get(user, person_uuid)
    context = {
        "person": person,
        "timeline": selectors.timeline_of(user, person),
        "can_edit": user.has_cap(Cap.PERSON_EDIT),
        "person_url": person_url(person),
    }
    template = "tracing/_timeline.html" if _is_htmx(request) else "tracing/timeline.html"
    return render(request, template, context)


def _entry_forms(
    request: HttpRequest, persons: list[Person]
) -> tuple[WhereaboutsForm, NewReportForm]:
    reports = selectors.reports_concerning(acting_user(request), persons)
    data = request.POST or None
    today = {"received_on": timezone.localdate()}
    return WhereaboutsForm(data, reports=reports), NewReportForm(data, initial=today)


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def whereabouts_add(request: HttpRequest, person_uuid: str) -> HttpResponse:
    user = acting_user(request)
    person = person_get(user, person_uuid)
    form, new = _entry_forms(request, [person])
    if request.method == "POST" and form.is_valid() and new.is_valid():
        entry = _attempt(
            form,
            lambda: services.whereabouts_add(
                actor=user,
                person=person,
                entry=form.entry_data(),
                reports=list(form.cleaned_data["reports"]),
                new_report=new.wanted(),
            ),
        )
        if entry is not None:
            messages.success(request, _("Whereabouts recorded."))
            return redirect("tracing:person_timeline", person_uuid=person.uuid)
    return render(
        request,
        "tracing/whereabouts_form.html",
        {"form": form, "new": new, "person": person, "group": None, "members": [person]},
    )


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def group_whereabouts_add(request: HttpRequest, group_uuid: str) -> HttpResponse:
    """One entry for every member of a family group at once, all or nothing."""
    user = acting_user(request)
    group = family_group_get(user, group_uuid)
    members = list(group.members.order_by("display_name"))
    form, new = _entry_forms(request, members)
    if request.method == "POST" and form.is_valid() and new.is_valid():
        entries = _attempt(
            form,
            lambda: services.group_whereabouts_add(
                actor=user,
                group=group,
                entry=form.entry_data(),
                reports=list(form.cleaned_data["reports"]),
                new_report=new.wanted(),
            ),
        )
        if entries is not None:
            messages.success(
                request,
                _("Whereabouts recorded for %(n)d members.") % {"n": len(entries)},
            )
            return redirect(_group_url(group.uuid))
    return render(
        request,
        "tracing/whereabouts_form.html",
        {"form": form, "new": new, "person": None, "group": group, "members": members},
    )


def _group_url(group_uuid: Any) -> str:
    try:
        return reverse("people:family_detail", args=[group_uuid])
    except NoReverseMatch:
        return reverse("people:family_list")


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def whereabouts_retract(request: HttpRequest, entry_uuid: str) -> HttpResponse:
    user = acting_user(request)
    entry = selectors.entry_get(user, entry_uuid)
    form = RetractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form,
            lambda: services.whereabouts_retract(
                actor=user, entry=entry, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("Entry retracted; it stays in the history."))
            return redirect("tracing:person_timeline", person_uuid=entry.person.uuid)
    return render(request, "tracing/retract.html", {"form": form, "entry": entry})


# --- tracing requests ----------------------------------------------------------------


REQUEST_LIST_COLUMNS = (
    "uuid",
    "reference",
    "status",
    "closure_reason",
    "received_on",
    "inquirer__name",
    "inquirer__relationship",
    "assigned_to__username",
)


@require_GET
@cap_required(Cap.TRACING_VIEW)
def request_list(request: HttpRequest) -> HttpResponse:
    filters = RequestFilterForm(request.GET or None)
    status, q = "", ""
    if filters.is_valid():
        status, q = filters.cleaned_data["status"], filters.cleaned_data["q"]
    rows = (
        selectors.requests_filtered(acting_user(request), status=status, q=q)
        # What a row shows (tracing_tags.request_rows), no more: some 350 objects a page,
        # each decoding every column read (the inquirer's contact details are encrypted).
        # A column left out would cost a query a row: the list's tests count them.
        .only(*REQUEST_LIST_COLUMNS)
        .prefetch_related(
            Prefetch("sought_links", SoughtPerson.objects.only("request_id", "person_id")),
            Prefetch("sought_links__person", Person._base_manager.only("id", "display_name")),
        )
    )
    page = CappedPaginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "tracing/request_list.html", {"page": page, "filters": filters})


class InquirerChoiceForm(forms.Form):
    """Pick an inquirer already registered by the agency (or leave empty for a new one)."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inquirer"] = forms.ModelChoiceField(
            queryset=selectors.inquirers_visible_to(user),
            to_field_name="uuid",
            required=False,
            label=_("Existing inquirer"),
        )


def _new_sought(formset: Any) -> list[services.NewSought]:
    return [s for f in formset.forms if (s := f.new_sought()) is not None]


def _sought_queries(formset: Any) -> list[StepQuery]:
    """The new sought persons as candidate searches ("is this one of these?")."""
    return [new_sought_query(s.given, s.family, s.sex, s.birth_year) for s in _new_sought(formset)]


@GET_POST
@cap_required(Cap.TRACING_EDIT)
def request_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    data = request.POST or None
    form = RequestForm(data, user=user, initial={"received_on": timezone.localdate()})
    choice = InquirerChoiceForm(data, user=user)
    inquirer = InquirerForm(data, optional=True)
    sought = NewSoughtFormSet(data, prefix="new_sought")
    valid = _all_valid(form, choice, inquirer, sought)
    groups = (
        candidate_step(request, _sought_queries(sought))
        if request.method == "POST" and valid
        else []
    )
    if request.method == "POST" and valid and not groups:
        created = _attempt(
            form,
            lambda: services.request_create(
                actor=user,
                data=form.request_data(),
                inquirer=choice.cleaned_data["inquirer"],
                new_inquirer=None if choice.cleaned_data["inquirer"] else inquirer.inquirer_data(),
                sought=form.sought_links(),
                new_sought=_new_sought(sought),
            ),
        )
        if created is not None:
            messages.success(
                request, _("Tracing request %(ref)s opened.") % {"ref": created.reference}
            )
            queued = candidates_queue_for_request(actor=user, request=created)
            if queued:
                messages.info(
                    request,
                    ngettext(
                        "%(n)d possible match waits in the review queue.",
                        "%(n)d possible matches wait in the review queue.",
                        len(queued),
                    )
                    % {"n": len(queued)},
                )
            return redirect("tracing:request_detail", request_uuid=created.uuid)
    return render(
        request,
        "tracing/request_form.html",
        {
            "form": form,
            "choice": choice,
            "inquirer": inquirer,
            "sought": sought,
            "obj": None,
            "candidate_groups": groups,
        },
    )


def _detail(
    request: HttpRequest, obj: TracingRequest, transition: TransitionForm | None = None
) -> HttpResponse:
    user = acting_user(request)
    # Fields the role may not see are replaced before the template sees them.
    redact(user, obj)
    redact(user, obj.inquirer)
    return render(
        request,
        "tracing/request_detail.html",
        {
            "obj": obj,
            "sought": selectors.sought_of(obj),
            "history": selectors.request_history(obj).select_related("actor"),
            "transition": transition or TransitionForm(),
            "show_contact": user.has_cap(Cap.TRACING_VIEW),
            "can_edit": user.has_cap(Cap.TRACING_EDIT),
        },
    )


@require_GET
@cap_required(Cap.TRACING_VIEW)
def request_detail(request: HttpRequest, request_uuid: str) -> HttpResponse:
    return _detail(request, selectors.request_get(acting_user(request), request_uuid))


@GET_POST
@cap_required(Cap.TRACING_EDIT)
def request_edit(request: HttpRequest, request_uuid: str) -> HttpResponse:
    """The request's facts, its sought persons and the inquirer's details, saved together."""
    user = acting_user(request)
    obj = selectors.request_get(user, request_uuid)
    links = list(selectors.sought_of(obj))
    data = request.POST or None
    form = RequestForm(
        data,
        user=user,
        initial=RequestForm.initial_for(obj, links),
        relations={str(link.person.uuid): link.relation_to_inquirer for link in links},
    )
    inquirer = InquirerForm(data, initial=InquirerForm.initial_for(obj.inquirer))
    contact = {"phone": "phone", "email": "email", "address": "address"}
    withhold(user, inquirer, obj.inquirer, contact)
    withhold(user, form, obj, {"last_known": "last_known"})
    sought = NewSoughtFormSet(data, prefix="new_sought")
    form.fields["version"].required = True
    valid = _all_valid(form, inquirer, sought)
    conflict: Conflict | None = None
    if request.method == "POST" and valid:
        try:
            saved = _attempt(form, lambda: _save_request(user, obj, form, inquirer, sought))
        except StaleVersion as exc:
            saved = None
            fresh = selectors.request_get(user, request_uuid)
            fresh_links = list(selectors.sought_of(fresh))
            conflict = conflict_for(form, fresh, exc, RequestForm.initial_for(fresh, fresh_links))
            conflict.differences.extend(
                conflict_differences(inquirer, InquirerForm.initial_for(fresh.inquirer))
            )
        if saved is not None:
            messages.success(request, _("Tracing request saved."))
            return redirect("tracing:request_detail", request_uuid=obj.uuid)
    return render(
        request,
        "tracing/request_form.html",
        {
            "form": form,
            "choice": None,
            "inquirer": inquirer,
            "sought": sought,
            "obj": obj,
            "conflict": conflict,
        },
    )


@transaction.atomic
def _save_request(
    user: User, obj: TracingRequest, form: RequestForm, inquirer: InquirerForm, sought: Any
) -> TracingRequest:
    """Both services or neither: the edit page saves the request and its inquirer."""
    inquirer_data = inquirer.inquirer_data()
    assert inquirer_data is not None  # noqa: S101  (the name is required on this form)
    services.inquirer_update(actor=user, inquirer=obj.inquirer, data=inquirer_data)
    return services.request_update(
        actor=user,
        request=obj,
        data=form.request_data(),
        sought=form.sought_links(),
        new_sought=_new_sought(sought),
        expected_version=form.cleaned_data["version"],
    )


@require_POST
@cap_required(Cap.TRACING_EDIT)
def request_transition(request: HttpRequest, request_uuid: str) -> HttpResponse:
    user = acting_user(request)
    obj = selectors.request_get(user, request_uuid)
    form = TransitionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        done = _attempt(
            form,
            lambda: services.request_transition(
                actor=user,
                request=obj,
                to=d["to"],
                on=d["on"],
                closure_reason=d["closure_reason"],
                reason=d["reason"],
            ),
        )
        if done is not None:
            messages.success(
                request, _("Status changed to %(s)s.") % {"s": done.get_status_display()}
            )
            return redirect("tracing:request_detail", request_uuid=obj.uuid)
    obj.refresh_from_db()
    return _detail(request, obj, form)
