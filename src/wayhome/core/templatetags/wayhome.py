"""Template helpers used across apps."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from wayhome.core.fuzzydate import FuzzyDate, Precision

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """``{{ counts|get_item:"detained" }}``: dictionary look-up by a variable key."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def fuzzydate(value: FuzzyDate) -> str:
    """A fuzzy date as a reader says it: 2015-03-12, 2015-03, 2015, "about 4 years old in
    2019-01" — in the page's language."""
    if value.precision is Precision.AGE and value.as_of is not None:
        return gettext("about %(age)s years old on %(date)s") % {
            "age": value.age_years,
            "date": value.as_of.isoformat(),
        }
    return str(value)


@register.filter
def index(sequence: list[Any], position: int) -> Any:
    """``{{ statuses|index:forloop.counter0 }}``: the item at a position, for parallel lists."""
    return sequence[position]
