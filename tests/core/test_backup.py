"""``wayhome backup`` / ``wayhome restore`` round-trip every table, exactly.

The backup is taken from the test database; the restore runs as the real command in a
separate process against a new, empty database, followed by ``wayhome audit verify``;
then every row of every table is compared between the two databases, as stored (so
encrypted fields are compared as ciphertext, and must still be ciphertext).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests import factories
from tests.tracing import helpers as tracing_helpers
from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.core import crypto
from wayhome.core.backup import BackupError, file_engine

KEY = Fernet.generate_key().decode()


def wayhome(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``wayhome`` command against another database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "wayhome.config.settings.test",
        crypto.ENV_KEYS: KEY,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "wayhome", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def records(monkeypatch: pytest.MonkeyPatch, transactional_db: None) -> Agency:
    """Persons with encrypted notes, a family link, whereabouts, a tracing request and
    their audit trail, committed (the backup reads from outside the test's session)."""
    monkeypatch.delenv(crypto.ENV_KEYS_FILE, raising=False)
    monkeypatch.setenv(crypto.ENV_KEYS, KEY)
    agency = factories.agency("Agency A (synthetic NGO)", "AAA")
    actor = factories.user(agency, Role.CASEWORKER)
    mother = factories.person(actor, given="Madina", family="Synthetic", notes="Seen in Roj.")
    child = factories.person(actor, given="Yusuf", family="Synthetic", sex="M")
    tracing_helpers.entry(actor, mother)
    tracing_helpers.tracing_request(actor, [child])
    assert AuditEvent.objects.count() > 5
    return agency


def _sqlite_rows(con: Any, table: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in con.execute(f'SELECT * FROM "{table}" ORDER BY rowid')]  # noqa: S608


def test_sqlite_round_trip_is_exact(records: Agency, tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip runs on SQLite")
    backup_file = tmp_path / "wayhome.backup"
    call_command("backup", str(backup_file))
    assert file_engine(backup_file) == "sqlite"
    assert oct(backup_file.stat().st_mode & 0o777) == "0o600"
    restored = tmp_path / "restored.sqlite3"
    url = f"sqlite:///{restored}"

    done = wayhome("restore", str(backup_file), database_url=url)
    assert done.returncode == 0, done.stderr
    assert "audit chain intact" in done.stdout
    verify = wayhome("audit", "verify", database_url=url)
    assert verify.returncode == 0, verify.stderr
    assert f"intact: {AuditEvent.objects.count()} events" in verify.stdout

    # A plain connection (Django's converts timestamps): rows exactly as stored.
    source = sqlite3.connect(connection.settings_dict["NAME"], uri=True)
    target = sqlite3.connect(restored)
    tables = [r[0] for r in target.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert set(tables) >= {"people_person", "audit_auditevent", "tracing_tracingrequest"}
    for table in tables:
        assert _sqlite_rows(source, table) == _sqlite_rows(target, table), table
    notes = [r[0] for r in target.execute("SELECT notes FROM people_person WHERE notes != ''")]
    assert notes
    assert all(n.startswith("fernet:") and "Roj" not in n for n in notes)

    again = wayhome("restore", str(backup_file), database_url=url)
    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path, db: None) -> None:
    junk = tmp_path / "junk"
    junk.write_bytes(b"hello")
    with pytest.raises(BackupError):
        file_engine(junk)
    with pytest.raises(CommandError, match=r"not a wayhome backup|not empty"):
        call_command("restore", str(junk))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing"))


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.fixture
def empty_pg_database() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = _pg_url("postgres")
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_tables(con: psycopg.Connection[Any]) -> list[str]:
    rows = con.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    ).fetchall()
    return [r[0] for r in rows]


def _pg_rows(con: psycopg.Connection[Any], table: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in con.execute(f'SELECT * FROM "{table}" ORDER BY 1')]  # noqa: S608


@pytest.mark.postgres
def test_postgres_round_trip_is_exact_and_keeps_the_trigger(
    records: Agency, tmp_path: Path, empty_pg_database: str
) -> None:
    backup_file = tmp_path / "wayhome.backup"
    call_command("backup", str(backup_file))
    assert file_engine(backup_file) == "postgresql"
    url = _pg_url(empty_pg_database)

    done = wayhome("restore", str(backup_file), database_url=url)
    assert done.returncode == 0, done.stderr
    verify = wayhome("audit", "verify", database_url=url)
    assert verify.returncode == 0, verify.stderr
    assert f"intact: {AuditEvent.objects.count()} events" in verify.stdout

    with (
        psycopg.connect(_pg_url(connection.settings_dict["NAME"])) as source,
        psycopg.connect(url) as target,
    ):
        tables = _pg_tables(source)
        assert tables == _pg_tables(target)
        for table in tables:
            assert _pg_rows(source, table) == _pg_rows(target, table), table
        notes = target.execute("SELECT notes FROM people_person WHERE notes <> ''").fetchall()
        assert notes
        assert all(n[0].startswith("fernet:") for n in notes)
        # The append-only trigger came back with the data.
        with pytest.raises(psycopg.Error):
            target.execute("UPDATE audit_auditevent SET reason = 'x'")
        target.rollback()
        # Sequences continue after the restored rows.
        last = target.execute("SELECT max(id) FROM people_person").fetchone()
        nextval = target.execute("SELECT nextval('people_person_id_seq')").fetchone()
        assert last is not None and nextval is not None  # noqa: PT018
        assert nextval[0] > last[0]

    again = wayhome("restore", str(backup_file), database_url=url)
    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_backups_are_engine_specific(tmp_path: Path, db: None, users: dict[str, User]) -> None:
    other = tmp_path / "other.backup"
    other.write_bytes(b"PGDMP" if connection.vendor == "sqlite" else b"SQLite format 3\x00")
    with pytest.raises(CommandError, match="same engine"):
        call_command("restore", str(other))
