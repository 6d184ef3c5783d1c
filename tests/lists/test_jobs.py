"""The import job: what it does after the list is in."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.lists.files import csv_bytes
from tests.lists.test_views import ROWS, Login, _upload
from tests.tracing import helpers as tracing
from wayhome.accounts.models import User
from wayhome.jobs.models import Job
from wayhome.lists.models import ListImport
from wayhome.matching.models import RankedCandidate
from wayhome.matching.requests import ranking_refresh, rankings_to_refresh
from wayhome.people.models import Sex
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import TracingRequest


def _seeking(actor: User, given: str, family: str, born: int) -> TracingRequest:
    return tracing_services.request_create(
        actor=actor,
        data=tracing_services.RequestData(received_on=tracing.DAY),
        new_inquirer=tracing_services.InquirerData(name="Zarema Synthetic"),
        new_sought=[tracing_services.NewSought(given, family, "daughter", Sex.FEMALE, born)],
    )


def _import(client: Client) -> None:
    _upload(client, csv_bytes(ROWS, "cp1251"))
    list_import = ListImport.objects.get()
    client.post(reverse("lists:commit", args=[list_import.uuid]))
    assert Job.objects.get().status == Job.Status.DONE


def test_an_import_ranks_again_the_requests_it_made_stale(
    caseworker: User, client_for: Login
) -> None:
    """A request whose sought daughter the list names has her among its candidates as
    soon as the job is done; a request nobody opened yet is left for its first reader."""
    seeking = _seeking(caseworker, "Амина", "Тестова", 2015)
    ranking_refresh(seeking)
    assert not RankedCandidate.objects.filter(ranking_id=seeking.pk).exists()
    unopened = _seeking(caseworker, "Зарина", "Юсупова", 1990)
    _import(client_for(caseworker))
    assert rankings_to_refresh() == [unopened.pk]
    ranked = RankedCandidate.objects.filter(ranking_id=seeking.pk).select_related("person")
    assert [r.person.display_name for r in ranked] == ["Тестова Амина"]


def test_the_import_command_ranks_again_the_requests_it_made_stale(
    caseworker: User, tmp_path: Path
) -> None:
    """`wayhome import --commit`, like the job: once at the end, not after each batch."""
    seeking = _seeking(caseworker, "Амина", "Тестова", 2015)
    ranking_refresh(seeking)
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(ROWS, "cp1251"))
    out = io.StringIO()
    call_command(
        "import", str(path), "--source", "Ministry (synthetic)", "--user",
        caseworker.username, "--date", "2019-05-01", "--commit", stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert "candidates ranked again for 1 tracing request\n" in out.getvalue()
    assert rankings_to_refresh() == []
    ranked = RankedCandidate.objects.filter(ranking_id=seeking.pk).select_related("person")
    assert [r.person.display_name for r in ranked] == ["Тестова Амина"]
