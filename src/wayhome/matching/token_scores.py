"""Token scores of a search, computed in bulk.

Scoring a shortlist compares each token of the query with the tokens of every
candidate's names. One at a time (``names.similarity.token_similarity``) that is a
Python loop over every pair of their spellings, most of a request's time when its names
are met for the first time; here each query token is compared with all the tokens it
still needs in one C++ call (``rapidfuzz.process.cdist``), with the same arithmetic in
the same order, so the scores are the same to the last bit. They are kept per pair of
token objects (tokens read back from storage are one object per token, see
``keys.features_read``) for the searches that follow.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from wayhome.names.similarity import TokenFeatures, root_penalties, token_similarity

CACHE_MAX = 400_000  # pairs kept; the cache starts again when it is full

_SCORES: dict[tuple[TokenFeatures, TokenFeatures], float] = {}


def token_score(left: TokenFeatures, right: TokenFeatures) -> float:
    """The score of a query token against a candidate's token (``prefetch`` fills them)."""
    found = _SCORES.get((left, right))
    return token_similarity(left, right).score if found is None else found


def _penalties(tokens: Iterable[TokenFeatures]) -> np.ndarray:
    return np.array([k.penalty for t in tokens for k in t.keys], dtype=np.float64)


def _scores_of(left: TokenFeatures, rights: list[TokenFeatures]) -> list[float]:
    """``token_similarity(left, r).score`` for every r, in one call: the best over
    every spelling pair of the similarity less both spellings' doubts, at least 0,
    rounded to 4 places."""
    mine, theirs = [k.key for k in left.keys], [k.key for t in rights for k in t.keys]
    raw = process.cdist(mine, theirs, scorer=Levenshtein.normalized_similarity, dtype=np.float64)
    raw -= root_penalties(mine, theirs)
    raw -= _penalties(rights)[None, :]
    raw -= _penalties([left])[:, None]
    best = raw.max(axis=0)
    starts = np.cumsum([0] + [len(t.keys) for t in rights[:-1]])
    return [round(max(float(s), 0.0), 4) for s in np.maximum.reduceat(best, starts)]


def prefetch(pairs: Iterable[tuple[TokenFeatures, Iterable[TokenFeatures]]]) -> None:
    """Score each query token against the candidate tokens given with it, those not
    already known, one call per query token."""
    if len(_SCORES) > CACHE_MAX:
        _SCORES.clear()
    for left, rights in pairs:
        missing = list({id(r): r for r in rights if (left, r) not in _SCORES}.values())
        if missing:
            _SCORES.update(
                zip(((left, r) for r in missing), _scores_of(left, missing), strict=True)
            )
