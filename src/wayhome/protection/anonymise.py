"""Anonymising a person, an inquirer or a request: what identifies goes, what counts stays.

Kept: sex, birth year, home region, citizenship countries, statuses, facilities and
dates, so that figures still add up. Removed: names, contact details, free-text notes,
documents, photographs, family links. Callers audit (with counts, never the removed
values: the audit trail is append-only and must not become a copy of what was erased).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.db.models import Q

from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.figures import history as figures_history
from wayhome.matching.services import rankings_stale
from wayhome.people.models import Person, Relationship
from wayhome.people.services import person_names_refresh
from wayhome.protection.models import Anonymisation, ConsentEvent, ProcessingRecord
from wayhome.tracing.models import Inquirer, TracingRequest, Whereabouts

# What an anonymised inquirer is called (the name field cannot be empty on forms).
NO_NAME = "—"


def _mark(agency_id: int, kind: str, key: uuid.UUID, cause: str, today: dt.date) -> None:
    Anonymisation.objects.create(
        agency_id=agency_id, kind=kind, object_uuid=key, cause=cause, on=today
    )


def _birth_year_only(person: Person) -> FuzzyDate:
    year = person.birth_year or (person.birth_latest.year if person.birth_latest else None)
    return FuzzyDate(Precision.YEAR, year) if year else FuzzyDate()


def _delete_photo_files(person: Person) -> None:
    names = [p.image.name for p in person.photos.all() if p.image]
    if not names:
        return
    storage = person.photos.model._meta.get_field("image").storage

    def remove() -> None:
        for name in names:
            storage.delete(name)

    # Files are not transactional: remove them only once the rows are gone for good.
    transaction.on_commit(remove)


def person_anonymise(person: Person, *, cause: str, today: dt.date) -> None:
    """Strip a person to the facts that counts need (inside the caller's transaction)."""
    # Rankings of requests that rank this person or their family are recomputed without
    # them: marked while their family links still say who that is.
    family = Relationship.objects.filter(Q(from_person=person) | Q(to_person=person))
    related = {i for pair in family.values_list("from_person_id", "to_person_id") for i in pair}
    rankings_stale(person.agency_id, persons={person.pk, *related})
    person.names.all().delete()
    person.documents.all().delete()
    _delete_photo_files(person)
    person.photos.all().delete()
    Relationship.objects.filter(from_person=person).delete()
    Relationship.objects.filter(to_person=person).delete()
    person.family_groups.clear()
    person.reports.clear()
    person.citizenships.update(basis="")
    Whereabouts.objects.filter(person=person).update(notes="", location="", retraction_reason="")
    ConsentEvent.objects.filter(person=person).update(notes="")
    ProcessingRecord.objects.filter(person=person).update(notes="")
    person.set_birth(_birth_year_only(person))
    person.birth_place, person.birth_country, person.notes = "", None, ""
    person.save()
    person_names_refresh(person)
    # The figures' spans copy the birth: they keep the year only from now on, too.
    figures_history.persons_refresh([person.pk])
    _mark(person.agency_id, Anonymisation.Kind.PERSON, person.uuid, cause, today)


def inquirer_anonymise(inquirer: Inquirer, *, cause: str, today: dt.date) -> None:
    Inquirer.objects.filter(pk=inquirer.pk).update(
        name=NO_NAME, phone="", email="", address="", consent_contact=False
    )
    ConsentEvent.objects.filter(inquirer=inquirer).update(notes="")
    _mark(inquirer.agency_id, Anonymisation.Kind.INQUIRER, inquirer.uuid, cause, today)


def request_anonymise(request: TracingRequest, *, cause: str, today: dt.date) -> None:
    TracingRequest.objects.filter(pk=request.pk).update(last_known="", last_known_place="")
    ProcessingRecord.objects.filter(request=request).update(notes="")
    _mark(request.agency_id, Anonymisation.Kind.REQUEST, request.uuid, cause, today)
