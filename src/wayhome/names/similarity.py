"""Name similarity across scripts, with an explanation of how the tokens aligned.

Features are computed once per name (``name_features``): each token's Latin keys. Two
tokens score the best normalised edit similarity between any of their keys; two names
score the best one-to-one alignment of their tokens in any order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from wayhome.names.romanise import Spelling, consonant_skeleton, set_channel_path, token_keys
from wayhome.names.structure import PARTICLE, NameToken, parse_name


@dataclass(frozen=True, slots=True, eq=False)
class TokenFeatures:
    """A token with its role and its Latin spellings, best first.

    Built once per distinct (text, role) by ``token_features`` and compared by identity,
    so caches keyed on tokens hash in constant time.
    """

    text: str
    role: str
    keys: tuple[Spelling, ...]


@dataclass(frozen=True, slots=True)
class NameFeatures:
    """The matchable tokens of one name (particles dropped)."""

    tokens: tuple[TokenFeatures, ...]

    @property
    def blocking_keys(self) -> frozenset[str]:
        """Keys that a true partner very likely shares with this name (see ``block_keys``)."""
        return frozenset(k for t in self.tokens for k in block_keys(t))


@dataclass(frozen=True, slots=True)
class TokenMatch:
    """How one token of each name aligned, and through which spelling."""

    left: str
    right: str
    score: float
    left_spelling: str
    right_spelling: str
    via: str

    def describe(self) -> str:
        """E.g. "Mahomedov~Магомедов 0.93 (mahomedov ≈ magomedov, learned)"."""
        return (
            f"{self.left}~{self.right} {self.score:.2f} "
            f"({self.left_spelling} ≈ {self.right_spelling}, {self.via})"
        )


@dataclass(frozen=True, slots=True)
class NameComparison:
    """Score in [0, 1], aligned tokens, and the tokens left over on each side."""

    score: float
    matches: tuple[TokenMatch, ...]
    unmatched_left: tuple[str, ...]
    unmatched_right: tuple[str, ...]

    def explain(self) -> str:
        """One line for a reviewer: aligned tokens with scores, then leftovers."""
        parts = [m.describe() for m in self.matches]
        if self.unmatched_left or self.unmatched_right:
            parts.append(
                "unmatched: "
                + " ".join(self.unmatched_left)
                + " | "
                + " ".join(self.unmatched_right)
            )
        return "; ".join(parts)


@lru_cache(maxsize=500_000)
def token_features(token: NameToken) -> TokenFeatures:
    """Features of one token, shared by every name that contains it."""
    return TokenFeatures(token.text, token.role, token_keys(token.text))


def name_features(given: str = "", family: str = "", full: str = "") -> NameFeatures:
    """Precomputed features of a name given as parts or as free text."""
    return features_of_tokens(parse_name(given, family, full))


def features_of_tokens(tokens: Sequence[NameToken]) -> NameFeatures:
    """Features of a name already parsed by ``parse_name``."""
    features = [token_features(t) for t in tokens if t.role != PARTICLE]
    return NameFeatures(tuple(f for f in features if f.keys))


def block_keys(
    token: TokenFeatures, spellings: int = 8, widths: tuple[int, ...] = (3,)
) -> set[str]:
    """Blocking keys of one token: prefix, suffix and consonant-skeleton prefix of its keys.

    A typo rarely hits both ends of a token, so a partner shares at least one of them.
    ``widths``: letters per key; wider keys are rarer, for vocabularies where the
    three-letter ones are held by too many tokens to be of use.
    """
    keys: set[str] = set()
    add = keys.add
    tags = _block_tags(widths)
    for spelling in token.keys[:spellings]:
        key = spelling.key
        if key.startswith("~"):
            continue
        skeleton = consonant_skeleton(key)
        for width, prefix, suffix, consonants in tags:
            add(prefix + key[:width])
            add(suffix + key[-width:])
            add(consonants + skeleton[:width])
    return keys


# Block keys as integers, for the linker's joins (engines join integer columns several
# times faster than strings, and numbering millions of strings in a dict cost more than
# the join). A key's letters are a-z (``latin_key`` folds everything else away), each a
# base-32 digit from 1, so a string of up to four letters is one number below 2**20 and
# no two strings share one; the tag (width and kind) goes above. Any other character
# (none is made today) shares one of the digits 27-31: keys may then collide, which only
# pairs more tokens for the screen, never fewer.
_LETTER_BITS = 5
_TEXT_BITS = 4 * _LETTER_BITS
_KINDS = ("p", "s", "c")  # prefix, suffix, consonant-skeleton prefix


def block_key_code(text: str) -> int:
    """The integer of one ``block_keys`` string ("p" + "mag" → its code); for tests and
    for reading the linker's codes back."""
    tag = re.match(r"(\d*)([psc])", text)
    if tag is None:
        raise ValueError(f"not a block key: {text!r}")
    width = int(tag.group(1) or 3)
    value = 0
    for ch in text[tag.end() :]:
        value = value << _LETTER_BITS | _digit(ord(ch))
    return (width * len(_KINDS) + _KINDS.index(tag.group(2))) << _TEXT_BITS | value


def _digit(code: int) -> int:
    return code - 96 if 97 <= code <= 122 else 27 + code % 5


@lru_cache(maxsize=16)
def _block_tags(widths: tuple[int, ...]) -> tuple[tuple[int, str, str, str], ...]:
    """Per width, the tags of its prefix, suffix and skeleton keys ("p", "4p", ...)."""
    return tuple(
        (width, tag + "p", tag + "s", tag + "c")
        for width in widths
        for tag in ("" if width == 3 else str(width),)
    )


_SIMILARITY = Levenshtein.normalized_similarity

# The root of a name is at its start and its ending is shared by thousands (Эльмурзаева
# and Бекмурзаева, Сайдуллаев and Абдуллаев: -murzaeva, -ullaev), so an edit similarity
# alone calls such different names close. A typo or a spelling variant changes at most
# one letter of the first three (their best spellings are compared, so scheme variants
# are already aligned); a second edit there means another root, and each edit beyond
# the first costs ROOT_EDIT_COST. The window may slide by a letter, so that a letter
# dropped or doubled near the start stays one edit. (Errors are rarer at the start of
# names than further on: Pollock & Zamora 1984, the reason for Jaro-Winkler's prefix.)
ROOT = 3
ROOT_FREE_EDITS = 1
ROOT_EDIT_COST = 0.25


def _root_edits(left: str, right: str) -> int:
    return min(
        Levenshtein.distance(left[:ROOT], right[:ROOT]),
        Levenshtein.distance(left[: ROOT - 1], right[:ROOT]),
        Levenshtein.distance(left[:ROOT], right[: ROOT - 1]),
    )


def root_penalty(left: str, right: str) -> float:
    """What two keys lose for their first letters differing by more than a typo."""
    return ROOT_EDIT_COST * max(0, _root_edits(left, right) - ROOT_FREE_EDITS)


def key_similarity(left: str, right: str) -> float:
    """Normalised edit similarity of two Latin keys, less their ``root_penalty``."""
    return _SIMILARITY(left, right) - root_penalty(left, right)


def root_penalties(left: Sequence[str], right: Sequence[str] | np.ndarray) -> np.ndarray:
    """``root_penalty`` of every pair of ``left`` x ``right`` keys, in C++ calls."""
    heads = [[k[:n] for k in left] for n in (ROOT, ROOT - 1)]
    tails = [[k[:n] for k in right] for n in (ROOT, ROOT - 1)]
    edits = np.minimum.reduce(
        [
            process.cdist(a, b, scorer=Levenshtein.distance, dtype=np.int32)
            for a, b in ((heads[0], tails[0]), (heads[1], tails[0]), (heads[0], tails[1]))
        ]
    )
    penalties: np.ndarray = ROOT_EDIT_COST * np.maximum(edits - ROOT_FREE_EDITS, 0)
    return penalties


def _token_match_loop(left: TokenFeatures, right: TokenFeatures) -> TokenMatch:
    """``_token_match`` one spelling pair at a time: its definition, kept for the tests."""
    score, ls, rs = -1.0, left.keys[0], right.keys[0]
    for lk in left.keys:
        scores = [key_similarity(lk.key, rk.key) - rk.penalty for rk in right.keys]
        j = max(range(len(scores)), key=scores.__getitem__)
        if scores[j] - lk.penalty > score:
            score, ls, rs = scores[j] - lk.penalty, lk, right.keys[j]
    via = rs.source if ls.source == "as written" else ls.source
    return TokenMatch(left.text, right.text, round(max(score, 0.0), 4), ls.latin, rs.latin, via)


@lru_cache(maxsize=1_000_000)
def _token_match(left: TokenFeatures, right: TokenFeatures) -> TokenMatch:
    """``_token_match_loop`` in C++ calls over the whole spelling grid (the linker
    explains hundreds of thousands of pairs): the same float64 arithmetic in the same
    order, and the first best spelling pair in the loop's order (argmax takes the first
    maximum, as ``max`` and the strict ``>`` do), so the result is identical."""
    mine, theirs = [k.key for k in left.keys], [k.key for k in right.keys]
    grid = process.cdist(mine, theirs, scorer=_SIMILARITY, dtype=np.float64)
    grid -= root_penalties(mine, theirs)
    grid -= np.array([k.penalty for k in right.keys], dtype=np.float64)[None, :]
    best = grid.argmax(axis=1)
    totals = grid[np.arange(len(mine)), best] - np.array([k.penalty for k in left.keys])
    i = int(totals.argmax())
    score, ls, rs = -1.0, left.keys[0], right.keys[0]
    if totals[i] > score:
        score, ls, rs = float(totals[i]), left.keys[i], right.keys[int(best[i])]
    via = rs.source if ls.source == "as written" else ls.source
    return TokenMatch(left.text, right.text, round(max(score, 0.0), 4), ls.latin, rs.latin, via)


def token_similarity(left: TokenFeatures, right: TokenFeatures) -> TokenMatch:
    """Best-aligned spellings of two tokens; symmetric in score."""
    return _token_match(left, right)


TokenScore = Callable[[TokenFeatures, TokenFeatures], float]


@dataclass(frozen=True, slots=True)
class NameScore:
    """The numbers of a name comparison without the explanation (the fast path)."""

    score: float
    token_scores: tuple[float, ...]  # of the aligned token pairs, best first


def _align(
    a: Sequence[TokenFeatures], b: Sequence[TokenFeatures], score: TokenScore
) -> tuple[float, list[tuple[int, int, float]]]:
    """Best one-to-one alignment (index in a, index in b, score); name score over the shorter.

    Extra tokens (a patronymic, a second family name) cost a little, not a whole token.
    """
    if not a or not b:
        return 0.0, []
    swap = len(a) > len(b)
    short, long_ = (b, a) if swap else (a, b)
    grid = [[score(t, s) if swap else score(s, t) for t in long_] for s in short]
    best_total = -1.0
    best_perm: tuple[int, ...] = ()
    for perm in permutations(range(len(long_)), len(short)):
        total = sum(grid[i][j] for i, j in enumerate(perm))
        if total > best_total:
            best_total, best_perm = total, perm
    aligned = [(j, i, grid[i][j]) if swap else (i, j, grid[i][j]) for i, j in enumerate(best_perm)]
    name_score = best_total / len(short) * (0.97 ** (len(long_) - len(short)))
    return round(name_score, 4), aligned


def _default_score(left: TokenFeatures, right: TokenFeatures) -> float:
    return _token_match(left, right).score


def score_features(
    left: NameFeatures, right: NameFeatures, token_score: TokenScore = _default_score
) -> NameScore:
    """Name score and aligned token scores, with token scores from ``token_score``."""
    name_score, aligned = _align(left.tokens, right.tokens, token_score)
    return NameScore(name_score, tuple(sorted((s for _, _, s in aligned), reverse=True)))


def compare_features(left: NameFeatures, right: NameFeatures) -> NameComparison:
    """Best token alignment in any order, with the explanation of each aligned pair."""
    name_score, aligned = _align(left.tokens, right.tokens, _default_score)
    used_left = {i for i, _, _ in aligned}
    used_right = {j for _, j, _ in aligned}
    return NameComparison(
        name_score,
        tuple(token_similarity(left.tokens[i], right.tokens[j]) for i, j, _ in aligned),
        tuple(t.text for n, t in enumerate(left.tokens) if n not in used_left),
        tuple(t.text for n, t in enumerate(right.tokens) if n not in used_right),
    )


def forget_spellings() -> None:
    """Empty every cache of the names core, models included, as in a fresh process.

    For benchmarks: a run timed after another (or after a token check) would otherwise
    find the spellings of the tokens they share already computed.
    """
    from wayhome.names import normalise, romanise, structure

    for cached in (
        normalise.normalise_token, structure._own_role, romanise.latin_key,
        romanise.consonant_skeleton, romanise._beam, romanise._token_keys, romanise._channel,
        romanise._compiled_channel, romanise._icu_transliterators, token_features, _token_match,
    ):  # fmt: skip
        cached.cache_clear()
    for store in (romanise._PRIMED, romanise._SPELT, romanise._CHUNKS, romanise._MERGED):
        store.clear()


def use_channel(path: Path) -> None:
    """Spell with the channel file at ``path`` from now on (one learnt on other pairs:
    the held-out benchmark's, which never saw the names it is tried on), every cache
    emptied as ``forget_spellings`` does, so nothing spelt by the old channel is reused."""
    set_channel_path(path)
    forget_spellings()


def compare_names(left: str, right: str) -> NameComparison:
    """Compare two free-text names, e.g. ``compare_names("Aisha Naloyeva", "Аиша Налоева")``."""
    return compare_features(name_features(full=left), name_features(full=right))
