"""Filters for rendering the subject-access dossier, a tree of dicts and lists."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def is_mapping(value: Any) -> bool:
    return isinstance(value, dict)


@register.filter
def is_list(value: Any) -> bool:
    return isinstance(value, list)
