"""Subject requests: everything held on a person, and erasure where the rules allow."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories
from tests.comms.helpers import request_with_contact
from tests.people.helpers import image_upload
from tests.protection.helpers import basis, consent, propose
from tests.tracing.helpers import entry, tracing_request
from wayhome.accounts import sensitivity
from wayhome.accounts.models import User
from wayhome.accounts.sensitivity import FieldClass, Visibility
from wayhome.audit.models import AuditEvent
from wayhome.comms import services as comms_services
from wayhome.comms.models import Notification
from wayhome.people import services as people_services
from wayhome.people.models import IdentityDocument, Person
from wayhome.portal.models import PortalSubmission
from wayhome.protection import services
from wayhome.protection.models import Anonymisation
from wayhome.protection.subject import mask_number, person_dossier
from wayhome.tracing import services as tracing_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(users: dict[str, User]) -> User:
    return users["supervisor"]


def _closed_person(actor: User) -> Person:
    person = factories.person(actor, given="Layla", family="Erasova", notes="private note")
    IdentityDocument.objects.create(person=person, kind="passport", number="XY7654321")
    request = tracing_request(actor, sought=[person])
    tracing_services.request_transition(
        actor=actor, request=request, to="closed", closure_reason="withdrawn"
    )
    return person


def test_mask_number_keeps_only_the_tail() -> None:
    assert mask_number("AB1234567") == "•••••••67"
    assert mask_number("12") == "••"


def test_dossier_holds_everything_and_masks_numbers_on_demand(supervisor: User) -> None:
    person = factories.person(supervisor, given="Nur", family="Dossierova")
    IdentityDocument.objects.create(person=person, kind="passport", number="AB1234567")
    entry(supervisor, person)
    request = tracing_request(supervisor, sought=[person])
    basis(supervisor, person)
    consent(supervisor, person=person)
    propose(supervisor, [person])
    services.subject_export_record(
        actor=supervisor, person=person, reason="asked by her", fmt="json"
    )
    full = person_dossier(supervisor, person, reveal_numbers=True)
    assert full["names"][0]["name"] == "Nur Dossierova"
    assert full["documents"][0]["number"] == "AB1234567"
    assert full["whereabouts"][0]["sources"][0]["source"] == "the mother (synthetic)"
    assert full["tracing_requests"][0]["reference"] == request.reference
    assert full["consent_events"][0]["decision"] == "given"
    assert full["processing"]["legal_basis"] == "Consent"
    assert full["disclosures"][0]["status"] == "Proposed"
    assert any(a["reason"] == "asked by her" for a in full["accessed_by"])
    masked = person_dossier(supervisor, person, reveal_numbers=False)
    assert masked["documents"][0]["number"] == "•••••••67"


def test_subject_export_needs_a_reason_and_is_audited_with_it(supervisor: User) -> None:
    person = factories.person(supervisor)
    with pytest.raises(ValidationError) as exc:
        services.subject_export_record(actor=supervisor, person=person, reason=" ", fmt="html")
    assert "reason" in exc.value.error_dict
    assert not AuditEvent.objects.filter(action="export").exists()
    services.subject_export_record(
        actor=supervisor, person=person, reason="her lawyer asked", fmt="html"
    )
    event = AuditEvent.objects.get(action="export")
    assert (event.reason, event.person_uuid) == ("her lawyer asked", person.uuid)


def test_erase_is_refused_for_an_open_request_and_writes_nothing(supervisor: User) -> None:
    person = factories.person(supervisor, given="Open", family="Casova")
    request = tracing_request(supervisor, sought=[person])
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.person_erase(actor=supervisor, person=person, reason="she asked")
    assert request.reference in " ".join(exc.value.messages)
    person.refresh_from_db()
    assert person.display_name == "Open Casova"
    assert AuditEvent.objects.count() == events
    assert not Anonymisation.objects.exists()


def test_erase_is_refused_for_a_pending_disclosure(supervisor: User) -> None:
    person = _closed_person(supervisor)
    propose(supervisor, [person])
    with pytest.raises(ValidationError, match="Ministry of Synthetic Affairs"):
        services.person_erase(actor=supervisor, person=person, reason="she asked")
    assert Person.objects.get(pk=person.pk).display_name == "Layla Erasova"


def test_erase_needs_a_supervisor_and_a_reason(caseworker: User, supervisor: User) -> None:
    person = _closed_person(supervisor)
    with pytest.raises(ValidationError, match="Only a supervisor"):
        services.person_erase(actor=caseworker, person=person, reason="she asked")
    with pytest.raises(ValidationError) as exc:
        services.person_erase(actor=supervisor, person=person, reason="")
    assert "reason" in exc.value.error_dict


def test_erase_anonymises_and_audits_without_the_erased_values(supervisor: User) -> None:
    person = _closed_person(supervisor)
    services.person_erase(actor=supervisor, person=person, reason="she asked in writing")
    person.refresh_from_db()
    assert person.display_name == ""
    assert person.notes == ""
    assert not person.documents.exists()
    event = AuditEvent.objects.filter(action="delete", person_uuid=person.uuid).get()
    assert event.changes == {"erased": {"names": 1, "documents": 1, "photos": 0}}
    assert event.reason == "she asked in writing"
    assert Anonymisation.objects.get(object_uuid=person.uuid).cause == "erasure"
    with pytest.raises(ValidationError, match="already"):
        services.person_erase(actor=supervisor, person=person, reason="again")


def test_erase_removes_photo_files_once_committed(
    supervisor: User, django_capture_on_commit_callbacks: Any
) -> None:
    person = _closed_person(supervisor)
    photo = people_services.photo_add(actor=supervisor, person=person, image=image_upload())
    storage, name = photo.image.storage, photo.image.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.person_erase(actor=supervisor, person=person, reason="she asked")
    assert not storage.exists(name)
    assert not person.photos.exists()


def _talked_about(actor: User, person: Person, other: Person) -> None:
    """A call logged, a message sent and a relative's news, about ``person``; and a call
    about ``other``, who is sought in another request."""
    request = request_with_contact(actor, sought=[person], sms=False)
    comms_services.comm_entry_create(
        actor=actor,
        request=request,
        occurred_on=timezone.localdate(),
        medium="call",
        direction="in",
        summary="The mother called: she heard from a cousin (synthetic).",
        relative="the mother",
    )
    comms_services.notifications_queue(actor=actor, person=person, milestone="arrived", key="f-1")
    report = tracing_services.report_create(
        actor=actor,
        received_on=timezone.localdate(),
        channel="relative_call",
        source="the mother (synthetic)",
        summary="A voice message from her, in March (synthetic).",
    )
    PortalSubmission.objects.create(agency_id=actor.agency_key, request=request, report=report)
    elsewhere = request_with_contact(actor, sought=[other])
    comms_services.comm_entry_create(
        actor=actor,
        request=elsewhere,
        occurred_on=timezone.localdate(),
        medium="visit",
        direction="out",
        summary="Visited another family (synthetic).",
    )


def test_dossier_holds_the_talks_the_messages_and_the_relatives_news(supervisor: User) -> None:
    person = factories.person(supervisor, given="Amina", family="Logova")
    other = factories.person(supervisor, given="Musa", family="Drugov")
    _talked_about(supervisor, person, other)
    full = person_dossier(supervisor, person, reveal_numbers=True)
    [call] = full["communications"]
    assert call["summary"] == "The mother called: she heard from a cousin (synthetic)."
    assert (call["channel"], call["relative"]) == ("Phone call", "the mother")
    [sent] = full["notifications_sent"]
    assert sent["channel"] == "E-mail"
    assert sent["text"] == Notification.objects.get(request__sought_links__person=person).body
    [news] = full["relatives_submissions"]
    assert news["message"] == "A voice message from her, in March (synthetic)."
    others = person_dossier(supervisor, other, reveal_numbers=True)
    assert [c["summary"] for c in others["communications"]] == [
        "Visited another family (synthetic)."
    ]
    assert others["relatives_submissions"] == []


def test_dossier_is_redacted_field_by_field_for_the_exporting_role(
    supervisor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each field as the role may have it: a masked class reads "restricted", a class it
    may never see is left out (supervisors see all of these today; a role that sees
    less gets less)."""
    person = factories.person(supervisor, given="Amina", family="Redactova", notes="a note")
    other = factories.person(supervisor, given="Musa", family="Drugov")
    _talked_about(supervisor, person, other)
    table = dict(sensitivity.ROLE_VISIBILITY[supervisor.role])
    table[FieldClass.CONTACT] = Visibility.MASK
    table[FieldClass.FREE_TEXT] = Visibility.NEVER
    table[FieldClass.AUDIT] = Visibility.MASK
    monkeypatch.setitem(sensitivity.ROLE_VISIBILITY, supervisor.role, table)
    services.subject_export_record(
        actor=supervisor, person=person, reason="her request", fmt="json"
    )
    dossier = person_dossier(supervisor, person, reveal_numbers=True)
    assert dossier["person"]["display_name"] == "Amina Redactova"
    assert "notes" not in dossier["person"]  # free text: never
    [call] = dossier["communications"]
    assert call["summary"] == "restricted"  # contact: masked
    assert call["relative"] == "the mother"  # family: seen
    [sent] = dossier["notifications_sent"]
    assert sent["text"] == "restricted"
    assert sent["status"]
    [news] = dossier["relatives_submissions"]
    assert "message" not in news  # the relative's words are free text
    assert all(a["reason"] in ("restricted", None) for a in dossier["accessed_by"])
    assert "her request" not in json.dumps(dossier, default=str)
