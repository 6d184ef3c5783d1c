"""How sensitive each field of the aftercare app is (see docs/security.md).

Medical findings at reception and the notes of support services (psychological and
medical treatment among them) are ``health``: only supervisors read them, others see
"restricted". A guardian's phone and address are ``contact`` like an inquirer's; their
name is ``identifying``, their relation ``family``; a custody decision is ``legal``.
"""

from __future__ import annotations

from wayhome.accounts.sensitivity import FieldClass as FC
from wayhome.accounts.sensitivity import register

# A correction's version and a retraction's when and who are bookkeeping of the case; the
# reason is free text a person wrote.
CORRECTION_FIELDS = {
    "version": FC.SYSTEM,
    "retracted_at": FC.CASE,
    "retracted_by": FC.CASE,
    "retraction_reason": FC.FREE_TEXT,
}

register(
    "aftercare.AftercareFile",
    {
        "person": FC.SYSTEM,
        "received_on": FC.CASE,
        "reception_place": FC.LOCATION,
        "medical_check_on": FC.CASE,
        "medical_notes": FC.HEALTH,
        "documents_issued": FC.IDENTIFYING,
        "operation": FC.SYSTEM,
        "closed_on": FC.CASE,
    },
)
register(
    "aftercare.Placement",
    {
        "file": FC.SYSTEM,
        "kind": FC.CASE,
        "start_date": FC.CASE,
        "end_date": FC.CASE,
        "institution": FC.LOCATION,
        "guardian_name": FC.IDENTIFYING,
        "guardian_relationship": FC.FAMILY,
        "guardian_phone": FC.CONTACT,
        "guardian_address": FC.CONTACT,
        "guardian_consent_on": FC.CASE,
        "court_decision": FC.LEGAL,
        "notes": FC.FREE_TEXT,
        **CORRECTION_FIELDS,
    },
)
register(
    "aftercare.SupportService",
    {
        "file": FC.SYSTEM,
        "kind": FC.CASE,
        "provider": FC.CASE,
        "started_on": FC.CASE,
        "ended_on": FC.CASE,
        "notes": FC.HEALTH,
    },
)
register(
    "aftercare.FollowUp",
    {
        "file": FC.SYSTEM,
        "due_on": FC.CASE,
        "assigned_to": FC.CASE,
        "visited_on": FC.CASE,
        "outcome": FC.CASE,
        "notes": FC.FREE_TEXT,
        **CORRECTION_FIELDS,
    },
)
