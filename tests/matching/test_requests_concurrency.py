"""A ranking made while a write that marks rankings is still open is not stored: it may
have searched without seeing that write, which would then never mark it (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from tests import factories
from tests.matching.helpers import person
from tests.tracing import helpers as tracing
from wayhome.accounts.roles import Role
from wayhome.matching import requests
from wayhome.matching.requests import ranking_refresh, rankings_to_refresh
from wayhome.people.models import Sex
from wayhome.tracing import services as tracing_services


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_ranking_is_stored_while_a_marking_write_is_open() -> None:
    agency = factories.agency("Agency R (synthetic)", "RRR")
    worker = factories.user(agency, Role.CASEWORKER, "r-worker")
    request = tracing_services.request_create(
        actor=worker,
        data=tracing_services.RequestData(received_on=tracing.DAY),
        new_inquirer=tracing_services.InquirerData(name="Zarema Synthetic"),
        new_sought=[tracing_services.NewSought("Aminat", "Aliyeva", "", Sex.FEMALE, 1990)],
    )
    marked, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def register() -> None:
        """Registers a likely match and holds its transaction open until released."""
        try:
            with transaction.atomic():
                person(worker, "Аминат Алиева", born=1990)
                marked.set()
                assert release.wait(timeout=20)
        except BaseException as exc:
            errors.append(exc)
            marked.set()
        finally:
            connection.close()

    writer = threading.Thread(target=register)
    writer.start()
    try:
        assert marked.wait(timeout=20)
        rows, stored = ranking_refresh(request)
        assert (rows, stored) == ([], False)  # the new person is not committed yet
        assert rankings_to_refresh() == [request.pk]
    finally:
        release.set()
        writer.join(timeout=30)
    assert errors == []
    rows, stored = ranking_refresh(request)
    assert stored
    assert len(rows) == 1
    assert rankings_to_refresh() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_ranking_does_not_wait_for_a_write_that_marked_it_meanwhile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A write that starts while the registry is searched marks the ranking (it sees
    its keys) and holds its row: storing gives up at once rather than waiting for that
    write (an import may take minutes), and the ranking stays stale."""
    agency = factories.agency("Agency S (synthetic)", "SSS")
    worker = factories.user(agency, Role.CASEWORKER, "s-worker")
    request = tracing_services.request_create(
        actor=worker,
        data=tracing_services.RequestData(received_on=tracing.DAY),
        new_inquirer=tracing_services.InquirerData(name="Zarema Synthetic"),
        new_sought=[tracing_services.NewSought("Aminat", "Aliyeva", "", Sex.FEMALE, 1990)],
    )
    ranking_refresh(request)
    marked, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def register() -> None:
        try:
            with transaction.atomic():
                person(worker, "Аминат Алиева", born=1990)
                marked.set()
                assert release.wait(timeout=20)
        except BaseException as exc:
            errors.append(exc)
            marked.set()
        finally:
            connection.close()

    writer = threading.Thread(target=register)
    searched = requests._rank_request

    def while_searching(*args: object, **kwargs: object) -> object:
        writer.start()
        assert marked.wait(timeout=20)
        return searched(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(requests, "_rank_request", while_searching)
    try:
        rows, stored = ranking_refresh(request)
    finally:
        release.set()
        writer.join(timeout=30)
    assert errors == []
    assert (rows, stored) == ([], False)
    assert rankings_to_refresh() == [request.pk]
