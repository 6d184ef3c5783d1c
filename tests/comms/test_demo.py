from __future__ import annotations

from io import StringIO

from tests import factories
from tests.tracing import helpers as tracing_helpers
from wayhome.accounts.models import Agency
from wayhome.comms.demo import DEMO_EMAIL, load_demo
from wayhome.comms.models import CommEntry, Notification
from wayhome.tracing.models import Inquirer


def test_demo_adds_log_entries_notifications_and_a_portal_inquirer(agency_a: Agency) -> None:
    actor = factories.user(agency_a, "caseworker", "ngo-caseworker")
    for _ in range(3):
        tracing_helpers.tracing_request(actor)
    out = StringIO()
    load_demo(out)
    assert CommEntry.objects.count() == 3
    assert Notification.objects.filter(kind="located").count() == 2  # e-mail and SMS
    assert [i.email for i in Inquirer.objects.all()].count(DEMO_EMAIL) == 1
    assert "/relatives/" in out.getvalue()
