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

The loops are C (``_bulk_keys.pyx``), compiled with Cython when the package is built:
loading them costs a process next to nothing, and nothing is compiled at run time. The
rules stay here, a table the kernel reads.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from wayhome.names import _bulk_keys
from wayhome.names._bulk_keys import (
    AFFRICATE,
    GLIDE_J,
    HARD_C,
    LITERAL,
    LONG_I,
    LONG_U,
    MAP,
    SILENT_H,
    UNDOUBLED,
    X_TO_KS,
)

SEPARATOR = 10  # "\n": never in a key of this module's (see ``kept_keys``)


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
    return _bulk_keys.sound_alike_many(
        np.ascontiguousarray(chars, dtype=np.int32),
        np.ascontiguousarray(starts, dtype=np.int64),
        _PASSES,
    )


def firsts(
    order: np.ndarray, owner: np.ndarray, chars: np.ndarray, starts: np.ndarray
) -> np.ndarray:
    """Which of the keys ``order[p]`` (``chars`` and ``starts`` as ``points`` gives them)
    is the first of its text among those of its owner: ``owner[p]``, equal for a run of
    positions. Empty keys are never kept."""
    return _bulk_keys.firsts(
        np.ascontiguousarray(order, dtype=np.int64),
        np.ascontiguousarray(owner, dtype=np.int64),
        np.ascontiguousarray(chars, dtype=np.int32),
        np.ascontiguousarray(starts, dtype=np.int64),
    )


def kept_keys(chosen: np.ndarray, chars: np.ndarray, starts: np.ndarray) -> list[str]:
    """The keys ``chosen`` as strings, in order."""
    if not len(chosen):
        return []
    joined = _bulk_keys.joined(
        np.ascontiguousarray(chosen, dtype=np.int64),
        np.ascontiguousarray(chars, dtype=np.int32),
        np.ascontiguousarray(starts, dtype=np.int64),
        SEPARATOR,
    )
    text = joined.astype(np.uint32).tobytes().decode("utf-32-le")
    if np.count_nonzero(joined == SEPARATOR) == len(chosen) - 1:
        return text.split("\n")
    bounds = np.concatenate([[0], np.cumsum(starts[chosen + 1] - starts[chosen] + 1)])
    return [text[a : b - 1] for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)]


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
    """One pass, a row as the kernel reads it: its kind, the letters it needs (else
    ``other``, if any), the letters it looks for and the one it writes (code points, 0 for
    none), and the a-z letters it may write (``into``, unless ``writes`` says)."""
    first, second, third = (ord(ch) for ch in text.ljust(3, "\0"))
    written = writes or (into if into.islower() else "")
    return (kind, _letters(needs), _letters(other), first, second, third,
            ord(into) if into else 0, _letters(written))  # fmt: skip


# The rules of ``romanise._sound_alike``, in its order: one row a pass, as the kernel reads
# them (the kinds are its own, ``_bulk_keys``).
_PASSES = np.array(
    [
        _pass(AFFRICATE, "d", into="C", other="tch"),
        _pass(LITERAL, "sch", "sch", "S"),
        _pass(LITERAL, "sh", "sh", "S"),
        _pass(LITERAL, "ch", "ch", "C"),
        _pass(LITERAL, "ph", "ph", "f"),
        _pass(LITERAL, "kh", "kh", "H"),
        _pass(LITERAL, "gh", "gh", "g"),
        _pass(X_TO_KS, "x", writes="ks"),
        _pass(HARD_C, "c", into="k", other="q"),
        _pass(MAP, "c", "cc", "s"),
        _pass(LITERAL, "tz", "tz", "z"),
        _pass(LITERAL, "ts", "ts", "z"),
        _pass(MAP, "w", "wv", "f", other="v"),
        _pass(LONG_U, "o", into="u"),
        _pass(LONG_I, "e", into="i"),
        _pass(GLIDE_J, "j", writes="y"),
        _pass(MAP, "y", "yy", "i"),
        _pass(LITERAL, "th", "th", "t"),
        _pass(LITERAL, "dh", "dh", "d"),
        _pass(UNDOUBLED, ""),
        _pass(SILENT_H, "h"),
    ],
    dtype=np.int64,
)
