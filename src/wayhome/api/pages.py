"""Pages for agency administrators (api.admin): register API clients, issue tokens
(shown once), revoke them, switch a client off. The data API itself is in views.py."""

from __future__ import annotations

import uuid
from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wayhome.accounts.models import User
from wayhome.accounts.permissions import cap_required
from wayhome.accounts.roles import Cap, Role
from wayhome.api import selectors, services
from wayhome.core.forms import apply_service_errors
from wayhome.tracing.selectors import colleagues_of


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


class ClientForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    role = forms.ChoiceField(
        label=gettext_lazy("Acts as role"),
        choices=Role.choices,
        initial=Role.CASEWORKER,
        help_text=gettext_lazy("The client may do what this role may do, nothing more."),
    )
    notes = forms.CharField(label=gettext_lazy("Notes"), max_length=500, required=False)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["acting_user"] = forms.ModelChoiceField(
            queryset=colleagues_of(user),
            to_field_name="uuid",
            required=False,
            label=gettext_lazy("Acting user (optional)"),
            help_text=gettext_lazy(
                "The client then acts as this colleague: within both roles, and recorded "
                "under their name."
            ),
        )


class TokenForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Label"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Where the token will be used, e.g. 'nightly sync'."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        max_value=services.MAX_TOKEN_DAYS,
        initial=services.DEFAULT_TOKEN_DAYS,
    )


@require_http_methods(["GET", "POST"])
@cap_required(Cap.API_ADMIN)
def client_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ClientForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            client = services.client_create(
                actor=user,
                name=d["name"],
                role=d["role"],
                acting_user=d["acting_user"],
                notes=d["notes"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The client is registered: issue it a token."))
            return redirect("api:client_detail", key=client.uuid)
    clients = selectors.clients_visible_to(user).prefetch_related("tokens")
    return render(request, "api/client_list.html", {"clients": clients, "form": form})


def _detail(
    request: HttpRequest, key: uuid.UUID, form: TokenForm | None = None, secret: str = ""
) -> HttpResponse:
    client = selectors.client_get(_user(request), key)
    return render(
        request,
        "api/client_detail.html",
        {
            "client": client,
            "caps": sorted(c.value for c in client.caps()),
            "tokens": client.tokens.select_related("created_by", "revoked_by"),
            "form": form or TokenForm(),
            "secret": secret,
        },
    )


@require_GET
@cap_required(Cap.API_ADMIN)
def client_detail(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    return _detail(request, key)


@require_POST
@cap_required(Cap.API_ADMIN)
def token_issue(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """Issue a token and show it on this response only: it is never stored or shown again."""
    client = selectors.client_get(_user(request), key)
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            _token, secret = services.token_issue(
                actor=_user(request),
                client=client,
                days=form.cleaned_data["days"],
                label=form.cleaned_data["label"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _detail(request, key, secret=secret)
    return _detail(request, key, form=form)


@require_POST
@cap_required(Cap.API_ADMIN)
def token_revoke(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    token = selectors.token_get(_user(request), key)
    try:
        services.token_revoke(actor=_user(request), token=token)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The token is revoked."))
    return redirect("api:client_detail", key=token.client.uuid)


@require_POST
@cap_required(Cap.API_ADMIN)
def client_active(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    client = selectors.client_get(_user(request), key)
    active = request.POST.get("active") == "1"
    services.client_set_active(actor=_user(request), client=client, active=active)
    messages.success(
        request,
        _("The client is switched on.") if active else _("The client is switched off."),
    )
    return redirect("api:client_detail", key=client.uuid)
