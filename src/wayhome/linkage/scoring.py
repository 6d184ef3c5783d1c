"""Score candidate record pairs in bulk: token scores once, alignments and levels in numpy.

Per pair the linker needs the best one-to-one alignment of the two names' tokens and
the comparison vector. Doing that in a Python loop cost more than everything else put
together on large lists, so pairs are grouped by (tokens left, tokens right) and each
group is aligned at once over every permutation; token scores come from one table
(``TokenScores``) filled by ``TokenPairs`` (compiled, on threads) only for token pairs
not scored before. The numbers are exactly those of
``wayhome.names.similarity.score_features`` with that token score.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import permutations

import numpy as np

from wayhome.linkage.io import Person
from wayhome.linkage.model import MISSING, birth_levels, name_levels, sex_levels
from wayhome.names.pair_scores import KeyTable, TokenPairs
from wayhome.names.similarity import TokenFeatures

EXTRA_TOKEN_FACTOR = 0.97  # as in similarity._align: an unaligned token costs a little
CHUNK = 500_000  # candidate pairs scored at once (bounds memory on large runs)


class TokenScores:
    """Scores of (left token, right token) pairs, as sorted int64 codes and float64 values.

    Scored by ``TokenPairs`` on ``workers`` threads; those kept are looked up again for
    the many record pairs sharing a token pair.
    """

    def __init__(
        self,
        left: Sequence[TokenFeatures] | KeyTable,
        right: Sequence[TokenFeatures] | KeyTable,
        workers: int = 1,
    ) -> None:
        self.pairs = TokenPairs(left, right)
        self.width = max(len(self.pairs.right.texts), 1)
        self.workers = workers
        self.codes = np.zeros(0, dtype=np.int64)
        self.values = np.zeros(0, dtype=np.float64)

    def add(self, lt: np.ndarray, rt: np.ndarray) -> np.ndarray:
        """Score the given token pairs not scored yet; returns the scores of all given."""
        codes = lt.astype(np.int64) * self.width + rt
        wanted = _distinct(codes)
        known = self._positions(wanted) >= 0
        fresh = wanted[~known]
        if len(fresh):
            scores = self.pairs.scores(fresh // self.width, fresh % self.width, 0.0, True,
                                       self.workers)  # fmt: skip
            merged = np.concatenate([self.codes, fresh])
            order = np.argsort(merged, kind="stable")
            self.codes = merged[order]
            self.values = np.concatenate([self.values, scores.astype(np.float64)])[order]
        found: np.ndarray = self.values[self._positions(codes)]
        return found

    def forget(self) -> None:
        """Drop the kept scores (between chunks of a long run, to bound memory)."""
        self.codes = np.zeros(0, dtype=np.int64)
        self.values = np.zeros(0, dtype=np.float64)

    def screen(self, lt: np.ndarray, rt: np.ndarray, floor: float) -> np.ndarray:
        """Scores of token pairs, exact where ``floor`` or more, else lower; not kept.

        For the blocking filter, without the root penalty: blocking keeps every pair
        alike in letters, and the penalty then weighs in the pair's name level.
        """
        scores: np.ndarray = self.pairs.scores(lt, rt, floor, False, self.workers)
        return scores.astype(np.float64)

    def _positions(self, codes: np.ndarray) -> np.ndarray:
        """Index of each code in the table, -1 where absent."""
        at = np.searchsorted(self.codes, codes)
        at = np.minimum(at, max(len(self.codes) - 1, 0))
        if not len(self.codes):
            return np.full(len(codes), -1, dtype=np.int64)
        return np.where(self.codes[at] == codes, at, -1)


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort beats numpy's hash-based unique on int64 here)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def token_matrix(records: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids per record padded with -1, and the number of tokens per record."""
    counts = np.array([len(r) for r in records], dtype=np.int64)
    matrix = np.full((len(records), max(int(counts.max(initial=0)), 1)), -1, dtype=np.int64)
    for n, tokens in enumerate(records):
        matrix[n, : len(tokens)] = tokens
    return matrix, counts


@cache
def _permutations(long_: int, short: int) -> np.ndarray:
    return np.array(list(permutations(range(long_), short)), dtype=np.int64)


def align(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(name score, best aligned token score, second best, lowest) of token-score grids
    [P, a, b], as ``model.name_levels`` takes them.

    The best one-to-one alignment over every permutation, the first one on ties, summed
    in the same order as ``similarity._align`` so that the numbers are identical. With
    one token aligned there is no second (0), with fewer than three no lowest (1), as
    ``model.name_level`` has them.
    """
    grid, chosen, total = best_alignments(grid)
    pairs, short, long_ = grid.shape
    aligned = np.sort(grid[np.arange(pairs)[:, None], np.arange(short)[None, :], chosen], axis=1)
    name = np.round(total / short * (EXTRA_TOKEN_FACTOR ** (long_ - short)), 4)
    top = aligned[:, -1]
    second = aligned[:, -2] if short > 1 else np.zeros_like(top)
    lowest = aligned[:, 0] if short > 2 else np.ones_like(top)
    return name, top, second, lowest


def best_alignments(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grids [P, short, long] (transposed where a > b, as ``similarity._align``
    swaps), each short token's partner in its best alignment [P, short], and the
    alignment's summed score [P]."""
    if grid.shape[1] > grid.shape[2]:
        grid = grid.transpose(0, 2, 1)
    pairs, short, long_ = grid.shape
    perms = _permutations(long_, short)
    total = grid[:, 0, perms[:, 0]]
    for i in range(1, short):
        total = total + grid[:, i, perms[:, i]]
    best = np.argmax(total, axis=1)
    return grid, perms[best], total[np.arange(pairs), best]


def birth_columns(persons: Sequence[Person]) -> np.ndarray:
    """(year, month, day) per person, MISSING where unknown."""
    return np.array(
        [
            (p.birth[0], p.birth[1] or MISSING, p.birth[2] or MISSING)
            if p.birth
            else (MISSING, MISSING, MISSING)
            for p in persons
        ],
        dtype=np.int64,
    ).reshape(len(persons), 3)


def _sex_column(persons: Sequence[Person]) -> np.ndarray:
    return np.array(["MF".find(p.sex) if p.sex else MISSING for p in persons], dtype=np.int64)


class PairScorer:
    """Name scores and comparison vectors of many candidate pairs of two lists."""

    def __init__(
        self,
        left: Sequence[Person],
        right: Sequence[Person],
        left_tokens: Sequence[Sequence[int]],
        right_tokens: Sequence[Sequence[int]],
        table: TokenScores,
    ) -> None:
        self.table = table
        self.lt, self.ln = token_matrix(left_tokens)
        self.rt, self.rn = token_matrix(right_tokens)
        self.lb, self.rb = birth_columns(left), birth_columns(right)
        self.ls, self.rs = _sex_column(left), _sex_column(right)

    def score(self, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Name scores [P] and comparison vectors [P, 3] of the pairs (i[k], j[k])."""
        vectors = np.zeros((len(i), 3), dtype=np.int64)
        names, vectors[:, 0] = self._names(i, j)
        vectors[:, 1] = birth_levels(self.lb[i], self.rb[j])
        vectors[:, 2] = sex_levels(self.ls[i], self.rs[j])
        return names, vectors

    def kept(
        self, i: np.ndarray, j: np.ndarray, min_name: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(left, right, vectors) of the pairs whose name score is ``min_name`` or more.

        Scored CHUNK pairs at a time (at most), each chunk with a fresh token table, and
        kept in small types (int32 indexes, int8 levels): tens of millions of candidates
        fit in a few hundred megabytes.
        """
        parts = [(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros((0, 3), np.int8))]
        for start in range(0, len(i), CHUNK):
            ci, cj = i[start : start + CHUNK], j[start : start + CHUNK]
            names, vectors = self.score(ci, cj)
            self.table.forget()
            keep = names >= min_name
            parts.append((ci[keep].astype(np.int32), cj[keep].astype(np.int32),
                          vectors[keep].astype(np.int8)))  # fmt: skip
        li, rj, vectors = (np.concatenate(column) for column in zip(*parts, strict=True))
        return li, rj, vectors

    def _names(self, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lt, rt = self.lt[i], self.rt[j]
        both = (lt[:, :, None] >= 0) & (rt[:, None, :] >= 0)
        grid = np.zeros(both.shape, dtype=np.float64)
        lt_b = np.broadcast_to(lt[:, :, None], both.shape)[both]
        rt_b = np.broadcast_to(rt[:, None, :], both.shape)[both]
        grid[both] = self.table.add(lt_b, rt_b)
        names = np.zeros(len(i), dtype=np.float64)
        levels = np.zeros(len(i), dtype=np.int64)
        shapes = self.ln[i] * 1000 + self.rn[j]
        for shape in np.unique(shapes):
            a, b = divmod(int(shape), 1000)
            members = np.flatnonzero(shapes == shape)
            if not a or not b:
                continue
            name, top, second, lowest = align(grid[members, :a, :b])
            names[members] = name
            levels[members] = name_levels(top, second, lowest)
        return names, levels
