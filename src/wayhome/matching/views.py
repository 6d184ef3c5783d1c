"""Candidate pages: a tracing request's ranked candidates (a page, and a fragment that
the request page loads with htmx)."""

from __future__ import annotations

import uuid
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wayhome.accounts.models import User
from wayhome.accounts.permissions import cap_required
from wayhome.accounts.roles import Cap
from wayhome.matching.requests import request_candidates as candidates_of_request
from wayhome.tracing.selectors import request_get


@require_GET
@cap_required(Cap.PERSON_VIEW)
@cap_required(Cap.TRACING_VIEW)
def request_candidates(request: HttpRequest, request_uuid: uuid.UUID) -> HttpResponse:
    """For each sought person, who in the registry may be them, families together."""
    user = cast(User, request.user)
    obj = request_get(user, request_uuid)
    context = {"obj": obj, "groups": candidates_of_request(user, obj)}
    htmx = bool(getattr(request, "htmx", False))
    template = "matching/_request_candidates.html" if htmx else "matching/request_candidates.html"
    return render(request, template, context)
