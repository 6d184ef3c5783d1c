"""Exported columns follow the sensitivity table: only what the role sees in full leaves."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.accounts.sensitivity import may_export
from wayhome.audit.models import AuditEvent
from wayhome.lists import exporting

pytestmark = pytest.mark.django_db
NOTE = "Synthetic confidential remark 9034"


def test_person_columns_follow_the_table(users: dict[str, User]) -> None:
    caseworker, consular = users[Role.CASEWORKER], users[Role.CONSULAR_OFFICER]
    for key in exporting.PERSON_COLUMNS:
        assert may_export(caseworker, "persons", key), key
        assert may_export(consular, "persons", key), key
        assert not may_export(users[Role.ANALYST], "persons", key) or key == "uuid"
    assert may_export(caseworker, "persons", "notes")
    assert not may_export(consular, "persons", "notes")  # free text: masked, not exported


def test_an_unclassified_column_or_kind_is_refused(caseworker: User) -> None:
    assert not may_export(caseworker, "persons", "no_such_column")
    assert not may_export(caseworker, "no_such_kind", "uuid")


def _notes_export(actor: User) -> tuple[str, bytes, str]:
    return exporting.export(
        actor=actor,
        kind="persons",
        reason="test",
        columns=[("display_name", "Name"), ("notes", "Notes")],
        rows=[["Aminat Testova", NOTE]],
        fmt="csv",
    )


def test_a_masked_column_is_refused_and_nothing_leaves(users: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as refused:
        _notes_export(users[Role.CONSULAR_OFFICER])
    assert "notes" in str(refused.value)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_a_column_the_role_sees_is_exported(caseworker: User) -> None:
    _name, data, _type = _notes_export(caseworker)
    assert NOTE in data.decode("utf-8")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 1
