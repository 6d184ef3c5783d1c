"""Staff pages of talking with families: the log, the notifications, the templates and
the inbox of what relatives sent through their page.

Reading needs ``Cap.COMMS_VIEW``, writing ``Cap.COMMS_EDIT``, templates
``Cap.RULES_ADMIN``; another agency's record is a 404 (scoped selectors). Reading a
request's or a family's log is an audited view, as reading a person is.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from wayhome.accounts.models import User
from wayhome.accounts.permissions import cap_required
from wayhome.accounts.roles import Cap
from wayhome.accounts.sensitivity import Visibility, field_class, redact_all, visibility
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.comms import delivery, selectors, services, texts
from wayhome.comms.forms import EntryForm, TemplateForm
from wayhome.comms.models import LANGUAGES, Channel, CommEntry, Kind
from wayhome.core.views import GET_POST, acting_user
from wayhome.people.models import FamilyGroup
from wayhome.portal import services as portal_services
from wayhome.protection.models import Scope
from wayhome.protection.selectors import current_consent
from wayhome.tracing.models import TracingRequest


def _saved(form: forms.Form, call: Callable[[], object]) -> bool:
    from wayhome.core.forms import apply_service_errors

    try:
        call()
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return False
    return True


def _file_response(field: Any, content_type: str, disposition: str) -> HttpResponse:
    with field.open("rb") as f:  # at most 10 MB, checked on upload
        content = f.read()
    response = HttpResponse(content, content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = disposition
    return response


def _may_read_attachments(user: User) -> bool:
    """An attachment is read in full or not at all: a masking role gets no link."""
    return visibility(user, field_class(CommEntry, "attachment")) is Visibility.SEE


# --- the log -----------------------------------------------------------------------------


def _log(
    request: HttpRequest,
    *,
    obj: TracingRequest | FamilyGroup,
    entries: Any,
    add_url: str,
    form: EntryForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = acting_user(request)
    audit_record(actor=user, action=AuditEvent.Action.VIEW, obj=obj, changes={"page": "comms_log"})
    page = Paginator(entries, 30).get_page(request.GET.get("page"))
    # What was said with the family is ``contact``: masked for legal officers.
    page.object_list = redact_all(user, page.object_list)
    context = {
        "obj": obj,
        "show_attachments": _may_read_attachments(user),
        "is_request": isinstance(obj, TracingRequest),
        "page": page,
        "form": form or EntryForm(),
        "add_url": add_url,
        "can_edit": user.has_cap(Cap.COMMS_EDIT),
    }
    template = "comms/_log.html" if request.headers.get("HX-Request") else "comms/log.html"
    return render(request, template, context, status=status)


def _add(
    request: HttpRequest, *, obj: TracingRequest | FamilyGroup, back: str, add_url: str
) -> HttpResponse:
    user = acting_user(request)
    form = EntryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        target: dict[str, Any] = (
            {"request": obj} if isinstance(obj, TracingRequest) else {"family": obj}
        )
        if _saved(
            form,
            lambda: services.comm_entry_create(
                actor=user,
                occurred_on=d["occurred_on"],
                medium=d["medium"],
                direction=d["direction"],
                summary=d["summary"],
                relative=d["relative"],
                attachment=d["attachment"],
                **target,
            ),
        ):
            messages.success(request, _("Recorded in the communication log."))
            return redirect(back)
    entries = selectors.entries_of(
        user,
        request=obj if isinstance(obj, TracingRequest) else None,
        family=obj if isinstance(obj, FamilyGroup) else None,
    )
    status = 400 if request.method == "POST" else 200
    return _log(request, obj=obj, entries=entries, add_url=add_url, form=form, status=status)


@require_GET
@cap_required(Cap.COMMS_VIEW)
def request_log(request: HttpRequest, key: str) -> HttpResponse:
    obj = selectors.request_get(acting_user(request), key)
    entries = selectors.entries_of(acting_user(request), request=obj)
    return _log(
        request, obj=obj, entries=entries, add_url=reverse("comms:request_log_add", args=[obj.uuid])
    )


@GET_POST
@cap_required(Cap.COMMS_EDIT)
def request_log_add(request: HttpRequest, key: str) -> HttpResponse:
    obj = selectors.request_get(acting_user(request), key)
    return _add(
        request,
        obj=obj,
        back=reverse("tracing:request_detail", args=[obj.uuid]) + "#comms",
        add_url=reverse("comms:request_log_add", args=[obj.uuid]),
    )


@require_GET
@cap_required(Cap.COMMS_VIEW)
def family_log(request: HttpRequest, key: str) -> HttpResponse:
    obj = selectors.family_get(acting_user(request), key)
    entries = selectors.entries_of(acting_user(request), family=obj)
    return _log(
        request, obj=obj, entries=entries, add_url=reverse("comms:family_log_add", args=[obj.uuid])
    )


@GET_POST
@cap_required(Cap.COMMS_EDIT)
def family_log_add(request: HttpRequest, key: str) -> HttpResponse:
    obj = selectors.family_get(acting_user(request), key)
    return _add(
        request,
        obj=obj,
        back=reverse("people:family_detail", args=[obj.uuid]) + "#comms",
        add_url=reverse("comms:family_log_add", args=[obj.uuid]),
    )


@require_GET
@cap_required(Cap.COMMS_VIEW)
def attachment(request: HttpRequest, key: str) -> HttpResponse:
    """An attachment's bytes, for a reader of the log; never cached, never a public file."""
    user = acting_user(request)
    entry = selectors.entry_get(user, key)
    if not entry.attachment or not _may_read_attachments(user):
        raise Http404
    audit_record(
        actor=user, action=AuditEvent.Action.VIEW, obj=entry, changes={"page": "attachment"}
    )
    disposition = "inline" if entry.attachment_type.startswith("image/") else "attachment"
    return _file_response(entry.attachment, entry.attachment_type, disposition)


# --- notifications ---------------------------------------------------------------------


@require_GET
@cap_required(Cap.COMMS_VIEW)
def request_notifications(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    obj = selectors.request_get(user, key)
    inquirer = obj.inquirer
    audit_record(
        actor=user, action=AuditEvent.Action.VIEW, obj=obj, changes={"page": "notifications"}
    )
    channels = [
        {
            "label": label,
            "consent": current_consent(
                Scope.NOTIFY_EMAIL if value == Channel.EMAIL else Scope.NOTIFY_SMS,
                inquirer=inquirer,
            ),
            "address": bool(services.address_of(inquirer, value)),
            "allowed": services.channel_allowed(inquirer, value),
        }
        for value, label in Channel.choices
    ]
    return render(
        request,
        "comms/notifications.html",
        {
            "obj": obj,
            "rows": selectors.notifications_of(user, obj),
            "channels": channels,
            "contact_withdrawn": current_consent(Scope.CONTACT, inquirer=inquirer) is False,
            "can_edit": user.has_cap(Cap.COMMS_EDIT),
        },
    )


@require_POST
@cap_required(Cap.COMMS_EDIT)
def notification_retry(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    row = selectors.notification_get(user, key)
    try:
        services.notification_retry(actor=user, notification=row)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The notification will be sent again."))
    if row.request is None:
        raise Http404
    return redirect("comms:request_notifications", key=row.request.uuid)


@csrf_exempt
@require_POST
def sms_status(request: HttpRequest) -> HttpResponse:
    """The SMS gateway's delivery report: ``{"id": ..., "status": "delivered"|"failed"}``
    with ``Authorization: Bearer <WAYHOME_SMS_CALLBACK_TOKEN>``. Public on purpose (the
    gateway has no account); without the right token it changes nothing."""
    expected = str(getattr(settings, "WAYHOME_SMS_CALLBACK_TOKEN", "") or "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"error": "unauthorised"}, status=401)
    try:
        data = json.loads(request.body or b"{}")
        gateway_id, state = str(data["id"]), str(data["status"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "expected id and status"}, status=400)
    if state not in ("delivered", "failed"):
        return JsonResponse({"error": "status is delivered or failed"}, status=400)
    row = delivery.delivery_report(
        gateway_id=gateway_id, delivered=state == "delivered", error=str(data.get("error", ""))
    )
    return JsonResponse({"updated": row is not None})


# --- templates -------------------------------------------------------------------------


@require_GET
@cap_required(Cap.RULES_ADMIN)
def template_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    current: dict[tuple[str, str, str], int] = {}
    for t in selectors.templates_of(user):
        key = (t.kind, t.language, t.channel)
        current[key] = max(current.get(key, 0), t.version)
    rows = [
        {
            "kind": kind,
            "kind_label": kind_label,
            "cells": [
                {
                    "language": lang,
                    "channel": channel,
                    "version": current.get((kind, lang, channel), 0),
                }
                for lang, _name in LANGUAGES
                for channel in Channel.values
            ],
        }
        for kind, kind_label in Kind.choices
    ]
    columns = [
        (name, Channel(channel).label) for _lang, name in LANGUAGES for channel in Channel.values
    ]
    return render(request, "comms/template_list.html", {"rows": rows, "columns": columns})


@GET_POST
@cap_required(Cap.RULES_ADMIN)
def template_edit(request: HttpRequest, kind: str, language: str, channel: str) -> HttpResponse:
    user = acting_user(request)
    if kind not in Kind.values or channel not in Channel.values or language not in dict(LANGUAGES):
        raise Http404
    subject, body, version = services.template_text(user.agency_key, kind, language, channel)
    form = TemplateForm(request.POST or None, initial={"subject": subject, "body": body})
    if channel == Channel.SMS:
        del form.fields["subject"]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _saved(
            form,
            lambda: services.template_save(
                actor=user,
                kind=kind,
                language=language,
                channel=channel,
                subject=d.get("subject", ""),
                body=d["body"],
            ),
        ):
            messages.success(request, _("Saved as a new version."))
            return redirect("comms:template_edit", kind=kind, language=language, channel=channel)
    history = selectors.templates_of(user).filter(kind=kind, language=language, channel=channel)
    sample = {
        "reference": f"{user.agency.reference_prefix if user.agency else 'AAA'}-2019-00012",
        "agency": str(user.agency or ""),
        "portal_url": services.portal_url(),
        "code": "123456",
        "minutes": "10",
    }
    return render(
        request,
        "comms/template_form.html",
        {
            "form": form,
            "kind_label": Kind(kind).label,
            "language_label": dict(LANGUAGES)[language],
            "language": language,
            "channel_label": Channel(channel).label,
            "version": version,
            "history": history,
            "placeholders": sorted(texts.PLACEHOLDERS[kind]),
            "preview_subject": texts.render(subject, sample) if channel == Channel.EMAIL else "",
            "preview_body": texts.render(body, sample),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- what relatives sent -----------------------------------------------------------------


@require_GET
@cap_required(Cap.COMMS_VIEW)
def inbox(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    reviewed = request.GET.get("reviewed") == "1"
    page = Paginator(selectors.submissions_of(user, reviewed=reviewed), 30).get_page(
        request.GET.get("page")
    )
    audit_record(actor=user, action=AuditEvent.Action.VIEW, changes={"page": "comms_inbox"})
    return render(
        request,
        "comms/inbox.html",
        {"page": page, "reviewed": reviewed, "can_edit": user.has_cap(Cap.COMMS_EDIT)},
    )


@require_POST
@cap_required(Cap.COMMS_EDIT)
def submission_reviewed(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    submission = selectors.submission_get(user, key)
    try:
        portal_services.submission_review(actor=user, submission=submission)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked as reviewed."))
    return redirect("comms:inbox")


@require_GET
@cap_required(Cap.COMMS_VIEW)
def submission_photo(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    submission = selectors.submission_get(user, key)
    if not submission.photo:
        raise Http404
    audit_record(
        actor=user, action=AuditEvent.Action.VIEW, obj=submission, changes={"page": "photo"}
    )
    return _file_response(submission.photo, submission.photo_type, "inline")
