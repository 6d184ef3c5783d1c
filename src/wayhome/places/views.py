from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wayhome.places.models import Facility


@require_GET
@login_required
def facility_list(request: HttpRequest) -> HttpResponse:
    """Facilities are public reference data: every logged-in user may read them."""
    facilities = Facility.objects.select_related("country", "authority").order_by("name")
    return render(request, "places/facility_list.html", {"facilities": facilities})
