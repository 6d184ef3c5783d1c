"""Subject requests: everything held on a person, and erasure where the rules allow."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from tests.people.helpers import image_upload
from tests.protection.helpers import basis, consent, propose
from tests.tracing.helpers import entry, tracing_request
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.people import services as people_services
from wayhome.people.models import IdentityDocument, Person
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
