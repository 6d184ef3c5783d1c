"""Name similarity across scripts, with an explanation of how the tokens aligned.

Features are computed once per name (``name_features``): each token's Latin keys. Two
tokens score the best normalised edit similarity between any of their keys; two names
score the best one-to-one alignment of their tokens in any order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from wayhome.names.romanise import Spelling, consonant_skeleton, token_keys
from wayhome.names.structure import PARTICLE, NameToken, parse_name


@dataclass(frozen=True, slots=True)
class TokenFeatures:
    """A token with its role and its Latin keys (key, spelling, source), best first."""

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


def token_features(token: NameToken) -> TokenFeatures:
    """Features of one token (keys are cached per written token)."""
    return TokenFeatures(token.text, token.role, token_keys(token.text))


def name_features(given: str = "", family: str = "", full: str = "") -> NameFeatures:
    """Precomputed features of a name given as parts or as free text."""
    tokens = [t for t in parse_name(given, family, full) if t.role != PARTICLE]
    features = [token_features(t) for t in tokens]
    return NameFeatures(tuple(f for f in features if f.keys))


def block_keys(token: TokenFeatures, spellings: int = 8) -> set[str]:
    """Blocking keys of one token: prefix, suffix and consonant-skeleton prefix of its keys.

    A typo rarely hits both ends of a token, so a partner shares at least one of them.
    """
    keys: set[str] = set()
    for key, *_ in token.keys[:spellings]:
        keys.add("p" + key[:3])
        keys.add("s" + key[-3:])
        keys.add("c" + consonant_skeleton(key)[:3])
    return keys


@lru_cache(maxsize=1_000_000)
def _token_match(left: TokenFeatures, right: TokenFeatures) -> TokenMatch:
    best = (-1.0, left.keys[0], right.keys[0])
    for ls in left.keys:
        for rs in right.keys:
            doubt = ls.penalty + rs.penalty
            floor = min(max(best[0] + doubt, 0.0), 1.0)
            score = Levenshtein.normalized_similarity(ls.key, rs.key, score_cutoff=floor) - doubt
            if score > best[0]:
                best = (score, ls, rs)
    score, ls, rs = best
    via = rs.source if ls.source == "as written" else ls.source
    return TokenMatch(left.text, right.text, round(max(score, 0.0), 4), ls.latin, rs.latin, via)


def close_tokens(
    token: TokenFeatures, candidates: Sequence[TokenFeatures], floor: float
) -> list[int]:
    """Indexes of the candidates with some key at least ``floor`` similar to the token's.

    One C++ scan over all candidate keys: the fast first cut before full name comparison.
    """
    flat = [s.key for c in candidates for s in c.keys]
    owners = [n for n, c in enumerate(candidates) for _ in c.keys]
    found: set[int] = set()
    for key, *_ in token.keys:
        for _choice, _score, index in process.extract(
            key, flat, scorer=Levenshtein.normalized_similarity, score_cutoff=floor, limit=None
        ):
            found.add(owners[index])
    return sorted(found)


def token_similarity(left: TokenFeatures, right: TokenFeatures) -> TokenMatch:
    """Best-aligned spellings of two tokens; symmetric in score."""
    return _token_match(left, right)


def compare_features(left: NameFeatures, right: NameFeatures) -> NameComparison:
    """Best one-to-one token alignment in any order; score averages over the shorter name.

    Extra tokens (a patronymic, a second family name) cost a little, not a whole token.
    """
    a, b = left.tokens, right.tokens
    if not a or not b:
        return NameComparison(0.0, (), tuple(t.text for t in a), tuple(t.text for t in b))
    swap = len(a) > len(b)
    short, long_ = (b, a) if swap else (a, b)
    grid = [[token_similarity(s, t) if not swap else token_similarity(t, s) for t in long_]
            for s in short]  # fmt: skip
    best: tuple[float, tuple[int, ...]] = (-1.0, ())
    for perm in permutations(range(len(long_)), len(short)):
        total = sum(grid[i][j].score for i, j in enumerate(perm))
        if total > best[0]:
            best = (total, perm)
    total, perm = best
    matches = tuple(grid[i][j] for i, j in enumerate(perm))
    leftover = tuple(long_[j].text for j in range(len(long_)) if j not in perm)
    extra = len(long_) - len(short)
    score = total / len(short) * (0.97**extra)
    unmatched_left, unmatched_right = (leftover, ()) if swap else ((), leftover)
    return NameComparison(round(score, 4), matches, unmatched_left, unmatched_right)


def compare_names(left: str, right: str) -> NameComparison:
    """Compare two free-text names, e.g. ``compare_names("Aisha Naloyeva", "Аиша Налоева")``."""
    return compare_features(name_features(full=left), name_features(full=right))
