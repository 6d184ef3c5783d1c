from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from PIL import Image

from tests import factories
from tests.comms import helpers
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.comms import delivery, services
from wayhome.comms.models import CommEntry, MessageTemplate, Notification
from wayhome.core.crypto import generate_key
from wayhome.core.signals import Milestone, milestone_reached
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import TracingRequest

S = Notification.Status


def _png() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "PNG")
    return SimpleUploadedFile("letter from Zarema.png", buf.getvalue(), content_type="image/png")


# --- the log -----------------------------------------------------------------------------


def test_log_entry_is_encrypted_audited_and_names_the_inquirer(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAYHOME_FIELD_KEYS", generate_key())
    req = helpers.request_with_contact(caseworker)
    entry = services.comm_entry_create(
        actor=caseworker,
        request=req,
        occurred_on=timezone.localdate(),
        medium=CommEntry.Medium.CALL,
        direction=CommEntry.Direction.IN,
        summary="She heard from a released woman that the children are in a camp.",
        attachment=_png(),
    )
    assert entry.inquirer == req.inquirer
    assert entry.staff == caseworker
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM comms_commentry WHERE id = %s", [entry.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("fernet:")
    assert "camp" not in stored
    assert entry.attachment.name.startswith("comms/")
    assert "Zarema" not in entry.attachment.name
    event = AuditEvent.objects.get(object_uuid=entry.uuid)
    assert event.action == "create"
    assert "camp" not in str(event.changes)
    assert event.changes["subject"] == str(req.uuid)


def test_log_entry_refuses_bad_input_and_writes_nothing(caseworker: User) -> None:
    req = helpers.request_with_contact(caseworker)
    base: dict[str, Any] = {
        "actor": caseworker,
        "request": req,
        "occurred_on": timezone.localdate(),
        "medium": "call",
        "direction": "in",
        "summary": "Called.",
    }
    bad: list[dict[str, Any]] = [
        {"occurred_on": timezone.localdate() + dt.timedelta(days=1)},
        {"summary": "  "},
        {"medium": "pigeon"},
        {"attachment": SimpleUploadedFile("x.exe", b"MZ\x90\x00binary")},
    ]
    for change in bad:
        with pytest.raises(ValidationError):
            services.comm_entry_create(**{**base, **change})
    assert not CommEntry.objects.exists()


def test_log_entry_of_another_agency_is_refused(caseworker: User, other_agency_user: User) -> None:
    req = helpers.request_with_contact(caseworker)
    with pytest.raises(PermissionError):
        services.comm_entry_create(
            actor=other_agency_user,
            request=req,
            occurred_on=timezone.localdate(),
            medium="call",
            direction="in",
            summary="x",
        )


# --- templates ---------------------------------------------------------------------------


def test_template_versions_and_placeholder_validation(users: dict[str, User]) -> None:
    admin = users["agency_admin"]
    first = services.template_save(
        actor=admin,
        kind="located",
        language="tg",
        channel="email",
        subject="Хабар {reference}",
        body="Салом. {reference} — {agency}",
    )
    second = services.template_save(
        actor=admin,
        kind="located",
        language="tg",
        channel="email",
        subject="S",
        body="B {portal_url}",
    )
    assert (first.version, second.version) == (1, 2)
    assert services.template_text(admin.agency_key, "located", "tg", "email") == (
        "S",
        "B {portal_url}",
        2,
    )
    for subject, body in [
        ("S", "Hello {name}"),  # not an allowed placeholder: no person's name
        ("S", "Hello {reference.upper}"),
        ("S", "Hello {reference:>10}"),
        ("S", "Unbalanced {"),
        ("", "No subject for an e-mail {reference}"),
        ("S", "x" * 6000),
    ]:
        with pytest.raises(ValidationError):
            services.template_save(
                actor=admin,
                kind="located",
                language="tg",
                channel="email",
                subject=subject,
                body=body,
            )
    with pytest.raises(ValidationError):  # a code message without the code
        services.template_save(
            actor=admin, kind="portal_code", language="en", channel="sms", subject="", body="Hi"
        )
    assert MessageTemplate.objects.count() == 2


# --- the outbox -------------------------------------------------------------------------


def test_milestone_queues_once_per_channel_in_the_inquirers_language(caseworker: User) -> None:
    person = factories.person(caseworker)
    req = helpers.request_with_contact(caseworker, [person], language="kk")
    for _ in range(2):  # the same occurrence signalled twice
        milestone_reached.send(
            sender=None,
            person=person,
            milestone=Milestone.SENTENCED,
            actor=caseworker,
            key="case-1",
        )
    rows = list(Notification.objects.order_by("channel"))
    assert [(r.channel, r.status, r.language) for r in rows] == [
        ("email", "queued", "kk"),
        ("sms", "queued", "kk"),
    ]
    assert "сот шешім шығарды" in rows[0].body
    assert req.reference in rows[0].body
    assert rows[0].subject == f"Өтінішіңіз бойынша жаңалық {req.reference}"
    assert person.display_name not in rows[0].body + rows[0].subject


def test_no_consent_no_address_no_notification(caseworker: User) -> None:
    person = factories.person(caseworker)
    helpers.request_with_contact(caseworker, [person], email=True, sms=False)
    queued = services.notifications_queue(
        actor=caseworker, person=person, milestone="arrived", key="flight-1"
    )
    assert [n.channel for n in queued] == ["email"]


def test_withdrawn_contact_consent_stops_every_channel(caseworker: User) -> None:
    person = factories.person(caseworker)
    req = helpers.request_with_contact(caseworker, [person])
    helpers.consent(caseworker, req.inquirer, "contact", given=False)
    assert (
        services.notifications_queue(actor=caseworker, person=person, milestone="arrived", key="f")
        == []
    )


def test_notifications_never_reach_someone_who_withdrew_consent(caseworker: User) -> None:
    """Queued while consent stood, withdrawn before the send: nothing leaves."""
    person = factories.person(caseworker)
    req = helpers.request_with_contact(caseworker, [person])
    queued = services.notifications_queue(
        actor=caseworker, person=person, milestone="on_flight", key="flight-7"
    )
    assert len(queued) == 2
    helpers.consent(caseworker, req.inquirer, "notify_email", given=False)
    helpers.consent(caseworker, req.inquirer, "notify_sms", given=False)
    report = delivery.drain()
    assert report.counts == {"cancelled": 2}
    assert mail.outbox == []
    for row in Notification.objects.all():
        assert row.status == S.CANCELLED
        assert row.body == ""
        assert row.sent_at is None
    # and a later milestone is not even queued
    assert (
        services.notifications_queue(
            actor=caseworker, person=person, milestone="arrived", key="flight-7"
        )
        == []
    )


def test_withdrawn_request_is_not_notified(caseworker: User) -> None:
    person = factories.person(caseworker)
    req = helpers.request_with_contact(caseworker, [person])
    tracing_services.request_transition(
        actor=caseworker, request=req, to="closed", closure_reason="withdrawn"
    )
    assert (
        services.notifications_queue(actor=caseworker, person=person, milestone="arrived", key="f")
        == []
    )


def test_other_agencies_inquirers_are_not_told(caseworker: User, other_agency_user: User) -> None:
    person = factories.person(caseworker)
    other = helpers.request_with_contact(other_agency_user)
    other.sought_links.create(person=person)  # a link across agencies the forms never make
    helpers.request_with_contact(caseworker, [person], sms=False)
    queued = services.notifications_queue(
        actor=caseworker, person=person, milestone="arrived", key="f"
    )
    assert {n.agency_id for n in queued} == {caseworker.agency_key}


def test_located_transition_sends_the_milestone_after_commit(
    caseworker: User, django_capture_on_commit_callbacks: Any
) -> None:
    person = factories.person(caseworker)
    req = helpers.request_with_contact(caseworker, [person], sms=False)
    with django_capture_on_commit_callbacks(execute=True):
        tracing_services.request_transition(actor=caseworker, request=req, to="located")
    row = Notification.objects.get()
    assert row.kind == "located"
    assert row.request == req
    assert row.occurrence.startswith("located:")
    assert row.status == S.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [helpers.EMAIL]
    assert mail.outbox[0].subject == f"Новости по вашему обращению {req.reference}"
    # reopened and located again: new news, sent again; the same transition never twice
    with django_capture_on_commit_callbacks(execute=True):
        tracing_services.request_transition(
            actor=caseworker, request=req, to="open", reason="wrong person"
        )
        tracing_services.request_transition(actor=caseworker, request=req, to="located")
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2
    assert TracingRequest.objects.get(pk=req.pk).status == "located"


def test_a_failure_while_queuing_never_breaks_the_sender(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(**kwargs: Any) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr("wayhome.comms.receivers.notifications_queue", boom)
    person = factories.person(caseworker)
    milestone_reached.send(sender=None, person=person, milestone="arrived", actor=None, key="k")
    assert not Notification.objects.exists()


def test_retry_only_for_failed(caseworker: User) -> None:
    person = factories.person(caseworker)
    helpers.request_with_contact(caseworker, [person], email=False)
    (row,) = services.notifications_queue(
        actor=caseworker, person=person, milestone="arrived", key="f"
    )
    with pytest.raises(ValidationError):
        services.notification_retry(actor=caseworker, notification=row)
    delivery.drain()  # no gateway configured: fails
    row.refresh_from_db()
    assert row.status == S.FAILED
    assert "no gateway configured" in row.last_error
    services.notification_retry(actor=caseworker, notification=row)
    row.refresh_from_db()
    assert row.status == S.QUEUED


def test_every_built_in_text_is_a_valid_template_in_every_language() -> None:
    from wayhome.comms import texts
    from wayhome.comms.models import LANGUAGES, Channel, Kind

    for kind in Kind.values:
        assert set(texts.DEFAULTS[kind]) == {code for code, _name in LANGUAGES}, kind
        for subject, body in texts.DEFAULTS[kind].values():
            for channel in Channel.values:
                texts.check_template(kind, channel, subject, body)
            filled = texts.render(
                body,
                {"reference": "R", "agency": "A", "portal_url": "U", "code": "1", "minutes": "9"},
            )
            assert "{" not in filled


def test_anonymising_a_request_and_its_inquirer_clears_the_familys_words(
    caseworker: User, django_capture_on_commit_callbacks: Any
) -> None:
    from wayhome.protection.anonymise import inquirer_anonymise, request_anonymise

    person = factories.person(caseworker)
    req = helpers.request_with_contact(caseworker, [person], email=False)
    entry = services.comm_entry_create(
        actor=caseworker,
        request=req,
        occurred_on=timezone.localdate(),
        medium="letter",
        direction="in",
        relative="the grandmother, Patimat Synthetic",
        summary="Her letter says the boy is ill.",
        attachment=_png(),
    )
    storage, name = entry.attachment.storage, entry.attachment.name
    (queued,) = services.notifications_queue(
        actor=caseworker, person=person, milestone="arrived", key="f"
    )
    with django_capture_on_commit_callbacks(execute=True):
        request_anonymise(req, cause="retention", today=timezone.localdate())
        inquirer_anonymise(req.inquirer, cause="retention", today=timezone.localdate())
    entry.refresh_from_db()
    assert (entry.summary, entry.relative, entry.attachment.name) == ("", "", "")
    assert not storage.exists(name)
    queued.refresh_from_db()
    assert queued.status == S.CANCELLED
    assert queued.body == ""
