"""Reads of jobs: a job is seen by the person who started it, in their agency."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from wayhome.accounts.models import User
from wayhome.jobs.models import Job


def jobs_visible_to(user: User) -> QuerySet[Job]:
    """The user's own jobs. A job's messages and result point at the data it touched,
    so colleagues see that data through its own pages, not through the job."""
    if user.agency_id is None:
        return Job.objects.none()
    return Job.objects.filter(agency_id=user.agency_id, created_by=user)


def job_get(user: User, job_uuid: str) -> Job:
    """The user's job, or 404 (also for another user's or another agency's job)."""
    job = jobs_visible_to(user).filter(uuid=job_uuid).first()
    if job is None:
        raise Http404
    return job
