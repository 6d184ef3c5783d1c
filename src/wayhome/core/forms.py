"""Form helpers shared by every app's views."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext

from wayhome.core.fuzzydate import FuzzyDateError


def error_text(exc: FuzzyDateError) -> str:
    """A fuzzy-date error in the user's language."""
    return gettext(exc.template) % exc.params if exc.params else gettext(exc.template)


def apply_service_errors(
    form: forms.Form, exc: ValidationError, field_map: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: next to its field when the form has
    one (``field_map`` renames service keys to form fields), otherwise above the form."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            field = (field_map or {}).get(key, key)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices read with one plain query. Django reads them through a server-side
    cursor (DECLARE, FETCH, CLOSE, and PostgreSQL materialising it): worth it for a
    large table, not for the few dozen countries, regions or facilities of a drop-down
    shown on every list and form page."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ReferenceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A ModelChoiceField over a small reference table (see ListedChoiceIterator)."""

    iterator = ListedChoiceIterator
