from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.assertions import assert_forbidden, assert_login_required
from wayhome.accounts.models import User
from wayhome.people.models import Status


def test_dashboard_counts_only_own_agency(
    caseworker: User, other_agency_user: User, client_for: Callable[[User], Client]
) -> None:
    mine = factories.person(caseworker, home_region=factories.region("Dagestan"))
    mine.current_status = Status.DETAINED
    mine.save()
    factories.person(other_agency_user, given="Other")
    response = client_for(caseworker).get(reverse("web:dashboard"))
    assert response.status_code == 200
    d = response.context["d"]
    assert d.total == 1
    assert d.by_status == {Status.DETAINED: 1}
    assert [(r.label, r.total) for r in d.by_region] == [("Dagestan", 1)]
    assert "Aminat" not in response.content.decode()  # aggregates only


def test_analyst_sees_figures_but_no_names(
    analyst: User, caseworker: User, client_for: Callable[[User], Client]
) -> None:
    factories.person(caseworker, given="Zulfiya")
    response = client_for(analyst).get(reverse("web:dashboard"))
    assert response.status_code == 200
    assert response.context["d"].total == "<5"  # one person: too few to show to an analyst
    assert "Zulfiya" not in response.content.decode()
    assert_forbidden(client_for(analyst), reverse("people:list"))


def test_dashboard_refuses_anonymous_and_roles_without_statistics(
    users: dict[str, User], client_for: Callable[[User], Client]
) -> None:
    assert_login_required(reverse("web:dashboard"))
    assert_forbidden(client_for(users["system_admin"]), reverse("web:dashboard"))


def test_pages_with_personal_data_are_not_cached(
    caseworker: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(caseworker).get(reverse("web:dashboard"))
    assert "no-store" in response["Cache-Control"]


def test_health_answers_without_login(db: None) -> None:
    response = Client().get(reverse("web:health"))
    assert response.json() == {"status": "ok"}


def test_figures_link_to_the_matching_persons_for_readers_only(
    caseworker: User, analyst: User, client_for: Callable[[User], Client]
) -> None:
    region = factories.region("Ingushetia")
    person = factories.person(caseworker, home_region=region)
    person.current_status = Status.IN_CAMP
    person.save()
    page = client_for(caseworker).get(reverse("web:dashboard")).content.decode()
    assert f'href="{reverse("people:list")}?region={region.uuid}"' in page
    assert f'href="{reverse("people:list")}?status=in_camp"' in page
    listed = client_for(caseworker).get(reverse("people:list"), {"region": str(region.uuid)})
    assert listed.status_code == 200
    assert person.display_name in listed.content.decode()
    analyst_page = client_for(analyst).get(reverse("web:dashboard")).content.decode()
    assert "?region=" not in analyst_page


def test_small_counts_are_suppressed_for_aggregate_roles_only(
    caseworker: User, analyst: User, client_for: Callable[[User], Client]
) -> None:
    region = factories.region("Tatarstan")
    for i in range(6):
        p = factories.person(caseworker, given=f"Synthetic{i}", home_region=region)
        p.current_status = Status.IN_CAMP if i < 5 else Status.DETAINED
        p.save()
    seen_by_analyst = client_for(analyst).get(reverse("web:dashboard")).context["d"]
    assert seen_by_analyst.by_status == {Status.IN_CAMP: 5, Status.DETAINED: "<5"}
    row = seen_by_analyst.by_region[0]
    assert (row.total, row.by_status[1], row.by_status[2]) == (6, "<5", 5)
    page = client_for(analyst).get(reverse("web:dashboard")).content.decode()
    assert "&lt;5" in page
    seen_by_caseworker = client_for(caseworker).get(reverse("web:dashboard")).context["d"]
    assert seen_by_caseworker.by_status == {Status.IN_CAMP: 5, Status.DETAINED: 1}


def test_health_says_503_when_the_database_cannot_be_reached(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError, connection

    def refuse() -> None:
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:  # undone before the test database is torn down
        patched.setattr(connection, "cursor", refuse)
        response = Client().get(reverse("web:health"))
    assert response.status_code == 503
    assert response.json() == {"status": "database unavailable"}
