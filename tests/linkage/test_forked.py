"""forked_map: the same answers, in the same order, on one process or several."""

from __future__ import annotations

import os

import pytest

from wayhome.linkage import forked
from wayhome.linkage.forked import forked_map


def test_results_come_back_in_order_from_forked_workers() -> None:
    table = {n: n * n for n in range(1000)}  # state the workers inherit, never pickled
    pieces = [range(start, start + 100) for start in range(0, 1000, 100)]

    def work(piece: range) -> tuple[int, list[int]]:
        return os.getpid(), [table[n] for n in piece]

    results = forked_map(work, pieces, workers=2)
    assert [values for _, values in results] == [[n * n for n in p] for p in pieces]
    assert os.getpid() not in {pid for pid, _ in results}  # done in the workers
    assert forked._TASK is None  # nothing left behind for a later fork


def test_one_worker_or_one_piece_runs_here() -> None:
    here = os.getpid()
    assert forked_map(lambda _: os.getpid(), [1, 2, 3], workers=1) == [here] * 3
    assert forked_map(lambda _: os.getpid(), [1], workers=2) == [here]
    assert forked_map(lambda _: os.getpid(), [], workers=2) == []


def test_a_failing_piece_fails_the_call() -> None:
    def work(n: int) -> int:
        if n == 3:
            raise ValueError("piece three")
        return n

    with pytest.raises(ValueError, match="piece three"):
        forked_map(work, [1, 2, 3, 4], workers=2)
    assert forked._TASK is None
