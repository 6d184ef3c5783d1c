"""``beams``'s search (that module describes it), compiled with the package.

The same float64 sums in the same order and the same comparisons as ``romanise._beam``,
so the same spellings and costs. The loop runs without the GIL, over arrays ``search``
allocates.
"""

import numpy as np

from libc.stdint cimport int32_t, int64_t


cdef enum:
    NO_PAIR = -1  # beams.NO_PAIR: no option list for a unit and the one before it


def search(
    const int64_t[::1] order,
    const int64_t[::1] starts,
    const int64_t[::1] singles,
    const int64_t[::1] pairs,
    const int64_t[::1] option_starts,
    const double[::1] option_costs,
    const int64_t[::1] text_starts,
    const int32_t[::1] text_chars,
    int64_t k,
    int64_t longest,
):
    """Beams of every token: per token its number of spellings, and per spelling its cost
    [tokens, k] and code points [tokens, k, longest], 0 after its end."""
    cdef Py_ssize_t tokens = starts.shape[0] - 1
    cdef int64_t depth = 0
    cdef Py_ssize_t t
    for t in range(tokens):
        depth = max(depth, starts[t + 1] - starts[t])
    # The beam of each prefix depth: (cost, spelling) best first, counts[d] of them.
    costs = np.zeros((depth + 1, k), dtype=np.float64)
    lengths = np.zeros((depth + 1, k), dtype=np.int64)
    chars = np.zeros((depth + 1, k, longest), dtype=np.int32)
    counts = np.zeros(depth + 1, dtype=np.int64)
    scratch = np.zeros(longest, dtype=np.int32)
    out_counts = np.zeros(tokens, dtype=np.int64)
    out_costs = np.zeros((tokens, k), dtype=np.float64)
    out_chars = np.zeros((tokens, k, longest), dtype=np.int32)
    # Typed here, with the GIL: the loop below must not touch a Python object.
    cdef double[:, ::1] costs_ = costs
    cdef int64_t[:, ::1] lengths_ = lengths
    cdef int32_t[:, :, ::1] chars_ = chars
    cdef int64_t[::1] counts_ = counts
    cdef int32_t[::1] scratch_ = scratch
    cdef int64_t[::1] out_counts_ = out_counts
    cdef double[:, ::1] out_costs_ = out_costs
    cdef int32_t[:, :, ::1] out_chars_ = out_chars
    with nogil:
        _search(order, starts, singles, pairs, option_starts, option_costs, text_starts,
                text_chars, k, costs_, lengths_, chars_, counts_, scratch_, out_counts_,
                out_costs_, out_chars_)
    return out_counts, out_costs, out_chars


cdef void _search(
    const int64_t[::1] order,
    const int64_t[::1] starts,
    const int64_t[::1] singles,
    const int64_t[::1] pairs,
    const int64_t[::1] option_starts,
    const double[::1] option_costs,
    const int64_t[::1] text_starts,
    const int32_t[::1] text_chars,
    int64_t k,
    double[:, ::1] costs,
    int64_t[:, ::1] lengths,
    int32_t[:, :, ::1] chars,
    int64_t[::1] counts,
    int32_t[::1] scratch,
    int64_t[::1] out_counts,
    double[:, ::1] out_costs,
    int32_t[:, :, ::1] out_chars,
) noexcept nogil:
    """``search``'s loop: token after token in ``order``, into the out arrays."""
    cdef int64_t i, t, start, size, shared, other, other_size, d, single, pair, first, o, j, e, c
    cdef int64_t previous = -1
    cdef double total, cheapest
    counts[0] = 1  # the empty prefix: one empty spelling at no cost
    for i in range(order.shape[0]):
        t = order[i]
        start, size = starts[t], starts[t + 1] - starts[t]
        shared = 0  # prefix units whose beams the previous token left in place
        if previous >= 0:
            other, other_size = starts[previous], starts[previous + 1] - starts[previous]
            while (
                shared < size
                and shared < other_size
                and singles[start + shared] == singles[other + shared]
                and pairs[start + shared] == pairs[other + shared]
            ):
                shared += 1
        for d in range(shared + 1, size + 1):
            counts[d] = 0
            single = singles[start + d - 1]
            # The last unit alone, after the beam of the units before it.
            for o in range(option_starts[single], option_starts[single + 1]):
                for j in range(counts[d - 1]):
                    total = costs[d - 1, j] + option_costs[o]
                    if counts[d] == k and total > costs[d, k - 1]:
                        break
                    _offer(costs, lengths, chars, counts, d, total, d - 1, j, o, text_starts,
                           text_chars, scratch, k)
            pair = pairs[start + d - 1]
            if d >= 2 and pair != NO_PAIR:
                first = option_starts[pair]
                cheapest = option_costs[first]
                # The last two units spelt together, after the beam of those before.
                for j in range(counts[d - 2]):
                    if counts[d] == k and costs[d - 2, j] + cheapest > costs[d, k - 1]:
                        break
                    for o in range(first, option_starts[pair + 1]):
                        total = costs[d - 2, j] + option_costs[o]
                        if counts[d] == k and total > costs[d, k - 1]:
                            break
                        _offer(costs, lengths, chars, counts, d, total, d - 2, j, o,
                               text_starts, text_chars, scratch, k)
        out_counts[t] = counts[size]
        for e in range(counts[size]):
            out_costs[t, e] = costs[size, e]
            for c in range(lengths[size, e]):
                out_chars[t, e, c] = chars[size, e, c]
        previous = t


cdef inline void _offer(
    double[:, ::1] costs,
    int64_t[:, ::1] lengths,
    int32_t[:, :, ::1] chars,
    int64_t[::1] counts,
    int64_t d,
    double total,
    int64_t source,
    int64_t j,
    int64_t option,
    const int64_t[::1] text_starts,
    const int32_t[::1] text_chars,
    int32_t[::1] scratch,
    int64_t k,
) noexcept nogil:
    """Offer beam ``d`` the spelling of entry ``j`` of beam ``source`` followed by
    ``option``'s text, at ``total``: it enters in (cost, spelling) order if it is not
    there already at a cost as low, and the beam keeps its k best."""
    cdef int64_t size = lengths[source, j]
    cdef int64_t c, p, q, n, at, last
    for c in range(size):
        scratch[c] = chars[source, j, c]
    for c in range(text_starts[option], text_starts[option + 1]):
        scratch[size] = text_chars[c]
        size += 1
    n = counts[d]
    # The same spelling already in the beam: keep the cheaper of the two.
    for p in range(n):
        if lengths[d, p] == size and _same(&chars[d, p, 0], &scratch[0], size):
            if costs[d, p] <= total:
                return
            for q in range(p, n - 1):  # take it out; it goes back in at its new place
                _move(costs, lengths, chars, d, q + 1, q)
            n -= 1
            break
    at = n
    while at > 0 and _after(costs[d, at - 1], &chars[d, at - 1, 0], lengths[d, at - 1],
                            total, &scratch[0], size):
        at -= 1
    if at >= k:
        counts[d] = n
        return
    last = min(n, k - 1)
    for q in range(last, at, -1):
        _move(costs, lengths, chars, d, q - 1, q)
    costs[d, at] = total
    lengths[d, at] = size
    for c in range(size):
        chars[d, at, c] = scratch[c]
    counts[d] = min(n + 1, k)


cdef inline void _move(
    double[:, ::1] costs,
    int64_t[:, ::1] lengths,
    int32_t[:, :, ::1] chars,
    int64_t d,
    int64_t source,
    int64_t target,
) noexcept nogil:
    """Entry ``source`` of beam ``d`` copied over entry ``target`` (its letters only)."""
    cdef int64_t size = lengths[d, source]
    cdef int64_t i
    costs[d, target] = costs[d, source]
    lengths[d, target] = size
    for i in range(size):
        chars[d, target, i] = chars[d, source, i]


cdef inline bint _same(const int32_t* a, const int32_t* b, int64_t size) noexcept nogil:
    cdef int64_t i
    for i in range(size):
        if a[i] != b[i]:
            return False
    return True


cdef inline bint _after(
    double cost,
    const int32_t* text,
    int64_t size,
    double other_cost,
    const int32_t* other,
    int64_t other_size,
) noexcept nogil:
    """Whether (cost, text) sorts after (other_cost, other), as Python compares tuples."""
    cdef int64_t i
    if cost != other_cost:
        return cost > other_cost
    for i in range(min(size, other_size)):
        if text[i] != other[i]:
            return text[i] > other[i]
    return size > other_size
