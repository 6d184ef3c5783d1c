"""The production settings refuse to start unsafe."""

import os
import subprocess
import sys


def _load(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "wayhome.config.settings.production", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_missing_or_short_secret_key_stops_start_up() -> None:
    for key in ("", "short"):
        result = _load({"WAYHOME_SECRET_KEY": key})
        assert result.returncode != 0
        assert "WAYHOME_SECRET_KEY must be set" in result.stderr


def test_a_strong_key_starts_without_debug() -> None:
    result = _load({"WAYHOME_SECRET_KEY": "k" * 50, "WAYHOME_DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
