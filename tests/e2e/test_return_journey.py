"""Bringing a family home, in a real browser: a caseworker opens the repatriation case of a
mother and her two children, records the mother's written consent and what blocks the
court order; a supervisor overrides what counsel has settled outside the system, marks the
case ready, puts it on a charter flight, confirms the manifest and prints it."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests import factories
from tests.e2e.conftest import settled, shot
from tests.e2e.test_journeys import log_in, with_device
from tests.repatriation.helpers import family
from wayhome.accounts.roles import Role
from wayhome.operations.models import Operation
from wayhome.people import services as people_services
from wayhome.repatriation.models import CaseStep, RepatriationCase
from wayhome.repatriation.shipped import sync_shipped

# serialized_rollback: the reference data the migrations load (countries, shipped rule sets)
# is put back even when an earlier live-server test emptied the tables.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_family_from_case_to_printed_manifest(page: Page, live_server: LiveServer) -> None:
    agency = factories.agency("Agency A (synthetic NGO)", "AAA")
    worker, worker_key = with_device(factories.user(agency, Role.CASEWORKER, "e2e-caseworker"))
    boss, boss_key = with_device(factories.user(agency, Role.SUPERVISOR, "e2e-supervisor"))
    fam = family(worker, children=2)
    group = people_services.family_group_create(
        actor=worker, label="Testova family", members=[fam.mother, *fam.children]
    )
    # The reference data the migrations load (countries, the shipped rule sets) may have
    # been emptied by an earlier live-server test in the same worker: load what the
    # journey needs here, idempotently.
    factories.country("IQ", "Iraq")
    factories.country("SY", "Syria")
    sync_shipped()

    # The caseworker opens the case for the family and sees its checklist.
    log_in(page, live_server, worker, worker_key)
    page.goto(f"{live_server.url}/repatriation/new/?family={group.uuid}")
    routes = page.locator("select[name=rule_set] option")
    iraq = next(o for o in routes.all() if "Iraq" in o.inner_text())
    page.locator("select[name=rule_set]").select_option(iraq.get_attribute("value"))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"\w"))
    settled(page)
    case = RepatriationCase.objects.get()
    assert set(case.members.values_list("person", flat=True)) == {
        fam.mother.pk,
        *(c.pk for c in fam.children),
    }
    shot(page, "case-checklist")

    # The mother consents in writing for both children.
    page.goto(f"{live_server.url}/repatriation/{case.uuid}/consents/new/")
    for child in fam.children:
        page.get_by_label(re.compile(child.display_name)).check()
    page.locator("select[name=giver_kind]").select_option("parent")
    page.locator("select[name=given_by]").select_option(str(fam.mother.uuid))
    page.locator("select[name=decision]").select_option("given")
    page.fill("input[name=decided_on]", timezone.localdate().isoformat())
    page.locator("input[name=written]").check()
    page.locator("form").get_by_role("button").last.click()
    settled(page)
    consents = CaseStep.objects.filter(member__case=case, code="parent_consent")
    assert consents.count() == 2
    assert set(consents.values_list("status", flat=True)) == {CaseStep.Status.DONE}

    # The court order is pending: say so, with the date, on the child's step.
    court = CaseStep.objects.filter(member__case=case, code="court_order").first()
    assert court is not None
    page.goto(f"{live_server.url}/repatriation/steps/{court.uuid}/")
    page.locator("select[name=status]").select_option("blocked")
    page.fill("[name=blocker]", "court order pending")
    page.fill("input[name=since]", "2026-03-12")
    page.locator("form").get_by_role("button").last.click()
    expect(page.get_by_text("court order pending").first).to_be_visible()
    expect(page.get_by_text("12 March 2026").first).to_be_visible()
    shot(page, "case-blocked")

    # Not ready while a required step is open: the caseworker cannot mark it.
    page.goto(f"{live_server.url}/repatriation/{case.uuid}/ready/")
    expect(page.get_by_text("Required steps still open")).to_be_visible()
    page.context.clear_cookies()

    # The supervisor overrides with a reason, then plans the flight.
    log_in(page, live_server, boss, boss_key)
    page.goto(f"{live_server.url}/repatriation/{case.uuid}/ready/")
    page.fill("[name=override_reason]", "Court order granted by phone; paper copy follows.")
    page.locator("form").get_by_role("button").last.click()
    settled(page)
    case.refresh_from_db()
    assert case.stage == RepatriationCase.Stage.READY

    page.goto(f"{live_server.url}/operations/new/")
    page.locator("select[name=kind]").select_option("flight")
    page.fill("[name=label]", "Charter one (synthetic)")
    page.fill("[name=planned_on]", timezone.localdate().isoformat())
    page.locator("select[name=from_country]").select_option(label="Iraq")
    page.fill("[name=handover_point]", "Baghdad airport")
    page.locator("select[name=to_country]").select_option(label="Russia")
    page.fill("[name=arrival_point]", "Grozny")
    page.fill("[name=capacity]", "30")
    page.fill("[name=escorts]", "Two synthetic escorts")
    page.locator("form").get_by_role("button").last.click()
    settled(page)
    operation = Operation.objects.get()
    expect(page).to_have_url(re.compile(str(operation.uuid)))
    page.locator("#id_case").select_option(str(case.uuid))
    page.get_by_role("button", name="Add the case").click()
    for person in (fam.mother, *fam.children):
        expect(page.get_by_text(person.display_name).first).to_be_visible()
    page.get_by_role("button", name="Confirm the manifest").click()
    settled(page)
    operation.refresh_from_db()
    assert operation.status == Operation.State.CONFIRMED
    shot(page, "operation-manifest")

    # Print the manifest: a reason, after a fresh login, as a PDF.
    page.get_by_role("link", name=re.compile("Export the manifest")).click()
    page.get_by_label("PDF").check()
    page.fill("[name=reason]", "For the airline (synthetic)")
    with page.expect_download() as download:
        page.locator("form").get_by_role("button").last.click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf")
    assert fam.mother.display_name not in pdf.suggested_filename
    with open(pdf.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
