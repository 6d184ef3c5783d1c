"""Places: read by every logged-in user, written by those with PLACE_EDIT."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wayhome.accounts.permissions import cap_required, staff_required
from wayhome.accounts.roles import Cap
from wayhome.core.views import GET_POST, acting_user, form_page
from wayhome.places import selectors, services
from wayhome.places.forms import (
    AuthorityForm,
    FacilityFilterForm,
    FacilityForm,
    RegionForm,
)
from wayhome.places.models import Authority, Region


@require_GET
@staff_required
def facility_list(request: HttpRequest) -> HttpResponse:
    """Facilities are public reference data: every logged-in user may read them."""
    filters = FacilityFilterForm(request.GET or None)
    values: dict[str, str] = {"kind": "", "country": "", "authority": ""}
    if filters.is_valid():
        data = filters.cleaned_data
        values = {
            "kind": data["kind"] or "",
            "country": str(data["country"].uuid) if data["country"] else "",
            "authority": str(data["authority"].uuid) if data["authority"] else "",
        }
    facilities = selectors.facilities_filtered(**values)
    return render(
        request,
        "places/facility_list.html",
        {
            "facilities": facilities[:200],
            "total": facilities.count(),
            "filters": filters,
            "can_edit": acting_user(request).has_cap(Cap.PLACE_EDIT),
        },
    )


@require_GET
@staff_required
def facility_detail(request: HttpRequest, facility_uuid: str) -> HttpResponse:
    """The place, and who of the user's agency is there, as far as the role may know."""
    user = acting_user(request)
    facility = selectors.facility_get(facility_uuid)
    persons = (
        selectors.persons_currently_at(user, facility)[:500]
        if user.has_cap(Cap.PERSON_VIEW)
        else None
    )
    return render(
        request,
        "places/facility_detail.html",
        {
            "facility": facility,
            "count": selectors.count_currently_at(user, facility),
            "persons": persons,
            "can_edit": user.has_cap(Cap.PLACE_EDIT),
        },
    )


def _form_page(
    request: HttpRequest,
    form: Any,
    title: str,
    save: Callable[[dict[str, Any]], Model],
    done: Callable[[Model], HttpResponse],
) -> HttpResponse:
    """The shared GET/POST cycle of the place forms: validate, call the service, redirect."""
    return form_page(
        request,
        form,
        lambda: save(form.cleaned_data),
        template="places/form.html",
        done=done,
        context={"title": title},
    )


@GET_POST
@cap_required(Cap.PLACE_EDIT)
def facility_create(request: HttpRequest) -> HttpResponse:
    form = FacilityForm(request.POST or None)
    return _form_page(
        request,
        form,
        _("New facility"),
        lambda data: services.facility_create(actor=acting_user(request), **data),
        lambda f: redirect("places:facility_detail", facility_uuid=f.uuid),  # type: ignore[attr-defined]
    )


@GET_POST
@cap_required(Cap.PLACE_EDIT)
def facility_edit(request: HttpRequest, facility_uuid: str) -> HttpResponse:
    facility = selectors.facility_get(facility_uuid)
    form = FacilityForm(request.POST or None, initial=FacilityForm.initial_for(facility))
    return _form_page(
        request,
        form,
        _("Edit facility"),
        lambda data: services.facility_update(
            actor=acting_user(request), facility=facility, **data
        ),
        lambda f: redirect("places:facility_detail", facility_uuid=f.uuid),  # type: ignore[attr-defined]
    )


@require_GET
@staff_required
def reference_list(request: HttpRequest) -> HttpResponse:
    """Regions and authorities, the smaller reference lists."""
    return render(
        request,
        "places/reference_list.html",
        {
            "regions": Region.objects.select_related("country").order_by("country__name", "name"),
            "authorities": Authority.objects.select_related("country"),
            "can_edit": acting_user(request).has_cap(Cap.PLACE_EDIT),
        },
    )


@GET_POST
@cap_required(Cap.PLACE_EDIT)
def region_create(request: HttpRequest) -> HttpResponse:
    return _form_page(
        request,
        RegionForm(request.POST or None),
        _("New region"),
        lambda data: services.region_create(actor=acting_user(request), **data),
        lambda _obj: redirect("places:reference_list"),
    )


@GET_POST
@cap_required(Cap.PLACE_EDIT)
def authority_create(request: HttpRequest) -> HttpResponse:
    return _form_page(
        request,
        AuthorityForm(request.POST or None),
        _("New authority"),
        lambda data: services.authority_create(actor=acting_user(request), **data),
        lambda _obj: redirect("places:reference_list"),
    )
