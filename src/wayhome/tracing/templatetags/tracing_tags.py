"""Showing a date at the precision it is known: 2019-03 for "some day in March 2019"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

register = template.Library()


@register.filter
def at_precision(day: dt.date | None, precision: str) -> str:
    if day is None:
        return ""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


@register.filter
def change_rows(changes: dict[str, Any], action: str) -> list[tuple[str, Any, Any]]:
    """An audit event's changes as (field, before, after): updates hold [old, new] pairs."""
    if action == "update":
        return [(k, v[0], v[1]) for k, v in changes.items() if isinstance(v, list) and len(v) == 2]
    return [(k, None, v) for k, v in changes.items()]
