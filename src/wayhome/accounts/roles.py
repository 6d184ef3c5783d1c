"""Roles and what each may do: the one table the server enforces everywhere.

A capability is a verb on a domain. Views declare the capability they need; selectors add
row scoping (agency, later assignment) on top. docs/security.md states the same table in
words; ``tests/accounts/test_roles.py`` keeps the two honest.
"""

from __future__ import annotations

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    LEGAL_OFFICER = "legal_officer", _("Legal officer")
    CONSULAR_OFFICER = "consular_officer", _("Consular officer")
    ANALYST = "analyst", _("Analyst")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Cap(enum.StrEnum):
    PERSON_VIEW = "person.view"
    PERSON_EDIT = "person.edit"
    TRACING_VIEW = "tracing.view"
    TRACING_EDIT = "tracing.edit"
    PLACE_EDIT = "place.edit"
    STATS_VIEW = "stats.view"
    AUDIT_VIEW = "audit.view"
    USER_ADMIN = "user.admin"


_CASEWORK = {Cap.PERSON_VIEW, Cap.PERSON_EDIT, Cap.TRACING_VIEW, Cap.TRACING_EDIT, Cap.STATS_VIEW}

ROLE_CAPS: dict[str, frozenset[Cap]] = {
    Role.CASEWORKER: frozenset(_CASEWORK),
    Role.SUPERVISOR: frozenset(_CASEWORK | {Cap.PLACE_EDIT, Cap.AUDIT_VIEW}),
    Role.LEGAL_OFFICER: frozenset(_CASEWORK),
    # Consular officers read the registry and record whereabouts they learn of in
    # facilities, but do not run tracing requests (relatives' contact details).
    Role.CONSULAR_OFFICER: frozenset({Cap.PERSON_VIEW, Cap.PERSON_EDIT, Cap.STATS_VIEW}),
    # Analysts see aggregates only: never a name.
    Role.ANALYST: frozenset({Cap.STATS_VIEW}),
    Role.AGENCY_ADMIN: frozenset({Cap.USER_ADMIN, Cap.STATS_VIEW, Cap.AUDIT_VIEW, Cap.PLACE_EDIT}),
    # System administrators run the installation; they do not read case files.
    Role.SYSTEM_ADMIN: frozenset({Cap.USER_ADMIN, Cap.PLACE_EDIT}),
}


def caps_for(role: str) -> frozenset[Cap]:
    """The capabilities of a role; an unknown role has none."""
    return ROLE_CAPS.get(role, frozenset())
