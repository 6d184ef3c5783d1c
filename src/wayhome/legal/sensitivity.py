"""How sensitive each field of the legal app is (see docs/security.md).

Charges, verdicts, sentences, hearings, appeals and the defence (lawyer and fee) are
``legal``. Reported detention conditions are ``legal`` too: they describe the place and
the treatment, and legal officers argue from them; a detainee's own medical findings
belong in aftercare's ``health`` field, not here. Notes stay ``free_text`` as everywhere.
"""

from __future__ import annotations

from wayhome.accounts.sensitivity import FieldClass as FC
from wayhome.accounts.sensitivity import register

register(
    "legal.LegalCase",
    {
        "person": FC.SYSTEM,
        "jurisdiction": FC.LEGAL,
        "country": FC.REFERENCE,
        "court": FC.LEGAL,
        "case_number": FC.LEGAL,
        "charges": FC.LEGAL,
        "status": FC.LEGAL,
        "lawyer": FC.LEGAL,
        "lawyer_fee": FC.LEGAL,
        "lawyer_fee_currency": FC.LEGAL,
        "verdict": FC.LEGAL,
        "verdict_on": FC.LEGAL,
        "sentence_kind": FC.LEGAL,
        "sentence_years": FC.LEGAL,
        "sentence_deferred_until": FC.LEGAL,
        "sentence_deferred_reason": FC.LEGAL,
        "source": FC.SYSTEM,
        "notes": FC.FREE_TEXT,
    },
)
register(
    "legal.Hearing",
    {
        "legal_case": FC.SYSTEM,
        "date": FC.LEGAL,
        "court": FC.LEGAL,
        "purpose": FC.LEGAL,
        "outcome": FC.LEGAL,
        "source": FC.SYSTEM,
    },
)
register(
    "legal.Appeal",
    {
        "legal_case": FC.SYSTEM,
        "filed_on": FC.LEGAL,
        "court": FC.LEGAL,
        "grounds": FC.LEGAL,
        "outcome": FC.LEGAL,
        "decided_on": FC.LEGAL,
        "source": FC.SYSTEM,
    },
)
register(
    "legal.DetentionReport",
    {"legal_case": FC.SYSTEM, "reported_on": FC.LEGAL, "conditions": FC.LEGAL, "source": FC.SYSTEM},
)
register(
    "legal.LegalEvent",
    {
        "legal_case": FC.SYSTEM,
        "kind": FC.LEGAL,
        "happened_on": FC.LEGAL,
        "summary": FC.LEGAL,
        "source": FC.SYSTEM,
        "recorded_by": FC.ACCOUNT,
    },
)
