from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from tests.assertions import assert_forbidden, assert_login_required, assert_not_found
from tests.matching.helpers import mother_of, person
from tests.people.test_views_persons import name_rows
from tests.tracing import helpers as tracing
from tests.tracing.test_request_views import _create_post
from wayhome.accounts.models import User
from wayhome.matching.step import CONFIRM_FIELD
from wayhome.people.models import Person, Sex
from wayhome.tracing.models import TracingRequest

Login = Callable[[User], Client]


def _register(**extra: str) -> dict[str, str]:
    return {
        **name_rows(given="Aminat", family="Aliyeva"),
        "sex": "F",
        "birth_precision": "year",
        "birth_year": "1990",
        **extra,
    }


def test_registering_shows_the_likely_persons_first(caseworker: User, client_for: Login) -> None:
    existing = person(caseworker, "Аминат Алиева", born=1990)
    client = client_for(caseworker)
    first = client.post(reverse("people:create"), _register())
    html = first.content.decode()
    assert first.status_code == 200
    assert Person.objects.count() == 1
    assert "Is this one of these?" in html
    assert reverse("people:detail", args=[existing.uuid]) in html
    assert GENERATION not in html  # born the same year
    assert "This is the same person — open it" in html
    assert f'name="{CONFIRM_FIELD}" value="1"' in html
    second = client.post(reverse("people:create"), _register(**{CONFIRM_FIELD: "1"}))
    assert second.status_code == 302
    assert Person.objects.count() == 2


GENERATION = "Born a generation apart: a parent or a child of the same name?"


def test_a_namesake_born_a_generation_apart_is_marked_among_the_candidates(
    caseworker: User, client_for: Login
) -> None:
    mother = person(caseworker, "Аминат Алиева", born=1964)
    same_age = person(caseworker, "Аминат Алиева", born=1991)
    response = client_for(caseworker).post(reverse("people:create"), _register())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(GENERATION) == 1
    groups = response.context["candidate_groups"]
    rows = {c.person.pk: c for group in groups for c in group.candidates}
    assert rows[mother.pk].generation_apart
    assert not rows[same_age.pk].generation_apart


def test_a_namesake_born_a_generation_apart_is_listed_after_the_others(
    caseworker: User, client_for: Login
) -> None:
    mother = person(caseworker, "Аминат Алиева", born=1964)
    close = person(caseworker, "Амина Алиева")  # a close name, no birth date
    response = client_for(caseworker).post(reverse("people:create"), _register())
    assert response.status_code == 200
    found = [c for group in response.context["candidate_groups"] for c in group.candidates]
    by_person = {c.person: c for c in found}
    assert by_person[mother].weight > by_person[close].weight  # first, on score alone
    assert [c.person for c in found] == [close, mother]
    html = response.content.decode()
    assert html.index(str(close.uuid)) < html.index(str(mother.uuid))


def test_registering_without_candidates_saves_at_once(
    caseworker: User, other_agency_user: User, client_for: Login
) -> None:
    person(other_agency_user, "Аминат Алиева", born=1990)  # not theirs to be shown
    response = client_for(caseworker).post(reverse("people:create"), _register())
    assert response.status_code == 302
    assert Person.objects.filter(agency=caseworker.agency).count() == 1


def _request_post(**extra: str) -> dict[str, object]:
    return _create_post(
        **{
            "new_sought-0-given": "Umar",
            "new_sought-0-family": "Aliyev",
            "new_sought-0-sex": "M",
            "new_sought-0-birth_year": "2014",
            "new_sought-1-sex": "U",
            "new_sought-2-sex": "U",
            **extra,
        }
    )


def test_a_tracing_request_shows_candidates_for_its_new_sought_persons(
    caseworker: User, client_for: Login
) -> None:
    son = person(caseworker, "Умар Алиев", sex=Sex.MALE, born=2014)
    client = client_for(caseworker)
    first = client.post(reverse("tracing:request_create"), _request_post())
    html = first.content.decode()
    assert first.status_code == 200
    assert not TracingRequest.objects.exists()
    assert "Is this one of these?" in html
    assert reverse("people:detail", args=[son.uuid]) in html
    second = client.post(reverse("tracing:request_create"), _request_post(**{CONFIRM_FIELD: "1"}))
    assert second.status_code == 302
    assert TracingRequest.objects.count() == 1


def test_request_candidates_page_and_fragment(caseworker: User, client_for: Login) -> None:
    mother = person(caseworker, "Аминат Алиева", born=1990)
    son = person(caseworker, "Умар Алиев", sex=Sex.MALE, born=2014)
    mother_of(caseworker, mother, son)
    sought = person(caseworker, "Aminat Aliyeva", born=1990)
    request = tracing.tracing_request(caseworker, [sought])
    url = reverse("matching:request_candidates", args=[request.uuid])
    client = client_for(caseworker)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("people:detail", args=[mother.uuid]) in html
    assert reverse("people:detail", args=[son.uuid]) in html  # the candidate's family
    assert "<html" in html
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert reverse("people:detail", args=[mother.uuid]) in fragment.content.decode()
    detail = client.get(reverse("tracing:request_detail", args=[request.uuid]))
    assert f'hx-get="{url}"' in detail.content.decode()


def test_request_candidates_refusals(
    caseworker: User, other_agency_user: User, users: dict[str, User], client_for: Login
) -> None:
    request = tracing.tracing_request(caseworker)
    url = reverse("matching:request_candidates", args=[request.uuid])
    assert_login_required(url)
    assert_forbidden(client_for(users["analyst"]), url)
    assert_forbidden(client_for(users["system_admin"]), url)
    assert_forbidden(client_for(users["consular_officer"]), url)  # persons, not requests
    assert_not_found(client_for(other_agency_user), url)
