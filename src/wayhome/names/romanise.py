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
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import NamedTuple

import icu

from wayhome.names.normalise import fold_latin, normalise_token
from wayhome.names.tables import fallback_spelling, romanise_cyrillic_schemes
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

# (pattern, replacement, substrings of which every match holds one): a rule whose
# substrings are all absent cannot match, and skipping its regex is what makes keys cheap.
_KEY_RULES = [
    (re.compile(p), r, triggers)
    for p, r, triggers in (
        (r"tsch|tch|dsch|dzh|dj", "C", ("sch", "tch", "dzh", "dj")),
        (r"sch|sh", "S", ("sch", "sh")),
        (r"ch", "C", ("ch",)),
        (r"ph", "f", ("ph",)),
        (r"kh", "H", ("kh",)),
        (r"gh", "g", ("gh",)),
        (r"x", "ks", ("x",)),
        (r"ck|c(?=[^eiy]|$)|q", "k", ("c", "q")),
        (r"c", "s", ("c",)),
        (r"tz|ts", "z", ("tz", "ts")),
        (r"[wv]", "f", ("w", "v")),
        (r"ou|oo", "u", ("ou", "oo")),
        (r"ee|ie(?=[^aeiou]|$)", "i", ("ee", "ie")),
        (r"j(?=[aeiou])", "y", ("j",)),
        (r"y", "i", ("y",)),
        (r"th", "t", ("th",)),
        (r"dh", "d", ("dh",)),
        (r"(.)\1+", r"\1", ()),
        (r"(?<=[a-zA-Z])h(?=[^aeiou]|$)", "", ("h",)),
    )
]
_VOWELS = re.compile(r"(?<=.)[aeiou]+")


@lru_cache(maxsize=500_000)
def latin_key(latin: str) -> str:
    """Sound-alike key of a folded Latin spelling: "Mahomedov" and "Magomedow" stay close."""
    key = latin
    for pattern, repl, triggers in _KEY_RULES:
        for trigger in triggers:
            if trigger in key:
                key = pattern.sub(repl, key)
                break
        else:
            if not triggers:
                key = pattern.sub(repl, key)
    return key.lower()


@lru_cache(maxsize=500_000)
def consonant_skeleton(key: str) -> str:
    """The key without its non-initial vowels (Arabic script rarely writes short vowels)."""
    return _VOWELS.sub("", key)


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
    beam of a prefix is computed once for all of them.
    """
    if not letters:
        return ((0.0, ""),)
    table: dict[str, list[tuple[str, float]]] = _channel().get(script, {})  # type: ignore[assignment]
    pool: dict[str, float] = {}
    bound = math.inf  # the k-th cheapest cost so far: anything dearer cannot make the beam
    for width in (1, 2):
        if width > len(letters):
            continue
        segment = "".join(letters[-width:])
        options = table.get(segment) or table.get(bare(segment))
        if options is None:
            if width == 1:
                options = [(fallback_spelling(bare(segment)), 6.0)]
            else:
                continue
        # Both the beam and the options are cheapest first, so the loops stop early.
        for cost, text in _beam(script, letters[:-width], k):
            if cost + options[0][1] > bound:
                break
            for latin, c in options:
                new_cost = cost + c
                if new_cost > bound:
                    break
                new_text = text + latin
                if new_cost < pool.get(new_text, 1e9):
                    pool[new_text] = new_cost
        if len(pool) >= k:
            bound = sorted(pool.values())[k - 1]
    return tuple(sorted(zip(pool.values(), pool.keys(), strict=True))[:k])


class Spelling(NamedTuple):
    """One plausible Latin spelling of a token, its key, where it came from, and its doubt.

    ``penalty`` (0 for the standard schemes) grows with how much less likely a learned
    spelling is than the token's best one, so far-fetched spellings need closer matches.
    """

    key: str
    latin: str
    source: str
    penalty: float


# Keys computed in bulk by ``prime_token_keys``; ``token_keys`` looks here first.
_PRIMED: dict[str, tuple[Spelling, ...]] = {}
PARALLEL_MIN = 4_000  # fewer new tokens than this are not worth starting processes for


def token_keys(token: str) -> tuple[Spelling, ...]:
    """Distinct Latin keys of a token's plausible spellings, best first.

    Latin tokens have one (as written); Cyrillic ones every scheme's and ICU's spelling;
    Cyrillic and Arabic ones the learned channel's k best spellings.
    """
    found = _PRIMED.get(token)
    return found if found is not None else _token_keys(token)


def prime_token_keys(tokens: Iterable[str], workers: int) -> None:
    """Compute the keys of many distinct tokens on ``workers`` processes, once.

    The learned channel's beam search is the costliest step of reading a list; it
    depends on the token alone, so a registry's distinct tokens are spread over the
    cores (forked, so nothing is re-imported) and kept for every later lookup.
    """
    missing = [t for t in dict.fromkeys(tokens) if t not in _PRIMED]
    if workers < 2 or len(missing) < PARALLEL_MIN:
        return
    chunk = max(200, len(missing) // (workers * 8))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for token, keys in zip(
            missing, pool.imap(_token_keys, missing, chunksize=chunk), strict=True
        ):
            _PRIMED[token] = keys


@lru_cache(maxsize=200_000)
def _token_keys(token: str) -> tuple[Spelling, ...]:
    script, folded = normalise_token(token)
    if not folded:
        return ()
    found = _spellings(script, folded)
    bare_name = _without_article(token, script, folded)
    if bare_name:
        found += [(latin, f"{source}, article dropped", penalty + ARTICLE_PENALTY)
                  for latin, source, penalty in _spellings(script, bare_name)]  # fmt: skip
    seen: dict[str, Spelling] = {}
    for latin, source, penalty in found:
        key = latin_key(latin)
        if key and key not in seen:
            seen[key] = Spelling(key, latin, source, round(penalty, 3))
    if script in VOWELLESS_PEERS:
        # Arabic script leaves short vowels unwritten: also compare consonants only.
        for spelling in list(seen.values())[:SKELETONS]:
            key = "~" + consonant_skeleton(spelling.key)
            if key not in seen:
                seen[key] = Spelling(
                    key,
                    spelling.latin,
                    "consonants only",
                    round(spelling.penalty + SKELETON_PENALTY, 3),
                )
    return tuple(seen.values())


def _without_article(token: str, script: str, folded: str) -> str:
    """The folded token without a leading al-/el-/ال ("al-Shishani" → "shishani"), or ""."""
    if script == "Arab" and folded.startswith("ال") and len(folded) > 4:
        return folded[2:]
    if script == "Latn" and _LATIN_ARTICLE.match(token):
        return fold_latin(token[3:])
    return ""


def _spellings(script: str, folded: str) -> list[tuple[str, str, float]]:
    """(latin, source, penalty) for every way of spelling the folded token."""
    found: list[tuple[str, str, float]] = []
    if script == "Latn":
        found.append((folded, "as written", 0.0))
    if script == "Cyrl":
        found += [
            (latin, scheme, 0.0) for scheme, latin in romanise_cyrillic_schemes(folded).items()
        ]
        found += [
            (fold_latin(tr.transliterate(folded)), scheme, 0.0)
            for scheme, tr in _icu_transliterators().items()
        ]
    learned = learned_spellings(folded, script) if script != "Latn" else []
    if learned:
        best = learned[0][1]
        found += [
            (latin, "learned", min(MAX_PENALTY, PENALTY_PER_COST * (cost - best)))
            for latin, cost in learned
        ]
    return found
