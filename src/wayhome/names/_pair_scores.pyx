"""The compiled loops of ``pair_scores`` (see its docstring for what they compute and why).

Every function here is a line-by-line port of the definition the tests hold it to, in
the same float32 and float64 steps, so that the scores equal rapidfuzz's and
``similarity.token_similarity``'s to the bit. The loops hold no Python object and run
without the GIL: ``TokenPairs.scores`` runs them on several threads at once. Inner
helpers take raw pointers, not memoryviews: a memoryview passed per call costs an atomic
count, and they are called once per pair of keys.
"""

from libc.stdint cimport int32_t, int64_t, uint64_t
from libc.math cimport INFINITY

import numpy as np

cdef enum:
    WORD = 64  # keys up to this long take the bit-parallel path; longer ones the full table
    ROOT_MAX = 16  # the longest root window a caller may ask for (scratch size)

BIT_PARALLEL_LETTERS = WORD  # WORD as Python sees it (``pair_scores.WORD``)


cdef inline int64_t _digit(int64_t point) noexcept nogil:
    """``similarity._digit``: a-z as 1-26, anything else one of 27-31."""
    return point - 96 if 97 <= point <= 122 else 27 + point % 5


cdef extern from *:
    int __builtin_popcountll(unsigned long long) nogil


cdef inline int _popcount(uint64_t bits) noexcept nogil:
    """The number of bits set: one instruction where the build has it (``setup.py``)."""
    return __builtin_popcountll(bits)


cdef inline int64_t _bits(
    int64_t size, const int32_t* letters, int64_t start, int64_t end, const uint64_t* row
) noexcept nogil:
    """Levenshtein distance of the first ``size`` <= WORD letters of the pattern whose
    masks are ``row`` (one per letter number) to ``letters[start:end]``: Myers'
    bit-vector algorithm, one machine word per column."""
    cdef uint64_t one = 1, vp, vn = 0, last, x, d0, hp, hn
    cdef int64_t distance = size, p
    if size == 0:
        return end - start
    vp = ~(<uint64_t>0) if size == WORD else (one << size) - one
    last = one << (size - 1)
    for p in range(start, end):
        x = row[letters[p]] | vn
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


cdef int64_t _distance_table(
    const int32_t* a, int64_t a_size, const int32_t* b, int64_t b_size, int64_t* row
) noexcept nogil:
    """Levenshtein distance by the full table, for keys longer than a word (``row``:
    scratch for b_size + 1 cells)."""
    cdef int64_t i, j, diagonal, above, best
    for j in range(b_size + 1):
        row[j] = j
    for i in range(1, a_size + 1):
        diagonal = row[0]
        row[0] = i
        for j in range(1, b_size + 1):
            above = row[j]
            best = min(above + 1, row[j - 1] + 1)
            row[j] = min(best, diagonal + (a[i - 1] != b[j - 1]))
            diagonal = above
    return row[b_size]


cdef inline double _similarity(
    const int32_t* l_letters,
    const int64_t* l_keys,
    const uint64_t* l_masks,
    int64_t width,
    int64_t i,
    const int32_t* r_letters,
    int64_t start,
    int64_t end,
    double floor,
    int64_t* scratch,
) noexcept nogil:
    """rapidfuzz's ``Levenshtein.normalized_similarity`` of left key ``i`` and the right
    key at ``r_letters[start:end]``, with ``score_cutoff`` ``floor``: 1 - distance / the
    longer length, 0 when that is below ``floor`` (``scratch``: a row per right letter,
    and one more, for a key longer than a word)."""
    cdef int64_t size = l_keys[i + 1] - l_keys[i]
    cdef int64_t longest = max(size, end - start)
    cdef int64_t distance
    cdef double similarity
    if longest == 0:
        return 1.0
    if size <= WORD:
        distance = _bits(size, r_letters, start, end, l_masks + i * width)
    else:
        distance = _distance_table(
            l_letters + l_keys[i], size, r_letters + start, end - start, scratch
        )
    similarity = 1.0 - <double>distance / <double>longest
    return similarity if similarity >= floor else 0.0


cdef inline int64_t _root_edits(
    const int32_t* l_letters,
    const int64_t* l_keys,
    int64_t i,
    const int32_t* r_letters,
    int64_t start,
    int64_t end,
    int64_t root,
    int64_t* table,
) noexcept nogil:
    """``similarity._root_edits`` of left key ``i`` and the right key at
    ``r_letters[start:end]``: the fewest edits between their first ``root`` letters,
    either side allowed to start a letter short. One edit table of the two windows holds
    all three distances (its last row's last cell and the cell a letter short of it, and
    the last cell of the row a letter short); ``table`` is scratch for one row."""
    cdef int64_t first = l_keys[i], size = l_keys[i + 1] - l_keys[i]
    cdef int64_t across = min(end - start, root), down = min(size, root)
    cdef int64_t short_across = min(end - start, root - 1), short_down = min(size, root - 1)
    cdef int64_t j, d, edits, diagonal, above, best
    cdef int32_t letter
    for j in range(across + 1):
        table[j] = j
    edits = table[across] if short_down == 0 else root + 1
    for d in range(1, down + 1):
        letter = l_letters[first + d - 1]
        diagonal = table[0]
        table[0] = d
        for j in range(1, across + 1):
            above = table[j]
            best = min(above + 1, table[j - 1] + 1)
            table[j] = min(best, diagonal + (letter != r_letters[start + j - 1]))
            diagonal = above
        if d == short_down:
            edits = min(edits, table[across])
    return min(edits, min(table[across], table[short_across]))


cdef int64_t _longest(const int64_t[::1] starts):
    """The most letters of any key (``starts``: where each starts, and the last ends)."""
    cdef int64_t k, longest = 0
    for k in range(starts.shape[0] - 1):
        longest = max(longest, starts[k + 1] - starts[k])
    return longest


def score_pairs(
    const int64_t[::1] lt,
    const int64_t[::1] rt,
    const int64_t[::1] l_tokens,
    const int64_t[::1] l_keys,
    const int32_t[::1] l_letters,
    const float[::1] l_doubts,
    const uint64_t[:, ::1] l_masks,
    const uint64_t[::1] l_sets,
    const int64_t[::1] r_tokens,
    const int64_t[::1] r_keys,
    const int32_t[::1] r_letters,
    const float[::1] r_doubts,
    const uint64_t[::1] r_sets,
    double floor,
    bint root,
    int64_t root_letters,
    double root_cost,
    int64_t free_edits,
    float[::1] out,
):
    """``TokenPairs.scores`` of the pairs (lt[n], rt[n]) into ``out`` (spellings read in
    place, by index)."""
    cdef int64_t n, f, i, b_start, b_end, b_size, a_size, longest, fewest, edits
    cdef int64_t width = l_masks.shape[1]
    cdef int64_t table[ROOT_MAX + 1]
    cdef double bound, similarity
    cdef float best, value
    cdef const int32_t* ll = &l_letters[0] if l_letters.shape[0] else NULL
    cdef const int32_t* rl = &r_letters[0] if r_letters.shape[0] else NULL
    cdef const uint64_t* rows = &l_masks[0, 0] if l_masks.shape[0] else NULL
    cdef int64_t[::1] long_row = np.empty(_longest(r_keys) + 1, dtype=np.int64)
    if root_letters > ROOT_MAX:
        raise ValueError(f"root windows of more than {ROOT_MAX} letters")
    with nogil:
        for n in range(lt.shape[0]):
            best = -INFINITY
            for f in range(r_tokens[rt[n]], r_tokens[rt[n] + 1]):
                b_start, b_end = r_keys[f], r_keys[f + 1]
                b_size = b_end - b_start
                for i in range(l_tokens[lt[n]], l_tokens[lt[n] + 1]):
                    a_size = l_keys[i + 1] - l_keys[i]
                    longest = max(a_size, b_size)
                    # The best similarity the letters allow, computed as the similarity
                    # is: the distance is at least the difference in length, and at
                    # least the number of letters either key holds and the other lacks.
                    fewest = max(
                        a_size - b_size if a_size >= b_size else b_size - a_size,
                        max(_popcount(l_sets[i] & ~r_sets[f]), _popcount(r_sets[f] & ~l_sets[i])),
                    )
                    bound = 1.0 - <double>fewest / <double>longest if longest else 1.0
                    if floor > 0.0 and bound < floor:
                        # Below the floor whatever the letters: it scores 0 less both
                        # doubts, which no pair of spellings at the floor or above is below.
                        continue
                    if (<float>bound - l_doubts[i]) - r_doubts[f] <= best:
                        continue  # cannot beat the best pair so far, whatever the letters
                    similarity = _similarity(
                        ll, &l_keys[0], rows, width, i, rl, b_start, b_end, floor, &long_row[0]
                    )
                    value = <float>similarity
                    if (value - l_doubts[i]) - r_doubts[f] <= best:
                        continue  # the root penalty could only lower it further
                    if root:
                        edits = _root_edits(
                            ll, &l_keys[0], i, rl, b_start, b_end, root_letters, table
                        )
                        if edits > free_edits:
                            value = <float>(<double>value - root_cost * (edits - free_edits))
                    value = (value - l_doubts[i]) - r_doubts[f]
                    best = max(best, value)
            out[n] = min(max(best, <float>0.0), <float>1.0)


def best_spellings(
    const int64_t[::1] lt,
    const int64_t[::1] rt,
    const int64_t[::1] l_tokens,
    const int64_t[::1] l_keys,
    const int32_t[::1] l_letters,
    const double[::1] l_doubts,
    const uint64_t[:, ::1] l_masks,
    const int64_t[::1] r_tokens,
    const int64_t[::1] r_keys,
    const int32_t[::1] r_letters,
    const double[::1] r_doubts,
    int64_t root_letters,
    double root_cost,
    int64_t free_edits,
    double[::1] scores,
    int64_t[:, ::1] chosen,
):
    """``TokenPairs.matches`` of the pairs (lt[n], rt[n]): the score into ``scores`` and
    the (left, right) spellings chosen into ``chosen``, in float64 with the first best on
    ties, as ``similarity._token_match``."""
    cdef int64_t n, i, f, at, best_left, best_right, edits
    cdef int64_t width = l_masks.shape[1]
    cdef int64_t table[ROOT_MAX + 1]
    cdef double score, row, value, total
    cdef const int32_t* ll = &l_letters[0] if l_letters.shape[0] else NULL
    cdef const int32_t* rl = &r_letters[0] if r_letters.shape[0] else NULL
    cdef const uint64_t* rows = &l_masks[0, 0] if l_masks.shape[0] else NULL
    cdef int64_t[::1] long_row = np.empty(_longest(r_keys) + 1, dtype=np.int64)
    if root_letters > ROOT_MAX:
        raise ValueError(f"root windows of more than {ROOT_MAX} letters")
    with nogil:
        for n in range(lt.shape[0]):
            score, best_left, best_right = -1.0, l_tokens[lt[n]], r_tokens[rt[n]]
            for i in range(l_tokens[lt[n]], l_tokens[lt[n] + 1]):
                row, at = -INFINITY, -1
                for f in range(r_tokens[rt[n]], r_tokens[rt[n] + 1]):
                    value = _similarity(ll, &l_keys[0], rows, width, i, rl, r_keys[f],
                                        r_keys[f + 1], 0.0, &long_row[0])
                    edits = _root_edits(
                        ll, &l_keys[0], i, rl, r_keys[f], r_keys[f + 1], root_letters, table
                    )
                    value -= root_cost * max(edits - free_edits, 0)
                    value -= r_doubts[f]
                    if at < 0 or value > row:  # the first best, as argmax
                        row, at = value, f
                total = row - l_doubts[i]
                if total > score:
                    score, best_left, best_right = total, i, at
            scores[n] = score
            chosen[n, 0], chosen[n, 1] = best_left, best_right


def block_codes(
    const int64_t[::1] tokens,
    const int64_t[::1] keys,
    const int32_t[::1] points,
    int64_t spellings,
    const int64_t[::1] widths,
):
    """(token, ``similarity.block_key_code``) rows of the block keys of every token, each
    once: of the first ``spellings`` keys of each, those starting with "~" left out.
    Token numbers count from ``tokens[0]``'s."""
    cdef int64_t count = tokens.shape[0] - 1
    cdef int64_t key_count = tokens[count] - tokens[0] if count > 0 else 0
    out_array = np.zeros((key_count * 3 * widths.shape[0], 2), dtype=np.int64)
    cdef int64_t[:, ::1] out = out_array
    cdef int64_t bones[64]
    cdef int64_t codes[3]
    cdef int64_t n = 0, t, k, start, end, size, at, w, c, width, mine, earlier
    cdef int64_t tag, prefix, suffix, skeleton, p, code
    cdef bint vowel, seen
    with nogil:
        for t in range(count):
            mine = n  # where this token's rows start: a code already there is not repeated
            for k in range(tokens[t], min(tokens[t + 1], tokens[t] + spellings)):
                start, end = keys[k], keys[k + 1]
                if end == start or points[start] == 126:  # "~": consonants-only keys
                    continue
                size = 0  # the consonant skeleton's first letters: the first, then consonants
                for at in range(start, end):
                    p = points[at]
                    vowel = p == 97 or p == 101 or p == 105 or p == 111 or p == 117  # aeiou
                    if (at == start or not vowel) and size < 64:
                        bones[size] = p
                        size += 1
                for w in range(widths.shape[0]):
                    width = widths[w]
                    tag = (width * 3) << 20
                    prefix, suffix, skeleton = 0, 0, 0
                    for at in range(start, min(end, start + width)):
                        prefix = prefix << 5 | _digit(points[at])
                    for at in range(max(start, end - width), end):
                        suffix = suffix << 5 | _digit(points[at])
                    for at in range(min(size, width)):
                        skeleton = skeleton << 5 | _digit(bones[at])
                    codes[0] = tag | prefix
                    codes[1] = (tag + (1 << 20)) | suffix
                    codes[2] = (tag + (2 << 20)) | skeleton
                    for c in range(3):
                        code = codes[c]
                        seen = False
                        for earlier in range(mine, n):
                            if out[earlier, 1] == code:
                                seen = True
                                break
                        if not seen:
                            out[n, 0], out[n, 1] = t, code
                            n += 1
    return out_array[:n]


def letter_sets(const int64_t[::1] starts, const int32_t[::1] letters):
    """Per key, the set of its letters as bits: letter n is bit n % 64 (letters sharing a
    bit only make a count of letters one key lacks smaller, never larger)."""
    sets_array = np.zeros(max(starts.shape[0] - 1, 0), dtype=np.uint64)
    cdef uint64_t[::1] sets = sets_array
    cdef int64_t k, at
    cdef uint64_t one = 1
    with nogil:
        for k in range(starts.shape[0] - 1):
            for at in range(starts[k], starts[k + 1]):
                sets[k] |= one << (letters[at] % 64)
    return sets_array


def masks(const int64_t[::1] starts, const int32_t[::1] letters, int64_t size):
    """Per key, per letter, the bit set of the positions holding that letter (the first
    WORD positions)."""
    masks_array = np.zeros((max(starts.shape[0] - 1, 0), size), dtype=np.uint64)
    cdef uint64_t[:, ::1] out = masks_array
    cdef int64_t k, at
    cdef uint64_t one = 1
    with nogil:
        for k in range(starts.shape[0] - 1):
            for at in range(starts[k], min(starts[k + 1], starts[k] + WORD)):
                out[k, letters[at]] |= one << (at - starts[k])
    return masks_array
