"""Need-to-know pages for supervisors: teams, members, and who holds which record.

Every view needs ``records.assign``; records are found through the usual scoped
selectors, so another agency's id is a 404; every change is an audited service call.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wayhome.accounts import assignment
from wayhome.accounts import selectors as sel
from wayhome.accounts.forms_assign import AssignForm, MembersForm, NeedToKnowForm, TeamForm
from wayhome.accounts.models import User
from wayhome.accounts.permissions import cap_required
from wayhome.accounts.roles import Cap
from wayhome.core.forms import apply_service_errors
from wayhome.people import selectors as people_sel
from wayhome.tracing import selectors as tracing_sel

GET_POST = require_http_methods(["GET", "POST"])


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _saved(form: forms.Form, call: Callable[[], object]) -> bool:
    try:
        call()
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return False
    return True


@GET_POST
@cap_required(Cap.RECORDS_ASSIGN)
def team_list(request: HttpRequest) -> HttpResponse:
    """The agency's teams and the need-to-know switch; a new team by POST."""
    user = _user(request)
    agency = user.agency
    assert agency is not None  # noqa: S101  (records.assign needs an agency)
    form = TeamForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(form, lambda: assignment.team_create(actor=user, name=form.cleaned_data["name"]))
    ):
        messages.success(request, _("Team created."))
        return redirect("accounts:team_list")
    context = {
        "teams": sel.teams_with_members(user),
        "form": form,
        "switch": NeedToKnowForm(initial={"enabled": agency.need_to_know}),
        "need_to_know": agency.need_to_know,
    }
    return render(request, "accounts/team_list.html", context, status=400 if form.errors else 200)


@require_POST
@cap_required(Cap.RECORDS_ASSIGN)
def need_to_know(request: HttpRequest) -> HttpResponse:
    form = NeedToKnowForm(request.POST)
    form.is_valid()
    assignment.need_to_know_set(
        actor=_user(request), enabled=form.cleaned_data.get("enabled", False)
    )
    messages.success(request, _("Need-to-know setting saved."))
    return redirect("accounts:team_list")


@GET_POST
@cap_required(Cap.RECORDS_ASSIGN)
def team_members(request: HttpRequest, team: uuid.UUID) -> HttpResponse:
    user = _user(request)
    t = sel.team_get(user, team)
    form = MembersForm(request.POST or None, user=user, initial={"members": list(t.members.all())})
    if request.method == "POST" and form.is_valid():
        members = form.cleaned_data["members"]
        if _saved(form, lambda: assignment.team_members_set(actor=user, team=t, members=members)):
            messages.success(request, _("Members saved."))
            return redirect("accounts:team_list")
    return render(
        request,
        "accounts/assign_form.html",
        {
            "form": form,
            "title": _("Members of %(team)s") % {"team": t.name},
            "back": reverse("accounts:team_list"),
        },
        status=400 if form.errors else 200,
    )


@GET_POST
@cap_required(Cap.PERSON_VIEW)
@cap_required(Cap.RECORDS_ASSIGN)
def person_assign(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    user = _user(request)
    p = people_sel.person_get(user, person)
    initial = {"team": p.team_id, "assigned_to": p.assigned_to_id}
    form = AssignForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        call = lambda: assignment.person_assign(  # noqa: E731
            actor=user, person=p, team=d["team"], assigned_to=d["assigned_to"], reason=d["reason"]
        )
        if _saved(form, call):
            messages.success(request, _("Assignment saved."))
            return redirect("people:detail", p.uuid)
    return render(
        request,
        "accounts/assign_form.html",
        {
            "form": form,
            "title": _("Assign a person"),
            "subject": p,
            "back": reverse("people:detail", args=[p.uuid]),
        },
        status=400 if form.errors else 200,
    )


@GET_POST
@cap_required(Cap.TRACING_VIEW)
@cap_required(Cap.RECORDS_ASSIGN)
def request_assign(request: HttpRequest, request_uuid: uuid.UUID) -> HttpResponse:
    user = _user(request)
    obj = tracing_sel.request_get(user, request_uuid)
    initial = {"team": obj.team_id, "assigned_to": obj.assigned_to_id}
    form = AssignForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        call = lambda: assignment.request_assign(  # noqa: E731
            actor=user,
            request=obj,
            team=d["team"],
            assigned_to=d["assigned_to"],
            reason=d["reason"],
        )
        if _saved(form, call):
            messages.success(request, _("Assignment saved: the sought persons follow the request."))
            return redirect("tracing:request_detail", request_uuid=obj.uuid)
    return render(
        request,
        "accounts/assign_form.html",
        {
            "form": form,
            "title": _("Assign a tracing request"),
            "subject": obj.reference,
            "back": reverse("tracing:request_detail", kwargs={"request_uuid": obj.uuid}),
            "help": _(
                "The request's sought persons follow it, unless another team or colleague "
                "already holds them."
            ),
        },
        status=400 if form.errors else 200,
    )
