"""The learned channel's beam search for many tokens at once, compiled.

``romanise._beam`` is the definition: per token, the k cheapest distinct spellings of
its units, each unit spelt alone after the beam of the units before it, or with the unit
before it as a pair. It is written for one token at a time and costs 15 microseconds per
prefix in Python: on a list of 30,000 Cyrillic names, 1.4 s, the largest single cost of
linking two lists. This module runs the same search compiled with Numba over a whole
vocabulary: tokens are sorted so that one sharing a prefix with the token before it
reuses that prefix's beam (as the definition's cache does), and each beam is kept as a
sorted list of at most k distinct spellings, a candidate entering only if it beats the
worst. The arithmetic (one float64 sum per candidate, costs compared, then spellings by
code point) is the definition's, so the spellings and costs are identical; the tests
check that on every token of the development sets.

Numba compiles on first use and keeps the machine code in ``__pycache__`` (a later
process loads it); importing it costs half a second, so this module is loaded only for
bulk work (``romanise.BULK_MIN`` tokens or more), never for the few tokens of a web
request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from wayhome.names.compiled import njit
from wayhome.names.train import bare

# One option list: (spelling, cost) cheapest first, as ``romanise._channel`` keeps them.
Options = Sequence[tuple[str, float]]
NO_PAIR = -1


@njit(cache=True, nogil=True)
def _search(
    order: np.ndarray,
    starts: np.ndarray,
    singles: np.ndarray,
    pairs: np.ndarray,
    option_starts: np.ndarray,
    option_costs: np.ndarray,
    text_starts: np.ndarray,
    text_chars: np.ndarray,
    k: int,
    longest: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """Beams of every token; see the module docstring. Returns per token its number of
    spellings, and per spelling its cost and code points [tokens, k, longest], 0 after
    its end."""
    tokens = len(starts) - 1
    depth = 0
    for t in range(tokens):
        depth = max(depth, starts[t + 1] - starts[t])
    costs = np.zeros((depth + 1, k))
    lengths = np.zeros((depth + 1, k), dtype=np.int64)
    chars = np.zeros((depth + 1, k, longest), dtype=np.int32)
    counts = np.zeros(depth + 1, dtype=np.int64)
    counts[0] = 1  # the empty prefix: one empty spelling at no cost
    scratch = np.zeros(longest, dtype=np.int32)
    out_counts = np.zeros(tokens, dtype=np.int64)
    out_costs = np.zeros((tokens, k))
    out_chars = np.zeros((tokens, k, longest), dtype=np.int32)
    previous = -1
    for t in order:
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
                    _offer(costs, lengths, chars, counts, d, total, d - 1, j, o,
                           text_starts, text_chars, scratch, k)  # fmt: skip
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
                               text_starts, text_chars, scratch, k)  # fmt: skip
        out_counts[t] = counts[size]
        for e in range(counts[size]):
            out_costs[t, e] = costs[size, e]
            out_chars[t, e, : lengths[size, e]] = chars[size, e, : lengths[size, e]]
        previous = t
    return out_counts, out_costs, out_chars


@njit(cache=True, nogil=True, inline="always")
def _offer(
    costs: np.ndarray,
    lengths: np.ndarray,
    chars: np.ndarray,
    counts: np.ndarray,
    d: int,
    total: float,
    source: int,
    j: int,
    option: int,
    text_starts: np.ndarray,
    text_chars: np.ndarray,
    scratch: np.ndarray,
    k: int,
) -> None:  # pragma: no cover - compiled
    """Offer beam ``d`` the spelling of entry ``j`` of beam ``source`` followed by
    ``option``'s text, at ``total``: it enters in (cost, spelling) order if it is not
    there already at a cost as low, and the beam keeps its k best."""
    size = lengths[source, j]
    scratch[:size] = chars[source, j, :size]
    for c in range(text_starts[option], text_starts[option + 1]):
        scratch[size] = text_chars[c]
        size += 1
    n = counts[d]
    # The same spelling already in the beam: keep the cheaper of the two.
    for p in range(n):
        if lengths[d, p] == size and _same(chars[d, p], scratch, size):
            if costs[d, p] <= total:
                return
            for q in range(p, n - 1):  # take it out; it goes back in at its new place
                _move(costs, lengths, chars, d, q + 1, q)
            n -= 1
            break
    at = n
    while at > 0 and _after(costs[d, at - 1], chars[d, at - 1], lengths[d, at - 1],
                            total, scratch, size):  # fmt: skip
        at -= 1
    if at >= k:
        counts[d] = n
        return
    last = min(n, k - 1)
    for q in range(last, at, -1):
        _move(costs, lengths, chars, d, q - 1, q)
    costs[d, at] = total
    lengths[d, at] = size
    chars[d, at, :size] = scratch[:size]
    counts[d] = min(n + 1, k)


@njit(cache=True, nogil=True, inline="always")
def _move(
    costs: np.ndarray, lengths: np.ndarray, chars: np.ndarray, d: int, source: int, target: int
) -> None:  # pragma: no cover - compiled
    """Entry ``source`` of beam ``d`` copied over entry ``target`` (its letters only)."""
    costs[d, target] = costs[d, source]
    size = lengths[d, source]
    lengths[d, target] = size
    for i in range(size):
        chars[d, target, i] = chars[d, source, i]


@njit(cache=True, nogil=True, inline="always")
def _same(a: np.ndarray, b: np.ndarray, size: int) -> bool:  # pragma: no cover - compiled
    for i in range(size):  # noqa: SIM110 - a generator does not compile
        if a[i] != b[i]:
            return False
    return True


@njit(cache=True, nogil=True, inline="always")
def _after(
    cost: float, text: np.ndarray, size: int, other_cost: float, other: np.ndarray, other_size: int
) -> bool:  # pragma: no cover - compiled
    """Whether (cost, text) sorts after (other_cost, other), as Python compares tuples."""
    if cost != other_cost:
        return cost > other_cost
    for i in range(min(size, other_size)):
        if text[i] != other[i]:
            return bool(text[i] > other[i])
    return size > other_size


def load() -> None:
    """Have the compiled search ready (compiled, or loaded from ``__pycache__``): before
    forking workers, so that each does not load it again."""
    channel = Channel({}, lambda letter: letter)
    beams(channel, ["ab"], 2)


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
    counts, costs, chars = _search(
        order.astype(np.int64), starts, singles, pairs, *channel.arrays(), k, longest
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
    singles = _looked_up(single_codes, lambda code: channel.single(_unit(code)))
    before = np.r_[0, points[:-1]]
    before_first = np.r_[0, first[:-1]]
    pair_codes = before << 23 | points << 2 | before_first << 1 | last
    pairs = np.full(len(points), NO_PAIR, dtype=np.int64)
    inner = first == 0  # a token's first unit has none before it
    pairs[inner] = _looked_up(pair_codes[inner], lambda code: channel.pair(*_pair_units(code)))
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


def _looked_up(codes: np.ndarray, look_up: Callable[[int], int]) -> np.ndarray:
    """``look_up`` of each code, called once per distinct code."""
    if not len(codes):
        return np.zeros(0, dtype=np.int64)
    ordered = np.sort(codes)
    distinct = ordered[np.r_[True, ordered[1:] != ordered[:-1]]]
    found = np.array([look_up(code) for code in distinct.tolist()], dtype=np.int64)
    return found[np.searchsorted(distinct, codes)]
