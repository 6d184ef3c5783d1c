"""Every URL in the configuration, checked for every kind of visitor.

Each view declares who may reach it (``cap_required`` or ``staff_required`` set
``ACCESS_RULE``); this module reads that declaration from the resolved view and checks
it for the anonymous user, for every role of agency A, and for a user of agency B with
ids that belong to nobody. A new view without a declaration, or whose behaviour does not
match it, fails here without anyone writing a test for it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from wayhome.accounts.models import Agency, User
from wayhome.accounts.permissions import ACCESS_RULE
from wayhome.accounts.roles import Role, caps_for

# Pages anyone may reach without logging in, and why.
PUBLIC = {
    "accounts:login",  # the way in
    "accounts:logout",  # ends a session; harmless when there is none
    "set_language",  # the language switch on the login page
    "web:home",  # redirects to login
    "web:health",  # monitoring; returns no data
    "api:schema",  # the API's OpenAPI description; returns no data
    # The relatives' page: inquirers have no staff account. Its own one-time-code session
    # guards it (portal.views); tests/portal proves that session never opens a staff page.
    "portal:start",  # ask for a code: the same answer whether a reference exists or not
    "portal:code",  # enter the code: only with the cookie that asking for it set
    "portal:status",  # the request's status: only with a verified portal session
    "portal:send",  # send news: only with a verified portal session
    "portal:end",  # ends a portal session; harmless without one
    "comms:sms_status",  # the SMS gateway's delivery reports: authenticated by its token
}


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", ns: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            sub_ns = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _walk(p.url_patterns, prefix + str(p.pattern), sub_ns)
        elif p.name:
            yield f"{ns}{p.name}", prefix + str(p.pattern), p.callback


def concrete_path(route: str) -> str:
    """The route with every parameter filled with a fresh UUID (a record nobody owns)."""
    return "/" + re.sub(r"<(?:\w+:)?\w+>", lambda _: str(uuid.uuid4()), route)


def rule_of(view: Any) -> frozenset[str] | None:
    """The capabilities a view declares it needs (empty: any staff user), or None."""
    rule: frozenset[str] | None = getattr(view, ACCESS_RULE, None)
    if rule is None and hasattr(view, "view_class"):
        cap = getattr(view.view_class, "required_cap", None)
        rule = frozenset({cap.value}) if cap is not None else None
    return rule


def is_api_data(view: Any) -> bool:
    """A route of the REST API's data (token-authenticated; checked in its own matrix
    below, since a caller there is a token, not a logged-in session)."""
    return getattr(view, "actions", None) is not None and hasattr(view, "cls")


ROUTES = sorted(_walk(get_resolver().url_patterns), key=lambda r: r[0])
API_ROUTES = [(n, r, v) for n, r, v in ROUTES if is_api_data(v)]
PROTECTED = [(n, r, rule_of(v)) for n, r, v in ROUTES if n not in PUBLIC and not is_api_data(v)]
WITH_IDS = [(n, r) for n, r, _ in PROTECTED if "<" in r]
ROLE_CASES = [(n, r, rule, role.value) for n, r, rule in PROTECTED for role in Role]


def test_the_matrix_sees_the_whole_configuration() -> None:
    names = {name for name, _, _ in ROUTES}
    assert {"web:dashboard", "people:list", "tracing:request_list", "audit:event_list"} <= names
    assert names >= PUBLIC, "a public route was renamed: update PUBLIC"
    # Corrections and retractions of aftercare rows: each role, anonymous and another
    # agency are checked below like every other page.
    assert {
        "aftercare:placement_correct",
        "aftercare:placement_retract",
        "aftercare:followup_correct",
        "aftercare:followup_retract",
    } <= names


@pytest.mark.parametrize(("name", "route", "rule"), PROTECTED, ids=[p[0] for p in PROTECTED])
def test_every_protected_view_declares_its_rule(
    name: str, route: str, rule: frozenset[str] | None
) -> None:
    assert rule is not None, f"{name} declares no access rule: use cap_required or staff_required"


@pytest.mark.parametrize(("name", "route", "_rule"), PROTECTED, ids=[p[0] for p in PROTECTED])
@pytest.mark.django_db
def test_anonymous_is_sent_to_login(name: str, route: str, _rule: frozenset[str] | None) -> None:
    for method in ("get", "post"):
        response = getattr(Client(), method)(concrete_path(route))
        assert response.status_code in (302, 405), f"{method} {name}: {response.status_code}"
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], f"{method} {name}"


@pytest.mark.parametrize(
    ("name", "route", "rule", "role"), ROLE_CASES, ids=[f"{c[0]}-{c[3]}" for c in ROLE_CASES]
)
def test_each_role_meets_the_declared_rule(
    name: str,
    route: str,
    rule: frozenset[str] | None,
    role: str,
    users: dict[str, User],
    client_for: Callable[[User], Client],
) -> None:
    """A role without the capability gets 403 (405 for a method the view does not take);
    with it, never 403 and never a crash."""
    assert rule is not None
    allowed = rule <= {c.value for c in caps_for(role)}
    client = client_for(users[role])
    statuses = {m: getattr(client, m)(concrete_path(route)).status_code for m in ("get", "post")}
    if allowed:
        assert 403 not in statuses.values(), f"{role} {name}: {statuses}"
        assert max(statuses.values()) < 500, f"{role} {name}: {statuses}"
    else:
        assert set(statuses.values()) <= {403, 405}, f"{role} {name}: {statuses}"
        assert 403 in statuses.values(), f"{role} {name}: {statuses}"


@pytest.mark.parametrize(("name", "route"), WITH_IDS, ids=[r[0] for r in WITH_IDS])
def test_unknown_or_foreign_ids_never_give_a_page(
    name: str, route: str, other_agency_user: User, client_for: Callable[[User], Client]
) -> None:
    """With ids that exist nowhere, a logged-in user gets 404 or 403, never a page or a crash."""
    client = client_for(other_agency_user)
    for method in ("get", "post"):
        response = getattr(client, method)(concrete_path(route))
        assert response.status_code in (403, 404, 405), f"{method} {name}: {response.status_code}"


# --- the REST API: the same matrix for tokens -----------------------------------------------


def api_rules(view: Any) -> dict[str, str | None]:
    """HTTP method → the capability its action declares (None: none declared)."""
    from wayhome.api.permissions import ACTION_CAPS

    caps = getattr(view.cls, ACTION_CAPS, {})
    out: dict[str, str | None] = {}
    for method, action in view.actions.items():
        cap = caps.get(f"{action}.{method}") or caps.get(action)
        out[method] = cap.value if cap is not None else None
    return out


API_CASES = [(n, r, api_rules(v)) for n, r, v in API_ROUTES]
API_ROLE_CASES = [(n, r, rules, role.value) for n, r, rules in API_CASES for role in Role]


def _call(client: Client, method: str, path: str) -> int:
    """One request with an empty JSON body: refused, or a clean 4xx, never a crash."""
    extra: dict[str, Any] = {"content_type": "application/json"} if method != "get" else {}
    return int(getattr(client, method)(path, **extra).status_code)


def test_the_api_matrix_sees_every_api_route() -> None:
    names = {n for n, _, _ in API_CASES}
    assert {"api:person-list", "api:person-detail", "api:tracing-request-transition"} <= names
    for name, _, rules in API_CASES:
        assert rules, name
        assert None not in rules.values(), f"{name}: an action declares no capability"


@pytest.mark.parametrize(("name", "route", "rules"), API_CASES, ids=[c[0] for c in API_CASES])
@pytest.mark.django_db
def test_api_without_a_token_is_401(name: str, route: str, rules: dict[str, str | None]) -> None:
    from tests.api.helpers import api

    for method in rules:
        status = _call(api(None), method, concrete_path(route))
        assert status == 401, f"{method} {name}: {status}"
        bad = _call(api("wh_0000_not-a-token"), method, concrete_path(route))
        assert bad == 401, f"{method} {name} with a wrong token: {bad}"


@pytest.mark.parametrize(
    ("name", "route", "rules", "role"),
    API_ROLE_CASES,
    ids=[f"{c[0]}-{c[3]}" for c in API_ROLE_CASES],
)
def test_each_role_token_meets_the_declared_rule(
    name: str, route: str, rules: dict[str, str | None], role: str, agency_a: Agency
) -> None:
    """A client acting as a role without the capability gets 403 (audited); with it,
    never 401/403 and never a crash."""
    from tests.api.helpers import api, token_for

    client = api(token_for(agency_a, role))
    caps = {c.value for c in caps_for(role)}
    for method, cap in rules.items():
        status = _call(client, method, concrete_path(route))
        if cap in caps:
            assert status not in (401, 403), f"{role} {method} {name}: {status}"
            assert status < 500, f"{role} {method} {name}: {status}"
        else:
            assert status == 403, f"{role} {method} {name}: {status}"


API_WITH_IDS = [(n, r, rules) for n, r, rules in API_CASES if "<" in r]


@pytest.mark.parametrize(("name", "route", "rules"), API_WITH_IDS, ids=[c[0] for c in API_WITH_IDS])
def test_another_agencys_token_never_reaches_a_record(
    name: str,
    route: str,
    rules: dict[str, str | None],
    caseworker: User,
    agency_b: Agency,
) -> None:
    """Agency A's real records, asked for with agency B's token by every method: 404,
    exactly like an id that exists nowhere."""
    from tests.api.helpers import api, record_uuids, token_for

    real = record_uuids(caseworker)
    basename = name.split(":")[1].rsplit("-", 1)[0]
    path = "/" + re.sub(r"<(?:\w+:)?\w+>", str(real[basename]), route)
    client = api(token_for(agency_b, Role.SUPERVISOR))
    for method in rules:
        status = _call(client, method, path)
        assert status == 404, f"{method} {name}: {status}"
