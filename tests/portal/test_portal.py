"""The relatives' page: codes, no enumeration, throttles, their own request only, and a
session that never opens a staff page."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests import factories
from tests.assertions import login_password_only
from tests.comms import helpers
from tests.tracing import helpers as tracing_helpers
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.comms.models import CommEntry, Notification
from wayhome.portal import services
from wayhome.portal.models import PortalAccess, PortalSubmission
from wayhome.portal.views import COOKIE
from wayhome.tracing.models import TracingRequest

START = "/relatives/"


@pytest.fixture(autouse=True)
def _fast(settings: object) -> None:
    settings.WAYHOME_PORTAL_MIN_RESPONSE_SECONDS = 0  # type: ignore[attr-defined]


def _ask(client: Client, reference: str, channel: str = "email") -> str:
    """Ask for a code; return the code e-mailed (delivered on commit), or ''."""
    before = len(mail.outbox)
    response = client.post(START, {"reference": reference, "channel": channel})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:code")
    from wayhome.comms.delivery import drain

    drain()
    if len(mail.outbox) == before:
        return ""
    found = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)


def _enter(client: Client, code: str) -> int:
    return client.post(reverse("portal:code"), {"code": code}).status_code


def _logged_in(req: TracingRequest) -> Client:
    client = Client()
    code = _ask(client, req.reference)
    assert _enter(client, code) == 302
    return client


def test_code_by_email_opens_the_inquirers_own_request_in_their_language(
    caseworker: User,
) -> None:
    facility = factories.facility("al-Rasafa (synthetic)", kind="prison", iso2="IQ")
    person = factories.person(caseworker, given="Aminat", family="Syntheticova")
    tracing_helpers.entry(caseworker, person, status="detained", facility=facility)
    req = helpers.request_with_contact(caseworker, [person], language="ru")
    stranger = factories.person(caseworker, given="Other", family="Personova")
    helpers.request_with_contact(caseworker, [stranger])
    client = Client()
    code = _ask(client, req.reference.lower())  # the reference as typed, any case
    assert code
    assert mail.outbox[-1].to == [helpers.EMAIL]
    assert mail.outbox[-1].subject == "Ваш код"
    assert _enter(client, code) == 302
    page = client.get(reverse("portal:status"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "Находится под стражей в Ираке." in text  # the country, not the prison
    assert "Rasafa" not in text
    assert "Personova" not in text
    assert helpers.PHONE not in text
    assert "Syntheticova" in text
    assert req.reference in text
    # the code body is not kept once sent, and the code works only once
    assert Notification.objects.get(kind="portal_code").body == ""
    again = client.post(reverse("portal:code"), {"code": code})
    assert again["Location"] == START  # used: nothing pending any more
    assert AuditEvent.objects.filter(object_uuid=req.uuid, changes__portal="status").exists()
    assert AuditEvent.objects.filter(action="view", person_uuid=person.uuid, actor=None).exists()


def test_facility_is_shown_only_when_policy_allows(caseworker: User, settings: object) -> None:
    settings.WAYHOME_PORTAL_SHOW_FACILITY = True  # type: ignore[attr-defined]
    facility = factories.facility("Camp Seven (synthetic)", iso2="SY")
    person = factories.person(caseworker)
    tracing_helpers.entry(caseworker, person, status="in_camp", facility=facility)
    req = helpers.request_with_contact(caseworker, [person], language="en")
    text = _logged_in(req).get(reverse("portal:status")).content.decode()
    assert "In a camp Camp Seven (synthetic)." in text


def test_tajik_inquirer_reads_tajik_and_a_death_is_never_announced(caseworker: User) -> None:
    person = factories.person(caseworker)
    tracing_helpers.entry(caseworker, person, status="deceased")
    req = helpers.request_with_contact(caseworker, [person], language="tg")
    text = _logged_in(req).get(reverse("portal:status")).content.decode()
    assert "Дархости шумо" in text
    assert "шахсан ба шумо гӯем" in text
    assert "Deceased" not in text
    assert "Умер" not in text


def test_first_page_speaks_every_language_of_the_inquirers() -> None:
    text = Client().get(START).content.decode()
    for words in ("мы пришлём вам код", "рамз мефиристем", "код жібереміз", "سنرسل إليكم"):
        assert words in text


def test_old_accesses_are_cleared(caseworker: User) -> None:
    req = helpers.request_with_contact(caseworker)
    _ask(Client(), req.reference)
    PortalAccess.objects.update(created_at="2000-01-01T00:00Z")
    _ask(Client(), req.reference)
    assert PortalAccess.objects.count() == 1


def test_same_answer_whether_the_reference_exists_or_not(caseworker: User) -> None:
    req = helpers.request_with_contact(caseworker)
    known, unknown = Client(), Client()
    a = known.post(START, {"reference": req.reference, "channel": "email"})
    b = unknown.post(START, {"reference": "AAA-2019-99999", "channel": "email"})
    assert (a.status_code, a["Location"]) == (b.status_code, b["Location"])
    assert set(a.cookies) == set(b.cookies) == {COOKIE}
    page_a, page_b = known.get(reverse("portal:code")), unknown.get(reverse("portal:code"))
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", page_a.content.decode()) == strip.sub("", page_b.content.decode())
    assert _enter(unknown, "000000") == 400  # any code fails, like a wrong one


def test_no_code_on_a_channel_without_consent(caseworker: User) -> None:
    req = helpers.request_with_contact(caseworker, sms=False)
    client = Client()
    assert _ask(client, req.reference, channel="sms") == ""
    assert not Notification.objects.exists()
    assert PortalAccess.objects.get().request is None


def test_wrong_codes_are_limited_and_expired_codes_refused(
    caseworker: User, settings: object
) -> None:
    settings.WAYHOME_PORTAL_MAX_TRIES = 3  # type: ignore[attr-defined]
    req = helpers.request_with_contact(caseworker)
    client = Client()
    code = _ask(client, req.reference)
    wrong = "111111" if code != "111111" else "222222"
    for _ in range(3):
        assert _enter(client, wrong) == 400
    assert _enter(client, code) == 400  # void after three wrong tries
    assert (
        AuditEvent.objects.filter(action="login_failed", changes__portal="code_wrong").count() == 4
    )
    client2 = Client()
    code2 = _ask(client2, req.reference)
    PortalAccess.objects.filter(verified_at__isnull=True).update(
        code_expires_at="2000-01-01T00:00Z"
    )
    assert _enter(client2, code2) == 400


def test_codes_are_hashed(caseworker: User) -> None:
    req = helpers.request_with_contact(caseworker)
    code = _ask(Client(), req.reference)
    access = PortalAccess.objects.get()
    assert code not in access.code_hash
    assert len(access.code_hash) == 64
    assert code not in access.token_hash


def test_throttled_per_reference_and_per_address(caseworker: User, settings: object) -> None:
    settings.WAYHOME_PORTAL_MAX_CODES_PER_REFERENCE = 2  # type: ignore[attr-defined]
    settings.WAYHOME_PORTAL_MAX_STARTS_PER_CLIENT = 4  # type: ignore[attr-defined]
    req = helpers.request_with_contact(caseworker)
    for _ in range(2):
        _ask(Client(), req.reference)
    blocked = Client().post(START, {"reference": req.reference, "channel": "email"})
    assert blocked.status_code == 429
    # the same for a reference that does not exist: nothing to learn from the throttle
    for _ in range(2):
        Client().post(START, {"reference": "NOPE-1", "channel": "email"})
    # the address has now asked four times
    assert Client().post(START, {"reference": "NOPE-2", "channel": "email"}).status_code == 429
    assert len(mail.outbox) == 2


def test_session_expires_and_can_be_ended(caseworker: User) -> None:
    req = helpers.request_with_contact(caseworker)
    client = _logged_in(req)
    assert client.post(reverse("portal:end")).status_code == 302
    assert client.get(reverse("portal:status"))["Location"] == START
    client = _logged_in(req)
    PortalAccess.objects.filter(verified_at__isnull=False).update(expires_at="2000-01-01T00:00Z")
    assert client.get(reverse("portal:status"))["Location"] == START


def _jpeg() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "gray").save(buf, "JPEG")
    return SimpleUploadedFile("my son.jpg", buf.getvalue(), content_type="image/jpeg")


def test_news_from_a_relative_arrives_for_review(
    caseworker: User, client_for: Callable[[User], Client]
) -> None:
    person = factories.person(caseworker)
    req = helpers.request_with_contact(caseworker, [person])
    relative = _logged_in(req)
    empty = relative.post(reverse("portal:send"), {"message": "  "})
    assert empty.status_code == 400
    assert not PortalSubmission.objects.exists()
    sent = relative.post(
        reverse("portal:send"),
        {"message": "A woman released from the camp called me.", "photo": _jpeg()},
    )
    assert sent.status_code == 302
    submission = PortalSubmission.objects.get()
    assert submission.request == req
    assert list(submission.report.persons.all()) == [person]
    assert submission.report.summary == "A woman released from the camp called me."
    assert CommEntry.objects.get().direction == "in"
    staff = client_for(caseworker)
    inbox = staff.get(reverse("comms:inbox"))
    assert req.reference in inbox.content.decode()
    photo = staff.get(reverse("comms:submission_photo", args=[submission.uuid]))
    assert photo.status_code == 200
    assert "no-store" in photo["Cache-Control"]
    assert (
        staff.post(reverse("comms:submission_reviewed", args=[submission.uuid])).status_code == 302
    )
    submission.refresh_from_db()
    assert submission.reviewed_by == caseworker
    assert req.reference not in staff.get(reverse("comms:inbox")).content.decode()


STAFF_PAGES = [
    "web:dashboard",
    "people:list",
    "tracing:request_list",
    "comms:inbox",
    "audit:event_list",
]


def test_a_portal_session_never_reaches_a_staff_page(caseworker: User) -> None:
    req = helpers.request_with_contact(caseworker)
    relative = _logged_in(req)
    for name in STAFF_PAGES:
        response = relative.get(reverse(name))
        assert response.status_code == 302, name
        assert "/accounts/login/" in response["Location"], name
    detail = relative.get(reverse("tracing:request_detail", args=[req.uuid]))
    assert "/accounts/login/" in detail["Location"]


def test_a_staff_login_is_no_portal_session(
    caseworker: User, client_for: Callable[[User], Client]
) -> None:
    staff = client_for(caseworker)
    assert staff.get(reverse("portal:status"))["Location"] == START


def test_the_portal_is_outside_the_staff_second_factor(caseworker: User) -> None:
    half = login_password_only(caseworker)
    assert half.get(START).status_code == 200
    assert "/accounts/mfa" in half.get(reverse("people:list"))["Location"]


def test_unverified_cookie_does_not_open_the_status(caseworker: User) -> None:
    req = helpers.request_with_contact(caseworker)
    client = Client()
    _ask(client, req.reference)
    assert client.get(reverse("portal:status"))["Location"] == START
    assert services.session_for(client.cookies[COOKIE].value) is None
