"""The communication log follows the sensitivity table: what was said with a family is
``contact`` (legal officers see "restricted" and get no attachment)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.comms import helpers
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.comms import services
from wayhome.comms.models import CommEntry

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
SUMMARY = "Synthetic letter summary 3307"


@pytest.fixture
def entry(users: dict[str, User]) -> CommEntry:
    caseworker = users[Role.CASEWORKER]
    req = helpers.request_with_contact(caseworker)
    pdf = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 synthetic", content_type="application/pdf")
    return services.comm_entry_create(
        actor=caseworker,
        occurred_on=timezone.localdate(),
        medium="letter",
        direction="in",
        summary=SUMMARY,
        request=req,
        attachment=pdf,
    )


@pytest.mark.parametrize(
    ("role", "sees"),
    [(Role.CASEWORKER, True), (Role.SUPERVISOR, True), (Role.LEGAL_OFFICER, False)],
)
def test_log_per_role(
    entry: CommEntry, users: dict[str, User], client_for: Login, role: str, sees: bool
) -> None:
    assert entry.request is not None
    client = client_for(users[role])
    page = client.get(reverse("comms:request_log", args=[entry.request.uuid]))
    html = page.content.decode()
    assert page.status_code == 200
    assert (SUMMARY in html) is sees
    assert ("restricted" in html) is not sees
    attachment = reverse("comms:attachment", args=[entry.uuid])
    assert (attachment in html) is sees
    assert client.get(attachment).status_code == (200 if sees else 404)
    entry.refresh_from_db()
    assert entry.summary == SUMMARY  # the stored value is untouched
