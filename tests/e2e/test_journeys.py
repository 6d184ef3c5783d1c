"""What a caseworker does in a day, in a real browser: log in with the second factor,
register a tracing request for a mother and two children, see who is already registered,
confirm the match; the same pages in Arabic (right to left) and at phone width."""

from __future__ import annotations

import re

import pytest
from django.db.models import Q
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests import factories
from tests.e2e.conftest import PHONE, settled, shot
from tests.matching.helpers import mother_of, person
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.people.models import Person, Sex
from wayhome.review.models import MatchCandidate
from wayhome.tracing.models import TracingRequest

# serialized_rollback: the reference data the migrations load (countries, shipped rule sets)
# is put back even when an earlier live-server test emptied the tables.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "correct-horse-battery-staple"


def with_device(user: User) -> tuple[User, TOTPDevice]:
    """The user with an authenticator enrolled, as every staff account has."""
    return user, TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _caseworker() -> tuple[User, TOTPDevice]:
    agency = factories.agency("Agency A (synthetic NGO)", "AAA")
    return with_device(factories.user(agency, Role.CASEWORKER, "e2e-caseworker"))


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in(page: Page, server: LiveServer, user: User, device: TOTPDevice) -> None:
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/accounts/mfa/verify/"))
    settled(page)
    page.fill("input[name=token]", _code(device))
    page.get_by_role("button", name=re.compile("verify|continue|confirm", re.I)).click()
    expect(page.locator("nav[aria-label=Main]")).to_be_visible()


def test_a_wrong_second_factor_keeps_the_door_shut(page: Page, live_server: LiveServer) -> None:
    user, _ = _caseworker()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.fill("input[name=token]", "000000")
    page.get_by_role("button", name=re.compile("verify|continue|confirm", re.I)).click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    page.goto(f"{live_server.url}/persons/")
    expect(page).not_to_have_url(re.compile(r"/persons/$"))


def test_request_for_a_mother_and_two_children_to_a_confirmed_match(
    page: Page, live_server: LiveServer
) -> None:
    user, device = _caseworker()
    mother = person(user, "Аиша Налоева", "Aisha Naloyeva", born=1995)
    son = person(user, "Умар Налоев", sex=Sex.MALE, born=2014)
    daughter = person(user, "Марьям Налоева", born=2016)
    mother_of(user, mother, son, daughter)
    person(user, "Хадижат Омарова", born=1990)  # someone else entirely

    log_in(page, live_server, user, device)
    shot(page, "dashboard")
    page.get_by_role("link", name="Persons").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot(page, "persons")

    page.goto(f"{live_server.url}/tracing/requests/new/")
    page.fill("#id_inq-name", "Zarema Syntheticova")
    page.fill("#id_inq-relationship", "mother")
    page.fill("#id_inq-phone", "+7 900 000 00 00")
    page.check("#id_inq-consent_contact")
    page.fill("#id_last_known", "Left in 2015 with her husband and two children.")
    for i, (given, family, sex, year, relation) in enumerate(
        [
            ("Aisha", "Naloeva", "F", "1995", "daughter"),
            ("Umar", "Naloev", "M", "2014", "grandson"),
            ("Mariam", "Naloeva", "F", "2016", "granddaughter"),
        ]
    ):
        page.fill(f"#id_new_sought-{i}-given", given)
        page.fill(f"#id_new_sought-{i}-family", family)
        page.select_option(f"#id_new_sought-{i}-sex", sex)
        page.fill(f"#id_new_sought-{i}-birth_year", year)
        page.fill(f"#id_new_sought-{i}-relation", relation)
        if i:
            page.check(f"#id_new_sought-{i}-child_of_first")
    page.get_by_role("button", name="Save").click()

    # Before anything is saved: who is already registered?
    step = page.locator(".candidate-step")
    expect(step.get_by_role("heading", name="Is this one of these?")).to_be_visible()
    expect(step.get_by_role("link", name="Аиша Налоева").first).to_be_visible()
    shot(page, "request-candidate-step")
    settled(page)
    assert not TracingRequest.objects.exists()
    page.get_by_role("button", name=re.compile("None of these")).click()

    expect(page.get_by_text(re.compile(r"Tracing request .+ opened"))).to_be_visible()
    shot(page, "request-detail")
    settled(page)  # its ranked candidates load while it is shown
    request = TracingRequest.objects.get()
    assert request.sought.count() == 3
    # The page loads its ranked candidates: the registered mother, her children with her.
    candidates = page.locator("#request-candidates .request-candidates")
    expect(candidates.get_by_role("link", name="Аиша Налоева").first).to_be_visible()
    expect(candidates.get_by_role("link", name="Умар Налоев").first).to_be_visible()
    shot(page, "request-candidates")

    # The likely matches wait in the review queue; the whole family is confirmed at once.
    page.get_by_role("link", name="Review").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot(page, "review-queue")
    settled(page)
    pair = MatchCandidate.objects.get(
        Q(left=mother) | Q(right=mother), status=MatchCandidate.Decision.PENDING
    )
    page.goto(f"{live_server.url}/review/pairs/{pair.uuid}/")
    shot(page, "review-side-by-side")
    family_form = page.locator("form[action$='/family/']")
    expect(family_form.locator("input[type=checkbox]")).to_have_count(2)
    for box in family_form.locator("input[type=checkbox]").all():
        box.check()
    family_form.locator("textarea, input[name$=reason]").first.fill(
        "Same names, ages and children."
    )
    family_form.get_by_role("button", name="Confirm the mother and these children").click()
    expect(page.locator("[role=status]")).to_be_visible()
    shot(page, "after-family-confirm")
    settled(page)
    pair.refresh_from_db()
    assert pair.status == MatchCandidate.Decision.CONFIRMED
    live = Person.objects.filter(merged_into__isnull=True, search_names__contains="налоев")
    assert live.count() == 3, "mother and both children: one record each after the merge"
    assert set(request.sought.all()) <= set(live) | set(Person.objects.filter(merged_into__in=live))

    # The merge changed the request's candidates: the registered records are the sought
    # persons themselves now, so they are no longer offered as candidates of themselves.
    page.goto(f"{live_server.url}/tracing/requests/{request.uuid}/")
    expect(candidates).to_be_visible()
    expect(candidates.get_by_role("link", name="Аиша Налоева")).to_have_count(0)
    shot(page, "request-candidates-after-merge")


def test_arabic_is_right_to_left_and_phone_width_needs_no_sideways_scrolling(
    page: Page, live_server: LiveServer
) -> None:
    user, device = _caseworker()
    for i in range(3):
        person(user, f"Аминат Тестова{i}", born=1990 + i)
    log_in(page, live_server, user, device)
    page.select_option("#lang-select", "ar")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    shot(page, "dashboard-ar")
    page.goto(f"{live_server.url}/persons/")
    shot(page, "persons-ar")
    page.set_viewport_size(PHONE)
    for path, name in [("/persons/", "persons-ar-phone"), ("/tracing/requests/", "requests-phone")]:
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at phone width"
        shot(page, name)
