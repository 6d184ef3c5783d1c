from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wayhome.accounts.models import User
from wayhome.accounts.permissions import cap_required
from wayhome.accounts.roles import Cap
from wayhome.tracing.selectors import reports_visible_to, requests_visible_to


@require_GET
@cap_required(Cap.TRACING_VIEW)
def request_list(request: HttpRequest) -> HttpResponse:
    requests = requests_visible_to(cast(User, request.user)).select_related("inquirer")[:50]
    return render(request, "tracing/request_list.html", {"requests": requests})


@require_GET
@cap_required(Cap.PERSON_VIEW)
def report_list(request: HttpRequest) -> HttpResponse:
    reports = reports_visible_to(cast(User, request.user))[:50]
    return render(request, "tracing/report_list.html", {"reports": reports})
