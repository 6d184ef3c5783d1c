"""People services: each refusal writes nothing, each write leaves its audit event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests import factories
from tests.people.helpers import image_upload, link
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.people import services
from wayhome.people.kinship import KinWord
from wayhome.people.models import (
    Citizenship,
    FamilyGroup,
    IdentityDocument,
    Person,
    PersonName,
    Photo,
    Relationship,
    Sex,
)
from wayhome.people.services import NameData

A = AuditEvent.Action
K = Relationship.Kind


def last_event(obj: object, action: str) -> AuditEvent:
    return AuditEvent.objects.filter(object_uuid=obj.uuid, action=action).latest("id")  # type: ignore[attr-defined]


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


# --- persons -----------------------------------------------------------------------------


def test_person_create_detects_scripts_keeps_one_primary_and_audits(caseworker: User) -> None:
    person = services.person_create(
        actor=caseworker,
        names=[
            NameData(given="Aminat", family="Testova"),
            NameData(given="Аминат", family="Тестова", is_primary=True),
            NameData(full="أم علي", kind=PersonName.Kind.KUNYA, is_primary=True),
        ],
        sex=Sex.FEMALE,
        birth=FuzzyDate.about_age(30, dt.date(2019, 4, 1)),
    )
    names = {n.text: n for n in person.names.all()}
    assert {n.script for n in names.values()} == {"Latn", "Cyrl", "Arab"}
    assert [n.text for n in names.values() if n.is_primary] == ["Аминат Тестова"]
    assert person.display_name == "Аминат Тестова"
    assert names["أم علي"].search_text == "ام علي"
    event = last_event(person, A.CREATE)
    assert event.person_uuid == person.uuid
    assert event.changes["names"] == 3
    assert event.changes["birth_precision"] == "age"


@pytest.mark.parametrize(
    ("names", "birth"),
    [
        ([], None),
        ([NameData()], None),
        ([NameData(given="Aminat")], FuzzyDate.exact(timezone.localdate() + dt.timedelta(days=1))),
        ([NameData(given="Aminat")], FuzzyDate.about_age(3, dt.date(2200, 1, 1))),
    ],
    ids=["no name", "blank name", "future birth", "age given in the future"],
)
def test_person_create_refuses_and_writes_nothing(
    caseworker: User, names: list[NameData], birth: FuzzyDate | None
) -> None:
    with pytest.raises(ValidationError):
        services.person_create(actor=caseworker, names=names, birth=birth)
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action=A.CREATE).exists()


def test_person_update_diffs_and_refuses_birth_before_parent(caseworker: User) -> None:
    mother = factories.person(caseworker, birth=dt.date(1990, 1, 1))
    child = factories.person(caseworker, given="Adam", birth=dt.date(2015, 1, 1))
    link(caseworker, mother, child, K.PARENT)
    services.person_update(
        actor=caseworker, person=child, sex=Sex.MALE, birth=FuzzyDate(Precision.YEAR, 2014)
    )
    event = last_event(child, A.UPDATE)
    assert event.changes["sex"] == ["F", "M"]
    assert event.changes["birth_precision"] == ["exact", "year"]
    with pytest.raises(ValidationError, match="before the birth of a parent"):
        services.person_update(
            actor=caseworker, person=child, sex=Sex.MALE, birth=FuzzyDate.exact(dt.date(1980, 1, 1))
        )
    with pytest.raises(ValidationError, match="after the birth of a child"):
        services.person_update(
            actor=caseworker,
            person=mother,
            sex=Sex.FEMALE,
            birth=FuzzyDate.exact(dt.date(2020, 1, 1)),
        )
    with pytest.raises(ValidationError, match="future"):
        services.person_update(
            actor=caseworker, person=mother, sex=Sex.FEMALE, birth=FuzzyDate.exact(tomorrow())
        )
    child.refresh_from_db()
    assert child.birth_year == 2014


def test_services_refuse_another_agencys_records(caseworker: User, other_agency_user: User) -> None:
    theirs = factories.person(other_agency_user)
    with pytest.raises(PermissionError):
        services.name_add(actor=caseworker, person=theirs, data=NameData(given="X"))
    mine = factories.person(caseworker)
    with pytest.raises(PermissionError):
        services.relationship_create(
            actor=caseworker, from_person=mine, to_person=theirs, kind=K.SPOUSE
        )
    with pytest.raises(PermissionError):
        services.family_group_create(actor=caseworker, label="G", members=[mine, theirs])


# --- names --------------------------------------------------------------------------------


def test_names_keep_display_name_and_one_primary(caseworker: User) -> None:
    person = factories.person(caseworker, given="Aminat", family="Testova")
    first = person.names.get()
    alias = services.name_add(
        actor=caseworker, person=person, data=NameData(full="Umm Adam", kind=PersonName.Kind.KUNYA)
    )
    assert last_event(alias, A.CREATE).person_uuid == person.uuid
    assert person.display_name == "Aminat Testova"
    services.name_update(
        actor=caseworker, name=alias, data=NameData(full="Umm Adam", kind="kunya", is_primary=True)
    )
    first.refresh_from_db()
    assert not first.is_primary
    person.refresh_from_db()
    assert person.display_name == "Umm Adam"
    assert last_event(alias, A.UPDATE).changes == {"is_primary": [False, True]}
    services.name_remove(actor=caseworker, name=alias)
    person.refresh_from_db()
    assert PersonName.objects.get(pk=first.pk).is_primary, "another name becomes primary"
    assert person.display_name == "Aminat Testova"
    assert last_event(alias, A.DELETE).changes["full"] == "Umm Adam"


def test_name_refusals(caseworker: User) -> None:
    person = factories.person(caseworker)
    with pytest.raises(ValidationError, match="at least one part"):
        services.name_add(actor=caseworker, person=person, data=NameData(given="  "))
    with pytest.raises(ValidationError, match="at least one name"):
        services.name_remove(actor=caseworker, name=person.names.get())
    assert person.names.count() == 1


@pytest.mark.parametrize(
    ("names", "message"),
    [([], "at least one name"), ([NameData(given=" ", family="\t")], "at least one part")],
)
def test_drafting_and_creating_a_person_refuse_the_same_names(
    caseworker: User, names: list[NameData], message: str
) -> None:
    """One name check for both: an import's drafted persons are held to the form's rules."""
    with pytest.raises(ValidationError, match=message):
        services.person_draft(actor=caseworker, names=names)
    with pytest.raises(ValidationError, match=message):
        services.person_create(actor=caseworker, names=names)
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action=A.CREATE).exists()


# --- citizenships and documents ------------------------------------------------------------


def test_citizenships(caseworker: User) -> None:
    person = factories.person(caseworker)
    ru = factories.country("RU", "Russia")
    cit = services.citizenship_add(actor=caseworker, person=person, country=ru, basis="mother")
    assert last_event(cit, A.CREATE).changes["status"] == "claimed"
    with pytest.raises(ValidationError, match="already recorded"):
        services.citizenship_add(actor=caseworker, person=person, country=ru)
    services.citizenship_update(
        actor=caseworker, citizenship=cit, status=Citizenship.Status.VERIFIED, basis="passport"
    )
    assert last_event(cit, A.UPDATE).changes["status"] == ["claimed", "verified"]
    services.citizenship_remove(actor=caseworker, citizenship=cit)
    assert not Citizenship.objects.exists()
    assert last_event(cit, A.DELETE).person_uuid == person.uuid


def test_documents(caseworker: User) -> None:
    person = factories.person(caseworker)
    doc = services.document_add(
        actor=caseworker,
        person=person,
        kind=IdentityDocument.Kind.PASSPORT,
        status=IdentityDocument.Status.CONFISCATED,
        number="X0000001",
    )
    assert last_event(doc, A.CREATE).changes["status"] == "confiscated"
    with pytest.raises(ValidationError, match="future"):
        services.document_add(
            actor=caseworker, person=person, kind="passport", issued_on=tomorrow()
        )
    with pytest.raises(ValidationError, match="expire before"):
        services.document_update(
            actor=caseworker,
            document=doc,
            issued_on=dt.date(2015, 1, 1),
            expires_on=dt.date(2014, 1, 1),
        )
    services.document_update(actor=caseworker, document=doc, status=IdentityDocument.Status.LOST)
    assert last_event(doc, A.UPDATE).changes == {"status": ["confiscated", "lost"]}
    services.document_remove(actor=caseworker, document=doc)
    assert IdentityDocument.objects.count() == 0
    assert last_event(doc, A.DELETE).changes["number"] == "X0000001"


# --- photos ----------------------------------------------------------------------------------


def test_photo_add_stores_a_random_name_with_the_real_format(caseworker: User) -> None:
    person = factories.person(caseworker)
    photo = services.photo_add(
        actor=caseworker, person=person, image=image_upload("Aminat Testova.gif", "JPEG")
    )
    assert photo.image.name == f"photos/{photo.uuid.hex}.jpg"
    assert last_event(photo, A.CREATE).person_uuid == person.uuid


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.png", b"<html>not an image</html>"), "not an image"),
        (SimpleUploadedFile("x.png", b"\0" * (5 * 1024 * 1024 + 1)), "5 MB"),
        (image_upload("x.bmp", "BMP"), "JPEG, PNG"),
    ],
    ids=["not an image", "too big", "unsupported format"],
)
def test_photo_add_refuses(caseworker: User, upload: SimpleUploadedFile, message: str) -> None:
    person = factories.person(caseworker)
    with pytest.raises(ValidationError, match=message):
        services.photo_add(actor=caseworker, person=person, image=upload)
    with pytest.raises(ValidationError, match="future"):
        services.photo_add(
            actor=caseworker, person=person, image=image_upload(), taken_on=tomorrow()
        )
    assert not Photo.objects.exists()


def test_photo_remove_deletes_the_file_after_commit(
    caseworker: User, django_capture_on_commit_callbacks: object
) -> None:
    photo = services.photo_add(
        actor=caseworker, person=factories.person(caseworker), image=image_upload()
    )
    storage, name = photo.image.storage, photo.image.name
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.photo_remove(actor=caseworker, photo=photo)
    assert not storage.exists(name)
    assert last_event(photo, A.DELETE)


# --- relationships ---------------------------------------------------------------------------


def test_relationship_refusals(caseworker: User) -> None:
    mother = factories.person(caseworker, birth=dt.date(1990, 1, 1))
    child = factories.person(caseworker, given="Adam", birth=dt.date(2015, 1, 1))
    with pytest.raises(ValidationError, match="themselves"):
        link(caseworker, mother, mother, K.SPOUSE)
    with pytest.raises(ValidationError, match="born before the parent"):
        link(caseworker, child, mother, K.PARENT)
    rel = link(caseworker, mother, child, K.PARENT)
    assert last_event(rel, A.CREATE).changes["kind"] == "parent"
    with pytest.raises(ValidationError, match="already recorded"):
        link(caseworker, mother, child, K.PARENT)
    husband = factories.person(caseworker, given="Ruslan", sex=Sex.MALE)
    link(caseworker, husband, mother, K.SPOUSE)
    with pytest.raises(ValidationError, match="already recorded"):
        link(caseworker, mother, husband, K.SPOUSE)  # the same pair, the other way round
    assert Relationship.objects.count() == 2
    services.relationship_remove(actor=caseworker, relationship=rel)
    assert last_event(rel, A.DELETE)
    assert Relationship.objects.count() == 1


@pytest.mark.parametrize(
    ("word", "elder", "kind"),
    [
        (KinWord.MOTHER_OF, "person", K.PARENT),
        (KinWord.CHILD_OF, "other", K.PARENT),
        (KinWord.GRANDCHILD_OF, "other", K.GRANDPARENT),
        (KinWord.GUARDIAN_OF, "person", K.GUARDIAN),
        (KinWord.WARD_OF, "other", K.GUARDIAN),
    ],
)
def test_relationship_in_words_is_stored_in_the_right_direction(
    caseworker: User, word: str, elder: str, kind: str
) -> None:
    persons = {
        "person": factories.person(caseworker, sex=Sex.UNKNOWN),
        "other": factories.person(caseworker, given="Adam"),
    }
    rel = services.relationship_add_in_words(
        actor=caseworker, person=persons["person"], word=word, other=persons["other"]
    )
    assert (rel.from_person, rel.kind) == (persons[elder], kind)


def test_mother_of_records_an_unknown_sex_and_refuses_a_contradicting_one(caseworker: User) -> None:
    person = factories.person(caseworker, sex=Sex.UNKNOWN)
    child = factories.person(caseworker, given="Adam")
    services.relationship_add_in_words(
        actor=caseworker, person=person, word=KinWord.MOTHER_OF, other=child
    )
    person.refresh_from_db()
    assert person.sex == Sex.FEMALE
    assert last_event(person, A.UPDATE).changes == {"sex": ["U", "F"]}
    other_child = factories.person(caseworker, given="Aisha")
    with pytest.raises(ValidationError, match="recorded sex"):
        services.relationship_add_in_words(
            actor=caseworker, person=person, word=KinWord.FATHER_OF, other=other_child
        )
    with pytest.raises(ValidationError, match="how the two are related"):
        services.relationship_add_in_words(
            actor=caseworker, person=person, word="cousin_of", other=other_child
        )


# --- family groups -----------------------------------------------------------------------------


def test_family_groups(caseworker: User) -> None:
    mother = factories.person(caseworker)
    child = factories.person(caseworker, given="Adam")
    with pytest.raises(ValidationError, match="label"):
        services.family_group_create(actor=caseworker, label="  ", members=[mother])
    group = services.family_group_create(
        actor=caseworker, label=" Testova family ", members=[mother]
    )
    assert group.label == "Testova family"
    assert last_event(group, A.CREATE).changes["members"] == [str(mother.uuid)]
    services.family_group_add_member(actor=caseworker, group=group, person=child)
    assert set(group.members.all()) == {mother, child}
    with pytest.raises(ValidationError, match="already in the group"):
        services.family_group_add_member(actor=caseworker, group=group, person=child)
    services.family_group_remove_member(actor=caseworker, group=group, person=mother)
    assert list(group.members.all()) == [child]
    assert last_event(group, A.UPDATE).changes["members"] == [
        sorted([str(mother.uuid), str(child.uuid)]),
        [str(child.uuid)],
    ]
    services.family_group_update(actor=caseworker, group=group, label="Adam", notes="")
    assert last_event(group, A.UPDATE).changes == {"label": ["Testova family", "Adam"]}
    assert FamilyGroup.objects.get().label == "Adam"


def test_search_names_follow_every_name_change(caseworker: User) -> None:
    """Name search reads Person.search_names: it must never lag behind the names."""
    from wayhome.people import selectors as sel

    person = factories.person(caseworker, "Хадижат", "Алиева")
    added = services.name_add(
        actor=caseworker, person=person, data=services.NameData(full="Umm Ali")
    )
    person.refresh_from_db()
    assert person.search_names.splitlines() == ["хадижат алиева", "umm ali"]
    services.name_update(actor=caseworker, name=added, data=services.NameData(full="Umm Yusuf"))
    assert [p.pk for p in sel.persons_matching(caseworker, "yusuf")] == [person.pk]
    assert sel.persons_matching(caseworker, "umm ali") == []
    services.name_remove(actor=caseworker, name=added)
    person.refresh_from_db()
    assert person.search_names == "хадижат алиева"


def test_a_new_persons_shown_name_and_keys_are_those_a_refresh_computes(
    caseworker: User,
) -> None:
    """person_create fills the shown name, search names and keys from the names in hand;
    reading them back and recomputing (as any later name change does) changes nothing."""
    from wayhome.matching.models import NameKey

    person = services.person_create(
        actor=caseworker,
        names=[
            NameData(full="Umm Muhammad", kind=PersonName.Kind.KUNYA),
            NameData(given="Амина", patronymic="Руслановна", family="Тестова"),
            NameData(given="Amina", family="Testova", is_primary=True),
        ],
    )
    keys = set(NameKey.objects.filter(person=person).values_list("key", flat=True))
    shown = (person.display_name, person.search_names)
    assert keys
    services.person_names_refresh(person)
    person.refresh_from_db()
    assert (person.display_name, person.search_names) == shown
    assert person.display_name == "Amina Testova"
    assert set(NameKey.objects.filter(person=person).values_list("key", flat=True)) == keys
