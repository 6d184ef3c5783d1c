"""The portal's limits, overridable in settings (tests shorten or lengthen them)."""

from __future__ import annotations

from django.conf import settings


def setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def code_minutes() -> int:
    return int(setting("WAYHOME_PORTAL_CODE_MINUTES", 10))


def session_minutes() -> int:
    return int(setting("WAYHOME_PORTAL_SESSION_MINUTES", 20))


def max_tries() -> int:
    """Wrong codes allowed for one code before it is void."""
    return int(setting("WAYHOME_PORTAL_MAX_TRIES", 5))


def max_codes_per_reference() -> int:
    """Codes one reference may be sent per hour (whether or not it exists)."""
    return int(setting("WAYHOME_PORTAL_MAX_CODES_PER_REFERENCE", 3))


def max_starts_per_client() -> int:
    """Code requests one address may make per hour."""
    return int(setting("WAYHOME_PORTAL_MAX_STARTS_PER_CLIENT", 10))


def min_response_seconds() -> float:
    """Asking for a code takes at least this long, found or not (no timing oracle)."""
    return setting("WAYHOME_PORTAL_MIN_RESPONSE_SECONDS", 0.8)


def show_facility() -> bool:
    """Policy: show relatives the facility's name, not only the country."""
    return bool(getattr(settings, "WAYHOME_PORTAL_SHOW_FACILITY", False))
