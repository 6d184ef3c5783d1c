"""A ranking made while a write that marks rankings is still open is not stored: it may
have searched without seeing that write, which would then never mark it (PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from tests import factories
from tests.matching.helpers import person
from tests.tracing import helpers as tracing
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.matching import requests
from wayhome.matching.requests import ranking_refresh, rankings_to_refresh
from wayhome.people.models import Sex
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import TracingRequest


def _seeking(name: str, prefix: str) -> tuple[User, TracingRequest]:
    """A caseworker of a new agency, and a request of theirs seeking Aminat Aliyeva."""
    worker = factories.user(factories.agency(name, prefix), Role.CASEWORKER, f"{prefix}-worker")
    request = tracing_services.request_create(
        actor=worker,
        data=tracing_services.RequestData(received_on=tracing.DAY),
        new_inquirer=tracing_services.InquirerData(name="Zarema Synthetic"),
        new_sought=[tracing_services.NewSought("Aminat", "Aliyeva", "", Sex.FEMALE, 1990)],
    )
    return worker, request


class _OpenWrite:
    """Another connection registers a likely match and keeps its transaction open
    (its marking done, its lock held) until the block ends."""

    def __init__(self, worker: User) -> None:
        self.worker = worker
        self.marked, self.release = threading.Event(), threading.Event()
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._register)

    def _register(self) -> None:
        try:
            with transaction.atomic():
                person(self.worker, "Аминат Алиева", born=1990)
                self.marked.set()
                assert self.release.wait(timeout=20)
        except BaseException as exc:
            self.errors.append(exc)
            self.marked.set()
        finally:
            connection.close()

    def start(self) -> None:
        self.thread.start()
        assert self.marked.wait(timeout=20)

    @contextmanager
    def ending(self) -> Iterator[None]:
        try:
            yield
        finally:
            self.release.set()
            if self.thread.is_alive():
                self.thread.join(timeout=30)
        assert self.errors == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_ranking_is_stored_while_a_marking_write_is_open() -> None:
    worker, request = _seeking("Agency R (synthetic)", "RRR")
    write = _OpenWrite(worker)
    with write.ending():
        write.start()
        rows, stored = ranking_refresh(request)
        assert (rows, stored) == ([], False)  # the new person is not committed yet
        assert rankings_to_refresh() == [request.pk]
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
    worker, request = _seeking("Agency S (synthetic)", "SSS")
    ranking_refresh(request)
    write = _OpenWrite(worker)
    searched = requests._rank_request

    def while_searching(*args: object, **kwargs: object) -> object:
        write.start()
        return searched(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(requests, "_rank_request", while_searching)
    with write.ending():
        rows, stored = ranking_refresh(request)
    assert (rows, stored) == ([], False)
    assert rankings_to_refresh() == [request.pk]
