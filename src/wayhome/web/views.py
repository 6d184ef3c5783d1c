from __future__ import annotations

import logging
from typing import cast

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from wayhome.accounts.models import User
from wayhome.accounts.permissions import cap_required
from wayhome.accounts.roles import Cap
from wayhome.figures.panels import panel_tables
from wayhome.figures.selectors import default_filters
from wayhome.web.selectors import BREAKDOWN_STATUSES, dashboard_for

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the page their role starts from."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    user = request.user
    if user.has_cap(Cap.STATS_VIEW):
        return redirect("web:dashboard")
    return redirect("places:facility_list")


@require_GET
@cap_required(Cap.STATS_VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Counts by status, home region and facility: the agency at a glance, no names; then
    the pipelines other apps add to the figures dashboard (cases, aftercare visits)."""
    user = cast(User, request.user)
    data = dashboard_for(user)
    panels = panel_tables(user, default_filters(timezone.localdate()))
    return render(
        request,
        "web/dashboard.html",
        {"d": data, "statuses": BREAKDOWN_STATUSES, "panels": panels},
    )


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for the reverse proxy and monitoring: no data, no session. A database that
    cannot be reached is a 503 the proxy and the monitor understand, not a crash."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("health: the database cannot be reached")
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
