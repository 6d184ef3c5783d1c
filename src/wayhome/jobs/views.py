"""Job pages: what ran, how far it got, how it ended. The page polls its own progress
with htmx, so it survives a reload: the state lives in the job's row, not the browser."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wayhome.accounts.models import User
from wayhome.accounts.permissions import staff_required
from wayhome.jobs import runner, selectors
from wayhome.jobs.models import Job


def _context(job: Job) -> dict[str, object]:
    done, total, message = job.done, job.total, job.message
    live = runner.live_progress(job) if not job.is_finished else None
    if live is not None:
        done, total, message = live
    return {
        "job": job,
        "done": done,
        "total": total,
        "message": message,
        "stalled": job.status == Job.Status.RUNNING and runner.is_stalled(job),
    }


@require_GET
@staff_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = selectors.jobs_visible_to(cast(User, request.user))[:50]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@require_GET
@staff_required
def job_detail(request: HttpRequest, job_uuid: str) -> HttpResponse:
    job = selectors.job_get(cast(User, request.user), job_uuid)
    return render(request, "jobs/job_detail.html", _context(job))


@require_GET
@staff_required
def job_progress(request: HttpRequest, job_uuid: str) -> HttpResponse:
    """The progress fragment the job page swaps in every second until the job ends."""
    job = selectors.job_get(cast(User, request.user), job_uuid)
    return render(request, "jobs/_progress.html", _context(job))
