import datetime as dt

import pytest

from tests import factories
from wayhome.accounts.models import User
from wayhome.audit import context
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, diff, snapshot


def test_events_are_append_only(caseworker: User) -> None:
    event = audit_record(actor=caseworker, action=AuditEvent.Action.VIEW)
    event.reason = "rewrite history"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_event_carries_request_origin_and_agency(caseworker: User) -> None:
    token = context.set_current(
        context.RequestContext(ip="192.0.2.7", user_agent="ua", request_id="r1")
    )
    try:
        event = audit_record(actor=caseworker, action=AuditEvent.Action.SEARCH, reason="why")
    finally:
        context.reset(token)
    assert (event.ip, event.user_agent, event.request_id) == ("192.0.2.7", "ua", "r1")
    assert event.agency == caseworker.agency
    assert event.actor_username == caseworker.username


def test_snapshot_and_diff_are_json_safe(caseworker: User) -> None:
    region = factories.region("Chechnya")
    person = factories.person(caseworker, birth=dt.date(1995, 4, 2), home_region=region)
    snap = snapshot(person, ("birth_year", "home_region", "birth_earliest"))
    assert snap == {
        "birth_year": 1995,
        "home_region": str(region.uuid),
        "birth_earliest": "1995-04-02",
    }
    assert diff(snap, {**snap, "birth_year": 1996}) == {"birth_year": [1995, 1996]}


def test_person_create_writes_its_event_in_the_same_transaction(caseworker: User) -> None:
    person = factories.person(caseworker)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_uuid=person.uuid)
    assert event.person_uuid == person.uuid
    assert event.object_type == "people.Person"
    assert event.changes["sex"] == "F"


def test_encrypted_fields_reach_the_trail_only_as_fingerprints(caseworker: User) -> None:
    """The trail is append-only: text there could never be encrypted or erased later."""
    from wayhome.people import services as people_services

    person = factories.person(caseworker, notes="met her sister in the camp market")
    created = AuditEvent.objects.get(action="create", object_uuid=person.uuid)
    assert "sister" not in str(created.changes)
    assert created.changes["notes"].startswith("[encrypted text ")
    people_services.person_update(
        actor=caseworker,
        person=person,
        sex=person.sex,
        birth=person.birth,
        notes="moved to another tent",
    )
    updated = AuditEvent.objects.get(action="update", object_uuid=person.uuid)
    old, new = updated.changes["notes"]
    assert old != new
    assert "tent" not in str(updated.changes)
