"""How sensitive each field of the operations app is (see docs/security.md).

A flight or convoy is ``case`` (dates, seats, status); handover and arrival points are
``location``; escorts are officials named in their role, ``case`` too. Why a person did
not travel is a reason written by staff: ``free_text``.
"""

from __future__ import annotations

from wayhome.accounts.sensitivity import FieldClass as FC
from wayhome.accounts.sensitivity import register

register(
    "operations.Operation",
    {
        "kind": FC.CASE,
        "label": FC.CASE,
        "planned_on": FC.CASE,
        "from_country": FC.REFERENCE,
        "handover_point": FC.LOCATION,
        "to_country": FC.REFERENCE,
        "arrival_point": FC.LOCATION,
        "capacity": FC.CASE,
        "escorts": FC.CASE,
        "status": FC.CASE,
        "confirmed_at": FC.CASE,
        "arrived_on": FC.CASE,
    },
)
register(
    "operations.OperationCase",
    {"operation": FC.SYSTEM, "case": FC.SYSTEM, "added_by": FC.ACCOUNT},
)
register(
    "operations.ManifestLine",
    {
        "operation": FC.SYSTEM,
        "person": FC.SYSTEM,
        "case": FC.SYSTEM,
        "position": FC.CASE,
        "outcome": FC.CASE,
        "outcome_reason": FC.FREE_TEXT,
        "recorded_by": FC.ACCOUNT,
    },
)
