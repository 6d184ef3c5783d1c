"""Score candidate record pairs in bulk: token scores once, alignments and levels in numpy.

Per pair the linker needs the best one-to-one alignment of the two names' tokens and
the comparison vector. Doing that in a Python loop cost more than everything else put
together on large lists, so pairs are grouped by (tokens left, tokens right) and each
group is aligned at once over every permutation; token scores come from one table
(``TokenScores``) filled by the ``TokenBank`` only for token pairs not scored before.
The numbers are exactly those of ``wayhome.names.similarity.score_features``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import permutations

import numpy as np

from wayhome.linkage.forked import forked_map
from wayhome.linkage.io import Person
from wayhome.linkage.model import MISSING, birth_levels, name_levels, sex_levels
from wayhome.names.similarity import TokenBank, TokenFeatures

EXTRA_TOKEN_FACTOR = 0.97  # as in similarity._align: an unaligned token costs a little
CHUNK = 500_000  # candidate pairs scored at once (bounds memory on large runs)
PARALLEL_MIN = 20_000  # fewer pairs than this are scored in this process


class TokenScores:
    """Scores of (left token, right token) pairs, as sorted int64 codes and float64 values."""

    def __init__(self, left: Sequence[TokenFeatures], bank: TokenBank) -> None:
        self.left = left
        self.bank = bank
        self.width = max(len(bank.tokens), 1)
        self.codes = np.zeros(0, dtype=np.int64)
        self.values = np.zeros(0, dtype=np.float64)
        self._primed = False  # the bank has counted the left tokens' root edits

    def add(self, lt: np.ndarray, rt: np.ndarray) -> np.ndarray:
        """Score the given token pairs not scored yet; returns the scores of all given."""
        codes = lt.astype(np.int64) * self.width + rt
        wanted = _distinct(codes)
        known = self._positions(wanted) >= 0
        fresh = wanted[~known]
        if len(fresh):
            merged = np.concatenate([self.codes, fresh])
            order = np.argsort(merged, kind="stable")
            self.codes = merged[order]
            self.values = np.concatenate([self.values, self._score(fresh, 0.0)])[order]
        found: np.ndarray = self.values[self._positions(codes)]
        return found

    def forget(self) -> None:
        """Drop the kept scores (between chunks of a long run, to bound memory)."""
        self.codes = np.zeros(0, dtype=np.int64)
        self.values = np.zeros(0, dtype=np.float64)

    def screen(self, lt: np.ndarray, rt: np.ndarray, floor: float, workers: int = 1) -> np.ndarray:
        """Scores of distinct token pairs, exact where ``floor`` or more, else just below.

        For the blocking filter: several times faster than exact scores, and not kept;
        without the root penalty, so that blocking keeps every pair alike in letters.
        A pair's score depends on that pair alone, so the pairs are cut into pieces
        scored on ``workers`` processes, with the same numbers.
        """
        codes = lt.astype(np.int64) * self.width + rt
        order = np.argsort(codes, kind="stable")
        scores = np.zeros(len(codes), dtype=np.float64)
        pieces = np.array_split(codes[order], _pieces(len(codes), workers))
        screened = forked_map(lambda c: self._score(c, floor, root=False), pieces, workers)
        scores[order] = np.concatenate([np.zeros(0), *screened])
        return scores

    def prime(self) -> None:
        """Have the bank count the left tokens' root edits (once; before forking, so that
        the workers inherit the table instead of each counting it again)."""
        if not self._primed:
            self.bank.prime_roots(self.left)
            self._primed = True

    def _score(self, codes: np.ndarray, floor: float, root: bool = True) -> np.ndarray:
        """Scores of sorted token-pair codes, one bank call per left token."""
        if not len(codes):
            return np.zeros(0, dtype=np.float64)
        if root:
            self.prime()
        lefts = codes // self.width
        starts = np.flatnonzero(np.r_[True, lefts[1:] != lefts[:-1]])
        parts = [
            self.bank.scores(self.left[int(lefts[s])], codes[s:e] % self.width, floor, root)
            for s, e in zip(starts, np.r_[starts[1:], len(codes)], strict=True)
        ]
        return np.concatenate(parts).astype(np.float64)

    def _positions(self, codes: np.ndarray) -> np.ndarray:
        """Index of each code in the table, -1 where absent."""
        at = np.searchsorted(self.codes, codes)
        at = np.minimum(at, max(len(self.codes) - 1, 0))
        if not len(self.codes):
            return np.full(len(codes), -1, dtype=np.int64)
        return np.where(self.codes[at] == codes, at, -1)


def _pieces(items: int, workers: int) -> int:
    """How many pieces to cut ``items`` into for ``workers``: two each, so that a worker
    done early takes another, and one when the work is too small to be worth a fork."""
    return 1 if workers < 2 or items < PARALLEL_MIN else 2 * workers


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


def align(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(name score, best aligned token score, second best) of token-score grids [P, a, b].

    The best one-to-one alignment over every permutation, the first one on ties, summed
    in the same order as ``similarity._align`` so that the numbers are identical.
    """
    if grid.shape[1] > grid.shape[2]:
        grid = grid.transpose(0, 2, 1)
    pairs, short, long_ = grid.shape
    perms = _permutations(long_, short)
    total = grid[:, 0, perms[:, 0]]
    for i in range(1, short):
        total = total + grid[:, i, perms[:, i]]
    best = np.argmax(total, axis=1)
    rows = np.arange(pairs)
    aligned = np.sort(grid[rows[:, None], np.arange(short)[None, :], perms[best]], axis=1)
    name = np.round(total[rows, best] / short * (EXTRA_TOKEN_FACTOR ** (long_ - short)), 4)
    top = aligned[:, -1]
    second = aligned[:, -2] if short > 1 else top
    return name, top, second


def _birth_columns(persons: Sequence[Person]) -> np.ndarray:
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
        self.lb, self.rb = _birth_columns(left), _birth_columns(right)
        self.ls, self.rs = _sex_column(left), _sex_column(right)

    def score(self, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Name scores [P] and comparison vectors [P, 3] of the pairs (i[k], j[k])."""
        vectors = np.zeros((len(i), 3), dtype=np.int64)
        names, vectors[:, 0] = self._names(i, j)
        vectors[:, 1] = birth_levels(self.lb[i], self.rb[j])
        vectors[:, 2] = sex_levels(self.ls[i], self.rs[j])
        return names, vectors

    def kept(
        self, i: np.ndarray, j: np.ndarray, min_name: float, workers: int = 1
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(left, right, vectors) of the pairs whose name score is ``min_name`` or more.

        Scored CHUNK pairs at a time (at most), each chunk with a fresh token table, and
        kept in small types (int32 indexes, int8 levels): tens of millions of candidates
        fit in a few hundred megabytes. The chunks are scored on ``workers`` processes
        (a pair's numbers depend on that pair alone) and joined in order.
        """
        if not len(i):
            return (np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros((0, 3), np.int8))
        pieces = max(_pieces(len(i), workers), -(-len(i) // CHUNK))
        bounds = np.linspace(0, len(i), pieces + 1).astype(np.int64)

        def chunk(at: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            ci, cj = i[bounds[at] : bounds[at + 1]], j[bounds[at] : bounds[at + 1]]
            names, vectors = self.score(ci, cj)
            self.table.forget()
            keep = names >= min_name
            return (ci[keep].astype(np.int32), cj[keep].astype(np.int32),
                    vectors[keep].astype(np.int8))  # fmt: skip

        if workers > 1 and pieces > 1:
            self.table.prime()
        parts = forked_map(chunk, range(pieces), workers)
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
            name, top, second = align(grid[members, :a, :b])
            names[members] = name
            levels[members] = name_levels(top, second)
        return names, levels
