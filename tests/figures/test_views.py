"""The figures pages: who may see them, what they show (never a name), what they audit."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.figures.helpers import D, child, entry, woman
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.figures import services
from wayhome.figures.models import Estimate
from wayhome.people.models import Person, Status
from wayhome.tracing import services as tracing

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
QUERY = "?start=2020-01&end=2020-06"


@pytest.fixture
def people(caseworker: User) -> list[Person]:
    from tests import factories

    camp = factories.facility("Camp One", "camp", "SY")
    prison = factories.facility("Prison One", "prison", "IQ")
    out = []
    for i in range(6):
        p = woman(caseworker, f"Zyxwvuta{i}", home_region=factories.region("Dagestan"))
        entry(caseworker, p, Status.IN_CAMP, D(2020, 1, 10), facility=camp)
        out.append(p)
    c = child(caseworker, "Qwertyuio")
    entry(caseworker, c, Status.DETAINED, D(2020, 2, 10), facility=prison)
    out.append(c)
    return out


def _no_names(body: str, people: list[Person]) -> None:
    for p in people:
        assert p.display_name not in body
        assert "Zyxwvuta" not in body
        assert "Qwertyuio" not in body


def test_dashboard_draws_charts_and_tables(
    users: dict[str, User], client_for: Login, people: list[Person]
) -> None:
    response = client_for(users[Role.CASEWORKER]).get(reverse("figures:dashboard") + QUERY)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<svg class="chart"') >= 4  # monthly + region, country, facility
    assert "Camp One" in body
    assert "Prison One" in body
    assert "Dagestan" in body
    assert "<polyline" in body
    _no_names(body, people)


def test_analyst_sees_small_counts_suppressed(
    analyst: User, client_for: Login, people: list[Person]
) -> None:
    body = client_for(analyst).get(reverse("figures:dashboard") + QUERY).content.decode()
    assert "&lt;5" in body
    assert "counts from 1 to 4 are shown as &lt;5" in body
    _no_names(body, people)


def test_roles_without_statistics_are_refused(users: dict[str, User], client_for: Login) -> None:
    response = client_for(users[Role.SYSTEM_ADMIN]).get(reverse("figures:dashboard"))
    assert response.status_code == 403


def test_filters_narrow_the_figures(
    caseworker: User, client_for: Login, people: list[Person]
) -> None:
    url = reverse("figures:export", args=["monthly", "csv"]) + QUERY + "&age_band=child"
    rows = list(
        csv.reader(io.StringIO(client_for(caseworker).get(url).content.decode("utf-8-sig")))
    )
    header = rows[0]
    detained = header.index("Detained")
    in_camp = header.index("In camp")
    assert [r[detained] for r in rows[1:7]] == ["0", "1", "1", "1", "1", "1"]
    assert [r[in_camp] for r in rows[1:7]] == ["0"] * 6


def test_a_bad_filter_falls_back_to_defaults(caseworker: User, client_for: Login) -> None:
    response = client_for(caseworker).get(
        reverse("figures:dashboard") + "?start=2020-07&end=2020-01"
    )
    assert response.status_code == 200
    assert "The first month is after the last." in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_table_exports_and_is_audited(
    analyst: User, client_for: Login, people: list[Person], fmt: str
) -> None:
    client = client_for(analyst)
    for table in ("monthly", "region", "country", "facility"):
        response = client.get(reverse("figures:export", args=[table, fmt]) + QUERY)
        assert response.status_code == 200
        assert response["Cache-Control"].startswith("no-store")
        assert "attachment" in response["Content-Disposition"]
        if fmt == "csv":
            text = response.content.decode("utf-8-sig")
        else:
            book = load_workbook(io.BytesIO(response.content))
            text = "\n".join(
                ",".join(str(v) for v in row if v is not None)
                for row in book.worksheets[0].iter_rows(values_only=True)
            )
        _no_names(text, people)
        if table == "facility":
            assert "Prison One" in text
            assert "<5" in text
    events = AuditEvent.objects.filter(action="export", actor=analyst)
    assert events.count() == 4
    assert {e.changes["figures"] for e in events} == {"monthly", "region", "country", "facility"}
    assert all(e.changes["format"] == fmt for e in events)


def test_an_unknown_table_or_format_is_404(caseworker: User, client_for: Login) -> None:
    client = client_for(caseworker)
    assert client.get(reverse("figures:export", args=["nothing", "csv"])).status_code == 404
    assert client.get(reverse("figures:export", args=["monthly", "exe"])).status_code == 404


def test_public_report_is_for_publishers_only(users: dict[str, User], client_for: Login) -> None:
    assert client_for(users[Role.CASEWORKER]).get(reverse("figures:public")).status_code == 403
    pdf = reverse("figures:public_file", args=["pdf"])
    assert client_for(users[Role.CONSULAR_OFFICER]).get(pdf).status_code == 403


def test_public_report_suppresses_and_states_definitions(
    analyst: User, client_for: Login, people: list[Person]
) -> None:
    client = client_for(analyst)
    body = client.get(reverse("figures:public") + "?as_of=2020-06-30").content.decode()
    assert "Definitions" in body
    assert "Suppressed counts" in body
    assert "&lt;5" in body
    _no_names(body, people)
    assert AuditEvent.objects.filter(action="view", actor=analyst).exists()
    response = client.get(reverse("figures:public_file", args=["csv"]) + "?as_of=2020-06-30")
    text = response.content.decode("utf-8-sig")
    assert "<5" in text
    assert "Definitions" in text
    # One child detained in Iraq: never published as 1, nor recoverable from totals.
    lines = [line for line in csv.reader(io.StringIO(text)) if line]
    assert not any(cell in ("1", "2", "3", "4") for line in lines for cell in line[1:])
    _no_names(text, people)
    assert AuditEvent.objects.filter(action="export", actor=analyst).count() == 1


def test_public_report_as_pdf(analyst: User, client_for: Login, people: list[Person]) -> None:
    response = client_for(analyst).get(reverse("figures:public_file", args=["pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_public_report_refuses_a_future_date(analyst: User, client_for: Login) -> None:
    body = client_for(analyst).get(reverse("figures:public") + "?as_of=2999-01-01").content
    assert b"The date is in the future." in body


# --- ledger ------------------------------------------------------------------------------


def _estimate(actor: User, **kwargs: object) -> Estimate:
    values: dict[str, object] = {
        "figure": 50,
        "what_it_counts": "synthetic women held in camps in Syria",
        "stated_by": "Synthetic Ministry",
        "as_of": D(2020, 3, 1),
        "as_of_precision": "month",
        "published_in": "Example News",
        "definition": "held",
        **kwargs,
    }
    return services.estimate_create(actor=actor, data=services.EstimateData(**values))  # type: ignore[arg-type]


def test_ledger_shows_the_registry_count_beside_each_figure(
    analyst: User, users: dict[str, User], client_for: Login, people: list[Person]
) -> None:
    _estimate(analyst)
    _estimate(analyst, definition="", what_it_counts="a figure not compared")
    response = client_for(users[Role.CASEWORKER]).get(reverse("figures:estimate_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "synthetic women held in camps in Syria" in body
    # Held on 31 March 2020: six women in the camp and the child in prison.
    assert '7 <span class="muted">(2020-03-31)' in body
    assert "not compared" in body
    assert "Edit" not in body.split("</thead>")[1]  # caseworkers read, do not edit
    _no_names(body, people)


def test_ledger_of_another_agency_is_not_shown(
    analyst: User, other_agency_user: User, client_for: Login
) -> None:
    _estimate(analyst)
    from tests import factories

    foreign = factories.user(other_agency_user.agency, Role.ANALYST)
    body = client_for(foreign).get(reverse("figures:estimate_list")).content.decode()
    assert "synthetic women held" not in body
    e = Estimate.objects.get()
    assert (
        client_for(foreign).get(reverse("figures:estimate_edit", args=[e.uuid])).status_code == 404
    )


def test_create_and_edit_through_the_forms(analyst: User, client_for: Login) -> None:
    client = client_for(analyst)
    form = {
        "figure": "3417",
        "unit": "persons",
        "what_it_counts": "synthetic citizens abroad",
        "stated_by": "Synthetic Ministry",
        "as_of": "2016-04",
        "published_in": "Example Times",
        "published_on": "2018-05-30",
        "definition": "held",
    }
    response = client.post(reverse("figures:estimate_create"), form)
    assert response.status_code == 302
    e = Estimate.objects.get()
    assert (e.as_of_shown, e.published_shown, e.definition) == ("2016-04", "2018-05-30", "held")
    page = client.get(reverse("figures:estimate_edit", args=[e.uuid])).content.decode()
    assert 'value="2016-04"' in page
    response = client.post(
        reverse("figures:estimate_edit", args=[e.uuid]), {**form, "as_of": "spring"}
    )
    assert response.status_code == 200
    assert "Enter a year, a month" in response.content.decode()
    response = client.post(
        reverse("figures:estimate_edit", args=[e.uuid]), {**form, "as_of": "2016"}
    )
    e.refresh_from_db()
    assert e.as_of_shown == "2016"
    response = client.post(reverse("figures:estimate_delete", args=[e.uuid]), {"reason": ""})
    assert Estimate.objects.exists()
    client.post(reverse("figures:estimate_delete", args=[e.uuid]), {"reason": "duplicate"})
    assert not Estimate.objects.exists()


def test_ledger_editing_is_refused_without_the_capability(
    users: dict[str, User], client_for: Login
) -> None:
    client = client_for(users[Role.CASEWORKER])
    assert client.get(reverse("figures:estimate_create")).status_code == 403
    assert client.post(reverse("figures:estimate_create"), {}).status_code == 403


def test_reopened_tracing_does_not_break_the_dashboard(
    caseworker: User, client_for: Login, people: list[Person]
) -> None:
    request = tracing.request_create(
        actor=caseworker,
        data=tracing.RequestData(received_on=D(2020, 1, 5)),
        new_inquirer=tracing.InquirerData(name="Synthetic Inquirer"),
        sought=[tracing.SoughtLink(person=people[0])],
    )
    tracing.request_transition(actor=caseworker, request=request, to="located", on=D(2020, 2, 1))
    body = client_for(caseworker).get(reverse("figures:dashboard") + QUERY).content.decode()
    assert "Sought" in body
    assert "Located" in body
