"""Encryption at rest of free-text fields: keys from the environment, rotation, errors."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.tracing import helpers
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.core import crypto
from wayhome.core.keyrotation import NoKeyError, encrypted_fields, keys_rotate
from wayhome.people.models import Person
from wayhome.protection import services as protection_services
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import TracingRequest

Login = Callable[[User], Client]
KEY_A, KEY_B = crypto.generate_key(), crypto.generate_key()
NOTE = "Synthetic note: seen at the clinic"


def use_keys(monkeypatch: pytest.MonkeyPatch, *keys: str) -> None:
    monkeypatch.delenv(crypto.ENV_KEYS_FILE, raising=False)
    monkeypatch.setenv(crypto.ENV_KEYS, ",".join(keys))


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with encryption off, whatever the shell running the suite set."""
    use_keys(monkeypatch)


def stored(obj: models.Model, column: str) -> str:
    """The column as the database holds it, read past the ORM."""
    q = connection.ops.quote_name
    sql = f"SELECT {q(column)} FROM {q(obj._meta.db_table)} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [obj.pk])
        return str(cursor.fetchone()[0])


def noted_person(actor: User) -> Person:
    return factories.person(actor, notes=NOTE)


def fresh(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


def test_the_sensitive_fields_are_the_encrypted_ones() -> None:
    labels = {f"{m._meta.label}.{f.name}" for m, fields in encrypted_fields() for f in fields}
    assert labels == {
        "people.Person.notes",
        "tracing.Inquirer.phone",
        "tracing.Inquirer.email",
        "tracing.Inquirer.address",
        "tracing.InformationReport.summary",
        "tracing.Whereabouts.notes",
        "protection.ConsentEvent.notes",
        "aftercare.AftercareFile.medical_notes",
        "aftercare.Placement.guardian_name",
        "aftercare.Placement.guardian_phone",
        "aftercare.Placement.guardian_address",
        "aftercare.Placement.notes",
        "aftercare.SupportService.notes",
        "aftercare.FollowUp.notes",
        "comms.CommEntry.summary",
        "comms.Notification.body",
        "lists.ListImport.content",  # an uploaded list, kept as the source document
    }


def test_without_a_key_values_are_stored_plain(caseworker: User) -> None:
    person = noted_person(caseworker)
    assert stored(person, "notes") == NOTE
    assert fresh(person).notes == NOTE


def test_with_a_key_no_column_holds_plain_text(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_keys(monkeypatch, KEY_A)
    person = noted_person(caseworker)
    entry = helpers.entry(caseworker, person, notes=NOTE)
    inquirer = tracing_services.inquirer_create(
        actor=caseworker,
        data=tracing_services.InquirerData(
            name="Zarema Synthetic",
            phone="+7 900 000 00 00",
            email="z@example.org",
            address="Synthetic street 1",
        ),
    )
    consent = protection_services.consent_record(
        actor=caseworker,
        inquirer=inquirer,
        scope="contact",
        given=True,
        method="phone",
        on=helpers.DAY,
        notes=NOTE,
    )
    rows: list[tuple[models.Model, str, str]] = [
        (person, "notes", NOTE),
        (entry, "notes", NOTE),
        (entry.reports.get(), "summary", "Seen in a camp."),
        (inquirer, "phone", "+7 900 000 00 00"),
        (inquirer, "email", "z@example.org"),
        (inquirer, "address", "Synthetic street 1"),
        (consent, "notes", NOTE),
    ]
    for obj, field, plain in rows:
        raw = stored(obj, field)
        assert raw.startswith(crypto.PREFIX)
        assert plain not in raw
        assert getattr(type(obj).objects.get(pk=obj.pk), field) == plain  # type: ignore[attr-defined]


def test_empty_stays_empty_and_updates_to_empty_work(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_keys(monkeypatch, KEY_A)
    person = factories.person(caseworker)
    assert stored(person, "notes") == ""
    person = noted_person(caseworker)
    Person.objects.filter(pk=person.pk).update(notes="")
    assert stored(person, "notes") == ""
    assert fresh(person).notes == ""


def test_plain_and_encrypted_rows_coexist(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = noted_person(caseworker)
    use_keys(monkeypatch, KEY_A)
    secret = noted_person(caseworker)
    assert stored(plain, "notes") == NOTE
    assert stored(secret, "notes") != NOTE
    assert fresh(plain).notes == fresh(secret).notes == NOTE


def test_a_missing_key_is_a_clear_error_never_ciphertext(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_keys(monkeypatch, KEY_A)
    person = noted_person(caseworker)
    use_keys(monkeypatch)
    with pytest.raises(crypto.FieldKeyError, match=r"no key is configured.*WAYHOME_FIELD_KEYS"):
        fresh(person)
    use_keys(monkeypatch, KEY_B)
    with pytest.raises(crypto.FieldKeyError, match="none of the configured keys"):
        fresh(person)


def test_rotation_from_key_a_to_b_lets_a_go(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_keys(monkeypatch, KEY_A)
    person = noted_person(caseworker)
    empty = factories.person(caseworker, given="Madina")
    use_keys(monkeypatch, KEY_B, KEY_A)
    before = stored(person, "notes")
    report = keys_rotate()
    assert report.counts["people.Person.notes"] == {"reencrypted": 1}
    assert stored(person, "notes") != before
    assert stored(empty, "notes") == ""
    use_keys(monkeypatch, KEY_B)
    assert fresh(person).notes == NOTE
    assert keys_rotate().counts["people.Person.notes"] == {"current": 1}


def test_rotation_encrypts_plain_values_and_is_audited_with_counts_only(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = noted_person(caseworker)
    use_keys(monkeypatch, KEY_A)
    keys_rotate(batch_size=1)
    raw = stored(person, "notes")
    assert raw.startswith(crypto.PREFIX)
    assert NOTE not in raw
    assert Fernet(KEY_A).decrypt(raw.removeprefix(crypto.PREFIX)).decode() == NOTE
    event = AuditEvent.objects.get(action=AuditEvent.Action.SYSTEM)
    assert event.changes["field_keys_rotate"]["people.Person.notes"] == {"encrypted": 1}
    assert NOTE not in str(event.changes)


def test_a_dry_run_counts_and_changes_nothing(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = noted_person(caseworker)
    use_keys(monkeypatch, KEY_A)
    report = keys_rotate(dry_run=True)
    assert report.counts["people.Person.notes"] == {"encrypted": 1}
    assert stored(person, "notes") == NOTE
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SYSTEM).exists()


def test_rotation_needs_a_key(db: None) -> None:
    with pytest.raises(NoKeyError):
        keys_rotate()
    with pytest.raises(CommandError, match="No key is configured"):
        call_command("keys", "rotate")


def test_the_command_generates_valid_keys_and_rotates(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = StringIO()
    call_command("keys", "generate", stdout=out)
    key = out.getvalue().strip()
    Fernet(key)  # raises if it is not a key
    noted_person(caseworker)
    use_keys(monkeypatch, key)
    out = StringIO()
    call_command("keys", "rotate", "--dry-run", stdout=out)
    assert "people.Person.notes: 1 encrypted, 0 re-encrypted" in out.getvalue()
    assert "Dry run" in out.getvalue()


def test_keys_can_come_from_a_file(
    caseworker: User, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "field-keys"
    path.write_text(f"# newest first\n{KEY_B}\n{KEY_A}  # retiring\n", encoding="ascii")
    monkeypatch.delenv(crypto.ENV_KEYS)
    monkeypatch.setenv(crypto.ENV_KEYS_FILE, str(path))
    person = noted_person(caseworker)
    assert Fernet(KEY_B).decrypt(stored(person, "notes").removeprefix(crypto.PREFIX))
    monkeypatch.setenv(crypto.ENV_KEYS, KEY_A)
    with pytest.raises(ImproperlyConfigured, match="not both"):
        crypto.keyring()


def test_a_bad_key_is_named_without_showing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    use_keys(monkeypatch, KEY_A, "not-a-key")
    with pytest.raises(ImproperlyConfigured, match="WAYHOME_FIELD_KEYS: key 2 is not") as exc:
        crypto.keyring()
    assert "not-a-key" not in str(exc.value)


def test_pages_work_with_a_key(
    caseworker: User, client_for: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_keys(monkeypatch, KEY_A)
    person = factories.person(caseworker, given="Said")
    request = helpers.tracing_request(caseworker, [person])
    response = client_for(caseworker).get(reverse("tracing:request_detail", args=[request.uuid]))
    assert response.status_code == 200
    assert "+7 900 000 00 00" in response.content.decode()
    assert crypto.PREFIX not in response.content.decode()
    assert stored(TracingRequest.objects.get().inquirer, "phone").startswith(crypto.PREFIX)
