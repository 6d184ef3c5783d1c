"""Operation pages: who may see and do what, another agency's flight, the manifest export."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pypdf
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests import factories
from tests.assertions import assert_forbidden, assert_login_required, assert_not_found
from tests.operations import builders as b
from wayhome.accounts.models import User
from wayhome.accounts.permissions import AUTH_AT
from wayhome.audit.models import AuditEvent
from wayhome.operations import services
from wayhome.operations.models import Operation
from wayhome.people.models import Status

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def consular(users: dict[str, User]) -> User:
    return users["consular_officer"]


def test_caseworker_reads_but_does_not_plan(
    caseworker: User, consular: User, client_for: Login
) -> None:
    op = b.flight(consular)
    client = client_for(caseworker)
    assert client.get(reverse("operations:list")).status_code == 200
    page = client.get(reverse("operations:detail", args=[op.uuid]))
    assert page.status_code == 200
    assert b"Baghdad airport" in page.content
    assert_forbidden(client, reverse("operations:create"))
    assert_forbidden(client, reverse("operations:confirm", args=[op.uuid]), "post")
    assert_login_required(reverse("operations:detail", args=[op.uuid]))


def test_analyst_sees_no_operation(analyst: User, consular: User, client_for: Login) -> None:
    op = b.flight(consular)
    client = client_for(analyst)
    assert_forbidden(client, reverse("operations:list"))
    assert_forbidden(client, reverse("operations:detail", args=[op.uuid]))
    assert_forbidden(client, reverse("operations:export", args=[op.uuid]))


def test_another_agencys_flight_is_not_found(
    consular: User, other_agency_user: User, client_for: Login
) -> None:
    op = b.flight(consular)
    client = client_for(other_agency_user)
    for name in ("detail", "export"):
        assert_not_found(client, reverse(f"operations:{name}", args=[op.uuid]))
    outsider = client_for(factories.user(other_agency_user.agency, "consular_officer"))
    for name in ("edit", "case_add", "confirm", "cancel", "arrivals"):
        assert_not_found(outsider, reverse(f"operations:{name}", args=[op.uuid]), "post")
    assert b"Baghdad" not in client.get(reverse("operations:list")).content


def test_plan_add_confirm_through_the_pages(consular: User, client_for: Login) -> None:
    client = client_for(consular)
    iq, ru = factories.country("IQ", "Iraq"), factories.country("RU", "Russia")
    response = client.post(
        reverse("operations:create"),
        {
            "kind": "flight",
            "label": "Second charter (test)",
            "planned_on": timezone.localdate().isoformat(),
            "from_country": iq.uuid,
            "handover_point": "Baghdad airport",
            "to_country": ru.uuid,
            "arrival_point": "Makhachkala airport",
            "capacity": 4,
        },
    )
    op = Operation.objects.get(label="Second charter (test)")
    assert response.status_code == 302
    fam = b.family(consular, "Testova", 2)
    big = b.family(consular, "Primerova", 2)
    detail = reverse("operations:detail", args=[op.uuid])
    page = client.get(detail)
    assert fam.case.reference.encode() in page.content  # offered as a ready case
    assert (
        client.post(
            reverse("operations:case_add", args=[op.uuid]), {"case": fam.case.uuid}
        ).status_code
        == 302
    )
    refused = client.post(reverse("operations:case_add", args=[op.uuid]), {"case": big.case.uuid})
    assert refused.status_code == 200
    assert b"Capacity exceeded" in refused.content
    page = client.get(detail)
    assert b"Aminat" in page.content or fam.mother.display_name.encode() in page.content
    viewed = AuditEvent.objects.filter(action="view", object_uuid=op.uuid)
    assert {e.person_uuid for e in viewed} >= {p.uuid for p in fam.persons}
    assert client.post(reverse("operations:confirm", args=[op.uuid])).status_code == 302
    op.refresh_from_db()
    assert op.status == Operation.State.CONFIRMED


def test_confirm_shows_why_it_is_refused(consular: User, client_for: Login) -> None:
    orphan = b.person(consular, "Yusuf", "Sirotin", "M", dt.date(2016, 2, 2))
    op = b.flight(consular)
    services.operation_case_add(actor=consular, operation=op, case=b.case_for(consular, [orphan]))
    page = client_for(consular).post(reverse("operations:confirm", args=[op.uuid]))
    assert page.status_code == 200
    assert b"escorts" in page.content
    op.refresh_from_db()
    assert op.status == Operation.State.PLANNED


def test_export_needs_a_fresh_login_and_a_reason(consular: User, client_for: Login) -> None:
    fam = b.family(consular, "Testova", 2)
    op = b.flight(consular)
    services.operation_case_add(actor=consular, operation=op, case=fam.case)
    client = client_for(consular)
    url = reverse("operations:export", args=[op.uuid])
    session = client.session
    session[AUTH_AT] = 0
    session.save()
    stale = client.get(url)
    assert stale.status_code == 302
    assert reverse("accounts:reauth") in stale["Location"]

    client = client_for(consular)
    no_reason = client.post(url, {"fmt": "pdf", "reason": ""})
    assert no_reason.status_code == 200
    assert not AuditEvent.objects.filter(action="export").exists()

    pdf = client.post(url, {"fmt": "pdf", "reason": "For the airline, flight of the 12th"})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]
    assert fam.mother.display_name not in pdf["Content-Disposition"]

    xlsx = client.post(url, {"fmt": "xlsx", "reason": "For the host ministry"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    names = [row[1] for row in sheet.iter_rows(min_row=6, values_only=True)]
    assert names == [p.display_name for p in fam.persons]

    events = AuditEvent.objects.filter(action="export", object_uuid=op.uuid).order_by("id")
    assert [e.changes["format"] for e in events] == ["pdf", "xlsx"]
    assert events[0].reason == "For the airline, flight of the 12th"
    assert set(events[0].changes["persons"]) == {str(p.uuid) for p in fam.persons}


def test_pdf_lists_every_traveller_in_their_script(consular: User, client_for: Login) -> None:
    """Names come in Cyrillic and Arabic script: the PDF's font must carry them."""
    mother = b.person(consular, "Мадина", "Тестова", "F", dt.date(1991, 1, 1))
    child = b.person(consular, "عمر", "تست", "M", dt.date(2016, 1, 1))
    b.link_mother(consular, mother, child)
    op = b.flight(consular)
    services.operation_case_add(
        actor=consular, operation=op, case=b.case_for(consular, [mother, child])
    )
    response = client_for(consular).post(
        reverse("operations:export", args=[op.uuid]), {"fmt": "pdf", "reason": "check"}
    )
    pdf = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Тестова" in text
    assert "2 of 98" in text


def test_spreadsheet_cells_never_become_formulas(consular: User, client_for: Login) -> None:
    person = b.person(consular, "=HYPERLINK(1)", "Testova", "F", dt.date(1990, 1, 1))
    op = b.flight(consular)
    services.operation_case_add(actor=consular, operation=op, case=b.case_for(consular, [person]))
    response = client_for(consular).post(
        reverse("operations:export", args=[op.uuid]), {"fmt": "xlsx", "reason": "check"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cell = sheet.cell(row=6, column=2).value
    assert isinstance(cell, str)
    assert cell.startswith("'=")


def test_arrivals_page_records_everyone_at_once(consular: User, client_for: Login) -> None:
    fam = b.family(consular, "Testova", 1)
    op = b.flight(consular)
    services.operation_case_add(actor=consular, operation=op, case=fam.case)
    services.operation_confirm(actor=consular, operation=op)
    lines = list(op.lines.order_by("position"))
    client = client_for(consular)
    url = reverse("operations:arrivals", args=[op.uuid])
    assert client.get(url).status_code == 200
    data = {"arrived_on": timezone.localdate().isoformat()}
    data[f"arrived_{lines[0].uuid}"] = "on"
    data[f"reason_{lines[1].uuid}"] = "Stayed in hospital in Baghdad"
    response = client.post(url, data)
    assert response.status_code == 302
    fam.mother.refresh_from_db()
    fam.children[0].refresh_from_db()
    assert fam.mother.current_status == Status.REPATRIATED
    assert fam.children[0].current_status != Status.REPATRIATED
    # Once recorded, the page only sends the user back.
    assert client.get(url).status_code == 302
