from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.assertions import assert_forbidden, assert_login_required, assert_not_found
from tests.tracing import helpers
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.tracing.models import InformationReport

Login = Callable[[User], Client]


def _post_data(**overrides: object) -> dict[str, object]:
    return {
        "received_on": "2019-04-01",
        "channel": "unknown_number",
        "source": "a text from an unknown number",
        "reliability": "possible",
        "summary": "She says they are in a camp.",
        **overrides,
    }


def test_list_shows_own_reports_only(
    caseworker: User, other_agency_user: User, client_for: Login
) -> None:
    helpers.report(caseworker, source="mine: the grandmother")
    helpers.report(other_agency_user, source="theirs: a ministry list")
    response = client_for(caseworker).get(reverse("tracing:report_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "mine: the grandmother" in body
    assert "theirs" not in body
    filtered = client_for(caseworker).get(reverse("tracing:report_list"), {"channel": "video"})
    assert "mine: the grandmother" not in filtered.content.decode()


def test_report_pages_refuse_anonymous_and_roles_without_persons(
    analyst: User, caseworker: User, client_for: Login
) -> None:
    report = helpers.report(caseworker)
    urls = [
        reverse("tracing:report_list"),
        reverse("tracing:report_create"),
        reverse("tracing:report_detail", args=[report.uuid]),
        reverse("tracing:report_edit", args=[report.uuid]),
        reverse("tracing:person_picker"),
    ]
    for url in urls:
        assert_login_required(url)
        assert_forbidden(client_for(analyst), url)


def test_another_agencys_report_is_not_found(
    caseworker: User, other_agency_user: User, client_for: Login
) -> None:
    report = helpers.report(caseworker)
    client = client_for(other_agency_user)
    assert_not_found(client, reverse("tracing:report_detail", args=[report.uuid]))
    assert_not_found(client, reverse("tracing:report_edit", args=[report.uuid]))
    assert_not_found(client, reverse("tracing:report_edit", args=[report.uuid]), "post")


def test_create_with_persons_redirects_to_the_report(caseworker: User, client_for: Login) -> None:
    person = factories.person(caseworker, given="Patimat")
    response = client_for(caseworker).post(
        reverse("tracing:report_create"), _post_data(persons=[str(person.uuid)])
    )
    report = InformationReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tracing:report_detail", args=[report.uuid])
    assert list(report.persons.all()) == [person]
    assert AuditEvent.objects.filter(object_uuid=report.uuid, action="create").exists()


def test_create_refuses_a_future_date_and_writes_nothing(
    caseworker: User, client_for: Login
) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client_for(caseworker).post(
        reverse("tracing:report_create"), _post_data(received_on=tomorrow)
    )
    assert response.status_code == 200
    assert "in the future" in response.content.decode()
    assert not InformationReport.objects.exists()


def test_create_refuses_another_agencys_person(
    caseworker: User, other_agency_user: User, client_for: Login
) -> None:
    foreign = factories.person(other_agency_user)
    response = client_for(caseworker).post(
        reverse("tracing:report_create"), _post_data(persons=[str(foreign.uuid)])
    )
    assert response.status_code == 200
    assert not InformationReport.objects.exists()


def test_create_form_prefills_a_person_and_shows_the_picker(
    caseworker: User, client_for: Login
) -> None:
    person = factories.person(caseworker, given="Patimat")
    response = client_for(caseworker).get(
        reverse("tracing:report_create"), {"person": str(person.uuid)}
    )
    body = response.content.decode()
    assert f'value="{person.uuid}" checked' in body
    assert reverse("tracing:person_picker") in body


def test_detail_lists_the_entries_citing_it(caseworker: User, client_for: Login) -> None:
    person = factories.person(caseworker, given="Patimat")
    report = helpers.report(caseworker, [person])
    helpers.entry(caseworker, person, "detained", reports=[report])
    response = client_for(caseworker).get(reverse("tracing:report_detail", args=[report.uuid]))
    assert response.status_code == 200
    assert [e.person for e in response.context["entries"]] == [person]
    assert "Detained" in response.content.decode()


def test_edit_updates_and_audits(caseworker: User, client_for: Login) -> None:
    report = helpers.report(caseworker)
    url = reverse("tracing:report_edit", args=[report.uuid])
    assert client_for(caseworker).get(url).status_code == 200
    response = client_for(caseworker).post(url, _post_data(summary="Corrected summary."))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.summary == "Corrected summary."
    assert AuditEvent.objects.filter(object_uuid=report.uuid, action="update").exists()


def test_person_picker_finds_own_agency_only(
    caseworker: User, other_agency_user: User, client_for: Login
) -> None:
    factories.person(caseworker, given="Khadizhat")
    factories.person(other_agency_user, given="Khadizhat", family="Foreign")
    response = client_for(caseworker).get(
        reverse("tracing:person_picker"),
        {"field": "sought", "sought_q": "khadiz", "relation": "1", "target": "id_sought-picked"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Khadizhat Testova" in body
    assert "Foreign" not in body
    assert 'hx-target="#id_sought-picked"' in body
    odd_target = client_for(caseworker).get(
        reverse("tracing:person_picker"), {"q": "khadiz", "target": "x' onclick='y"}
    )
    assert 'hx-target="#id_persons-picked"' in odd_target.content.decode()


def test_person_picker_returns_a_picked_person_as_a_ticked_box(
    caseworker: User, other_agency_user: User, client_for: Login
) -> None:
    mine = factories.person(caseworker, given="Khadizhat")
    foreign = factories.person(other_agency_user, given="Foreign")
    url = reverse("tracing:person_picker")
    response = client_for(caseworker).get(
        url, {"field": "sought", "pick": str(mine.uuid), "relation": "1"}
    )
    body = response.content.decode()
    assert f'name="sought" value="{mine.uuid}" checked' in body
    assert f'name="relation-{mine.uuid}"' in body
    assert_not_found(client_for(caseworker), f"{url}?pick={foreign.uuid}")
