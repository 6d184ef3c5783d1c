"""The linkage benchmark's round-by-round ratio and its interval."""

from __future__ import annotations

import pytest
from bench.linkage.__main__ import ratio_interval


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
