"""Scores of many (left token, right token) pairs at once, compiled (``_pair_scores``).

The linker's token score: the best, over every pair of the two tokens' spellings, of
the edit similarity of their Latin keys (rapidfuzz's normalised Levenshtein similarity,
0 below a floor), less the root penalty (``similarity.root_penalty``) when asked, less
both spellings' doubts, in float32, clipped to [0, 1]. With rapidfuzz that is one call
per left token against the spellings of the right tokens it meets; a linked list has
thousands of left tokens meeting hundreds of right tokens each, and those calls' set-up
and the numpy around them cost as much as the distances. Here all the pairs are scored
in one compiled pass (``_pair_scores.pyx``, built with the package by Cython): each key
pair's distance by the bit-parallel algorithm rapidfuzz itself uses for short strings
(Myers 1999, in Hyyrö's form), the similarity in the same double arithmetic and the
steps after it in the same float32 ones, so the scores are identical to the bit (the
tests compare them with rapidfuzz's, pair by pair).
A key pair is skipped when its lengths and letters bound its similarity below the floor
or below the token pair's best so far: the distance is at least the difference in
length, and at least the number of letters one key holds and the other lacks.

The pass holds no Python object and releases the GIL: ``workers`` threads score their
share of the pairs side by side, with no process forked.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from operator import attrgetter, itemgetter

import numpy as np

from wayhome.names import _pair_scores
from wayhome.names.romanise import Columns, source_name, source_number
from wayhome.names.similarity import (
    ROOT,
    ROOT_EDIT_COST,
    ROOT_FREE_EDITS,
    TokenFeatures,
    TokenMatch,
)

WORD = _pair_scores.BIT_PARALLEL_LETTERS  # keys up to this long take the bit-parallel path
# The root penalty as the kernels take it: window letters, cost per edit, free edits.
_ROOT = (ROOT, ROOT_EDIT_COST, ROOT_FREE_EDITS)
PIECES_PER_WORKER = 4  # a thread that finishes early takes another piece
KEY_ROWS_AT_ONCE = 100_000  # tokens whose block keys are made at once


# A KeyTable as the kernels read it (``KeyTable.arrays``).
Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class KeyTable:
    """The spellings of a list of tokens as flat arrays: where each token's keys start,
    where each key's letters start, the letters as code points (``points``) and as
    numbers from 0 (``letters``, given by ``TokenPairs``), and each key's doubt."""

    def __init__(self, tokens: Sequence[TokenFeatures]) -> None:
        spellings = [k for t in tokens for k in t.keys]
        self._fill(
            [t.text for t in tokens],
            _starts(list(map(len, map(attrgetter("keys"), tokens)))),
            list(map(itemgetter(0), spellings)),
            list(map(itemgetter(3), spellings)),
        )
        self.latins = list(map(itemgetter(1), spellings))
        self.sources = np.array([source_number(k.source) for k in spellings], dtype=np.int64)

    @classmethod
    def of_columns(cls, texts: Sequence[str], columns: Columns) -> KeyTable:
        """The table of tokens whose keys are ``columns`` (``romanise.primed_columns``):
        what ``KeyTable`` of their features holds, without a ``Spelling`` made."""
        table = cls.__new__(cls)
        table._fill(list(texts), columns.bounds, columns.keys, columns.doubts)
        table.latins = columns.latins
        table.sources = columns.sources
        return table

    def _fill(
        self,
        texts: list[str],
        token_starts: np.ndarray,
        keys: list[str],
        doubts: list[float] | np.ndarray,
    ) -> None:
        self.texts = texts
        self.token_starts = np.asarray(token_starts, dtype=np.int64)
        self.key_starts = _starts(list(map(len, keys)))
        text = "".join(keys).encode("utf-32-le")
        # int32: a million-person registry holds tens of millions of letters.
        self.points = np.frombuffer(text, dtype=np.uint32).astype(np.int32)
        self.letters = self.points
        self.sets = np.zeros(0, dtype=np.uint64)  # per key, its letters as bits (TokenPairs)
        self.doubts64 = np.array(doubts, dtype=np.float64)
        self.doubts = self.doubts64.astype(np.float32)

    def arrays(self, exact: bool = False) -> Arrays:
        """What the kernels read: token starts, key starts, letters, and the keys'
        doubts (float64 with ``exact``, else float32)."""
        doubts = self.doubts64 if exact else self.doubts
        return self.token_starts, self.key_starts, self.letters, doubts

    def block_key_codes(self, spellings: int, widths: tuple[int, ...]) -> np.ndarray:
        """Distinct (token, ``similarity.block_key_code``) of the ``block_keys`` of every
        token, by token, KEY_ROWS_AT_ONCE tokens at a time (bounds the memory of a
        registry's)."""
        parts = [np.zeros((0, 2), dtype=np.int64)]
        for first in range(0, len(self.texts), KEY_ROWS_AT_ONCE):
            starts = self.token_starts[first : first + KEY_ROWS_AT_ONCE + 1]
            rows = _pair_scores.block_codes(starts, self.key_starts, self.points, spellings,
                                            np.array(widths, dtype=np.int64))  # fmt: skip
            rows[:, 0] += first
            parts.append(rows)
        return np.concatenate(parts)


def _indexes(values: np.ndarray) -> np.ndarray:
    """Token indexes as the kernels read them: contiguous int64 (a column of rows is not)."""
    return np.ascontiguousarray(values, dtype=np.int64)


def _starts(sizes: list[int]) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64)


class TokenPairs:
    """Scores of (left token, right token) pairs of two token lists."""

    def __init__(
        self, left: Sequence[TokenFeatures] | KeyTable, right: Sequence[TokenFeatures] | KeyTable
    ) -> None:
        self.left, self.right = (
            s if isinstance(s, KeyTable) else KeyTable(s) for s in (left, right)
        )
        # Letters numbered from 0 over both sides: the bit masks are indexed by them.
        present = np.zeros(0x110000, dtype=bool)
        for table in (self.left, self.right):
            present[table.letters] = True
        number = (np.cumsum(present) - 1).astype(np.int32)
        for table in (self.left, self.right):
            table.letters = number[table.letters]
        self.masks = _pair_scores.masks(
            self.left.key_starts, self.left.letters, max(int(present.sum()), 1)
        )
        for table in (self.left, self.right):
            table.sets = _pair_scores.letter_sets(table.key_starts, table.letters)

    def scores(
        self,
        lt: np.ndarray,
        rt: np.ndarray,
        floor: float = 0.0,
        root: bool = True,
        workers: int = 1,
    ) -> np.ndarray:
        """float32 score of each pair (lt[n], rt[n]) of left and right token indexes (a
        score below ``floor`` may come out lower than it is, down to 0; the root penalty
        only with ``root``)."""
        lt, rt = _indexes(lt), _indexes(rt)
        out = np.zeros(len(lt), dtype=np.float32)
        if not len(lt):
            return out
        pieces = 1 if workers < 2 else workers * PIECES_PER_WORKER
        cuts = np.linspace(0, len(lt), pieces + 1).astype(np.int64)

        # rapidfuzz compares a similarity with its cutoff as a float32: exactly 0.6 is
        # below a cutoff of 0.6 (0.6 as a float32 is 0.6000000238...); checked against
        # rapidfuzz on every similarity of up to 60 letters at 200 cutoffs.
        cutoff = float(np.float32(floor))

        def score(n: int) -> None:
            a, b = int(cuts[n]), int(cuts[n + 1])
            _pair_scores.score_pairs(
                lt[a:b], rt[a:b], *self.left.arrays(), self.masks, self.left.sets,
                *self.right.arrays(), self.right.sets, cutoff, root, *_ROOT, out[a:b],
            )  # fmt: skip

        if pieces == 1:
            score(0)
        else:
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(score, range(pieces)))
        return out

    def matches(self, lt: np.ndarray, rt: np.ndarray) -> list[TokenMatch]:
        """``similarity.token_similarity`` of each pair (lt[n], rt[n]): the same match,
        score and spellings (float64, first best on ties, as ``_token_match``)."""
        scores, chosen = self.best(lt, rt)
        ends = zip(np.asarray(lt).tolist(), np.asarray(rt).tolist(), strict=True)
        spellings = chosen.tolist()
        return [
            self.match(a, b, score, i, f)
            for (a, b), score, (i, f) in zip(ends, scores, spellings, strict=True)
        ]

    def best(self, lt: np.ndarray, rt: np.ndarray) -> tuple[list[float], np.ndarray]:
        """Per pair (lt[n], rt[n]), the score of its ``matches`` and the (left, right)
        spellings chosen, without making the matches (a caller may need few of them)."""
        lt, rt = _indexes(lt), _indexes(rt)
        scores = np.zeros(len(lt), dtype=np.float64)
        chosen = np.zeros((len(lt), 2), dtype=np.int64)
        exact = True  # the explanation's doubts, in float64 as ``_token_match`` has them
        _pair_scores.best_spellings(lt, rt, *self.left.arrays(exact), self.masks,
                                    *self.right.arrays(exact), *_ROOT, scores, chosen)  # fmt: skip
        return [round(max(score, 0.0), 4) for score in scores.tolist()], chosen

    def match(self, a: int, b: int, score: float, i: int, f: int) -> TokenMatch:
        """The ``matches`` entry of left token ``a`` and right token ``b`` from ``best``."""
        left, right = self.left, self.right
        ls, rs = source_name(int(left.sources[i])), source_name(int(right.sources[f]))
        via = rs if ls == "as written" else ls
        texts = left.texts[a], right.texts[b]
        return TokenMatch(*texts, score, left.latins[i], right.latins[f], via)
