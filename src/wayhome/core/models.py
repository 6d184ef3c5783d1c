"""Base models every domain app builds on."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

# (field, language) → {value: label}: the choices' labels translated once per process.
_LABELS: dict[tuple[models.Field[Any, Any], str | None], dict[Any, Any]] = {}


def choice_label(instance: models.Model, field: models.Field[Any, Any]) -> Any:
    """What ``get_<field>_display()`` returns, from labels translated once per language.

    Django's own translates every choice of the field on every call (a list page shows
    fifty rows of two such fields: some eight hundred translations a page); the choices
    of a field do not change while the process runs, so neither do their labels.
    """
    key = (field, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = {
            make_hashable(value): force_str(label, strings_only=True)
            for value, label in field.flatchoices
        }
        _LABELS[key] = labels
    value = getattr(instance, field.attname)
    return force_str(labels.get(make_hashable(value), value), strings_only=True)


class BaseModel(models.Model):
    """Integer key for joins, a random UUID for URLs and exports, and timestamps.

    URLs never carry sequential ids: they would leak how many records exist and invite
    guessing another agency's records.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        return choice_label(self, field)


class AgencyOwned(BaseModel):
    """A record that belongs to one agency; selectors scope every read by it."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
