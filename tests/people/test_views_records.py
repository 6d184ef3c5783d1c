"""Names, citizenships, documents, photos, relatives and family groups, through the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.assertions import assert_forbidden, assert_login_required, assert_not_found
from tests.people.helpers import image_upload, link, mother_with_family
from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent
from wayhome.people import services
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

Login = Callable[[User], Client]


@dataclass
class Records:
    """One of each record, owned by agency A."""

    person: Person
    child: Person
    name: PersonName
    citizenship: Citizenship
    document: IdentityDocument
    photo: Photo
    relationship: Relationship
    group: FamilyGroup


@pytest.fixture
def rec(caseworker: User) -> Records:
    person = factories.person(caseworker, birth=dt.date(1990, 1, 1))
    child = factories.person(caseworker, given="Adam", sex=Sex.MALE, birth=dt.date(2015, 1, 1))
    return Records(
        person=person,
        child=child,
        name=person.names.get(),
        citizenship=services.citizenship_add(
            actor=caseworker, person=person, country=factories.country()
        ),
        document=services.document_add(actor=caseworker, person=person, kind="passport"),
        photo=services.photo_add(actor=caseworker, person=person, image=image_upload()),
        relationship=link(caseworker, person, child, Relationship.Kind.PARENT),
        group=services.family_group_create(actor=caseworker, label="Testova", members=[person]),
    )


def every_url(r: Records) -> list[tuple[str, str]]:
    """(method, url) of every people page that touches one record."""
    p, g = r.person.uuid, r.group.uuid
    return [
        ("get", reverse("people:detail", args=[p])),
        ("post", reverse("people:update", args=[p])),
        ("post", reverse("people:name_add", args=[p])),
        ("post", reverse("people:name_edit", args=[r.name.uuid])),
        ("post", reverse("people:name_remove", args=[r.name.uuid])),
        ("post", reverse("people:citizenship_add", args=[p])),
        ("post", reverse("people:citizenship_edit", args=[r.citizenship.uuid])),
        ("post", reverse("people:citizenship_remove", args=[r.citizenship.uuid])),
        ("post", reverse("people:document_add", args=[p])),
        ("post", reverse("people:document_edit", args=[r.document.uuid])),
        ("post", reverse("people:document_remove", args=[r.document.uuid])),
        ("post", reverse("people:photo_add", args=[p])),
        ("get", reverse("people:photo", args=[r.photo.uuid])),
        ("post", reverse("people:photo_remove", args=[r.photo.uuid])),
        ("post", reverse("people:relationship_add", args=[p])),
        ("post", reverse("people:relationship_remove", args=[r.relationship.uuid])),
        ("get", reverse("people:family_detail", args=[g])),
        ("post", reverse("people:family_edit", args=[g])),
        ("post", reverse("people:family_member_add", args=[g])),
        ("post", reverse("people:family_member_remove", args=[g, p])),
    ]


def test_every_record_page_refuses_anonymous_analyst_and_other_agency(
    rec: Records, analyst: User, users: dict[str, User], other_agency_user: User, client_for: Login
) -> None:
    other, refused = client_for(other_agency_user), client_for(analyst)
    admin = client_for(users["system_admin"])
    for method, url in every_url(rec):
        assert_login_required(url, method)
        assert_forbidden(refused, url, method)
        assert_forbidden(admin, url, method)
        assert_not_found(other, url, method)
    # Nothing was changed by any of those attempts.
    assert rec.person.names.count() == 1
    assert Citizenship.objects.count() == IdentityDocument.objects.count() == 1
    assert Photo.objects.count() == Relationship.objects.count() == 1
    assert list(rec.group.members.all()) == [rec.person]


def test_family_pages_without_a_record_refuse_too(analyst: User, client_for: Login) -> None:
    for name in ("people:family_list", "people:family_create"):
        assert_login_required(reverse(name))
        assert_forbidden(client_for(analyst), reverse(name))


def test_each_role_reads_and_writes_as_the_role_table_says(
    rec: Records, users: dict[str, User], client_for: Login
) -> None:
    detail = reverse("people:detail", args=[rec.person.uuid])
    edit = reverse("people:name_edit", args=[rec.name.uuid])
    for role, user in users.items():
        client = client_for(user)
        assert client.get(detail).status_code == (200 if user.has_cap(Cap.PERSON_VIEW) else 403)
        assert client.get(edit).status_code == (200 if user.has_cap(Cap.PERSON_EDIT) else 403), role


# --- names ------------------------------------------------------------------------------------


def test_add_edit_remove_a_name(rec: Records, caseworker: User, client_for: Login) -> None:
    client = client_for(caseworker)
    response = client.post(
        reverse("people:name_add", args=[rec.person.uuid]),
        {"kind": "kunya", "full": "أم آدم", "is_primary": "on"},
    )
    assert response.status_code == 302
    added = rec.person.names.get(kind="kunya")
    assert added.script == "Arab"
    rec.person.refresh_from_db()
    assert rec.person.display_name == "أم آدم"
    edit = reverse("people:name_edit", args=[added.uuid])
    assert client.get(edit).context["form"].initial["full"] == "أم آدم"
    client.post(edit, {"kind": "kunya", "full": "Umm Adam"})
    added.refresh_from_db()
    assert (added.full, added.script) == ("Umm Adam", "Latn")
    client.post(reverse("people:name_remove", args=[added.uuid]))
    assert rec.person.names.count() == 1


def test_removing_the_last_name_is_refused_with_a_message(
    rec: Records, caseworker: User, client_for: Login
) -> None:
    response = client_for(caseworker).post(
        reverse("people:name_remove", args=[rec.name.uuid]), follow=True
    )
    assert "must keep at least one name" in response.content.decode()
    assert rec.person.names.count() == 1


def test_name_form_errors_are_shown(rec: Records, caseworker: User, client_for: Login) -> None:
    response = client_for(caseworker).post(
        reverse("people:name_add", args=[rec.person.uuid]), {"kind": "legal"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "at least one part" in html


# --- citizenships and documents ---------------------------------------------------------------


def test_citizenship_pages(rec: Records, caseworker: User, client_for: Login) -> None:
    client = client_for(caseworker)
    add = reverse("people:citizenship_add", args=[rec.person.uuid])
    ru = factories.country()
    response = client.post(add, {"country": str(ru.uuid), "status": "claimed"})
    assert response.status_code == 200
    assert "already recorded" in response.content.decode()
    tj = factories.country("TJ", "Tajikistan")
    assert client.post(add, {"country": str(tj.uuid), "status": "verified"}).status_code == 302
    assert rec.person.citizenships.get(country=tj).status == "verified"
    edit = reverse("people:citizenship_edit", args=[rec.citizenship.uuid])
    client.post(edit, {"status": "verified", "basis": "passport seen"})
    rec.citizenship.refresh_from_db()
    assert (rec.citizenship.status, rec.citizenship.basis) == ("verified", "passport seen")
    client.post(reverse("people:citizenship_remove", args=[rec.citizenship.uuid]))
    assert list(rec.person.citizenships.values_list("country__iso2", flat=True)) == ["TJ"]


def test_document_pages(rec: Records, caseworker: User, client_for: Login) -> None:
    client = client_for(caseworker)
    add = reverse("people:document_add", args=[rec.person.uuid])
    data = {"kind": "birth_certificate", "status": "lost", "issued_on": "2016-02-01"}
    assert client.post(add, data).status_code == 302
    assert rec.person.documents.filter(kind="birth_certificate", status="lost").exists()
    future = {**data, "issued_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat()}
    response = client.post(add, future)
    assert "in the future" in response.content.decode()
    edit = reverse("people:document_edit", args=[rec.document.uuid])
    response = client.post(
        edit,
        {
            "kind": "passport",
            "status": "held",
            "issued_on": "2015-01-01",
            "expires_on": "2010-01-01",
        },
    )
    assert "expire before" in response.content.decode()
    client.post(edit, {"kind": "passport", "status": "confiscated", "number": "X1"})
    rec.document.refresh_from_db()
    assert (rec.document.status, rec.document.number) == ("confiscated", "X1")
    client.post(reverse("people:document_remove", args=[rec.document.uuid]))
    assert rec.person.documents.count() == 1
    html = client.get(reverse("people:detail", args=[rec.person.uuid])).content.decode()
    assert "Lost" in html


# --- photos -----------------------------------------------------------------------------------


def test_photo_upload_serve_and_remove(rec: Records, caseworker: User, client_for: Login) -> None:
    client = client_for(caseworker)
    add = reverse("people:photo_add", args=[rec.person.uuid])
    response = client.post(add, {"image": image_upload("x.jpg", "JPEG"), "caption": "At camp"})
    assert response.status_code == 302
    photo = rec.person.photos.get(caption="At camp")
    served = client.get(reverse("people:photo", args=[photo.uuid]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert "no-store" in served["Cache-Control"]
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served.content[:2] == b"\xff\xd8"
    read = AuditEvent.objects.filter(action="view", object_uuid=photo.uuid).get()
    assert (read.actor, read.person_uuid) == (caseworker, rec.person.uuid)
    detail = client.get(reverse("people:detail", args=[rec.person.uuid])).content.decode()
    assert reverse("people:photo", args=[photo.uuid]) in detail
    assert "/media/" not in detail
    client.post(reverse("people:photo_remove", args=[photo.uuid]))
    assert not rec.person.photos.filter(pk=photo.pk).exists()


def test_photo_upload_refuses_a_non_image(
    rec: Records, caseworker: User, client_for: Login
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client_for(caseworker).post(
        reverse("people:photo_add", args=[rec.person.uuid]), {"image": fake}
    )
    assert response.status_code == 200
    assert "image" in response.context["form"].errors
    assert rec.person.photos.count() == 1


# --- relatives --------------------------------------------------------------------------------


def test_add_a_relative_by_searching(rec: Records, caseworker: User, client_for: Login) -> None:
    husband = factories.person(caseworker, given="Ruslan", family="Primerov", sex=Sex.MALE)
    client = client_for(caseworker)
    url = reverse("people:relationship_add", args=[rec.person.uuid])
    page = client.get(url, {"q": "primer"}).content.decode()
    assert f'value="{husband.uuid}"' in page  # the no-JS results page
    partial = client.get(url, {"q": "primer"}, headers={"HX-Request": "true"}).content.decode()
    assert f'value="{husband.uuid}"' in partial
    assert "<html" not in partial
    response = client.post(
        url, {"word": "spouse_of", "other": str(husband.uuid), "is_current": "on"}
    )
    assert response.status_code == 302
    html = client.get(reverse("people:detail", args=[husband.uuid])).content.decode()
    assert '<span class="kin-word">Wife</span>' in html


@pytest.mark.parametrize(
    ("word", "other", "message"),
    [
        ("spouse_of", "self", "themselves"),
        ("mother_of", "child", "already recorded"),
        ("child_of", "child", "born before the parent"),
        ("father_of", "stranger", "recorded sex"),
        ("spouse_of", "", "choose one"),
    ],
)
def test_add_a_relative_refusals(
    rec: Records, caseworker: User, client_for: Login, word: str, other: str, message: str
) -> None:
    stranger = factories.person(caseworker, given="Zarema")
    others = {"self": rec.person, "child": rec.child, "stranger": stranger}
    data = {"word": word, "other": str(others[other].uuid) if other else ""}
    response = client_for(caseworker).post(
        reverse("people:relationship_add", args=[rec.person.uuid]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Relationship.objects.count() == 1


def test_a_relative_of_another_agency_is_not_found(
    rec: Records, caseworker: User, other_agency_user: User, client_for: Login
) -> None:
    theirs = factories.person(other_agency_user)
    response = client_for(caseworker).post(
        reverse("people:relationship_add", args=[rec.person.uuid]),
        {"word": "spouse_of", "other": str(theirs.uuid)},
    )
    assert response.status_code == 404
    assert Relationship.objects.count() == 1


def test_remove_a_relative_returns_to_the_page_it_came_from(
    rec: Records, caseworker: User, client_for: Login
) -> None:
    response = client_for(caseworker).post(
        reverse("people:relationship_remove", args=[rec.relationship.uuid]),
        {"back": str(rec.child.uuid)},
    )
    assert response["Location"].startswith(reverse("people:detail", args=[rec.child.uuid]))
    assert not Relationship.objects.exists()


# --- family groups ----------------------------------------------------------------------------


def test_new_group_starts_with_the_person_and_relatives(
    caseworker: User, client_for: Login
) -> None:
    fam = mother_with_family(caseworker)
    client = client_for(caseworker)
    url = reverse("people:family_create")
    response = client.get(url, {"person": str(fam["mother"].uuid)})
    assert {p.uuid for p in response.context["chosen"]} == {p.uuid for p in fam.values()}
    assert response.context["form"].initial["label"] == "Family of Madina Testova"
    chosen = [str(fam[k].uuid) for k in ("mother", "son", "daughter")]
    response = client.post(url, {"label": "Testova and children", "members": chosen})
    group = FamilyGroup.objects.get()
    assert response["Location"] == reverse("people:family_detail", args=[group.uuid])
    assert {str(u) for u in group.members.values_list("uuid", flat=True)} == set(chosen)
    listing = client.get(reverse("people:family_list")).content.decode()
    assert "Testova and children" in listing


def test_new_group_refuses_another_agencys_member_and_a_blank_label(
    caseworker: User, other_agency_user: User, client_for: Login
) -> None:
    client = client_for(caseworker)
    url = reverse("people:family_create")
    theirs = factories.person(other_agency_user)
    assert client.post(url, {"label": "G", "members": [str(theirs.uuid)]}).status_code == 404
    assert client.post(url, {"label": "G", "members": ["nonsense"]}).status_code == 200
    mine = factories.person(caseworker)
    response = client.post(url, {"label": " ", "members": [str(mine.uuid)]})
    assert response.status_code == 200
    assert not FamilyGroup.objects.exists()
    partial = client.get(url, {"q": "amin"}, headers={"HX-Request": "true"}).content.decode()
    assert f'value="{mine.uuid}"' in partial
    assert 'type="checkbox"' in partial


def test_group_detail_members_and_edit(rec: Records, caseworker: User, client_for: Login) -> None:
    client = client_for(caseworker)
    detail = reverse("people:family_detail", args=[rec.group.uuid])
    page = client.get(detail, {"q": "adam"})
    html = page.content.decode()
    assert '<svg class="family"' in html
    assert str(rec.child.uuid) in html  # offered as a member to add
    add = reverse("people:family_member_add", args=[rec.group.uuid])
    assert client.post(add, {"person": str(rec.child.uuid)}).status_code == 302
    again = client.post(add, {"person": str(rec.child.uuid)}, follow=True).content.decode()
    assert "already in the group" in again
    html = client.get(detail).content.decode()
    assert html.count('class="link parent"') == 1  # the mother-child link among the members
    client.post(reverse("people:family_member_remove", args=[rec.group.uuid, rec.person.uuid]))
    assert list(rec.group.members.all()) == [rec.child]
    edit = reverse("people:family_edit", args=[rec.group.uuid])
    client.post(edit, {"label": "Adam", "notes": "handled together"})
    rec.group.refresh_from_db()
    assert (rec.group.label, rec.group.notes) == ("Adam", "handled together")
