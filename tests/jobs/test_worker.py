"""A real RQ worker (``wayhome jobs worker --burst``, its own process) runs an import
that a page put on the Redis queue. PostgreSQL only: the worker must reach the same
database as the test, which SQLite's in-memory test database does not allow."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.lists.files import csv_bytes
from wayhome.accounts.models import User
from wayhome.jobs import runner
from wayhome.jobs.models import Job
from wayhome.lists import services
from wayhome.lists.models import ListImport

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_import(caseworker: User, settings: Any, tmp_path: Path) -> None:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.JOBS_INLINE = False
    settings.JOBS_REDIS_URL = REDIS_URL
    settings.JOBS_QUEUE = f"wayhome-test-{os.getpid()}"
    runner.queue().empty()
    rows = [
        ["№", "ФИО", "Дата рождения"],
        ["1", "Тестова Амина", "2015"],
        ["2", "Примеров Муса", "4"],
    ]
    draft = services.list_import_upload(
        actor=caseworker,
        source_name="Queue test",
        file_name="list.csv",
        data=csv_bytes(rows),
        list_date=dt.date(2019, 5, 1),
    )
    job = services.list_import_start(actor=caseworker, list_import=draft)  # commits: enqueued
    assert runner.queue().count == 1
    s = connection.settings_dict
    url = (
        f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
    )
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="wayhome.config.settings.test",
        WAYHOME_REDIS_URL=REDIS_URL,
        WAYHOME_JOBS_QUEUE=settings.JOBS_QUEUE,
    )
    done = subprocess.run(
        [sys.executable, "-m", "django", "jobs", "worker", "--burst"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    job.refresh_from_db()
    draft.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert draft.status == ListImport.State.COMMITTED
    assert draft.counts["rows"] == 2
