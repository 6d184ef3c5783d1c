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
    # Bringing people home (legal cases, repatriation, operations, aftercare).
    LEGAL_VIEW = "legal.view"
    LEGAL_EDIT = "legal.edit"
    CASE_VIEW = "case.view"
    CASE_EDIT = "case.edit"
    CASE_APPROVE = "case.approve"
    OPERATION_VIEW = "operation.view"
    OPERATION_EDIT = "operation.edit"
    AFTERCARE_VIEW = "aftercare.view"
    AFTERCARE_EDIT = "aftercare.edit"
    RULES_ADMIN = "rules.admin"
    # Lists in and out, talking with families, figures, the API.
    IMPORT_RUN = "import.run"
    EXPORT_RUN = "export.run"
    COMMS_VIEW = "comms.view"
    COMMS_EDIT = "comms.edit"
    ESTIMATE_EDIT = "estimate.edit"
    FIGURES_PUBLISH = "figures.publish"
    API_ADMIN = "api.admin"
    # Need-to-know: see every team's records, assign them to teams and people, and
    # approve referrals to other agencies.
    RECORDS_ASSIGN = "records.assign"


_CASEWORK = {
    Cap.PERSON_VIEW,
    Cap.PERSON_EDIT,
    Cap.TRACING_VIEW,
    Cap.TRACING_EDIT,
    Cap.STATS_VIEW,
    Cap.LEGAL_VIEW,
    Cap.CASE_VIEW,
    Cap.CASE_EDIT,
    Cap.OPERATION_VIEW,
    Cap.AFTERCARE_VIEW,
    Cap.AFTERCARE_EDIT,
    Cap.IMPORT_RUN,
    Cap.EXPORT_RUN,
    Cap.COMMS_VIEW,
    Cap.COMMS_EDIT,
}
# What analysts do: figures only, never a name.
_FIGURES = {Cap.STATS_VIEW, Cap.ESTIMATE_EDIT, Cap.FIGURES_PUBLISH}

ROLE_CAPS: dict[str, frozenset[Cap]] = {
    Role.CASEWORKER: frozenset(_CASEWORK),
    Role.SUPERVISOR: frozenset(
        _CASEWORK
        | _FIGURES
        | {Cap.PLACE_EDIT, Cap.AUDIT_VIEW, Cap.LEGAL_EDIT, Cap.CASE_APPROVE, Cap.OPERATION_EDIT}
        | {Cap.RECORDS_ASSIGN}
    ),
    Role.LEGAL_OFFICER: frozenset(_CASEWORK | {Cap.LEGAL_EDIT}),
    # Consular officers read the registry, record whereabouts they learn of in facilities,
    # work repatriation cases and run operations, but do not run tracing requests or talk
    # with relatives (their contact details).
    Role.CONSULAR_OFFICER: frozenset(
        {
            Cap.PERSON_VIEW,
            Cap.PERSON_EDIT,
            Cap.STATS_VIEW,
            Cap.LEGAL_VIEW,
            Cap.CASE_VIEW,
            Cap.CASE_EDIT,
            Cap.OPERATION_VIEW,
            Cap.OPERATION_EDIT,
            Cap.AFTERCARE_VIEW,
            Cap.EXPORT_RUN,
        }
    ),
    # Analysts see aggregates only: never a name.
    Role.ANALYST: frozenset(_FIGURES),
    Role.AGENCY_ADMIN: frozenset(
        {
            Cap.USER_ADMIN,
            Cap.STATS_VIEW,
            Cap.AUDIT_VIEW,
            Cap.PLACE_EDIT,
            Cap.RULES_ADMIN,
            Cap.API_ADMIN,
        }
    ),
    # System administrators run the installation; they do not read case files.
    Role.SYSTEM_ADMIN: frozenset({Cap.USER_ADMIN, Cap.PLACE_EDIT, Cap.RULES_ADMIN, Cap.API_ADMIN}),
}


def caps_for(role: str) -> frozenset[Cap]:
    """The capabilities of a role; an unknown role has none."""
    return ROLE_CAPS.get(role, frozenset())
