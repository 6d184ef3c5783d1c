"""The shared form cycle (core.views): a valid POST calls the service and goes on, a
service's refusal lands on the form and nothing goes on, a GET only shows the form."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from wayhome.core.versioning import StaleVersion
from wayhome.core.views import attachment, attempt, form_page


class LabelForm(forms.Form):
    label = forms.CharField(max_length=20)


def _request(method: str, data: dict[str, Any] | None = None) -> HttpRequest:
    request: HttpRequest = getattr(RequestFactory(), method)("/somewhere/", data or {})
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]  # as the middleware
    return request


def _refuse() -> None:
    raise ValidationError({"label": "Not this label."})


def test_attempt_returns_the_result_or_puts_the_refusal_on_the_form() -> None:
    form = LabelForm({"label": "x"})
    assert form.is_valid()
    assert attempt(form, lambda: 7) == 7
    assert attempt(form, _refuse, {"label": "label"}) is None
    assert form.errors["label"] == ["Not this label."]


def test_attempt_lets_the_kinds_it_is_told_pass_up() -> None:
    form = LabelForm({"label": "x"})
    assert form.is_valid()

    def stale() -> None:
        raise StaleVersion(current=3, expected=2)

    with pytest.raises(StaleVersion):
        attempt(form, stale, passing=(StaleVersion,))
    assert attempt(form, stale) is None  # without it, a refusal like any other


@pytest.mark.django_db
def test_form_page_goes_on_after_a_valid_post_with_its_message() -> None:
    saved: list[str] = []
    request = _request("post", {"label": "kept"})
    form = LabelForm(request.POST)

    def save() -> str:
        saved.append(form.cleaned_data["label"])
        return "result"

    response = form_page(
        request,
        form,
        save,
        template="unused.html",
        done=lambda result: f"/next/{result}/",
        success="Saved.",
    )
    assert (response.status_code, response["Location"]) == (302, "/next/result/")
    assert saved == ["kept"]
    assert [str(m) for m in get_messages(request)] == ["Saved."]
    # ``done`` may answer itself (a response), and no message is given without one.
    request = _request("post", {"label": "kept"})
    answer = HttpResponse("done", status=201)
    response = form_page(
        request,
        LabelForm(request.POST),
        lambda: None,
        template="unused.html",
        done=lambda _r: answer,
    )
    assert response is answer
    assert list(get_messages(request)) == []


@pytest.mark.django_db
def test_form_page_shows_the_form_on_get_invalid_input_or_a_refusal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown: list[dict[str, Any]] = []

    def render(_request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
        shown.append({"template": template, **context})
        return HttpResponse("form")

    monkeypatch.setattr("wayhome.core.views.render", render)
    calls: list[int] = []
    for request in (_request("get"), _request("post", {"label": ""})):
        form = LabelForm(request.POST if request.method == "POST" else None)
        response = form_page(
            request,
            form,
            lambda: calls.append(1),
            template="app/form.html",
            done="/next/",
            success="Saved.",
            context={"title": "A title"},
        )
        assert response.status_code == 200
    assert calls == []
    request = _request("post", {"label": "taken"})
    form = LabelForm(request.POST)
    response = form_page(
        request, form, _refuse, template="app/form.html", done="/next/", success="Saved."
    )
    assert response.status_code == 200
    assert form.errors["label"] == ["Not this label."]
    assert list(get_messages(request)) == []
    assert [s["template"] for s in shown] == ["app/form.html"] * 3
    assert shown[0]["title"] == "A title"
    assert shown[2]["form"] is form


def test_an_export_downloads_and_is_never_cached() -> None:
    response = attachment(("wayhome-persons-20261122-0100.csv", b"a,b\r\n", "text/csv"))
    assert response.content == b"a,b\r\n"
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == (
        'attachment; filename="wayhome-persons-20261122-0100.csv"'
    )
    assert response["Cache-Control"] == "no-store"
