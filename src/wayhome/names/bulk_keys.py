"""Latin keys of a vocabulary's spellings, and each token's distinct keys, compiled.

``romanise.latin_key`` is the definition: 19 sound-alike rules, regexes and
``str.replace`` calls, each run over the result of the ones before. Keying a list's
spellings that way is cheap per call, but a list has hundreds of thousands of them, and
choosing each token's distinct keys took dicts of as many strings: on a Cyrillic list of
36,000 tokens the strings and dicts around the rules cost as much as the rules. Here the
spellings are code points in one array; each rule is one pass over a spelling, with the
regex's own semantics (leftmost match, alternatives in order, lookarounds reading the
pass's input), and the distinct keys of each token are found by comparing its keys with
one another, so no key is made a string unless it is kept. The tests check every rule
against ``latin_key`` on random and real spellings.

Numba: bulk work only (``romanise.BULK_MIN`` tokens or more), never for a web request.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from wayhome.names.compiled import njit

_a, _c, _d, _e, _f, _g, _h, _i, _j, _k = (ord(ch) for ch in "acdefghijk")
_o, _p, _q, _s, _t, _u, _v, _w, _x, _y, _z = (ord(ch) for ch in "opqstuvwxyz")
_BIG_C, _BIG_H, _BIG_S = ord("C"), ord("H"), ord("S")
SEPARATOR = 10  # "\n": never in a key of this module's (see ``kept_keys``)


def load() -> None:
    """Have the kernels ready (compiled, or loaded from ``__pycache__``): before forking
    workers, so that each does not load them again."""
    chars, starts = latin_keys(*points(["ab", "xa"]))
    kept_keys(
        np.flatnonzero(firsts(np.arange(2), np.zeros(2, np.int64), chars, starts)), chars, starts
    )


def points(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The texts as one array of code points and where each starts (and the last ends)."""
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=starts[1:])
    chars = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    return chars.astype(np.int32), starts


def latin_keys(chars: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``romanise.latin_key`` of each spelling (``points``), as code points and starts.

    Exact for ASCII spellings: the last rule lowers A-Z only, where ``str.lower`` lowers
    every script's capitals (``romanise`` keys any other spelling in Python).
    """
    return _sound_alike_many(chars, starts)


def firsts(
    order: np.ndarray, owner: np.ndarray, chars: np.ndarray, starts: np.ndarray
) -> np.ndarray:
    """Which of the keys ``order[p]`` (``chars`` and ``starts`` as ``points`` gives them)
    is the first of its text among those of its owner: ``owner[p]``, equal for a run of
    positions. Empty keys are never kept."""
    return _firsts(order, owner, chars, starts)


def kept_keys(chosen: np.ndarray, chars: np.ndarray, starts: np.ndarray) -> list[str]:
    """The keys ``chosen`` as strings, in order."""
    if not len(chosen):
        return []
    joined = _joined(chosen, chars, starts)
    text = joined.astype(np.uint32).tobytes().decode("utf-32-le")
    if np.count_nonzero(joined == SEPARATOR) == len(chosen) - 1:
        return text.split("\n")
    bounds = np.concatenate([[0], np.cumsum(starts[chosen + 1] - starts[chosen] + 1)])
    return [text[a : b - 1] for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)]


@njit(cache=True, nogil=True)
def _joined(
    chosen: np.ndarray, chars: np.ndarray, starts: np.ndarray
) -> np.ndarray:  # pragma: no cover
    """The keys ``chosen``, each followed by SEPARATOR but the last."""
    size = len(chosen) - 1
    for e in chosen:
        size += starts[e + 1] - starts[e]
    out = np.empty(size, dtype=np.int32)
    n = 0
    for at in range(len(chosen)):
        e = chosen[at]
        for p in range(starts[e], starts[e + 1]):
            out[n] = chars[p]
            n += 1
        if at + 1 < len(chosen):
            out[n] = SEPARATOR
            n += 1
    return out


@njit(cache=True, nogil=True)
def _firsts(
    order: np.ndarray, owner: np.ndarray, chars: np.ndarray, starts: np.ndarray
) -> np.ndarray:  # pragma: no cover - compiled
    kept = np.zeros(len(order), dtype=np.bool_)
    group = 0
    for p in range(len(order)):
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
    return kept


@njit(cache=True, nogil=True)
def _sound_alike_many(
    chars: np.ndarray, starts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """Keys of every spelling: x → ks is the only rule that lengthens, so a key holds at
    most twice its spelling's letters."""
    out = np.empty(2 * len(chars), dtype=np.int32)
    out_starts = np.zeros(len(starts), dtype=np.int64)
    longest = 0
    for n in range(len(starts) - 1):
        longest = max(longest, starts[n + 1] - starts[n])
    one = np.empty(2 * longest + 1, dtype=np.int32)
    two = np.empty(2 * longest + 1, dtype=np.int32)
    m = 0
    for n in range(len(starts) - 1):
        size = starts[n + 1] - starts[n]
        one[:size] = chars[starts[n] : starts[n + 1]]
        size = _sound_alike(one, two, size)
        out[m : m + size] = one[:size]
        m += size
        out_starts[n + 1] = m
    return out[:m], out_starts


@njit(cache=True, nogil=True, inline="always")
def _sound_alike(one: np.ndarray, two: np.ndarray, size: int) -> int:  # pragma: no cover
    """``romanise._sound_alike`` of the ``size`` letters in ``one``, left in ``one``;
    ``two`` is scratch. The passes of ``_PASSES`` in order, each reading one buffer and
    writing the other (or changing letters in place); a pass whose letters the key lacks
    is skipped (``seen``: the a-z letters the key has held, each pass adding those it
    writes), as the definition skips a regex whose trigger is absent."""
    seen = 0
    for at in range(size):
        seen |= _bit(one[at])
    src, dst = one, two
    for kind, need, other, first, second, third, into, writes in _PASSES:
        if seen & need != need and (not other or seen & other != other):
            continue
        seen |= writes
        if kind == _MAP:
            _map(src, size, first, into, second)
            continue
        if kind == _GLIDE_J:
            _glide_j(src, size)
            continue
        if kind == _X_TO_KS:
            size = _x_to_ks(src, size, dst)
        elif kind == _UNDOUBLED:
            size = _undoubled(src, size, dst)
        elif kind == _SILENT_H:
            size = _silent_h(src, size, dst)
        else:
            size = _rewrite(src, size, dst, kind, first, second, third, into)
        src, dst = dst, src
    for at in range(size):
        letter = src[at]
        one[at] = letter + 32 if 65 <= letter <= 90 else letter
    return size


@njit(cache=True, nogil=True, inline="always")
def _bit(letter: int) -> int:  # pragma: no cover - compiled
    """The bit of an a-z letter in a ``seen`` set; 0 for any other."""
    return 1 << (letter - 97) if 97 <= letter <= 122 else 0


@njit(cache=True, nogil=True, inline="always")
def _vowel(letter: int) -> bool:  # pragma: no cover - compiled
    return letter in (_a, _e, _i, _o, _u)


# What a ``_rewrite`` pass looks for at each place (each replaced by one letter):
_LITERAL = 0  # the letters first, second (and third, if not 0), as ``str.replace``
_AFFRICATE = 1  # tsch|tch|dsch|dzh|dj, the first alternative that matches
_HARD_C = 2  # ck|c(?=[^eiy]|$)|q
_LONG_U = 3  # ou|oo
_LONG_I = 4  # ee|ie(?=[^aeiou]|$)
# The other passes:
_MAP = 5  # first and second → into, in place
_X_TO_KS = 6
_GLIDE_J = 7  # j(?=[aeiou]) → y, in place
_UNDOUBLED = 8  # (.)(?=\1) → ""
_SILENT_H = 9  # (?<=[a-zA-Z])h(?=[^aeiou]|$) → ""

Pass = tuple[int, int, int, int, int, int, int, int]


def _letters(text: str) -> int:
    """The ``seen`` bits of the a-z letters of ``text``."""
    bits = 0
    for letter in text:
        bits |= 1 << (ord(letter) - 97)
    return bits


def _pass(
    kind: int, needs: str, text: str = "", into: str = "", *, other: str = "", writes: str = ""
) -> Pass:
    """One pass: its kind, the letters it needs (else ``other``, if any), the letters it
    looks for and the one it writes (code points, 0 for none), and the a-z letters it
    may write (``into``, unless ``writes`` says)."""
    first, second, third = (ord(ch) for ch in text.ljust(3, "\0"))
    written = writes or (into if into.islower() else "")
    return (kind, _letters(needs), _letters(other), first, second, third,
            ord(into) if into else 0, _letters(written))  # fmt: skip


# The rules of ``romanise._sound_alike``, in its order.
_PASSES = (
    _pass(_AFFRICATE, "d", into="C", other="tch"),
    _pass(_LITERAL, "sch", "sch", "S"),
    _pass(_LITERAL, "sh", "sh", "S"),
    _pass(_LITERAL, "ch", "ch", "C"),
    _pass(_LITERAL, "ph", "ph", "f"),
    _pass(_LITERAL, "kh", "kh", "H"),
    _pass(_LITERAL, "gh", "gh", "g"),
    _pass(_X_TO_KS, "x", writes="ks"),
    _pass(_HARD_C, "c", into="k", other="q"),
    _pass(_MAP, "c", "cc", "s"),
    _pass(_LITERAL, "tz", "tz", "z"),
    _pass(_LITERAL, "ts", "ts", "z"),
    _pass(_MAP, "w", "wv", "f", other="v"),
    _pass(_LONG_U, "o", into="u"),
    _pass(_LONG_I, "e", into="i"),
    _pass(_GLIDE_J, "j", writes="y"),
    _pass(_MAP, "y", "yy", "i"),
    _pass(_LITERAL, "th", "th", "t"),
    _pass(_LITERAL, "dh", "dh", "d"),
    _pass(_UNDOUBLED, ""),
    _pass(_SILENT_H, "h"),
)


@njit(cache=True, nogil=True, inline="always")
def _rewrite(
    src: np.ndarray,
    size: int,
    dst: np.ndarray,
    rule: int,
    first: int,
    second: int,
    third: int,
    into: int,
) -> int:  # pragma: no cover - compiled
    """One rule as ``re.sub`` (or ``str.replace``) runs it: from the left, each match
    replaced by ``into`` and the scan going on after it; lookaheads read the input."""
    at = m = 0
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


@njit(cache=True, nogil=True, inline="always")
def _matched(
    src: np.ndarray, size: int, at: int, rule: int, first: int, second: int, third: int
) -> int:  # pragma: no cover - compiled
    """How many letters ``rule`` matches at ``at`` (0: no match)."""
    letter = src[at]
    after = src[at + 1] if at + 1 < size else -1  # -1: the end
    if rule == _LITERAL:
        if letter != first or after != second:
            return 0
        if third == 0:
            return 2
        return 3 if at + 2 < size and src[at + 2] == third else 0
    if rule == _AFFRICATE:
        if letter in (_t, _d) and _at(src, size, at + 1, _s, _c, _h):
            return 4  # tsch, dsch
        if letter == _t and _at(src, size, at + 1, _c, _h, 0):
            return 3
        if letter == _d and _at(src, size, at + 1, _z, _h, 0):
            return 3
        return 2 if letter == _d and after == _j else 0
    if rule == _HARD_C:
        if letter == _c:
            return 2 if after == _k else int(after not in (_e, _i, _y))
        return int(letter == _q)
    if rule == _LONG_U:
        return 2 if letter == _o and after in (_u, _o) else 0
    # _LONG_I
    if letter == _e and after == _e:
        return 2
    if letter == _i and after == _e:
        return 2 if at + 2 == size or not _vowel(src[at + 2]) else 0
    return 0


@njit(cache=True, nogil=True, inline="always")
def _at(
    src: np.ndarray, size: int, at: int, first: int, second: int, third: int
) -> bool:  # pragma: no cover - compiled
    """Whether ``first``, ``second`` (and ``third``, if not 0) are the letters at ``at``."""
    if at + 1 >= size or src[at] != first or src[at + 1] != second:
        return False
    return third == 0 or (at + 2 < size and src[at + 2] == third)


@njit(cache=True, nogil=True, inline="always")
def _map(
    buffer: np.ndarray, size: int, letter: int, into: int, also: int
) -> None:  # pragma: no cover
    """``letter`` and ``also`` → ``into``, in place (one letter for one: no rule sees
    another's result within the pass)."""
    for at in range(size):
        if buffer[at] == letter or buffer[at] == also:
            buffer[at] = into


@njit(cache=True, nogil=True)
def _x_to_ks(src: np.ndarray, size: int, dst: np.ndarray) -> int:  # pragma: no cover
    m = 0
    for at in range(size):
        if src[at] == _x:
            dst[m] = _k
            dst[m + 1] = _s
            m += 2
        else:
            dst[m] = src[at]
            m += 1
    return m


@njit(cache=True, nogil=True, inline="always")
def _glide_j(buffer: np.ndarray, size: int) -> None:  # pragma: no cover - compiled
    """j(?=[aeiou]) → y, in place (the letter looked at next is a vowel, never a j)."""
    for at in range(size - 1):
        if buffer[at] == _j and _vowel(buffer[at + 1]):
            buffer[at] = _y


@njit(cache=True, nogil=True)
def _undoubled(src: np.ndarray, size: int, dst: np.ndarray) -> int:  # pragma: no cover
    """(.)(?=\\1) → "": a letter the same letter follows is dropped."""
    m = 0
    for at in range(size):
        if at + 1 < size and src[at + 1] == src[at]:
            continue
        dst[m] = src[at]
        m += 1
    return m


@njit(cache=True, nogil=True)
def _silent_h(src: np.ndarray, size: int, dst: np.ndarray) -> int:  # pragma: no cover
    """(?<=[a-zA-Z])h(?=[^aeiou]|$) → ""."""
    m = 0
    for at in range(size):
        if (
            src[at] == _h
            and at > 0
            and (97 <= src[at - 1] <= 122 or 65 <= src[at - 1] <= 90)
            and (at + 1 == size or not _vowel(src[at + 1]))
        ):
            continue
        dst[m] = src[at]
        m += 1
    return m
