from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.assertions import assert_forbidden, assert_login_required, assert_not_found
from tests.tracing import helpers
from wayhome.accounts.models import User
from wayhome.people.models import Person, Status
from wayhome.people.services import family_group_create
from wayhome.tracing import services
from wayhome.tracing.models import InformationReport, Whereabouts

Login = Callable[[User], Client]
D = dt.date


@pytest.fixture
def person(caseworker: User) -> Person:
    return factories.person(caseworker, given="Zaira", birth=D(1996, 2, 2))


def _entry_post(**overrides: object) -> dict[str, object]:
    return {
        "status": "in_camp",
        "start_date": "2019-04-01",
        "start_precision": "month",
        "location": "a tent in phase 4",
        **overrides,
    }


def test_timeline_full_page_and_htmx_fragment(
    caseworker: User, person: Person, client_for: Login
) -> None:
    helpers.entry(
        caseworker,
        person,
        "detained",
        D(2018, 1, 1),
        facility=factories.facility("Prison A", "prison", "IQ"),
    )
    url = reverse("tracing:person_timeline", args=[person.uuid])
    full = client_for(caseworker).get(url)
    assert full.status_code == 200
    assert "<html" in full.content.decode()
    assert "Prison A" in full.content.decode()
    fragment = client_for(caseworker).get(url, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in body
    assert 'id="whereabouts-timeline"' in body
    assert "Prison A" in body


def test_timeline_shows_sources_retractions_and_disagreements(
    caseworker: User, person: Person, client_for: Login
) -> None:
    prison = factories.facility("Prison A", "prison", "IQ")
    camp = factories.facility("Camp B", "camp", "SY")
    letter = helpers.report(caseworker, [person], channel="prison_letter", source="her letter")
    helpers.entry(
        caseworker,
        person,
        "detained",
        D(2018, 1, 1),
        end_date=D(2018, 12, 31),
        facility=prison,
        reports=[letter],
    )
    helpers.entry(caseworker, person, "in_camp", D(2018, 6, 1), facility=camp)
    wrong = helpers.entry(caseworker, person, "released", D(2019, 1, 1))
    services.whereabouts_retract(actor=caseworker, entry=wrong, reason="a rumour")
    response = client_for(caseworker).get(reverse("tracing:person_timeline", args=[person.uuid]))
    body = response.content.decode()
    assert body.count('class="conflict"') == 1
    assert "Letter from prison" in body
    assert "her letter" in body
    assert 'class="retracted"' in body
    assert "a rumour" in body
    statuses = [e.status for e in response.context["timeline"].entries]
    assert statuses == ["released", "in_camp", "detained"]  # newest first


def test_timeline_denials(
    caseworker: User, analyst: User, other_agency_user: User, person: Person, client_for: Login
) -> None:
    url = reverse("tracing:person_timeline", args=[person.uuid])
    assert_login_required(url)
    assert_forbidden(client_for(analyst), url)
    assert_not_found(client_for(other_agency_user), url)


def test_add_with_an_existing_report(caseworker: User, person: Person, client_for: Login) -> None:
    report = helpers.report(caseworker, [person], source="the sister")
    unrelated = helpers.report(caseworker, source="about someone else")
    url = reverse("tracing:whereabouts_add", args=[person.uuid])
    page = client_for(caseworker).get(url).content.decode()
    assert "the sister" in page
    assert "about someone else" not in page
    response = client_for(caseworker).post(url, _entry_post(reports=[str(report.uuid)]))
    assert response.status_code == 302
    assert response["Location"] == reverse("tracing:person_timeline", args=[person.uuid])
    row = Whereabouts.objects.get()
    assert list(row.reports.all()) == [report]
    assert unrelated not in row.reports.all()
    person.refresh_from_db()
    assert person.current_status == Status.IN_CAMP


def test_add_with_a_new_report_in_the_same_form(
    caseworker: User, person: Person, client_for: Login
) -> None:
    response = client_for(caseworker).post(
        reverse("tracing:whereabouts_add", args=[person.uuid]),
        _entry_post(
            **{
                "new-use": "on",
                "new-received_on": "2019-05-02",
                "new-channel": "video",
                "new-source": "a video",
                "new-reliability": "probable",
                "new-summary": "She is seen in the camp.",
            }
        ),
    )
    assert response.status_code == 302
    report = Whereabouts.objects.get().reports.get()
    assert (report.channel, list(report.persons.all())) == ("video", [person])


def test_add_refusals_show_the_message_and_write_nothing(
    caseworker: User, person: Person, client_for: Login
) -> None:
    report = helpers.report(caseworker, [person])
    url = reverse("tracing:whereabouts_add", args=[person.uuid])
    before_birth = client_for(caseworker).post(
        url, _entry_post(start_date="1990-01-01", reports=[str(report.uuid)])
    )
    assert "starts before the birth" in before_birth.content.decode()
    no_source = client_for(caseworker).post(url, _entry_post())
    assert "at least one report" in no_source.content.decode()
    half_report = client_for(caseworker).post(url, _entry_post(**{"new-use": "on"}))
    assert half_report.status_code == 200
    assert not Whereabouts.objects.exists()
    assert InformationReport.objects.count() == 1


def test_add_denials(
    caseworker: User,
    users: dict[str, User],
    analyst: User,
    other_agency_user: User,
    person: Person,
    client_for: Login,
) -> None:
    url = reverse("tracing:whereabouts_add", args=[person.uuid])
    assert_login_required(url)
    assert_forbidden(client_for(analyst), url)
    assert_not_found(client_for(other_agency_user), url)
    assert_not_found(client_for(other_agency_user), url, "post")
    # Consular officers record whereabouts they learn of in facilities.
    assert client_for(users["consular_officer"]).get(url).status_code == 200


def test_retract_from_the_timeline(caseworker: User, person: Person, client_for: Login) -> None:
    row = helpers.entry(caseworker, person)
    url = reverse("tracing:whereabouts_retract", args=[row.uuid])
    assert client_for(caseworker).get(url).status_code == 200
    empty = client_for(caseworker).post(url, {"reason": ""})
    assert empty.status_code == 200
    response = client_for(caseworker).post(url, {"reason": "the wrong woman"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.is_retracted
    assert row.retraction_reason == "the wrong woman"


def test_retract_denials(
    caseworker: User, analyst: User, other_agency_user: User, person: Person, client_for: Login
) -> None:
    row = helpers.entry(caseworker, person)
    url = reverse("tracing:whereabouts_retract", args=[row.uuid])
    assert_login_required(url)
    assert_forbidden(client_for(analyst), url, "post")
    assert_not_found(client_for(other_agency_user), url, "post")
    row.refresh_from_db()
    assert not row.is_retracted


def test_group_add_for_every_member(caseworker: User, client_for: Login) -> None:
    mother = factories.person(caseworker, given="Madina", birth=D(1990, 1, 1))
    child = factories.person(caseworker, given="Amina", birth=D(2016, 6, 1))
    group = family_group_create(actor=caseworker, label="Madina and Amina", members=[mother, child])
    report = helpers.report(caseworker, [mother])
    url = reverse("tracing:group_whereabouts_add", args=[group.uuid])
    page = client_for(caseworker).get(url)
    assert page.status_code == 200
    assert "Amina Testova" in page.content.decode()
    refused = client_for(caseworker).post(
        url, _entry_post(start_date="2015-01-01", reports=[str(report.uuid)])
    )
    assert "Amina Testova: this entry starts before the birth" in refused.content.decode()
    assert not Whereabouts.objects.exists()
    response = client_for(caseworker).post(url, _entry_post(reports=[str(report.uuid)]))
    assert response.status_code == 302
    assert {w.person for w in Whereabouts.objects.all()} == {mother, child}


def test_group_add_denials(
    caseworker: User, analyst: User, other_agency_user: User, client_for: Login
) -> None:
    group = family_group_create(actor=caseworker, label="A family")
    url = reverse("tracing:group_whereabouts_add", args=[group.uuid])
    assert_login_required(url)
    assert_forbidden(client_for(analyst), url)
    assert_not_found(client_for(other_agency_user), url)
