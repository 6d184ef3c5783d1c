"""Referral pages: propose, decide, revoke (the owner agency), read (the receiving one).

The owner's pages need ``tracing.view`` (proposing ``tracing.edit``, deciding
``records.assign``); proposing and deciding need a fresh login, as every share does. The
receiving agency's page shows only the parts shared, read-only, and answers 404 the
moment the referral is revoked or the inquirer's consent withdrawn.
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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wayhome.accounts.models import User
from wayhome.accounts.permissions import cap_required, reauth_required
from wayhome.accounts.roles import Cap
from wayhome.accounts.sensitivity import redact
from wayhome.core.forms import apply_service_errors
from wayhome.protection import referrals as ref
from wayhome.protection.forms import DecisionForm, ReasonForm, ReferralForm
from wayhome.protection.models import Referral
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


@require_GET
@cap_required(Cap.TRACING_VIEW)
def referral_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "protection/referral_list.html",
        {"sent": ref.referrals_sent(user)[:200], "received": ref.referrals_received(user)},
    )


@GET_POST
@cap_required(Cap.TRACING_EDIT)
@reauth_required
def referral_create(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    user = _user(request)
    obj = tracing_sel.request_get(user, key)
    form = ReferralForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        created: list[Referral] = []

        def call() -> None:
            created.append(
                ref.referral_propose(
                    actor=user,
                    request=obj,
                    to_agency=d["to_agency"],
                    reason=d["reason"],
                    parts=d["parts"],
                )
            )

        if _saved(form, call):
            messages.success(request, _("Referral proposed: a second supervisor must approve it."))
            return redirect("protection:referral_detail", key=created[0].uuid)
    return render(
        request,
        "protection/form.html",
        {
            "form": form,
            "title": _("Refer to another agency"),
            "subject": obj.reference,
            "back": reverse("tracing:request_detail", kwargs={"request_uuid": obj.uuid}),
        },
        status=400 if form.errors else 200,
    )


def _detail_context(user: User, r: Referral) -> dict[str, object]:
    return {
        "r": r,
        "in_force": ref.in_force(r),
        "may_decide": r.status == Referral.Status.PROPOSED
        and user.has_cap(Cap.RECORDS_ASSIGN)
        and r.requested_by_id != user.pk,
        "may_revoke": r.status in (Referral.Status.PROPOSED, Referral.Status.ACTIVE)
        and (user.has_cap(Cap.RECORDS_ASSIGN) or r.requested_by_id == user.pk),
        "decision": DecisionForm(),
        "revoke": ReasonForm(),
    }


@require_GET
@cap_required(Cap.TRACING_VIEW)
def referral_detail(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    user = _user(request)
    r = ref.referral_sent_get(user, key)
    return render(request, "protection/referral_detail.html", _detail_context(user, r))


@require_POST
@cap_required(Cap.TRACING_VIEW)
@cap_required(Cap.RECORDS_ASSIGN)
@reauth_required
def referral_decide(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """Four eyes: a supervisor other than the requester approves or refuses."""
    user = _user(request)
    r = ref.referral_sent_get(user, key)
    form = DecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        reason = form.cleaned_data["reason"]

        def call() -> None:
            if approve:
                ref.referral_approve(actor=user, referral=r)
            else:
                ref.referral_refuse(actor=user, referral=r, reason=reason)

        if _saved(form, call):
            messages.success(
                request, _("Referral approved.") if approve else _("Referral refused.")
            )
            return redirect("protection:referral_detail", key=r.uuid)
        r.refresh_from_db()
    context = {**_detail_context(user, r), "decision": form}
    return render(request, "protection/referral_detail.html", context, status=400)


@require_POST
@cap_required(Cap.TRACING_EDIT)
def referral_revoke(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    user = _user(request)
    r = ref.referral_sent_get(user, key)
    form = ReasonForm(request.POST)
    if form.is_valid() and _saved(
        form,
        lambda: ref.referral_revoke(actor=user, referral=r, reason=form.cleaned_data["reason"]),
    ):
        messages.success(request, _("Sharing ended: the other agency no longer sees it."))
        return redirect("protection:referral_detail", key=r.uuid)
    r.refresh_from_db()
    context = {**_detail_context(user, r), "revoke": form}
    return render(request, "protection/referral_detail.html", context, status=400)


@require_GET
@cap_required(Cap.TRACING_VIEW)
def shared_request(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """The receiving agency's read-only view of what was shared with it."""
    user = _user(request)
    r = ref.referral_received_read(user, key)
    redact(user, r.request)
    redact(user, r.request.inquirer)
    return render(
        request,
        "protection/shared_request.html",
        {"r": r, "obj": r.request, "sought": ref.shared_sought(r), "parts": set(r.parts)},
    )
