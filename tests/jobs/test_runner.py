"""Running jobs: claimed once, ended with a status, failures without personal data,
progress readable while the job's transaction is open, and a real RQ worker."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wayhome.accounts.models import User
from wayhome.jobs import runner
from wayhome.jobs.models import Job
from wayhome.jobs.services import job_enqueue


def _job(actor: User, **fields: Any) -> Job:
    return Job.objects.create(
        agency_id=actor.agency_key, created_by=actor, kind=Job.Kind.IMPORT, **fields
    )


def _handler(monkeypatch: pytest.MonkeyPatch, handler: Any) -> None:
    monkeypatch.setattr("wayhome.lists.jobs.run_import", handler)


def test_a_job_runs_once_and_records_its_result(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def handler(job: Job, progress: runner.Progress) -> dict[str, Any]:
        calls.append(job.pk)
        progress(1, 2, "half")
        return {"url": "/somewhere/", "total": 2}

    _handler(monkeypatch, handler)
    job = _job(caseworker, total=2)
    assert runner.run_job(job.pk) == Job.Status.DONE
    assert runner.run_job(job.pk) == ""  # already done: nobody runs it again
    job.refresh_from_db()
    assert calls == [job.pk]
    assert (job.status, job.done, job.total, job.percent) == (Job.Status.DONE, 2, 2, 100)
    assert job.result == {"url": "/somewhere/", "total": 2}
    assert job.attempts == 1


def test_a_validation_error_is_shown_and_a_crash_gives_a_reference_only(
    caseworker: User, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuses(job: Job, progress: runner.Progress) -> dict[str, Any]:
        raise ValidationError(["Row 3, column “sex”: not a sex this system reads."])

    _handler(monkeypatch, refuses)
    job = _job(caseworker)
    assert runner.run_job(job.pk) == Job.Status.FAILED
    job.refresh_from_db()
    assert job.error == "Row 3, column “sex”: not a sex this system reads."

    def crashes(job: Job, progress: runner.Progress) -> dict[str, Any]:
        raise KeyError("Amina Testova")  # personal data in an exception must not show

    _handler(monkeypatch, crashes)
    job = _job(caseworker)
    assert runner.run_job(job.pk) == Job.Status.FAILED
    job.refresh_from_db()
    assert str(job.uuid) in job.error
    assert "Amina" not in job.error


def test_a_stalled_job_can_be_claimed_again_a_running_one_cannot(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _handler(monkeypatch, lambda job, progress: {"total": 0})
    running = _job(caseworker, status=Job.Status.RUNNING)
    assert runner.run_job(running.pk) == ""
    long_ago = timezone.now() - dt.timedelta(seconds=runner.STALLED_AFTER + 60)
    Job.objects.filter(pk=running.pk).update(updated_at=long_ago)
    running.refresh_from_db()
    assert runner.is_stalled(running)
    assert runner.run_job(running.pk) == Job.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_progress_inside_an_open_transaction(caseworker: User, is_postgres: bool) -> None:
    job = _job(caseworker, total=10)
    progress = runner.ProgressReporter(job, every=0.0)
    progress(3, 10, "row 3")
    job.refresh_from_db()
    assert (job.done, job.message) == (3, "row 3")  # outside a transaction: the row itself
    with transaction.atomic():
        progress(6, 10, "row 6")
        if is_postgres:  # written through a second connection: others see it already
            job.refresh_from_db()
            assert job.done == 6
        else:  # SQLite has one writer: the same process reads it from memory
            assert runner.live_progress(job) == (6, 10, "row 6")
    progress.close()
    assert runner.live_progress(job) is None


def test_enqueue_audits_and_runs_inline_in_tests(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _handler(monkeypatch, lambda job, progress: {"total": 0})
    job = job_enqueue(actor=caseworker, kind=Job.Kind.IMPORT, params={"import": "x"})
    assert job.status == Job.Status.DONE
    with pytest.raises(ValueError, match="no handler"):
        job_enqueue(actor=caseworker, kind="nonsense", params={})


def test_without_a_queue_a_job_starts_in_a_thread_after_commit(
    caseworker: User, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.JOBS_INLINE = False
    settings.JOBS_REDIS_URL = ""
    started: list[int] = []
    monkeypatch.setattr(runner, "_in_thread", started.append)
    monkeypatch.setattr(threading.Thread, "start", lambda self: self.run())
    job = job_enqueue(actor=caseworker, kind=Job.Kind.IMPORT, params={})
    assert started == []  # not before the transaction commits
    runner.dispatch(job)  # what on_commit calls
    assert started == [job.pk]


def test_with_redis_configured_a_job_goes_on_the_queue(caseworker: User, settings: Any) -> None:
    redis = pytest.importorskip("redis")
    settings.JOBS_REDIS_URL = "redis://127.0.0.1:6379/15"
    settings.JOBS_QUEUE = "wayhome-test"
    try:
        redis.Redis.from_url(settings.JOBS_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    queue = runner.queue()
    queue.empty()
    job = _job(caseworker)
    runner.dispatch(job)
    assert queue.count == 1
    queued = queue.jobs[0]
    assert queued.func_name == "wayhome.jobs.runner.run_job"
    assert queued.args == (job.pk,)
    queue.empty()


def _fails(text: str) -> None:
    raise RuntimeError(text)


def test_upkeep_off_the_request_runs_inline_in_tests_and_logs_no_message(
    settings: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A failure of upkeep nobody waits for is logged by its type and place, never its
    message (it may quote a name); in tests it runs at once."""
    done: list[int] = []
    runner.run_off_request(done.append, 7, name="test-upkeep")
    assert done == [7]
    settings.JOBS_INLINE = False
    settings.JOBS_REDIS_URL = ""
    monkeypatch.setattr(threading.Thread, "start", lambda self: self.run())
    monkeypatch.setattr("wayhome.jobs.runner.connection.close", lambda: None)
    with caplog.at_level("ERROR"):
        runner.run_off_request(_fails, "Аминат Алиева", name="test-upkeep")
    assert "_fails failed: RuntimeError" in caplog.text
    assert "Аминат" not in caplog.text
