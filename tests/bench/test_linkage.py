"""The linkage benchmark's round-by-round ratio, its interval, and its stages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from bench.linkage.__main__ import STAGES, _cpu, _recorder, ratio_interval, stage_times
from bench.linkage.synthetic import write_lists

from wayhome.linkage.io import read_person_list
from wayhome.linkage.link import link


def test_the_ratio_is_the_median_of_each_rounds_ratio() -> None:
    # Round by round 0.5, 1.2 and 2.0: the median is 1.2, where the medians of the two
    # methods' own times (2.0 and 2.0) would say 1.0.
    ratio, low, high = ratio_interval([1.0, 3.0, 2.0], [2.0, 2.5, 1.0])
    assert ratio == pytest.approx(1.2)
    assert 0.5 <= low <= ratio <= high <= 2.0


def test_a_steady_ratio_has_a_narrow_interval_and_a_noisy_one_a_wide_one() -> None:
    steady = ratio_interval([0.9, 1.8, 2.7, 0.9, 1.8], [1.0, 2.0, 3.0, 1.0, 2.0])
    assert steady == pytest.approx((0.9, 0.9, 0.9))
    noisy = ratio_interval([0.5, 1.5, 0.7, 1.3, 0.9, 1.1], [1.0] * 6)
    assert noisy[1] < 1.0 < noisy[2]


def test_the_interval_is_the_same_for_the_same_times() -> None:
    times = ([2.1, 1.9, 2.4, 2.0], [2.0, 2.6, 1.8, 2.2])
    assert ratio_interval(*times) == ratio_interval(*times)


def test_each_stage_runs_from_the_mark_before_it_to_its_own() -> None:
    marks = [
        ("[   0.7s] name features of 3 + 4 rows", 10.7, 101.0),
        ("[   0.9s] tokens: 12 token pairs met on keys, 3 close", 10.9, 101.5),
        ("[   0.9s] blocking (duckdb): 5 candidate pairs", 10.95, 101.6),
        ("[   1.2s] 4 pairs with some name agreement", 11.2, 102.0),
        ("[   1.2s] model:\nname: ...", 11.25, 102.05),
        ("[   1.5s] done: 1 matches, 2 possible", 11.5, 102.3),
    ]
    times = stage_times(marks, (10.0, 100.0))
    assert list(times) == [name for _, name in STAGES]
    assert times[STAGES[0][1]] == pytest.approx((0.7, 1.0))
    assert times[STAGES[3][1]] == pytest.approx((0.25, 0.4))
    assert sum(wall for wall, _ in times.values()) == pytest.approx(1.5)


def test_a_message_that_closes_no_stage_is_ignored() -> None:
    marks = [
        ("[   0.1s] something else", 1.0, 1.0),
        ("[   0.5s] done: 0 matches, 0 possible", 2.0, 3.0),
    ]
    assert stage_times(marks, (0.0, 0.0)) == {STAGES[-1][1]: (2.0, 3.0)}


def test_the_linkers_own_messages_close_every_stage(tmp_path: Path) -> None:
    left_path, right_path, _truth = write_lists(tmp_path, 60, 400)
    left, right = read_person_list(left_path), read_person_list(right_path)
    marks, mark = _recorder()
    start = (time.monotonic(), _cpu())
    link(left, right, progress=mark)
    times = stage_times(marks, start)
    assert list(times) == [name for _, name in STAGES]
    assert all(wall > 0 and cpu >= 0 for wall, cpu in times.values())
