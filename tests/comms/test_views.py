from __future__ import annotations

from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.assertions import assert_forbidden, assert_login_required, assert_not_found
from tests.comms import helpers
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.comms import services
from wayhome.comms.models import CommEntry, MessageTemplate, Notification
from wayhome.people import services as people_services

Login = Callable[[User], Client]


def test_request_log_read_and_write(
    users: dict[str, User], other_agency_user: User, client_for: Login
) -> None:
    caseworker = users["caseworker"]
    req = helpers.request_with_contact(caseworker)
    url = reverse("comms:request_log", args=[req.uuid])
    add = reverse("comms:request_log_add", args=[req.uuid])
    client = client_for(caseworker)
    bad = client.post(
        add, {"occurred_on": "2999-01-01", "medium": "call", "direction": "in", "summary": "x"}
    )
    assert bad.status_code == 400
    assert not CommEntry.objects.exists()
    pdf = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 synthetic", content_type="application/pdf")
    ok = client.post(
        add,
        {
            "occurred_on": timezone.localdate().isoformat(),
            "medium": "letter",
            "direction": "in",
            "relative": "the grandmother",
            "summary": "A letter from prison arrived.",
            "attachment": pdf,
        },
    )
    assert ok.status_code == 302
    page = client.get(url)
    assert "A letter from prison arrived." in page.content.decode()
    assert AuditEvent.objects.filter(
        action="view", object_uuid=req.uuid, changes__page="comms_log"
    ).exists()
    entry = CommEntry.objects.get()
    file = client.get(reverse("comms:attachment", args=[entry.uuid]))
    assert file.status_code == 200
    assert file["Content-Type"] == "application/pdf"
    assert "no-store" in file["Cache-Control"]
    # who may not
    assert_login_required(url)
    assert_forbidden(client_for(users["consular_officer"]), url)
    assert_forbidden(client_for(users["analyst"]), add, "post")
    assert_not_found(client_for(other_agency_user), url)
    assert_not_found(client_for(other_agency_user), reverse("comms:attachment", args=[entry.uuid]))


def test_family_log(caseworker: User, other_agency_user: User, client_for: Login) -> None:
    group = people_services.family_group_create(actor=caseworker, label="Synthetic family")
    client = client_for(caseworker)
    response = client.post(
        reverse("comms:family_log_add", args=[group.uuid]),
        {
            "occurred_on": timezone.localdate().isoformat(),
            "medium": "visit",
            "direction": "out",
            "summary": "Home visit after return.",
        },
    )
    assert response.status_code == 302
    assert CommEntry.objects.get().family == group
    assert (
        "Home visit" in client.get(reverse("comms:family_log", args=[group.uuid])).content.decode()
    )
    assert_not_found(client_for(other_agency_user), reverse("comms:family_log", args=[group.uuid]))


def test_request_and_family_pages_link_the_log(caseworker: User, client_for: Login) -> None:
    req = helpers.request_with_contact(caseworker)
    page = client_for(caseworker).get(reverse("tracing:request_detail", args=[req.uuid]))
    assert reverse("comms:request_log", args=[req.uuid]) in page.content.decode()
    group = people_services.family_group_create(actor=caseworker, label="Synthetic family")
    page = client_for(caseworker).get(reverse("people:family_detail", args=[group.uuid]))
    assert reverse("comms:family_log", args=[group.uuid]) in page.content.decode()


def test_the_log_is_not_offered_to_roles_without_it(
    users: dict[str, User], client_for: Login
) -> None:
    group = people_services.family_group_create(actor=users["caseworker"], label="Synthetic")
    page = client_for(users["consular_officer"]).get(
        reverse("people:family_detail", args=[group.uuid])
    )
    assert page.status_code == 200
    assert reverse("comms:family_log", args=[group.uuid]) not in page.content.decode()


def test_notifications_page_and_retry(
    users: dict[str, User], other_agency_user: User, client_for: Login
) -> None:
    caseworker = users["caseworker"]
    person = factories.person(caseworker)
    req = helpers.request_with_contact(caseworker, [person], email=False)
    (row,) = services.notifications_queue(
        actor=caseworker, person=person, milestone="arrived", key="k"
    )
    Notification.objects.filter(pk=row.pk).update(
        status="failed", last_error="sms: gateway answered 503"
    )
    url = reverse("comms:request_notifications", args=[req.uuid])
    text = client_for(caseworker).get(url).content.decode()
    assert "gateway answered 503" in text
    assert "not notified: consent never asked" in text
    assert helpers.PHONE not in text
    retry = reverse("comms:notification_retry", args=[row.uuid])
    assert client_for(caseworker).post(retry).status_code == 302
    row.refresh_from_db()
    assert row.status == "queued"
    assert_forbidden(client_for(users["agency_admin"]), url)
    assert_not_found(client_for(other_agency_user), url)
    assert_not_found(client_for(other_agency_user), retry, "post")


def test_templates_are_edited_by_administrators_only(
    users: dict[str, User], client_for: Login
) -> None:
    admin = client_for(users["agency_admin"])
    assert "built-in" in admin.get(reverse("comms:template_list")).content.decode()
    url = reverse("comms:template_edit", args=["arrived", "kk", "sms"])
    page = admin.get(url)
    assert "Жақындарыңыз елге оралды (өтініш AAA-2019-00012)" in page.content.decode()
    bad = admin.post(url, {"body": "Сәлем {name}"})
    assert bad.status_code == 400
    assert "Unknown placeholder" in bad.content.decode()
    assert admin.post(url, {"body": "Жақындарыңыз елде. {reference}"}).status_code == 302
    assert MessageTemplate.objects.get().version == 1
    assert admin.get(reverse("comms:template_edit", args=["nope", "kk", "sms"])).status_code == 404
    assert_forbidden(client_for(users["caseworker"]), url)


def test_inbox_denials(users: dict[str, User], other_agency_user: User, client_for: Login) -> None:
    url = reverse("comms:inbox")
    assert_login_required(url)
    assert_forbidden(client_for(users["analyst"]), url)
    assert_forbidden(client_for(users["consular_officer"]), url)
    assert client_for(other_agency_user).get(url).status_code == 200  # their own, empty inbox


def test_gateway_callback_refuses_bad_payloads(db: None, settings: object) -> None:
    settings.WAYHOME_SMS_CALLBACK_TOKEN = "t0ken"  # type: ignore[attr-defined]
    url = reverse("comms:sms_status")
    auth = {"Authorization": "Bearer t0ken"}
    client = Client()
    assert (
        client.post(url, "not json", content_type="application/json", headers=auth).status_code
        == 400
    )
    bad = client.post(
        url, {"id": "x", "status": "lost"}, content_type="application/json", headers=auth
    )
    assert bad.status_code == 400
    unknown = client.post(
        url, {"id": "x", "status": "delivered"}, content_type="application/json", headers=auth
    )
    assert unknown.json() == {"updated": False}
    assert client.get(url).status_code == 405
