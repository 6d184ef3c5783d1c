"""A paginator that stops counting: a list of an agency's records at a million."""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

# As the person list (people/selectors.py COUNT_CAP): exact up to here, then "more than".
COUNT_CAP = 10_000


class CappedPaginator(Paginator):  # type: ignore[type-arg]  # rows of any model
    """Counts the rows only up to ``cap`` + 1. COUNT(*) of a whole agency's list reads
    every entry of its index (151,000 requests at a million persons: 44-68 ms under
    load, on every view of the list's first page); past the cap the page says "more
    than" and the last page reachable is the one after the cap."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def count(self) -> int:
        """The rows, or cap + 1 when there are more."""
        queryset = cast("QuerySet[Any]", self.object_list)
        return queryset.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """True when there are more rows than the cap: the count shown is a floor."""
        return self.count > self.cap

    @property
    def pages_counted(self) -> int:
        """The full pages within the cap: "page 3 of more than <this>"."""
        return self.cap // self.per_page
