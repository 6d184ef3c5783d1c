"""The main menu, rendered once per set of capabilities and language."""

from __future__ import annotations

from collections.abc import Set

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from wayhome.accounts.roles import Cap

register = template.Library()

# (capabilities, language, URL prefix) → the menu's HTML. A role's menu is the same for
# every page and user: some twenty links, each a reverse() and a translation, on every
# page otherwise. Roles times languages: a few dozen entries at most.
_MENUS: dict[tuple[frozenset[str], str | None, str], SafeString] = {}


@register.simple_tag
def main_nav(caps: Set[str]) -> SafeString:
    """web/_nav.html for these capabilities, rendered the first time only."""
    key = (frozenset(caps), get_language(), get_script_prefix())
    menu = _MENUS.get(key)
    if menu is None:
        context = {"caps": key[0], "Cap": {c.name: c.value for c in Cap}}
        menu = mark_safe(render_to_string("web/_nav.html", context))  # noqa: S308 (a template's output)
        _MENUS[key] = menu
    return menu
