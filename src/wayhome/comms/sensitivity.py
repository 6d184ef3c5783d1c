"""How sensitive each field of the communications app is (see docs/security.md).

What was said with a family, and what was sent to them, is ``contact``: the
caseworker's relationship with the relatives. Legal officers see that an entry exists
("restricted"), consular officers do not see it at all. Message templates are the
agency's own wording with no personal data (``reference``).
"""

from __future__ import annotations

from wayhome.accounts.sensitivity import FieldClass as FC
from wayhome.accounts.sensitivity import register

register(
    "comms.CommEntry",
    {
        "request": FC.SYSTEM,
        "family": FC.SYSTEM,
        "occurred_on": FC.CASE,
        "medium": FC.CASE,
        "direction": FC.CASE,
        "staff": FC.ACCOUNT,
        "inquirer": FC.SYSTEM,
        "relative": FC.FAMILY,
        "summary": FC.CONTACT,
        "attachment": FC.CONTACT,
        "attachment_type": FC.SYSTEM,
    },
)
register(
    "comms.MessageTemplate",
    {
        "kind": FC.REFERENCE,
        "language": FC.REFERENCE,
        "channel": FC.REFERENCE,
        "version": FC.REFERENCE,
        "subject": FC.REFERENCE,
        "body": FC.REFERENCE,
    },
)
register(
    "comms.Notification",
    {
        "inquirer": FC.SYSTEM,
        "request": FC.SYSTEM,
        "kind": FC.CASE,
        "occurrence": FC.SYSTEM,
        "channel": FC.CASE,
        "language": FC.CASE,
        "template_version": FC.SYSTEM,
        "subject": FC.CONTACT,
        "body": FC.CONTACT,
        "status": FC.CASE,
        "attempts": FC.SYSTEM,
        "next_attempt_at": FC.SYSTEM,
        "last_error": FC.CASE,
        "gateway_id": FC.SYSTEM,
        "sent_at": FC.CASE,
        "delivered_at": FC.CASE,
    },
)
