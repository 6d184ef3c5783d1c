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

# Derived counts and spans (figures.history): keys and dates of no content of their own
# beyond what the whereabouts and the person hold, classified as those are.
register(
    "figures.Span",
    {
        "person_id": FC.SYSTEM,
        "agency_id": FC.SYSTEM,
        "status": FC.LOCATION,
        "start_date": FC.LOCATION,
        "end_date": FC.LOCATION,
        "country_id": FC.LOCATION,
        "facility_id": FC.LOCATION,
        "home_region_id": FC.IDENTIFYING,
        "sex": FC.IDENTIFYING,
        "birth_earliest": FC.IDENTIFYING,
    },
)
register(
    "figures.MonthlyCount",
    {
        "agency_id": FC.SYSTEM,
        "month": FC.CASE,
        "status": FC.CASE,
        "home_region_id": FC.REFERENCE,
        "country_id": FC.REFERENCE,
        "facility_id": FC.REFERENCE,
        "sex": FC.CASE,
        "n": FC.CASE,
    },
)

# The web dashboard's last counts: aggregates without names, shown with small counts
# suppressed for aggregate-only roles.
register(
    "figures.DashboardSnapshot",
    {
        "agency_id": FC.SYSTEM,
        "counts": FC.CASE,
        "computed_at": FC.SYSTEM,
        "refreshing_since": FC.SYSTEM,
    },
)
