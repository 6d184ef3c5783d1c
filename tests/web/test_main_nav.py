"""The main menu is rendered once per role's capabilities and language, then reused: each
role must still see its own links, in its own language."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap, Role, caps_for
from wayhome.web.templatetags.web import main_nav

Login = Callable[[User], Client]
NAV_TEMPLATE = engines["django"].get_template("web/_nav.html")


def links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)">', html)


def test_each_role_sees_the_menu_of_its_capabilities(
    users: dict[str, User], client_for: Login
) -> None:
    seen = {}
    for role in (Role.CASEWORKER, Role.ANALYST, Role.AGENCY_ADMIN, Role.CASEWORKER):
        html = client_for(users[role]).get(reverse("places:facility_list")).content.decode()
        nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
        seen[role] = links(nav)
    assert reverse("people:list") in seen[Role.CASEWORKER]
    assert reverse("people:list") not in seen[Role.ANALYST]
    assert reverse("web:dashboard") in seen[Role.ANALYST]
    assert reverse("audit:event_list") in seen[Role.AGENCY_ADMIN]
    assert reverse("audit:event_list") not in seen[Role.CASEWORKER]


def test_the_menu_is_the_templates_in_every_language() -> None:
    caps = {c.value for c in caps_for(Role.SUPERVISOR)}
    menus = {}
    for language in ("en", "ru", "ar", "en"):
        with override(language):
            expected = NAV_TEMPLATE.render({"caps": caps, "Cap": {c.name: c.value for c in Cap}})
            menus[language] = main_nav(caps)
            assert menus[language] == expected
    assert len(set(menus.values())) == 3
    assert main_nav(set()) != menus["en"]
