"""Name alignments of a search, computed in bulk.

A request's candidates compare a few hundred pairs of names; one at a time
(``names.similarity.score_features``) each pair is a Python loop over the permutations of
its tokens, most of the scoring time once the token scores are known. Here the pairs of
the same shape (tokens on each side) are aligned together in numpy: the totals are summed
in the same order as the loop's and the first best permutation wins as in the loop, so
the scores are the same to the last bit (``tests/matching/test_align.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from itertools import permutations

import numpy as np

from wayhome.names.similarity import NameScore, TokenFeatures, TokenScore

Tokens = Sequence[TokenFeatures]
LONG_PENALTY = 0.97  # what each extra token of the longer name costs (as ``_align``)


@lru_cache(maxsize=64)
def _permutations(long_: int, short: int) -> np.ndarray:
    """Every ordered choice of ``short`` of ``long_`` positions, in ``itertools`` order."""
    return np.array(list(permutations(range(long_), short)), dtype=np.intp).reshape(-1, short)


def align_many(pairs: Sequence[tuple[Tokens, Tokens]], score: TokenScore) -> list[NameScore]:
    """``score_features(a, b, score)`` of each pair of token sequences (query side first)."""
    out: list[NameScore] = [NameScore(0.0, ())] * len(pairs)
    # The same pair of names (tokens are shared objects) is aligned once: a request meets
    # the same family's names, or the same name in two records, again and again.
    first: dict[tuple[Tokens, Tokens], int] = {}
    again: list[tuple[int, int]] = []
    shapes: dict[tuple[int, int], list[int]] = defaultdict(list)
    for n, (a, b) in enumerate(pairs):
        if not a or not b:
            continue
        key = (tuple(a), tuple(b))
        seen = first.setdefault(key, n)
        if seen != n:
            again.append((n, seen))
        else:
            shapes[(min(len(a), len(b)), max(len(a), len(b)))].append(n)
    for (short, long_), members in shapes.items():
        _align_shape(pairs, members, short, long_, score, out)
    for n, seen in again:
        out[n] = out[seen]
    return out


def _align_shape(
    pairs: Sequence[tuple[Tokens, Tokens]],
    members: list[int],
    short: int,
    long_: int,
    score: TokenScore,
    out: list[NameScore],
) -> None:
    """Align the pairs ``members`` of one shape (``short`` tokens against ``long_``)."""
    # cells[m, i, j]: the i-th token of the shorter name against the j-th of the longer,
    # always scored query token first (as ``_align`` does).
    cells: list[float] = []
    for n in members:
        a, b = pairs[n]
        if len(a) > len(b):
            cells.extend(score(t, s) for s in b for t in a)
        else:
            cells.extend(score(s, t) for s in a for t in b)
    grid = np.array(cells, dtype=np.float64).reshape(len(members), short, long_)
    perms = _permutations(long_, short)
    totals = grid[:, 0, perms[:, 0]]
    for i in range(1, short):
        totals = totals + grid[:, i, perms[:, i]]
    best = totals.argmax(axis=1)  # the first best, as the loop's strict ``>`` keeps
    rows = np.arange(len(members))
    best_totals = totals[rows, best].tolist()
    aligned = grid[rows[:, None], np.arange(short)[None, :], perms[best]].tolist()
    extra = LONG_PENALTY ** (long_ - short)
    for n, total, scores in zip(members, best_totals, aligned, strict=True):
        out[n] = NameScore(round(total / short * extra, 4), tuple(sorted(scores, reverse=True)))
