"""The demo's API client works, and running the demo again does not duplicate it."""

from __future__ import annotations

import io
import re

import pytest

from tests import factories
from tests.api.helpers import api
from wayhome.accounts.roles import Role
from wayhome.api.demo import load_demo
from wayhome.api.models import ApiClient


@pytest.mark.django_db
def test_the_demo_prints_a_working_token_and_is_idempotent() -> None:
    agency = factories.agency("Demo NGO (synthetic)", "NGO")
    factories.user(agency, Role.AGENCY_ADMIN, "ngo-agency-admin")
    first, second = io.StringIO(), io.StringIO()
    load_demo(first)
    load_demo(second)
    assert ApiClient.objects.count() == 1
    token = re.search(r"Bearer (wh_\S+)'", second.getvalue())
    assert token is not None
    assert api(token.group(1)).get("/api/v1/persons/").status_code == 200
