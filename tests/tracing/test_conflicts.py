"""The conflict finder is pure: these tests build entries without a database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wayhome.tracing.conflicts import contradict, find_conflicts, span, start_bounds


@dataclass
class E:
    status: str
    start_date: dt.date
    start_precision: str = "exact"
    end_date: dt.date | None = None
    facility_id: int | None = None
    retracted: bool = False

    @property
    def is_retracted(self) -> bool:
        return self.retracted


D = dt.date


def test_start_bounds_follow_the_precision() -> None:
    assert start_bounds(D(2019, 2, 14), "exact") == (D(2019, 2, 14), D(2019, 2, 14))
    assert start_bounds(D(2019, 2, 14), "month") == (D(2019, 2, 1), D(2019, 2, 28))
    assert start_bounds(D(2020, 2, 1), "month") == (D(2020, 2, 1), D(2020, 2, 29))
    assert start_bounds(D(2019, 7, 1), "year") == (D(2019, 1, 1), D(2019, 12, 31))


def test_an_open_entry_speaks_only_for_its_start() -> None:
    assert span(E("detained", D(2019, 3, 1))) == (D(2019, 3, 1), D(2019, 3, 1))
    assert span(E("detained", D(2019, 3, 1), "month")) == (D(2019, 3, 1), D(2019, 3, 31))
    assert span(E("detained", D(2019, 3, 1), end_date=D(2019, 9, 1))) == (
        D(2019, 3, 1),
        D(2019, 9, 1),
    )


def test_prison_and_camp_for_the_same_months_disagree() -> None:
    prison = E("detained", D(2018, 1, 1), end_date=D(2018, 12, 31), facility_id=1)
    camp = E("in_camp", D(2018, 5, 1), "month", facility_id=2)
    [conflict] = find_conflicts([prison, camp])
    assert (conflict.newer, conflict.older) == (camp, prison)


def test_same_status_in_two_facilities_at_once_disagree() -> None:
    a = E("in_camp", D(2019, 1, 1), end_date=D(2019, 6, 1), facility_id=1)
    b = E("in_camp", D(2019, 2, 1), facility_id=2)
    assert contradict(a, b)


def test_an_unknown_facility_contradicts_nothing() -> None:
    a = E("in_camp", D(2019, 1, 1), end_date=D(2019, 6, 1), facility_id=1)
    b = E("in_camp", D(2019, 2, 1))
    assert not contradict(a, b)
    assert find_conflicts([a, b]) == []


def test_a_plain_sequence_is_no_conflict() -> None:
    entries = [
        E("missing", D(2017, 8, 1), "month"),
        E("detained", D(2018, 1, 1), end_date=D(2018, 12, 31), facility_id=1),
        E("in_camp", D(2019, 2, 1), facility_id=2),
        E("repatriated", D(2020, 5, 3)),
    ]
    assert find_conflicts(entries) == []


def test_alive_after_death_disagrees_even_without_overlap() -> None:
    death = E("deceased", D(2018, 3, 1), "month")
    later = E("detained", D(2019, 6, 1), facility_id=1)
    [conflict] = find_conflicts([death, later])
    assert (conflict.newer, conflict.older) == (later, death)
    # Two reports of the same death are not a disagreement.
    assert find_conflicts([death, E("deceased", D(2018, 3, 20))]) == []


def test_retracted_entries_are_left_out() -> None:
    prison = E("detained", D(2018, 1, 1), end_date=D(2018, 12, 31), facility_id=1)
    camp = E("in_camp", D(2018, 5, 1), facility_id=2, retracted=True)
    assert find_conflicts([prison, camp]) == []


def test_year_precision_overlaps_a_date_inside_the_year() -> None:
    a = E("detained", D(2019, 1, 1), "year")
    b = E("in_camp", D(2019, 11, 5))
    c = E("in_camp", D(2020, 1, 5))
    assert contradict(a, b)
    assert not contradict(a, c)


def test_several_conflicts_are_listed_newest_first() -> None:
    a = E("detained", D(2018, 1, 1), end_date=D(2019, 12, 31), facility_id=1)
    b = E("in_camp", D(2018, 6, 1), facility_id=2)
    c = E("sentenced", D(2019, 6, 1), facility_id=1)
    pairs = [(x.newer, x.older) for x in find_conflicts([a, b, c])]
    assert pairs == [(c, a), (b, a)]
