"""Person list, registration, detail and edit pages: who may, who may not, what they do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.assertions import (
    assert_forbidden,
    assert_login_required,
    assert_not_found,
    pages_with_identifying_hidden,
)
from tests.people.helpers import mother_with_family
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.accounts.sensitivity import Visibility as V
from wayhome.audit.models import AuditEvent
from wayhome.people import services
from wayhome.people.models import Person, Status

Login = Callable[[User], Client]


def name_rows(n: int = 3, **first: str) -> dict[str, str]:
    """The names formset's POST data with ``first`` in row 0 and empty other rows."""
    data = {
        "names-TOTAL_FORMS": str(n),
        "names-INITIAL_FORMS": "0",
        "names-MIN_NUM_FORMS": "1",
        "names-MAX_NUM_FORMS": "20",
    }
    for i in range(n):
        data[f"names-{i}-kind"] = "legal"
    data.update({f"names-0-{k}": v for k, v in first.items()})
    return data


# --- list --------------------------------------------------------------------------------------


def test_list_shows_own_agency_persons_with_search_and_filters(
    caseworker: User, other_agency_user: User, client_for: Login
) -> None:
    mine = factories.person(caseworker, given="Алёна", family="Ёлкина")
    mine.current_status = Status.DETAINED
    mine.save()
    factories.person(caseworker, given="Maryam", family="Exampleova")
    factories.person(other_agency_user, given="Алёна", family="Чужая")
    client = client_for(caseworker)
    html = client.get(reverse("people:list")).content.decode()
    assert "Алёна Ёлкина" in html
    assert "Maryam Exampleova" in html
    assert "Чужая" not in html
    assert '<span class="badge detained">' in html
    assert 'dir="auto"' in html
    response = client.get(reverse("people:list"), {"q": "елкина", "status": "detained"})
    assert [p.display_name for p in response.context["page"].persons] == ["Алёна Ёлкина"]
    assert "1 person matches." in response.content.decode()


def test_the_list_page_reads_the_same_queries_for_three_rows_as_for_one(
    caseworker: User, client_for: Login
) -> None:
    """The rows read only the columns they show (people/selectors.py LIST_COLUMNS): a
    column shown but not read would cost a query a row."""
    camp, region = factories.facility(), factories.region()

    def add(i: int) -> None:
        person = factories.person(
            caseworker, given=f"Rowena{i}", birth=dt.date(2010, 1, 1), home_region=region
        )
        services.name_add(
            actor=caseworker, person=person, data=services.NameData(given="Ровена", family=str(i))
        )
        Person.objects.filter(pk=person.pk).update(current_facility=camp, current_status="in_camp")

    client = client_for(caseworker)
    client.get(reverse("people:list"))  # the session and the like, once
    add(0)
    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("people:list")).content.decode()
    assert "Ровена 0" in html
    assert camp.name in html
    assert str(region) in html
    add(1)
    add(2)
    with CaptureQueriesContext(connection) as three:
        html = client.get(reverse("people:list")).content.decode()
    assert "Ровена 2" in html
    assert len(three.captured_queries) == len(one.captured_queries)


def test_list_answers_htmx_with_the_results_only(caseworker: User, client_for: Login) -> None:
    factories.person(caseworker)
    response = client_for(caseworker).get(
        reverse("people:list"), {"q": "amin"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "Aminat Testova" in html
    assert "<html" not in html
    assert "<form" not in html


def test_list_says_more_than_when_the_count_is_capped(
    caseworker: User, client_for: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wayhome.people import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    factories.person(caseworker)
    factories.person(caseworker, given="Zarema")
    html = client_for(caseworker).get(reverse("people:list")).content.decode()
    assert "More than 1 persons match." in html


def test_list_asks_to_refine_a_search_with_many_matches(
    caseworker: User, client_for: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wayhome.people import selectors

    monkeypatch.setattr(selectors, "SORT_MAX", 1)
    factories.person(caseworker)
    factories.person(caseworker, given="Zarema")
    client = client_for(caseworker)
    many = client.get(reverse("people:list"), {"q": "testova"}).content.decode()
    assert "Many persons match: the 1,000 registered most recently are shown" in many
    assert "Zarema Testova" in many
    one = client.get(reverse("people:list"), {"q": "zarema"}).content.decode()
    assert "Many persons match" not in one


def test_list_refusals(analyst: User, users: dict[str, User], client_for: Login) -> None:
    assert_login_required(reverse("people:list"))
    assert_forbidden(client_for(analyst), reverse("people:list"))
    assert_forbidden(client_for(users["system_admin"]), reverse("people:list"))


# --- create --------------------------------------------------------------------------------------


def test_register_a_person_with_names_and_a_fuzzy_birth(
    caseworker: User, client_for: Login
) -> None:
    region = factories.region("Dagestan")
    data = {
        **name_rows(given="Aminat", family="Testova"),
        "names-1-full": "أم آدم",
        "names-1-kind": "kunya",
        "sex": "F",
        "birth_precision": "age",
        "birth_age_years": "30",
        "birth_age_as_of": "2019-04-01",
        "home_region": str(region.uuid),
        "birth_place": "Synthetic town",
    }
    response = client_for(caseworker).post(reverse("people:create"), data)
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.uuid])
    assert person.display_name == "Aminat Testova"
    assert sorted(person.names.values_list("script", flat=True)) == ["Arab", "Latn"]
    assert str(person.birth) == "~30 y on 2019-04-01"
    assert person.home_region == region
    assert AuditEvent.objects.filter(action="create", object_uuid=person.uuid).exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"birth_precision": "year", "birth_year": "2199"}, "in the future"),
        ({"birth_precision": "exact", "birth_year": "2015"}, "needs a year, a month and a day"),
        ({"names-0-given": ""}, "Please submit at least 1 form"),
    ],
    ids=["future", "incomplete", "no name"],
)
def test_register_refusals_are_shown_and_nothing_is_written(
    caseworker: User, client_for: Login, extra: dict[str, str], message: str
) -> None:
    data = {**name_rows(given="Aminat"), "sex": "F", "birth_precision": "unknown", **extra}
    response = client_for(caseworker).post(reverse("people:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_register_refusals(analyst: User, client_for: Login) -> None:
    url = reverse("people:create")
    assert_login_required(url)
    assert_forbidden(client_for(analyst), url)
    assert_forbidden(client_for(analyst), url, "post")
    assert not Person.objects.exists()


# --- detail ---------------------------------------------------------------------------------------


def test_detail_shows_the_file_and_audits_the_read(caseworker: User, client_for: Login) -> None:
    fam = mother_with_family(caseworker)
    mother = fam["mother"]
    response = client_for(caseworker).get(reverse("people:detail", args=[mother.uuid]))
    html = response.content.decode()
    assert response.status_code == 200
    for word in ("Mother", "Husband", "Sister", "Son", "Daughter", "Child"):
        assert f'<span class="kin-word">{word}</span>' in html
    assert '<svg class="family"' in html
    assert reverse("people:detail", args=[fam["son"].uuid]) in html
    assert f"?person={mother.uuid}" in html  # new family group with the relatives
    event = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).get()
    assert (event.actor, event.person_uuid) == (caseworker, mother.uuid)


def test_detail_refusals(
    caseworker: User, analyst: User, other_agency_user: User, client_for: Login
) -> None:
    url = reverse("people:detail", args=[factories.person(caseworker).uuid])
    assert_login_required(url)
    assert_forbidden(client_for(analyst), url)
    assert_not_found(client_for(other_agency_user), url)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_detail_says_restricted_for_a_birth_date_the_role_may_not_see(
    users: dict[str, User], caseworker: User, client_for: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A role that masks identifying fields gets the page, with "restricted" where the
    birth date was, and neither the date nor the name; one that may never see them gets
    nothing in their place."""
    person = factories.person(caseworker, "Aisha", "Testova", birth=dt.date(1983, 7, 9))
    url = reverse("people:detail", args=[person.uuid])
    consular = users[Role.CONSULAR_OFFICER]
    html = client_for(consular).get(url).content.decode()
    assert "1983-07-09" in html
    assert "Testova" in html
    for seen, html in pages_with_identifying_hidden(monkeypatch, client_for(consular), url):
        assert "1983-07-09" not in html
        assert "Testova" not in html
        names = html.split('<h2 id="h-names">Names</h2>', 1)[1].split("</section>", 1)[0]
        assert ("<p>restricted</p>" in names) is (seen is V.MASK)
        birth = html.split(">Birth</dt><dd>", 1)[1].split("</dd>", 1)[0]
        assert birth == ("restricted" if seen is V.MASK else "unknown")


# --- update ---------------------------------------------------------------------------------------


def test_update_saves_facts_and_refuses_a_future_birth(caseworker: User, client_for: Login) -> None:
    person = factories.person(caseworker, birth=dt.date(1990, 5, 1))
    url = reverse("people:update", args=[person.uuid])
    client = client_for(caseworker)
    form = client.get(url).context["form"]
    assert form.initial["birth_year"] == 1990
    response = client.post(
        url, {"sex": "F", "birth_precision": "year", "birth_year": "1991", "version": "1"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert str(person.birth) == "1991"
    response = client.post(
        url, {"sex": "F", "birth_precision": "year", "birth_year": "2190", "version": "2"}
    )
    assert "in the future" in str(response.context["form"].errors["birth_precision"])
    assert response.status_code == 200
    assert "in the future" in response.content.decode()
    person.refresh_from_db()
    assert person.birth_year == 1991


def test_update_refusals(
    caseworker: User, analyst: User, other_agency_user: User, client_for: Login
) -> None:
    person = factories.person(caseworker)
    url = reverse("people:update", args=[person.uuid])
    assert_login_required(url)
    assert_forbidden(client_for(analyst), url, "post")
    assert_not_found(client_for(other_agency_user), url)
    assert_not_found(client_for(other_agency_user), url, "post")
