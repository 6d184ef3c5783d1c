"""Two caseworkers opening requests at the same moment get different references."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from tests import factories
from tests.tracing import helpers
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.people.models import Person
from wayhome.tracing import services
from wayhome.tracing.models import Inquirer, TracingRequest


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_creates_get_distinct_references(monkeypatch: pytest.MonkeyPatch) -> None:
    agency = factories.agency("Agency C (synthetic)", "CCC")
    users = [factories.user(agency, Role.CASEWORKER, f"c-{n}") for n in range(2)]
    real = services._next_reference
    both_computed = threading.Barrier(2, timeout=10)
    first_time = threading.local()
    computed: list[str] = []

    def racing(agency_arg: object, year: int) -> str:
        ref = real(agency_arg, year)  # type: ignore[arg-type]
        computed.append(ref)
        if not getattr(first_time, "done", False):
            first_time.done = True
            both_computed.wait()  # both threads now hold the same number
        return ref

    monkeypatch.setattr(services, "_next_reference", racing)
    errors: list[BaseException] = []

    # Everything else exists already, so nothing takes the audit chain's lock before the
    # reference is computed: the two inserts really race on the unique index.
    prepared = [
        (u, services.inquirer_create(actor=u, data=services.InquirerData(name=f"I{n}")), p)
        for n, u in enumerate(users)
        for p in [factories.person(u)]
    ]

    def create(user: User, inquirer: Inquirer, person: Person) -> None:
        try:
            services.request_create(
                actor=user,
                data=services.RequestData(received_on=helpers.DAY),
                inquirer=inquirer,
                sought=[services.SoughtLink(person=person)],
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=args) for args in prepared]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    year = timezone.localdate().year
    refs = sorted(TracingRequest.objects.values_list("reference", flat=True))
    assert refs == [f"CCC-{year}-00001", f"CCC-{year}-00002"]
    assert sorted(computed) == [f"CCC-{year}-00001"] * 2 + [f"CCC-{year}-00002"]  # one retry
