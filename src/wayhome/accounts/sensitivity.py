"""Field-level sensitivity: every field has a class; each role sees, masks or never sees it.

One table (``ROLE_VISIBILITY``) says what each role may read of each class; one registry
(``FIELD_CLASSES``, and ``register()`` for apps that bring their own models) gives every
model field of every wayhome app a class, and ``tests/accounts/test_sensitivity.py``
fails when a field has none, so a new field cannot be shown before someone decided how
sensitive it is.

Masking happens on the server, before a template or the API sees the value:
``present(user, cls, value)`` for one value, ``present_field(user, obj, name)`` by
registry, ``present_record(...)`` for the API, ``redact(user, obj)`` for a page that
reads a model instance (the instance is changed in memory and can no longer be saved),
and the ``{% sensitive obj "field" %}`` template tag. A masked value never reaches the
browser: the page gets the word "restricted" instead; a value the role may never see
is left out as if it were empty.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext, gettext_lazy

from wayhome.accounts.roles import Role


class FieldClass(enum.StrEnum):
    SYSTEM = "system"  # keys, timestamps, hashes: no content of their own
    REFERENCE = "reference"  # shared reference data: countries, regions, facilities
    CASE = "case"  # how a case is handled: statuses, dates, references, decisions
    ACCOUNT = "account"  # staff accounts: usernames, roles (shown as "assigned to" etc.)
    SECRET = "secret"  # noqa: S105  (password hashes: nobody reads them in the application)
    AUDIT = "audit"  # the audit trail's own fields
    IDENTIFYING = "identifying"  # names, sex, birth, birth place, citizenship, documents
    PHOTO = "photo"  # photographs of a person
    FAMILY = "family"  # family links and groups
    CONTACT = "contact"  # relatives' phone, e-mail, address
    LOCATION = "location"  # whereabouts, facilities, last known places, status
    LEGAL = "legal"  # charges, proceedings, verdicts, sentences
    HEALTH = "health"  # medical and psychological information
    SECURITY = "security"  # alleged affiliation, security assessments
    FREE_TEXT = "free_text"  # notes and summaries: may hold anything, read as sensitive


class Visibility(enum.StrEnum):
    SEE = "see"
    MASK = "mask"  # the reader learns that a value exists, not what it is
    NEVER = "never"  # not even that


FC, V = FieldClass, Visibility
_OPEN = {FC.SYSTEM: V.SEE, FC.REFERENCE: V.SEE, FC.ACCOUNT: V.SEE, FC.SECRET: V.NEVER}
_CASEWORK = {
    **_OPEN,
    FC.CASE: V.SEE,
    FC.AUDIT: V.NEVER,
    FC.IDENTIFYING: V.SEE,
    FC.PHOTO: V.SEE,
    FC.FAMILY: V.SEE,
    FC.CONTACT: V.SEE,
    FC.LOCATION: V.SEE,
    FC.LEGAL: V.SEE,
    FC.HEALTH: V.MASK,
    FC.SECURITY: V.MASK,
    FC.FREE_TEXT: V.SEE,
}
_NO_CASE_FILES = {**_OPEN, **{cls: V.NEVER for cls in FieldClass if cls not in _OPEN}}

# The table docs/security.md states in words. A role reaches a page only with the
# capability for it (roles.py); this says what it then reads of each field.
ROLE_VISIBILITY: dict[str, Mapping[FieldClass, Visibility]] = {
    Role.CASEWORKER: _CASEWORK,
    Role.SUPERVISOR: {**_CASEWORK, FC.AUDIT: V.SEE, FC.HEALTH: V.SEE, FC.SECURITY: V.SEE},
    # Legal officers work the court side: security-related facts, but relatives'
    # contact details only masked (the caseworker makes the call).
    Role.LEGAL_OFFICER: {**_CASEWORK, FC.SECURITY: V.SEE, FC.CONTACT: V.MASK},
    # Consular officers are state officials: no relatives' contacts, no free-text notes
    # (they may hold what a family said in confidence), security-related facts masked.
    Role.CONSULAR_OFFICER: {**_CASEWORK, FC.CONTACT: V.NEVER, FC.FREE_TEXT: V.MASK},
    Role.ANALYST: _NO_CASE_FILES,
    Role.AGENCY_ADMIN: {**_NO_CASE_FILES, FC.AUDIT: V.SEE},
    Role.SYSTEM_ADMIN: _NO_CASE_FILES,
}

_BASE = {
    "id": FC.SYSTEM,
    "uuid": FC.SYSTEM,
    "created_at": FC.SYSTEM,
    "updated_at": FC.SYSTEM,
    "agency": FC.SYSTEM,
    "created_by": FC.ACCOUNT,
}

# Every field of every wayhome model, by model label. Fields of BaseModel and
# AgencyOwned (_BASE) count for every model that has them.
FIELD_CLASSES: dict[str, dict[str, FieldClass]] = {
    "accounts.Agency": {
        "name": FC.REFERENCE,
        "kind": FC.REFERENCE,
        "country": FC.REFERENCE,
        "reference_prefix": FC.REFERENCE,
        "need_to_know": FC.SYSTEM,
    },
    "accounts.Team": {"name": FC.ACCOUNT},
    "accounts.WebAuthnKey": {
        "user": FC.ACCOUNT,
        "name": FC.ACCOUNT,
        "confirmed": FC.ACCOUNT,
        "credential_id": FC.SECRET,
        "public_key": FC.SECRET,
        "sign_count": FC.SECRET,
        "transports": FC.ACCOUNT,
        "last_used_at": FC.ACCOUNT,
    },
    "accounts.User": {
        "password": FC.SECRET,
        "last_login": FC.ACCOUNT,
        "is_superuser": FC.ACCOUNT,
        "username": FC.ACCOUNT,
        "first_name": FC.ACCOUNT,
        "last_name": FC.ACCOUNT,
        "email": FC.ACCOUNT,
        "is_staff": FC.ACCOUNT,
        "is_active": FC.ACCOUNT,
        "date_joined": FC.ACCOUNT,
        "role": FC.ACCOUNT,
        "language": FC.ACCOUNT,
        "session_epoch": FC.SECRET,
        "groups": FC.ACCOUNT,
        "user_permissions": FC.ACCOUNT,
        "teams": FC.ACCOUNT,
    },
    "audit.AuditEvent": dict.fromkeys(
        [
            "at",
            "actor",
            "actor_username",
            "action",
            "object_type",
            "object_uuid",
            "person_uuid",
            "changes",
            "reason",
            "ip",
            "user_agent",
            "request_id",
            "prev_hash",
            "hash",
        ],
        FC.AUDIT,
    ),
    "places.Country": {
        "iso2": FC.REFERENCE,
        "name": FC.REFERENCE,
        "name_ru": FC.REFERENCE,
        "name_ar": FC.REFERENCE,
    },
    "places.Region": {"country": FC.REFERENCE, "name": FC.REFERENCE, "name_ru": FC.REFERENCE},
    "places.Authority": {"name": FC.REFERENCE, "kind": FC.REFERENCE, "country": FC.REFERENCE},
    "places.Facility": dict.fromkeys(
        ["name", "name_local", "kind", "country", "region", "locality", "authority", "notes"],
        FC.REFERENCE,
    ),
    "people.Person": {
        "sex": FC.IDENTIFYING,
        "birth_precision": FC.IDENTIFYING,
        "birth_year": FC.IDENTIFYING,
        "birth_month": FC.IDENTIFYING,
        "birth_day": FC.IDENTIFYING,
        "birth_age_years": FC.IDENTIFYING,
        "birth_age_as_of": FC.IDENTIFYING,
        "birth_earliest": FC.IDENTIFYING,
        "birth_latest": FC.IDENTIFYING,
        "birth_place": FC.IDENTIFYING,
        "birth_country": FC.IDENTIFYING,
        "home_region": FC.LOCATION,
        "notes": FC.FREE_TEXT,
        "display_name": FC.IDENTIFYING,
        "search_names": FC.IDENTIFYING,
        "current_status": FC.LOCATION,
        "current_facility": FC.LOCATION,
        "current_since": FC.LOCATION,
        "merged_into": FC.SYSTEM,
        "team": FC.CASE,
        "assigned_to": FC.CASE,
        "version": FC.SYSTEM,  # the edit counter against lost updates
    },
    "people.PersonName": {
        "person": FC.SYSTEM,
        "kind": FC.IDENTIFYING,
        "script": FC.IDENTIFYING,
        "given": FC.IDENTIFYING,
        "patronymic": FC.IDENTIFYING,
        "family": FC.IDENTIFYING,
        "full": FC.IDENTIFYING,
        "is_primary": FC.IDENTIFYING,
        "search_text": FC.IDENTIFYING,
    },
    "people.Citizenship": {
        "person": FC.SYSTEM,
        "country": FC.IDENTIFYING,
        "status": FC.IDENTIFYING,
        "basis": FC.IDENTIFYING,
    },
    "people.IdentityDocument": {
        "person": FC.SYSTEM,
        "kind": FC.IDENTIFYING,
        "number": FC.IDENTIFYING,
        "issuing_country": FC.IDENTIFYING,
        "status": FC.IDENTIFYING,
        "issued_on": FC.IDENTIFYING,
        "expires_on": FC.IDENTIFYING,
        "notes": FC.FREE_TEXT,
    },
    "people.Photo": {
        "person": FC.SYSTEM,
        "image": FC.PHOTO,
        "caption": FC.FREE_TEXT,
        "taken_on": FC.PHOTO,
    },
    "people.Relationship": {
        "from_person": FC.FAMILY,
        "to_person": FC.FAMILY,
        "kind": FC.FAMILY,
        "is_current": FC.FAMILY,
        "notes": FC.FREE_TEXT,
    },
    "people.FamilyGroup": {"label": FC.FAMILY, "notes": FC.FREE_TEXT, "members": FC.FAMILY},
    "tracing.InformationReport": {
        "received_on": FC.CASE,
        "channel": FC.CASE,
        "source": FC.CASE,
        "reliability": FC.CASE,
        "summary": FC.FREE_TEXT,
        "persons": FC.SYSTEM,
    },
    "tracing.Whereabouts": {
        "person": FC.SYSTEM,
        "status": FC.LOCATION,
        "facility": FC.LOCATION,
        "country": FC.LOCATION,
        "location": FC.LOCATION,
        "start_date": FC.LOCATION,
        "start_precision": FC.LOCATION,
        "end_date": FC.LOCATION,
        "notes": FC.FREE_TEXT,
        "retracted_at": FC.CASE,
        "retracted_by": FC.ACCOUNT,
        "retraction_reason": FC.FREE_TEXT,
        "reports": FC.SYSTEM,
    },
    "tracing.Inquirer": {
        "name": FC.IDENTIFYING,
        "relationship": FC.FAMILY,
        "phone": FC.CONTACT,
        "email": FC.CONTACT,
        "address": FC.CONTACT,
        "region": FC.LOCATION,
        "language": FC.CASE,
        "consent_contact": FC.CASE,
    },
    "tracing.TracingRequest": {
        "reference": FC.CASE,
        "inquirer": FC.SYSTEM,
        "status": FC.CASE,
        "closure_reason": FC.CASE,
        "received_on": FC.CASE,
        "located_on": FC.CASE,
        "closed_on": FC.CASE,
        "consent_share": FC.CASE,
        "last_known": FC.FREE_TEXT,
        "last_known_place": FC.LOCATION,
        "last_known_date": FC.LOCATION,
        "last_known_precision": FC.LOCATION,
        "assigned_to": FC.CASE,
        "team": FC.CASE,
        "sought": FC.SYSTEM,
        "version": FC.SYSTEM,  # the edit counter against lost updates
    },
    "tracing.SoughtPerson": {
        "request": FC.SYSTEM,
        "person": FC.SYSTEM,
        "relation_to_inquirer": FC.FAMILY,
    },
    "matching.NameKey": {"person": FC.SYSTEM, "key": FC.IDENTIFYING},
    "matching.CommonKey": {"key": FC.IDENTIFYING, "persons": FC.SYSTEM},
    "matching.MatchModel": {"params": FC.SYSTEM, "fitted_at": FC.SYSTEM, "pairs_used": FC.SYSTEM},
    "matching.RequestRanking": {
        "request": FC.SYSTEM,
        "agency": FC.SYSTEM,
        "version": FC.SYSTEM,
        "ranked_version": FC.SYSTEM,
        "sought": FC.SYSTEM,
        "model": FC.SYSTEM,
        "scorer": FC.SYSTEM,
        "ranked_at": FC.SYSTEM,
    },
    "matching.RankedCandidate": {
        "ranking": FC.SYSTEM,
        "sought": FC.SYSTEM,
        "person": FC.SYSTEM,
        "position": FC.CASE,
        "base_score": FC.CASE,
        "base_weight": FC.CASE,
        "score": FC.CASE,
        "weight": FC.CASE,
    },
    "matching.RankingKey": {"ranking": FC.SYSTEM, "agency": FC.SYSTEM, "key": FC.IDENTIFYING},
    "review.MatchCandidate": {
        "left": FC.SYSTEM,
        "right": FC.SYSTEM,
        "score": FC.CASE,
        "explanation": FC.IDENTIFYING,
        "source": FC.CASE,
        "status": FC.CASE,
        "decided_by": FC.ACCOUNT,
        "decided_at": FC.CASE,
        "reason": FC.FREE_TEXT,
    },
    "review.PersonMerge": {
        "keep": FC.SYSTEM,
        "absorbed": FC.SYSTEM,
        "candidate": FC.SYSTEM,
        "reason": FC.FREE_TEXT,
        "moved": FC.SYSTEM,
        "undone_at": FC.CASE,
        "undone_by": FC.ACCOUNT,
        "undo_reason": FC.FREE_TEXT,
    },
    "protection.ProcessingRecord": {
        "person": FC.SYSTEM,
        "request": FC.SYSTEM,
        "purpose": FC.CASE,
        "legal_basis": FC.CASE,
        "notes": FC.FREE_TEXT,
        "recorded_by": FC.ACCOUNT,
    },
    "protection.ConsentEvent": {
        "inquirer": FC.SYSTEM,
        "person": FC.SYSTEM,
        "scope": FC.CASE,
        "given": FC.CASE,
        "method": FC.CASE,
        "on": FC.CASE,
        "notes": FC.FREE_TEXT,
        "recorded_by": FC.ACCOUNT,
    },
    "protection.Disclosure": {
        "recipient": FC.CASE,
        "recipient_kind": FC.CASE,
        "legal_basis": FC.CASE,
        "purpose": FC.CASE,
        "data_kinds": FC.CASE,
        "status": FC.CASE,
        "requested_by": FC.ACCOUNT,
        "decided_by": FC.ACCOUNT,
        "decided_at": FC.CASE,
        "refusal_reason": FC.FREE_TEXT,
        "sent_on": FC.CASE,
        "persons": FC.SYSTEM,
    },
    "protection.Referral": {
        "request": FC.SYSTEM,
        "to_agency": FC.REFERENCE,
        "reason": FC.CASE,
        "parts": FC.CASE,
        "consent": FC.SYSTEM,
        "status": FC.CASE,
        "requested_by": FC.ACCOUNT,
        "decided_by": FC.ACCOUNT,
        "decided_at": FC.CASE,
        "refusal_reason": FC.FREE_TEXT,
        "revoked_by": FC.ACCOUNT,
        "revoked_at": FC.CASE,
        "revocation_reason": FC.FREE_TEXT,
    },
    "protection.Anonymisation": {
        "kind": FC.SYSTEM,
        "object_uuid": FC.SYSTEM,
        "cause": FC.SYSTEM,
        "on": FC.SYSTEM,
    },
}


def register(label: str, classes: Mapping[str, FieldClass]) -> None:
    """Classify the fields of another app's model (call it from the app's
    ``sensitivity.py`` module, which is imported at start-up)."""
    FIELD_CLASSES.setdefault(label, {}).update(classes)


def _label(model: type[models.Model] | models.Model) -> str:
    # A proxy (api.ApiActor over accounts.User) has its concrete model's fields.
    concrete = model._meta.concrete_model
    return concrete._meta.label if concrete is not None else model._meta.label


def field_class(model: type[models.Model] | models.Model, name: str) -> FieldClass:
    """The class of one field; an unclassified field is a programming error."""
    found = FIELD_CLASSES.get(_label(model), {}).get(name) or _BASE.get(name)
    if found is None:
        raise ImproperlyConfigured(f"{_label(model)}.{name} has no sensitivity class")
    return found


def unclassified(model: type[models.Model]) -> list[str]:
    """The fields of ``model`` without a class (the registry test lists them)."""
    names = [
        f.name
        for f in model._meta.get_fields()
        if ((f.concrete or f.many_to_many) and not f.auto_created) or f.name == "id"
    ]
    known = FIELD_CLASSES.get(_label(model), {})
    return [n for n in names if n not in known and n not in _BASE]


def visibility(user: Any, cls: FieldClass) -> Visibility:
    """What the user's role allows of a class; an inactive or agency-less account, or an
    unknown role, sees only what is open to everyone."""
    table = ROLE_VISIBILITY.get(getattr(user, "role", ""), _NO_CASE_FILES)
    if not getattr(user, "is_active", False) or getattr(user, "agency_id", None) is None:
        table = _NO_CASE_FILES
    return table.get(cls, V.NEVER)


MASKED = gettext_lazy("restricted")


def present(user: Any, cls: FieldClass, value: Any) -> Any:
    """The value as this user may have it: itself, the word "restricted" (when there is
    a value to hide), or None."""
    seen = visibility(user, cls)
    if seen is V.SEE:
        return value
    if seen is V.MASK and value not in (None, "", [], {}):
        return gettext("restricted")
    return None


def present_field(user: Any, obj: models.Model, name: str) -> Any:
    """One field of a loaded record, by its registered class."""
    return present(user, field_class(obj, name), getattr(obj, name))


def present_record(user: Any, obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """For the API: the fields the user may see, masked ones as "restricted", and those
    they may never see left out."""
    out: dict[str, Any] = {}
    for name in names:
        seen = visibility(user, field_class(obj, name))
        if seen is not V.NEVER:
            out[name] = present_field(user, obj, name)
    return out


# What an export's columns are, by export kind: the model they come from and the class
# of each column that is not a model field of its own (lists/exporting.py).
EXPORT_KINDS: dict[str, tuple[str, dict[str, FieldClass]]] = {
    "persons": ("people.Person", {"other_names": FC.IDENTIFYING, "birth": FC.IDENTIFYING}),
}


def register_export(kind: str, label: str, columns: Mapping[str, FieldClass]) -> None:
    """Say which model an export ``kind`` reads and the class of its computed columns."""
    EXPORT_KINDS[kind] = (label, dict(columns))


def may_export(user: Any, kind: str, key: str) -> bool:
    """Whether column ``key`` of export ``kind`` may leave the system for ``user``: only
    a class the role sees in full (a masked value has nothing to export, and a file
    saying "restricted" a thousand times helps no one). An unknown kind or column is
    refused, so a new export cannot leak a field nobody classified."""
    if kind not in EXPORT_KINDS:
        return False
    label, extra = EXPORT_KINDS[kind]
    cls = extra.get(key) or FIELD_CLASSES.get(label, {}).get(key) or _BASE.get(key)
    return cls is not None and visibility(user, cls) is V.SEE


_REDACTED = "_wayhome_redacted"
_MASKED = "_wayhome_masked"  # the names of the fields ``redact`` masked, as a set


def redact(user: Any, obj: models.Model | None) -> models.Model | None:
    """Replace, in memory, every field of ``obj`` the user may not see: a text field gets
    "restricted" (masked) or "" (never), any other field None. The instance is marked,
    and saving it raises, so a redacted value can never be written back; ``is_masked``
    tells which fields hold a value the reader may not have."""
    if obj is None:
        return None
    for field in obj._meta.concrete_fields:
        seen = visibility(user, field_class(obj, field.name))
        if seen is V.SEE:
            continue
        current = getattr(obj, field.attname)
        if seen is V.MASK and current not in (None, ""):
            obj.__dict__.setdefault(_MASKED, set()).add(field.name)
        text = isinstance(field, models.CharField | models.TextField)
        if text:
            masked = gettext("restricted") if seen is V.MASK and current else ""
            setattr(obj, field.attname, masked)
        elif field.null:
            setattr(obj, field.attname, None)
            if field.is_relation and field.is_cached(obj):  # type: ignore[attr-defined]
                field.delete_cached_value(obj)  # type: ignore[attr-defined]
        setattr(obj, _REDACTED, True)
    return obj


def is_redacted(obj: models.Model) -> bool:
    """Whether ``redact`` changed this instance (its values are for display only)."""
    return bool(getattr(obj, _REDACTED, False))


def is_masked(obj: models.Model, name: str) -> bool:
    """Whether ``redact`` hid a value of field ``name``: the page says "restricted"
    where it would have shown what the value means (a birth date made of several
    fields, a choice's label), not "unknown"."""
    return name in getattr(obj, _MASKED, ())


def withhold(user: Any, form: Any, obj: models.Model, fields: Mapping[str, str]) -> Any:
    """Take out of an edit form the fields (form name -> model field) the user may not
    see, so their stored values are neither shown nor overwritten: after validation the
    stored value is put back into ``cleaned_data`` for the service to keep as it is."""
    kept: dict[str, Any] = {}
    for form_name, model_name in fields.items():
        if form_name in form.fields and visibility(user, field_class(obj, model_name)) is not V.SEE:
            del form.fields[form_name]
            form.initial.pop(form_name, None)
            kept[form_name] = getattr(obj, model_name)
    if kept:
        validate = form.full_clean

        def full_clean() -> None:
            validate()
            if hasattr(form, "cleaned_data"):
                form.cleaned_data.update(kept)

        form.full_clean = full_clean
    return form


def redact_all(user: Any, objs: Iterable[models.Model]) -> list[models.Model]:
    return [o for o in objs if redact(user, o) is not None]


def _refuse_redacted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if getattr(instance, _REDACTED, False):
        raise RuntimeError("A record redacted for display cannot be saved.")


pre_save.connect(_refuse_redacted, dispatch_uid="wayhome.accounts.sensitivity.refuse_redacted")
