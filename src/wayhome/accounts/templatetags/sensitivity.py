"""``{% sensitive obj "field" %}``: a field as the current user may see it.

Masked values are replaced on the server (``accounts.sensitivity``); the page receives
the word "restricted", never the value. ``{% sensitive obj "field" as v %}`` stores it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.utils.html import format_html

from wayhome.accounts.sensitivity import Visibility, field_class, present, visibility

register = template.Library()


@register.simple_tag(takes_context=True)
def sensitive(context: template.Context, obj: models.Model | None, name: str) -> Any:
    if obj is None:
        return ""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    cls = field_class(obj, name)
    value = present(user, cls, getattr(obj, name))
    if value is not None and visibility(user, cls) is Visibility.MASK:
        return format_html('<span class="masked">{}</span>', value)
    return "" if value is None else value
