from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.places import services
from wayhome.places.models import Authority, Country, Facility, Region


@pytest.fixture
def supervisor(users: dict[str, User]) -> User:
    return users["supervisor"]


def _iraq() -> Country:
    return Country.objects.get(iso2="IQ")


def test_facility_create_and_update_are_audited(supervisor: User) -> None:
    baghdad = Region.objects.get(name="Baghdad")
    facility = services.facility_create(
        actor=supervisor, name=" Prison North ", kind="prison", country=_iraq(), region=baghdad
    )
    assert facility.name == "Prison North"
    created = AuditEvent.objects.get(object_uuid=facility.uuid, action="create")
    assert created.changes["kind"] == "prison"
    services.facility_update(
        actor=supervisor,
        facility=facility,
        name="Prison North",
        kind="detention",
        country=_iraq(),
        region=baghdad,
        authority=Authority.objects.get(name="Government of Iraq"),
    )
    updated = AuditEvent.objects.get(object_uuid=facility.uuid, action="update")
    assert updated.changes["kind"] == ["prison", "detention"]


def test_facility_refusals(supervisor: User) -> None:
    services.facility_create(actor=supervisor, name="Camp One", kind="camp", country=_iraq())
    with pytest.raises(ValidationError, match="already recorded"):
        services.facility_create(actor=supervisor, name="Camp One", kind="camp", country=_iraq())
    with pytest.raises(ValidationError, match="not in the chosen country"):
        services.facility_create(
            actor=supervisor,
            name="Camp Two",
            kind="camp",
            country=_iraq(),
            region=Region.objects.get(name="Raqqa"),
        )
    assert Facility.objects.count() == 1


def test_region_and_authority_create(supervisor: User) -> None:
    region = services.region_create(
        actor=supervisor, country=_iraq(), name="Anbar", name_ru="Анбар"
    )
    authority = services.authority_create(
        actor=supervisor, name="A synthetic council", kind="other"
    )
    for obj in (region, authority):
        assert AuditEvent.objects.filter(object_uuid=obj.uuid, action="create").exists()
    with pytest.raises(ValidationError, match="already recorded"):
        services.region_create(actor=supervisor, country=_iraq(), name="Anbar")
    with pytest.raises(ValidationError, match="already recorded"):
        services.authority_create(actor=supervisor, name="A synthetic council", kind="other")


def test_factories_reuse_the_reference_rows(db: None) -> None:
    assert factories.region("Dagestan") == Region.objects.get(name="Dagestan")
