"""The form renderer: Django's, with drop-down lists written in Python.

Django renders a ``<select>`` through one template include per option, and another for
the option's attributes: the person list's filters (regions and facilities) and the edit
form (countries) spent more CPU on their drop-downs than on the rest of the page. This
renderer writes exactly what Django's templates write (tests/core/test_renderers.py
compares the two) and leaves every other widget, and any select whose options use
another template, to Django's templates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _text(value: Any, context: Context) -> str:
    """``{{ value }}``: localized and escaped as the template engine does."""
    return str(render_value_in_context(value, context))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: text, escaped unless it was already safe."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return text if isinstance(value, SafeData) else str(conditional_escape(text))


def _attrs(attrs: Mapping[str, Any], context: Context) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_text(name, context)}")
        if value is not True:
            out.append(f'="{_formatted(value)}"')
    return "".join(out)


def render_select(widget: Mapping[str, Any]) -> SafeString | None:
    """django/forms/widgets/select.html, or None when an option has its own template."""
    groups = widget["optgroups"]
    if any(o["template_name"] != OPTION for _, options, _ in groups for o in options):
        return None
    context = Context(autoescape=True)
    out = [f'<select name="{_text(widget["name"], context)}"{_attrs(widget["attrs"], context)}>']
    for group_name, options, _index in groups:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name, context)}">')
        for o in options:
            out.append(
                f'\n  <option value="{_formatted(o["value"])}"{_attrs(o["attrs"], context)}>'
                f"{_text(o['label'], context)}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")  # the renderer strips the template's last newline
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


class Renderer(DjangoTemplates):
    """Django's template renderer, but selects are written by ``render_select``."""

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        if template_name == SELECT:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return str(super().render(template_name, context, request))
