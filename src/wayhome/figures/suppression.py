"""Small-count suppression for published tables, primary and secondary. Plain Python.

A published table gives its cells and its row, column and grand totals. Hiding a cell of 1
to 4 (primary suppression) is not enough: a row total minus the row's other cells gives
it back. Seen as a grid that includes the totals (the totals column and row are one more
column and row), every row and every column is an equation, and a hidden cell can be
recovered exactly when it is not on a cycle of hidden cells, that is, when it is a bridge
of the bipartite graph whose vertices are the rows and columns and whose edges are the
hidden cells. Secondary suppression hides more cells, the smallest ones first, until no
hidden cell is a bridge: then every hidden value can move by some amount along a cycle
while every total stays the same, so none can be told exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
HIDDEN = f"<{THRESHOLD}"

Cell = tuple[int, int]


@dataclass(frozen=True)
class Protected:
    """A table with its totals and the cells to hide, in grid coordinates: row ``R`` (one
    past the last data row) holds the column totals, column ``C`` the row totals."""

    values: list[list[int]]  # (R+1) x (C+1), totals included
    hidden: frozenset[Cell]
    primary: frozenset[Cell]

    def shown(self, r: int, c: int) -> int | str:
        return HIDDEN if (r, c) in self.hidden else self.values[r][c]

    def grid(self) -> list[list[int | str]]:
        return [[self.shown(r, c) for c in range(len(row))] for r, row in enumerate(self.values)]


def with_totals(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with a totals column on the right and a totals row at the bottom."""
    ncols = len(cells[0]) if cells else 0
    rows = [[*row, sum(row)] for row in cells]
    totals = [sum(row[c] for row in rows) for c in range(ncols + 1)]
    return [*rows, totals]


def _is_small(n: int) -> bool:
    return 0 < n < THRESHOLD


def _components(hidden: set[Cell], skip: Cell | None) -> dict[tuple[str, int], int]:
    """Connected component of each row and column vertex in the graph of hidden cells."""
    adjacent: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for cell in hidden:
        if cell == skip:
            continue
        r, c = ("r", cell[0]), ("c", cell[1])
        adjacent.setdefault(r, []).append(c)
        adjacent.setdefault(c, []).append(r)
    label: dict[tuple[str, int], int] = {}
    for start in adjacent:
        if start in label:
            continue
        label[start] = len(label)
        stack = [start]
        mark = label[start]
        while stack:
            v = stack.pop()
            for w in adjacent[v]:
                if w not in label:
                    label[w] = mark
                    stack.append(w)
    return label


def exposed(hidden: set[Cell] | frozenset[Cell]) -> list[Cell]:
    """Hidden cells that the totals give back exactly: the bridges of the graph."""
    out = []
    cells = set(hidden)
    for cell in sorted(cells):
        comp = _components(cells, skip=cell)
        r, c = ("r", cell[0]), ("c", cell[1])
        if r not in comp or c not in comp or comp[r] != comp[c]:
            out.append(cell)
    return out


def _cheapest(values: list[list[int]], candidates: list[Cell], nrows: int, ncols: int) -> Cell:
    """The complementary cell that loses least: an inner cell before a total, a non-zero
    count before a zero (a hidden zero protects nothing), then the smallest."""

    def cost(cell: Cell) -> tuple[int, int, int, Cell]:
        r, c = cell
        is_total = int(r == nrows or c == ncols)
        n = values[r][c]
        return (is_total, int(n == 0), n, cell)

    return min(candidates, key=cost)


def protect(cells: Sequence[Sequence[int]]) -> Protected:
    """Add totals, hide every count of 1-4 (totals too) and enough others that none of
    them can be recovered from the rest."""
    values = with_totals(cells)
    nrows, ncols = len(values) - 1, len(values[0]) - 1 if values else 0
    primary = {(r, c) for r, row in enumerate(values) for c, n in enumerate(row) if _is_small(n)}
    hidden = set(primary)
    while True:
        bridges = exposed(hidden)
        if not bridges:
            break
        r0, c0 = bridges[0]
        comp = _components(hidden, skip=(r0, c0))
        # Removing the bridge leaves the row's side and the column's side apart; a hidden
        # cell joining a row of one side to a column of the other closes a cycle through it.
        side_r = {v for v in comp if comp[v] == comp.get(("r", r0))} | {("r", r0)}
        side_c = {v for v in comp if comp[v] == comp.get(("c", c0))} | {("c", c0)}
        closing = [
            (r, c)
            for r in range(nrows + 1)
            for c in range(ncols + 1)
            if (r, c) not in hidden
            and (
                (("r", r) in side_r and ("c", c) in side_c)
                or (("r", r) in side_c and ("c", c) in side_r)
            )
        ]
        if not closing:
            # A side that is only the bridge's end: give it a neighbour first.
            if not any(v[0] == "c" for v in side_r):
                closing = [(r0, c) for c in range(ncols + 1) if (r0, c) not in hidden]
            else:
                closing = [(r, c0) for r in range(nrows + 1) if (r, c0) not in hidden]
        hidden.add(_cheapest(values, closing, nrows, ncols))
    return Protected(values, frozenset(hidden), frozenset(primary))
