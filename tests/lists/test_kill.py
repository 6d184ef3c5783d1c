"""An import killed with SIGKILL halfway leaves no partial data and can be run again.

A real `wayhome import --commit` runs in a subprocess against a real database (a
SQLite file, or this run's PostgreSQL test database); once it reports a hundred rows
linked it is killed with SIGKILL, the database is checked for any trace of it, and the
same command is run again to the end.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests import factories
from tests.lists.files import csv_bytes
from wayhome.accounts.roles import Role

ROWS = 300
TABLES = (
    "people_person",
    "people_personname",
    "tracing_informationreport",
    "lists_listimport",
    "lists_importrow",
    "review_matchcandidate",
)
WAYHOME = [sys.executable, "-m", "django"]


def _list(path: Path) -> Path:
    given = ["Амина", "Зарема", "Лейла", "Муса", "Ахмед", "Марьям", "Хадижат", "Ислам"]
    family = ["Тестова", "Примерова", "Образцова", "Синтетова", "Пробная", "Условная"]
    rows: list[list[object]] = [["№", "Фамилия", "Имя", "Дата рождения"]]
    for i in range(ROWS):
        name = given[i % len(given)] + "-" + str(i)  # distinct synthetic persons
        rows.append([i + 1, family[i % len(family)], name, f"{2005 + i % 12}"])
    path.write_bytes(csv_bytes(rows))
    return path


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="wayhome.config.settings.test",
        PYTHONUNBUFFERED="1",
    )
    return env


def _import(env: dict[str, str], path: Path) -> list[str]:
    return [*WAYHOME, "import", str(path), "--source", "Kill test", "--user", "killer", "--commit"]


def _kill_halfway(command: list[str], env: dict[str, str]) -> None:
    process = subprocess.Popen(  # noqa: S603  (our own command, no shell)
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    try:
        for line in process.stderr:
            if line.startswith("row ") and int(line.split()[1].split("/")[0]) >= 100:
                process.send_signal(signal.SIGKILL)
                break
        else:
            pytest.fail("the import ended before it could be killed halfway")
    finally:
        process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608


def test_sigkill_halfway_leaves_nothing_and_the_import_can_be_rerun_sqlite(
    tmp_path: Path,
) -> None:
    db = tmp_path / "kill.sqlite3"
    env = _env(f"sqlite:///{db}")
    _run([*WAYHOME, "migrate", "--no-input", "-v", "0"], env)
    _run(
        [
            *WAYHOME,
            "shell",
            "-c",
            "from tests import factories as f; "
            "f.user(f.agency('Kill test (synthetic)', 'KIL'), 'caseworker', 'killer')",
        ],
        env,
    )
    empty = _sqlite_counts(db)
    path = _list(tmp_path / "list.csv")
    _kill_halfway(_import(env, path), env)
    assert _sqlite_counts(db) == empty
    out = _run(_import(env, path), env)
    assert "rows 300" in out
    after = _sqlite_counts(db)
    assert after["people_person"] == ROWS
    assert after["lists_importrow"] == ROWS
    assert after["lists_listimport"] == 1
    assert after["tracing_informationreport"] == 1
    assert "already imported" in _run(_import(env, path), env)
    assert _sqlite_counts(db) == after


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sigkill_halfway_leaves_nothing_and_the_import_can_be_rerun_postgres(
    tmp_path: Path, agency_a: object, is_postgres: bool
) -> None:
    factories.user(agency_a, Role.CASEWORKER, "killer")  # type: ignore[arg-type]
    s = connection.settings_dict
    url = (
        f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
    )
    env = _env(url)

    def counts() -> dict[str, int]:
        with connection.cursor() as cursor:
            out = {}
            for table in TABLES:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                out[table] = cursor.fetchone()[0]
            return out

    empty = counts()
    path = _list(tmp_path / "list.csv")
    _kill_halfway(_import(env, path), env)
    assert counts() == empty
    assert "rows 300" in _run(_import(env, path), env)
    assert counts()["people_person"] == empty["people_person"] + ROWS
