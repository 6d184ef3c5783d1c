"""Writes of the jobs app: putting a job on its way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction

from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.jobs import runner
from wayhome.jobs.models import Job


@transaction.atomic
def job_enqueue(
    *, actor: User, kind: str, params: Mapping[str, Any], total: int = 0, message: str = ""
) -> Job:
    """Record a job and start it once this transaction commits (never before: the
    worker must find the row, and a rolled-back request must start nothing)."""
    if kind not in runner.HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    job = Job.objects.create(
        agency_id=actor.agency_key,
        created_by=actor,
        kind=kind,
        params=dict(params),
        total=total,
        message=message[:300],
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=job,
        changes={"kind": kind, "params": dict(params)},
    )
    if settings.JOBS_INLINE:  # tests: at once, inside the caller's transaction
        runner.run_job(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: runner.dispatch(job))
    return job
