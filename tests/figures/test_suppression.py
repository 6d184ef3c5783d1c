"""Primary and secondary suppression: no published count of 1-4, none recoverable."""

from __future__ import annotations

import random

import numpy as np
import pytest

from wayhome.figures.suppression import HIDDEN, Cell, exposed, protect, with_totals


def determined(values: list[list[int]], hidden: frozenset[Cell]) -> list[Cell]:
    """Hidden cells that the shown cells and totals fix exactly, by linear algebra (an
    independent check of the graph reasoning in ``suppression``): a cell is determined
    when its unit vector lies in the row space of the table's equations on hidden cells."""
    rows, cols = len(values), len(values[0])
    index = {cell: i for i, cell in enumerate(sorted(hidden))}
    equations = []
    for r in range(rows):
        eq = [0.0] * len(index)
        for c in range(cols):
            if (r, c) in index:
                eq[index[(r, c)]] = -1.0 if c == cols - 1 else 1.0
        equations.append(eq)
    for c in range(cols):
        eq = [0.0] * len(index)
        for r in range(rows):
            if (r, c) in index:
                eq[index[(r, c)]] = -1.0 if r == rows - 1 else 1.0
        equations.append(eq)
    a = np.array(equations)
    rank = np.linalg.matrix_rank(a)
    out = []
    for cell, i in index.items():
        unit = np.zeros(len(index))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            out.append(cell)
    return out


def test_totals_are_added() -> None:
    assert with_totals([[1, 2], [3, 4]]) == [[1, 2, 3], [3, 4, 7], [4, 6, 10]]


def test_a_lone_small_cell_takes_a_partner_in_its_row_and_column() -> None:
    p = protect([[3, 20, 30], [40, 50, 60]])
    assert (0, 0) in p.primary
    grid = p.grid()
    assert grid[0][0] == HIDDEN
    # Hiding the 3 alone would let 53 - 20 - 30 give it back.
    assert sum(1 for c in grid[0] if c == HIDDEN) >= 2
    assert sum(1 for row in grid if row[0] == HIDDEN) >= 2
    assert determined(p.values, p.hidden) == []
    # The smallest cells are chosen as partners, not the totals.
    assert (0, 1) in p.hidden
    assert (1, 0) in p.hidden
    assert (1, 1) in p.hidden
    assert (2, 3) not in p.hidden


def test_small_totals_are_hidden_too() -> None:
    p = protect([[1, 0], [0, 30]])
    assert p.grid()[0][2] == HIDDEN  # the row total is 1
    assert determined(p.values, p.hidden) == []


def test_a_table_without_small_counts_is_shown_whole() -> None:
    p = protect([[10, 20], [30, 40]])
    assert p.hidden == frozenset()
    assert p.grid() == [[10, 20, 30], [30, 40, 70], [40, 60, 100]]


def test_zeros_are_shown_and_not_suppressed_first() -> None:
    p = protect([[0, 7, 2], [9, 0, 12]])
    grid = p.grid()
    assert grid[0][0] == 0
    assert determined(p.values, p.hidden) == []


@pytest.mark.parametrize("seed", range(6))
def test_random_tables_never_expose_a_hidden_cell(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(60):
        rows, cols = rnd.randint(1, 6), rnd.randint(1, 6)
        cells = [
            [rnd.choice([0, 0, 1, 2, 3, 4, 5, 8, 13, 60]) for _ in range(cols)] for _ in range(rows)
        ]
        p = protect(cells)
        shown = [v for row in p.grid() for v in row]
        assert not any(v in (1, 2, 3, 4) for v in shown), cells
        assert exposed(p.hidden) == [], cells
        assert determined(p.values, p.hidden) == [], cells
