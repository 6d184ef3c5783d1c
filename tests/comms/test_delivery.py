"""Sending for real: a local SMTP server (aiosmtpd) and a fake HTTP SMS gateway, both
started by the tests in threads on loopback ports."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from tests import factories
from tests.comms import helpers
from wayhome.accounts.models import User
from wayhome.comms import delivery, services
from wayhome.comms.models import Notification

S = Notification.Status


# --- a local SMTP server -----------------------------------------------------------------


class _Collect:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.original_content)))
        return "250 OK"


@pytest.fixture
def smtp_server(settings: SettingsWrapper) -> Iterator[_Collect]:
    handler = _Collect()
    with socket.socket() as probe:  # a free port (the controller checks it can connect)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    try:
        yield handler
    finally:
        controller.stop()


def test_email_through_a_real_smtp_server(caseworker: User, smtp_server: _Collect) -> None:
    person = factories.person(caseworker)
    req = helpers.request_with_contact(caseworker, [person], language="ar", sms=False)
    (row,) = services.notifications_queue(
        actor=caseworker, person=person, milestone="arrived", key="flight-3"
    )
    assert delivery.deliver(row.pk) == S.SENT
    ((rcpt, raw),) = smtp_server.messages
    assert rcpt == [helpers.EMAIL]
    msg = message_from_bytes(raw)
    subject = str(make_header(decode_header(msg["Subject"])))
    assert subject == f"أقاربكم في الوطن: الطلب {req.reference}"
    payload = msg.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode("utf-8")
    assert "وصل أقاربكم إلى الوطن" in body
    row.refresh_from_db()
    assert row.gateway_id == msg["Message-ID"].strip()
    assert row.sent_at is not None


def test_smtp_down_is_a_failure_retried_later(caseworker: User, settings: SettingsWrapper) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    person = factories.person(caseworker)
    helpers.request_with_contact(caseworker, [person], sms=False)
    (row,) = services.notifications_queue(
        actor=caseworker, person=person, milestone="arrived", key="f"
    )
    assert delivery.deliver(row.pk) == S.FAILED
    row.refresh_from_db()
    assert row.attempts == 1
    assert row.next_attempt_at is not None
    assert helpers.EMAIL not in row.last_error
    assert delivery.deliver(row.pk) is None  # not due yet: a retry waits


# --- a fake SMS gateway --------------------------------------------------------------------


@dataclass
class Gateway:
    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    auth: list[str] = field(default_factory=list)
    fail_next: int = 0


@pytest.fixture
def gateway(settings: SettingsWrapper) -> Iterator[Gateway]:
    state = Gateway(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            payload = json.loads(self.rfile.read(length))
            state.auth.append(self.headers.get("Authorization", ""))
            if state.fail_next:
                state.fail_next -= 1
                self.send_response(503)
                self.end_headers()
                return
            state.received.append(payload)
            body = json.dumps({"id": f"gw-{len(state.received)}"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    settings.WAYHOME_SMS_GATEWAY_URL = state.url
    settings.WAYHOME_SMS_GATEWAY_TOKEN = "gateway-secret"
    settings.WAYHOME_SMS_CALLBACK_TOKEN = "callback-secret"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def test_sms_through_the_gateway_then_delivered(caseworker: User, gateway: Gateway) -> None:
    person = factories.person(caseworker)
    req = helpers.request_with_contact(caseworker, [person], language="tg", email=False)
    services.notifications_queue(actor=caseworker, person=person, milestone="located", key="k")
    out = StringIO()
    call_command("notifications", "send", stdout=out)
    assert "sent 1" in out.getvalue()
    assert helpers.PHONE not in out.getvalue()
    (payload,) = gateway.received
    row = Notification.objects.get()
    assert payload["to"] == helpers.PHONE
    assert payload["client_ref"] == str(row.uuid)
    assert "Мо фаҳмидем" in payload["text"]
    assert req.reference in payload["text"]
    assert person.display_name not in payload["text"]
    assert gateway.auth == ["Bearer gateway-secret"]
    assert row.status == S.SENT
    assert row.gateway_id == "gw-1"
    # the gateway reports delivery
    url = reverse("comms:sms_status")
    refused = Client().post(
        url, {"id": "gw-1", "status": "delivered"}, content_type="application/json"
    )
    assert refused.status_code == 401
    answer = Client().post(
        url,
        {"id": "gw-1", "status": "delivered"},
        content_type="application/json",
        headers={"Authorization": "Bearer callback-secret"},
    )
    assert answer.json() == {"updated": True}
    row.refresh_from_db()
    assert row.status == S.DELIVERED
    assert row.delivered_at is not None
    # running the command again sends nothing twice
    call_command("notifications", "send", stdout=StringIO())
    assert len(gateway.received) == 1


def test_gateway_error_then_retry_succeeds(caseworker: User, gateway: Gateway) -> None:
    gateway.fail_next = 1
    person = factories.person(caseworker)
    helpers.request_with_contact(caseworker, [person], email=False)
    (row,) = services.notifications_queue(
        actor=caseworker, person=person, milestone="arrived", key="f"
    )
    assert delivery.deliver(row.pk) == S.FAILED
    row.refresh_from_db()
    assert row.last_error == "sms: gateway answered 503"
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)  # now due
    assert delivery.drain().counts == {"sent": 1}
    row.refresh_from_db()
    assert row.status == S.SENT
    assert row.attempts == 2
    assert len(gateway.received) == 1


def test_gives_up_after_the_last_attempt(caseworker: User, settings: SettingsWrapper) -> None:
    settings.WAYHOME_SMS_GATEWAY_URL = "http://127.0.0.1:9/"
    settings.WAYHOME_SMS_GATEWAY_TIMEOUT = 2
    person = factories.person(caseworker)
    helpers.request_with_contact(caseworker, [person], email=False)
    (row,) = services.notifications_queue(
        actor=caseworker, person=person, milestone="arrived", key="f"
    )
    for _ in range(delivery.MAX_ATTEMPTS):
        Notification.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)
        assert delivery.deliver(row.pk) == S.FAILED
    row.refresh_from_db()
    assert row.attempts == delivery.MAX_ATTEMPTS
    assert row.next_attempt_at is None
    assert delivery.drain().counts == {}  # given up: a person decides


def test_a_claimed_row_is_never_sent_by_a_second_worker(caseworker: User) -> None:
    person = factories.person(caseworker)
    helpers.request_with_contact(caseworker, [person], sms=False)
    (row,) = services.notifications_queue(
        actor=caseworker, person=person, milestone="arrived", key="f"
    )
    claimed = delivery._claim(row.pk)
    assert claimed is not None
    assert claimed.status == S.SENDING
    assert delivery.deliver(row.pk) is None
    assert mail.outbox == []
