from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from tests import factories
from tests.assertions import assert_forbidden, assert_login_required
from tests.tracing import helpers
from wayhome.accounts.models import User
from wayhome.places.models import Authority, Country, Facility, Region

Login = Callable[[User], Client]


def test_list_filters_by_kind_country_and_authority(caseworker: User, client_for: Login) -> None:
    gov = Authority.objects.get(name="Government of Iraq")
    prison = factories.facility("Prison North", "prison", "IQ")
    prison.authority = gov
    prison.save()
    factories.facility("Camp South", "camp", "SY")
    client = client_for(caseworker)
    url = reverse("places:facility_list")

    def names(params: dict[str, str]) -> list[str]:
        return [f.name for f in client.get(url, params).context["facilities"]]

    assert names({}) == ["Camp South", "Prison North"]
    assert names({"kind": "camp"}) == ["Camp South"]
    assert names({"country": str(Country.objects.get(iso2="IQ").uuid)}) == ["Prison North"]
    assert names({"authority": str(gov.uuid)}) == ["Prison North"]


def test_every_logged_in_user_reads_places(users: dict[str, User], client_for: Login) -> None:
    facility = factories.facility()
    for url in [
        reverse("places:facility_list"),
        reverse("places:facility_detail", args=[facility.uuid]),
        reverse("places:reference_list"),
    ]:
        assert_login_required(url)
        for user in users.values():
            assert client_for(user).get(url).status_code == 200


def test_detail_shows_names_or_counts_by_role_and_agency(
    caseworker: User, analyst: User, other_agency_user: User, client_for: Login
) -> None:
    camp = factories.facility("Camp One")
    mine = factories.person(caseworker, given="Sabina")
    helpers.entry(caseworker, mine, "in_camp", facility=camp)
    theirs = factories.person(other_agency_user, given="Foreign")
    helpers.entry(other_agency_user, theirs, "in_camp", facility=camp)
    url = reverse("places:facility_detail", args=[camp.uuid])

    as_caseworker = client_for(caseworker).get(url)
    assert as_caseworker.context["count"] == 1
    assert list(as_caseworker.context["persons"]) == [mine]
    assert "Foreign" not in as_caseworker.content.decode()

    as_analyst = client_for(analyst).get(url)
    assert as_analyst.context["count"] == 1
    assert as_analyst.context["persons"] is None
    assert "Sabina" not in as_analyst.content.decode()


def test_unknown_facility_is_not_found(caseworker: User, client_for: Login) -> None:
    response = client_for(caseworker).get(
        reverse("places:facility_detail", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert response.status_code == 404


def test_editing_needs_place_edit(users: dict[str, User], client_for: Login) -> None:
    facility = factories.facility()
    urls = [
        reverse("places:facility_create"),
        reverse("places:facility_edit", args=[facility.uuid]),
        reverse("places:region_create"),
        reverse("places:authority_create"),
    ]
    for url in urls:
        assert_login_required(url)
        assert_forbidden(client_for(users["caseworker"]), url)
        assert_forbidden(client_for(users["analyst"]), url, "post")
        for role in ("supervisor", "agency_admin", "system_admin"):
            assert client_for(users[role]).get(url).status_code == 200


def test_create_and_edit_a_facility(users: dict[str, User], client_for: Login) -> None:
    client = client_for(users["supervisor"])
    iraq = Country.objects.get(iso2="IQ")
    response = client.post(
        reverse("places:facility_create"),
        {"name": "Prison East", "kind": "prison", "country": str(iraq.uuid)},
    )
    facility = Facility.objects.get(name="Prison East")
    assert response.status_code == 302
    assert response["Location"] == reverse("places:facility_detail", args=[facility.uuid])
    duplicate = client.post(
        reverse("places:facility_create"),
        {"name": "Prison East", "kind": "prison", "country": str(iraq.uuid)},
    )
    assert "already recorded" in duplicate.content.decode()
    edit = client.post(
        reverse("places:facility_edit", args=[facility.uuid]),
        {
            "name": "Prison East",
            "kind": "detention",
            "country": str(iraq.uuid),
            "locality": "a city",
        },
    )
    assert edit.status_code == 302
    facility.refresh_from_db()
    assert (facility.kind, facility.locality) == ("detention", "a city")


def test_create_region_and_authority(users: dict[str, User], client_for: Login) -> None:
    client = client_for(users["agency_admin"])
    iraq = Country.objects.get(iso2="IQ")
    region = client.post(
        reverse("places:region_create"), {"country": str(iraq.uuid), "name": "Anbar"}
    )
    assert region.status_code == 302
    assert Region.objects.filter(country=iraq, name="Anbar").exists()
    authority = client.post(
        reverse("places:authority_create"), {"name": "A synthetic council", "kind": "other"}
    )
    assert authority.status_code == 302
    assert Authority.objects.filter(name="A synthetic council").exists()
