"""The job page: only its creator sees it; the progress fragment polls until the end."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from tests import factories
from tests.assertions import assert_login_required, assert_not_found
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.jobs.models import Job

Login = Callable[[User], Client]


def _job(actor: User, **fields: object) -> Job:
    return Job.objects.create(
        agency_id=actor.agency_key, created_by=actor, kind=Job.Kind.IMPORT, **fields
    )


def test_the_job_page_polls_while_running_and_stops_when_done(
    caseworker: User, client_for: Login
) -> None:
    job = _job(caseworker, status=Job.Status.RUNNING, done=40, total=100, message="Linking")
    client = client_for(caseworker)
    page = client.get(reverse("jobs:detail", args=[job.uuid])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert 'value="40"' in page
    assert "40 of 100" in page
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, result={"url": "/lists/"})
    fragment = client.get(reverse("jobs:progress", args=[job.uuid])).content.decode()
    assert "hx-trigger" not in fragment
    assert 'href="/lists/"' in fragment
    listing = client.get(reverse("jobs:list")).content.decode()
    assert reverse("jobs:detail", args=[job.uuid]) in listing


def test_only_the_creator_sees_a_job(
    caseworker: User, agency_a: object, other_agency_user: User, client_for: Login
) -> None:
    job = _job(caseworker)
    colleague = factories.user(agency_a, Role.SUPERVISOR, "colleague")  # type: ignore[arg-type]
    for user in (colleague, other_agency_user):
        client = client_for(user)
        assert_not_found(client, reverse("jobs:detail", args=[job.uuid]))
        assert_not_found(client, reverse("jobs:progress", args=[job.uuid]))
        assert str(job.uuid) not in client.get(reverse("jobs:list")).content.decode()
    assert_login_required(reverse("jobs:detail", args=[job.uuid]))
