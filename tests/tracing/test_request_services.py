from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories
from tests.tracing import helpers
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.people.models import Person, Relationship
from wayhome.tracing import services
from wayhome.tracing.models import Inquirer, TracingRequest

D = dt.date
S = TracingRequest.State
YEAR = timezone.localdate().year


def test_create_registers_inquirer_and_new_sought_and_audits(caseworker: User) -> None:
    son = factories.person(caseworker, given="Rustam", family="Testov")
    request = services.request_create(
        actor=caseworker,
        data=services.RequestData(
            received_on=D(2019, 2, 1),
            last_known="Near a town, with his wife and two children.",
            last_known_date=D(2017, 8, 1),
            last_known_precision="month",
            assigned_to=caseworker,
            consent_share=True,
        ),
        new_inquirer=services.InquirerData(name="Kheda Synthetic", relationship="mother"),
        sought=[services.SoughtLink(person=son, relation="son")],
        new_sought=[
            services.NewSought(
                given="Liana", family="Testova", relation="daughter-in-law", sex="F"
            ),
            services.NewSought(given="Adam", family="Testov", relation="grandson", birth_year=2016),
        ],
    )
    assert request.reference == f"AAA-{YEAR}-00001"
    assert request.inquirer.name == "Kheda Synthetic"
    relations = {
        link.person.display_name: link.relation_to_inquirer for link in request.sought_links.all()
    }
    assert relations == {
        "Rustam Testov": "son",
        "Liana Testova": "daughter-in-law",
        "Adam Testov": "grandson",
    }
    adam = Person.objects.get(display_name="Adam Testov")
    assert adam.birth_year == 2016
    assert adam.agency_id == caseworker.agency_id
    event = AuditEvent.objects.get(object_uuid=request.uuid, action="create")
    assert event.changes["reference"] == request.reference
    assert len(event.changes["sought"]) == 3
    assert AuditEvent.objects.filter(object_uuid=request.inquirer.uuid, action="create").exists()


def test_references_count_up_per_agency_and_year(caseworker: User, other_agency_user: User) -> None:
    refs = [helpers.tracing_request(caseworker).reference for _ in range(3)]
    assert refs == [f"AAA-{YEAR}-0000{n}" for n in (1, 2, 3)]
    assert helpers.tracing_request(other_agency_user).reference == f"BBB-{YEAR}-00001"


def test_reference_retries_when_a_concurrent_insert_took_it(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests computing the same next number: the loser retries, nothing breaks."""
    helpers.tracing_request(caseworker)
    taken = f"AAA-{YEAR}-00001"
    real = services._next_reference
    answers = iter([taken, taken])
    monkeypatch.setattr(
        services, "_next_reference", lambda agency, year: next(answers, None) or real(agency, year)
    )
    second = helpers.tracing_request(caseworker)
    assert second.reference == f"AAA-{YEAR}-00002"
    assert TracingRequest.objects.count() == 2


def test_create_refusals_write_nothing(caseworker: User, other_agency_user: User) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"data": services.RequestData(received_on=tomorrow)}, "future"),
        (
            {"data": services.RequestData(received_on=D(2019, 1, 1), last_known_date=tomorrow)},
            "future",
        ),
        (
            {
                "data": services.RequestData(
                    received_on=D(2019, 1, 1), assigned_to=other_agency_user
                )
            },
            "your agency",
        ),
        ({"sought": []}, "at least one sought"),
        ({"new_inquirer": None}, "inquirer"),
        ({"new_inquirer": services.InquirerData(name=" ")}, "needs a name"),
        (
            {"sought": [services.SoughtLink(person=factories.person(other_agency_user))]},
            "another agency",
        ),
    ]
    mine = factories.person(caseworker)
    before = AuditEvent.objects.count()
    for override, message in cases:
        kwargs: dict[str, Any] = {
            "actor": caseworker,
            "data": services.RequestData(received_on=D(2019, 1, 1)),
            "new_inquirer": services.InquirerData(name="Inquirer"),
            "sought": [services.SoughtLink(person=mine)],
            **override,
        }
        with pytest.raises(ValidationError, match=message):
            services.request_create(**kwargs)
    assert not TracingRequest.objects.exists()
    assert not Inquirer.objects.exists()
    assert AuditEvent.objects.count() == before


def test_an_existing_inquirer_of_another_agency_is_refused(
    caseworker: User, other_agency_user: User
) -> None:
    foreign = services.inquirer_create(
        actor=other_agency_user, data=services.InquirerData(name="X")
    )
    with pytest.raises(ValidationError, match="another agency"):
        services.request_create(
            actor=caseworker,
            data=services.RequestData(received_on=D(2019, 1, 1)),
            inquirer=foreign,
            sought=[services.SoughtLink(person=factories.person(caseworker))],
        )


def test_update_changes_sought_and_facts_with_audit(caseworker: User) -> None:
    a = factories.person(caseworker, given="Amir")
    b = factories.person(caseworker, given="Bilal")
    request = helpers.tracing_request(caseworker, [a])
    services.request_update(
        actor=caseworker,
        request=request,
        data=services.RequestData(received_on=D(2019, 3, 1), last_known_place="a town"),
        sought=[services.SoughtLink(person=b, relation="nephew")],
    )
    assert [link.person for link in request.sought_links.all()] == [b]
    event = AuditEvent.objects.get(object_uuid=request.uuid, action="update")
    assert event.changes["last_known_place"] == ["", "a town"]
    assert event.changes["sought"] == [[f"{a.uuid} (son)"], [f"{b.uuid} (nephew)"]]


def test_inquirer_update_is_audited(caseworker: User) -> None:
    inquirer = services.inquirer_create(actor=caseworker, data=services.InquirerData(name="Old"))
    services.inquirer_update(
        actor=caseworker, inquirer=inquirer, data=services.InquirerData(name="New", phone="123")
    )
    event = AuditEvent.objects.get(object_uuid=inquirer.uuid, action="update")
    assert event.changes["name"] == ["Old", "New"]


def _move(actor: User, request: TracingRequest, to: str, **kw: object) -> TracingRequest:
    return services.request_transition(actor=actor, request=request, to=to, **kw)  # type: ignore[arg-type]


def test_the_state_machine(caseworker: User) -> None:
    request = helpers.tracing_request(caseworker)
    _move(caseworker, request, S.LOCATED, on=D(2019, 6, 1))
    assert (request.status, request.located_on) == (S.LOCATED, D(2019, 6, 1))
    _move(caseworker, request, S.OPEN, reason="wrong lead: another woman")
    assert (request.status, request.located_on) == (S.OPEN, None)
    _move(caseworker, request, S.CLOSED, closure_reason="reunited", on=D(2020, 1, 5))
    assert (request.status, request.closure_reason, request.closed_on) == (
        S.CLOSED,
        "reunited",
        D(2020, 1, 5),
    )
    _move(caseworker, request, S.OPEN, reason="the family asks again")
    assert (request.status, request.closure_reason, request.closed_on) == (S.OPEN, "", None)
    events = AuditEvent.objects.filter(object_uuid=request.uuid, action="update").order_by("id")
    assert [e.changes["status"] for e in events] == [
        ["open", "located"],
        ["located", "open"],
        ["open", "closed"],
        ["closed", "open"],
    ]
    assert events[1].reason == "wrong lead: another woman"


def test_transition_refusals(caseworker: User) -> None:
    request = helpers.tracing_request(caseworker, received_on=D(2019, 3, 1))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="open cannot be made open"):
        _move(caseworker, request, S.OPEN, reason="x")
    with pytest.raises(ValidationError, match="future"):
        _move(caseworker, request, S.LOCATED, on=tomorrow)
    with pytest.raises(ValidationError, match="before the request was received"):
        _move(caseworker, request, S.LOCATED, on=D(2019, 1, 1))
    with pytest.raises(ValidationError, match="why the request is closed"):
        _move(caseworker, request, S.CLOSED, closure_reason="")
    _move(caseworker, request, S.CLOSED, closure_reason="withdrawn")
    with pytest.raises(ValidationError, match="closed cannot be made located"):
        _move(caseworker, request, S.LOCATED)
    with pytest.raises(ValidationError, match="why the request is open again"):
        _move(caseworker, request, S.OPEN, reason=" ")
    request.refresh_from_db()
    assert request.status == S.CLOSED


def _mother_and_children(*children: services.NewSought) -> list[services.NewSought]:
    mother = services.NewSought(given="Zalina", family="Testova", sex="F", birth_year=1994)
    return [mother, *children]


def _request_data() -> services.RequestData:
    return services.RequestData(received_on=D(2019, 2, 1))


def test_children_of_the_first_new_sought_person_are_recorded_as_her_children(
    caseworker: User,
) -> None:
    request = services.request_create(
        actor=caseworker,
        data=_request_data(),
        new_inquirer=services.InquirerData(name="Kheda Synthetic"),
        new_sought=_mother_and_children(
            services.NewSought(given="Adam", family="Testov", birth_year=2014, child_of_first=True),
            services.NewSought(
                given="Hava", family="Testova", birth_year=2016, child_of_first=True
            ),
            services.NewSought(given="Ruslan", family="Testov", birth_year=1990),
        ),
    )
    mother = request.sought.get(display_name="Zalina Testova")
    links = Relationship.objects.filter(from_person=mother, kind=Relationship.Kind.PARENT)
    assert {r.to_person.display_name for r in links} == {"Adam Testov", "Hava Testova"}
    assert (
        AuditEvent.objects.filter(object_type="people.Relationship", action="create").count() == 2
    )


def test_a_child_born_before_the_first_person_writes_nothing(caseworker: User) -> None:
    with pytest.raises(ValidationError):
        services.request_create(
            actor=caseworker,
            data=_request_data(),
            new_inquirer=services.InquirerData(name="Kheda Synthetic"),
            new_sought=_mother_and_children(
                services.NewSought(
                    given="Adam", family="Testov", birth_year=1980, child_of_first=True
                )
            ),
        )
    assert not Person.objects.exists()
    assert not TracingRequest.objects.exists()


def test_the_first_new_sought_person_cannot_be_her_own_child(caseworker: User) -> None:
    first = services.NewSought(given="Zalina", family="Testova", child_of_first=True)
    with pytest.raises(ValidationError, match="cannot be a child of themselves"):
        services.request_create(
            actor=caseworker,
            data=_request_data(),
            new_inquirer=services.InquirerData(name="Kheda Synthetic"),
            new_sought=[first],
        )
    assert not Person.objects.exists()
