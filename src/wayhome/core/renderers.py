"""The form renderer: Django's, with drop-down lists, inputs and labels written in Python.

Django renders a ``<select>`` through one template include per option, and another for
the option's attributes: the person list's filters (regions and facilities) and the edit
form (countries) spent more CPU on their drop-downs than on the rest of the page; every
input and label is a template render of its own too. This renderer writes exactly what
Django's templates write (tests/core/test_renderers.py compares the two, and checks that
the templates replaced are still the ones it copies) and leaves every other widget, and
any select whose options use another template, to Django's templates.
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
LABEL = "django/forms/label.html"
# Each of these templates is only {% include "django/forms/widgets/input.html" %}.
INPUTS = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
)


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


def render_input(widget: Mapping[str, Any]) -> SafeString:
    """django/forms/widgets/input.html."""
    context = Context(autoescape=True)
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return mark_safe(  # noqa: S308 (every value is escaped)
        f'<input type="{_text(widget["type"], context)}" name="{_text(widget["name"], context)}"'
        f"{value}{_attrs(widget['attrs'], context)}>"
    )


def render_label(context: Mapping[str, Any]) -> SafeString:
    """django/forms/label.html (whose output the renderer strips, as Django's does)."""
    c = Context(autoescape=True)
    label = _text(context["label"], c)
    if context["use_tag"]:
        tag = _text(context["tag"], c)
        label = f"<{tag}{_attrs(context['attrs'] or {}, c)}>{label}</{tag}>"
    return mark_safe(label.strip())  # noqa: S308 (every value is escaped)


class Renderer(DjangoTemplates):
    """Django's template renderer, but selects, inputs and labels are written here."""

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        if template_name == SELECT:
            html = render_select(context["widget"])
            if html is not None:
                return html
        elif template_name in INPUTS:
            return render_input(context["widget"])
        elif template_name == LABEL:
            return render_label(context)
        return str(super().render(template_name, context, request))
