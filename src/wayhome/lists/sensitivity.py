"""How sensitive each field of the lists app is (see docs/security.md).

An uploaded list holds names, births and places of detention: its stored content is
``identifying``, as is a row's key. Sources and the import's bookkeeping are ``case``
(like an information report's source and channel) or ``system``.
"""

from __future__ import annotations

from wayhome.accounts.sensitivity import FieldClass as FC
from wayhome.accounts.sensitivity import register

register(
    "lists.ListSource",
    {
        "name": FC.CASE,
        "channel": FC.CASE,
        "reliability": FC.CASE,
        "mapping": FC.SYSTEM,
        "encoding": FC.SYSTEM,
    },
)
register(
    "lists.ListImport",
    {
        "source": FC.SYSTEM,
        "file_name": FC.CASE,
        "content": FC.IDENTIFYING,
        "sha256": FC.SYSTEM,
        "size": FC.SYSTEM,
        "encoding": FC.SYSTEM,
        "header_row": FC.SYSTEM,
        "mapping": FC.SYSTEM,
        "list_date": FC.CASE,
        "skip_invalid": FC.SYSTEM,
        "status": FC.CASE,
        "report": FC.SYSTEM,
        "job": FC.SYSTEM,
        "committed_at": FC.CASE,
        "counts": FC.CASE,
    },
)
register(
    "lists.ImportRow",
    {
        "list_import": FC.SYSTEM,
        "number": FC.SYSTEM,
        "key": FC.IDENTIFYING,
        "digest": FC.SYSTEM,
        "outcome": FC.CASE,
        "person": FC.SYSTEM,
        "score": FC.CASE,
        "candidate": FC.SYSTEM,
    },
)
