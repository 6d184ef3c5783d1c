"""The learned channel's beam search for many tokens at once, compiled.

``romanise._beam`` is the definition: per token, the k cheapest distinct spellings of
its units, each unit spelt alone after the beam of the units before it, or with the unit
before it as a pair. It is written for one token at a time and costs 15 microseconds per
prefix in Python: on a list of 30,000 Cyrillic names, 1.4 s, the largest single cost of
linking two lists. This module runs the same search compiled (``_beams.pyx``) over a whole
vocabulary: tokens are sorted so that one sharing a prefix with the token before it
reuses that prefix's beam (as the definition's cache does), and each beam is kept as a
sorted list of at most k distinct spellings, a candidate entering only if it beats the
worst. The arithmetic (one float64 sum per candidate, costs compared, then spellings by
code point) is the definition's, so the spellings and costs are identical; the tests
check that on thousands of random tokens sharing beginnings, ties included.

The search is compiled with Cython when the package is installed, so a process neither
compiles it nor loads a compiler (a one-shot ``wayhome link`` starts at once), and it runs
without the GIL. Below ``romanise.BULK_MIN`` tokens (a web request's few) ``romanise``
uses the definition instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from wayhome.names._beams import search as _search
from wayhome.names.train import bare

# One option list: (spelling, cost) cheapest first, as ``romanise._channel`` keeps them.
Options = Sequence[tuple[str, float]]
NO_PAIR = -1


class Channel:
    """One script's channel as flat arrays, option lists numbered as units ask for them.

    ``single(unit)`` and ``pair(a, b)`` look a unit (or two) up as the definition does:
    the unit, then its bare letter, then (for a single unit) the fallback spelling.
    """

    def __init__(self, table: Mapping[str, Options], fallback: Callable[[str], str]) -> None:
        self.table = table
        self.fallback = fallback
        self.lists: list[Options] = []
        self._numbered: dict[tuple[tuple[str, float], ...], int] = {}
        self._singles: dict[str, int] = {}
        self._pairs: dict[str, int] = {}
        # The same by the codes of ``_steps``: a list's chunks ask for the same few
        # thousand units again and again, and making their texts cost more than the search.
        self.single_codes: dict[int, int] = {}
        self.pair_codes: dict[int, int] = {}
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None

    def _number(self, options: Options) -> int:
        key = tuple(options)
        if key not in self._numbered:
            self._numbered[key] = len(self.lists)
            self.lists.append(key)
            self._arrays = None
        return self._numbered[key]

    def single(self, unit: str) -> int:
        found = self._singles.get(unit)
        if found is None:
            options = (
                self.table.get(unit)
                or self.table.get(bare(unit))
                or [(self.fallback(bare(unit)), 6.0)]
            )
            found = self._singles[unit] = self._number(options)
        return found

    def pair(self, first: str, second: str) -> int:
        unit = first + second
        found = self._pairs.get(unit)
        if found is None:
            options = self.table.get(unit) or self.table.get(bare(unit)) or []
            found = self._pairs[unit] = self._number(options) if options else NO_PAIR
        return found

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(option starts, option costs, text starts, text code points) of every list."""
        if self._arrays is None:
            options = [option for listed in self.lists for option in listed]
            sizes = [len(listed) for listed in self.lists]
            texts = [[ord(ch) for ch in text] for text, _ in options]
            self._arrays = (
                np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
                np.array([cost for _, cost in options], dtype=np.float64),
                np.concatenate([[0], np.cumsum([len(t) for t in texts])]).astype(np.int64),
                np.array([ch for text in texts for ch in text], dtype=np.int32),
            )
        return self._arrays

    def longest(self) -> int:
        """The longest text of any option list."""
        return max((len(text) for listed in self.lists for text, _ in listed), default=0)


def beams(channel: Channel, folded: Sequence[str], k: int) -> list[tuple[tuple[float, str], ...]]:
    """``romanise._beam(script, units(token), k)`` of every folded token, in order."""
    counts, costs, texts = search(channel, folded, k)
    return [
        tuple(zip(costs[t, :n].tolist(), texts[t * k : t * k + n], strict=True))
        for t, n in enumerate(counts.tolist())
    ]


def search(
    channel: Channel, folded: Sequence[str], k: int
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``beams`` as arrays: per token its number of spellings n and their costs [tokens,
    k], and the spellings, k per token (the first n of each are its beam)."""
    if not folded:
        return np.zeros(0, np.int64), np.zeros((0, k)), []
    singles, pairs, starts = _steps(channel, folded)
    sizes = np.diff(starts)
    # Sorted by their (single, pair) lists unit by unit: neighbours share prefixes.
    steps = np.full((len(folded), max(int(sizes.max()), 1)), -1, dtype=np.int64)
    inside = np.arange(steps.shape[1]) < sizes[:, None]
    steps[inside] = singles * (len(channel.lists) + 1) + pairs + 1
    order = np.lexsort(steps.T[::-1])
    longest = max(int(sizes.max()) * max(channel.longest(), 1), 1)
    option_starts, option_costs, text_starts, text_chars = channel.arrays()
    counts, costs, chars = _search(
        np.ascontiguousarray(order, dtype=np.int64),
        np.ascontiguousarray(starts, dtype=np.int64),
        np.ascontiguousarray(singles, dtype=np.int64),
        np.ascontiguousarray(pairs, dtype=np.int64),
        np.ascontiguousarray(option_starts, dtype=np.int64),
        np.ascontiguousarray(option_costs, dtype=np.float64),
        np.ascontiguousarray(text_starts, dtype=np.int64),
        np.ascontiguousarray(text_chars, dtype=np.int32),
        k,
        longest,
    )
    texts = chars.reshape(len(folded) * k, longest).view(f"<U{longest}").reshape(-1).tolist()
    return counts, costs, texts


def _steps(channel: Channel, folded: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per unit of every token (flat, token after token): its single option list, the
    option list of it and the unit before it as a pair (NO_PAIR for none), and where
    each token's units start. A unit is a letter and whether it is the token's first or
    last (``train.units``), so each distinct (letter, place) and (two letters, place) is
    looked up once, not once per token."""
    sizes = np.array([len(f) for f in folded], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    if not sizes.sum():
        return np.zeros(0, np.int64), np.zeros(0, np.int64), starts
    points = np.array(folded, dtype=str).view(np.uint32).reshape(len(folded), -1)
    points = points[np.arange(points.shape[1]) < sizes[:, None]].astype(np.int64)
    at = np.arange(len(points)) - np.repeat(starts[:-1], sizes)  # place in its token
    first = (at == 0).astype(np.int64)
    last = (at == np.repeat(sizes, sizes) - 1).astype(np.int64)
    single_codes = points << 2 | first << 1 | last
    singles = _looked_up(
        single_codes, lambda code: channel.single(_unit(code)), channel.single_codes
    )
    before = np.r_[0, points[:-1]]
    before_first = np.r_[0, first[:-1]]
    pair_codes = before << 23 | points << 2 | before_first << 1 | last
    pairs = np.full(len(points), NO_PAIR, dtype=np.int64)
    inner = first == 0  # a token's first unit has none before it
    pairs[inner] = _looked_up(
        pair_codes[inner], lambda code: channel.pair(*_pair_units(code)), channel.pair_codes
    )
    return singles, pairs, starts


def _unit(code: int) -> str:
    """The unit of a single code (letter << 2 | first << 1 | last)."""
    return ("^" if code & 2 else "") + chr(code >> 2) + ("$" if code & 1 else "")


def _pair_units(code: int) -> tuple[str, str]:
    """The two units of a pair code (letter before << 23 | letter << 2 | the one before
    is the token's first << 1 | this one is its last); the first unit is never the last."""
    before = code >> 23 << 2 | (code >> 1 & 1) << 1
    this = (code >> 2 & (1 << 21) - 1) << 2 | code & 1
    return _unit(before), _unit(this)


def _looked_up(
    codes: np.ndarray, look_up: Callable[[int], int], known: dict[int, int]
) -> np.ndarray:
    """``look_up`` of each code, called once per distinct code ever (``known`` keeps
    what it gave)."""
    if not len(codes):
        return np.zeros(0, dtype=np.int64)
    ordered = np.sort(codes)
    distinct = ordered[np.r_[True, ordered[1:] != ordered[:-1]]]
    listed = distinct.tolist()
    for code in listed:
        if code not in known:
            known[code] = look_up(code)
    found = np.array(list(map(known.__getitem__, listed)), dtype=np.int64)
    return found[np.searchsorted(distinct, codes)]
