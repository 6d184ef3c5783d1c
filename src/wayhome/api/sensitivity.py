"""Field sensitivity in the API's answers: the same table as the pages, in one place.

Every serializer that returns a record's data (``serializers.Masked``) passes its output
through ``mask``. Each field is looked up in ``wayhome.accounts.sensitivity`` and read
as the **stricter** of what the client's role and what the user it acts as may see
(a caseworker's client acting as a consular officer reads as a consular officer, and
the other way round): a field the reader may never see is left out of the object, a
masked text field reads "restricted", a masked value of another type (an e-mail
address, a number, a date) reads null. ``sensitivity_in_schema`` writes the same into
the OpenAPI schema: such fields are optional, and nullable where they may be nulled.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext
from rest_framework import serializers

from wayhome.accounts.models import User
from wayhome.accounts.sensitivity import ROLE_VISIBILITY, Visibility, field_class, register
from wayhome.accounts.sensitivity import FieldClass as FC
from wayhome.accounts.sensitivity import visibility as role_visibility

# API clients and tokens are staff accounts; a token's digest is a secret.
register(
    "api.ApiClient",
    {
        "name": FC.ACCOUNT,
        "role": FC.ACCOUNT,
        "acting_user": FC.ACCOUNT,
        "service_user": FC.ACCOUNT,
        "is_active": FC.ACCOUNT,
        "notes": FC.ACCOUNT,
    },
)
register(
    "api.ApiToken",
    {
        "client": FC.ACCOUNT,
        "label": FC.ACCOUNT,
        "prefix": FC.ACCOUNT,
        "digest": FC.SECRET,
        "expires_at": FC.ACCOUNT,
        "revoked_at": FC.ACCOUNT,
        "revoked_by": FC.ACCOUNT,
        "last_used_at": FC.ACCOUNT,
    },
)


# Keys of the API's objects that are not fields of the model: their class.
EXTRA_KEYS: dict[str, FC] = {
    "names": FC.IDENTIFYING,  # each name is masked by its own serializer as well
    "sought": FC.FAMILY,
    "inquirer": FC.SYSTEM,  # nested object masked by its own serializer, or a uuid
    # Casework (api/casework.py): nested parts of a legal case, a repatriation case's
    # members with their checklists, an operation's cases and manifest (travellers).
    "sentence": FC.LEGAL,
    "hearings": FC.LEGAL,
    "appeals": FC.LEGAL,
    "members": FC.IDENTIFYING,
    "cases": FC.CASE,
    "manifest": FC.IDENTIFYING,
}
_ORDER = {Visibility.SEE: 0, Visibility.MASK: 1, Visibility.NEVER: 2}


def _class(model: type[models.Model], key: str) -> FC:
    return EXTRA_KEYS[key] if key in EXTRA_KEYS else field_class(model, key)


def visibility(user: User, cls: FC) -> Visibility:
    """The stricter of the user's role and, for an API client, the client's role."""
    seen = role_visibility(user, cls)
    client_role = getattr(user, "api_role", None)
    if client_role is not None:
        table = ROLE_VISIBILITY.get(client_role, {})
        by_client = table.get(cls, Visibility.NEVER)
        if _ORDER[by_client] > _ORDER[seen]:
            seen = by_client
    return seen


def _text_only(field: serializers.Field[Any, Any, Any, Any] | None) -> bool:
    """Whether "restricted" is a valid value of the field (plain text, no format)."""
    plain = isinstance(field, serializers.CharField) and not isinstance(
        field, serializers.EmailField | serializers.URLField | serializers.UUIDField
    )
    return plain and not isinstance(field, serializers.ChoiceField)


def mask(
    user: User,
    model: type[models.Model],
    data: dict[str, Any],
    fields: Mapping[str, serializers.Field[Any, Any, Any, Any]] | None = None,
) -> dict[str, Any]:
    """``data`` (a serialized ``model`` record) as ``user`` may see it."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        seen = visibility(user, _class(model, key))
        if seen is Visibility.NEVER:
            continue
        if seen is Visibility.MASK and value not in (None, "", [], {}):
            field = (fields or {}).get(key)
            value = gettext("restricted") if _text_only(field) else None
        out[key] = value
    return out


def _masked_serializers(cls: type[Any]) -> Iterator[type[Any]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _masked_serializers(sub)


def _case_roles() -> list[Mapping[FC, Visibility]]:
    """The tables of roles that read case files at all (the others reach no record)."""
    return [t for t in ROLE_VISIBILITY.values() if t.get(FC.CASE) is Visibility.SEE]


def sensitivity_in_schema(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """Mark in the schema what ``mask`` may do to an answer: a field some role may never
    see is not required; a field some role sees masked, when "restricted" is not a valid
    value of it, is nullable."""
    from wayhome.api.serializers import Masked

    schemas = result.get("components", {}).get("schemas", {})
    tables = _case_roles()
    for serializer in _masked_serializers(Masked):
        name = serializer.__name__.removesuffix("Serializer")
        component = schemas.get(name)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if component is None or model is None:
            continue
        fields = serializer().fields
        for key, prop in component.get("properties", {}).items():
            cls = _class(model, key)
            kinds = {t.get(cls, Visibility.NEVER) for t in tables}
            if Visibility.NEVER in kinds and key in component.get("required", []):
                component["required"].remove(key)
            if Visibility.MASK in kinds and not _text_only(fields.get(key)):
                prop["nullable"] = True
        if component.get("required") == []:
            del component["required"]
    return result
