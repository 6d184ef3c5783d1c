"""The form cycle every app's pages share: show a form, validate it, call a service, say
so, go on; or show the service's refusal on the form. One copy here instead of one per
app, so a change to the cycle (a message, a status, an error's place) is made once.

Views only call services (writes) and selectors (reads); a service's ``ValidationError``
is a refusal the user can fix, shown next to the field it names.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wayhome.core.forms import apply_service_errors

if TYPE_CHECKING:  # core stays below accounts: no import of it at run time
    from wayhome.accounts.models import User

T = TypeVar("T")

# A form page: GET shows it, POST submits it; any other method is 405.
GET_POST = require_http_methods(["GET", "POST"])


def uuids_in_query(request: HttpRequest, name: str) -> list[str]:
    """The well-formed ids among the query parameter ``name``'s values, for a form's
    prefill ("new report about this person"). An id cut short or edited by hand loses
    its prefill, as an unknown or foreign one does; the form then failed with a 500."""
    kept = []
    for value in request.GET.getlist(name):
        try:
            kept.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return kept


def acting_user(request: HttpRequest) -> User:
    """The staff user the request acts for. Only for views behind ``cap_required`` or
    ``staff_required``, which have already refused an anonymous visitor."""
    return cast("User", request.user)


def attempt(
    form: forms.Form,
    save: Callable[[], T],
    field_map: Mapping[str, str] | None = None,
    *,
    passing: tuple[type[ValidationError], ...] = (),
) -> T | None:
    """Run a service; on its ``ValidationError`` put the messages on the form (next to
    the field they name, through ``field_map`` where the names differ) and return None.
    The ``passing`` kinds (e.g. ``StaleVersion``, which an edit page shows its own way)
    go up to the caller."""
    try:
        return save()
    except passing:
        raise
    except ValidationError as exc:
        apply_service_errors(form, exc, field_map)
        return None


def form_page(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[], Any],
    *,
    template: str,
    done: str | Callable[[Any], str | HttpResponse],
    success: str = "",
    context: Mapping[str, Any] | None = None,
    field_map: Mapping[str, str] | None = None,
) -> HttpResponse:
    """Show ``form`` on ``template`` (with ``context``); on a valid POST call ``save``
    and go on to ``done`` (a URL, or what ``done`` makes of the saved result: a URL or a
    response), with ``success`` as a message when given. A service's refusal is shown on
    the form, and nothing was written."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except ValidationError as exc:
            apply_service_errors(form, exc, field_map)
        else:
            if success:
                messages.success(request, success)
            target = done if isinstance(done, str) else done(saved)
            return target if isinstance(target, HttpResponse) else redirect(target)
    return render(request, template, {"form": form, **(context or {})})


def attachment(exported: tuple[str, bytes, str]) -> HttpResponse:
    """An export as a download: its file name, content and type, never kept by a cache
    (the audited exports' ``form_page`` ``done``)."""
    name, data, content_type = exported
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
