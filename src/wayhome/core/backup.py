"""Backups with each engine's own tools: byte-exact, fast, and blind to the data.

Why native and not a portable dump (``dumpdata``): a portable dump goes through the
models, so encrypted fields would be written out decrypted, sequences and the audit
trail's append-only trigger would be lost, and a million persons would take an hour.
The native copies keep every table exactly as stored (ciphertext stays ciphertext, the
audit chain's hashes stay valid), and restore only into an empty database, so nothing
existing is ever overwritten and the PostgreSQL trigger never has to be lifted.

- SQLite: the online backup API copies a consistent snapshot while the server runs.
- PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot, compressed), restored
  with ``pg_restore --single-transaction``: all or nothing.

A backup of one engine restores only into the same engine (the file says which).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why (never data)."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    engine: str
    size: int


def engine_of(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def file_engine(path: Path) -> str:
    """Which engine a backup file is from, by its first bytes."""
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a wayhome backup (neither SQLite nor pg_dump).")


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for the configured database: the password never appears on
    a command line (where `ps` would show it)."""
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(args[0])
    if tool is None:
        raise BackupError(
            f"{args[0]} is not installed (Debian: apt-get install postgresql-client)."
        )
    done = subprocess.run(  # noqa: S603
        [tool, *args[1:]], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()[-2000:]}")


def backup(target: Path, alias: str = "default") -> Outcome:
    """Write a consistent copy of the whole database to ``target`` (mode 600), through a
    temporary file renamed at the end, so a failed backup never leaves half a file."""
    engine = engine_of(alias)
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".wayhome-backup-", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600)
        if engine == "sqlite":
            connection = connections[alias]
            connection.ensure_connection()
            source: sqlite3.Connection = connection.connection
            copy = sqlite3.connect(tmp)
            try:
                source.backup(copy)
                # One self-contained file: no -wal/-shm beside it.
                copy.execute("PRAGMA journal_mode=DELETE")
            finally:
                copy.close()
        else:
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}"],
                _pg_env(connections[alias].settings_dict),
            )
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return Outcome(target, engine, target.stat().st_size)


def _is_empty(alias: str) -> bool:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(source: Path, alias: str = "default") -> Outcome:
    """Load a backup into the configured database, which must be empty (no tables)."""
    engine = engine_of(alias)
    source = source.resolve()
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    found = file_engine(source)
    if found != engine:
        raise BackupError(
            f"{source} is a {found} backup; the configured database is {engine}. "
            "Restore it into the same engine."
        )
    if not _is_empty(alias):
        raise BackupError(
            "The configured database is not empty: restore only into a new, empty database "
            "(nothing existing is ever overwritten)."
        )
    connection = connections[alias]
    if engine == "sqlite":
        connection.ensure_connection()
        target: sqlite3.Connection = connection.connection
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            backup_db.backup(target)
        finally:
            backup_db.close()
    else:
        connection.close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(source),
            ],
            _pg_env(connection.settings_dict),
        )
    return Outcome(source, engine, source.stat().st_size)
