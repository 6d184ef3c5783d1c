"""How sensitive each field of the figures app is (see docs/security.md).

A ledger entry records a figure that was published: what it counts, who said it, when
and where. It names no sought person and is public by nature, so it is ``reference``
data; the notes a colleague adds stay ``free_text`` as everywhere.
"""

from __future__ import annotations

from wayhome.accounts.sensitivity import FieldClass as FC
from wayhome.accounts.sensitivity import register

register(
    "figures.Estimate",
    {
        "figure": FC.REFERENCE,
        "unit": FC.REFERENCE,
        "what_it_counts": FC.REFERENCE,
        "stated_by": FC.REFERENCE,
        "as_of": FC.REFERENCE,
        "as_of_precision": FC.REFERENCE,
        "published_in": FC.REFERENCE,
        "published_on": FC.REFERENCE,
        "published_precision": FC.REFERENCE,
        "source_url": FC.REFERENCE,
        "definition": FC.REFERENCE,
        "notes": FC.FREE_TEXT,
    },
)
