"""Where field sensitivity will apply to the API's answers: one function, one call site.

Every serializer that returns a record's data (``serializers.Masked``) passes its output
through ``mask`` with the reader and the kind of record. ``wayhome.accounts.sensitivity``
(field classes and masking, being built alongside) is to be called from here, so the API
masks exactly as the pages do; until it exists nothing is masked, because every field
the API returns is one the same reader sees on the pages.
"""

from __future__ import annotations

from typing import Any

from wayhome.accounts.models import User


def mask(user: User, kind: str, data: Any) -> Any:
    """``data`` (a serialized ``kind`` record) as ``user`` may see it."""
    return data
