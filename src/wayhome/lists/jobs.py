"""The import job: commits a previewed list (wayhome.jobs runs it)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from wayhome.jobs.models import Job
from wayhome.jobs.runner import Progress
from wayhome.lists import services
from wayhome.lists.models import ListImport
from wayhome.matching.requests import rankings_refresh
from wayhome.matching.services import rankings_refreshed_by_caller


def run_import(job: Job, progress: Progress) -> dict[str, Any]:
    """Commit the job's list as the user who started it; returns where to see it."""
    list_import = ListImport.objects.get(uuid=job.params["import"], agency_id=job.agency_id)
    if job.created_by is None:
        raise ValueError("the job's user no longer exists")
    with rankings_refreshed_by_caller():
        done = services.list_import_commit(
            actor=job.created_by, list_import=list_import, progress=progress
        )
    # The persons imported may be candidates of open requests, whose rankings the import
    # marked stale: ranked again now, off the request, rather than by their next readers.
    message = _("Updating the candidates of tracing requests")
    rankings_refresh(job.agency_id, lambda n, total: progress(n, total, message), missing=False)
    return {
        "url": reverse("lists:detail", args=[done.uuid]),
        "counts": done.counts,
        "total": done.counts.get("rows", 0),
    }
