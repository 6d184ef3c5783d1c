"""Production: the deployment checklist passes, static files get hashed and compressed
names, logs are JSON without personal data, the client address comes only from a
trusted proxy."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.api.helpers import api, token_for
from wayhome.accounts.models import Agency, User
from wayhome.core.logs import JsonFormatter
from wayhome.core.proxy import TrustedProxy

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "wayhome.config.settings.production",
    "WAYHOME_SECRET_KEY": "k" * 30 + "-production-test-key-" + "q" * 20,
    "WAYHOME_ALLOWED_HOSTS": "wayhome.example.org",
}


def _without_test_allowances(environ: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _wayhome(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "wayhome", *args],
        # Not the test process's own allowance for browser tests (tests/e2e/conftest.py
        # sets DJANGO_ALLOW_ASYNC_UNSAFE at collection): production never has it.
        env={**_without_test_allowances(os.environ), **PRODUCTION, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_the_deployment_checklist_passes() -> None:
    done = _wayhome("check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_static_files_are_hashed_and_compressed(tmp_path: Path) -> None:
    done = _wayhome("collectstatic", "--noinput", "-v0", WAYHOME_VAR_DIR=str(tmp_path))
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["wayhome/wayhome.css"]
    assert hashed != "wayhome/wayhome.css"
    assert (tmp_path / "static" / (hashed + ".gz")).exists()


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Everything logged, at every level, through the production formatter."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield out
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_requests_about_a_person_log_no_name(
    json_log: io.StringIO,
    agency_a: Agency,
    caseworker: User,
    analyst: User,
    client_for: Callable[[User], Client],
) -> None:
    person = factories.person(caseworker, given="Zulaikha", family="Uniquenameova")
    browser = client_for(caseworker)
    browser.get(f"/persons/{person.uuid}/")
    browser.get("/persons/", {"q": "Zulaikha"})
    client_for(analyst).get(f"/persons/{person.uuid}/")  # refused: logged as 403
    token = api(token_for(agency_a))
    token.get(f"/api/v1/persons/{person.uuid}/")
    token.get("/api/v1/persons/", {"q": "Uniquenameova"})
    token.patch(
        f"/api/v1/persons/{person.uuid}/",
        {"birth_place": "Zulaikha's village"},
        content_type="application/json",
    )  # 428: logged as a warning
    token.post(
        "/api/v1/persons/",
        {"names": [{"given": "Zulaikha"}], "sex": "?"},
        content_type="application/json",
    )  # 400
    lines = [json.loads(line) for line in json_log.getvalue().splitlines() if line.strip()]
    assert any(entry.get("status") == 428 for entry in lines)
    assert any(entry.get("status") == 403 for entry in lines)
    text = json_log.getvalue()
    for word in ("Zulaikha", "Uniquenameova"):
        assert word not in text


def _environ(peer: str, real: str = "") -> dict[str, Any]:
    environ: dict[str, Any] = {"REMOTE_ADDR": peer}
    if real:
        environ["HTTP_X_REAL_IP"] = real
    return environ


def test_the_client_address_is_believed_only_from_a_trusted_proxy() -> None:
    seen: list[str] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(environ["REMOTE_ADDR"])
        return []

    wrapped = TrustedProxy(app, trusted=["127.0.0.1"])

    def start(*_args: Any) -> None:
        return None

    wrapped(_environ("127.0.0.1", "203.0.113.7"), start)
    wrapped(_environ("198.51.100.2", "203.0.113.7"), start)  # not a proxy: ignored
    wrapped(_environ("127.0.0.1", "not an address"), start)
    assert seen == ["203.0.113.7", "198.51.100.2", "127.0.0.1"]
