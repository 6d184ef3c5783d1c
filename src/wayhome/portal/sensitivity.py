"""How sensitive each field of the families' portal is (see docs/security.md).

The hashes of links, references, codes and client fingerprints are ``secret``: nobody
reads them in the application. A photograph a relative sent is a ``photo``.
"""

from __future__ import annotations

from wayhome.accounts.sensitivity import FieldClass as FC
from wayhome.accounts.sensitivity import register

register(
    "portal.PortalAccess",
    {
        "request": FC.SYSTEM,
        "token_hash": FC.SECRET,
        "reference_hash": FC.SECRET,
        "client_hash": FC.SECRET,
        "channel": FC.CASE,
        "code_hash": FC.SECRET,
        "code_expires_at": FC.SECRET,
        "tries": FC.SECRET,
        "verified_at": FC.CASE,
        "expires_at": FC.CASE,
        "ended_at": FC.CASE,
    },
)
register(
    "portal.PortalSubmission",
    {
        "request": FC.SYSTEM,
        "report": FC.SYSTEM,
        "photo": FC.PHOTO,
        "photo_type": FC.SYSTEM,
        "reviewed_at": FC.CASE,
        "reviewed_by": FC.ACCOUNT,
    },
)
