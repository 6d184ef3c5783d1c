from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wayhome.accounts.models import User
from wayhome.accounts.permissions import cap_required
from wayhome.accounts.roles import Cap
from wayhome.people.selectors import family_groups_visible_to, persons_visible_to


@require_GET
@cap_required(Cap.PERSON_VIEW)
def person_list(request: HttpRequest) -> HttpResponse:
    persons = persons_visible_to(cast(User, request.user)).order_by("display_name")[:50]
    return render(request, "people/person_list.html", {"persons": persons})


@require_GET
@cap_required(Cap.PERSON_VIEW)
def family_list(request: HttpRequest) -> HttpResponse:
    groups = family_groups_visible_to(cast(User, request.user))[:50]
    return render(request, "people/family_list.html", {"groups": groups})
