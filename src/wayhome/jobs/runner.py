"""Running jobs: on an RQ queue when Redis is configured, in a thread when it is not.

A job is enqueued only once the transaction that created it commits (the worker must
find its row). The handler of each kind is a fixed dotted path, never read from the
row, so a tampered row cannot make a worker run arbitrary code. A handler does its
writes in its own transaction: when it fails, or its process is killed, nothing of its
work remains and the job can be started again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connection, connections
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from wayhome.jobs.models import Job

log = logging.getLogger(__name__)

HANDLERS: dict[str, str] = {
    Job.Kind.IMPORT: "wayhome.lists.jobs.run_import",
}
STALLED_AFTER = 10 * 60  # seconds without progress: the worker is presumed gone


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


Handler = Callable[[Job, Progress], dict[str, Any]]

# Progress of jobs whose writes are still uncommitted, for SQLite (one writer at a time,
# so it cannot be written to the table meanwhile): readable in the same process only.
_LIVE: dict[int, tuple[int, int, str]] = {}


def live_progress(job: Job) -> tuple[int, int, str] | None:
    """The in-process progress of a running job, when the database cannot show it yet."""
    return _LIVE.get(job.pk)


class ProgressReporter:
    """Writes a job's progress where a polling page can read it while the job's own
    transaction is still open: on PostgreSQL through a second connection (autocommit),
    on SQLite into process memory; at most a few times a second."""

    def __init__(self, job: Job, every: float = 0.5) -> None:
        self.job = job
        self.every = every
        self._last = 0.0
        self._side: Any = None

    def __call__(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if now - self._last < self.every and done < total:
            return
        self._last = now
        message = message[:300]
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(
                done=done, total=total, message=message, updated_at=timezone.now()
            )
        elif connection.vendor == "postgresql":
            self._write_aside(done, total, message)
        else:
            _LIVE[self.job.pk] = (done, total, message)

    def _write_aside(self, done: int, total: int, message: str) -> None:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Job._meta.db_table} SET done = %s, total = %s, message = %s, "  # noqa: S608
                "updated_at = %s WHERE id = %s",
                [done, total, message, timezone.now(), self.job.pk],
            )

    def close(self) -> None:
        _LIVE.pop(self.job.pk, None)
        if self._side is not None:
            self._side.close()
            self._side = None


def is_stalled(job: Job) -> bool:
    """A running job that reported nothing for STALLED_AFTER: its worker is gone."""
    return (timezone.now() - job.updated_at).total_seconds() > STALLED_AFTER


def _claim(job_pk: int) -> Job | None:
    """Mark a queued (or stalled) job running; None when another worker has it or it ended."""
    now = timezone.now()
    stalled = now - dt.timedelta(seconds=STALLED_AFTER)
    job = (
        Job.objects.filter(pk=job_pk)
        .filter(Q(status=Job.Status.QUEUED) | Q(status=Job.Status.RUNNING, updated_at__lt=stalled))
        .first()
    )
    if job is None:
        return None
    claimed = Job.objects.filter(pk=job_pk, status=job.status, updated_at=job.updated_at).update(
        status=Job.Status.RUNNING,
        started_at=now,
        updated_at=now,
        attempts=job.attempts + 1,
        error="",
    )
    if not claimed:
        return None
    job.refresh_from_db()
    return job


def run_job(job_pk: int) -> str:
    """Run one job to its end and record how it ended; returns the final status."""
    job = _claim(job_pk)
    if job is None:
        return ""
    handler: Handler = import_string(HANDLERS[job.kind])
    progress = ProgressReporter(job)
    try:
        result = handler(job, progress)
    except ValidationError as exc:
        # The handler's own, user-facing reasons (rows and columns, never a name).
        _finish(job, Job.Status.FAILED, error="\n".join(exc.messages)[:1000])
    except Exception as exc:  # a bug: the user gets a reference, the log the type only
        # Where it failed, but not the exception's message: it may quote a cell of a list.
        where = "".join(traceback.format_tb(exc.__traceback__))
        log.error("job %s (%s) failed: %s\n%s", job.uuid, job.kind, type(exc).__name__, where)
        _finish(
            job,
            Job.Status.FAILED,
            error=_("An internal error stopped the job; nothing was saved. Reference: %(ref)s")
            % {"ref": job.uuid},
        )
    else:
        _finish(job, Job.Status.DONE, result=result)
    finally:
        progress.close()
    return Job.objects.values_list("status", flat=True).get(pk=job.pk)


def _finish(
    job: Job, status: str, *, error: str = "", result: dict[str, Any] | None = None
) -> None:
    now = timezone.now()
    fields: dict[str, Any] = {"status": status, "finished_at": now, "updated_at": now}
    fields["error"] = error
    if result is not None:
        fields["result"] = result
        fields["done"] = fields["total"] = int(result.get("total", job.total) or 0)
    Job.objects.filter(pk=job.pk).update(**fields)


def _in_thread(job_pk: int) -> None:
    try:
        run_job(job_pk)
    finally:
        close_old_connections()
        connection.close()


def dispatch(job: Job) -> None:
    """Start a job now that its row is committed: on the queue, or in a thread of this
    process."""
    if settings.JOBS_REDIS_URL:
        queue().enqueue(run_job, job.pk, job_timeout=6 * 3600, result_ttl=3600)
    else:
        threading.Thread(target=_in_thread, args=(job.pk,), name=f"job-{job.pk}").start()


def queue() -> Any:
    """The RQ queue jobs go on (only when WAYHOME_REDIS_URL is set)."""
    from redis import Redis
    from rq import Queue

    return Queue(settings.JOBS_QUEUE, connection=Redis.from_url(settings.JOBS_REDIS_URL))


def run_off_request(call: Callable[..., object], *args: Any, name: str) -> None:
    """Upkeep of derived data after a request (a recount, rankings): on the job queue
    where one is configured, in a thread of this process where none is, at once in
    tests (``JOBS_INLINE``). Nobody waits for it, so a failure is logged (its type and
    where, never its message: it may quote a name) and what it would have refreshed is
    refreshed by its next reader. ``call`` is a module-level function (the worker
    imports it)."""
    if settings.JOBS_INLINE:
        call(*args)
    elif settings.JOBS_REDIS_URL:
        queue().enqueue(call, *args, job_timeout=600, result_ttl=0)
    else:
        threading.Thread(target=_upkeep, args=(call, args), name=name, daemon=True).start()


def _upkeep(call: Callable[..., object], args: tuple[Any, ...]) -> None:
    try:
        call(*args)
    except Exception as exc:
        where = "".join(traceback.format_tb(exc.__traceback__))
        log.error("%s failed: %s\n%s", getattr(call, "__name__", call), type(exc).__name__, where)
    finally:
        connection.close()
