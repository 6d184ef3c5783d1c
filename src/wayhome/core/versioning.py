"""Optimistic versions: two people editing one record never silently overwrite each other.

A versioned record carries ``version``, raised by one on every change of its own facts.
An editor (a form's hidden field, an API client's ``If-Match``) says which version they
read; the service locks the row, compares, and refuses a stale one with ``StaleVersion``
before writing anything. The check runs inside the service's transaction, so two saves
that race are serialised by the row lock and the second one is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class Versioned(Protocol):
    pk: Any
    version: int


class StaleVersion(ValidationError):
    """The record changed since the editor read it; nothing was written."""

    def __init__(self, *, current: int, expected: int) -> None:
        super().__init__(
            _(
                "Someone else changed this record since you opened it. Nothing was saved: "
                "check what changed below, then save again to keep your version."
            ),
            code="stale_version",
        )
        self.current = current
        self.expected = expected


def version_take(obj: Versioned, model: type[models.Model], expected: int | None) -> None:
    """Lock ``obj``'s row, refuse it if ``expected`` is not its stored version, and set
    the next version on ``obj`` (the caller's ``save`` writes it).

    ``expected=None`` skips the comparison (services called by other services, imports),
    never the bump: a change by any path makes every open editor stale.
    """
    current: int = (
        model._default_manager.select_for_update()
        .filter(pk=obj.pk)
        .values_list("version", flat=True)
        .get()
    )
    if expected is not None and expected != current:
        raise StaleVersion(current=current, expected=expected)
    obj.version = current + 1


class VersionField(forms.IntegerField):
    """The hidden field an edit form carries: the version the editor opened."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


@dataclass(frozen=True)
class Difference:
    """One field where the stored record and the editor's input disagree."""

    label: str
    saved: str
    yours: str


def _shown(field: forms.Field, value: Any) -> str:
    """A field's value as a person reads it: choice labels, a related record's name."""
    if value in (None, "", [], ()):
        return "—"
    if isinstance(field, forms.ModelMultipleChoiceField):
        keys = [getattr(v, field.to_field_name or "pk", v) for v in value]
        qs: Any = field.queryset
        found = qs.filter(**{f"{field.to_field_name or 'pk'}__in": keys})
        return ", ".join(sorted(str(o) for o in found)) or "—"
    if isinstance(field, forms.ModelChoiceField):
        key = field.to_field_name or "pk"
        if isinstance(value, models.Model):
            return str(value)
        rows: Any = field.queryset
        found = rows.filter(**{key: value}).first()
        return str(found) if found is not None else str(value)
    if isinstance(field, forms.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, forms.ChoiceField):
        choices: Any = field.choices
        labels = {str(k): v for k, v in choices}
        return str(labels.get(str(value), value))
    return str(value)


def conflict_differences(
    form: forms.Form, saved: dict[str, Any], skip: tuple[str, ...] = ("version",)
) -> list[Difference]:
    """The visible fields whose input differs from the record as stored now: what saving
    again would overwrite (Django's own ``has_changed`` decides what differs)."""
    out: list[Difference] = []
    for name, field in form.fields.items():
        if name in skip or name not in saved or isinstance(field.widget, forms.HiddenInput):
            continue
        raw = form[name].data
        if field.has_changed(saved[name], raw):
            yours = form.cleaned_data.get(name, raw) if hasattr(form, "cleaned_data") else raw
            out.append(
                Difference(
                    str(field.label or name), _shown(field, saved[name]), _shown(field, yours)
                )
            )
    return out


def offer_current_version(form: forms.Form, current: int) -> None:
    """After a conflict, carry the stored version in the form, so that saving again
    (having seen the differences) is a deliberate choice and succeeds."""
    data = cast(Any, form.data).copy()
    data[form.add_prefix("version")] = str(current)
    form.data = data


@dataclass(frozen=True)
class Conflict:
    """What an edit page shows after a refused save: who saved last, and what differs."""

    differences: list[Difference]
    changed_by: str
    changed_at: Any


def conflict_for(
    form: forms.Form, obj: models.Model, exc: StaleVersion, saved: dict[str, Any]
) -> Conflict:
    """Put the refusal on the form, offer the stored version, and describe the change.

    ``saved`` is the form's initial data for the record as stored now. The last change's
    author comes from the audit trail (a colleague's username, never a person's data).
    """
    from wayhome.audit.models import AuditEvent

    differences = conflict_differences(form, saved)
    form.add_error(None, exc)
    offer_current_version(form, exc.current)
    last = (
        AuditEvent.objects.filter(
            object_uuid=getattr(obj, "uuid", None), action=AuditEvent.Action.UPDATE
        )
        .order_by("-id")
        .only("actor_username", "at")
        .first()
    )
    return Conflict(
        differences=differences,
        changed_by=last.actor_username if last else "",
        changed_at=last.at if last else None,
    )
