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
    shapes: dict[tuple[int, int], list[int]] = defaultdict(list)
    for n, (a, b) in enumerate(pairs):
        if a and b:
            shapes[(min(len(a), len(b)), max(len(a), len(b)))].append(n)
    for (short, long_), members in shapes.items():
        # grid[m, i, j]: the score of the i-th token of the shorter name against the j-th
        # of the longer, always scored query token first (as ``_align`` does).
        grid = np.empty((len(members), short, long_), dtype=np.float64)
        for m, n in enumerate(members):
            a, b = pairs[n]
            if len(a) > len(b):
                grid[m] = [[score(t, s) for t in a] for s in b]
            else:
                grid[m] = [[score(s, t) for t in b] for s in a]
        perms = _permutations(long_, short)
        totals = grid[:, 0, perms[:, 0]]
        for i in range(1, short):
            totals = totals + grid[:, i, perms[:, i]]
        best = totals.argmax(axis=1)
        extra = LONG_PENALTY ** (long_ - short)
        for m, n in enumerate(members):
            perm = perms[best[m]]
            total = float(totals[m, best[m]])
            aligned = sorted((float(grid[m, i, perm[i]]) for i in range(short)), reverse=True)
            out[n] = NameScore(round(total / short * extra, 4), tuple(aligned))
    return out
