"""Romanisation of name tokens into a set of plausible Latin spellings, and Latin keys.

Cyrillic gets every common scheme's spelling (``tables.py``) and ICU's; both Cyrillic and
Arabic get the k best spellings of the learned channel (``data/channel.json``). Every
spelling is then reduced to a *Latin key* that forgets distinctions spellers disagree on
(c/k/q, w/v, y/i, sch/sh, doubled letters ...), so comparing keys compares sounds.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from functools import cache, lru_cache
from itertools import chain, islice, repeat
from multiprocessing.pool import AsyncResult
from typing import TYPE_CHECKING, NamedTuple

import icu
import numpy as np

from wayhome.names.normalise import fold_latin, fold_latins, normalise_token
from wayhome.names.tables import fallback_spelling, romanise_cyrillic_schemes
from wayhome.names.train import CHANNEL_PATH, bare, units

if TYPE_CHECKING:
    from wayhome.names import beams

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
    """ICU's BGN/PCGN and ISO 9 style Cyrillic transliterators (they know Ukrainian too)."""
    return {
        f"icu {name}": icu.Transliterator.createInstance(name)
        for name in ("Russian-Latin/BGN", "Cyrillic-Latin")
    }


@cache
def _channel() -> dict[str, list[tuple[str, list[tuple[str, float]]]]]:
    """Per script: segment → its cheapest Latin spellings with their costs."""
    raw: dict[str, dict[str, dict[str, float]]] = json.loads(
        CHANNEL_PATH.read_text(encoding="utf-8")
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
# Keys computed in bulk by ``prime_token_keys``; ``token_keys`` looks here first.
_PRIMED: dict[str, tuple[Spelling, ...]] = {}
PARALLEL_MIN = 4_000  # fewer new tokens than this are not worth starting processes for
CHUNK_TOKENS = 2_000  # tokens a worker keys at a time
BULK_MIN = 500  # tokens of a script from which the compiled beam search pays for loading


def token_keys(token: str) -> tuple[Spelling, ...]:
    """Distinct Latin keys of a token's plausible spellings, best first.

    Latin tokens have one (as written); Cyrillic ones every scheme's and ICU's spelling;
    Cyrillic and Arabic ones the learned channel's k best spellings.
    """
    found = _PRIMED.get(token)
    return found if found is not None else _token_keys(token)


def prime_token_keys(tokens: Iterable[str], workers: int) -> None:
    """Compute the keys of many distinct tokens in bulk, once, on ``workers`` processes.

    The learned channel's beam search is the costliest step of reading a list; it
    depends on the token alone, so a registry's distinct tokens are spread over the
    cores (forked, so nothing is re-imported) and kept for every later lookup. Fewer
    than PARALLEL_MIN new tokens are keyed in this process, still in bulk.

    ``tokens`` is read as the work goes: given a generator that parses names, this
    process parses the rest of a list while the workers key what it has parsed so far.
    """
    fresh = _unprimed(tokens)
    first = list(islice(fresh, PARALLEL_MIN))
    if workers < 2 or len(first) < PARALLEL_MIN:
        missing = first + list(fresh)
        _PRIMED.update(zip(missing, _keys_of_many(missing), strict=True))
        return
    from wayhome.names import beams

    beams.load()  # once here, not in every worker
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        tasks: deque[tuple[list[str], AsyncResult[Plain]]] = deque()
        for chunk in _batches(chain(first, fresh), CHUNK_TOKENS):
            normalised = [normalise_token(token) for token in chunk]  # cached by the parse
            tasks.append((chunk, pool.apply_async(_plain_keys_of_many, (chunk, normalised))))
            while tasks and tasks[0][1].ready():
                _keep(*tasks.popleft())
        while tasks:
            _keep(*tasks.popleft())


Plain = list[list[tuple[str, str, str, float]]]


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


def _keep(chunk: list[str], keys: AsyncResult[Plain]) -> None:
    spelt = (tuple([_new_tuple(Spelling, k) for k in mine]) for mine in keys.get())
    _PRIMED.update(zip(chunk, spelt, strict=True))


def _plain_keys_of_many(tokens: Sequence[str], normalised: Sequence[tuple[str, str]]) -> Plain:
    """``_keys_of_many`` as plain tuples: a worker pickles those in half the time of
    named ones, and the parent unpickles them without calling ``Spelling.__new__``."""
    return [[tuple(k) for k in keys] for keys in _keys_of_many(tokens, normalised)]  # type: ignore[misc]


@lru_cache(maxsize=200_000)
def _token_keys(token: str) -> tuple[Spelling, ...]:
    return _keys_of_many((token,))[0]


def _keys_of_many(
    tokens: Sequence[str], normalised: Sequence[tuple[str, str]] | None = None
) -> list[tuple[Spelling, ...]]:
    """``token_keys`` of each token, the Latin keys and skeletons of all computed at once.

    Per token: its spellings, the first spelling of each distinct key kept.
    """
    if normalised is None:
        normalised = [normalise_token(token) for token in tokens]
    articles = [
        _without_article(t, *n) if n[1] else "" for t, n in zip(tokens, normalised, strict=True)
    ]
    learned = _learned_many(
        [(script, folded) for script, folded in normalised if folded]
        + [(script, bare) for (script, _), bare in zip(normalised, articles, strict=True) if bare]
    )
    spelt = _spellings_many(
        [(script, folded) for script, folded in normalised if folded]
        + [(script, bare) for (script, _), bare in zip(normalised, articles, strict=True) if bare],
        learned,
    )
    plans: list[tuple[str, list[tuple[str, str, float]]]] = []
    for (script, folded), bare_name in zip(normalised, articles, strict=True):
        found: list[tuple[str, str, float]] = []
        if folded:
            found = spelt[(script, folded)]
            if bare_name:
                found = found + [
                    (latin, f"{source}, article dropped", penalty + ARTICLE_PENALTY)
                    for latin, source, penalty in spelt[(script, bare_name)]
                ]
        plans.append((script, found))
    # Each distinct spelling keyed once for all the tokens (schemes often agree, and
    # the same spelling has the same key).
    distinct = list(dict.fromkeys(latin for _, found in plans for latin, _, _ in found))
    key_of = dict(zip(distinct, latin_keys(distinct), strict=True))
    result: list[dict[str, Spelling]] = []
    skeletons: list[str] = []
    for script, found in plans:
        seen: dict[str, Spelling] = {}
        for latin, source, penalty in found:
            key = key_of[latin]
            # The first spelling of a key is kept: the first of a spelling met twice.
            if key and key not in seen:
                # tuple.__new__ is Spelling(...) without its Python-level __new__, and
                # a zero penalty (every scheme's) rounds to itself.
                doubt = round(penalty, 3) if penalty else penalty
                seen[key] = _new_tuple(Spelling, (key, latin, source, doubt))
        if script in VOWELLESS_PEERS:
            skeletons += [spelling.key for spelling in list(seen.values())[:SKELETONS]]
        result.append(seen)
    # Arabic script leaves short vowels unwritten: also compare consonants only.
    bones = iter(consonant_skeletons(skeletons))
    for (script, _), seen in zip(plans, result, strict=True):
        if script not in VOWELLESS_PEERS:
            continue
        for spelling, bone in zip(list(seen.values())[:SKELETONS], bones, strict=False):
            key = "~" + bone
            if key not in seen:
                seen[key] = Spelling(
                    key,
                    spelling.latin,
                    "consonants only",
                    round(spelling.penalty + SKELETON_PENALTY, 3),
                )
    return [tuple(seen.values()) for seen in result]


def _without_article(token: str, script: str, folded: str) -> str:
    """The folded token without a leading al-/el-/ال ("al-Shishani" → "shishani"), or ""."""
    if script == "Arab" and folded.startswith("ال") and len(folded) > 4:
        return folded[2:]
    if script == "Latn" and _LATIN_ARTICLE.match(token):
        return fold_latin(token[3:])
    return ""


Learned = dict[tuple[str, str], list[tuple[str, str, float]]]


def _learned_many(wanted: Sequence[tuple[str, str]]) -> Learned:
    """The learned spellings of each (script, folded token) as ``_spellings`` lists
    them, (latin, "learned", penalty): with BULK_MIN or more of a script, all of them
    from one compiled search (``beams``) and their penalties in numpy (the same float64
    operations), else one by one."""
    by_script: dict[str, list[str]] = {}
    for script, folded in dict.fromkeys(wanted):
        if script != "Latn":
            by_script.setdefault(script, []).append(folded)
    learned: Learned = {}
    for script, many in by_script.items():
        if len(many) < BULK_MIN:
            learned.update(((script, f), _penalised(learned_spellings(f, script))) for f in many)
            continue
        from wayhome.names import beams  # Numba: bulk work only (see beams)

        counts, costs, texts = beams.search(_compiled_channel(script), many, BEAM)
        penalties = np.minimum(MAX_PENALTY, PENALTY_PER_COST * (costs - costs[:, :1])).tolist()
        for t, (folded, n) in enumerate(zip(many, counts.tolist(), strict=True)):
            mine = texts[t * BEAM : t * BEAM + n]
            if "" in mine:  # an empty spelling is dropped, and the best is the next one
                beam = zip(costs[t, :n].tolist(), mine, strict=True)
                learned[(script, folded)] = _penalised([(x, c) for c, x in beam if x])
            else:
                learned[(script, folded)] = list(zip(mine, repeat("learned"), penalties[t][:n]))
    return learned


def _penalised(spellings: list[tuple[str, float]]) -> list[tuple[str, str, float]]:
    """(latin, "learned", penalty) of learned spellings, cheapest first: the penalty
    grows with the cost over the cheapest's, up to MAX_PENALTY."""
    if not spellings:
        return []
    best = spellings[0][1]
    return [
        (latin, "learned", min(MAX_PENALTY, PENALTY_PER_COST * (cost - best)))
        for latin, cost in spellings
    ]


@cache
def _compiled_channel(script: str) -> beams.Channel:
    from wayhome.names import beams

    table: dict[str, list[tuple[str, float]]] = _channel().get(script, {})  # type: ignore[assignment]
    return beams.Channel(table, fallback_spelling)


Spelt = dict[tuple[str, str], list[tuple[str, str, float]]]


def _spellings_many(wanted: Sequence[tuple[str, str]], learned: Learned) -> Spelt:
    """(latin, source, penalty) for every way of spelling each (script, folded token),
    its learned spellings looked up in ``learned``: the Cyrillic schemes and ICU's
    transliterations of all the Cyrillic ones done at once (one call per scheme over
    them all, joined by _SEPARATOR, which no scheme nor ICU rule spells or crosses)."""
    distinct = list(dict.fromkeys(wanted))
    found: Spelt = {item: [] for item in distinct}
    cyrillic = [folded for script, folded in distinct if script == "Cyrl"]
    if cyrillic and all(_SEPARATOR not in f for f in cyrillic):
        joined = _SEPARATOR.join(cyrillic)
        columns = [
            (scheme, latins.split(_SEPARATOR))
            for scheme, latins in romanise_cyrillic_schemes(joined).items()
        ]
        columns += [
            (scheme, fold_latins(tr.transliterate(joined).split(_SEPARATOR)))
            for scheme, tr in _icu_transliterators().items()
        ]
        for n, folded in enumerate(cyrillic):
            found[("Cyrl", folded)] = [(latins[n], scheme, 0.0) for scheme, latins in columns]
    for script, folded in distinct:
        mine = found[(script, folded)]
        if script == "Latn":
            mine.append((folded, "as written", 0.0))
            continue
        if script == "Cyrl" and not mine:  # a token holding the separator, on its own
            mine += [(latin, scheme, 0.0)
                     for scheme, latin in romanise_cyrillic_schemes(folded).items()]  # fmt: skip
            mine += [(fold_latin(tr.transliterate(folded)), scheme, 0.0)
                     for scheme, tr in _icu_transliterators().items()]  # fmt: skip
        mine += learned.get((script, folded), [])
    return found
