"""Other apps plug dashboard panels in through the registry."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import reverse

from wayhome.accounts.models import User
from wayhome.figures.panels import panel_tables, register_panel, registered, unregister_panel
from wayhome.figures.selectors import Filters, Table, default_filters, formatter_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline() -> Iterator[None]:
    @register_panel("test-pipeline", order=1)
    def _pipeline(user: User, filters: Filters) -> Table:
        table = Table("test-pipeline", "Cases by stage", "Stage", ["Cases"])
        table.add("Consent", [12], formatter_for(user))
        table.add("Court order", [3], formatter_for(user))
        return table

    @register_panel("test-broken", order=2)
    def _broken(user: User, filters: Filters) -> Table:
        raise RuntimeError("a bug in another app")

    @register_panel("test-hidden", order=3)
    def _hidden(user: User, filters: Filters) -> None:
        return None

    yield
    for key in ("test-pipeline", "test-broken", "test-hidden"):
        unregister_panel(key)


def test_registered_panels_are_drawn_and_exported(
    pipeline: None, analyst: User, client_for: Callable[[User], Client]
) -> None:
    assert registered()[:3] == ["test-pipeline", "test-broken", "test-hidden"]
    # The apps' own panels are found at start-up, after the test ones (lower order).
    assert {"repatriation-stage", "repatriation-blockers", "aftercare-overdue"} <= set(registered())
    tables = panel_tables(analyst, default_filters(__import__("datetime").date(2024, 1, 1)))
    keys = [t.key for t in tables]
    assert "test-pipeline" in keys
    assert "test-broken" not in keys  # left out, and the other panels still drawn
    assert "test-hidden" not in keys  # the panel said this user may not see it
    assert keys[0] == "test-pipeline"
    assert tables[0].rows == [("Consent", [12]), ("Court order", ["<5"])]
    client = client_for(analyst)
    body = client.get(reverse("figures:dashboard")).content.decode()
    assert "Cases by stage" in body
    assert "Court order" in body
    response = client.get(reverse("figures:export", args=["test-pipeline", "csv"]))
    assert response.status_code == 200
    assert "Court order,<5" in response.content.decode("utf-8-sig")
