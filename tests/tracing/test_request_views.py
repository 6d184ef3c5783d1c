from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.assertions import assert_forbidden, assert_login_required, assert_not_found
from tests.tracing import helpers
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.people.models import Person
from wayhome.tracing import services
from wayhome.tracing.models import Inquirer, TracingRequest

Login = Callable[[User], Client]
YEAR = timezone.localdate().year
EMPTY_SOUGHT = {"new_sought-TOTAL_FORMS": "3", "new_sought-INITIAL_FORMS": "0"}


def _create_post(**overrides: object) -> dict[str, object]:
    return {
        **EMPTY_SOUGHT,
        "inq-name": "Aishat Synthetic",
        "inq-relationship": "mother",
        "inq-phone": "+992 00 000 0000",
        "inq-language": "tg",
        "inq-consent_contact": "on",
        "received_on": "2019-02-03",
        "last_known": "Left with her husband and two children.",
        "last_known_place": "near a town",
        "last_known_date": "2017-08-01",
        "last_known_precision": "month",
        **overrides,
    }


def test_list_filters_and_never_shows_contact_details(
    caseworker: User, other_agency_user: User, client_for: Login
) -> None:
    first = helpers.tracing_request(caseworker)
    second = helpers.tracing_request(caseworker)
    services.request_transition(actor=caseworker, request=second, to="located")
    helpers.tracing_request(other_agency_user)
    client = client_for(caseworker)
    everything = client.get(reverse("tracing:request_list"))
    assert [r.reference for r in everything.context["page"]] == [
        second.reference,
        first.reference,
    ]
    assert "+7 900" not in everything.content.decode()
    located = client.get(reverse("tracing:request_list"), {"status": "located"})
    assert [r.reference for r in located.context["page"]] == [second.reference]
    by_ref = client.get(reverse("tracing:request_list"), {"q": first.reference})
    assert [r.reference for r in by_ref.context["page"]] == [first.reference]
    by_name = client.get(reverse("tracing:request_list"), {"q": "zarema"})
    assert len(by_name.context["page"]) == 2


def test_request_pages_need_the_tracing_capability(
    caseworker: User, users: dict[str, User], client_for: Login
) -> None:
    request = helpers.tracing_request(caseworker)
    consular = client_for(users["consular_officer"])  # reads persons, not relatives' requests
    for url in [
        reverse("tracing:request_list"),
        reverse("tracing:request_create"),
        reverse("tracing:request_detail", args=[request.uuid]),
        reverse("tracing:request_edit", args=[request.uuid]),
    ]:
        assert_login_required(url)
        assert_forbidden(consular, url)
    assert_forbidden(consular, reverse("tracing:request_transition", args=[request.uuid]), "post")


def test_another_agencys_request_is_not_found(
    caseworker: User, other_agency_user: User, client_for: Login
) -> None:
    request = helpers.tracing_request(caseworker)
    client = client_for(other_agency_user)
    assert_not_found(client, reverse("tracing:request_detail", args=[request.uuid]))
    assert_not_found(client, reverse("tracing:request_edit", args=[request.uuid]), "post")
    assert_not_found(client, reverse("tracing:request_transition", args=[request.uuid]), "post")


def test_create_with_a_new_inquirer_existing_and_new_sought(
    caseworker: User, client_for: Login
) -> None:
    son = factories.person(caseworker, given="Umar", family="Testov")
    response = client_for(caseworker).post(
        reverse("tracing:request_create"),
        _create_post(
            **{
                "sought": [str(son.uuid)],
                f"relation-{son.uuid}": "son",
                "new_sought-0-given": "Maryam",
                "new_sought-0-family": "Testova",
                "new_sought-0-sex": "F",
                "new_sought-0-birth_year": "2015",
                "new_sought-0-relation": "granddaughter",
                "new_sought-1-sex": "U",
                "new_sought-2-sex": "U",
                "assigned_to": str(caseworker.pk),
            }
        ),
    )
    request = TracingRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tracing:request_detail", args=[request.uuid])
    assert request.reference == f"AAA-{YEAR}-00001"
    assert (request.inquirer.name, request.inquirer.language) == ("Aishat Synthetic", "tg")
    assert request.assigned_to == caseworker
    links = {
        link.person.display_name: link.relation_to_inquirer for link in request.sought_links.all()
    }
    assert links == {"Umar Testov": "son", "Maryam Testova": "granddaughter"}


def test_create_with_an_existing_inquirer(caseworker: User, client_for: Login) -> None:
    inquirer = services.inquirer_create(
        actor=caseworker, data=services.InquirerData(name="Known grandmother")
    )
    person = factories.person(caseworker)
    response = client_for(caseworker).post(
        reverse("tracing:request_create"),
        _create_post(
            **{"inquirer": str(inquirer.uuid), "inq-name": "", "sought": [str(person.uuid)]}
        ),
    )
    assert response.status_code == 302
    assert TracingRequest.objects.get().inquirer == inquirer
    assert Inquirer.objects.count() == 1


def test_create_refusals_write_nothing(
    caseworker: User, other_agency_user: User, client_for: Login
) -> None:
    client = client_for(caseworker)
    url = reverse("tracing:request_create")
    assert client.get(url).status_code == 200
    nobody = client.post(url, _create_post())
    assert "at least one sought person" in nobody.content.decode()
    no_inquirer = client.post(url, _create_post(**{"inq-name": "", "new_sought-0-given": "A"}))
    assert "Choose the inquirer" in no_inquirer.content.decode()
    foreign_colleague = client.post(
        url, _create_post(**{"assigned_to": str(other_agency_user.pk), "new_sought-0-given": "A"})
    )
    assert foreign_colleague.status_code == 200
    assert foreign_colleague.context["form"].errors["assigned_to"]
    assert not TracingRequest.objects.exists()
    assert not Person.objects.exists()
    assert not Inquirer.objects.exists()


def test_detail_shows_sought_status_contact_and_history(
    caseworker: User, client_for: Login
) -> None:
    person = factories.person(caseworker, given="Said")
    helpers.entry(caseworker, person, "detained")
    request = helpers.tracing_request(caseworker, [person])
    services.request_transition(actor=caseworker, request=request, to="located")
    response = client_for(caseworker).get(reverse("tracing:request_detail", args=[request.uuid]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Said Testova" in body
    assert "Detained" in body
    assert "+7 900 000 00 00" in body  # contact details, for a role with TRACING_VIEW
    assert [e.action for e in response.context["history"]] == ["create", "update"]
    assert "open → located" in body


def test_edit_saves_request_sought_and_inquirer_together(
    caseworker: User, client_for: Login
) -> None:
    old = factories.person(caseworker, given="Old")
    new = factories.person(caseworker, given="New")
    request = helpers.tracing_request(caseworker, [old])
    url = reverse("tracing:request_edit", args=[request.uuid])
    page = client_for(caseworker).get(url)
    assert page.status_code == 200
    assert 'value="son"' in page.content.decode()  # the current relation is shown
    response = client_for(caseworker).post(
        url,
        _create_post(
            **{
                "sought": [str(new.uuid)],
                f"relation-{new.uuid}": "brother",
                "inq-phone": "12345",
                "version": str(request.version),
            }
        ),
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert [(link.person, link.relation_to_inquirer) for link in request.sought_links.all()] == [
        (new, "brother")
    ]
    assert request.inquirer.phone == "12345"
    assert AuditEvent.objects.filter(object_uuid=request.uuid, action="update").exists()


def test_transition_from_the_detail_page(caseworker: User, client_for: Login) -> None:
    request = helpers.tracing_request(caseworker)
    url = reverse("tracing:request_transition", args=[request.uuid])
    client = client_for(caseworker)
    refused = client.post(url, {"to": "open", "reason": "x"})
    assert refused.status_code == 200
    assert "cannot be made open" in refused.content.decode()
    closed = client.post(url, {"to": "closed", "closure_reason": "reunited", "on": "2020-01-01"})
    assert closed.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.closure_reason) == ("closed", "reunited")
    missing_reason = client.post(url, {"to": "open"})
    assert "Say why the request is open again" in missing_reason.content.decode()
    assert client.post(url, {"to": "open", "reason": "new lead"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "open"


def test_the_list_counts_only_up_to_the_cap(
    caseworker: User, client_for: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("wayhome.core.pagination.COUNT_CAP", 50)
    for _ in range(52):
        helpers.tracing_request(caseworker)
    client = client_for(caseworker)
    first = client.get(reverse("tracing:request_list"))
    assert "Page 1 of more than 1" in first.content.decode()
    assert len(first.context["page"]) == 50
    second = client.get(reverse("tracing:request_list"), {"page": 2})
    assert len(second.context["page"]) == 1  # the row after the cap; the 52nd is beyond
    monkeypatch.setattr("wayhome.core.pagination.COUNT_CAP", 100)
    exact = client.get(reverse("tracing:request_list"), {"page": 2})
    assert "Page 2 of 2" in exact.content.decode()
    assert len(exact.context["page"]) == 2


def test_the_list_reads_the_same_queries_for_three_rows_as_for_one(
    caseworker: User, client_for: Login
) -> None:
    """The rows read only the columns they show (tracing/views.py REQUEST_LIST_COLUMNS):
    a column shown but not read would cost a query a row."""

    def add() -> None:
        sought = [factories.person(caseworker, given="Sought"), factories.person(caseworker)]
        created = helpers.tracing_request(caseworker, sought=sought)
        TracingRequest.objects.filter(pk=created.pk).update(
            assigned_to=caseworker, status="closed", closure_reason="reunited"
        )

    client = client_for(caseworker)
    client.get(reverse("tracing:request_list"))  # the session and the like, once
    add()
    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("tracing:request_list")).content.decode()
    assert "Sought Testova" in html
    assert "Zarema Synthetic" in html
    assert "(mother)" in html
    assert caseworker.username in html
    add()
    add()
    with CaptureQueriesContext(connection) as three:
        html = client.get(reverse("tracing:request_list")).content.decode()
    assert html.count("Sought Testova") == 3
    assert len(three.captured_queries) == len(one.captured_queries)
