"""The kernels of ``bulk_keys`` (which says what they compute and why), in C.

Each ``def`` allocates its output and runs its loops without the GIL. The sound-alike
rules are ``bulk_keys._PASSES``, one row a pass: (kind, the ``seen`` bits it needs, else
``other``'s, first, second, third, into, the bits it may write); the kinds are these.
"""

from libc.stdint cimport int32_t, int64_t, uint8_t

import numpy as np

# What a ``_rewrite`` pass looks for at each place (each replaced by one letter):
cpdef enum:
    LITERAL = 0  # the letters first, second (and third, if not 0), as ``str.replace``
    AFFRICATE = 1  # tsch|tch|dsch|dzh|dj, the first alternative that matches
    HARD_C = 2  # ck|c(?=[^eiy]|$)|q
    LONG_U = 3  # ou|oo
    LONG_I = 4  # ee|ie(?=[^aeiou]|$)
    # The other passes:
    MAP = 5  # first and second → into, in place
    X_TO_KS = 6
    GLIDE_J = 7  # j(?=[aeiou]) → y, in place
    UNDOUBLED = 8  # (.)(?=\1) → ""
    SILENT_H = 9  # (?<=[a-zA-Z])h(?=[^aeiou]|$) → ""

cdef enum:
    _COLUMNS = 8  # of a pass's row


def sound_alike_many(
    const int32_t[::1] chars, const int64_t[::1] starts, const int64_t[:, ::1] passes
):
    """Keys of every spelling: x → ks is the only rule that lengthens, so a key holds at
    most twice its spelling's letters."""
    if passes.shape[1] != _COLUMNS:
        raise ValueError(f"a pass is {_COLUMNS} numbers, not {passes.shape[1]}")
    cdef Py_ssize_t longest, m
    with nogil:
        longest = _longest(starts)
    out = np.empty(2 * chars.shape[0], dtype=np.int32)
    out_starts = np.zeros(starts.shape[0], dtype=np.int64)
    scratch = np.empty((2, 2 * longest + 1), dtype=np.int32)
    cdef int32_t[::1] into = out
    cdef int64_t[::1] into_starts = out_starts
    cdef int32_t[:, ::1] buffers = scratch
    with nogil:
        m = _sound_alike_many(
            chars, starts, passes, into, into_starts, &buffers[0, 0], &buffers[1, 0]
        )
    return out[:m], out_starts


def firsts(
    const int64_t[::1] order,
    const int64_t[::1] owner,
    const int32_t[::1] chars,
    const int64_t[::1] starts,
):
    """Which of the keys ``order[p]`` is the first of its text among its owner's."""
    kept = np.zeros(order.shape[0], dtype=np.bool_)
    cdef uint8_t[::1] flags = kept.view(np.uint8)
    with nogil:
        _firsts(order, owner, chars, starts, flags)
    return kept


def joined(
    const int64_t[::1] chosen,
    const int32_t[::1] chars,
    const int64_t[::1] starts,
    int32_t separator,
):
    """The keys ``chosen`` (one at least), each followed by ``separator`` but the last."""
    cdef Py_ssize_t size
    with nogil:
        size = _joined_size(chosen, starts)
    out = np.empty(size, dtype=np.int32)
    cdef int32_t[::1] into = out
    with nogil:
        _joined(chosen, chars, starts, separator, into)
    return out


cdef Py_ssize_t _longest(const int64_t[::1] starts) noexcept nogil:
    cdef Py_ssize_t n, longest = 0
    for n in range(starts.shape[0] - 1):
        longest = max(longest, starts[n + 1] - starts[n])
    return longest


cdef Py_ssize_t _joined_size(
    const int64_t[::1] chosen, const int64_t[::1] starts
) noexcept nogil:
    cdef Py_ssize_t at, size = chosen.shape[0] - 1
    for at in range(chosen.shape[0]):
        size += starts[chosen[at] + 1] - starts[chosen[at]]
    return size


cdef void _joined(
    const int64_t[::1] chosen,
    const int32_t[::1] chars,
    const int64_t[::1] starts,
    int32_t separator,
    int32_t[::1] out,
) noexcept nogil:
    cdef Py_ssize_t at, p, n = 0
    cdef int64_t e
    for at in range(chosen.shape[0]):
        e = chosen[at]
        for p in range(starts[e], starts[e + 1]):
            out[n] = chars[p]
            n += 1
        if at + 1 < chosen.shape[0]:
            out[n] = separator
            n += 1


cdef void _firsts(
    const int64_t[::1] order,
    const int64_t[::1] owner,
    const int32_t[::1] chars,
    const int64_t[::1] starts,
    uint8_t[::1] kept,
) noexcept nogil:
    cdef Py_ssize_t p, q, n, group = 0
    cdef int64_t a, b, c, d
    cdef bint new, same
    for p in range(order.shape[0]):
        if p and owner[p] != owner[p - 1]:
            group = p
        a, b = starts[order[p]], starts[order[p] + 1]
        if a == b:
            continue
        new = True
        for q in range(group, p):
            if not kept[q]:
                continue
            c, d = starts[order[q]], starts[order[q] + 1]
            if d - c != b - a:
                continue
            same = True
            for n in range(b - a):
                if chars[a + n] != chars[c + n]:
                    same = False
                    break
            if same:
                new = False
                break
        kept[p] = new


cdef Py_ssize_t _sound_alike_many(
    const int32_t[::1] chars,
    const int64_t[::1] starts,
    const int64_t[:, ::1] passes,
    int32_t[::1] out,
    int64_t[::1] out_starts,
    int32_t* one,
    int32_t* two,
) noexcept nogil:
    """Each spelling's key into ``out`` (its end into ``out_starts``); ``one`` and ``two``
    hold the longest key. The total size."""
    cdef Py_ssize_t n, at, size, m = 0
    cdef const int64_t* rules = &passes[0, 0] if passes.shape[0] else NULL
    for n in range(starts.shape[0] - 1):
        size = starts[n + 1] - starts[n]
        for at in range(size):
            one[at] = chars[starts[n] + at]
        size = _sound_alike(one, two, size, rules, passes.shape[0])
        for at in range(size):
            out[m + at] = one[at]
        m += size
        out_starts[n + 1] = m
    return m


cdef inline Py_ssize_t _sound_alike(
    int32_t* one, int32_t* two, Py_ssize_t size, const int64_t* rules, Py_ssize_t count
) noexcept nogil:
    """``romanise._sound_alike`` of the ``size`` letters in ``one``, left in ``one``;
    ``two`` is scratch. The ``count`` passes of ``rules`` in order, each reading one buffer
    and writing the other (or changing letters in place); a pass whose letters the key
    lacks is skipped (``seen``: the a-z letters the key has held, each pass adding those
    it writes), as the definition skips a regex whose trigger is absent."""
    cdef int64_t seen = 0, kind, need, other
    cdef const int64_t* rule
    cdef int32_t* src = one
    cdef int32_t* dst = two
    cdef int32_t* swap
    cdef int32_t letter
    cdef Py_ssize_t at, r
    for at in range(size):
        seen |= _bit(one[at])
    for r in range(count):
        rule = rules + r * _COLUMNS
        need, other = rule[1], rule[2]
        if (seen & need) != need and (not other or (seen & other) != other):
            continue
        seen |= rule[7]
        kind = rule[0]
        if kind == MAP:
            _map(src, size, <int32_t>rule[3], <int32_t>rule[6], <int32_t>rule[4])
            continue
        if kind == GLIDE_J:
            _glide_j(src, size)
            continue
        if kind == X_TO_KS:
            size = _x_to_ks(src, size, dst)
        elif kind == UNDOUBLED:
            size = _undoubled(src, size, dst)
        elif kind == SILENT_H:
            size = _silent_h(src, size, dst)
        else:
            size = _rewrite(
                src, size, dst, kind, <int32_t>rule[3], <int32_t>rule[4], <int32_t>rule[5],
                <int32_t>rule[6],
            )
        swap = src
        src = dst
        dst = swap
    for at in range(size):
        letter = src[at]
        one[at] = letter + 32 if 65 <= letter <= 90 else letter
    return size


cdef inline int64_t _bit(int32_t letter) noexcept nogil:
    """The bit of an a-z letter in a ``seen`` set; 0 for any other."""
    return (<int64_t>1) << (letter - 97) if 97 <= letter <= 122 else 0


cdef inline bint _vowel(int32_t letter) noexcept nogil:
    return letter == c'a' or letter == c'e' or letter == c'i' or letter == c'o' or letter == c'u'


cdef inline Py_ssize_t _rewrite(
    const int32_t* src,
    Py_ssize_t size,
    int32_t* dst,
    int64_t rule,
    int32_t first,
    int32_t second,
    int32_t third,
    int32_t into,
) noexcept nogil:
    """One rule as ``re.sub`` (or ``str.replace``) runs it: from the left, each match
    replaced by ``into`` and the scan going on after it; lookaheads read the input."""
    cdef Py_ssize_t step, at = 0, m = 0
    while at < size:
        step = _matched(src, size, at, rule, first, second, third)
        if step:
            dst[m] = into
            at += step
        else:
            dst[m] = src[at]
            at += 1
        m += 1
    return m


cdef inline Py_ssize_t _matched(
    const int32_t* src,
    Py_ssize_t size,
    Py_ssize_t at,
    int64_t rule,
    int32_t first,
    int32_t second,
    int32_t third,
) noexcept nogil:
    """How many letters ``rule`` matches at ``at`` (0: no match)."""
    cdef int32_t letter = src[at]
    cdef int32_t after = src[at + 1] if at + 1 < size else -1  # -1: the end
    if rule == LITERAL:
        if letter != first or after != second:
            return 0
        if third == 0:
            return 2
        return 3 if at + 2 < size and src[at + 2] == third else 0
    if rule == AFFRICATE:
        if (letter == c't' or letter == c'd') and _at(src, size, at + 1, c's', c'c', c'h'):
            return 4  # tsch, dsch
        if letter == c't' and _at(src, size, at + 1, c'c', c'h', 0):
            return 3
        if letter == c'd' and _at(src, size, at + 1, c'z', c'h', 0):
            return 3
        return 2 if letter == c'd' and after == c'j' else 0
    if rule == HARD_C:
        if letter == c'c':
            if after == c'k':
                return 2
            return 0 if after == c'e' or after == c'i' or after == c'y' else 1
        return 1 if letter == c'q' else 0
    if rule == LONG_U:
        return 2 if letter == c'o' and (after == c'u' or after == c'o') else 0
    # LONG_I
    if letter == c'e' and after == c'e':
        return 2
    if letter == c'i' and after == c'e':
        return 2 if at + 2 == size or not _vowel(src[at + 2]) else 0
    return 0


cdef inline bint _at(
    const int32_t* src,
    Py_ssize_t size,
    Py_ssize_t at,
    int32_t first,
    int32_t second,
    int32_t third,
) noexcept nogil:
    """Whether ``first``, ``second`` (and ``third``, if not 0) are the letters at ``at``."""
    if at + 1 >= size or src[at] != first or src[at + 1] != second:
        return False
    return third == 0 or (at + 2 < size and src[at + 2] == third)


cdef inline void _map(
    int32_t* buffer, Py_ssize_t size, int32_t letter, int32_t into, int32_t also
) noexcept nogil:
    """``letter`` and ``also`` → ``into``, in place (one letter for one: no rule sees
    another's result within the pass)."""
    cdef Py_ssize_t at
    for at in range(size):
        if buffer[at] == letter or buffer[at] == also:
            buffer[at] = into


cdef inline Py_ssize_t _x_to_ks(
    const int32_t* src, Py_ssize_t size, int32_t* dst
) noexcept nogil:
    cdef Py_ssize_t at, m = 0
    for at in range(size):
        if src[at] == c'x':
            dst[m] = c'k'
            dst[m + 1] = c's'
            m += 2
        else:
            dst[m] = src[at]
            m += 1
    return m


cdef inline void _glide_j(int32_t* buffer, Py_ssize_t size) noexcept nogil:
    """j(?=[aeiou]) → y, in place (the letter looked at next is a vowel, never a j)."""
    cdef Py_ssize_t at
    for at in range(size - 1):
        if buffer[at] == c'j' and _vowel(buffer[at + 1]):
            buffer[at] = c'y'


cdef inline Py_ssize_t _undoubled(
    const int32_t* src, Py_ssize_t size, int32_t* dst
) noexcept nogil:
    """(.)(?=\\1) → "": a letter the same letter follows is dropped."""
    cdef Py_ssize_t at, m = 0
    for at in range(size):
        if at + 1 < size and src[at + 1] == src[at]:
            continue
        dst[m] = src[at]
        m += 1
    return m


cdef inline Py_ssize_t _silent_h(
    const int32_t* src, Py_ssize_t size, int32_t* dst
) noexcept nogil:
    """(?<=[a-zA-Z])h(?=[^aeiou]|$) → ""."""
    cdef Py_ssize_t at, m = 0
    for at in range(size):
        if (
            src[at] == c'h'
            and at > 0
            and (97 <= src[at - 1] <= 122 or 65 <= src[at - 1] <= 90)
            and (at + 1 == size or not _vowel(src[at + 1]))
        ):
            continue
        dst[m] = src[at]
        m += 1
    return m
