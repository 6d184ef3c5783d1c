"""Referrals: a request shared with another agency only with consent, four eyes, revocably."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.protection.helpers import consent, second_supervisor
from tests.tracing import helpers as tracing
from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.protection import referrals as ref
from wayhome.protection.models import Referral, Scope
from wayhome.tracing.models import TracingRequest

PARTS = [Referral.Part.REQUEST, Referral.Part.SOUGHT]


@pytest.fixture
def request_a(caseworker: User) -> TracingRequest:
    return tracing.tracing_request(caseworker)


def _consent(actor: User, request: TracingRequest, given: bool = True, day: int = 1) -> None:
    consent(
        actor,
        inquirer=request.inquirer,
        scope=Scope.SHARE_PARTNERS,
        given=given,
        on=dt.date(2020, 5, day),
    )


def _propose(actor: User, request: TracingRequest, to: Agency) -> Referral:
    return ref.referral_propose(
        actor=actor, request=request, to_agency=to, reason="they run the camp visits", parts=PARTS
    )


def _active(users: dict[str, User], request: TracingRequest, to: Agency) -> Referral:
    _consent(users[Role.CASEWORKER], request)
    referral = _propose(users[Role.CASEWORKER], request, to)
    return ref.referral_approve(actor=users[Role.SUPERVISOR], referral=referral)


def test_without_the_inquirers_consent_it_is_refused(
    caseworker: User, request_a: TracingRequest, agency_b: Agency
) -> None:
    before = Referral.objects.count()
    with pytest.raises(ValidationError, match="not consented"):
        _propose(caseworker, request_a, agency_b)
    _consent(caseworker, request_a, given=False)
    with pytest.raises(ValidationError, match="not consented"):
        _propose(caseworker, request_a, agency_b)
    assert Referral.objects.count() == before


def test_an_authority_needs_the_authorities_consent(
    caseworker: User, request_a: TracingRequest
) -> None:
    consular = Agency.objects.create(
        name="Consulate (synthetic)", reference_prefix="CON", kind=Agency.Kind.CONSULAR
    )
    _consent(caseworker, request_a)  # partners only
    with pytest.raises(ValidationError, match="not consented"):
        _propose(caseworker, request_a, consular)
    consent(caseworker, inquirer=request_a.inquirer, scope=Scope.SHARE_AUTHORITIES)
    assert _propose(caseworker, request_a, consular).consent.scope == Scope.SHARE_AUTHORITIES


def test_bad_input_is_refused(
    caseworker: User, request_a: TracingRequest, agency_a: Agency
) -> None:
    _consent(caseworker, request_a)
    with pytest.raises(ValidationError):
        _propose(caseworker, request_a, agency_a)  # one's own agency
    with pytest.raises(ValidationError):
        ref.referral_propose(
            actor=caseworker, request=request_a, to_agency=None, reason="x", parts=PARTS
        )
    with pytest.raises(ValidationError):
        ref.referral_propose(
            actor=caseworker, request=request_a, to_agency=None, reason="", parts=[]
        )


def test_four_eyes_then_the_other_agency_reads_it_and_both_trails_record_it(
    users: dict[str, User], request_a: TracingRequest, agency_b: Agency, other_agency_user: User
) -> None:
    sup = users[Role.SUPERVISOR]
    _consent(users[Role.CASEWORKER], request_a)
    referral = _propose(sup, request_a, agency_b)
    with pytest.raises(ValidationError, match="another supervisor"):
        ref.referral_approve(actor=sup, referral=referral)
    with pytest.raises(PermissionDenied):
        ref.referral_approve(actor=users[Role.CASEWORKER], referral=referral)
    assert ref.referrals_received(other_agency_user) == []
    ref.referral_approve(actor=second_supervisor(sup), referral=referral)
    assert ref.referrals_received(other_agency_user) == [referral]
    ref.referral_received_read(other_agency_user, referral.uuid)
    reads = AuditEvent.objects.filter(
        action="view", object_uuid=request_a.uuid, actor=other_agency_user
    )
    assert {e.agency_id for e in reads} == {agency_b.pk, request_a.agency_id}


def test_revoking_or_withdrawing_consent_ends_access_at_once(
    users: dict[str, User], request_a: TracingRequest, agency_b: Agency, other_agency_user: User
) -> None:
    from django.http import Http404

    referral = _active(users, request_a, agency_b)
    _consent(users[Role.CASEWORKER], request_a, given=False, day=2)
    with pytest.raises(Http404):
        ref.referral_received_read(other_agency_user, referral.uuid)
    _consent(users[Role.CASEWORKER], request_a, given=True, day=3)
    assert ref.referral_received_read(other_agency_user, referral.uuid) == referral
    ref.referral_revoke(actor=users[Role.CASEWORKER], referral=referral, reason="case closed")
    with pytest.raises(Http404):
        ref.referral_received_read(other_agency_user, referral.uuid)
    event = AuditEvent.objects.filter(object_uuid=referral.uuid).order_by("id").last()
    assert event is not None
    assert event.changes["status"] == ["active", "revoked"]


def test_only_the_requester_or_a_supervisor_revokes(
    users: dict[str, User], request_a: TracingRequest, agency_b: Agency
) -> None:
    referral = _active(users, request_a, agency_b)
    with pytest.raises(PermissionDenied):
        ref.referral_revoke(actor=users[Role.LEGAL_OFFICER], referral=referral, reason="x")
    with pytest.raises(ValidationError):
        ref.referral_revoke(actor=users[Role.SUPERVISOR], referral=referral, reason=" ")


# --- pages ---------------------------------------------------------------------------------


def test_the_receiving_agency_sees_only_the_shared_parts_read_only(
    users: dict[str, User],
    request_a: TracingRequest,
    agency_b: Agency,
    other_agency_user: User,
    client_for: Callable[[User], Client],
) -> None:
    referral = _active(users, request_a, agency_b)
    client = client_for(other_agency_user)
    page = client.get(reverse("protection:shared_request", args=[referral.uuid]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Shared by" in html
    assert request_a.agency.name in html
    assert "Ibragim" in html  # the sought person (part shared)
    assert "+7 900" not in html
    assert "Zarema" not in html
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    listing = client.get(reverse("protection:referral_list")).content.decode()
    assert request_a.reference in listing
    # never through the receiver's own pages
    url = reverse("tracing:request_detail", kwargs={"request_uuid": request_a.uuid})
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("protection:referral_detail", args=[referral.uuid])).status_code == 404
    )


def test_a_third_agency_gets_404(
    users: dict[str, User],
    request_a: TracingRequest,
    agency_b: Agency,
    client_for: Callable[[User], Client],
) -> None:
    referral = _active(users, request_a, agency_b)
    third = factories.agency("Agency C (synthetic)", "CCC")
    client = client_for(factories.user(third, Role.CASEWORKER, "c-worker"))
    assert client.get(reverse("protection:shared_request", args=[referral.uuid])).status_code == 404


def test_propose_decide_and_revoke_through_the_pages(
    users: dict[str, User],
    request_a: TracingRequest,
    agency_b: Agency,
    client_for: Callable[[User], Client],
) -> None:
    worker = client_for(users[Role.CASEWORKER])
    _consent(users[Role.CASEWORKER], request_a)
    url = reverse("protection:referral_create", args=[request_a.uuid])
    assert worker.get(url).status_code == 200
    assert (
        worker.post(url, {"to_agency": agency_b.pk, "reason": "", "parts": PARTS}).status_code
        == 400
    )
    response = worker.post(url, {"to_agency": agency_b.pk, "reason": "visits", "parts": PARTS})
    assert response.status_code == 302
    referral = Referral.objects.get()
    decide = reverse("protection:referral_decide", args=[referral.uuid])
    assert worker.post(decide, {"decision": "approve"}).status_code == 403
    sup = client_for(users[Role.SUPERVISOR])
    assert sup.post(decide, {"decision": "approve"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACTIVE
    revoke = reverse("protection:referral_revoke", args=[referral.uuid])
    assert worker.post(revoke, {"reason": ""}).status_code == 400
    assert worker.post(revoke, {"reason": "no longer needed"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.REVOKED


def test_roles_without_tracing_may_not_refer(
    users: dict[str, User], request_a: TracingRequest, client_for: Callable[[User], Client]
) -> None:
    client = client_for(users[Role.CONSULAR_OFFICER])
    url = reverse("protection:referral_create", args=[request_a.uuid])
    assert client.get(url).status_code == 403
