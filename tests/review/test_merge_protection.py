"""Data-protection records follow the person through a merge and back through its undo."""

import datetime as dt

from tests import factories
from wayhome.accounts.models import User
from wayhome.people.models import Person
from wayhome.protection import services as protection
from wayhome.protection.models import ConsentEvent, Disclosure, ProcessingRecord
from wayhome.review.services import persons_merge, persons_unmerge


def _records(actor: User, person_given: str) -> tuple[Person, ConsentEvent, Disclosure]:
    person = factories.person(actor, person_given, "Testova")
    consent = protection.consent_record(
        actor=actor,
        person=person,
        scope="share_authorities",
        given=True,
        method="in_person",
        on=dt.date(2025, 5, 1),
    )
    disclosure = protection.disclosure_propose(
        actor=actor,
        recipient="Synthetic ministry",
        recipient_kind="home_authority",
        legal_basis="vital_interest",
        purpose="repatriation",
        persons=[person],
        data_kinds=["identity"],
    )
    return person, consent, disclosure


def test_consents_disclosures_and_basis_move_and_come_back(users: dict[str, User]) -> None:
    actor = users["supervisor"]
    keep = factories.person(actor, "Amina", "Testova")
    absorb, consent, disclosure = _records(actor, "Амина")
    basis = protection.processing_record_set(
        actor=actor, person=absorb, purpose="family_tracing", legal_basis="consent"
    )
    merge = persons_merge(actor=actor, keep=keep, absorb=absorb, reason="same woman")
    assert ConsentEvent.objects.get(pk=consent.pk).person_id == keep.pk
    assert list(Disclosure.objects.get(pk=disclosure.pk).persons.all()) == [keep]
    assert ProcessingRecord.objects.get(pk=basis.pk).person_id == keep.pk

    persons_unmerge(actor=actor, merge=merge, reason="not the same after all")
    assert ConsentEvent.objects.get(pk=consent.pk).person_id == absorb.pk
    assert list(Disclosure.objects.get(pk=disclosure.pk).persons.all()) == [absorb]
    assert ProcessingRecord.objects.get(pk=basis.pk).person_id == absorb.pk


def test_the_kept_records_legal_basis_stands(users: dict[str, User]) -> None:
    actor = users["supervisor"]
    keep = factories.person(actor, "Zarina", "Testova")
    absorb = factories.person(actor, "Зарина", "Тестова")
    kept_basis = protection.processing_record_set(
        actor=actor, person=keep, purpose="repatriation", legal_basis="vital_interest"
    )
    other = protection.processing_record_set(
        actor=actor, person=absorb, purpose="family_tracing", legal_basis="consent"
    )
    persons_merge(actor=actor, keep=keep, absorb=absorb, reason="duplicate")
    assert ProcessingRecord.objects.get(person=keep).pk == kept_basis.pk
    assert ProcessingRecord.objects.get(pk=other.pk).person_id == absorb.pk
