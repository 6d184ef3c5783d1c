"""CappedPaginator: an exact count up to the cap, then "more than"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wayhome.core.pagination import CappedPaginator
from wayhome.places.models import Country

pytestmark = pytest.mark.django_db


def countries(n: int) -> None:
    Country.objects.bulk_create(
        Country(iso2=f"Q{i}", name=f"Synthetic {i:02}", name_ru="", name_ar="") for i in range(n)
    )


def test_below_the_cap_the_count_and_the_pages_are_exact() -> None:
    countries(5)
    rows = Country.objects.filter(iso2__startswith="Q").order_by("name")
    paginator = CappedPaginator(rows, 2, cap=5)
    assert (paginator.count, paginator.num_pages, paginator.capped) == (5, 3, False)
    assert [c.iso2 for c in paginator.get_page(3)] == ["Q4"]


def test_past_the_cap_the_count_stops_and_says_so() -> None:
    countries(9)
    rows = Country.objects.filter(iso2__startswith="Q").order_by("name")
    paginator = CappedPaginator(rows, 2, cap=4)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 5
    assert "LIMIT 5" in queries.captured_queries[0]["sql"]
    assert paginator.capped
    assert paginator.pages_counted == 2
    # The page after the cap is the last one reachable; asking deeper lands there.
    assert paginator.num_pages == 3
    assert [c.iso2 for c in paginator.get_page(99)] == ["Q4"]
