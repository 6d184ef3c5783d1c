"""Run a step of the link on every core: forked workers that inherit the parent's state.

The linker's later steps (screening token pairs, scoring record pairs, explaining the
decisions) work on large structures built earlier: the right list's token bank, the
features of every name. Pickling those to each worker would cost more than the work, so
the workers are forked after they exist and read them as the parent left them; only the
pieces' numbers go to a worker (an index) and only the results come back (pickled).
Each piece must depend on its own input alone, so that the answer is the same on one
core or many, in the same order.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Piece = TypeVar("Piece")
Result = TypeVar("Result")

# What the forked workers run: set just before the fork, read by _run in the child.
_TASK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def forked_map(
    function: Callable[[Piece], Result], pieces: Sequence[Piece], workers: int
) -> list[Result]:
    """``[function(p) for p in pieces]``, on up to ``workers`` forked processes.

    ``function`` may be a closure: it is inherited, never pickled. One process (no fork)
    when ``workers`` < 2 or there is a single piece.
    """
    global _TASK
    if workers < 2 or len(pieces) < 2:
        return [function(p) for p in pieces]
    _TASK = (function, pieces)
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(pieces))) as pool:
            return pool.map(_run, range(len(pieces)), chunksize=1)
    finally:
        _TASK = None


def _run(n: int) -> Any:
    assert _TASK is not None  # noqa: S101  (set by forked_map before the fork)
    function, pieces = _TASK
    return function(pieces[n])
