"""Scores of many (left token, right token) pairs at once, compiled with Numba.

The linker's token score: the best, over every pair of the two tokens' spellings, of
the edit similarity of their Latin keys (rapidfuzz's normalised Levenshtein similarity,
0 below a floor), less the root penalty (``similarity.root_penalty``) when asked, less
both spellings' doubts, in float32, clipped to [0, 1]. With rapidfuzz that is one call
per left token against the spellings of the right tokens it meets; a linked list has
thousands of left tokens meeting hundreds of right tokens each, and those calls' set-up
and the numpy around them cost as much as the distances. Here all the pairs are scored
in one compiled pass: each key pair's distance by the bit-parallel algorithm rapidfuzz
itself uses for short strings (Myers 1999, in Hyyrö's form), the similarity in the
same double arithmetic and the steps after it in the same float32 ones, so the scores
are identical to the bit (the tests compare them with rapidfuzz's, pair by pair).
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

from wayhome.names.compiled import njit
from wayhome.names.similarity import (
    ROOT,
    ROOT_EDIT_COST,
    ROOT_FREE_EDITS,
    TokenFeatures,
    TokenMatch,
)

WORD = 64  # keys up to this long take the bit-parallel path; longer ones the full table
PIECES_PER_WORKER = 4  # a thread that finishes early takes another piece
KEY_ROWS_AT_ONCE = 100_000  # tokens whose block keys are made at once


# A KeyTable as the kernels read it (``KeyTable.arrays``).
Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class KeyTable:
    """The spellings of a list of tokens as flat arrays: where each token's keys start,
    where each key's letters start, the letters as code points (``points``) and as
    numbers from 0 (``letters``, given by ``TokenPairs``), and each key's doubt."""

    def __init__(self, tokens: Sequence[TokenFeatures]) -> None:
        self.tokens = tokens
        self.spellings = [k for t in tokens for k in t.keys]
        keys = list(map(itemgetter(0), self.spellings))
        self.token_starts = _starts(list(map(len, map(attrgetter("keys"), tokens))))
        self.key_starts = _starts(list(map(len, keys)))
        text = "".join(keys).encode("utf-32-le")
        # int32: a million-person registry holds tens of millions of letters.
        self.points = np.frombuffer(text, dtype=np.uint32).astype(np.int32)
        self.letters = self.points
        self.sets = np.zeros(0, dtype=np.uint64)  # per key, its letters as bits (TokenPairs)
        self.doubts64 = np.array(list(map(itemgetter(3), self.spellings)), dtype=np.float64)
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
        for first in range(0, len(self.tokens), KEY_ROWS_AT_ONCE):
            starts = self.token_starts[first : first + KEY_ROWS_AT_ONCE + 1]
            rows = _block_codes(starts, self.key_starts, self.points, spellings,
                                np.array(widths, dtype=np.int64))  # fmt: skip
            rows[:, 0] += first
            parts.append(rows)
        return np.concatenate(parts)


def _starts(sizes: list[int]) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64)


class TokenPairs:
    """Scores of (left token, right token) pairs of two token lists."""

    def __init__(self, left: Sequence[TokenFeatures], right: Sequence[TokenFeatures]) -> None:
        self.left, self.right = KeyTable(left), KeyTable(right)
        # Letters numbered from 0 over both sides: the bit masks are indexed by them.
        present = np.zeros(0x110000, dtype=bool)
        for table in (self.left, self.right):
            present[table.letters] = True
        number = (np.cumsum(present) - 1).astype(np.int32)
        for table in (self.left, self.right):
            table.letters = number[table.letters]
        self.masks = _masks(self.left.key_starts, self.left.letters, max(int(present.sum()), 1))
        for table in (self.left, self.right):
            table.sets = _letter_sets(table.key_starts, table.letters)

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
        lt, rt = np.asarray(lt, dtype=np.int64), np.asarray(rt, dtype=np.int64)
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
            _score_pairs(lt[a:b], rt[a:b], self.left.arrays(), self.masks, self.left.sets,
                         self.right.arrays(), self.right.sets, cutoff, root, out[a:b])  # fmt: skip

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
        lt, rt = np.asarray(lt, dtype=np.int64), np.asarray(rt, dtype=np.int64)
        scores = np.zeros(len(lt), dtype=np.float64)
        chosen = np.zeros((len(lt), 2), dtype=np.int64)
        exact = True  # the explanation's doubts, in float64 as ``_token_match`` has them
        _best_spellings(lt, rt, self.left.arrays(exact), self.masks, self.right.arrays(exact),
                        scores, chosen)  # fmt: skip
        return [round(max(score, 0.0), 4) for score in scores.tolist()], chosen

    def match(self, a: int, b: int, score: float, i: int, f: int) -> TokenMatch:
        """The ``matches`` entry of left token ``a`` and right token ``b`` from ``best``."""
        ls, rs = self.left.spellings[i], self.right.spellings[f]
        via = rs.source if ls.source == "as written" else ls.source
        texts = self.left.tokens[a].text, self.right.tokens[b].text
        return TokenMatch(*texts, score, ls.latin, rs.latin, via)


@njit(cache=True, nogil=True)
def _best_spellings(
    lt: np.ndarray,
    rt: np.ndarray,
    left: Arrays,
    l_masks: np.ndarray,
    right: Arrays,
    scores: np.ndarray,
    chosen: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """``TokenPairs.matches`` into ``scores`` and ``chosen`` (left, right spelling)."""
    l_tokens, l_keys, l_letters, l_doubts = left
    r_tokens, r_keys, r_letters, r_doubts = right
    window = np.empty(ROOT + 1, dtype=np.int64)  # scratch of _root_edits
    for n in range(len(lt)):
        score, best_left, best_right = -1.0, l_tokens[lt[n]], r_tokens[rt[n]]
        for i in range(l_tokens[lt[n]], l_tokens[lt[n] + 1]):
            row, at = -np.inf, -1
            for f in range(r_tokens[rt[n]], r_tokens[rt[n] + 1]):
                value = _similarity(l_letters, l_keys, l_masks, i, r_letters, r_keys[f],
                                    r_keys[f + 1], 0.0)  # fmt: skip
                edits = _root_edits(
                    l_letters, l_keys, i, r_letters, r_keys[f], r_keys[f + 1], window
                )
                value -= ROOT_EDIT_COST * max(edits - ROOT_FREE_EDITS, 0)
                value -= r_doubts[f]
                if at < 0 or value > row:  # the first best, as argmax
                    row, at = value, f
            total = row - l_doubts[i]
            if total > score:
                score, best_left, best_right = total, i, at
        scores[n] = score
        chosen[n, 0], chosen[n, 1] = best_left, best_right


@njit(cache=True, nogil=True)
def _block_codes(
    tokens: np.ndarray, keys: np.ndarray, points: np.ndarray, spellings: int, widths: np.ndarray
) -> np.ndarray:  # pragma: no cover - compiled
    """(token, ``block_key_code``) rows of the block keys of every token, each once: of
    the first ``spellings`` keys of each, those starting with "~" left out."""
    out = np.zeros(((len(keys) - 1) * 3 * len(widths), 2), dtype=np.int64)
    bones = np.zeros(64, dtype=np.int64)
    n = 0
    for t in range(len(tokens) - 1):
        mine = n  # where this token's rows start: a code already there is not repeated
        for k in range(tokens[t], min(tokens[t + 1], tokens[t] + spellings)):
            start, end = keys[k], keys[k + 1]
            if end == start or points[start] == 126:  # "~": consonants-only keys
                continue
            size = 0  # the consonant skeleton's first letters: the first, then consonants
            for at in range(start, end):
                p = points[at]
                vowel = p == 97 or p == 101 or p == 105 or p == 111 or p == 117  # a e i o u
                if (at == start or not vowel) and size < len(bones):
                    bones[size] = p
                    size += 1
            for width in widths:
                tag = np.int64(width * 3) << 20
                prefix, suffix, skeleton = np.int64(0), np.int64(0), np.int64(0)
                for at in range(start, min(end, start + width)):
                    prefix = prefix << 5 | _digit(points[at])
                for at in range(max(start, end - width), end):
                    suffix = suffix << 5 | _digit(points[at])
                for at in range(min(size, width)):
                    skeleton = skeleton << 5 | _digit(bones[at])
                for code in (tag | prefix, tag + (1 << 20) | suffix, tag + (2 << 20) | skeleton):
                    seen = False
                    for earlier in range(mine, n):
                        if out[earlier, 1] == code:
                            seen = True
                            break
                    if not seen:
                        out[n, 0], out[n, 1] = t, code
                        n += 1
    return out[:n]


@njit(cache=True, nogil=True, inline="always")
def _digit(point: int) -> int:  # pragma: no cover - compiled
    """``similarity._digit``: a-z as 1-26, anything else one of 27-31."""
    return point - 96 if 97 <= point <= 122 else 27 + point % 5


@njit(cache=True, nogil=True)
def _letter_sets(starts: np.ndarray, letters: np.ndarray) -> np.ndarray:  # pragma: no cover
    """Per key, the set of its letters as bits: letter n is bit n % 64 (letters sharing a
    bit only make a count of letters one key lacks smaller, never larger)."""
    sets = np.zeros(len(starts) - 1, dtype=np.uint64)
    for k in range(len(starts) - 1):
        for at in range(starts[k], starts[k + 1]):
            sets[k] |= np.uint64(1) << np.uint64(letters[at] % 64)
    return sets


@njit(cache=True, nogil=True, inline="always")
def _popcount(bits: np.uint64) -> int:  # pragma: no cover - compiled
    """The number of bits set (SWAR; LLVM makes it one instruction where there is one)."""
    bits = bits - ((bits >> np.uint64(1)) & np.uint64(0x5555555555555555))
    bits = (bits & np.uint64(0x3333333333333333)) + (
        (bits >> np.uint64(2)) & np.uint64(0x3333333333333333)
    )
    bits = (bits + (bits >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((bits * np.uint64(0x0101010101010101)) >> np.uint64(56))


@njit(cache=True, nogil=True)
def _masks(starts: np.ndarray, letters: np.ndarray, size: int) -> np.ndarray:  # pragma: no cover
    """Per key, per letter, the bit set of the positions holding that letter (the first
    WORD positions)."""
    masks = np.zeros((len(starts) - 1, size), dtype=np.uint64)
    for k in range(len(starts) - 1):
        for at in range(starts[k], min(starts[k + 1], starts[k] + WORD)):
            masks[k, letters[at]] |= np.uint64(1) << np.uint64(at - starts[k])
    return masks


@njit(cache=True, nogil=True)
def _score_pairs(
    lt: np.ndarray,
    rt: np.ndarray,
    left: Arrays,
    l_masks: np.ndarray,
    l_sets: np.ndarray,
    right: Arrays,
    r_sets: np.ndarray,
    floor: float,
    root: bool,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """``TokenPairs.scores`` into ``out`` (spellings read in place, by index)."""
    l_tokens, l_keys, l_letters, l_doubts = left
    r_tokens, r_keys, r_letters, r_doubts = right
    window = np.empty(ROOT + 1, dtype=np.int64)  # scratch of _root_edits
    for n in range(len(lt)):
        best = np.float32(-np.inf)
        for f in range(r_tokens[rt[n]], r_tokens[rt[n] + 1]):
            b_start, b_end = r_keys[f], r_keys[f + 1]
            b_size = b_end - b_start
            for i in range(l_tokens[lt[n]], l_tokens[lt[n] + 1]):
                a_size = l_keys[i + 1] - l_keys[i]
                longest = max(a_size, b_size)
                # The best similarity the letters allow, computed as the similarity is:
                # the distance is at least the difference in length, and at least the
                # number of letters either key holds and the other lacks.
                fewest = max(abs(a_size - b_size), _popcount(l_sets[i] & ~r_sets[f]),
                             _popcount(r_sets[f] & ~l_sets[i]))  # fmt: skip
                bound = 1.0 - fewest / longest if longest else 1.0
                if floor > 0.0 and bound < floor:
                    # Below the floor whatever the letters: it scores 0 less both
                    # doubts, which no pair of spellings at the floor or above is below.
                    continue
                if np.float32(np.float32(np.float32(bound) - l_doubts[i]) - r_doubts[f]) <= best:
                    continue  # cannot beat the best pair so far, whatever the letters
                similarity = _similarity(l_letters, l_keys, l_masks, i, r_letters, b_start,
                                         b_end, floor)  # fmt: skip
                value = np.float32(similarity)
                if np.float32(np.float32(value - l_doubts[i]) - r_doubts[f]) <= best:
                    continue  # the root penalty could only lower it further
                if root:
                    edits = _root_edits(l_letters, l_keys, i, r_letters, b_start, b_end, window)
                    if edits > ROOT_FREE_EDITS:
                        value = np.float32(
                            np.float64(value) - ROOT_EDIT_COST * (edits - ROOT_FREE_EDITS)
                        )
                value = np.float32(np.float32(value - l_doubts[i]) - r_doubts[f])
                best = max(best, value)
        out[n] = min(max(best, np.float32(0.0)), np.float32(1.0))


@njit(cache=True, nogil=True, inline="always")
def _bits(
    size: int,
    letters: np.ndarray,
    start: int,
    end: int,
    masks: np.ndarray,
    row: int,
) -> int:  # pragma: no cover - compiled
    """Levenshtein distance of the first ``size`` <= WORD letters of the pattern at row
    ``row`` of ``masks`` to ``letters[start:end]``, read in place: Myers' bit-vector
    algorithm, one machine word per column."""
    if size == 0:
        return end - start
    one = np.uint64(1)
    vp = ~np.uint64(0) if size == WORD else (one << np.uint64(size)) - one
    vn = np.uint64(0)
    last = one << np.uint64(size - 1)
    distance = size
    for p in range(start, end):
        x = masks[row, letters[p]] | vn
        d0 = (((x & vp) + vp) ^ vp) | x
        hp = vn | ~(d0 | vp)
        hn = vp & d0
        if hp & last:
            distance += 1
        elif hn & last:
            distance -= 1
        hp = (hp << one) | one
        hn = hn << one
        vp = hn | ~(d0 | hp)
        vn = hp & d0
    return distance


@njit(cache=True, nogil=True, inline="always")
def _similarity(
    l_letters: np.ndarray,
    l_keys: np.ndarray,
    l_masks: np.ndarray,
    i: int,
    r_letters: np.ndarray,
    start: int,
    end: int,
    floor: float,
) -> float:  # pragma: no cover - compiled
    """rapidfuzz's ``Levenshtein.normalized_similarity`` of left key ``i`` and the right
    key at ``r_letters[start:end]``, with ``score_cutoff`` ``floor``: 1 - distance / the
    longer length, 0 when that is below ``floor``."""
    size = l_keys[i + 1] - l_keys[i]
    longest = max(size, end - start)
    if longest == 0:
        return 1.0
    if size <= WORD:
        distance = _bits(size, r_letters, start, end, l_masks, i)
    else:
        distance = _distance_table(l_letters[l_keys[i] : l_keys[i + 1]], r_letters[start:end])
    similarity = 1.0 - distance / longest
    return similarity if similarity >= floor else 0.0


@njit(cache=True, nogil=True)
def _distance_table(a: np.ndarray, b: np.ndarray) -> int:  # pragma: no cover - compiled
    """Levenshtein distance by the full table, for keys longer than a word."""
    row = np.arange(len(b) + 1)
    for i in range(1, len(a) + 1):
        diagonal, row[0] = row[0], i
        for j in range(1, len(b) + 1):
            above = row[j]
            row[j] = min(above + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1]))
            diagonal = above
    return int(row[len(b)])


@njit(cache=True, nogil=True, inline="always")
def _root_edits(
    l_letters: np.ndarray,
    l_keys: np.ndarray,
    i: int,
    r_letters: np.ndarray,
    start: int,
    end: int,
    table: np.ndarray,
) -> int:  # pragma: no cover - compiled
    """``similarity._root_edits`` of left key ``i`` and the right key at
    ``r_letters[start:end]``: the fewest edits between their first ROOT letters, either
    side allowed to start a letter short. One edit table of the two windows holds all
    three distances (its last row's last cell and the cell a letter short of it, and
    the last cell of the row a letter short); ``table`` is scratch for one row."""
    first, size = l_keys[i], l_keys[i + 1] - l_keys[i]
    across, down = min(end - start, ROOT), min(size, ROOT)
    short_across, short_down = min(end - start, ROOT - 1), min(size, ROOT - 1)
    for j in range(across + 1):
        table[j] = j
    edits = table[across] if short_down == 0 else ROOT + 1
    for d in range(1, down + 1):
        letter = l_letters[first + d - 1]
        diagonal, table[0] = table[0], d
        for j in range(1, across + 1):
            above = table[j]
            table[j] = min(
                above + 1, table[j - 1] + 1, diagonal + (letter != r_letters[start + j - 1])
            )
            diagonal = above
        if d == short_down:
            edits = min(edits, table[across])
    return int(min(edits, table[across], table[short_across]))
