"""The API follows the pages' rules: scoped reads, audited person reads, the same
services for writes, lost-update protection, filters and cursor pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.api.helpers import api, record_uuids, token_for
from tests.tracing import helpers as tracing_helpers
from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.people.models import Person
from wayhome.tracing.models import TracingRequest

JSON = "application/json"


@pytest.fixture
def client_a(agency_a: Agency) -> Client:
    return api(token_for(agency_a, Role.SUPERVISOR))


def _json(response: Any) -> Any:
    return response.json()


def test_reading_a_person_is_audited_and_carries_an_etag(
    caseworker: User, client_a: Client
) -> None:
    person = factories.person(caseworker)
    response = client_a.get(f"/api/v1/persons/{person.uuid}/")
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert "no-store" in response["Cache-Control"]
    assert _json(response)["display_name"] == "Aminat Testova"
    read = AuditEvent.objects.get(action="view", person_uuid=person.uuid)
    assert read.actor is not None
    assert read.actor.username.startswith("api-")
    names = client_a.get(f"/api/v1/persons/{person.uuid}/names/")
    assert [n["given"] for n in _json(names)] == ["Aminat"]
    assert AuditEvent.objects.filter(action="view", person_uuid=person.uuid).count() == 2


def test_another_agencys_records_are_404_and_never_listed(
    caseworker: User, other_agency_user: User, agency_b: Agency
) -> None:
    ours = record_uuids(caseworker)
    theirs = api(token_for(agency_b, Role.SUPERVISOR))
    routes = {
        "person": "persons",
        "name": "names",
        "relationship": "relationships",
        "report": "reports",
        "whereabouts": "whereabouts",
        "tracing-request": "tracing-requests",
    }
    for kind, route in routes.items():
        assert theirs.get(f"/api/v1/{route}/{ours[kind]}/").status_code == 404, kind
        if kind != "name":  # names are listed per person only
            assert _json(theirs.get(f"/api/v1/{route}/"))["results"] == [], kind
    # Naming our person in their write is "does not exist", and writes nothing.
    response = theirs.post(
        "/api/v1/relationships/",
        {
            "from_person": str(ours["person"]),
            "to_person": str(factories.person(other_agency_user).uuid),
            "kind": "parent",
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "from_person" in _json(response)


def test_updates_need_a_current_etag(caseworker: User, client_a: Client) -> None:
    person = factories.person(caseworker)
    url = f"/api/v1/persons/{person.uuid}/"
    missing = client_a.patch(url, {"birth_place": "Grozny"}, content_type=JSON)
    assert missing.status_code == 428
    done = client_a.patch(url, {"birth_place": "Grozny"}, content_type=JSON, HTTP_IF_MATCH='"1"')
    assert done.status_code == 200
    assert done["ETag"] == '"2"'
    assert _json(done)["birth_place"] == "Grozny"
    stale = client_a.patch(url, {"birth_place": "Kazan"}, content_type=JSON, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    person.refresh_from_db()
    assert (person.birth_place, person.version) == ("Grozny", 2)


def test_two_clients_editing_one_person_never_overwrite_each_other(
    agency_a: Agency, caseworker: User
) -> None:
    person = factories.person(caseworker)
    url = f"/api/v1/persons/{person.uuid}/"
    first, second = api(token_for(agency_a)), api(token_for(agency_a))
    tag_first, tag_second = first.get(url)["ETag"], second.get(url)["ETag"]
    assert (
        first.patch(url, {"notes": "A"}, content_type=JSON, HTTP_IF_MATCH=tag_first).status_code
        == 200
    )
    refused = second.patch(url, {"notes": "B"}, content_type=JSON, HTTP_IF_MATCH=tag_second)
    assert refused.status_code == 412
    assert Person.objects.get(pk=person.pk).notes == "A"


def test_a_page_edit_makes_the_api_etag_stale(
    caseworker: User, client_a: Client, client_for: Any
) -> None:
    person = factories.person(caseworker)
    url = f"/api/v1/persons/{person.uuid}/"
    tag = client_a.get(url)["ETag"]
    page = client_for(caseworker).post(
        f"/persons/{person.uuid}/edit/",
        {"sex": "F", "birth_precision": "unknown", "birth_place": "Roj", "version": "1"},
    )
    assert page.status_code == 302
    assert (
        client_a.patch(url, {"notes": "x"}, content_type=JSON, HTTP_IF_MATCH=tag).status_code == 412
    )


def test_a_person_is_created_through_the_service_with_validation(client_a: Client) -> None:
    bad = client_a.post(
        "/api/v1/persons/",
        {"names": [{"given": "Laila"}], "birth_precision": "year", "birth_year": 2190},
        content_type=JSON,
    )
    assert bad.status_code == 400
    assert "future" in str(_json(bad))
    assert not Person.objects.exists()
    nameless = client_a.post("/api/v1/persons/", {"sex": "F"}, content_type=JSON)
    assert nameless.status_code == 400
    good = client_a.post(
        "/api/v1/persons/",
        {
            "names": [{"given": "Laila", "family": "Synthetic"}, {"full": "Умм Али"}],
            "sex": "F",
            "birth_precision": "age",
            "birth_age_years": 4,
            "birth_age_as_of": "2019-05-01",
        },
        content_type=JSON,
    )
    assert good.status_code == 201
    body = _json(good)
    assert body["display_name"] == "Laila Synthetic"
    assert {n["script"] for n in body["names"]} == {"Latn", "Cyrl"}
    assert body["birth_earliest"] <= "2015-05-02"
    assert AuditEvent.objects.filter(action="create", object_type="people.Person").count() == 1


def test_list_filters_and_cursor_pages(caseworker: User, client_a: Client) -> None:
    camp = factories.facility("Camp One")
    mother = factories.person(caseworker, given="Madina", family="Synthetic")
    tracing_helpers.entry(caseworker, mother, status="in_camp", facility=camp)
    for i in range(3):
        factories.person(caseworker, given=f"Other{i}", family="Synthetic")
    by_name = _json(client_a.get("/api/v1/persons/", {"q": "madina"}))["results"]
    assert [p["uuid"] for p in by_name] == [str(mother.uuid)]
    in_camp = _json(client_a.get("/api/v1/persons/", {"status": "in_camp"}))["results"]
    assert [p["uuid"] for p in in_camp] == [str(mother.uuid)]
    at_camp = _json(client_a.get("/api/v1/persons/", {"facility": str(camp.uuid)}))["results"]
    assert [p["uuid"] for p in at_camp] == [str(mother.uuid)]
    assert client_a.get("/api/v1/persons/", {"status": "nonsense"}).status_code == 400
    assert client_a.get("/api/v1/persons/", {"facility": "x"}).status_code == 400
    assert client_a.get("/api/v1/persons/", {"cursor": "bogus"}).status_code == 400

    seen: list[str] = []
    page = _json(client_a.get("/api/v1/persons/", {"page_size": 2}))
    while True:
        seen += [p["uuid"] for p in page["results"]]
        if not page["next"]:
            break
        page = _json(client_a.get(page["next"]))
    assert len(seen) == len(set(seen)) == 4


def test_whereabouts_cite_reports_and_are_retracted_not_edited(
    caseworker: User, client_a: Client
) -> None:
    person = factories.person(caseworker)
    report = _json(
        client_a.post(
            "/api/v1/reports/",
            {
                "received_on": "2019-03-10",
                "channel": "relative_call",
                "source": "the mother (synthetic)",
                "summary": "Seen in a camp.",
                "persons": [str(person.uuid)],
            },
            content_type=JSON,
        )
    )
    uncited = client_a.post(
        "/api/v1/whereabouts/",
        {
            "person": str(person.uuid),
            "status": "in_camp",
            "start_date": "2019-03-01",
            "reports": [],
        },
        content_type=JSON,
    )
    assert uncited.status_code == 400
    entry = client_a.post(
        "/api/v1/whereabouts/",
        {
            "person": str(person.uuid),
            "status": "in_camp",
            "start_date": "2019-03-01",
            "reports": [report["uuid"]],
        },
        content_type=JSON,
    )
    assert entry.status_code == 201
    person.refresh_from_db()
    assert person.current_status == "in_camp"
    retracted = client_a.post(
        f"/api/v1/whereabouts/{_json(entry)['uuid']}/retract/",
        {"reason": "Wrong person on the list"},
        content_type=JSON,
    )
    assert retracted.status_code == 200
    assert _json(retracted)["retracted_at"]
    person.refresh_from_db()
    assert person.current_status == "unknown"


def test_tracing_requests_go_through_the_service_and_its_versions(
    caseworker: User, client_a: Client
) -> None:
    son = factories.person(caseworker, given="Umar", family="Synthetic", sex="M")
    created = client_a.post(
        "/api/v1/tracing-requests/",
        {
            "received_on": "2019-02-03",
            "new_inquirer": {"name": "Zarema Synthetic", "phone": "+7 900 000 00 00"},
            "sought_links": [{"person": str(son.uuid), "relation": "son"}],
            "new_sought": [{"given": "Maryam", "family": "Synthetic", "sex": "F"}],
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    body = _json(created)
    assert body["reference"].startswith("AAA-")
    assert body["inquirer"]["phone"] == "+7 900 000 00 00"
    assert len(body["sought"]) == 2
    url = f"/api/v1/tracing-requests/{body['uuid']}/"
    listed = _json(client_a.get("/api/v1/tracing-requests/"))["results"][0]
    assert "phone" not in str(listed)  # a list row never carries contact details
    moved = client_a.post(
        url + "transition/", {"to": "located"}, content_type=JSON, HTTP_IF_MATCH=created["ETag"]
    )
    assert moved.status_code == 200
    assert _json(moved)["status"] == "located"
    stale = client_a.patch(
        url, {"last_known": "x"}, content_type=JSON, HTTP_IF_MATCH=created["ETag"]
    )
    assert stale.status_code == 412
    fresh = client_a.patch(url, {"last_known": "x"}, content_type=JSON, HTTP_IF_MATCH=moved["ETag"])
    assert fresh.status_code == 200
    assert len(_json(fresh)["sought"]) == 2  # a partial update keeps who is sought
    assert TracingRequest.objects.get().version == 3
    assert (
        AuditEvent.objects.filter(action="view", object_type="tracing.TracingRequest").count() == 0
    )
    client_a.get(url)
    assert (
        AuditEvent.objects.filter(action="view", object_type="tracing.TracingRequest").count() == 1
    )


def test_names_and_relationships(caseworker: User, client_a: Client) -> None:
    mother = factories.person(caseworker, given="Madina", family="Synthetic")
    child = factories.person(
        caseworker, given="Yusuf", family="Synthetic", birth=dt.date(2015, 1, 1)
    )
    added = client_a.post(
        f"/api/v1/persons/{mother.uuid}/names/",
        {"full": "Умм Юсуф", "kind": "kunya"},
        content_type=JSON,
    )
    assert added.status_code == 201
    name_url = f"/api/v1/names/{_json(added)['uuid']}/"
    changed = client_a.patch(
        name_url, {"full": "Умм Юсуфа"}, content_type=JSON, HTTP_IF_MATCH=added["ETag"]
    )
    assert changed.status_code == 200
    assert _json(changed)["kind"] == "kunya"
    assert client_a.delete(name_url, HTTP_IF_MATCH=added["ETag"]).status_code == 412
    assert client_a.delete(name_url, HTTP_IF_MATCH=changed["ETag"]).status_code == 204
    link = client_a.post(
        "/api/v1/relationships/",
        {"from_person": str(mother.uuid), "to_person": str(child.uuid), "kind": "parent"},
        content_type=JSON,
    )
    assert link.status_code == 201
    again = client_a.post(
        "/api/v1/relationships/",
        {"from_person": str(mother.uuid), "to_person": str(child.uuid), "kind": "parent"},
        content_type=JSON,
    )
    assert again.status_code == 400
    of_child = _json(client_a.get("/api/v1/relationships/", {"person": str(child.uuid)}))
    assert [r["uuid"] for r in of_child["results"]] == [_json(link)["uuid"]]
    assert client_a.delete(f"/api/v1/relationships/{_json(link)['uuid']}/").status_code == 204


def _viewset(if_match: str | None) -> Any:
    """A bare ``ScopedViewSet`` holding a PATCH request with the given If-Match."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from wayhome.api.views import ScopedViewSet

    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    view = ScopedViewSet()
    view.request = Request(APIRequestFactory().patch("/", **headers))
    return view


def test_if_match_refuses_before_the_block_runs(caseworker: User) -> None:
    """Every update's one If-Match path: 428 without the header, 412 when stale, and the
    write in the block never starts."""
    from wayhome.api.errors import PreconditionFailed, PreconditionRequired

    person = factories.person(caseworker)
    ran: list[str] = []
    for header, refusal in ((None, PreconditionRequired), ("  ", PreconditionRequired)):
        with pytest.raises(refusal), _viewset(header).if_match(person):
            ran.append("missing")
    with pytest.raises(PreconditionFailed), _viewset('"2", "3"').if_match(person):
        ran.append("stale")
    assert ran == []


def test_if_match_gives_the_block_the_fresh_row_in_one_transaction(caseworker: User) -> None:
    from django.db import connection

    person = factories.person(caseworker)
    held = Person.objects.get(pk=person.pk)
    Person.objects.filter(pk=person.pk).update(notes="changed by a colleague", version=2)
    with _viewset('W/"2"').if_match(held) as fresh:
        assert connection.in_atomic_block
        assert fresh is not held
        assert (fresh.pk, fresh.version, fresh.notes) == (person.pk, 2, "changed by a colleague")

    # A failure inside the block undoes what the block wrote.
    def half_written() -> None:
        with _viewset("*").if_match(held) as fresh:
            Person.objects.filter(pk=fresh.pk).update(notes="half-written")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        half_written()
    assert Person.objects.get(pk=person.pk).notes == "changed by a colleague"


def test_a_page_of_tracing_requests_reads_the_same_queries_for_one_row_as_for_three(
    caseworker: User, client_a: Client
) -> None:
    """Who is sought comes with the page (prefetched), not with a query in every row, and
    in the order they were added."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def post(names: list[str]) -> None:
        sought = [{"given": n, "family": "Synthetic", "sex": "F"} for n in names]
        made = client_a.post(
            "/api/v1/tracing-requests/",
            {
                "received_on": "2019-02-03",
                "new_inquirer": {"name": "Zarema Synthetic"},
                "new_sought": sought,
            },
            content_type=JSON,
        )
        assert made.status_code == 201, made.content

    def listed() -> tuple[int, list[Any]]:
        with CaptureQueriesContext(connection) as queries:
            rows = _json(client_a.get("/api/v1/tracing-requests/"))["results"]
        return len(queries), rows

    post(["Maryam", "Aisha"])
    one, rows = listed()
    assert [len(r["sought"]) for r in rows] == [2]
    post(["Zaynab"])
    post(["Hafsa", "Safiya", "Ruqayya"])
    three, rows = listed()
    assert sorted(len(r["sought"]) for r in rows) == [1, 2, 3]
    assert three == one
    first = Person.objects.filter(names__given="Hafsa").values_list("uuid", flat=True).get()
    assert next(r for r in rows if len(r["sought"]) == 3)["sought"][0]["person"] == str(first)


@pytest.mark.parametrize("url", ["/api/v1/tracing-requests/", "/api/v1/persons/"])
def test_a_query_parameter_holding_nul_is_a_400_naming_it(client_a: Client, url: str) -> None:
    """PostgreSQL cannot compare text holding NUL: the tracing requests' search answered
    500 there (schemathesis found it); every parameter is now refused at the door."""
    refused = client_a.get(url, {"q": "Aish\x00a", "status": ""})
    assert refused.status_code == 400
    assert set(_json(refused)) == {"q"}
    assert client_a.get(url, {"q": "Aisha"}).status_code == 200


def test_nul_in_the_query_is_judged_after_who_is_asking(agency_a: Agency) -> None:
    url = "/api/v1/tracing-requests/?q=a%00"
    assert api(None).get(url).status_code == 401
    assert api(token_for(agency_a, Role.ANALYST)).get(url).status_code == 403
