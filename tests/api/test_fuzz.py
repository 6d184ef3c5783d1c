"""Schemathesis fuzzes the API against the schema the application serves.

Bounded: a few examples per operation and no per-example deadline, so the whole run
stays well under a minute on a laptop. With agency A's token, over data of two
agencies, every answer must: not be a server error, match the schema (status code,
content type, body), and never name a record of agency B.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from tests.api.helpers import record_uuids, token_for
from wayhome.accounts.models import Agency
from wayhome.accounts.roles import Role
from wayhome.config.wsgi import application

MAX_EXAMPLES = 8


def _served_schema() -> dict[str, Any]:
    """The schema exactly as /api/schema/ serves it (the same generator), loaded at
    collection time, before any test database exists."""
    from drf_spectacular.generators import SchemaGenerator

    generated = SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    served: dict[str, Any] = json.loads(json.dumps(generated, default=str))
    return served


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Requests go through the WSGI application, which closes database connections at
    the end of each request; the test's connection holds its transaction, so keep it
    open, as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def two_agencies(agency_a: Agency, agency_b: Agency) -> tuple[str, set[str]]:
    """Agency A's token (a supervisor: every capability the API checks) and the uuids
    of agency B's records, which must never appear in an answer to it."""
    record_uuids(factories.user(agency_a, Role.CASEWORKER))
    foreign = record_uuids(factories.user(agency_b, Role.CASEWORKER))
    return token_for(agency_a, Role.SUPERVISOR), {str(u) for u in foreign.values()}


schema = schemathesis.openapi.from_dict(_served_schema())
schema.app = application
# Random data (valid and invalid by the schema) plus the schema's own examples; the
# exhaustive "coverage" phase would take minutes.
schema.config.phases.update(phases=["examples", "fuzzing"])
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Each operation's time budget: past it its remaining examples are not sent, so a slow
# or shared machine still finishes in time, and every operation gets its first examples.
OPERATION_SECONDS = float(os.environ.get("WAYHOME_FUZZ_SECONDS_PER_OPERATION", "1.0"))
_started: dict[str, float] = {}


def _strings(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return {value} if isinstance(value, str) else set()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_holds_its_schema_and_its_agency(
    case: Any, two_agencies: tuple[str, set[str]]
) -> None:
    token, foreign = two_agencies
    started = _started.setdefault(case.operation.label, time.monotonic())
    if time.monotonic() - started > OPERATION_SECONDS:
        return
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=CHECKS)
    if response.content:
        leaked = _strings(json.loads(response.content)) & foreign
        assert not leaked, f"{case.method} {case.formatted_path} named agency B's {leaked}"
