"""The relatives' page: no staff account, a one-time code, a short session of its own.

These views are public on purpose (listed with their reasons in the URL matrix's PUBLIC
set, and let past the staff second-factor middleware). What protects them: the session
is a random token in a cookie limited to this path, stored only as a hash, verified
here on every request; it is never a Django login, so ``request.user`` stays anonymous
and every staff page still sends the visitor to log in.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_POST

from wayhome.core.forms import apply_service_errors
from wayhome.core.views import GET_POST
from wayhome.portal import conf, services, texts
from wayhome.portal.forms import CodeForm, SendForm, StartForm
from wayhome.portal.models import PortalAccess
from wayhome.tracing.selectors import sought_of

COOKIE = "wayhome_relative"
DEMO_KEY = "wayhome_portal_demo_code"
UI_LANGS = {code for code, _name in settings.LANGUAGES}


def _path() -> str:
    return reverse("portal:start")


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _set_cookie(response: HttpResponse, token: str, minutes: int) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=minutes * 60,
        path=_path(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def _clear_cookie(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, path=_path(), samesite="Strict")


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return _private(render(request, template, context, status=status))


@GET_POST
def start(request: HttpRequest) -> HttpResponse:
    """Ask for a code. The same answer, after the same time, whether the reference
    exists or not."""
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        began = time.monotonic()
        try:
            started = services.access_start(
                reference=form.cleaned_data["reference"],
                channel=form.cleaned_data["channel"],
                client=_client(request),
            )
        except services.Throttled:
            return _page(request, "portal/throttled.html", {}, status=429)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            remaining = conf.min_response_seconds() - (time.monotonic() - began)
            if remaining > 0:
                time.sleep(remaining)
            if started.demo_code:
                request.session[DEMO_KEY] = started.demo_code
            response = redirect("portal:code")
            _set_cookie(response, started.token, conf.code_minutes() + 1)
            return _private(response)
    return _page(request, "portal/start.html", {"form": form, "intro": texts.intro()})


def _pending(request: HttpRequest) -> PortalAccess | None:
    access = services.access_for(request.COOKIES.get(COOKIE, ""))
    return access if access is not None and access.verified_at is None else None


@GET_POST
def code(request: HttpRequest) -> HttpResponse:
    access = _pending(request)
    if access is None:
        return _private(redirect("portal:start"))
    form = CodeForm(request.POST or None)
    wrong = False
    if request.method == "POST" and form.is_valid():
        token = services.access_verify(
            token=request.COOKIES.get(COOKIE, ""), code=form.cleaned_data["code"]
        )
        if token is not None:
            request.session.pop(DEMO_KEY, None)
            response = redirect("portal:status")
            _set_cookie(response, token, conf.session_minutes())
            return _private(response)
        wrong = True
    demo_code = request.session.get(DEMO_KEY, "") if settings.DEMO_MODE else ""
    return _page(
        request,
        "portal/code.html",
        {"form": form, "wrong": wrong, "demo_code": demo_code, "minutes": conf.code_minutes()},
        status=400 if wrong else 200,
    )


def _session(request: HttpRequest) -> PortalAccess | None:
    return services.session_for(request.COOKIES.get(COOKIE, ""))


def _in_language(
    request: HttpRequest, access: PortalAccess, template: str, status: int = 200, **extra: Any
) -> HttpResponse:
    """Render in the inquirer's language: the gettext interface where it exists (Russian
    for Tajik and Kazakh, which it lacks), the request's own sentences in theirs."""
    req = access.request
    assert req is not None  # noqa: S101  (a session always has its request)
    lang = texts.lang_of(req)
    sought = [
        {
            "name": link.person.display_name,
            "relation": link.relation_to_inquirer,
            "state": texts.person_state(link.person, lang),
        }
        for link in sought_of(req).select_related("person__current_facility__country")
    ]
    context = {
        "req": req,
        "lang": lang,
        "rtl": lang == "ar",
        "t": texts.ui(lang),
        "state": texts.request_state(req, lang),
        "sought": sought,
        **extra,
    }
    with translation.override(lang if lang in UI_LANGS else "ru"):
        return _page(request, template, context, status=status)


@require_http_methods(["GET"])
def status(request: HttpRequest) -> HttpResponse:
    access = _session(request)
    if access is None:
        return _private(redirect("portal:start"))
    assert access.request is not None  # noqa: S101  (a session always has its request)
    persons = [link.person for link in sought_of(access.request)]
    services.access_viewed(access, "status", persons)
    thanks = request.GET.get("sent") == "1"
    return _in_language(request, access, "portal/status.html", form=SendForm(), thanks=thanks)


@require_POST
def send(request: HttpRequest) -> HttpResponse:
    access = _session(request)
    if access is None:
        return _private(redirect("portal:start"))
    form = SendForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.submission_create(
                access=access,
                message=form.cleaned_data["message"],
                photo=form.cleaned_data["photo"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _private(redirect(f"{reverse('portal:status')}?sent=1"))
    return _in_language(request, access, "portal/status.html", form=form, thanks=False, status=400)


@require_POST
def end(request: HttpRequest) -> HttpResponse:
    services.access_end(token=request.COOKIES.get(COOKIE, ""))
    response = redirect("portal:start")
    _clear_cookie(response)
    return _private(response)
