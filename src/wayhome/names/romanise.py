"""Romanisation of name tokens into a set of plausible Latin spellings, and Latin keys.

Cyrillic gets every common scheme's spelling (``tables.py``) and ICU's (BGN/PCGN for Russian
letters, ISO 9 for the others: ``_ICU_RUSSIAN_ONLY``); both Cyrillic and
Arabic get the k best spellings of the learned channel (``data/channel.json``). Every
spelling is then reduced to a *Latin key* that forgets distinctions spellers disagree on
(c/k/q, w/v, y/i, sch/sh, doubled letters ...), so comparing keys compares sounds.

A list's tokens are keyed together (``prime_token_keys``, ``_flat_keys``): their
spellings as flat columns, each token's distinct keys chosen on arrays, and from
BULK_MIN tokens the learned search and the keys compiled (``beams``, ``bulk_keys``).
"""

from __future__ import annotations

import json
import math
import multiprocessing
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from functools import cache, lru_cache
from itertools import chain, compress, islice, repeat
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import NamedTuple

import icu
import numpy as np

from wayhome.names import beams, bulk_keys
from wayhome.names.normalise import fold_latin, fold_latins, normalise_token
from wayhome.names.tables import (
    CYRILLIC_SCHEMES,
    fallback_spelling,
    romanise_cyrillic_schemes,
    romanise_cyrillic_text,
)
from wayhome.names.train import CHANNEL_PATH, bare, units

BEAM = 14
PENALTY_PER_COST = 0.02
MAX_PENALTY = 0.1
ARTICLE_PENALTY = 0.02
# Scripts whose tokens also get a consonant-only key ("~" + skeleton): Arabic, and Latin
# so that it can meet Arabic there. Cyrillic writes its vowels and never needs it.
VOWELLESS_PEERS = {"Arab", "Latn"}
SKELETONS = 4
SKELETON_PENALTY = 0.06
_LATIN_ARTICLE = re.compile(r"^(al|el|ul)[-‐ ]", re.IGNORECASE)
OPTIONS_PER_SEGMENT = 6

# Where a spelling came from, as a number: each Cyrillic scheme, ICU's two, the learned
# channel, the token as written and its consonants; the same + len(SOURCES) with the
# article dropped.
_ICU_SCHEMES = ("Russian-Latin/BGN", "Cyrillic-Latin")
SOURCES = (
    *CYRILLIC_SCHEMES, *(f"icu {name}" for name in _ICU_SCHEMES),
    "learned", "as written", "consonants only",
)  # fmt: skip
_SOURCE_NAMES = SOURCES + tuple(f"{source}, article dropped" for source in SOURCES)
_SOURCE_NUMBERS = {name: n for n, name in enumerate(_SOURCE_NAMES)}
_LEARNED, _AS_WRITTEN, _CONSONANTS = (SOURCES.index(s) for s in SOURCES[-3:])
_PLACES = len(SOURCES) + BEAM  # a spelling's place among its item's: scheme, then learned

# The sound-alike rules of ``latin_key``, applied in this order, each to the result of the
# ones before: tsch|tch|dsch|dzh|dj → C; sch|sh → S; ch → C; ph → f; kh → H; gh → g;
# x → ks; ck|c(?=[^eiy]|$)|q → k; c → s; tz|ts → z; [wv] → f; ou|oo → u;
# ee|ie(?=[^aeiou]|$) → i; j(?=[aeiou]) → y; y → i; th → t; dh → d; doubled letters once;
# h after a letter and before a consonant or the end dropped. Literal rules whose
# alternatives cannot overlap are plain ``str.replace`` calls (the same result as a regex
# pass, a tenth of the cost); the others are regexes run only when their trigger occurs.
# tests/names/test_romanise.py checks this against the rules run one regex at a time.
_AFFRICATE = re.compile(r"tsch|tch|dsch|dzh|dj")
_HARD_C = re.compile(r"ck|c(?=[^eiy]|$)|q")
_LONG_U = re.compile(r"ou|oo")
_LONG_I = re.compile(r"ee|ie(?=[^aeiou]|$)")
_GLIDE_J = re.compile(r"j(?=[aeiou])")
# (.)\1+ → \1, written as "drop a letter the same letter follows": a literal (empty)
# replacement, where a group reference cost a Python call per match.
_DOUBLED = re.compile(r"(.)(?=\1)")
_SILENT_H = re.compile(r"(?<=[a-zA-Z])h(?=[^aeiou]|$)")
_VOWELS = re.compile(r"(?<=.)[aeiou]+")


@lru_cache(maxsize=500_000)
def latin_key(latin: str) -> str:
    """Sound-alike key of a folded Latin spelling: "Mahomedov" and "Magomedow" stay close."""
    return _sound_alike(latin)


# Joins spellings for ``latin_keys``: no rule matches across it. Each multi-letter pattern
# needs letters on both sides, and the rules that look at the next letter or the end
# (c, ie, j, h) see it as they see the end of a word: not e/i/y, not a vowel. ``.`` in
# the doubled-letter rule does not match it, and the silent-h rule needs a letter before.
_SEPARATOR = "\n"


def latin_keys(latins: Sequence[str]) -> list[str]:
    """``latin_key`` of many spellings, the rules run once over all of them joined.

    A list's hundreds of thousands of spellings each ran 19 rules as separate calls;
    joined, each rule is one call over a long string (spellings are folded letters and
    never hold the separator; should one, each is keyed on its own).
    """
    if not latins:
        return []
    joined = _SEPARATOR.join(latins)
    if joined.count(_SEPARATOR) != len(latins) - 1:
        return [latin_key(latin) for latin in latins]
    return _sound_alike(joined).split(_SEPARATOR)


def _sound_alike(latin: str) -> str:
    """The rules of ``latin_key`` on one spelling or many joined by ``_SEPARATOR``."""
    key = latin
    if "sch" in key or "tch" in key or "dzh" in key or "dj" in key:
        key = _AFFRICATE.sub("C", key)
    key = key.replace("sch", "S").replace("sh", "S").replace("ch", "C").replace("ph", "f")
    key = key.replace("kh", "H").replace("gh", "g").replace("x", "ks")
    if "c" in key or "q" in key:
        key = _HARD_C.sub("k", key)
    key = key.replace("c", "s").replace("tz", "z").replace("ts", "z")
    key = key.replace("w", "f").replace("v", "f")
    if "ou" in key or "oo" in key:
        key = _LONG_U.sub("u", key)
    if "ee" in key or "ie" in key:
        key = _LONG_I.sub("i", key)
    if "j" in key:
        key = _GLIDE_J.sub("y", key)
    key = key.replace("y", "i").replace("th", "t").replace("dh", "d")
    if _DOUBLED.search(key):
        key = _DOUBLED.sub("", key)
    if "h" in key:
        key = _SILENT_H.sub("", key)
    return key.lower()


@lru_cache(maxsize=500_000)
def consonant_skeleton(key: str) -> str:
    """The key without its non-initial vowels (Arabic script rarely writes short vowels)."""
    return _VOWELS.sub("", key)


def consonant_skeletons(keys: Sequence[str]) -> list[str]:
    """``consonant_skeleton`` of many keys in one pass (``.`` does not match the
    separator, so a vowel starting a key stays, as it does at the start of the string)."""
    if not keys:
        return []
    joined = _SEPARATOR.join(keys)
    if joined.count(_SEPARATOR) != len(keys) - 1:
        return [consonant_skeleton(key) for key in keys]
    return _VOWELS.sub("", joined).split(_SEPARATOR)


@cache
def _icu_transliterators() -> dict[str, icu.Transliterator]:
    """ICU's BGN/PCGN and ISO 9 style Cyrillic transliterators, by source name."""
    return {f"icu {name}": icu.Transliterator.createInstance(name) for name in _ICU_SCHEMES}


# Which folded tokens each ICU transliterator spells: True, those of Russian letters
# only; False, the others. BGN/PCGN is the romanisation of Russian: it adds "ye" for е
# at the start or after a vowel (no scheme here does), but it drops the letters Russian
# lacks ("іван" → "van", "өмір" → "mr"), so elsewhere its keys would be wrong. ISO 9
# spells every Cyrillic letter (Ukrainian "євгенія" → "evgenia"), but on Russian letters
# it gave no key the schemes had not given, on all 115,136 such tokens of
# names/wd_russian_80 and the 30,702 Cyrillic ones of linkage-dev/ru: spelling them
# was a fifth of keying a Russian list, for nothing.
_ICU_RUSSIAN_ONLY = {"icu Russian-Latin/BGN": True, "icu Cyrillic-Latin": False}
_RUSSIAN_LETTERS = re.compile(r"[а-яё]+")


_channel_path = CHANNEL_PATH  # the channel file read (``similarity.use_channel`` sets it)


def set_channel_path(path: Path) -> None:
    """Read the channel from ``path`` from now on; see ``similarity.use_channel``, which
    also forgets what was spelt under the old one."""
    global _channel_path
    _channel_path = path


@cache
def _channel() -> dict[str, list[tuple[str, list[tuple[str, float]]]]]:
    """Per script: segment → its cheapest Latin spellings with their costs."""
    raw: dict[str, dict[str, dict[str, float]]] = json.loads(
        _channel_path.read_text(encoding="utf-8")
    )
    return {
        script: {
            seg: sorted(options.items(), key=lambda kv: kv[1])[:OPTIONS_PER_SEGMENT]
            for seg, options in table.items()
        }  # type: ignore[misc]
        for script, table in raw.items()
    }


def learned_spellings(folded: str, script: str, k: int = BEAM) -> list[tuple[str, float]]:
    """The k cheapest Latin spellings of a folded token under the learned channel."""
    return [(text, cost) for cost, text in _beam(script, units(folded), k) if text]


@lru_cache(maxsize=300_000)
def _beam(script: str, letters: tuple[str, ...], k: int) -> tuple[tuple[float, str], ...]:
    """The k cheapest (cost, spelling) of the units ``letters``, cheapest first.

    Cached per prefix: tokens of one list share their beginnings (Маго-, Абд-), so the
    beam of a prefix is computed once for all of them. A spelling ends with the last
    unit's spelling (after the beam of the rest) or the last two units' together; ties
    are broken by the spelling, and a spelling reached twice keeps its cheaper cost.
    Candidates dearer than a known k-th cost are never built: the beam of the rest holds
    k distinct spellings, so with the last unit's cheapest option they bound the k-th.
    """
    if not letters:
        return ((0.0, ""),)
    table: dict[str, list[tuple[str, float]]] = _channel().get(script, {})  # type: ignore[assignment]
    last = letters[-1]
    options = table.get(last) or table.get(bare(last)) or [(fallback_spelling(bare(last)), 6.0)]
    rest = _beam(script, letters[:-1], k)
    bound = rest[k - 1][0] + options[0][1] if len(rest) >= k else math.inf
    # Both the beam and the options are cheapest first, and a float sum grows with
    # either term: the first sum over the bound ends its loop, no later one fits.
    candidates: list[tuple[float, str]] = []
    append = candidates.append
    for latin, c in options:
        for cost, text in rest:
            total = cost + c
            if total > bound:
                break
            append((total, text + latin))
    if len(letters) >= 2:
        pair = letters[-2] + last
        options = table.get(pair) or table.get(bare(pair)) or []
        if options:
            bound = _kth_cost(candidates, k)
            cheapest = options[0][1]
            for cost, text in _beam(script, letters[:-2], k):
                if cost + cheapest > bound:
                    break
                for latin, c in options:
                    total = cost + c
                    if total > bound:
                        break
                    append((total, text + latin))
    return _best_distinct(candidates, k)


def _kth_cost(candidates: list[tuple[float, str]], k: int) -> float:
    """The cost of the k-th distinct spelling of ``candidates`` (sorted in place), or inf."""
    candidates.sort()
    seen: set[str] = set()
    for cost, text in candidates:
        if text not in seen:
            seen.add(text)
            if len(seen) == k:
                return cost
    return math.inf


def _best_distinct(candidates: list[tuple[float, str]], k: int) -> tuple[tuple[float, str], ...]:
    """The k cheapest distinct spellings, each at its cheapest cost, by (cost, spelling)."""
    candidates.sort()
    best: list[tuple[float, str]] = []
    seen: set[str] = set()
    for cost, text in candidates:
        if text not in seen:
            seen.add(text)
            best.append((cost, text))
            if len(best) == k:
                break
    return tuple(best)


class Spelling(NamedTuple):
    """One plausible Latin spelling of a token, its key, where it came from, and its doubt.

    ``penalty`` (0 for the standard schemes) grows with how much less likely a learned
    spelling is than the token's best one, so far-fetched spellings need closer matches.
    """

    key: str
    latin: str
    source: str
    penalty: float


_new_tuple = tuple.__new__
# Keys computed in bulk by ``prime_token_keys``, a chunk of tokens' columns at a time;
# per token, its chunk's number and its place there. They become ``Spelling`` tuples only
# when ``token_keys`` asks (``_SPELT``): the linker gathers the columns themselves
# (``primed_columns``), and making a list's hundreds of thousands of tuples cost more
# than its parsing.
_CHUNKS: list[FlatKeys] = []
_PRIMED: dict[str, tuple[int, int]] = {}
_SPELT: dict[str, tuple[Spelling, ...]] = {}
PARALLEL_MIN = 4_000  # fewer new tokens than this are not worth starting processes for
CHUNK_TOKENS = 2_000  # tokens a worker keys at a time
BULK_MIN = 500  # tokens of a script from which the compiled paths beat the definitions


def token_keys(token: str) -> tuple[Spelling, ...]:
    """Distinct Latin keys of a token's plausible spellings, best first.

    Latin tokens have one (as written); Cyrillic ones every scheme's and ICU's spelling;
    Cyrillic and Arabic ones the learned channel's k best spellings.
    """
    found = _SPELT.get(token)
    if found is None:
        at = _PRIMED.get(token)
        if at is None:
            return _token_keys(token)
        found = _SPELT[token] = _spellings_at(_CHUNKS[at[0]], at[1])
    return found


class Columns(NamedTuple):
    """Keys of many tokens as ``primed_columns`` gives them: ``FlatKeys`` with its
    numbers in arrays."""

    keys: list[str]
    latins: list[str]
    sources: np.ndarray  # int64, for ``source_name``
    doubts: np.ndarray  # float64
    bounds: np.ndarray  # int64: token n's rows are bounds[n] to bounds[n + 1]


def primed_columns(tokens: Sequence[str]) -> Columns:
    """``token_keys`` of each token as one set of columns, gathered from the primed
    chunks on arrays, without a ``Spelling`` made; tokens not primed are primed first."""
    missing = [t for t in dict.fromkeys(tokens) if t not in _PRIMED]
    if missing:
        _prime(missing, _flat_keys(missing))
    places = chain.from_iterable(map(_PRIMED.__getitem__, tokens))
    at = np.fromiter(places, dtype=np.int64, count=2 * len(tokens)).reshape(-1, 2)
    merged = _merged()
    token = merged.first_token[at[:, 0]] + at[:, 1]
    starts = merged.bounds[token]
    sizes = merged.bounds[token + 1] - starts
    rows = _ranges(starts, sizes)
    listed = rows.tolist()
    return Columns(
        list(map(merged.keys.__getitem__, listed)),
        list(map(merged.latins.__getitem__, listed)),
        merged.sources[rows],
        merged.doubts[rows],
        np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
    )


class _Merged(NamedTuple):
    """The primed chunks' columns end to end: chunk c's token n is token
    ``first_token[c] + n``, its rows ``bounds[t]`` to ``bounds[t + 1]``."""

    chunks: int
    first_token: np.ndarray
    bounds: np.ndarray
    keys: list[str]
    latins: list[str]
    sources: np.ndarray
    doubts: np.ndarray


_MERGED: list[_Merged] = []  # the last one made, while no chunk has been added since


def _merged() -> _Merged:
    if _MERGED and _MERGED[0].chunks == len(_CHUNKS):
        return _MERGED[0]
    sizes = [len(c.bounds) - 1 for c in _CHUNKS]
    rows = np.cumsum([0] + [c.bounds[-1] for c in _CHUNKS])
    bounds = [np.asarray(c.bounds[:-1], dtype=np.int64) + rows[n] for n, c in enumerate(_CHUNKS)]
    merged = _Merged(
        len(_CHUNKS),
        np.cumsum([0, *sizes]).astype(np.int64),
        np.concatenate([*bounds, rows[-1:]]).astype(np.int64),
        list(chain.from_iterable(c.keys for c in _CHUNKS)),
        list(chain.from_iterable(c.latins for c in _CHUNKS)),
        np.array(list(chain.from_iterable(c.sources for c in _CHUNKS)), dtype=np.int64),
        np.array(list(chain.from_iterable(c.doubts for c in _CHUNKS)), dtype=np.float64),
    )
    _MERGED[:] = [merged]
    return merged


def source_name(number: int) -> str:
    """The ``Spelling.source`` of a ``FlatKeys`` source number."""
    return _SOURCE_NAMES[number]


def source_number(name: str) -> int:
    """The ``FlatKeys`` source number of a ``Spelling.source``."""
    return _SOURCE_NUMBERS[name]


def prime_token_keys(tokens: Iterable[str], workers: int) -> None:
    """Compute the keys of many distinct tokens in bulk, once, on ``workers`` processes.

    The learned channel's beam search is the costliest step of reading a list; it
    depends on the token alone, so a registry's distinct tokens are spread over the
    cores and kept for every later lookup. Fewer than PARALLEL_MIN new tokens are keyed
    in this process, still in bulk.

    ``tokens`` is read as the work goes: given a generator that parses names, this
    process parses the rest of a list while ``workers`` - 1 forked processes key what
    it has parsed so far, and then keys chunks itself beside them (``_share_keying``):
    never more processes at work than cores, and one fork fewer. Which process keys a
    chunk changes nothing in its keys.
    """
    fresh = _unprimed(tokens)
    first = list(islice(fresh, PARALLEL_MIN))
    if workers < 2 or len(first) < PARALLEL_MIN:
        missing = first + list(fresh)
        _prime(missing, _flat_keys(missing))
        return
    with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
        _share_keying(pool, _batches(chain(first, fresh), CHUNK_TOKENS), 2 * (workers - 1))


_Sent = tuple[list[str], "AsyncResult[FlatKeys | _Packed]"]


def _share_keying(pool: Pool, chunks: Iterator[list[str]], ahead: int) -> None:
    """Key every chunk: the pool's workers take them from the front as they are made
    (at most ``ahead`` sent and not yet read back, so a worker never waits for the next
    while none is left here); once all are made, this process takes them from the back."""
    sent: deque[_Sent] = deque()
    waiting: deque[list[str]] = deque()

    def feed() -> None:
        while sent and sent[0][1].ready():
            _keep(*sent.popleft())
        while waiting and len(sent) < ahead:
            chunk = waiting.popleft()
            normalised = [normalise_token(token) for token in chunk]  # cached by the parse
            sent.append((chunk, pool.apply_async(_packed_keys, (chunk, normalised))))

    for chunk in chunks:
        waiting.append(chunk)
        feed()
    while waiting:
        chunk = waiting.pop()
        _prime(chunk, _flat_keys(chunk))
        feed()
    while sent:
        _keep(*sent.popleft())


def _unprimed(tokens: Iterable[str]) -> Iterator[str]:
    """Each token not primed yet, once."""
    seen: set[str] = set()
    for token in tokens:
        if token not in seen and token not in _PRIMED:
            seen.add(token)
            yield token


def _batches(items: Iterator[str], size: int) -> Iterator[list[str]]:
    """Lists of ``size`` items (the last one shorter), as they come."""
    while batch := list(islice(items, size)):
        yield batch


def _keep(chunk: list[str], keys: AsyncResult[FlatKeys | _Packed]) -> None:
    got = keys.get()
    _prime(chunk, got if isinstance(got, FlatKeys) else got.unpacked())


class _Packed(NamedTuple):
    """``FlatKeys`` as a worker sends them: each list of texts joined by _SEPARATOR, the
    numbers as arrays. Pickling a chunk's tens of thousands of short strings one by one,
    and reading them back, cost the workers and this process more than the split."""

    keys: str
    latins: str
    sources: np.ndarray
    doubts: np.ndarray
    bounds: np.ndarray

    def unpacked(self) -> FlatKeys:
        rows = bool(len(self.bounds) and self.bounds[-1])  # "".split() would give [""]
        return FlatKeys(
            self.keys.split(_SEPARATOR) if rows else [],
            self.latins.split(_SEPARATOR) if rows else [],
            self.sources.tolist(),
            self.doubts.tolist(),
            self.bounds.tolist(),
        )


def _packed_keys(
    tokens: Sequence[str], normalised: Sequence[tuple[str, str]]
) -> FlatKeys | _Packed:
    """``_flat_keys`` as a worker sends them: packed, unless a text holds the separator."""
    flat = _flat_keys(tokens, normalised)
    keys, latins = _SEPARATOR.join(flat.keys), _SEPARATOR.join(flat.latins)
    if keys.count(_SEPARATOR) + latins.count(_SEPARATOR) != 2 * max(len(flat.keys) - 1, 0):
        return flat
    return _Packed(
        keys,
        latins,
        np.array(flat.sources, dtype=np.int64),
        np.array(flat.doubts, dtype=np.float64),
        np.array(flat.bounds, dtype=np.int64),
    )


def _prime(tokens: list[str], flat: FlatKeys) -> None:
    """Keep the keys of ``tokens``, token n's at place n of ``flat``."""
    _PRIMED.update(zip(tokens, zip(repeat(len(_CHUNKS)), range(len(tokens))), strict=True))
    _CHUNKS.append(flat)


def _spellings_at(flat: FlatKeys, n: int) -> tuple[Spelling, ...]:
    """The ``Spelling``s of token n of ``flat`` (made by ``tuple.__new__``, which is
    ``Spelling(...)`` without its Python-level ``__new__``)."""
    a, b = flat.bounds[n], flat.bounds[n + 1]
    sources = map(_SOURCE_NAMES.__getitem__, flat.sources[a:b])
    fields = zip(flat.keys[a:b], flat.latins[a:b], sources, flat.doubts[a:b], strict=True)
    return tuple(_new_tuple(Spelling, row) for row in fields)


@lru_cache(maxsize=200_000)
def _token_keys(token: str) -> tuple[Spelling, ...]:
    return _keys_of_many((token,))[0]


def _keys_of_many(
    tokens: Sequence[str], normalised: Sequence[tuple[str, str]] | None = None
) -> list[tuple[Spelling, ...]]:
    """``token_keys`` of each token, all of them computed at once (``_flat_keys``)."""
    return _spellings_of(_flat_keys(tokens, normalised))


class FlatKeys(NamedTuple):
    """``token_keys`` of many tokens as columns: token n's spellings are rows
    bounds[n] to bounds[n + 1]; ``sources`` are numbers into ``_SOURCE_NAMES``."""

    keys: list[str]
    latins: list[str]
    sources: list[int]
    doubts: list[float]
    bounds: list[int]


class _Spelt(NamedTuple):
    """Spellings of many (script, folded) items, flat and in any order: the item each
    belongs to, its place among the item's (schemes in SOURCES order, then the learned
    ones cheapest first), the spelling, its source number and its penalty."""

    item: np.ndarray
    place: np.ndarray
    latins: list[str]
    source: np.ndarray
    penalty: np.ndarray


def _flat_keys(
    tokens: Sequence[str], normalised: Sequence[tuple[str, str]] | None = None
) -> FlatKeys:
    """``token_keys`` of each token, as columns.

    Per token: its spellings, then those of its article-less form; the first spelling of
    each distinct non-empty key is kept; for scripts in VOWELLESS_PEERS, the consonant
    skeletons of its first SKELETONS keys follow. A list's spellings are hundreds of
    thousands, so no step loops over them in Python: rows are chosen on arrays, and the
    keys of BULK_MIN or more tokens' spellings are made and compared compiled
    (``bulk_keys``).
    """
    if normalised is None:
        normalised = [normalise_token(token) for token in tokens]
    bares = [
        (script, _without_article(t, script, folded) if folded else "")
        for t, (script, folded) in zip(tokens, normalised, strict=True)
    ]
    items = list(dict.fromkeys([n for n in normalised if n[1]] + [b for b in bares if b[1]]))
    number = {item: n for n, item in enumerate(items)}
    spelt = _spelt_many(items)
    # Each token's rows: its own item's spellings, then its article-less item's.
    order = np.argsort(spelt.item * _PLACES + spelt.place, kind="stable")
    item_starts = np.searchsorted(spelt.item[order], np.arange(len(items) + 1))
    parts = np.array(
        [
            [number[n] if n[1] else -1 for n in normalised],
            [number[b] if b[1] else -1 for b in bares],
        ],
        dtype=np.int64,
    ).reshape(2, len(tokens))
    token, dropped = np.nonzero(parts.T >= 0)  # token by token, its own item first
    part_items = parts[dropped, token]
    sizes = item_starts[part_items + 1] - item_starts[part_items]
    entry = order[_ranges(item_starts[part_items], sizes)]
    owner = np.repeat(token, sizes)
    dropped = np.repeat(dropped, sizes)
    bulk = len(tokens) >= BULK_MIN
    kept, keys = _distinct_keys(spelt.latins, entry, owner, bulk)
    owner, entry, dropped = owner[kept], entry[kept], dropped[kept]
    penalties = spelt.penalty[entry] + np.where(dropped == 1, ARTICLE_PENALTY, 0.0)
    doubts = _rounded(penalties)
    sources = spelt.source[entry] + dropped * len(SOURCES)
    # Arabic script leaves short vowels unwritten: also compare consonants only.
    peer = np.array([script in VOWELLESS_PEERS for script, _ in normalised], dtype=bool)
    starts = np.searchsorted(owner, np.arange(len(tokens) + 1))
    chosen = np.flatnonzero(peer[owner] & (np.arange(len(owner)) - starts[owner] < SKELETONS))
    if len(chosen):
        keys += ["~" + bone for bone in consonant_skeletons([keys[n] for n in chosen.tolist()])]
        owner = np.concatenate([owner, owner[chosen]])
        entry = np.concatenate([entry, entry[chosen]])
        sources = np.concatenate([sources, np.full(len(chosen), _CONSONANTS)])
        doubts += [round(doubts[n] + SKELETON_PENALTY, 3) for n in chosen.tolist()]
        merged = np.argsort(owner, kind="stable")  # a token's skeletons after its keys
        kept = merged[_first_texts([keys[n] for n in merged.tolist()], owner[merged], bulk)]
        owner, entry, sources = owner[kept], entry[kept], sources[kept]
        keys = list(map(keys.__getitem__, kept.tolist()))
        doubts = list(map(doubts.__getitem__, kept.tolist()))
    return FlatKeys(
        keys,
        list(map(spelt.latins.__getitem__, entry.tolist())),
        sources.tolist(),
        doubts,
        np.searchsorted(owner, np.arange(len(tokens) + 1)).tolist(),
    )


def _rounded(values: np.ndarray) -> list[float]:
    """``round(value, 3)`` of each value, in numpy.

    Python's ``round`` rounds the exact decimal value, numpy's ``rint(x * 1000) / 1000``
    the product, which carries an error of about 1e-16 of it: the two differ only where
    the product lies that close to half a thousandth, so values within 1e-6 of it are
    rounded by Python (the division is correctly rounded in both). A chunk of 2,000
    tokens has about 15,000 spellings; rounding each in Python was 5% of keying.
    """
    scaled = values * 1000.0
    if not len(values) or not np.all(np.abs(scaled) < 2.0**40):
        return [round(value, 3) for value in values.tolist()]
    rounded = np.rint(scaled) / 1000.0
    near_half = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    for n in near_half.tolist():
        rounded[n] = round(float(values[n]), 3)
    listed: list[float] = rounded.tolist()
    return listed


def _distinct_keys(
    latins: list[str], entry: np.ndarray, owner: np.ndarray, bulk: bool
) -> tuple[np.ndarray, list[str]]:
    """Of the spellings ``latins[entry[p]]`` (``owner[p]``'s, a run of positions each),
    the positions holding the first of each distinct non-empty key of their owner, and
    those keys. In bulk, compiled where ``bulk_keys`` is exact (plain ASCII spellings);
    else each distinct spelling keyed once in Python."""
    if bulk and _plain_ascii(latins):
        chars, starts = bulk_keys.latin_keys(*bulk_keys.points(latins))
        kept = np.flatnonzero(bulk_keys.firsts(entry, owner, chars, starts))
        return kept, bulk_keys.kept_keys(entry[kept], chars, starts)
    distinct = list(dict.fromkeys(latins))
    of_latin = dict(zip(distinct, latin_keys(distinct), strict=True))
    keys = list(map(of_latin.__getitem__, map(latins.__getitem__, entry.tolist())))
    kept = _first_texts(keys, owner, False)
    return kept, list(map(keys.__getitem__, kept.tolist()))


def _plain_ascii(texts: list[str]) -> bool:
    """Whether the texts are ASCII with no line break (``bulk_keys`` keys them exactly)."""
    joined = "".join(texts)
    return joined.isascii() and _SEPARATOR not in joined


def _first_texts(texts: list[str], owner: np.ndarray, bulk: bool) -> np.ndarray:
    """Positions of the first of each distinct non-empty text of each owner (a run of
    positions each), in order."""
    if bulk:
        chars, starts = bulk_keys.points(texts)
        return np.flatnonzero(bulk_keys.firsts(np.arange(len(texts)), owner, chars, starts))
    number: dict[str, int] = {"": 0}
    ids = np.fromiter((number.setdefault(t, len(number)) for t in texts), np.int64, len(texts))
    return _first_of_each(owner, ids, len(number), 0)


def _spellings_of(flat: FlatKeys) -> list[tuple[Spelling, ...]]:
    """The ``Spelling`` tuples of each token in ``flat``."""
    return [_spellings_at(flat, n) for n in range(len(flat.bounds) - 1)]


def _spelt_many(items: Sequence[tuple[str, str]]) -> _Spelt:
    """Every spelling of each (script, folded) item: a Latin one as written; a Cyrillic
    one under each scheme and ICU's two (``_scheme_columns``); a Cyrillic or Arabic one
    the learned channel's (``_learned``)."""
    parts: list[tuple[np.ndarray, np.ndarray, list[str], np.ndarray, np.ndarray]] = []
    by_script: dict[str, list[int]] = {}
    for n, (script, _) in enumerate(items):
        by_script.setdefault(script, []).append(n)
    for script, members in by_script.items():
        folded = [items[n][1] for n in members]
        mine = np.array(members, dtype=np.int64)
        if script == "Latn":
            zero = np.zeros(len(mine), dtype=np.int64)
            parts.append((mine, zero, folded, zero + _AS_WRITTEN, np.zeros(len(mine))))
            continue
        if script == "Cyrl":
            columns = _scheme_columns(folded)
            schemes = np.repeat(np.arange(len(columns), dtype=np.int64), len(mine))
            latins = list(chain.from_iterable(columns))
            parts.append((np.tile(mine, len(columns)), schemes, latins, schemes,
                          np.zeros(len(latins))))  # fmt: skip
        token, place, latins, penalties = _learned(script, folded)
        parts.append((mine[token], len(SOURCES) + place, latins, np.full(len(token), _LEARNED),
                      penalties))  # fmt: skip
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return _Spelt(empty, empty, [], empty, np.zeros(0))
    item, place, latins, source, penalty = zip(*parts, strict=True)
    return _Spelt(np.concatenate(item), np.concatenate(place), list(chain.from_iterable(latins)),
                  np.concatenate(source), np.concatenate(penalty))  # fmt: skip


def _scheme_columns(folded: Sequence[str]) -> list[list[str]]:
    """Per Cyrillic scheme, then per ICU transliterator (SOURCES order), the spelling of
    each folded token: one call per scheme over them all, joined by _SEPARATOR, which no
    scheme nor ICU rule spells or crosses (a token holding it is spelt on its own). An
    ICU transliterator spells only the tokens of its domain (``_ICU_RUSSIAN_ONLY``);
    the others get "" (no spelling)."""
    russian = [bool(_RUSSIAN_LETTERS.fullmatch(f)) for f in folded]
    columns: list[list[str]]
    if any(_SEPARATOR in f for f in folded):
        columns = [list(c) for c in zip(*map(_scheme_row, folded), strict=True)]
    else:
        joined = _SEPARATOR.join(folded)
        columns = [c.split(_SEPARATOR) for c in romanise_cyrillic_text(joined).values()]
    for name, transliterator in _icu_transliterators().items():
        mine = [r == _ICU_RUSSIAN_ONLY[name] for r in russian]
        spelt = iter(_icu_spellings(transliterator, list(compress(folded, mine))))
        columns.append([next(spelt) if m else "" for m in mine])
    return columns


def _scheme_row(folded: str) -> list[str]:
    return list(romanise_cyrillic_schemes(folded).values())


def _icu_spellings(transliterator: icu.Transliterator, folded: list[str]) -> list[str]:
    """The transliterator's folded Latin spelling of each token, in one call where the
    tokens can be joined by _SEPARATOR."""
    if not folded:
        return []
    if any(_SEPARATOR in f for f in folded):
        return [fold_latin(transliterator.transliterate(f)) for f in folded]
    return fold_latins(transliterator.transliterate(_SEPARATOR.join(folded)).split(_SEPARATOR))


def _learned(
    script: str, folded: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """The learned spellings of each folded token: (its token, its place in the beam, the
    spelling, its penalty), all flat, cheapest first per token. Empty spellings are
    dropped; the penalty grows with the cost over the token's cheapest non-empty one, up
    to MAX_PENALTY. With BULK_MIN or more tokens the beams come from one compiled
    search (``beams``), else from ``_beam`` one by one."""
    if len(folded) >= BULK_MIN:
        counts, costs, texts = beams.search(_compiled_channel(script), folded, BEAM)
    else:
        found = [_beam(script, units(f), BEAM) for f in folded]
        counts = np.array([len(beam) for beam in found], dtype=np.int64)
        costs = np.zeros((len(folded), BEAM))
        texts = [""] * (len(folded) * BEAM)
        for t, beam in enumerate(found):
            costs[t, : len(beam)] = [cost for cost, _ in beam]
            texts[t * BEAM : t * BEAM + len(beam)] = [text for _, text in beam]
    shown = np.arange(BEAM) < counts[:, None]
    shown &= np.fromiter(map(bool, texts), dtype=bool, count=len(texts)).reshape(-1, BEAM)
    best = costs[np.arange(len(folded)), np.argmax(shown, axis=1)]
    penalties = np.minimum(MAX_PENALTY, PENALTY_PER_COST * (costs - best[:, None]))
    token, place = np.nonzero(shown)
    return token, place, list(compress(texts, shown.ravel().tolist())), penalties[token, place]


def _ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """``starts[n]``, ``starts[n] + 1`` ... for ``sizes[n]`` numbers each, all concatenated."""
    ends = np.cumsum(sizes)
    return np.repeat(starts - (ends - sizes), sizes) + np.arange(int(ends[-1]) if len(ends) else 0)


def _first_of_each(owner: np.ndarray, keys: np.ndarray, width: int, skip: int) -> np.ndarray:
    """Rows holding the first of each (owner, key) pair, in order, rows of key ``skip``
    left out."""
    valid = np.flatnonzero(keys != skip)
    _, first = np.unique(owner[valid] * max(width, 1) + keys[valid], return_index=True)
    return valid[np.sort(first)]


def _without_article(token: str, script: str, folded: str) -> str:
    """The folded token without a leading al-/el-/ال ("al-Shishani" → "shishani"), or ""."""
    if script == "Arab" and folded.startswith("ال") and len(folded) > 4:
        return folded[2:]
    if script == "Latn" and _LATIN_ARTICLE.match(token):
        return fold_latin(token[3:])
    return ""


@cache
def _compiled_channel(script: str) -> beams.Channel:
    table: dict[str, list[tuple[str, float]]] = _channel().get(script, {})  # type: ignore[assignment]
    return beams.Channel(table, fallback_spelling)
