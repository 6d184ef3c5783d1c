"""Every data-protection page: who may (and the effect), another agency (404), the
anonymous user (login), a role without the capability (403), and re-authentication."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.assertions import assert_forbidden, assert_login_required, assert_not_found
from tests.protection.helpers import basis, consent, propose, second_supervisor
from tests.tracing.helpers import tracing_request
from wayhome.accounts.models import User
from wayhome.accounts.permissions import AUTH_AT
from wayhome.audit.models import AuditEvent
from wayhome.people.models import Person
from wayhome.protection import services
from wayhome.protection.models import ConsentEvent, Disclosure, ProcessingRecord
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import TracingRequest

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def supervisor(users: dict[str, User]) -> User:
    return users["supervisor"]


@pytest.fixture
def person(caseworker: User) -> Person:
    return factories.person(caseworker, given="Zainab", family="Panelova")


@pytest.fixture
def request_(caseworker: User, person: Person) -> TracingRequest:
    return tracing_request(caseworker, sought=[person])


def _denials(url: str, analyst: User, other: User, login: Login, method: str = "get") -> None:
    assert_login_required(url, method)
    assert_forbidden(login(analyst), url, method)
    assert_not_found(login(other), url, method)


# --- panels ------------------------------------------------------------------------------


def test_person_page_carries_the_panel_which_warns_when_nothing_is_recorded(
    caseworker: User, person: Person, client_for: Login, analyst: User, other_agency_user: User
) -> None:
    client = client_for(caseworker)
    page = client.get(reverse("people:detail", args=[person.uuid])).content.decode()
    url = reverse("protection:person_panel", args=[person.uuid])
    assert f'hx-get="{url}"' in page
    panel = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "not recorded" in panel
    assert "<html" not in panel
    assert "<html" in client.get(url).content.decode()
    _denials(
        url, analyst, factories.user(other_agency_user.agency, "supervisor", "b-sup"), client_for
    )


def test_request_panel_lists_the_inquirers_consent(
    caseworker: User,
    request_: TracingRequest,
    client_for: Login,
    analyst: User,
    other_agency_user: User,
) -> None:
    consent(caseworker, inquirer=request_.inquirer)
    client = client_for(caseworker)
    url = reverse("protection:request_panel", args=[request_.uuid])
    page = client.get(reverse("tracing:request_detail", args=[request_.uuid])).content.decode()
    assert f'hx-get="{url}"' in page
    body = client.get(url).content.decode()
    assert "Sharing with authorities" in body
    assert "given" in body
    assert "a-caseworker" in body
    _denials(url, analyst, other_agency_user, client_for)


# --- purpose and consent forms ------------------------------------------------------------------


def test_record_purpose_for_a_person(
    caseworker: User, person: Person, client_for: Login, analyst: User, other_agency_user: User
) -> None:
    url = reverse("protection:person_processing", args=[person.uuid])
    client = client_for(caseworker)
    assert client.get(url).status_code == 200
    response = client.post(url, {"purpose": "repatriation", "legal_basis": "vital_interest"})
    assert response.status_code == 302
    assert ProcessingRecord.objects.get(person=person).legal_basis == "vital_interest"
    _denials(url, analyst, other_agency_user, client_for, "post")


def test_record_purpose_for_a_request(
    caseworker: User,
    request_: TracingRequest,
    client_for: Login,
    analyst: User,
    other_agency_user: User,
) -> None:
    url = reverse("protection:request_processing", args=[request_.uuid])
    response = client_for(caseworker).post(
        url, {"purpose": "family_tracing", "legal_basis": "consent"}
    )
    assert response.status_code == 302
    assert ProcessingRecord.objects.get(request=request_).purpose == "family_tracing"
    _denials(url, analyst, other_agency_user, client_for, "post")


def test_consent_form_shows_the_service_error_and_writes_nothing(
    caseworker: User,
    request_: TracingRequest,
    client_for: Login,
    analyst: User,
    other_agency_user: User,
) -> None:
    url = reverse("protection:request_consent", args=[request_.uuid])
    client = client_for(caseworker)
    data = {"scope": "contact", "decision": "withdrawn", "method": "phone", "on": "2999-01-01"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert b"future" in response.content
    assert not ConsentEvent.objects.exists()
    response = client.post(url, {**data, "on": "2021-01-01"})
    assert response.status_code == 302
    assert not ConsentEvent.objects.get().given
    _denials(url, analyst, other_agency_user, client_for, "post")


def test_person_consent_form(
    caseworker: User, person: Person, client_for: Login, analyst: User, other_agency_user: User
) -> None:
    url = reverse("protection:person_consent", args=[person.uuid])
    data = {"scope": "photographs", "decision": "given", "method": "written", "on": "2021-01-01"}
    assert client_for(caseworker).post(url, data).status_code == 302
    assert ConsentEvent.objects.get(person=person).given
    _denials(url, analyst, other_agency_user, client_for, "post")


# --- disclosures -----------------------------------------------------------------------------


def test_disclosure_list_and_create(
    caseworker: User, person: Person, client_for: Login, analyst: User, other_agency_user: User
) -> None:
    client = client_for(caseworker)
    create = reverse("protection:disclosure_create")
    page = client.get(create, {"person": str(person.uuid)}).content.decode()
    assert "Zainab Panelova" in page
    assert "checked" in page
    data = {
        "recipient": "Synthetic consulate",
        "recipient_kind": "home_authority",
        "legal_basis": "public_interest",
        "purpose": "travel documents",
        "data_kinds": ["identity"],
        "persons": [str(person.uuid)],
    }
    response = client.post(create, data)
    d = Disclosure.objects.get()
    assert response.status_code == 302
    assert list(d.persons.all()) == [person]
    listing = client.get(reverse("protection:disclosure_list")).content.decode()
    assert "Synthetic consulate" in listing
    # Another agency's person cannot be slipped into a disclosure.
    foreign = factories.person(other_agency_user)
    assert client.post(create, {**data, "persons": [str(foreign.uuid)]}).status_code == 400
    assert Disclosure.objects.count() == 1
    assert_login_required(create)
    assert_forbidden(client_for(analyst), create)
    assert_forbidden(client_for(analyst), reverse("protection:disclosure_list"))


def test_disclosure_detail(
    caseworker: User, person: Person, client_for: Login, analyst: User, other_agency_user: User
) -> None:
    d = propose(caseworker, [person])
    url = reverse("protection:disclosure_detail", args=[d.uuid])
    body = client_for(caseworker).get(url).content.decode()
    assert "Ministry of Synthetic Affairs" in body
    assert "no purpose and legal basis" in body
    _denials(url, analyst, other_agency_user, client_for)


def test_decide_four_eyes_and_consent_through_the_page(
    caseworker: User,
    supervisor: User,
    person: Person,
    request_: TracingRequest,
    client_for: Login,
    analyst: User,
    other_agency_user: User,
) -> None:
    basis(caseworker, person)
    d = propose(caseworker, [person])
    url = reverse("protection:disclosure_decide", args=[d.uuid])
    client = client_for(supervisor)
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 400
    assert b"Zainab Panelova" in response.content
    consent(caseworker, inquirer=request_.inquirer)
    assert client.post(url, {"decision": "approve"}).status_code == 302
    d.refresh_from_db()
    assert d.status == "approved"
    assert d.decided_by == supervisor
    # A caseworker is not a supervisor: 403 before anything else.
    assert_forbidden(client_for(caseworker), url, "post")
    _denials(
        url, analyst, factories.user(other_agency_user.agency, "supervisor", "b-sup"), client_for
    )


def test_the_requester_cannot_decide_through_the_page(
    supervisor: User, person: Person, client_for: Login
) -> None:
    d = propose(supervisor, [person])
    response = client_for(supervisor).post(
        reverse("protection:disclosure_decide", args=[d.uuid]),
        {"decision": "refuse", "reason": "x"},
    )
    assert response.status_code == 400
    assert b"another supervisor" in response.content
    assert Disclosure.objects.get().status == "proposed"


def test_deciding_needs_a_recent_login(supervisor: User, person: Person, client_for: Login) -> None:
    d = propose(factories.user(supervisor.agency, "caseworker", "cw2"), [person])
    client = client_for(supervisor)
    session = client.session
    session[AUTH_AT] = 0
    session.save()
    response = client.post(
        reverse("protection:disclosure_decide", args=[d.uuid]), {"decision": "refuse"}
    )
    assert response.status_code == 302
    assert reverse("accounts:reauth") in response["Location"]


def test_mark_sent(
    caseworker: User,
    supervisor: User,
    person: Person,
    request_: TracingRequest,
    client_for: Login,
    analyst: User,
    other_agency_user: User,
) -> None:
    basis(caseworker, person)
    consent(caseworker, inquirer=request_.inquirer)
    d = propose(caseworker, [person])
    services.disclosure_approve(actor=second_supervisor(supervisor), disclosure=d)
    url = reverse("protection:disclosure_sent", args=[d.uuid])
    assert (
        client_for(caseworker).post(url, {"on": timezone.localdate().isoformat()}).status_code
        == 302
    )
    assert Disclosure.objects.get().status == "sent"
    _denials(url, analyst, other_agency_user, client_for, "post")


# --- subject access and erasure -------------------------------------------------------------------


def test_subject_access_page_and_json_are_audited_with_the_reason(
    supervisor: User,
    caseworker: User,
    person: Person,
    client_for: Login,
    analyst: User,
    other_agency_user: User,
) -> None:
    url = reverse("protection:subject_access", args=[person.uuid])
    client = client_for(supervisor)
    assert client.get(url).status_code == 200
    assert client.post(url, {"format": "html", "reason": ""}).status_code == 400
    assert not AuditEvent.objects.filter(action="export").exists()
    page = client.post(url, {"format": "html", "reason": "her own request"})
    assert page.status_code == 200
    assert b"Zainab Panelova" in page.content
    download = client.post(url, {"format": "json", "reason": "copy for her lawyer"})
    assert "attachment" in download["Content-Disposition"]
    assert json.loads(download.content)["names"][0]["name"] == "Zainab Panelova"
    reasons = set(AuditEvent.objects.filter(action="export").values_list("reason", flat=True))
    assert reasons == {"her own request", "copy for her lawyer"}
    assert_forbidden(client_for(caseworker), url)  # not a supervisor
    _denials(
        url, analyst, factories.user(other_agency_user.agency, "supervisor", "b-sup"), client_for
    )


def test_erase_page_refuses_then_erases(
    supervisor: User, person: Person, client_for: Login, analyst: User, other_agency_user: User
) -> None:
    request = tracing_request(supervisor, sought=[person])
    url = reverse("protection:person_erase", args=[person.uuid])
    client = client_for(supervisor)
    assert request.reference.encode() in client.get(url).content
    response = client.post(url, {"reason": "she asked"})
    assert response.status_code == 400
    assert Person.objects.get(pk=person.pk).display_name == "Zainab Panelova"
    tracing_services.request_transition(
        actor=supervisor, request=request, to="closed", closure_reason="withdrawn"
    )
    assert client.post(url, {"reason": "she asked"}).status_code == 302
    assert Person.objects.get(pk=person.pk).display_name == ""
    _denials(
        url,
        analyst,
        factories.user(other_agency_user.agency, "supervisor", "b-sup"),
        client_for,
        "post",
    )
