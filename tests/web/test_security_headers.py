"""Headers and template rules that keep injected content from running."""

import re
from collections.abc import Callable
from pathlib import Path

from django.test import Client
from django.urls import reverse

from wayhome.accounts.models import User

SRC = Path(__file__).parents[2] / "src" / "wayhome"


def test_pages_carry_a_strict_content_security_policy(
    caseworker: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(caseworker).get(reverse("web:dashboard"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_inline_script_or_event_handlers() -> None:
    """The CSP would block them anyway; this says where, at test time."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    style_attr = re.compile(r"\sstyle\s*=", re.IGNORECASE)
    offenders = []
    for path in SRC.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for rule, pattern in (
            ("inline script", inline_script),
            ("event handler", handler),
            ("style attribute", style_attr),
        ):
            if pattern.search(text):
                offenders.append(f"{path.relative_to(SRC)}: {rule}")
    assert offenders == []
