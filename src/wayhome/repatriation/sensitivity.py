"""How sensitive each field of the repatriation app is (see docs/security.md).

Rule sets and document templates are shared reference data. A case's progress is
``case``. The engine's assessment of a member (adult or minor, citizenship) and the
attached files (identity papers, proofs of kinship, DNA results, court orders) are
``identifying``: whoever works the case needs them, no one else. A parent's or court's
consent to a child's return is a legal act: ``legal``. Reasons and notes are
``free_text``.
"""

from __future__ import annotations

from wayhome.accounts.sensitivity import FieldClass as FC
from wayhome.accounts.sensitivity import register

register(
    "repatriation.RuleSet",
    {
        "slug": FC.REFERENCE,
        "name": FC.REFERENCE,
        "host_country": FC.REFERENCE,
        "facility_kind": FC.REFERENCE,
        "home_country": FC.REFERENCE,
        "version": FC.REFERENCE,
        "status": FC.REFERENCE,
        "to_be_confirmed": FC.REFERENCE,
        "rules": FC.REFERENCE,
        "source_text": FC.REFERENCE,
        "change_note": FC.REFERENCE,
        "previous": FC.SYSTEM,
    },
)
register(
    "repatriation.RepatriationCase",
    {
        "reference": FC.CASE,
        "rule_set": FC.SYSTEM,
        "family_group": FC.SYSTEM,
        "stage": FC.CASE,
        "stage_since": FC.CASE,
        "closure_reason": FC.CASE,
        "ready_override_reason": FC.FREE_TEXT,
        "ready_override_by": FC.ACCOUNT,
        "notes": FC.FREE_TEXT,
    },
)
register(
    "repatriation.CaseMember",
    {
        "case": FC.SYSTEM,
        "person": FC.SYSTEM,
        "is_principal": FC.CASE,
        "travels": FC.CASE,
        "may_travel_separately": FC.CASE,
        "separation_reason": FC.FREE_TEXT,
        "assessed_as": FC.IDENTIFYING,
    },
)
register(
    "repatriation.CaseStep",
    {
        "member": FC.SYSTEM,
        "code": FC.CASE,
        "label": FC.CASE,
        "required": FC.CASE,
        "status": FC.CASE,
        "blocker": FC.CASE,
        "since": FC.CASE,
        "detail": FC.CASE,
        "note": FC.FREE_TEXT,
        "updated_by": FC.ACCOUNT,
        "waived_reason": FC.FREE_TEXT,
        "sort": FC.SYSTEM,
    },
)
register(
    "repatriation.CaseDocument",
    {
        "case": FC.SYSTEM,
        "step": FC.SYSTEM,
        "kind": FC.CASE,
        "title": FC.IDENTIFYING,
        "file": FC.IDENTIFYING,
        "content_type": FC.SYSTEM,
        "size": FC.SYSTEM,
        "uploaded_by": FC.ACCOUNT,
    },
)
register(
    "repatriation.DocumentTemplate",
    {
        "kind": FC.REFERENCE,
        "language": FC.REFERENCE,
        "version": FC.REFERENCE,
        "is_current": FC.REFERENCE,
        "title": FC.REFERENCE,
        "body": FC.REFERENCE,
        "change_note": FC.REFERENCE,
    },
)
register(
    "repatriation.ConsentDecision",
    {
        "child": FC.SYSTEM,
        "giver_kind": FC.FAMILY,
        "given_by": FC.FAMILY,
        "decision": FC.LEGAL,
        "decided_on": FC.LEGAL,
        "written": FC.LEGAL,
        "document": FC.SYSTEM,
        "note": FC.FREE_TEXT,
        "recorded_by": FC.ACCOUNT,
    },
)
