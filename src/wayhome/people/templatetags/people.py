"""Display helpers for persons."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from wayhome.people.models import Person

register = template.Library()


def _years_between(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@register.filter
def age(person: Person, today: dt.date | None = None) -> str:
    """Age today: "7", or "6–8" when the birth date is fuzzy, or "" when unknown."""
    if person.birth_earliest is None or person.birth_latest is None:
        return ""
    today = today or timezone.localdate()
    youngest = _years_between(person.birth_latest, today)
    oldest = _years_between(person.birth_earliest, today)
    return str(oldest) if oldest == youngest else f"{youngest}\u2013{oldest}"
